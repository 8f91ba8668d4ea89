/**
 * Token-endpoint benchmark: client-credentials tokens per second from the auth server (built
 * app, TypeORM adapter, clients and approvals read from the database, secrets checked against
 * scrypt hashes, every token logged) against oidc-provider alone (in-memory adapter, one
 * static client with a cleartext secret, the same ES256 key, resource indicator, client id,
 * scopes and claims: both sign the same token but for `jti`, `iat` and `exp`).
 * `npm run bench:auth` (see docs/benchmarks.md).
 *
 *   BENCH_AUTH_DATABASE_URL  default: a fresh SQLite file in a temp folder
 *   BENCH_SECONDS            duration of each load run (default 10)
 *   BENCH_CONNECTIONS        concurrent connections (default 16)
 *   BENCH_RUNS               alternating runs of each (default 3)
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
const RUNS = Number(process.env['BENCH_RUNS'] || 3);
const AUTH_PORT = 3911;
const BASELINE_PORT = 3912;
const AUDIENCE = 'http://bench.test';
const SECRET = 'bench-secret';

/** What the auth server put in its token, for the baseline to issue the same. */
interface TokenShape {
  clientId: string;
  scope: string;
  schoolIds: string[];
  integratorId: string;
}

const log = (s: string) => process.stdout.write(`${s}\n`);
const children: ChildProcess[] = [];

/** oidc-provider alone, as the baseline process runs it. */
async function baseline(
  port: number,
  jwk: Record<string, unknown>,
  shape: TokenShape,
) {
  const { default: Provider } = await import('oidc-provider');
  const { createServer } = await import('node:http');
  const issuer = `http://127.0.0.1:${port}/oidc`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: shape.clientId,
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
        getResourceServerInfo: (ctx) => {
          // As the auth server does: no scope asked, every approved scope granted.
          const params = ctx.oidc.params as Record<string, unknown>;
          if (!params['scope']) params['scope'] = shape.scope;
          return {
            audience: AUDIENCE,
            scope: shape.scope,
            accessTokenFormat: 'jwt',
            accessTokenTTL: 300,
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
    },
    extraTokenClaims: () => ({
      school_ids: shape.schoolIds,
      integrator_id: shape.integratorId,
    }),
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

const tokenHeaders = (clientId: string) => ({
  authorization: `Basic ${Buffer.from(`${clientId}:${SECRET}`).toString('base64')}`,
  'content-type': 'application/x-www-form-urlencoded',
});

/** One token request; the access token's payload. */
async function probe(
  tokenUrl: string,
  clientId: string,
): Promise<Record<string, unknown>> {
  const res = await fetch(tokenUrl, {
    method: 'POST',
    headers: tokenHeaders(clientId),
    body: 'grant_type=client_credentials',
  });
  if (res.status !== 200)
    throw new Error(`${tokenUrl}: ${res.status} ${await res.text()}`);
  const { access_token } = (await res.json()) as { access_token: string };
  return JSON.parse(
    Buffer.from(access_token.split('.')[1], 'base64url').toString(),
  ) as Record<string, unknown>;
}

type Run = { rps: number; p50: number; p99: number };

async function loadOnce(tokenUrl: string, clientId: string): Promise<Run> {
  const r = await autocannon({
    url: tokenUrl,
    method: 'POST',
    connections,
    duration: seconds,
    headers: tokenHeaders(clientId),
    body: 'grant_type=client_credentials',
  });
  if (r.non2xx || r.errors)
    throw new Error(`${tokenUrl}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 };
}

const mean = (runs: Run[]): Run => {
  const avg = (k: keyof Run) =>
    runs.reduce((sum, r) => sum + r[k], 0) / runs.length;
  return { rps: avg('rps'), p50: avg('p50'), p99: avg('p99') };
};

async function main() {
  if (process.argv[2] === 'baseline') {
    await baseline(
      Number(process.argv[3]),
      JSON.parse(process.argv[4]),
      JSON.parse(process.argv[5]) as TokenShape,
    );
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
  await waitFor(`http://127.0.0.1:${AUTH_PORT}/health`);
  const ds = await openDatabase(parseDatabaseUrl(dbUrl));
  const [client] = await ds.getRepository(OAuthClientEntity).find({ take: 1 });
  await ds.destroy();
  const claims = await probe(
    `http://127.0.0.1:${AUTH_PORT}/oidc/token`,
    client.clientId,
  );
  const shape: TokenShape = {
    clientId: client.clientId,
    scope: String(claims['scope']),
    schoolIds: claims['school_ids'] as string[],
    integratorId: String(claims['integrator_id']),
  };
  const base = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      __filename,
      'baseline',
      String(BASELINE_PORT),
      JSON.stringify(jwk),
      JSON.stringify(shape),
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
  await waitFor(`http://127.0.0.1:${BASELINE_PORT}/oidc/jwks`);
  const theirs = await probe(
    `http://127.0.0.1:${BASELINE_PORT}/oidc/token`,
    client.clientId,
  );
  const differing = Object.keys({ ...claims, ...theirs }).filter(
    (k) =>
      !['jti', 'iat', 'exp', 'iss'].includes(k) &&
      JSON.stringify(claims[k]) !== JSON.stringify(theirs[k]),
  );
  if (differing.length)
    throw new Error(`the tokens differ in ${differing.join(', ')}`);

  log('Measuring…');
  // Alternating runs, so that a change in the machine's load falls on both sides.
  const oursRuns: Run[] = [];
  const aloneRuns: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    oursRuns.push(
      await loadOnce(
        `http://127.0.0.1:${AUTH_PORT}/oidc/token`,
        client.clientId,
      ),
    );
    aloneRuns.push(
      await loadOnce(
        `http://127.0.0.1:${BASELINE_PORT}/oidc/token`,
        client.clientId,
      ),
    );
  }
  const ours = mean(oursRuns);
  const alone = mean(aloneRuns);
  const ratios = oursRuns.map((r, i) => r.rps / aloneRuns[i].rps);
  log('');
  log(
    `Machine: ${(await import('node:os')).cpus().length} cores, Node ${process.version}; ` +
      `autocannon, ${connections} connections, ${seconds} s per run, mean of ${RUNS} alternating runs; ` +
      `database ${dbUrl.startsWith('sqlite:') ? 'SQLite' : 'MySQL/MariaDB'}`,
  );
  log('');
  log(
    '| Token endpoint (client credentials, Basic) | Tokens/s | p50 ms | p99 ms |',
  );
  log('|---|---|---|---|');
  log(
    `| Auth server | ${ours.rps.toFixed(0)} | ${ours.p50.toFixed(1)} | ${ours.p99.toFixed(1)} |`,
  );
  log(
    `| oidc-provider alone, in-memory | ${alone.rps.toFixed(0)} | ${alone.p50.toFixed(1)} | ${alone.p99.toFixed(1)} |`,
  );
  log(`| Ratio | ${(ours.rps / alone.rps).toFixed(2)}× | | |`);
  log('');
  log(
    `Ratio per pair of runs: ${ratios.map((r) => `${r.toFixed(2)}×`).join(', ')}`,
  );
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
