import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { createServer } from 'node:net';
import type { DataSource } from 'typeorm';
import { openDatabase } from '@oneroster/database';
import { testEngines } from '@oneroster/database/testing';
import type { DemoCredentials } from '@oneroster/demo-data';
import { AccountEntity } from '@oneroster/entities';
import { Browser, follow } from '@oneroster/testing-browser';
import { hashSecret } from '@oneroster/util-secrets';
import { seededDatabase, startTestAuth, TestAuth } from './support';

/*
 * Sign-in throttling on the real auth server: attempts are counted before the password is
 * checked (parallel attempts cannot slip under the limit), per email across addresses, and
 * refused with 503 (never let through) when the shared store cannot be reached. Other
 * addresses come from the loopback range (127.0.0.2, …), which Linux routes to this host.
 */
const PASSWORD = 'pw';
const PORTAL_REDIRECT = 'http://localhost:4200/portal/auth/callback';

/** A sign-in page of the admin portal's client: its login URL, in `browser`. */
async function signInPage(auth: TestAuth, browser: Browser): Promise<URL> {
  const verifier = randomBytes(32).toString('base64url');
  const url = new URL(`${auth.issuer}/auth`);
  url.search = new URLSearchParams({
    client_id: 'admin-portal',
    response_type: 'code',
    redirect_uri: PORTAL_REDIRECT,
    scope: 'openid',
    state: randomUUID(),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const page = await follow(browser, url, url.origin);
  if (page.kind !== 'page' || !/\/interaction\//.test(page.url.pathname))
    throw new Error(`expected the sign-in page, got ${page.kind}`);
  return new URL(`${page.url.pathname}/login`, page.url);
}

/** POSTs the sign-in form from `localAddress`, with the browser's cookies. */
function postFrom(
  browser: Browser,
  login: URL,
  fields: Record<string, string>,
  localAddress = '127.0.0.1',
): Promise<{ status: number; retryAfter: string | undefined; html: string }> {
  const body = new URLSearchParams(fields).toString();
  return new Promise((resolve, reject) => {
    const req = request(
      login,
      {
        method: 'POST',
        localAddress,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
          cookie: browser.jar.header(login) ?? '',
          origin: login.origin,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: res.headers['retry-after'] as string | undefined,
            html: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

const [engine] = testEngines('auth_signin_throttle', { sqliteFile: true });

describe('sign-in throttling', () => {
  let seeded: { database: TestAuth['database']; demo: DemoCredentials };
  let ds: DataSource;

  beforeAll(async () => {
    seeded = await seededDatabase(engine);
    ds = await openDatabase(seeded.database);
  }, 180_000);

  afterAll(async () => {
    await ds?.destroy();
  });

  const newAccount = async () => {
    const email = `t-${randomUUID()}@schools.example.org`;
    await ds.getRepository(AccountEntity).insert({
      id: randomUUID(),
      email,
      displayName: 'Throttle test',
      passwordHash: await hashSecret(PASSWORD),
      platformRole: null,
      integratorId: null,
      disabled: false,
      createdAt: new Date(),
    });
    return email;
  };

  describe('with counters in memory', () => {
    let auth: TestAuth;

    beforeAll(async () => {
      auth = await startTestAuth(seeded.database, {
        AUTH_SIGNIN_LIMIT_PER_EMAIL_IP: '5',
        AUTH_SIGNIN_LIMIT_PER_EMAIL: '8',
      });
    }, 60_000);

    afterAll(async () => {
      await auth?.close();
    });

    it('checks at most the limit among 20 parallel wrong passwords, and refuses the rest with 429', async () => {
      const email = await newAccount();
      const browser = new Browser();
      const login = await signInPage(auth, browser);
      const answers = await Promise.all(
        Array.from({ length: 20 }, () =>
          postFrom(browser, login, { email, password: 'wrong' }),
        ),
      );
      const statuses = answers.map((a) => a.status);
      // 401: the password was checked and wrong; 429: refused before any check.
      expect(statuses.filter((s) => s === 401)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(15);
      const throttled = answers.find((a) => a.status === 429);
      expect(Number(throttled?.retryAfter)).toBeGreaterThan(0);
      expect(throttled?.html).toContain('Too many failed attempts');
      // The right password is refused too until the window lets attempts through again.
      expect(
        (await postFrom(browser, login, { email, password: PASSWORD })).status,
      ).toBe(429);
    });

    it('limits attempts per email across IP addresses', async () => {
      const email = await newAccount();
      const browser = new Browser();
      const login = await signInPage(auth, browser);
      const statuses: number[] = [];
      // Four addresses, three attempts each: under the per-address limit (5) every time,
      // but the email's limit (8) stops the ninth.
      for (let i = 0; i < 12; i++)
        statuses.push(
          (
            await postFrom(
              browser,
              login,
              { email, password: 'wrong' },
              `127.0.0.${2 + (i % 4)}`,
            )
          ).status,
        );
      expect(statuses).toEqual([...Array(8).fill(401), ...Array(4).fill(429)]);
      // Another email from those addresses is not affected.
      const other = await newAccount();
      expect(
        (
          await postFrom(
            browser,
            login,
            { email: other, password: PASSWORD },
            '127.0.0.2',
          )
        ).status,
      ).toBe(303);
    });

    it('does not count successful sign-ins against the email', async () => {
      const email = await newAccount();
      for (let i = 0; i < 7; i++) {
        const browser = new Browser();
        const login = await signInPage(auth, browser);
        expect(
          (await postFrom(browser, login, { email, password: PASSWORD }))
            .status,
        ).toBe(303);
      }
    });
  });

  it('limits attempts for the whole service, whatever the email and address', async () => {
    const auth = await startTestAuth(seeded.database, {
      AUTH_SIGNIN_LIMIT_GLOBAL: '3',
    });
    try {
      const browser = new Browser();
      const login = await signInPage(auth, browser);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++)
        statuses.push(
          (
            await postFrom(
              browser,
              login,
              { email: `nobody-${i}@example.org`, password: 'wrong' },
              `127.0.0.${10 + i}`,
            )
          ).status,
        );
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await auth.close();
    }
  }, 60_000);

  it('refuses sign-in with 503 "try again later" when Redis cannot be reached', async () => {
    const auth = await startTestAuth(seeded.database, {
      REDIS_URL: `redis://127.0.0.1:${await closedPort()}`,
    });
    try {
      const browser = new Browser();
      const login = await signInPage(auth, browser);
      const email = seeded.demo.teachers[0].email;
      for (const password of ['wrong', PASSWORD]) {
        const answer = await postFrom(browser, login, { email, password });
        expect(answer.status).toBe(503);
        expect(Number(answer.retryAfter)).toBeGreaterThan(0);
        expect(answer.html).toContain('Try again later');
      }
    } finally {
      await auth.close();
    }
  }, 60_000);
});
