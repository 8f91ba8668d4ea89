import { testEngines } from '@oneroster/database/testing';
import { seededDatabase, startTestAuth, TestAuth } from './support';

/*
 * Clickjacking (RFC 9700 §4.16): no page of the auth server may be framed, whether served
 * by its own routes (sign-in pages, portal API, Swagger UI, errors) or by oidc-provider.
 */
const [engine] = testEngines('auth_security_headers', { sqliteFile: true });

describe('auth server security headers', () => {
  let auth: TestAuth;
  let origin: string;

  beforeAll(async () => {
    const { database } = await seededDatabase(engine);
    auth = await startTestAuth(database);
    origin = new URL(auth.issuer).origin;
  }, 180_000);

  afterAll(async () => {
    await auth?.close();
  });

  it.each([
    ['an expired sign-in page', '/interaction/unknown'],
    ['the portal API', '/portal/api/session'],
    ['Swagger UI', '/docs'],
    ['health', '/health'],
    ['an unknown route', '/nowhere'],
    ['the provider (discovery)', '/oidc/.well-known/openid-configuration'],
    ['the provider (an error page)', '/oidc/auth?client_id=unknown'],
  ])(
    "forbids framing %s with a CSP frame-ancestors 'none'",
    async (_name, path) => {
      const res = await fetch(`${origin}${path}`, { redirect: 'manual' });
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain("frame-ancestors 'self'");
      expect(csp).toMatch(/default-src '(self|none)'/);
    },
  );
});
