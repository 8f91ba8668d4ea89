/**
 * Boots the real platform for the portal's browser test: a fresh SQLite database prepared
 * by the database command line (migrations + demo trust), the built API and auth server as
 * child processes, and the portal's own web server (static app + `/portal` forwarding). The
 * apps must have been built (`nx test admin-e2e` builds them first).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { freePort } from '@oneroster/testing-browser';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../../..');

export interface DemoAccounts {
  password: string;
  operator: string;
  developer: string;
  schoolAdmins: { email: string; school: string }[];
  sandboxClients: { clientId: string; secret: string; school: string }[];
  /** Each school's MIS connector client (`mis-<URN>`, the sandbox secret). */
  misClients: { clientId: string; secret: string; school: string }[];
}

export interface Stack {
  apiUrl: string;
  authUrl: string;
  adminUrl: string;
  demo: DemoAccounts;
  /** Exports one school's data as a OneRoster CSV zip with the CSV command line. */
  exportSchool(schoolId: string): Promise<string>;
  /** What the servers printed, for failure messages. */
  logs(): string;
  stop(): Promise<void>;
}

const BUILT = [
  'dist/apps/api/main.js',
  'dist/apps/auth/main.js',
  'dist/apps/admin/browser/index.html',
];

export function missingBuilds(): string[] {
  return BUILT.filter((file) => !existsSync(join(ROOT, file)));
}

function run(
  args: string[],
  env: NodeJS.ProcessEnv,
  log: string[],
): Promise<string> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', fail);
    child.on('exit', (code) => {
      log.push(out);
      if (code === 0) ok(out);
      else fail(new Error(`${args.join(' ')} exited ${code}:\n${out}`));
    });
  });
}

/** Reads the demo accounts and clients from what `db prepare` printed when it seeded. */
function parseDemo(out: string): DemoAccounts {
  const line = (re: RegExp) => [...out.matchAll(re)];
  const password = /password: (\S+)/.exec(out)?.[1];
  const operator = /operator\s+(\S+@\S+)/.exec(out)?.[1];
  const developer = /integrator developer\s+(\S+@\S+)/.exec(out)?.[1];
  if (!password || !operator || !developer) {
    throw new Error(`db prepare did not seed the demo trust:\n${out}`);
  }
  return {
    password,
    operator,
    developer,
    schoolAdmins: line(/school administrator (\S+@\S+) \(([^)]+)\)/g).map(
      (m) => ({ email: m[1], school: m[2] }),
    ),
    sandboxClients: line(/sandbox client\s+(\S+) \/ (\S+) \(([^)]+)\)/g).map(
      (m) => ({ clientId: m[1], secret: m[2], school: m[3] }),
    ),
    misClients: line(/MIS connector client (\S+) \/ (\S+) \(([^,)]+)/g).map(
      (m) => ({ clientId: m[1], secret: m[2], school: m[3] }),
    ),
  };
}

async function waitHealthy(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not become healthy`);
}

/** `extraEnv`: settings of the apps beyond the demo defaults (e.g. faster webhook retries). */
export async function startStack(
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'admin-e2e-'));
  const [apiPort, authPort, adminPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const authUrl = `http://127.0.0.1:${authPort}`;
  const adminUrl = `http://127.0.0.1:${adminPort}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    DATABASE_URL: `sqlite:${join(dir, 'oneroster.sqlite')}`,
    API_PORT: String(apiPort),
    AUTH_PORT: String(authPort),
    ADMIN_PORT: String(adminPort),
    API_PUBLIC_URL: apiUrl,
    AUTH_PUBLIC_URL: authUrl,
    ADMIN_PUBLIC_URL: adminUrl,
    AUTH_SIGNING_KEY_FILE: join(dir, 'auth-signing-key.json'),
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    // The demo trust on a production-built stack: the demo mode, said explicitly.
    ONEROSTER_MODE: 'demo',
    ...extraEnv,
  };
  const log: string[] = [];
  const prepared = await run(
    [
      'node_modules/tsx/dist/cli.mjs',
      '--tsconfig',
      'tools/tsconfig.json',
      'tools/db/cli.ts',
      'prepare',
    ],
    env,
    log,
  );
  const demo = parseDemo(prepared);

  const children: ChildProcess[] = [];
  const output: string[] = [];
  const launch = (name: string, args: string[]) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env });
    child.stdout?.on('data', (c: Buffer) => output.push(`[${name}] ${c}`));
    child.stderr?.on('data', (c: Buffer) => output.push(`[${name}] ${c}`));
    children.push(child);
    return child;
  };
  const api = launch('api', ['dist/apps/api/main.js']);
  const auth = launch('auth', ['dist/apps/auth/main.js']);
  const admin = launch('admin', [
    'apps/admin/server/admin-server.mjs',
    'dist/apps/admin/browser',
    authUrl,
    String(adminPort),
  ]);

  const stop = async () => {
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
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.all([
      waitHealthy(`${apiUrl}/health`, api),
      waitHealthy(`${authUrl}/health`, auth),
      waitHealthy(`${adminUrl}/`, admin),
    ]);
  } catch (failure) {
    await stop();
    throw new Error(`${(failure as Error).message}\n${output.join('')}`, {
      cause: failure,
    });
  }
  return {
    apiUrl,
    authUrl,
    adminUrl,
    demo,
    exportSchool: async (schoolId) => {
      const zip = join(dir, `${schoolId}.zip`);
      await run(
        [
          'node_modules/tsx/dist/cli.mjs',
          '--tsconfig',
          'tools/tsconfig.json',
          'tools/csv/cli.ts',
          'export',
          '--school',
          schoolId,
          '--out',
          zip,
        ],
        env,
        log,
      );
      return zip;
    },
    logs: () => [...log, ...output].join(''),
    stop,
  };
}
