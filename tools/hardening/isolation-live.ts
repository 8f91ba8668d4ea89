/**
 * Cross-school isolation probes against a running API with real tokens of the auth server:
 * `npm run hardening -- isolation-live [--probes N] [--seed N]`, e.g. after `npm start`.
 * Read-only: GET probes only.
 *
 *   DATABASE_URL            the database the API serves (read for the schools' ids)
 *   API_PUBLIC_URL          the API (default http://localhost:3000)
 *   AUTH_PUBLIC_URL         the auth server (default http://localhost:3333; token endpoint
 *                           <AUTH_PUBLIC_URL>/oidc/token)
 *   SANDBOX_CLIENT_SECRET   secret of the demo's school-bound sandbox clients (sandbox-secret)
 *
 * Each school's sandbox client gets a client-credentials token from the auth server (all
 * the scopes its school approved); the probes and the leak rules are those of
 * apps/api/src/e2e/isolation.e2e.spec.ts (libs/api/testing, isolation.ts).
 */
import { existsSync } from 'node:fs';
import { loadConfig } from '@oneroster/config';
import { openDatabase } from '@oneroster/database';
import {
  echoedBy,
  findLeaks,
  foreignOnly,
  generateReadProbes,
  loadSchoolWorlds,
  routesFromOpenApi,
} from '@oneroster/api-testing';

const BASE = '/ims/oneroster/v1p1';
const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};

async function main(): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  const apiUrl = config.apiPublicUrl.replace(/\/$/, '');
  const tokenUrl = `${config.tokens.issuer}/token`;
  const secret = process.env['SANDBOX_CLIENT_SECRET'] || 'sandbox-secret';
  const ds = await openDatabase(config.database);
  const query = (sql: string, p: unknown[] = []) =>
    ds.query(sql, p) as Promise<Record<string, unknown>[]>;
  let worlds;
  let clients;
  try {
    worlds = await loadSchoolWorlds(query);
    clients = await query(
      "SELECT client_id, school_id FROM oauth_clients WHERE school_id IS NOT NULL AND client_id LIKE 'sandbox-%' ORDER BY school_id",
    );
  } finally {
    await ds.destroy();
  }
  const callers: { label: string; schoolIds: string[]; token: string }[] = [];
  for (const c of clients) {
    const res = await fetch(tokenUrl, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(String(c['client_id']))}:${encodeURIComponent(secret)}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    const body = (await res.json()) as Record<string, unknown>;
    if (res.status !== 200)
      throw new Error(
        `${tokenUrl} refused ${String(c['client_id'])}: ${JSON.stringify(body)}`,
      );
    callers.push({
      label: String(c['client_id']),
      schoolIds: [String(c['school_id'])],
      token: String(body['access_token']),
    });
  }
  if (callers.length < 2)
    throw new Error('Need at least two schools with a sandbox client');
  const doc = (await (await fetch(`${apiUrl}/docs-json`)).json()) as {
    paths: object;
  };
  const routes = routesFromOpenApi(doc, BASE);
  const probes = generateReadProbes({
    routes,
    worlds,
    callers,
    count: Number(opt('probes', '2000')),
    seed: Number(opt('seed', '20261127')),
  });
  const byLabel = new Map(callers.map((c) => [c.label, c]));
  const foreign = new Map(
    callers.map((c) => [c.label, foreignOnly(worlds, c.schoolIds)]),
  );
  const statuses = new Map<number, number>();
  const failures: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < probes.length) {
        const p = probes[next++];
        const caller = byLabel.get(p.caller) ?? callers[0];
        const res = await fetch(`${apiUrl}${p.url}`, {
          headers: { authorization: `Bearer ${caller.token}` },
          signal: AbortSignal.timeout(30_000),
        });
        const text = await res.text();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          /* judged as text */
        }
        const why: string[] = [];
        if (res.status >= 500) why.push(`status ${res.status}`);
        if (p.foreignPath && res.status !== 404 && res.status !== 400)
          why.push(`another school's id in the path answered ${res.status}`);
        const leaks = findLeaks(
          body,
          foreign.get(caller.label) ?? new Set<string>(),
          echoedBy(p.url),
        );
        if (leaks.length) why.push(`leaks ${leaks.slice(0, 5).join(', ')}`);
        if (why.length)
          failures.push(`${caller.label} GET ${p.url}: ${why.join('; ')}`);
      }
    }),
  );
  process.stdout.write(
    `${probes.length} GET probes over ${routes.filter((r) => r.method === 'GET').length} routes with real client-credentials tokens of ${callers.length} schools; statuses ${JSON.stringify(Object.fromEntries(statuses))}; ${failures.length} failures\n`,
  );
  for (const f of failures.slice(0, 20)) process.stdout.write(`  ${f}\n`);
  return failures.length ? 1 : 0;
}

main()
  .then((code) => (process.exitCode = code))
  .catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
