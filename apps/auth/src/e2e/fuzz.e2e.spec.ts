import fc from 'fast-check';
import { ALL_ONEROSTER_SCOPES } from '@oneroster/contracts';
import { testEngines } from '@oneroster/database/testing';
import type { DemoCredentials } from '@oneroster/demo-data';
import {
  basic,
  seededDatabase,
  startTestAuth,
  TEST_AUDIENCE,
  TEST_SECRET,
  TestAuth,
} from './support';

/**
 * Fuzzing the token endpoint (RFC 6749 §5.2): any form body, client authentication and
 * content type answers either a token (200) or an OAuth error JSON (`error`, a 4xx), never
 * a 5xx and never a hang. CI size by default; `FUZZ_SCALE=10` (or `npm run hardening --
 * fuzz`) for the full run, `FUZZ_SEED` to replay.
 */
const SCALE = Number(process.env['FUZZ_SCALE'] || 1);
const SEED = Number(process.env['FUZZ_SEED'] || 424242);
const TIMEOUT_MS = 20_000;

const engines = testEngines('auth_fuzz', { sqliteFile: true }).filter(
  (e) => !process.env['FUZZ_ENGINE'] || e.name === process.env['FUZZ_ENGINE'],
);

describe.each(engines)('fuzzing the token endpoint on $name', (engine) => {
  let auth: TestAuth;
  let demo: DemoCredentials;
  const tally = new Map<number, number>();
  const errors = new Map<string, number>();

  beforeAll(async () => {
    const seeded = await seededDatabase(engine);
    demo = seeded.demo;
    // Rate limiting is tested elsewhere; here every request must reach the grant handling.
    auth = await startTestAuth(seeded.database, { AUTH_TOKEN_RATE_LIMIT: '0' });
  }, 120_000);

  afterAll(async () => {
    process.stdout.write(
      `fuzz token endpoint (${engine.name}): statuses ${JSON.stringify(Object.fromEntries(tally))}, errors ${JSON.stringify(Object.fromEntries(errors))}\n`,
    );
    await auth?.close();
  });

  it('answers any token request with a token or an OAuth error JSON, never a 5xx', async () => {
    const client = demo.clients[0].clientId;
    const text = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.constantFrom(
        '',
        ' ',
        '%',
        '%00',
        '\u0000',
        'a'.repeat(5000),
        ':',
        '::',
      ),
    );
    /** A valid request, then zero to three of these changes. */
    type Request = {
      form: [string, string][];
      headers: Record<string, string>;
      raw?: string;
    };
    const change = fc.oneof(
      fc
        .tuple(
          fc.constantFrom(
            'grant_type',
            'scope',
            'resource',
            'client_id',
            'client_secret',
            'audience',
          ),
          fc.oneof(
            text,
            fc.constantFrom(
              'authorization_code',
              'refresh_token',
              'password',
              'CLIENT_CREDENTIALS',
              TEST_AUDIENCE,
              'http://other.test',
              'urn:x',
              'no-such-client',
            ),
            fc
              .subarray([...ALL_ONEROSTER_SCOPES, 'openid', 'offline_access'])
              .map((x) => x.join(' ')),
          ),
        )
        .map(([k, v]) => (r: Request) => {
          r.form = r.form.filter(([n]) => n !== k);
          r.form.push([k, v]);
        }),
      fc.constantFrom('grant_type', 'scope').map((k) => (r: Request) => {
        r.form = r.form.filter(([n]) => n !== k);
      }),
      fc.constant((r: Request) => {
        if (r.form.length) r.form.push(r.form[0]);
      }),
      fc.tuple(text, text).map(([k, v]) => (r: Request) => {
        r.form.push([k, v]);
      }),
      fc
        .tuple(fc.constantFrom('basic', 'broken', 'none', 'post'), text)
        .map(([how, v]) => (r: Request) => {
          const id = client;
          if (how === 'none') delete r.headers['authorization'];
          if (how === 'basic') r.headers['authorization'] = basic(id, v);
          if (how === 'broken')
            r.headers['authorization'] = `Basic ${encodeURIComponent(v)}`;
          if (how === 'post') {
            r.form.push(['client_id', id], ['client_secret', v]);
          }
        }),
      fc
        .constantFrom(
          'application/x-www-form-urlencoded; charset=ISO-8859-1',
          'application/json',
          'text/plain',
          'multipart/form-data; boundary=x',
          '',
        )
        .map((t) => (r: Request) => {
          if (t) r.headers['content-type'] = t;
          else delete r.headers['content-type'];
        }),
      text.map((t) => (r: Request) => {
        r.raw = t;
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(change, { maxLength: 3 }),
        async (post, changes) => {
          const q: Request = {
            form: [
              ['grant_type', 'client_credentials'],
              ['scope', ALL_ONEROSTER_SCOPES[0]],
            ],
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
            },
          };
          if (post)
            q.form.push(['client_id', client], ['client_secret', TEST_SECRET]);
          else q.headers['authorization'] = basic(client, TEST_SECRET);
          for (const c of changes) c(q);
          const headers = q.headers;
          const form = new URLSearchParams(q.form);
          const body =
            q.raw ??
            (headers['content-type'] === 'application/json'
              ? JSON.stringify(Object.fromEntries(form))
              : form.toString());
          const res = await fetch(auth.tokenUrl, {
            method: 'POST',
            headers,
            body,
            signal: AbortSignal.timeout(TIMEOUT_MS),
          });
          tally.set(res.status, (tally.get(res.status) ?? 0) + 1);
          const text = await res.text();
          const where = `${JSON.stringify(headers)} ${body.slice(0, 300)}`;
          if (res.status >= 500)
            throw new Error(
              `${res.status} for ${where}: ${text.slice(0, 300)}`,
            );
          let json: Record<string, unknown>;
          try {
            json = JSON.parse(text) as Record<string, unknown>;
          } catch {
            throw new Error(
              `not JSON (${res.status}) for ${where}: ${text.slice(0, 200)}`,
            );
          }
          const code = `${res.status} ${String(json['error'] ?? 'token')}`;
          errors.set(code, (errors.get(code) ?? 0) + 1);
          if (res.status === 200) {
            if (typeof json['access_token'] !== 'string')
              throw new Error(`200 without a token for ${where}`);
          } else if (
            res.status < 400 ||
            typeof json['error'] !== 'string' ||
            !/^[\x20-\x21\x23-\x5B\x5D-\x7E]+$/.test(json['error'])
          )
            throw new Error(
              `not an OAuth error (${res.status}) for ${where}: ${text}`,
            );
        },
      ),
      { numRuns: 300 * SCALE, seed: SEED },
    );
    // The generator must reach both outcomes, or the property says little.
    expect(tally.get(200) ?? 0).toBeGreaterThan(0);
    expect(tally.get(400) ?? 0).toBeGreaterThan(0);
    expect(tally.get(401) ?? 0).toBeGreaterThan(0);
  }, 3_600_000);
});
