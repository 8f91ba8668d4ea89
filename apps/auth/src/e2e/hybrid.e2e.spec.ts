import { randomUUID } from 'node:crypto';
import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  jwtVerify,
} from 'jose';
import * as oidc from 'openid-client';
import type { DataSource } from 'typeorm';
import { ONEROSTER_SCOPES, ONEROSTER_V1P2_SCOPES } from '@oneroster/contracts';
import { openDatabase } from '@oneroster/database';
import { testEngines } from '@oneroster/database/testing';
import type { DemoCredentials } from '@oneroster/demo-data';
import { issueClientSecret } from '@oneroster/data-access-auth';
import {
  AccountEntity,
  AccountSchoolRoleEntity,
  ApplicationEntity,
  ApprovalEntity,
  OAuthClientEntity,
} from '@oneroster/entities';
import { hashSecret } from '@oneroster/util-secrets';
import { Browser, follow, formOf, signIn } from '@oneroster/testing-browser';
import {
  requestToken,
  seededDatabase,
  startTestAuth,
  TEST_AUDIENCE,
  TestAuth,
} from './support';

const PASSWORD = 'pw';
const SANDBOX_REDIRECT = 'https://sandbox-learning.example.com/oidc/callback';
const PARTIAL_REDIRECT = 'https://partial.example.com/signed-in';
const PORTAL_SECRET = 'portal-test-secret';
const PORTAL_REDIRECT = 'http://localhost:4200/portal/auth/callback';
const ROSTER_CORE = ONEROSTER_SCOPES.rosterCore;
const GRADEBOOK_READ = ONEROSTER_SCOPES.gradebookRead;

describe.each(testEngines('auth_hybrid', { sqliteFile: true }))(
  'auth server, OpenID Connect sign-in, on $name',
  (engine) => {
    let auth: TestAuth;
    let demo: DemoCredentials;
    let ds: DataSource;
    let origin: string;
    let schoolA: string;
    let schoolB: string;
    let sandboxApp: string;
    let sandboxSecret: string;
    let partialApp: string;
    let partialSecret: string;
    let integratorId: string;
    const emails = {
      multi: 'multi@schools.example.org',
      onlyB: 'only-b@schools.example.org',
      disabled: 'disabled@schools.example.org',
      throttled: 'throttled@schools.example.org',
    };
    const accountIds: Record<string, string> = {};

    beforeAll(async () => {
      const seeded = await seededDatabase(engine);
      demo = seeded.demo;
      [schoolA, schoolB] = demo.clients.map((c) => c.schoolId);
      auth = await startTestAuth(seeded.database, {
        PORTAL_CLIENT_SECRET: PORTAL_SECRET,
      });
      origin = new URL(auth.issuer).origin;
      ds = await openDatabase(seeded.database);
      const sandboxClient = await ds
        .getRepository(OAuthClientEntity)
        .findOneByOrFail({ clientId: demo.clients[0].clientId });
      sandboxApp = sandboxClient.applicationId;
      integratorId = (
        await ds
          .getRepository(ApplicationEntity)
          .findOneByOrFail({ id: sandboxApp })
      ).integratorId;
      sandboxSecret = (
        await issueClientSecret(ds, {
          clientId: sandboxApp,
          applicationId: sandboxApp,
          schoolId: null,
        })
      ).clientSecret;
      // A second application of the same integrator that only school A approved, and only
      // for roster-core.
      partialApp = randomUUID();
      const now = new Date();
      await ds.getRepository(ApplicationEntity).insert({
        id: partialApp,
        integratorId,
        name: 'Partial Planner',
        description: null,
        requestedScopes: [ROSTER_CORE, GRADEBOOK_READ],
        redirectUris: [PARTIAL_REDIRECT, 'http://partial.example.com/plain'],
        createdAt: now,
        updatedAt: now,
      });
      await ds.getRepository(ApprovalEntity).insert([
        {
          id: randomUUID(),
          schoolId: schoolA,
          applicationId: partialApp,
          status: 'approved',
          scopes: [ROSTER_CORE],
          requestedAt: now,
          decidedAt: now,
          decidedByAccountId: null,
        },
        {
          id: randomUUID(),
          schoolId: schoolB,
          applicationId: partialApp,
          status: 'pending',
          scopes: [],
          requestedAt: now,
          decidedAt: null,
          decidedByAccountId: null,
        },
      ]);
      partialSecret = (
        await issueClientSecret(ds, {
          clientId: partialApp,
          applicationId: partialApp,
          schoolId: null,
        })
      ).clientSecret;
      const passwordHash = await hashSecret(PASSWORD);
      const account = async (
        email: string,
        schools: string[],
        disabled = false,
      ) => {
        const id = randomUUID();
        accountIds[email] = id;
        await ds.getRepository(AccountEntity).insert({
          id,
          email,
          displayName: email.split('@')[0],
          passwordHash,
          platformRole: null,
          integratorId: null,
          disabled,
          createdAt: now,
        });
        for (const schoolId of schools)
          await ds.getRepository(AccountSchoolRoleEntity).insert({
            accountId: id,
            schoolId,
            role: 'teacher',
            userSourcedId: null,
          });
      };
      await account(emails.multi, [schoolA, schoolB]);
      await account(emails.onlyB, [schoolB]);
      await account(emails.disabled, [schoolA], true);
      await account(emails.throttled, [schoolA]);
    }, 180_000);

    afterAll(async () => {
      await ds?.destroy();
      await auth?.close();
    });

    const teacherA = () => demo.teachers[0].email;
    const jwks = () => createRemoteJWKSet(new URL(`${auth.issuer}/jwks`));

    const relyingParty = async (
      clientId: string,
      secret: string,
      hybrid = true,
      auth_method: 'basic' | 'post' = 'basic',
    ) => {
      const config = await oidc.discovery(
        new URL(auth.issuer),
        clientId,
        undefined,
        auth_method === 'basic'
          ? oidc.ClientSecretBasic(secret)
          : oidc.ClientSecretPost(secret),
        { execute: [oidc.allowInsecureRequests] },
      );
      if (hybrid) oidc.useCodeIdTokenResponseType(config);
      return config;
    };

    interface Attempt {
      url: URL;
      verifier: string;
      nonce: string;
      state: string;
    }
    const authorization = async (
      config: oidc.Configuration,
      params: Record<string, string> = {},
    ): Promise<Attempt> => {
      const verifier = oidc.randomPKCECodeVerifier();
      const nonce = oidc.randomNonce();
      const state = oidc.randomState();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: SANDBOX_REDIRECT,
        scope: `openid email profile offline_access ${ROSTER_CORE}`,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        nonce,
        state,
        // OpenID Connect Core §11: a refresh token (offline_access) needs prompt=consent.
        prompt: 'consent',
        ...params,
      });
      return { url, verifier, nonce, state };
    };

    /** Signs in and returns the client's callback URL (fragment mode). */
    const callback = async (
      browser: Browser,
      attempt: Attempt,
      email: string,
    ): Promise<URL> => {
      const { landing } = await signIn(browser, attempt.url, {
        email,
        password: PASSWORD,
      });
      if (landing.kind !== 'redirect')
        throw new Error(
          `expected a redirect to the client, got ${landing.status}: ${landing.html.slice(0, 300)}`,
        );
      const error = new URLSearchParams(landing.url.hash.slice(1)).get('error');
      if (error && error !== 'access_denied')
        throw new Error(`the client got ${landing.url.hash}`);
      return landing.url;
    };

    const exchange = (
      config: oidc.Configuration,
      attempt: Attempt,
      current: URL | Request,
    ) =>
      oidc.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: attempt.verifier,
        expectedNonce: attempt.nonce,
        expectedState: attempt.state,
      });

    const verifyAccessToken = async (token: string) => {
      expect(decodeProtectedHeader(token)).toMatchObject({
        alg: 'ES256',
        typ: 'at+jwt',
      });
      return (
        await jwtVerify(token, jwks(), {
          issuer: auth.issuer,
          audience: TEST_AUDIENCE,
          typ: 'at+jwt',
        })
      ).payload;
    };

    it('publishes discovery for the hybrid flow: code id_token and code, S256, ES256, no registration', async () => {
      const meta = (await (
        await fetch(`${auth.issuer}/.well-known/openid-configuration`)
      ).json()) as Record<string, unknown>;
      expect(meta['response_types_supported']).toEqual([
        'code id_token',
        'code',
      ]);
      expect(meta['code_challenge_methods_supported']).toEqual(['S256']);
      expect(meta['id_token_signing_alg_values_supported']).toEqual(['ES256']);
      expect(meta['authorization_response_iss_parameter_supported']).toBe(true);
      expect(meta['registration_endpoint']).toBeUndefined();
      expect(meta['userinfo_endpoint']).toBeUndefined();
      expect(meta['dpop_signing_alg_values_supported']).toBeUndefined();
      expect(meta['response_modes_supported']).toEqual(
        expect.arrayContaining(['form_post', 'fragment']),
      );
      expect(meta['grant_types_supported']).toEqual(
        expect.arrayContaining([
          'authorization_code',
          'refresh_token',
          'client_credentials',
          'implicit',
        ]),
      );
      expect(meta['end_session_endpoint']).toBe(`${auth.issuer}/session/end`);
      expect(meta['token_endpoint_auth_methods_supported']).toEqual([
        'client_secret_basic',
        'client_secret_post',
      ]);
    });

    it('signs a teacher in with code id_token (fragment): c_hash, nonce, iss; an at+jwt for the approved school only', async () => {
      const config = await relyingParty(sandboxApp, sandboxSecret);
      const attempt = await authorization(config);
      const browser = new Browser();
      const { landing, signInPage } = await signIn(browser, attempt.url, {
        email: teacherA(),
        password: PASSWORD,
      });
      // The sign-in page: accessible form, strict headers, form-action allowing the client.
      expect(signInPage?.status).toBe(200);
      const html = signInPage?.html ?? '';
      expect(html).toContain('<label for="email">');
      expect(html).toContain('name="password"');
      expect(html).toContain('role="alert"');
      expect(html).toContain('name="viewport"');
      expect(html).toContain('Sandbox Explorer');
      const csp = signInPage?.res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain(
        "form-action 'self' https://sandbox-learning.example.com",
      );
      expect(csp).not.toMatch(/https?:\/\/(?!sandbox-learning)/);
      expect(signInPage?.res.headers.get('x-frame-options')).toBe('DENY');
      const interactionCookie = browser.jar.received.get('_interaction') ?? '';
      expect(interactionCookie).toMatch(/httponly/i);
      expect(interactionCookie).toMatch(/samesite=lax/i);
      expect(browser.jar.received.get('_session')).toMatch(/httponly/i);

      expect(landing.kind).toBe('redirect');
      const url = landing.url;
      expect(`${url.origin}${url.pathname}`).toBe(SANDBOX_REDIRECT);
      const fragment = new URLSearchParams(url.hash.slice(1));
      expect(fragment.get('iss')).toBe(auth.issuer);
      expect(fragment.get('state')).toBe(attempt.state);
      const frontIdToken = decodeJwt(fragment.get('id_token') ?? '');
      expect(frontIdToken).toMatchObject({
        nonce: attempt.nonce,
        aud: sandboxApp,
        c_hash: expect.any(String),
      });

      const tokens = await exchange(config, attempt, url);
      const claims = tokens.claims();
      expect(claims).toMatchObject({
        sub: frontIdToken.sub,
        email: teacherA(),
        name: expect.any(String),
        nonce: attempt.nonce,
      });
      expect(claims?.['school_ids']).toBeUndefined();
      expect(tokens.refresh_token).toEqual(expect.any(String));
      const at = await verifyAccessToken(tokens.access_token);
      expect(at).toMatchObject({
        sub: frontIdToken.sub,
        client_id: sandboxApp,
        school_ids: [schoolA],
        integrator_id: integratorId,
        scope: ROSTER_CORE,
      });
      expect(Number(at.exp) - Number(at.iat)).toBe(300);
    });

    it('rejects a front-channel ID token with the wrong nonce (openid-client checks it)', async () => {
      const config = await relyingParty(sandboxApp, sandboxSecret);
      const attempt = await authorization(config);
      const url = await callback(new Browser(), attempt, teacherA());
      await expect(
        exchange(config, { ...attempt, nonce: oidc.randomNonce() }, url),
      ).rejects.toThrow(/unexpected JWT claim value/);
    });

    it('answers with form_post (client_secret_post) and the CSP does not block the post', async () => {
      const config = await relyingParty(
        sandboxApp,
        sandboxSecret,
        true,
        'post',
      );
      const attempt = await authorization(config, {
        response_mode: 'form_post',
      });
      const { landing } = await signIn(new Browser(), attempt.url, {
        email: teacherA(),
        password: PASSWORD,
      });
      expect(landing.kind).toBe('page');
      if (landing.kind !== 'page') return;
      expect(landing.status).toBe(200);
      const csp = landing.res.headers.get('content-security-policy') ?? '';
      expect(csp).not.toContain('form-action');
      expect(csp).toMatch(/script-src 'self' 'sha256-/);
      const { action, fields } = formOf(landing.html);
      expect(action).toBe(SANDBOX_REDIRECT);
      expect(Object.keys(fields).sort()).toEqual([
        'code',
        'id_token',
        'iss',
        'state',
      ]);
      const tokens = await exchange(
        config,
        attempt,
        new Request(action, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(fields),
        }),
      );
      expect(tokens.claims()?.sub).toEqual(expect.any(String));
      await expect(
        verifyAccessToken(tokens.access_token),
      ).resolves.toMatchObject({ school_ids: [schoolA] });
    });

    it('refuses a replayed code and revokes what the first exchange issued', async () => {
      const config = await relyingParty(sandboxApp, sandboxSecret);
      const attempt = await authorization(config);
      const url = await callback(new Browser(), attempt, teacherA());
      const first = await exchange(config, attempt, url);
      await expect(exchange(config, attempt, url)).rejects.toMatchObject({
        error: 'invalid_grant',
      });
      await expect(
        oidc.refreshTokenGrant(config, first.refresh_token ?? ''),
      ).rejects.toMatchObject({ error: 'invalid_grant' });
    });

    it('refuses a missing or wrong PKCE verifier, and a hybrid request without nonce or PKCE', async () => {
      const config = await relyingParty(sandboxApp, sandboxSecret);
      const wrong = await authorization(config);
      const url = await callback(new Browser(), wrong, teacherA());
      await expect(
        exchange(
          config,
          { ...wrong, verifier: oidc.randomPKCECodeVerifier() },
          url,
        ),
      ).rejects.toMatchObject({ error: 'invalid_grant' });

      const missing = await authorization(config);
      const url2 = await callback(new Browser(), missing, teacherA());
      await expect(
        oidc.authorizationCodeGrant(config, url2, {
          expectedNonce: missing.nonce,
          expectedState: missing.state,
        }),
      ).rejects.toMatchObject({ error: 'invalid_grant' });

      for (const drop of ['code_challenge', 'nonce']) {
        const attempt = await authorization(config);
        attempt.url.searchParams.delete(drop);
        if (drop === 'code_challenge')
          attempt.url.searchParams.delete('code_challenge_method');
        const landing = await follow(new Browser(), attempt.url, origin);
        expect(landing.kind).toBe('redirect');
        const error = new URLSearchParams(
          landing.kind === 'redirect' ? landing.url.hash.slice(1) : '',
        );
        expect(error.get('error')).toBe('invalid_request');
        expect(error.get('state')).toBe(attempt.state);
      }
    });

    it('shows an error page, and never redirects, for an unregistered redirect URI', async () => {
      const config = await relyingParty(sandboxApp, sandboxSecret);
      for (const redirect of [
        `${SANDBOX_REDIRECT}/`,
        SANDBOX_REDIRECT.replace('https:', 'http:'),
        `${SANDBOX_REDIRECT}?x=1`,
        SANDBOX_REDIRECT.toUpperCase(),
        'https://attacker.example/cb',
        'http://localhost:8080/callback',
      ]) {
        const attempt = await authorization(config, { redirect_uri: redirect });
        const res = await new Browser().fetch(attempt.url);
        expect(res.status).toBe(400);
        expect(res.headers.get('location')).toBeNull();
        expect(res.headers.get('content-type')).toMatch(/text\/html/);
        expect(await res.text()).toContain('redirect_uri');
      }
    });

    it('ends with access_denied at the redirect URI for a user whose schools did not approve the application', async () => {
      const config = await relyingParty(partialApp, partialSecret);
      const attempt = await authorization(config, {
        redirect_uri: PARTIAL_REDIRECT,
      });
      const url = await callback(new Browser(), attempt, emails.onlyB);
      expect(`${url.origin}${url.pathname}`).toBe(PARTIAL_REDIRECT);
      const params = new URLSearchParams(url.hash.slice(1));
      expect(params.get('error')).toBe('access_denied');
      expect(params.get('state')).toBe(attempt.state);
      expect(params.get('iss')).toBe(auth.issuer);
      expect(params.get('code')).toBeNull();
    });

    it('gives a multi-school teacher only the schools that approved the application, and only their scopes', async () => {
      const partial = await relyingParty(partialApp, partialSecret);
      const attempt = await authorization(partial, {
        redirect_uri: PARTIAL_REDIRECT,
        scope: `openid offline_access ${ROSTER_CORE} ${GRADEBOOK_READ}`,
      });
      const tokens = await exchange(
        partial,
        attempt,
        await callback(new Browser(), attempt, emails.multi),
      );
      await expect(
        verifyAccessToken(tokens.access_token),
      ).resolves.toMatchObject({
        school_ids: [schoolA],
        scope: ROSTER_CORE,
        sub: accountIds[emails.multi],
        client_id: partialApp,
      });

      const sandbox = await relyingParty(sandboxApp, sandboxSecret);
      const both = await authorization(sandbox);
      const all = await exchange(
        sandbox,
        both,
        await callback(new Browser(), both, emails.multi),
      );
      const at = await verifyAccessToken(all.access_token);
      expect([...(at['school_ids'] as string[])].sort()).toEqual(
        [schoolA, schoolB].sort(),
      );
    });

    it('names in a user token only the schools whose own approval includes one of its scopes', async () => {
      // School A approved roster-core only, school B demographics and gradebook reads: a
      // token for gradebook reads carries the union of what was asked and approved, and
      // names school B alone (the API checks each school's scopes on every request too).
      const approvals = ds.getRepository(ApprovalEntity);
      const saved = await approvals.findBy({ applicationId: sandboxApp });
      await approvals.update(
        { schoolId: schoolA, applicationId: sandboxApp },
        { scopes: [ROSTER_CORE] },
      );
      await approvals.update(
        { schoolId: schoolB, applicationId: sandboxApp },
        {
          scopes: [ONEROSTER_SCOPES.rosterDemographics, GRADEBOOK_READ],
        },
      );
      try {
        const config = await relyingParty(sandboxApp, sandboxSecret);
        const tokenFor = async (scope: string) => {
          const attempt = await authorization(config, {
            scope: `openid ${scope}`,
          });
          const tokens = await exchange(
            config,
            attempt,
            await callback(new Browser(), attempt, emails.multi),
          );
          return verifyAccessToken(tokens.access_token);
        };
        await expect(tokenFor(GRADEBOOK_READ)).resolves.toMatchObject({
          school_ids: [schoolB],
          scope: GRADEBOOK_READ,
        });
        const both = await tokenFor(
          `${ROSTER_CORE} ${GRADEBOOK_READ} ${ONEROSTER_SCOPES.gradebookDelete}`,
        );
        expect([...(both['school_ids'] as string[])].sort()).toEqual(
          [schoolA, schoolB].sort(),
        );
        expect(String(both['scope']).split(' ').sort()).toEqual(
          [ROSTER_CORE, GRADEBOOK_READ].sort(),
        );
      } finally {
        for (const approval of saved)
          await approvals.update(
            { id: approval.id },
            { scopes: approval.scopes },
          );
      }
    });

    it('grants 1.2 scopes of the categories each school approved, and names only those schools', async () => {
      // School A approved 1.1 roster-core, school B 1.1 gradebook reads: their 1.2
      // counterparts are granted; 1.2 roster (not roster-core) and unapproved ones are dropped.
      const approvals = ds.getRepository(ApprovalEntity);
      const saved = await approvals.findBy({ applicationId: sandboxApp });
      await approvals.update(
        { schoolId: schoolA, applicationId: sandboxApp },
        { scopes: [ROSTER_CORE] },
      );
      await approvals.update(
        { schoolId: schoolB, applicationId: sandboxApp },
        { scopes: [GRADEBOOK_READ] },
      );
      try {
        const config = await relyingParty(sandboxApp, sandboxSecret);
        const tokenFor = async (scope: string) => {
          const attempt = await authorization(config, {
            scope: `openid ${scope}`,
          });
          const tokens = await exchange(
            config,
            attempt,
            await callback(new Browser(), attempt, emails.multi),
          );
          return verifyAccessToken(tokens.access_token);
        };
        await expect(
          tokenFor(
            `${ONEROSTER_V1P2_SCOPES.gradebookRead} ${ONEROSTER_V1P2_SCOPES.assessmentRead}`,
          ),
        ).resolves.toMatchObject({
          school_ids: [schoolB],
          scope: ONEROSTER_V1P2_SCOPES.gradebookRead,
        });
        const both = await tokenFor(
          `${ONEROSTER_V1P2_SCOPES.rosterCore} ${ONEROSTER_V1P2_SCOPES.roster} ${ONEROSTER_V1P2_SCOPES.gradebookCore} ${ONEROSTER_V1P2_SCOPES.rosterDemographics}`,
        );
        expect([...(both['school_ids'] as string[])].sort()).toEqual(
          [schoolA, schoolB].sort(),
        );
        expect(String(both['scope']).split(' ').sort()).toEqual(
          [
            ONEROSTER_V1P2_SCOPES.rosterCore,
            ONEROSTER_V1P2_SCOPES.gradebookCore,
          ].sort(),
        );
      } finally {
        for (const approval of saved)
          await approvals.update(
            { id: approval.id },
            { scopes: approval.scopes },
          );
      }
    });

    it('rotates refresh tokens, re-evaluates approvals, and revokes the grant when a used one comes back', async () => {
      const config = await relyingParty(sandboxApp, sandboxSecret);
      const attempt = await authorization(config);
      const browser = new Browser();
      const first = await exchange(
        config,
        attempt,
        await callback(browser, attempt, emails.multi),
      );
      const second = await oidc.refreshTokenGrant(
        config,
        first.refresh_token ?? '',
      );
      expect(second.refresh_token).toEqual(expect.any(String));
      expect(second.refresh_token).not.toBe(first.refresh_token);
      const at = await verifyAccessToken(second.access_token);
      expect((at['school_ids'] as string[]).length).toBe(2);

      // School B revokes: the next refresh reaches school A only.
      await ds.getRepository(ApprovalEntity).update(
        { schoolId: schoolB, applicationId: sandboxApp },
        {
          status: 'revoked',
        },
      );
      let third: oidc.TokenEndpointResponse;
      try {
        third = await oidc.refreshTokenGrant(
          config,
          second.refresh_token ?? '',
        );
      } finally {
        await ds.getRepository(ApprovalEntity).update(
          { schoolId: schoolB, applicationId: sandboxApp },
          {
            status: 'approved',
          },
        );
      }
      await expect(
        verifyAccessToken(third.access_token),
      ).resolves.toMatchObject({ school_ids: [schoolA] });

      // The used refresh token again: refused, and the whole grant is gone.
      await expect(
        oidc.refreshTokenGrant(config, second.refresh_token ?? ''),
      ).rejects.toMatchObject({ error: 'invalid_grant' });
      await expect(
        oidc.refreshTokenGrant(config, third.refresh_token ?? ''),
      ).rejects.toMatchObject({ error: 'invalid_grant' });
    });

    it('revokes a refresh token on request (RFC 7009), for its own client only', async () => {
      const config = await relyingParty(sandboxApp, sandboxSecret);
      const attempt = await authorization(config);
      const tokens = await exchange(
        config,
        attempt,
        await callback(new Browser(), attempt, teacherA()),
      );
      const other = await relyingParty(partialApp, partialSecret);
      // Another client's revocation request leaves the token alone.
      await oidc
        .tokenRevocation(other, tokens.refresh_token ?? '')
        .catch(() => undefined);
      const refreshed = await oidc.refreshTokenGrant(
        config,
        tokens.refresh_token ?? '',
      );
      await oidc.tokenRevocation(config, refreshed.refresh_token ?? '');
      await expect(
        oidc.refreshTokenGrant(config, refreshed.refresh_token ?? ''),
      ).rejects.toMatchObject({ error: 'invalid_grant' });
    });

    it('refuses a refresh once no school of the user approves the application any more', async () => {
      const config = await relyingParty(partialApp, partialSecret);
      const attempt = await authorization(config, {
        redirect_uri: PARTIAL_REDIRECT,
      });
      const tokens = await exchange(
        config,
        attempt,
        await callback(new Browser(), attempt, emails.multi),
      );
      const approvals = ds.getRepository(ApprovalEntity);
      await approvals.update(
        { schoolId: schoolA, applicationId: partialApp },
        { status: 'revoked' },
      );
      try {
        await expect(
          oidc.refreshTokenGrant(config, tokens.refresh_token ?? ''),
        ).rejects.toMatchObject({ error: 'access_denied' });
      } finally {
        await approvals.update(
          { schoolId: schoolA, applicationId: partialApp },
          { status: 'approved' },
        );
      }
    });

    it('signs out with id_token_hint to a registered post-logout URI after our confirm page', async () => {
      const config = await relyingParty(sandboxApp, sandboxSecret);
      const attempt = await authorization(config);
      const browser = new Browser();
      const tokens = await exchange(
        config,
        attempt,
        await callback(browser, attempt, teacherA()),
      );
      expect(browser.jar.has('_session')).toBe(true);

      // An unregistered post-logout URI: error page, no redirect.
      const bad = await browser.fetch(
        oidc.buildEndSessionUrl(config, {
          id_token_hint: tokens.id_token ?? '',
          post_logout_redirect_uri: 'https://attacker.example/',
        }),
      );
      expect(bad.status).toBe(400);
      expect(bad.headers.get('location')).toBeNull();

      const page = await follow(
        browser,
        oidc.buildEndSessionUrl(config, {
          id_token_hint: tokens.id_token ?? '',
          post_logout_redirect_uri: 'https://sandbox-learning.example.com/',
          state: 'bye',
        }),
        origin,
      );
      expect(page.kind).toBe('page');
      if (page.kind !== 'page') return;
      expect(page.html).toContain('Sign out');
      expect(page.res.headers.get('content-security-policy')).toContain(
        "form-action 'self' https://sandbox-learning.example.com",
      );
      const { action, fields } = formOf(page.html);
      const done = await follow(
        browser,
        new URL(action, page.url),
        origin,
        await browser.post(new URL(action, page.url), {
          ...fields,
          logout: 'yes',
        }),
      );
      expect(done.kind).toBe('redirect');
      expect(done.kind === 'redirect' && done.url.href).toBe(
        'https://sandbox-learning.example.com/?state=bye',
      );
      expect(browser.jar.has('_session')).toBe(false);

      // Signed out: the next authorization request asks to sign in again.
      const again = await authorization(config);
      const landing = await follow(browser, again.url, origin);
      expect(landing.kind === 'page' && landing.url.pathname).toMatch(
        /^\/interaction\//,
      );
    });

    it('refuses a wrong password and an unknown email with the same message, and no redirect', async () => {
      const config = await relyingParty(sandboxApp, sandboxSecret);
      for (const credentials of [
        { email: emails.disabled, password: 'wrong' },
        { email: teacherA(), password: 'wrong' },
        { email: 'nobody@schools.example.org', password: PASSWORD },
      ]) {
        const attempt = await authorization(config);
        const { landing } = await signIn(
          new Browser(),
          attempt.url,
          credentials,
        );
        expect(landing.kind).toBe('page');
        if (landing.kind !== 'page') continue;
        expect(landing.status).toBe(401);
        expect(landing.html).toContain(
          'The email address or password is wrong.',
        );
        expect(landing.html).toContain('aria-invalid="true"');
      }
    });

    it('tells a disabled account with the right password that it is disabled, and does not sign it in', async () => {
      const config = await relyingParty(sandboxApp, sandboxSecret);
      const attempt = await authorization(config);
      const { landing } = await signIn(new Browser(), attempt.url, {
        email: emails.disabled,
        password: PASSWORD,
      });
      expect(landing.kind).toBe('page');
      if (landing.kind !== 'page') return;
      expect(landing.status).toBe(403);
      expect(landing.html).toContain('This account is disabled.');
      expect(landing.html).not.toContain('The email address or password');
    });

    it('throttles failed sign-ins per email and IP address with 429 and Retry-After', async () => {
      const config = await relyingParty(sandboxApp, sandboxSecret);
      const attempt = await authorization(config);
      const browser = new Browser();
      const page = await follow(browser, attempt.url, origin);
      const login = new URL(`${page.url.pathname}/login`, page.url);
      for (let i = 0; i < 5; i++) {
        const res = await browser.post(login, {
          email: emails.throttled,
          password: 'wrong',
        });
        expect(res.status).toBe(401);
      }
      const refused = await browser.post(login, {
        email: emails.throttled,
        password: PASSWORD,
      });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await refused.text()).toContain('Too many failed attempts');
      // Another email from the same address is not affected.
      const other = await browser.post(login, {
        email: teacherA(),
        password: PASSWORD,
      });
      expect(other.status).toBe(303);
    });

    it('answers an unknown or expired sign-in page with an error page', async () => {
      const res = await new Browser().fetch(
        `${origin}/interaction/no-such-uid`,
      );
      expect(res.status).toBe(400);
      expect(res.headers.get('content-security-policy')).toContain(
        "default-src 'none'",
      );
      expect(await res.text()).toContain('Sign-in expired');
    });

    it('refuses a sign-in posted from another origin or without the interaction cookie', async () => {
      const config = await relyingParty(sandboxApp, sandboxSecret);
      const attempt = await authorization(config);
      const browser = new Browser();
      const page = await follow(browser, attempt.url, origin);
      const login = new URL(`${page.url.pathname}/login`, page.url);
      const credentials = { email: teacherA(), password: PASSWORD };
      const foreign = await browser.post(login, credentials, {
        origin: 'https://attacker.example',
      });
      expect(foreign.status).toBe(403);
      // A browser under no-referrer sends `Origin: null`; only its own Sec-Fetch-Site
      // statement makes that a same-origin post.
      const opaque = await browser.post(login, credentials, {
        origin: 'null',
        'sec-fetch-site': 'cross-site',
      });
      expect(opaque.status).toBe(403);
      const noCookie = await new Browser().post(login, credentials);
      expect(noCookie.status).toBe(400);
      expect(noCookie.headers.get('location')).toBeNull();
      const ok = await browser.post(login, credentials, {
        origin: 'null',
        'sec-fetch-site': 'same-origin',
      });
      expect(ok.status).toBe(303);
    });

    it("never lets the application's OIDC client use client credentials; school clients still work", async () => {
      const refused = await requestToken(
        auth.tokenUrl,
        sandboxApp,
        sandboxSecret,
      );
      expect(refused.status).toBe(400);
      expect(refused.body['error_description']).toBe(
        'requested grant type is not allowed for this client',
      );
      expect(refused.body['access_token']).toBeUndefined();
      const cc = await requestToken(
        auth.tokenUrl,
        demo.clients[0].clientId,
        'sandbox-test-secret',
      );
      expect(cc.status).toBe(200);
      await expect(
        verifyAccessToken(String(cc.body['access_token'])),
      ).resolves.toMatchObject({ school_ids: [schoolA] });
    });

    it('signs anyone with an account in to the admin portal (code + PKCE, http://localhost), with no API access', async () => {
      const config = await relyingParty('admin-portal', PORTAL_SECRET, false);
      const hybrid = await authorization(config, {
        redirect_uri: PORTAL_REDIRECT,
        response_type: 'code id_token',
        scope: 'openid email profile',
      });
      const refusedHybrid = await follow(new Browser(), hybrid.url, origin);
      expect(refusedHybrid.kind).toBe('redirect');
      const refusal = new URLSearchParams(
        refusedHybrid.kind === 'redirect'
          ? refusedHybrid.url.hash.slice(1)
          : '',
      );
      expect(refusal.get('error')).toBe('invalid_request');
      expect(refusal.get('code')).toBeNull();
      expect(refusal.get('id_token')).toBeNull();

      const attempt = await authorization(config, {
        redirect_uri: PORTAL_REDIRECT,
        scope: 'openid email profile',
      });
      const browser = new Browser();
      const { landing } = await signIn(browser, attempt.url, {
        email: demo.operatorEmail,
        password: PASSWORD,
      });
      expect(landing.kind).toBe('redirect');
      if (landing.kind !== 'redirect') return;
      expect(`${landing.url.origin}${landing.url.pathname}`).toBe(
        PORTAL_REDIRECT,
      );
      expect(landing.url.searchParams.get('iss')).toBe(auth.issuer);
      const tokens = await oidc.authorizationCodeGrant(config, landing.url, {
        pkceCodeVerifier: attempt.verifier,
        expectedNonce: attempt.nonce,
        expectedState: attempt.state,
      });
      expect(tokens.claims()).toMatchObject({
        email: demo.operatorEmail,
        aud: 'admin-portal',
      });
      // An opaque token for this server only: not an API token, no school.
      expect(tokens.access_token.split('.')).toHaveLength(1);
      expect(tokens.refresh_token).toBeUndefined();

      // Logout back to the portal's origin (http://localhost is registered for it).
      const logout = await follow(
        browser,
        oidc.buildEndSessionUrl(config, {
          id_token_hint: tokens.id_token ?? '',
          post_logout_redirect_uri: 'http://localhost:4200/',
        }),
        origin,
      );
      expect(logout.kind).toBe('page');
      if (logout.kind !== 'page') return;
      const { action, fields } = formOf(logout.html);
      const done = await follow(
        browser,
        new URL(action, logout.url),
        origin,
        await browser.post(new URL(action, logout.url), {
          ...fields,
          logout: 'yes',
        }),
      );
      expect(done.kind === 'redirect' && done.url.href).toBe(
        'http://localhost:4200/',
      );
      await expect(
        requestToken(auth.tokenUrl, 'admin-portal', PORTAL_SECRET),
      ).resolves.toMatchObject({ status: 400 });
    });

    it('accepts the previous OIDC client secret during a rotation', async () => {
      const rotated = await issueClientSecret(ds, {
        clientId: partialApp,
        applicationId: partialApp,
        schoolId: null,
      });
      const old = await relyingParty(partialApp, partialSecret);
      const fresh = await relyingParty(partialApp, rotated.clientSecret);
      for (const config of [old, fresh]) {
        const attempt = await authorization(config, {
          redirect_uri: PARTIAL_REDIRECT,
        });
        const tokens = await exchange(
          config,
          attempt,
          await callback(new Browser(), attempt, teacherA()),
        );
        expect(tokens.access_token).toEqual(expect.any(String));
      }
      partialSecret = rotated.clientSecret;
      await expect(
        relyingParty(partialApp, 'not-the-secret').then(async (config) => {
          const attempt = await authorization(config, {
            redirect_uri: PARTIAL_REDIRECT,
          });
          return exchange(
            config,
            attempt,
            await callback(new Browser(), attempt, teacherA()),
          );
        }),
      ).rejects.toMatchObject({
        name: 'WWWAuthenticateChallengeError',
        status: 401,
      });
    });
  },
);
