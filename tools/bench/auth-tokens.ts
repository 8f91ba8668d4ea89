/**
 * Token-endpoint benchmark: client-credentials tokens per second from the auth server (built
 * app, TypeORM adapter, clients and approvals read from the database, secrets checked against
 * scrypt hashes, every token logged) against oidc-provider alone (in-memory adapter, one
 * static client with a cleartext secret, the same ES256 key, resource indicator and claims).
 * `npm run bench:auth` (see docs/benchmarks.md).
 *
 *   BENCH_AUTH_DATABASE_URL  default: a fresh SQLite file in a temp folder
 *   BENCH_SECONDS            duration of each load run (default 10)
 *   BENCH_CONNECTIONS        concurrent connections (default 16)
 *   BENCH_SKIP_BUILD=1       reuse dist/apps/auth
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { exportJWK, generateKeyPair } from 'jose';
import { parseDatabaseUrl } from '@oneroster/config';
import { openDatabase } from '@oneroster/database';
import { OAuthClientEntity } from '@oneroster/entities';

const root = join(__dirname, '../..');
const seconds = Number(process.env['BENCH_SECONDS'] || 10);
const connections = Number(process.env['BENCH_CONNECTIONS'] || 16);
const AUTH_PORT = 3911;
const BASELINE_PORT = 3912;
const AUDIENCE = 'http://bench.test';
const SECRET = 'bench-secret';
const SCOPES = [
  'roster-core.readonly',
  'roster.readonly',
  'roster-demographics.readonly',
].map((s) => `https://purl.imsglobal.org/spec/or/v1p1/scope/${s}`);

const log = (s: string) => process.stdout.write(`${s}\n`);
const children: ChildProcess[] = [];

/** oidc-provider alone, as the baseline process runs it. */
async function baseline(port: number, jwk: Record<string, unknown>) {
  const { default: Provider } = await import('oidc-provider');
  const { createServer } = await import('node:http');
  const issuer = `http://127.0.0.1:${port}/oidc`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'bench',
        client_secret: SECRET,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      },
    ],
    jwks: { keys: [jwk] },
    clientDefaults: { id_token_signed_response_alg: 'ES256' },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          audience: AUDIENCE,
          scope: SCOPES.join(' '),
          accessTokenFormat: 'jwt',
          accessTokenTTL: 300,
          jwt: { sign: { alg: 'ES256' } },
        }),
      },
    },
    extraTokenClaims: () => ({ school_ids: ['school'], integrator_id: 'i' }),
  });
  // Mounted at /oidc the way Express mounts it for the auth server (prefix stripped).
  const callback = provider.callback();
  createServer((req, res) => {
    const url = req.url ?? '/';
    if (!url.startsWith('/oidc')) {
      res.statusCode = 404;
      res.end();
      return;
    }
    Object.assign(req, { originalUrl: url });
    req.url = url.slice('/oidc'.length) || '/';
    void callback(req, res);
  }).listen(port, '127.0.0.1');
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      const r = await fetch(url);
      if (r.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up`);
}

async function load(tokenUrl: string, clientId: string) {
  const headers = {
    authorization: `Basic ${Buffer.from(`${clientId}:${SECRET}`).toString('base64')}`,
    'content-type': 'application/x-www-form-urlencoded',
  };
  const probe = await fetch(tokenUrl, {
    method: 'POST',
    headers,
    body: 'grant_type=client_credentials',
  });
  if (probe.status !== 200)
    throw new Error(`${tokenUrl}: ${probe.status} ${await probe.text()}`);
  const runs: { rps: number; p50: number; p99: number }[] = [];
  for (let i = 0; i < 2; i++) {
    const r = await autocannon({
      url: tokenUrl,
      method: 'POST',
      connections,
      duration: seconds,
      headers,
      body: 'grant_type=client_credentials',
    });
    if (r.non2xx || r.errors)
      throw new Error(`${tokenUrl}: ${r.non2xx} non-2xx, ${r.errors} errors`);
    runs.push({
      rps: r.requests.average,
      p50: r.latency.p50,
      p99: r.latency.p99,
    });
  }
  const mean = (k: 'rps' | 'p50' | 'p99') =>
    runs.reduce((sum, r) => sum + r[k], 0) / runs.length;
  return { rps: mean('rps'), p50: mean('p50'), p99: mean('p99') };
}

async function main() {
  if (process.argv[2] === 'baseline') {
    await baseline(Number(process.argv[3]), JSON.parse(process.argv[4]));
    return;
  }
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = {
    ...(await exportJWK(privateKey)),
    kid: 'bench',
    alg: 'ES256',
    use: 'sig',
  };
  const dbUrl =
    process.env['BENCH_AUTH_DATABASE_URL'] ||
    `sqlite:${join(mkdtempSync(join(tmpdir(), 'oneroster-bench-auth-')), 'bench.sqlite')}`;
  if (process.env['BENCH_SKIP_BUILD'] !== '1') {
    log('Building the auth server…');
    const b = spawnSync(
      'npx',
      ['nx', 'build', 'auth', '--output-style=static'],
      {
        cwd: root,
        stdio: 'ignore',
      },
    );
    if (b.status !== 0) throw new Error('nx build auth failed');
  }
  const auth = spawn(process.execPath, ['dist/apps/auth/main.js'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      DATABASE_URL: dbUrl,
      MIGRATE_ON_START: 'true',
      SEED_DEMO_DATA: 'true',
      SANDBOX_CLIENT_SECRET: SECRET,
      AUTH_PORT: String(AUTH_PORT),
      AUTH_PUBLIC_URL: `http://127.0.0.1:${AUTH_PORT}`,
      API_PUBLIC_URL: AUDIENCE,
      AUTH_SIGNING_KEY: JSON.stringify(jwk),
      AUTH_TOKEN_RATE_LIMIT: '0',
    },
  });
  children.push(auth);
  const base = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      __filename,
      'baseline',
      String(BASELINE_PORT),
      JSON.stringify(jwk),
    ],
    {
      cwd: root,
      stdio: 'inherit',
      env: {
        ...process.env,
        TSX_TSCONFIG_PATH: join(root, 'tools/tsconfig.json'),
      },
    },
  );
  children.push(base);
  await waitFor(`http://127.0.0.1:${AUTH_PORT}/health`);
  await waitFor(`http://127.0.0.1:${BASELINE_PORT}/oidc/jwks`);
  const ds = await openDatabase(parseDatabaseUrl(dbUrl));
  const [client] = await ds.getRepository(OAuthClientEntity).find({ take: 1 });
  await ds.destroy();

  log('Measuring…');
  const ours = await load(
    `http://127.0.0.1:${AUTH_PORT}/oidc/token`,
    client.clientId,
  );
  const alone = await load(
    `http://127.0.0.1:${BASELINE_PORT}/oidc/token`,
    'bench',
  );
  log('');
  log(
    `Machine: ${(await import('node:os')).cpus().length} cores, Node ${process.version}; ` +
      `autocannon, ${connections} connections, ${seconds} s per run, mean of 2 runs; ` +
      `database ${dbUrl.startsWith('sqlite:') ? 'SQLite' : 'MySQL/MariaDB'}`,
  );
  log('');
  log(
    '| Token endpoint (client credentials, Basic) | Tokens/s | p50 ms | p99 ms |',
  );
  log('|---|---|---|---|');
  log(`| Auth server | ${ours.rps.toFixed(0)} | ${ours.p50} | ${ours.p99} |`);
  log(
    `| oidc-provider alone, in-memory | ${alone.rps.toFixed(0)} | ${alone.p50} | ${alone.p99} |`,
  );
  log(`| Ratio | ${(ours.rps / alone.rps).toFixed(2)}× | | |`);
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => {
    if (process.argv[2] !== 'baseline')
      for (const c of children) c.kill('SIGTERM');
  });
