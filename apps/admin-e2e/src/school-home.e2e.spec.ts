/**
 * The school administrator's home page and usage, end to end in Debian's Chromium against
 * the real API, auth server and portal server on a fresh demo database: a developer
 * registers an application and asks school A for it; the school's administrator signs in,
 * sees the decision waiting on the home page, follows the link and approves; the
 * application's client reads classes and pupils through the real API; the usage page then
 * shows those reads by kind of data, as a chart and a table, and the CSV download holds
 * the same figures. Screenshots go to docs/screenshots/ with UPDATE_SCREENSHOTS=1.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describeWithBrowser, launchChromium, screenshotDir } from './browser';
import { missingBuilds, startStack, type Stack } from './stack';

const SCOPE = 'https://purl.imsglobal.org/spec/or/v1p1/scope/';
const SCREENSHOTS = screenshotDir('admin-e2e-home-screenshots-');
const describeWith = describeWithBrowser('admin-e2e school home');

describeWith('school home page and usage in a browser', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    const missing = missingBuilds();
    if (missing.length)
      throw new Error(
        `Build the apps first (nx test admin-e2e does): missing ${missing.join(', ')}`,
      );
    mkdirSync(SCREENSHOTS, { recursive: true });
    stack = await startStack();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (!process.env['UPDATE_SCREENSHOTS'])
      rmSync(SCREENSHOTS, { recursive: true, force: true });
  });

  async function signedIn(email: string): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${stack.adminUrl}/home`);
    await page
      .getByRole('link', {
        name: 'Sign in with your OneRoster Exchange account',
      })
      .click();
    await page.waitForURL(`${stack.authUrl}/**`);
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(stack.demo.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${stack.adminUrl}/home`);
    await page.getByRole('heading', { name: 'Welcome' }).waitFor();
    return page;
  }

  /** A portal API call from the signed-in page (same origin, its CSRF token). */
  async function portal<T>(
    page: Page,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    return page.evaluate(
      async ({ method, path, body }) => {
        const me = (await (await fetch('/portal/api/me')).json()) as {
          csrfToken: string;
        };
        const res = await fetch(path, {
          method,
          headers: {
            'content-type': 'application/json',
            'x-csrf-token': me.csrfToken,
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: res.status, body: await res.json() };
      },
      { method, path, body },
    ) as Promise<{ status: number; body: T }>;
  }

  async function shoot(page: Page, name: string): Promise<void> {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({
      path: join(SCREENSHOTS, `${name}.png`),
      fullPage: true,
    });
  }

  it('home page → approve the waiting decision → real API reads show in the usage chart and the CSV', async () => {
    const [admin] = stack.demo.schoolAdmins;
    // The administrator signs in first: the school is the one the account administers.
    const page = await signedIn(admin.email);
    const adminMe = await portal<{ schools: { id: string }[] }>(
      page,
      'GET',
      '/portal/api/me',
    );
    const schoolId = adminMe.body.schools[0].id;

    // A developer registers an application and asks the school for it.
    const dev = await signedIn(stack.demo.developer);
    const me = await portal<{ integrator: { id: string; name: string } }>(
      dev,
      'GET',
      '/portal/api/me',
    );
    const integrator = me.body.integrator;
    const app = await portal<{ id: string }>(
      dev,
      'POST',
      `/portal/api/integrators/${integrator.id}/applications`,
      {
        name: 'Reading Tracker',
        description: 'Reading records for each class',
        requestedScopes: [`${SCOPE}roster-core.readonly`],
        redirectUris: ['https://reading.example.com/callback'],
      },
    );
    expect(app.status).toBe(201);
    expect(
      (
        await portal(
          dev,
          'POST',
          `/portal/api/applications/${app.body.id}/schools/${schoolId}/request`,
        )
      ).status,
    ).toBe(200);
    const credential = await portal<{ clientId: string; clientSecret: string }>(
      dev,
      'POST',
      `/portal/api/applications/${app.body.id}/credentials`,
      { schoolId },
    );
    expect(credential.status).toBe(201);
    await dev.context().close();

    // The administrator's home page: the decision waits, with the way to it.
    await page.getByRole('link', { name: 'My school', exact: true }).click();
    await page.waitForURL(/\/school\/[^/]+\/home$/);
    await page.getByRole('heading', { name: 'Decisions waiting' }).waitFor();
    const waiting = Number(
      (await page.getByTestId('waiting-count').textContent())?.trim(),
    );
    expect(waiting).toBeGreaterThanOrEqual(1);
    // The demo's sandbox application is approved: it has access, in plain words.
    const access = page
      .locator('[data-access]')
      .filter({ has: page.getByRole('heading', { name: 'Sandbox Explorer' }) });
    await access.waitFor();
    expect(await access.locator('[data-category="rosters"]').count()).toBe(1);
    await shoot(page, '17-school-home');

    await page
      .getByRole('link', { name: /^Decide on the application/ })
      .click();
    await page.waitForURL(/\/applications$/);
    const card = page.locator('article.card').filter({
      has: page.getByRole('heading', { name: 'Reading Tracker', exact: true }),
    });
    await card.getByRole('button', { name: 'Approve…' }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: 'Approve', exact: true })
      .click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Reading Tracker is approved.' })
      .waitFor();
    await page.getByRole('link', { name: 'Home', exact: true }).last().click();
    await page
      .locator(`[data-access="${app.body.id}"]`)
      .getByText('Rosters', { exact: false })
      .first()
      .waitFor();
    expect(
      Number((await page.getByTestId('waiting-count').textContent())?.trim()),
    ).toBe(waiting - 1);

    // The application reads through the real API: 7 classes, 3 pupils.
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    const tokenRes = await fetch(`${stack.authUrl}/oidc/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${credential.body.clientId}:${credential.body.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: form.toString(),
    });
    expect(tokenRes.status).toBe(200);
    const { access_token } = (await tokenRes.json()) as {
      access_token: string;
    };
    for (const path of ['classes?limit=7', 'students?limit=3']) {
      const res = await fetch(`${stack.apiUrl}/ims/oneroster/v1p1/${path}`, {
        headers: { authorization: `Bearer ${access_token}` },
      });
      expect([path, res.status]).toEqual([path, 200]);
      await res.json();
    }

    // The API adds its counts every 5 seconds; the usage page shows them by kind of data.
    await page.getByRole('link', { name: 'Usage', exact: true }).click();
    await page.getByRole('heading', { name: 'Usage', exact: true }).waitFor();
    const section = page.locator(`section[data-integrator="${integrator.id}"]`);
    const deadline = Date.now() + 30_000;
    while (
      (await section
        .locator('[data-category="classes"]')
        .filter({ hasText: '7 records' })
        .count()) === 0
    ) {
      if (Date.now() > deadline)
        throw new Error(
          `usage not shown:\n${await page.locator('main').innerText()}\n${stack.logs()}`,
        );
      await new Promise((r) => setTimeout(r, 1000));
      await page.reload();
      await page.getByRole('heading', { name: 'Usage', exact: true }).waitFor();
      await page.waitForLoadState('networkidle');
    }
    await section
      .locator('[data-category="pupils"]')
      .filter({ hasText: 'Pupils: 3 records in 1 request' })
      .waitFor();
    const chart = section.locator('svg[role="img"]');
    await chart.waitFor();
    expect(await chart.locator('desc').textContent()).toContain(
      '10 records in all',
    );
    await shoot(page, '18-usage-chart');

    // The CSV download: the same figures.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('usage-csv').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^usage-.+\.csv$/);
    const csv = readFileSync((await download.path()) as string, 'utf8')
      .trim()
      .split('\r\n');
    const today = new Date().toISOString().slice(0, 10);
    const rows = csv.filter((l) => l.includes(`,${integrator.id},`));
    expect(rows).toEqual([
      `${today},${integrator.id},${integrator.name},pupils,Pupils,1,3,0`,
      `${today},${integrator.id},${integrator.name},classes,Classes and courses,1,7,0`,
    ]);

    // Phone width: the home page still reads, nothing scrolls sideways but the chart.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('link', { name: 'Home', exact: true }).last().click();
    await page.getByRole('heading', { name: 'Decisions waiting' }).waitFor();
    expect(
      await page.evaluate(
        () => document.documentElement.scrollWidth <= window.innerWidth,
      ),
    ).toBe(true);
    await shoot(page, '19-phone-school-home');
    await page.context().close();
  });
});
