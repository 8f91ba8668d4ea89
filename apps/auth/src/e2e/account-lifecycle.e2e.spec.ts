import * as oidc from 'openid-client';
import type { DataSource } from 'typeorm';
import {
  ONEROSTER_SCOPES,
  type AccountView,
  type CreatedAccount,
  type PasswordReset,
  type PortalError,
  type PortalMe,
} from '@oneroster/contracts';
import {
  issueClientSecret,
  oidcRecordsOfAccount,
} from '@oneroster/data-access-auth';
import { openDatabase } from '@oneroster/database';
import { testEngines } from '@oneroster/database/testing';
import type { DemoCredentials } from '@oneroster/demo-data';
import {
  AccountEntity,
  AuditEventEntity,
  OAuthClientEntity,
} from '@oneroster/entities';
import {
  Browser,
  follow,
  signIn,
  type Landing,
} from '@oneroster/testing-browser';
import { portalClient, sessionFor, type PortalSession } from './portal-support';
import { seededDatabase, startTestAuth, TestAuth } from './support';

const ADMIN_URL = 'http://portal.test';
const APP_REDIRECT = 'https://sandbox-learning.example.com/oidc/callback';

/*
 * The account lifecycle end to end on the real auth server (oidc-provider, the sign-in pages,
 * the portal's backend): one-time passwords changed at the first sign-in, operators
 * disabling, taking roles away and resetting passwords (ending the account's portal
 * sessions and its refresh grants at once), and changing one's own password.
 */
describe.each(testEngines('auth_accounts', { sqliteFile: true }))(
  'account lifecycle on $name',
  (engine) => {
    let auth: TestAuth;
    let demo: DemoCredentials;
    let ds: DataSource;
    let base: string;
    let origin: string;
    let call: ReturnType<typeof portalClient>;
    let operator: PortalSession;
    let schoolA: string;
    let appId: string;
    let appSecret: string;

    beforeAll(async () => {
      const seeded = await seededDatabase(engine);
      demo = seeded.demo;
      auth = await startTestAuth(seeded.database, {
        ADMIN_PUBLIC_URL: ADMIN_URL,
      });
      ds = await openDatabase(seeded.database);
      base = auth.issuer.replace(/\/oidc$/, '');
      origin = new URL(auth.issuer).origin;
      call = portalClient(base);
      schoolA = demo.clients[0].schoolId;
      operator = await sessionFor(ds, demo.operatorEmail);
      // The sandbox application's OpenID Connect client (school A approves the application).
      appId = (
        await ds
          .getRepository(OAuthClientEntity)
          .findOneByOrFail({ clientId: demo.clients[0].clientId })
      ).applicationId;
      appSecret = (
        await issueClientSecret(ds, {
          clientId: appId,
          applicationId: appId,
          schoolId: null,
        })
      ).clientSecret;
    }, 120_000);

    afterAll(async () => {
      await ds?.destroy();
      await auth?.close();
    });

    const forwarded = (url: URL) =>
      new URL(`${url.pathname}${url.search}`, base);

    /** An operator creates a school administrator of school A. */
    async function newAdmin(): Promise<CreatedAccount> {
      const res = await call<CreatedAccount>(
        operator,
        'POST',
        '/portal/api/accounts',
        {
          email: `admin-${Math.random().toString(36).slice(2, 10)}@lifecycle.example.org`,
          displayName: 'Lifecycle admin',
          schoolRoles: [{ schoolId: schoolA, role: 'school_admin' }],
        },
      );
      expect(res.status).toBe(201);
      expect(res.body.mustChangePassword).toBe(true);
      return res.body;
    }

    /** Starts the portal's sign-in and posts the sign-in form. */
    async function portalSignIn(
      browser: Browser,
      email: string,
      password: string,
    ) {
      const login = await browser.fetch(`${base}/portal/auth/login`);
      const authorize = new URL(login.headers.get('location') as string);
      return signIn(browser, authorize, { email, password });
    }

    /** Posts the new-password form of the interaction the sign-in page belongs to. */
    async function choosePassword(
      browser: Browser,
      signInPage: Landing,
      newPassword: string,
      confirmPassword = newPassword,
    ): Promise<Landing> {
      const url = new URL(`${signInPage.url.pathname}/password`, origin);
      const res = await browser.post(
        url,
        { username: 'x', newPassword, confirmPassword },
        { origin },
      );
      return follow(browser, url, origin, res);
    }

    /** Follows the portal's callback: the session cookie is set. */
    async function openPortal(browser: Browser, landing: Landing) {
      expect(landing.kind).toBe('redirect');
      expect(landing.url.origin).toBe(ADMIN_URL);
      const res = await browser.fetch(forwarded(landing.url));
      expect(res.status).toBe(302);
      const me = await browser.fetch(`${base}/portal/api/me`);
      expect(me.status).toBe(200);
      return (await me.json()) as PortalMe;
    }

    /** A created account that has chosen `password` at its first sign-in, signed in to the portal. */
    async function signedInAdmin(password = 'correct horse battery') {
      const created = await newAdmin();
      const browser = new Browser();
      const first = await portalSignIn(
        browser,
        created.email,
        created.initialPassword,
      );
      const landing = await choosePassword(
        browser,
        first.signInPage as Landing,
        password,
      );
      const me = await openPortal(browser, landing);
      return { created, browser, me, password };
    }

    /** Signs in to the sandbox application (code + PKCE + offline_access): its tokens. */
    async function applicationTokens(email: string, password: string) {
      const config = await oidc.discovery(
        new URL(auth.issuer),
        appId,
        undefined,
        oidc.ClientSecretBasic(appSecret),
        { execute: [oidc.allowInsecureRequests] },
      );
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: APP_REDIRECT,
        response_type: 'code',
        scope: `openid offline_access ${ONEROSTER_SCOPES.rosterCore}`,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        prompt: 'consent',
      });
      const { landing } = await signIn(new Browser(), url, {
        email,
        password,
      });
      if (landing.kind !== 'redirect')
        throw new Error(`sign-in ended on a page: ${landing.html}`);
      const tokens = await oidc.authorizationCodeGrant(config, landing.url, {
        pkceCodeVerifier: verifier,
        expectedState: state,
      });
      expect(tokens.refresh_token).toEqual(expect.any(String));
      return { config, tokens };
    }

    const refreshError = async (
      config: oidc.Configuration,
      refreshToken: string,
    ) => {
      try {
        await oidc.refreshTokenGrant(config, refreshToken);
      } catch (err) {
        return (err as { error?: string }).error ?? String(err);
      }
      return null;
    };

    const lastEvent = (targetId: string, action: string) =>
      ds.getRepository(AuditEventEntity).findOne({
        where: { targetId, action },
        order: { id: 'DESC' },
      });

    it('a first sign-in with the one-time password asks for a new password before anything else', async () => {
      const created = await newAdmin();
      const browser = new Browser();
      const { landing, signInPage } = await portalSignIn(
        browser,
        created.email,
        created.initialPassword,
      );
      // The right one-time password leads to the new-password form, not to the portal.
      expect(landing.kind).toBe('page');
      if (landing.kind !== 'page') return;
      expect(landing.status).toBe(200);
      expect(landing.html).toContain('Choose a new password');
      expect(landing.html).toContain('autocomplete="new-password"');
      expect(landing.res.headers.get('content-security-policy')).toContain(
        "frame-ancestors 'none'",
      );
      expect(browser.jar.has('portal_session')).toBe(false);

      for (const [newPassword, confirm, message] of [
        [
          'a long new password',
          'another long one',
          'The two passwords differ.',
        ],
        ['too short', 'too short', 'at least 12 characters'],
        [created.email, created.email, 'must not be your email address'],
        [
          created.initialPassword,
          created.initialPassword,
          'must differ from the one-time password',
        ],
      ]) {
        const page = await choosePassword(
          browser,
          signInPage as Landing,
          newPassword,
          confirm,
        );
        expect(page.kind).toBe('page');
        if (page.kind !== 'page') continue;
        expect(page.status).toBe(400);
        expect(page.html).toContain(message);
      }
      // Without the one-time password first, the form does nothing.
      const stranger = new Browser();
      const other = await portalSignIn(stranger, created.email, 'wrong');
      expect(other.landing.status).toBe(401);
      const skipped = await choosePassword(
        stranger,
        other.signInPage as Landing,
        'a long new password',
      );
      expect(skipped.status).toBe(400);
      expect(skipped.kind === 'page' && skipped.html).toContain(
        'Sign in with your email address and password first.',
      );

      const done = await choosePassword(
        browser,
        signInPage as Landing,
        'a long new password',
      );
      const me = await openPortal(browser, done);
      expect(me.account.email).toBe(created.email);
      const stored = await ds
        .getRepository(AccountEntity)
        .findOneByOrFail({ id: created.id });
      expect(stored.mustChangePassword).toBe(false);
      expect(
        await lastEvent(created.id, 'account.password_changed'),
      ).toMatchObject({ actorAccountId: created.id, actorType: 'account' });

      // The one-time password is spent; the new one signs in directly.
      const again = await portalSignIn(
        new Browser(),
        created.email,
        created.initialPassword,
      );
      expect(again.landing.status).toBe(401);
      const fresh = new Browser();
      const direct = await portalSignIn(
        fresh,
        created.email,
        'a long new password',
      );
      await openPortal(fresh, direct.landing);
    });

    it('disabling an account ends its open portal session and its refresh grant at once, and it cannot sign in', async () => {
      const { created, browser, password } = await signedInAdmin();
      const { config, tokens } = await applicationTokens(
        created.email,
        password,
      );
      expect(
        (await oidcRecordsOfAccount(ds, created.id)).grantIds.length,
      ).toBeGreaterThan(0);

      const res = await call<AccountView>(
        operator,
        'POST',
        `/portal/api/accounts/${created.id}/disable`,
      );
      expect(res.status).toBe(200);
      expect(res.body.disabled).toBe(true);

      // At once: no waiting, no retry.
      const me = await browser.fetch(`${base}/portal/api/me`);
      expect(me.status).toBe(401);
      expect(await refreshError(config, tokens.refresh_token as string)).toBe(
        'invalid_grant',
      );
      expect(await oidcRecordsOfAccount(ds, created.id)).toEqual({
        sessionIds: [],
        grantIds: [],
      });
      const refused = await portalSignIn(
        new Browser(),
        created.email,
        password,
      );
      expect(refused.landing.status).toBe(403);
      expect(refused.landing.kind === 'page' && refused.landing.html).toContain(
        'This account is disabled.',
      );
      expect(await lastEvent(created.id, 'account.disabled')).toMatchObject({
        actorType: 'account',
        details: expect.objectContaining({ portalSessionsEnded: 1 }),
      });

      const enabled = await call<AccountView>(
        operator,
        'POST',
        `/portal/api/accounts/${created.id}/enable`,
      );
      expect(enabled.body.disabled).toBe(false);
      const back = new Browser();
      await openPortal(
        back,
        (await portalSignIn(back, created.email, password)).landing,
      );
      expect(await lastEvent(created.id, 'account.enabled')).not.toBeNull();
    });

    it('taking a role away ends the portal session and the refresh grant at once', async () => {
      const { created, browser, password } = await signedInAdmin();
      const { config, tokens } = await applicationTokens(
        created.email,
        password,
      );
      const res = await call<AccountView>(
        operator,
        'POST',
        `/portal/api/accounts/${created.id}/roles/remove`,
        { schoolId: schoolA, role: 'school_admin' },
      );
      expect(res.status).toBe(200);
      expect(res.body.schoolRoles).toEqual([]);
      expect((await browser.fetch(`${base}/portal/api/me`)).status).toBe(401);
      expect(await refreshError(config, tokens.refresh_token as string)).toBe(
        'invalid_grant',
      );
      // Still enabled: a new sign-in works and shows what is left (nothing).
      const again = new Browser();
      const me = await openPortal(
        again,
        (await portalSignIn(again, created.email, password)).landing,
      );
      expect(me.schools).toEqual([]);
      expect(await lastEvent(created.id, 'account.role_removed')).toMatchObject(
        { schoolId: schoolA },
      );
      const gone = await call<PortalError>(
        operator,
        'POST',
        `/portal/api/accounts/${created.id}/roles/remove`,
        { schoolId: schoolA, role: 'school_admin' },
      );
      expect(gone.status).toBe(404);
    });

    it('a reset shows a one-time password once; it ends the sessions and forces a change', async () => {
      const { created, browser, password } = await signedInAdmin();
      const res = await call<PasswordReset>(
        operator,
        'POST',
        `/portal/api/accounts/${created.id}/reset-password`,
      );
      expect(res.status).toBe(200);
      expect(res.body.account.mustChangePassword).toBe(true);
      const oneTime = res.body.oneTimePassword;
      expect(oneTime.length).toBeGreaterThanOrEqual(20);
      expect((await browser.fetch(`${base}/portal/api/me`)).status).toBe(401);
      const list = await call<AccountView[]>(
        operator,
        'GET',
        '/portal/api/accounts',
      );
      expect(JSON.stringify(list.body)).not.toContain(oneTime);
      expect(
        (await portalSignIn(new Browser(), created.email, password)).landing
          .status,
      ).toBe(401);
      const next = new Browser();
      const first = await portalSignIn(next, created.email, oneTime);
      expect(first.landing.kind === 'page' && first.landing.html).toContain(
        'Choose a new password',
      );
      await openPortal(
        next,
        await choosePassword(
          next,
          first.signInPage as Landing,
          'after the reset, mine',
        ),
      );
      expect(
        await lastEvent(created.id, 'account.password_reset'),
      ).not.toBeNull();
    });

    it('changes one’s own password with the current one; the other sessions end', async () => {
      const { created, browser, me, password } = await signedInAdmin();
      const other = new Browser();
      await openPortal(
        other,
        (await portalSignIn(other, created.email, password)).landing,
      );
      const change = (body: unknown, csrf: string | null = me.csrfToken) =>
        browser.fetch(`${base}/portal/api/me/password`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(csrf ? { 'x-csrf-token': csrf } : {}),
          },
          body: JSON.stringify(body),
        });
      expect(
        (await change({ currentPassword: password, newPassword: 'x' }, null))
          .status,
      ).toBe(403);
      const wrong = await change({
        currentPassword: 'not it',
        newPassword: 'a brand new password',
      });
      expect(wrong.status).toBe(400);
      expect(((await wrong.json()) as PortalError).fields).toEqual({
        currentPassword: expect.any(String),
      });
      const short = await change({
        currentPassword: password,
        newPassword: 'short',
      });
      expect(((await short.json()) as PortalError).fields).toEqual({
        newPassword: 'must be at least 12 characters long',
      });
      const done = await change({
        currentPassword: password,
        newPassword: 'a brand new password',
      });
      expect(done.status).toBe(204);
      expect((await browser.fetch(`${base}/portal/api/me`)).status).toBe(200);
      expect((await other.fetch(`${base}/portal/api/me`)).status).toBe(401);
      expect(
        (await portalSignIn(new Browser(), created.email, password)).landing
          .status,
      ).toBe(401);
      expect(
        await lastEvent(created.id, 'account.password_changed'),
      ).toMatchObject({
        details: { otherPortalSessionsEnded: 1 },
      });
    });

    it('only operators manage accounts; operators cannot lock themselves out; bad input is a PortalError', async () => {
      const { created, browser, me } = await signedInAdmin();
      const asAdmin = await browser.fetch(
        `${base}/portal/api/accounts/${created.id}/disable`,
        { method: 'POST', headers: { 'x-csrf-token': me.csrfToken } },
      );
      expect(asAdmin.status).toBe(403);
      const operatorId = (
        await ds
          .getRepository(AccountEntity)
          .findOneByOrFail({ email: demo.operatorEmail })
      ).id;
      const self = await call<PortalError>(
        operator,
        'POST',
        `/portal/api/accounts/${operatorId}/disable`,
      );
      expect(self.status).toBe(409);
      const unknown = await call<PortalError>(
        operator,
        'POST',
        '/portal/api/accounts/00000000-0000-0000-0000-000000000000/reset-password',
      );
      expect(unknown.status).toBe(404);
      const bad = await call<PortalError>(
        operator,
        'POST',
        `/portal/api/accounts/${created.id}/roles/remove`,
        { platformRole: 'king' },
      );
      expect(bad.status).toBe(400);
      expect(bad.body.error).toBe('invalid_request');
      const noCsrf = await call<PortalError>(
        operator,
        'POST',
        `/portal/api/accounts/${created.id}/disable`,
        undefined,
        { csrf: null },
      );
      expect(noCsrf.status).toBe(403);
    });
  },
);
