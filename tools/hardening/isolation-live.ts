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
 *   DEMO_PASSWORD           password of the demo accounts (demo-password)
 *
 * Callers: each school's sandbox client with a client-credentials token from the auth server
 * (all the scopes its school approved), and each school's demo teacher signed in to the
 * sandbox application through the OpenID Connect sign-in (authorization code + PKCE through
 * the real sign-in form): a user token carrying the schools that are both the teacher's and
 * approving. To sign in, the tool issues a new secret for the sandbox application's OIDC
 * client (the previous one stays valid for its rotation overlap). The probes and the leak
 * rules are those of apps/api/src/e2e/isolation.e2e.spec.ts (libs/api/testing, isolation.ts).
 */
import { existsSync } from 'node:fs';
import * as oidc from 'openid-client';
import { loadConfig } from '@oneroster/config';
import { ALL_ONEROSTER_SCOPES } from '@oneroster/contracts';
import { issueClientSecret } from '@oneroster/data-access-auth';
import { openDatabase } from '@oneroster/database';
import { Browser, signIn } from '@oneroster/testing-browser';
import {
  echoedBy,
  findLeaks,
  foreignOnly,
  generateReadProbes,
  loadSchoolWorlds,
  routesFromOpenApi,
} from '@oneroster/api-testing';

const BASE = '/ims/oneroster/v1p1';
/** An https redirect URI of the seeded sandbox application (never fetched: the code is read from it). */
const SIGN_IN_REDIRECT = 'https://sandbox-learning.example.com/oidc/callback';
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
  let teachers;
  let oidcSecret: string;
  let applicationId: string;
  try {
    worlds = await loadSchoolWorlds(query);
    clients = await query(
      "SELECT client_id, school_id, application_id FROM oauth_clients WHERE school_id IS NOT NULL AND client_id LIKE 'sandbox-%' ORDER BY school_id",
    );
    teachers = await query(
      "SELECT a.email AS email, r.school_id AS school_id FROM account_school_roles r JOIN accounts a ON a.id = r.account_id WHERE r.role = 'teacher' AND a.email LIKE 'teacher@%' ORDER BY r.school_id",
    );
    applicationId = String(clients[0]?.['application_id'] ?? '');
    oidcSecret = applicationId
      ? (
          await issueClientSecret(ds, {
            clientId: applicationId,
            applicationId,
            schoolId: null,
          })
        ).clientSecret
      : '';
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
  const password = process.env['DEMO_PASSWORD'] || 'demo-password';
  const rp = await oidc.discovery(
    new URL(config.tokens.issuer),
    applicationId,
    { redirect_uris: [SIGN_IN_REDIRECT], response_types: ['code'] },
    oidc.ClientSecretBasic(oidcSecret),
    { execute: [oidc.allowInsecureRequests] },
  );
  for (const t of teachers) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(rp, {
      redirect_uri: SIGN_IN_REDIRECT,
      scope: ['openid', ...ALL_ONEROSTER_SCOPES].join(' '),
      state,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const { landing } = await signIn(new Browser(), url, {
      email: String(t['email']),
      password,
    });
    if (landing.kind !== 'redirect' || !landing.url.searchParams.has('code'))
      throw new Error(
        `sign-in of ${String(t['email'])} did not return a code (${landing.kind} ${landing.url.href})`,
      );
    const tokens = await oidc.authorizationCodeGrant(rp, landing.url, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    callers.push({
      label: String(t['email']),
      schoolIds: [String(t['school_id'])],
      token: tokens.access_token,
    });
  }
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
  const get = (url: string, token: string) =>
    fetch(`${apiUrl}${url}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(30_000),
    });
  const statuses = new Map<number, number>();
  const failures: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < probes.length) {
        const p = probes[next++];
        const caller = byLabel.get(p.caller) ?? callers[0];
        let res = await get(p.url, caller.token);
        // The API's per-client rate limit: wait as told and ask again.
        while (res.status === 429) {
          await res.arrayBuffer();
          const wait = Number(res.headers.get('retry-after') ?? '1');
          await new Promise((r) => setTimeout(r, Math.max(wait, 1) * 1000));
          res = await get(p.url, caller.token);
        }
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
    `${probes.length} GET probes over ${routes.filter((r) => r.method === 'GET').length} routes with real tokens (${callers.length} callers: client credentials and signed-in teachers); statuses ${JSON.stringify(Object.fromEntries(statuses))}; ${failures.length} failures\n`,
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
