import { existsSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import { ONEROSTER_SCOPES } from '@oneroster/contracts';
import { openDatabase } from '@oneroster/database';
import { testEngines } from '@oneroster/database/testing';
import { TestApi, startTestApi } from './support';

/*
 * Web hygiene of the API as a browser or a hostile client meets it: security headers, strict
 * CORS, the body size limit, and no internal detail in any error.
 */
const BASE = '/ims/oneroster/v1p1';
const ADMIN = 'http://portal.test';
type Json = Record<string, unknown>;

const minor = (b: Json) =>
  (
    b['imsx_CodeMinor'] as {
      imsx_codeMinorField: { imsx_codeMinorFieldValue: string }[];
    }
  ).imsx_codeMinorField[0].imsx_codeMinorFieldValue;

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) =>
  existsSync(p),
);

describe('API web hygiene', () => {
  let api: TestApi;
  let token: string;
  const [engine] = testEngines('hygiene_e2e', { sqliteFile: true });

  beforeAll(async () => {
    api = await startTestApi(engine, { env: { CORS_ORIGINS: ADMIN } });
    token = await api.issuer.token({
      school_ids: [api.plan.schools[0].schoolId],
      scope: [
        ONEROSTER_SCOPES.roster,
        ONEROSTER_SCOPES.gradebookCreatePut,
      ].join(' '),
    });
  }, 240_000);

  afterAll(async () => {
    await api?.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${api.url}${path}`, {
      headers: { authorization: `Bearer ${token}`, ...headers },
    });

  it('sends security headers and no X-Powered-By', async () => {
    const res = await get(`${BASE}/orgs?limit=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=/);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    // The token endpoint, for Swagger UI's "Authorize".
    expect(csp).toContain(
      `connect-src 'self' ${new URL(api.issuer.issuer).origin}`,
    );
    // Plain http deployment: no upgrade of subresources to https.
    expect(csp).not.toContain('upgrade-insecure-requests');
  });

  it('allows only the configured origins to call it from a browser', async () => {
    const preflight = (origin: string) =>
      fetch(`${api.url}${BASE}/orgs`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });
    const ok = await preflight(ADMIN);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ADMIN);
    expect(ok.headers.get('access-control-allow-headers')).toMatch(
      /authorization/i,
    );
    expect(ok.headers.get('access-control-allow-credentials')).toBeNull();
    const evil = await preflight('https://evil.example');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await get(`${BASE}/orgs?limit=1`, { origin: ADMIN });
    expect(simple.headers.get('access-control-allow-origin')).toBe(ADMIN);
    expect(simple.headers.get('access-control-expose-headers')).toMatch(
      /X-Total-Count.*Link/,
    );
    const other = await get(`${BASE}/orgs?limit=1`, {
      origin: 'https://evil.example',
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a JSON body above 1 MB with 413 and a OneRoster payload', async () => {
    const big = JSON.stringify({
      result: { comment: 'x'.repeat(1_100_000) },
    });
    const res = await fetch(`${api.url}${BASE}/results/r-big`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: big,
    });
    expect(res.status).toBe(413);
    const body = (await res.json()) as Json;
    expect(body['imsx_codeMajor']).toBe('failure');
    expect(minor(body)).toBe('invaliddata');
    expect(String(body['imsx_description'])).not.toMatch(/at \w|node_modules/);
  });

  it('answers malformed JSON with 400 and no parser internals', async () => {
    const res = await fetch(`${api.url}${BASE}/results/r-bad`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: '{"result": {',
    });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(minor(JSON.parse(text) as Json)).toBe('invaliddata');
    expect(text).not.toMatch(
      /SyntaxError|at JSON\.parse|node_modules|\.js:\d+/,
    );
  });

  it('turns an internal error into a generic 500 without stack or SQL', async () => {
    // A real internal fault: the table behind /orgs disappears under the running API.
    const db: DataSource = await openDatabase(api.database);
    await db.query('ALTER TABLE orgs RENAME TO orgs_away');
    try {
      const res = await get(`${BASE}/orgs`);
      const text = await res.text();
      expect(res.status).toBe(500);
      const body = JSON.parse(text) as Json;
      expect(body['imsx_description']).toBe('Internal server error');
      expect(minor(body)).toBe('internal_server_error');
      expect(text).not.toMatch(/orgs|SQLITE|sqlite|SELECT|stack|\.ts:\d+/i);
    } finally {
      await db.query('ALTER TABLE orgs_away RENAME TO orgs');
      await db.destroy();
    }
    expect((await get(`${BASE}/orgs?limit=1`)).status).toBe(200);
  });

  it('answers an unknown route with a OneRoster 404, not Express HTML', async () => {
    const res = await get('/nothing/here');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(minor((await res.json()) as Json)).toBe('unknownobject');
  });

  (CHROMIUM ? it : it.skip)(
    'still runs Swagger UI at /docs under the Content-Security-Policy',
    async () => {
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox'],
      });
      try {
        const page = await browser.newPage();
        const violations: string[] = [];
        page.on('console', (m) => {
          if (/Content Security Policy|Refused to/i.test(m.text()))
            violations.push(m.text());
        });
        await page.goto(`${api.url}/docs`);
        await page.waitForSelector('.swagger-ui .info .title', {
          timeout: 20_000,
        });
        expect(await page.textContent('.swagger-ui .info .title')).toContain(
          'OneRoster 1.1 API',
        );
        // The operations are rendered from /docs-json.
        await page.waitForSelector('.opblock', { timeout: 20_000 });
        expect(await page.locator('.opblock').count()).toBeGreaterThan(60);
        expect(violations).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );

  (CHROMIUM ? it : it.skip)(
    'runs the 1.2 rostering Swagger UI at /docs-v1p2 under the Content-Security-Policy',
    async () => {
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox'],
      });
      try {
        const page = await browser.newPage();
        const violations: string[] = [];
        page.on('console', (m) => {
          if (/Content Security Policy|Refused to/i.test(m.text()))
            violations.push(m.text());
        });
        await page.goto(`${api.url}/docs-v1p2`);
        await page.waitForSelector('.swagger-ui .info .title', {
          timeout: 20_000,
        });
        expect(await page.textContent('.swagger-ui .info .title')).toContain(
          'OneRoster 1.2 rostering API',
        );
        // The 41 operations are rendered from /docs-v1p2-json.
        await page.waitForSelector('.opblock', { timeout: 20_000 });
        expect(await page.locator('.opblock').count()).toBe(41);
        expect(violations).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
  (CHROMIUM ? it.each : it.skip.each)([
    ['gradebook', 35],
    ['resources', 5],
  ])(
    'runs the 1.2 %s Swagger UI at /docs-v1p2-<service> under the Content-Security-Policy',
    async (service, operations) => {
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox'],
      });
      try {
        const page = await browser.newPage();
        const violations: string[] = [];
        page.on('console', (m) => {
          if (/Content Security Policy|Refused to/i.test(m.text()))
            violations.push(m.text());
        });
        await page.goto(`${api.url}/docs-v1p2-${service}`);
        await page.waitForSelector('.swagger-ui .info .title', {
          timeout: 20_000,
        });
        expect(await page.textContent('.swagger-ui .info .title')).toContain(
          `OneRoster 1.2 ${service} API`,
        );
        // The operations are rendered from /docs-v1p2-<service>-json.
        await page.waitForSelector('.opblock', { timeout: 20_000 });
        expect(await page.locator('.opblock').count()).toBe(operations);
        // Authorize offers the OAuth2 client-credentials scheme.
        await page.click('.auth-wrapper .authorize');
        await page.waitForSelector('.auth-container', { timeout: 10_000 });
        expect(await page.textContent('.auth-container')).toContain(
          'clientCredentials',
        );
        expect(violations).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
