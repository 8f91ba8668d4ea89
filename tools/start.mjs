// `npm start`: build the three apps, prepare the database (migrations, demo data), then run
// api, auth and the admin portal together and print where they are. Ctrl-C stops all three.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  createAdminServer,
  parseTrustProxy,
} from '../apps/admin/server/admin-server.mjs';

const root = resolve(import.meta.dirname, '..');
if (existsSync(join(root, '.env'))) process.loadEnvFile(join(root, '.env'));
// The apps log warnings and errors only (LOG_LEVEL=log shows their start-up detail too).
const env = {
  LOG_LEVEL: 'warn',
  ...process.env,
  NX_DAEMON: 'false',
  NX_TUI: 'false',
  NX_NO_CLOUD: 'true',
};
const apiPort = Number(env.API_PORT || 3000);
const authPort = Number(env.AUTH_PORT || 3333);
const adminPort = Number(env.ADMIN_PORT || 4200);

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, env, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

console.log('Building api, auth and admin…');
run('npx', [
  'nx',
  'run-many',
  '-t',
  'build',
  '-p',
  'api',
  'auth',
  'admin',
  '--output-style=static',
]);
console.log('Preparing the database…');
run('npx', [
  'tsx',
  '--tsconfig',
  'tools/tsconfig.json',
  'tools/db/cli.ts',
  'prepare',
]);

const children = [];
function start(name, file, nodeFlags = []) {
  const child = spawn(process.execPath, [...nodeFlags, file], {
    cwd: root,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(
        `${name} stopped (${signal ?? code}); stopping the others.`,
      );
      stop(1);
    }
  });
  children.push(child);
}
let stopping = false;
function stop(code = 0) {
  stopping = true;
  for (const c of children) c.kill('SIGTERM');
  admin.close();
  setTimeout(() => process.exit(code), 500).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

// The API's V8 heap is capped: its row budget bounds what responses hold (a few tens of MB),
// and without a cap V8 grows the heap lazily to several times that (docs/benchmarks.md).
const apiHeapMb = Number(env.API_HEAP_MB || 256);
if (!Number.isInteger(apiHeapMb) || apiHeapMb < 128) {
  console.error(
    `API_HEAP_MB must be a whole number of MB, at least 128 (got ${env.API_HEAP_MB})`,
  );
  process.exit(1);
}
start('api', 'dist/apps/api/main.js', [`--max-old-space-size=${apiHeapMb}`]);
// The auth server runs the portal's CSV import jobs: collecting before growing the heap keeps
// a large import's memory bounded (docs/csv.md).
start('auth', 'dist/apps/auth/main.js', ['--optimize-for-size']);

// The portal is a static single-page app (index.html for any route); its server forwards
// `/portal/*` to the auth server so the portal API and sign-in share the portal's origin.
// ADMIN_TRUST_PROXY was checked with the rest of the configuration by `db prepare` above.
const admin = createAdminServer({
  webRoot: join(root, 'dist/apps/admin/browser'),
  authOrigin: `http://127.0.0.1:${authPort}`,
  trustProxy: parseTrustProxy(env.ADMIN_TRUST_PROXY, 'ADMIN_TRUST_PROXY', (m) =>
    console.warn(m),
  ),
});
async function healthy(url) {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(url)).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

admin.listen(adminPort, async () => {
  const up = await Promise.all([
    healthy(`http://127.0.0.1:${apiPort}/health`),
    healthy(`http://127.0.0.1:${authPort}/health`),
  ]);
  if (!up.every(Boolean)) {
    console.error(
      'The API or the auth server did not become healthy; stopping.',
    );
    stop(1);
    return;
  }
  {
    console.log(`
  OneRoster Exchange is running
    API            http://localhost:${apiPort}/ims/oneroster/v1p1   (health: /health)
    Swagger UI     http://localhost:${apiPort}/docs
    Auth server    http://localhost:${authPort}                     (Swagger UI: /docs)
    Admin portal   http://localhost:${adminPort}
  Demo sign-in and sandbox credentials: see README.md ("Demo data"). Ctrl-C stops everything.
`);
  }
});
