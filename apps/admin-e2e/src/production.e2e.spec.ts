/**
 * The production mode on the built apps, started as the README's "Production" section says.
 * With the demo defaults the API and the auth server exit 1 before touching any database,
 * printing every reason on a line of its own. With production settings, on a real database
 * (a SQLite file, and MariaDB/MySQL when TEST_DATABASE_URL is set): `db migrate`, then
 * `db create-operator` prints a one-time password, the three apps start, and that password
 * signs in only to the form that sets a new password; the new one opens the portal as an
 * operator, and the one-time password no longer signs in.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseConfig } from '@oneroster/config';
import { testEngines } from '@oneroster/database/testing';
import {
  Browser,
  follow,
  freePort,
  signIn,
  type Landing,
} from '@oneroster/testing-browser';
import { missingBuilds, ROOT } from './stack';

interface Exited {
  code: number | null;
  output: string;
}

/** Runs `args` with node from `cwd`; resolves when it exits. */
function run(
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd = ROOT,
): Promise<Exited> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd, env });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', fail);
    child.on('exit', (code) => done({ code, output }));
  });
}

/**
 * Starts an app that must refuse: resolves with its exit, or rejects once it answers
 * /health (it started, which it must not).
 */
async function refusal(
  main: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
  health: string,
): Promise<Exited> {
  const child = spawn(process.execPath, [join(ROOT, main)], { cwd, env });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<Exited>((done) =>
    child.on('exit', (code) => done({ code, output })),
  );
  let started = false;
  const poll = (async () => {
    while (child.exitCode === null && !started) {
      try {
        started = (await fetch(health)).ok;
      } catch {
        // not listening (yet)
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  await Promise.race([exited, poll]);
  if (started) {
    child.kill('SIGKILL');
    throw new Error(`${main} started in production mode:\n${output}`);
  }
  return exited;
}

const sqliteOrMysqlUrl = (db: DatabaseConfig) =>
  db.kind === 'sqlite'
    ? `sqlite:${db.file}`
    : `mysql://${encodeURIComponent(db.user)}:${encodeURIComponent(db.password)}@${db.host}:${db.port}/${db.database}`;

const HEADER = (app: string) =>
  `${app}: refusing to start in production mode (ONEROSTER_MODE=production, or NODE_ENV=production without ONEROSTER_MODE):`;

describe('production mode of the built apps', () => {
  beforeAll(() => {
    const missing = missingBuilds();
    if (missing.length)
      throw new Error(
        `Build the apps first (nx test admin-e2e does): missing ${missing.join(', ')}`,
      );
  });

  /** Every line the app printed that names a setting (the reasons, in order). */
  const reasons = (output: string) =>
    output
      .split('\n')
      .filter((l) => l.startsWith('  - '))
      .map((l) => l.slice(4).split(' ')[0]);

  it('the API and the auth server refuse the demo defaults with NODE_ENV=production: exit 1, every reason on a line, nothing written', async () => {
    // An empty working directory: the embedded default would create data/ in it.
    const cwd = mkdtempSync(join(tmpdir(), 'prod-refuse-'));
    try {
      const [apiPort, authPort] = [await freePort(), await freePort()];
      const env = {
        PATH: process.env['PATH'],
        NODE_ENV: 'production',
        API_PORT: String(apiPort),
        AUTH_PORT: String(authPort),
      };
      const [api, auth] = await Promise.all([
        refusal(
          'dist/apps/api/main.js',
          env,
          cwd,
          `http://127.0.0.1:${apiPort}/health`,
        ),
        refusal(
          'dist/apps/auth/main.js',
          env,
          cwd,
          `http://127.0.0.1:${authPort}/health`,
        ),
      ]);
      expect(api.code).toBe(1);
      expect(api.output).toContain(HEADER('api'));
      expect(reasons(api.output)).toEqual(['SEED_DEMO_DATA', 'DATABASE_URL']);
      expect(auth.code).toBe(1);
      expect(auth.output).toContain(HEADER('auth'));
      expect(reasons(auth.output)).toEqual([
        'SEED_DEMO_DATA',
        'AUTH_SIGNING_KEY',
        'PORTAL_CLIENT_SECRET',
        'DATABASE_URL',
      ]);
      expect(auth.output).toMatch(/^ {2}- AUTH_SIGNING_KEY is unset: .+$/m);
      expect(readdirSync(cwd)).toEqual([]);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('ONEROSTER_MODE=production refuses a demo .env (demo secrets, plain http) on a MySQL URL too', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'prod-refuse-'));
    try {
      const authPort = await freePort();
      const auth = await refusal(
        'dist/apps/auth/main.js',
        {
          PATH: process.env['PATH'],
          ONEROSTER_MODE: 'production',
          // Never reached: the checks come before any connection.
          DATABASE_URL: 'mysql://oneroster@db.invalid:3306/oneroster',
          SEED_DEMO_DATA: 'true',
          DEMO_PASSWORD: 'demo-password',
          SANDBOX_CLIENT_SECRET: 'sandbox-secret',
          PORTAL_CLIENT_SECRET: 'sandbox-secret',
          AUTH_PORT: String(authPort),
          API_PUBLIC_URL: 'http://api.example.org',
        },
        cwd,
        `http://127.0.0.1:${authPort}/health`,
      );
      expect(auth.code).toBe(1);
      expect(reasons(auth.output)).toEqual([
        'SEED_DEMO_DATA',
        'DEMO_PASSWORD',
        'SANDBOX_CLIENT_SECRET',
        'PORTAL_CLIENT_SECRET',
        'AUTH_SIGNING_KEY',
        'API_PUBLIC_URL',
      ]);
      expect(auth.output).not.toMatch(/db\.invalid|ENOTFOUND/);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  const rmdb = (db: DatabaseConfig) => {
    if (db.kind === 'sqlite' && existsSync(db.file))
      rmSync(join(db.file, '..'), { recursive: true, force: true });
  };

  describe.each(testEngines('prod_start', { sqliteFile: true }))(
    'a production start on $name',
    (engine) => {
      let database: DatabaseConfig;
      const children: ChildProcess[] = [];
      const output: string[] = [];

      afterAll(async () => {
        await Promise.all(
          children.map(
            (child) =>
              new Promise<void>((done) => {
                if (child.exitCode !== null) return done();
                child.once('exit', () => done());
                child.kill('SIGTERM');
                setTimeout(() => child.kill('SIGKILL'), 5000).unref();
              }),
          ),
        );
        if (database) rmdb(database);
      });

      it('db create-operator prints a one-time password that signs in only to a forced change', async () => {
        database = await engine.config();
        const [apiPort, authPort, adminPort] = [
          await freePort(),
          await freePort(),
          await freePort(),
        ];
        const apiUrl = `http://127.0.0.1:${apiPort}`;
        const authUrl = `http://127.0.0.1:${authPort}`;
        const adminUrl = `http://127.0.0.1:${adminPort}`;
        const { privateKey } = generateKeyPairSync('ec', {
          namedCurve: 'P-256',
        });
        const env: NodeJS.ProcessEnv = {
          PATH: process.env['PATH'],
          HOME: process.env['HOME'],
          ONEROSTER_MODE: 'production',
          DATABASE_URL: sqliteOrMysqlUrl(database),
          SEED_DEMO_DATA: 'false',
          MIGRATE_ON_START: 'false',
          AUTH_SIGNING_KEY: privateKey
            .export({ type: 'pkcs8', format: 'pem' })
            .toString(),
          PORTAL_CLIENT_SECRET: randomBytes(32).toString('base64url'),
          API_PORT: String(apiPort),
          AUTH_PORT: String(authPort),
          ADMIN_PORT: String(adminPort),
          API_PUBLIC_URL: apiUrl,
          AUTH_PUBLIC_URL: authUrl,
          ADMIN_PUBLIC_URL: adminUrl,
          LOG_LEVEL: 'warn',
        };
        const db = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
          run(
            [
              'node_modules/tsx/dist/cli.mjs',
              '--tsconfig',
              'tools/tsconfig.json',
              'tools/db/cli.ts',
              ...args,
            ],
            { ...env, ...extra },
          );
        const migrated = await db(['migrate']);
        expect(migrated).toMatchObject({ code: 0 });
        // Production refuses to seed the demo trust from the command line too.
        const refused = await db(['prepare'], { SEED_DEMO_DATA: 'true' });
        expect(refused.code).toBe(1);
        expect(refused.output).toMatch(
          /^db prepare: refusing to seed the demo trust in production mode .*\n {2}- SEED_DEMO_DATA is on .*production never seeds the demo trust/,
        );

        const email = `ops-${randomBytes(4).toString('hex')}@example.org`;
        const created = await db([
          'create-operator',
          '--email',
          email,
          '--name',
          'First Operator',
        ]);
        expect(created.code).toBe(0);
        const oneTimePassword = /^One-time password: (\S+)$/m.exec(
          created.output,
        )?.[1] as string;
        expect(oneTimePassword).toMatch(/^[A-Za-z0-9_-]{20}$/);
        // The same email once more: refused, nothing printed as a password.
        const again = await db(['create-operator', '--email', email]);
        expect(again.code).toBe(1);
        expect(again.output).toContain('already exists');
        expect(again.output).not.toContain('One-time password');

        const launch = (name: string, args: string[]) => {
          const child = spawn(process.execPath, args, { cwd: ROOT, env });
          child.stdout?.on('data', (c: Buffer) =>
            output.push(`[${name}] ${c}`),
          );
          child.stderr?.on('data', (c: Buffer) =>
            output.push(`[${name}] ${c}`),
          );
          children.push(child);
        };
        launch('api', ['dist/apps/api/main.js']);
        launch('auth', ['dist/apps/auth/main.js']);
        launch('admin', [
          'apps/admin/server/admin-server.mjs',
          'dist/apps/admin/browser',
          authUrl,
          String(adminPort),
        ]);
        for (const url of [`${apiUrl}/health`, `${authUrl}/health`]) {
          let healthy = false;
          while (!healthy) {
            if (children.some((c) => c.exitCode !== null))
              throw new Error(`an app exited:\n${output.join('')}`);
            healthy = await fetch(url).then(
              (r) => r.ok,
              () => false,
            );
            if (!healthy) await new Promise((r) => setTimeout(r, 250));
          }
        }

        const portalSignIn = async (browser: Browser, password: string) => {
          const login = await browser.fetch(`${adminUrl}/portal/auth/login`);
          const authorize = new URL(login.headers.get('location') as string);
          expect(authorize.origin).toBe(authUrl);
          return signIn(browser, authorize, { email, password });
        };
        const browser = new Browser();
        const first = await portalSignIn(browser, oneTimePassword);
        // The one-time password opens the new-password form, and nothing else.
        expect(first.landing.kind).toBe('page');
        const form = first.landing as Landing & { kind: 'page' };
        expect(form.status).toBe(200);
        expect(form.html).toContain('Choose a new password');
        expect((await browser.fetch(`${adminUrl}/portal/api/me`)).status).toBe(
          401,
        );

        const newPassword = 'a production operator password';
        const passwordUrl = new URL(
          `${(first.signInPage as Landing).url.pathname}/password`,
          authUrl,
        );
        const chosen = await follow(
          browser,
          passwordUrl,
          authUrl,
          await browser.post(
            passwordUrl,
            {
              username: email,
              newPassword,
              confirmPassword: newPassword,
            },
            { origin: authUrl },
          ),
        );
        expect(chosen.kind).toBe('redirect');
        expect(chosen.url.origin).toBe(adminUrl);
        expect((await browser.fetch(chosen.url)).status).toBe(302);
        const me = await browser.fetch(`${adminUrl}/portal/api/me`);
        expect(me.status).toBe(200);
        expect(await me.json()).toMatchObject({
          account: { email, displayName: 'First Operator' },
          operator: true,
          schools: [],
        });

        // The one-time password is spent; the new one signs in straight to the portal.
        const replay = await portalSignIn(new Browser(), oneTimePassword);
        expect(replay.landing.status).toBe(401);
        const signedIn = await portalSignIn(new Browser(), newPassword);
        expect(signedIn.landing).toMatchObject({ kind: 'redirect' });
        expect((signedIn.landing as Landing).url.origin).toBe(adminUrl);
      });
    },
  );
});
