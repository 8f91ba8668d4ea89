import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { request } from 'node:http';
import type { DataSource } from 'typeorm';
import {
  ONEROSTER_SCOPES,
  PORTAL_CSRF_HEADER,
  PORTAL_SESSION_COOKIE,
} from '@oneroster/contracts';
import { openDatabase } from '@oneroster/database';
import { testEngines } from '@oneroster/database/testing';
import type { DemoCredentials } from '@oneroster/demo-data';
import { AccountEntity, AuditEventEntity } from '@oneroster/entities';
import { Browser, follow } from '@oneroster/testing-browser';
import { hashSecret } from '@oneroster/util-secrets';
import { sessionFor } from './portal-support';
import {
  basic,
  seededDatabase,
  startTestAuth,
  TEST_SECRET,
  TestAuth,
} from './support';

/*
 * The client's address on the real auth server, as sign-in throttling, the token endpoint's
 * rate limit and the audit trail use it: X-Forwarded-For counts only as far as
 * AUTH_TRUST_PROXY trusts the hops, read from the right. Requests leave from chosen loopback
 * addresses (127.0.0.2, …, which Linux routes to this host) to play proxies and clients.
 */
const PASSWORD = 'pw';
const PORTAL_REDIRECT = 'http://localhost:4200/portal/auth/callback';

interface Answer {
  status: number;
  text: string;
}

/** One HTTP request from `localAddress` (default 127.0.0.1) with exactly these headers. */
function send(
  url: URL | string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    localAddress?: string;
  } = {},
): Promise<Answer> {
  const body = options.body ?? '';
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        localAddress: options.localAddress ?? '127.0.0.1',
        headers: {
          ...options.headers,
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const [engine] = testEngines('auth_client_address', { sqliteFile: true });

describe('client addresses', () => {
  let seeded: { database: TestAuth['database']; demo: DemoCredentials };
  let ds: DataSource;
  let integratorId: string;

  beforeAll(async () => {
    seeded = await seededDatabase(engine);
    ds = await openDatabase(seeded.database);
    integratorId = (
      await ds
        .getRepository(AccountEntity)
        .findOneByOrFail({ email: seeded.demo.developerEmail })
    ).integratorId as string;
  }, 180_000);

  afterAll(async () => {
    await ds?.destroy();
  });

  /** Boots an auth server trusting `trust` (unset: the default), with small limits. */
  const boot = (trust?: string) =>
    startTestAuth(seeded.database, {
      ...(trust === undefined ? {} : { AUTH_TRUST_PROXY: trust }),
      AUTH_SIGNIN_LIMIT_PER_EMAIL_IP: '3',
      AUTH_SIGNIN_LIMIT_PER_EMAIL: '100',
      AUTH_TOKEN_RATE_LIMIT: '3',
    });

  const newAccount = async () => {
    const email = `addr-${randomUUID()}@schools.example.org`;
    await ds.getRepository(AccountEntity).insert({
      id: randomUUID(),
      email,
      displayName: 'Address test',
      passwordHash: await hashSecret(PASSWORD),
      platformRole: null,
      integratorId: null,
      disabled: false,
      createdAt: new Date(),
    });
    return email;
  };

  /**
   * Wrong-password sign-in attempts for a new account, one per X-Forwarded-For value, each
   * from `localAddress`: the statuses (401 checked and wrong, 429 throttled).
   */
  async function wrongPasswords(
    auth: TestAuth,
    forwardedFor: string[],
    localAddress = '127.0.0.1',
    email?: string,
  ): Promise<number[]> {
    const account = email ?? (await newAccount());
    const browser = new Browser();
    const verifier = randomBytes(32).toString('base64url');
    const start = new URL(`${auth.issuer}/auth`);
    start.search = new URLSearchParams({
      client_id: 'admin-portal',
      response_type: 'code',
      redirect_uri: PORTAL_REDIRECT,
      scope: 'openid',
      state: randomUUID(),
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    const page = await follow(browser, start, start.origin);
    if (page.kind !== 'page' || !/\/interaction\//.test(page.url.pathname))
      throw new Error(`expected the sign-in page, got ${page.kind}`);
    const login = new URL(`${page.url.pathname}/login`, page.url);
    const statuses: number[] = [];
    for (const xff of forwardedFor)
      statuses.push(
        (
          await send(login, {
            method: 'POST',
            localAddress,
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              cookie: browser.jar.header(login) ?? '',
              origin: login.origin,
              'x-forwarded-for': xff,
            },
            body: new URLSearchParams({
              email: account,
              password: 'wrong',
            }).toString(),
          })
        ).status,
      );
    return statuses;
  }

  /** Client-credentials token requests, one per X-Forwarded-For value: the statuses. */
  async function tokenRequests(
    auth: TestAuth,
    forwardedFor: string[],
  ): Promise<number[]> {
    const client = seeded.demo.clients[0].clientId;
    const statuses: number[] = [];
    for (const xff of forwardedFor)
      statuses.push(
        (
          await send(auth.tokenUrl, {
            method: 'POST',
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              authorization: basic(client, TEST_SECRET),
              'x-forwarded-for': xff,
            },
            body: 'grant_type=client_credentials',
          })
        ).status,
      );
    return statuses;
  }

  /** The address the audit trail records for a portal API write sent with these headers. */
  async function auditedAddress(
    auth: TestAuth,
    forwardedFor: string,
    localAddress = '127.0.0.1',
  ): Promise<string | null> {
    const session = await sessionFor(ds, seeded.demo.developerEmail);
    const base = auth.issuer.replace(/\/oidc$/, '');
    const created = await send(
      `${base}/portal/api/integrators/${integratorId}/applications`,
      {
        method: 'POST',
        localAddress,
        headers: {
          'content-type': 'application/json',
          cookie: `${PORTAL_SESSION_COOKIE}=${encodeURIComponent(session.cookie)}`,
          [PORTAL_CSRF_HEADER]: session.csrf,
          'x-forwarded-for': forwardedFor,
        },
        body: JSON.stringify({
          name: `Address app ${randomUUID().slice(0, 8)}`,
          description: 'Client address test',
          requestedScopes: [ONEROSTER_SCOPES.roster],
          redirectUris: ['https://reading.example.com/callback'],
        }),
      },
    );
    expect(created.status).toBe(201);
    const { id } = JSON.parse(created.text) as { id: string };
    const event = await ds.getRepository(AuditEventEntity).findOneByOrFail({
      action: 'application.created',
      targetId: id,
    });
    return event.actorIp;
  }

  const rotating = (n: number, last?: string) =>
    Array.from({ length: n }, (_, i) =>
      last ? `203.0.113.${i + 1}, ${last}` : `203.0.113.${i + 1}`,
    );

  describe('trusting no proxy (the default)', () => {
    let auth: TestAuth;
    beforeAll(async () => {
      auth = await boot();
    }, 60_000);
    afterAll(async () => {
      await auth?.close();
    });

    it('sign-in throttling still trips when the attacker rotates X-Forwarded-For', async () => {
      expect(await wrongPasswords(auth, rotating(5))).toEqual([
        401, 401, 401, 429, 429,
      ]);
    });

    it('the token rate limit still trips when the attacker rotates X-Forwarded-For', async () => {
      expect(await tokenRequests(auth, rotating(5))).toEqual([
        200, 200, 200, 429, 429,
      ]);
    });

    it('the audit trail records the connection, not the header', async () => {
      expect(await auditedAddress(auth, '198.51.100.23')).toBe('127.0.0.1');
    });
  });

  describe('trusting one proxy (AUTH_TRUST_PROXY=1)', () => {
    let auth: TestAuth;
    beforeAll(async () => {
      auth = await boot('1');
    }, 60_000);
    afterAll(async () => {
      await auth?.close();
    });

    it('the audit trail records the address the proxy appended, not what the client wrote', async () => {
      expect(await auditedAddress(auth, '203.0.113.9, 198.51.100.7')).toBe(
        '198.51.100.7',
      );
      expect(await auditedAddress(auth, '198.51.100.8')).toBe('198.51.100.8');
    });

    it('sign-in throttling counts the last hop, whatever the client put before it', async () => {
      const email = await newAccount();
      expect(
        await wrongPasswords(
          auth,
          rotating(5, '198.51.100.7'),
          '127.0.0.1',
          email,
        ),
      ).toEqual([401, 401, 401, 429, 429]);
      // Another client behind the same proxy is its own address.
      expect(
        await wrongPasswords(auth, ['198.51.100.8'], '127.0.0.1', email),
      ).toEqual([401]);
    });

    it('the token rate limit counts the last hop, whatever the client put before it', async () => {
      expect(await tokenRequests(auth, rotating(5, '198.51.100.7'))).toEqual([
        200, 200, 200, 429, 429,
      ]);
      expect(await tokenRequests(auth, ['198.51.100.8'])).toEqual([200]);
    });
  });

  describe('trusting listed proxies (AUTH_TRUST_PROXY=127.0.0.2/32)', () => {
    let auth: TestAuth;
    beforeAll(async () => {
      auth = await boot('127.0.0.2/32');
    }, 60_000);
    afterAll(async () => {
      await auth?.close();
    });

    it("honours a listed proxy's X-Forwarded-For, read from the right", async () => {
      expect(
        await auditedAddress(auth, '203.0.113.9, 198.51.100.7', '127.0.0.2'),
      ).toBe('198.51.100.7');
    });

    it('ignores the header from any other peer', async () => {
      expect(await auditedAddress(auth, '198.51.100.7', '127.0.0.3')).toBe(
        '127.0.0.3',
      );
      expect(await wrongPasswords(auth, rotating(5), '127.0.0.3')).toEqual([
        401, 401, 401, 429, 429,
      ]);
    });
  });
});
