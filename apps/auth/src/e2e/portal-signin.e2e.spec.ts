import type { DataSource } from 'typeorm';
import {
  PORTAL_CSRF_HEADER,
  type PortalError,
  type PortalMe,
} from '@oneroster/contracts';
import { openDatabase } from '@oneroster/database';
import { testEngines } from '@oneroster/database/testing';
import type { DemoCredentials } from '@oneroster/demo-data';
import { AuditEventEntity } from '@oneroster/entities';
import { Browser, signIn } from '@oneroster/testing-browser';
import { emailWithRole } from './portal-support';
import { seededDatabase, startTestAuth, TestAuth } from './support';

const ADMIN_URL = 'http://portal.test';

/*
 * The portal's sign-in end to end, as a browser does it: /portal/auth/login → the
 * authorization server → the sign-in form → back to /portal/auth/callback (which the admin
 * origin forwards to this server) → a session cookie that opens /portal/api.
 */
describe.each(testEngines('auth_portal_signin', { sqliteFile: true }))(
  'portal sign-in on $name',
  (engine) => {
    let auth: TestAuth;
    let demo: DemoCredentials;
    let ds: DataSource;
    let base: string;

    beforeAll(async () => {
      const seeded = await seededDatabase(engine);
      demo = seeded.demo;
      auth = await startTestAuth(seeded.database, {
        ADMIN_PUBLIC_URL: ADMIN_URL,
      });
      ds = await openDatabase(seeded.database);
      base = auth.issuer.replace(/\/oidc$/, '');
    }, 120_000);

    afterAll(async () => {
      await ds?.destroy();
      await auth?.close();
    });

    /** What the admin origin's server does: forward /portal/* to the auth server. */
    const forwarded = (url: URL) =>
      new URL(`${url.pathname}${url.search}`, base);

    async function signInAs(
      browser: Browser,
      email: string,
      returnTo = '/approvals',
    ) {
      const login = await browser.fetch(
        `${base}/portal/auth/login?returnTo=${encodeURIComponent(returnTo)}`,
      );
      expect(login.status).toBe(302);
      const authorize = new URL(login.headers.get('location') as string);
      expect(authorize.href.startsWith(`${auth.issuer}/`)).toBe(true);
      expect(authorize.searchParams.get('client_id')).toBe('admin-portal');
      expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
      expect(authorize.searchParams.get('redirect_uri')).toBe(
        `${ADMIN_URL}/portal/auth/callback`,
      );
      const { landing } = await signIn(browser, authorize, {
        email,
        password: demo.password,
      });
      expect(landing.kind).toBe('redirect');
      expect(landing.url.origin).toBe(ADMIN_URL);
      return landing.url;
    }

    it('signs in with code + PKCE and opens a session for the portal API', async () => {
      const browser = new Browser();
      const email = await emailWithRole(
        ds,
        demo.clients[0].schoolId,
        'school_admin',
      );
      const callback = await signInAs(browser, email);
      const res = await browser.fetch(forwarded(callback));
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe(`${ADMIN_URL}/approvals`);
      const cookie = browser.jar.received.get('portal_session') as string;
      expect(cookie).toMatch(/^portal_session=[A-Za-z0-9_-]{43}; /);
      expect(cookie).toContain('Path=/portal');
      expect(cookie).toContain('HttpOnly');
      expect(cookie).toContain('SameSite=Lax');
      expect(cookie).not.toContain('Secure');

      const me = await browser.fetch(`${base}/portal/api/me`);
      expect(me.status).toBe(200);
      const body = (await me.json()) as PortalMe;
      expect(body.account.email).toBe(email);
      expect(body.schools[0].roles).toContain('school_admin');

      const audit = await ds.getRepository(AuditEventEntity).findOneBy({
        action: 'session.signed_in',
        actorAccountId: body.account.id,
      });
      expect(audit?.actorIp).toMatch(/127\.0\.0\.1/);

      // The sign-in cannot be replayed: its server-side state was used once.
      const replay = await browser.fetch(forwarded(callback));
      expect(replay.status).toBe(400);
      expect(((await replay.json()) as PortalError).error).toBe(
        'invalid_request',
      );

      const out = await browser.fetch(`${base}/portal/auth/logout`, {
        method: 'POST',
        headers: { [PORTAL_CSRF_HEADER]: body.csrfToken },
      });
      expect(out.status).toBe(200);
      const { endSessionUrl } = (await out.json()) as { endSessionUrl: string };
      expect(
        endSessionUrl.startsWith(ADMIN_URL) ||
          endSessionUrl.startsWith(auth.issuer),
      ).toBe(true);
      expect((await browser.fetch(`${base}/portal/api/me`)).status).toBe(401);
    });

    it('keeps returnTo on the portal (no open redirect)', async () => {
      const browser = new Browser();
      const callback = await signInAs(
        browser,
        demo.operatorEmail,
        '//evil.example.com/x',
      );
      const res = await browser.fetch(forwarded(callback));
      expect(res.headers.get('location')).toBe(`${ADMIN_URL}/`);
    });

    it('refuses a callback without the sign-in that started it', async () => {
      const browser = new Browser();
      const callback = await signInAs(browser, demo.operatorEmail);
      const stranger = new Browser();
      const res = await stranger.fetch(forwarded(callback));
      expect(res.status).toBe(400);
      expect(stranger.jar.has('portal_session')).toBe(false);
    });
  },
);
