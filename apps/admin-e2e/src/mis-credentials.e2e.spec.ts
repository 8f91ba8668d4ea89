/**
 * The school administrator's MIS credentials screen end to end, in Debian's Chromium
 * against the real API, auth server and portal server on a fresh demo database: an
 * integrator writes a result back and the school's MIS connector collects it from the
 * change feed; the administrator sees the school's clients with their platform scopes,
 * takes `imports.write` away from the MIS by keyboard (its platform token request is then
 * refused) and gives it back (granted again); after the developer revokes the sandbox
 * client, the administrator issues the MIS credential for that approved application, the
 * secret shown once, and the secret gets a platform token with `imports.write`. The audit
 * trail shows the collection with the MIS application's name. Screenshots go to
 * docs/screenshots/ with UPDATE_SCREENSHOTS=1.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describeWithBrowser, launchChromium, screenshotDir } from './browser';
import { missingBuilds, startStack, type Stack } from './stack';

const SCREENSHOTS = screenshotDir('admin-e2e-mis-screenshots-');
const describeWith = describeWithBrowser('admin-e2e MIS credentials');

type Json = Record<string, unknown>;

describeWith('MIS credentials in the admin portal', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    const missing = missingBuilds();
    if (missing.length) {
      throw new Error(
        `Build the apps first (nx test admin-e2e does): missing ${missing.join(', ')}`,
      );
    }
    mkdirSync(SCREENSHOTS, { recursive: true });
    stack = await startStack();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (!process.env['UPDATE_SCREENSHOTS']) {
      rmSync(SCREENSHOTS, { recursive: true, force: true });
    }
  });

  async function newPage(width = 1280, height = 900): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    return page;
  }

  async function signIn(page: Page, email: string): Promise<void> {
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
  }

  const shoot = async (page: Page, name: string) => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({
      path: join(SCREENSHOTS, `${name}.png`),
      fullPage: true,
    });
  };

  /** A client-credentials token request; `platform` asks for the platform API as resource. */
  async function tokenRequest(
    clientId: string,
    secret: string,
    platform: boolean,
  ): Promise<{ status: number; body: Json }> {
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (platform) {
      form.set('resource', `${stack.authUrl}/platform/v1`);
      form.set('scope', 'imports.write');
    }
    const res = await fetch(`${stack.authUrl}/oidc/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: form,
    });
    return { status: res.status, body: (await res.json()) as Json };
  }

  async function api(path: string, token: string, body?: unknown) {
    const res = await fetch(`${stack.apiUrl}${path}`, {
      method: body === undefined ? 'GET' : 'PUT',
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Json };
  }

  it('lists the clients, changes the MIS scopes by keyboard, issues a credential once, and the trail shows the MIS collecting', async () => {
    const [schoolAdmin] = stack.demo.schoolAdmins;
    const sandbox = stack.demo.sandboxClients.find(
      (c) => c.school === schoolAdmin.school,
    );
    const mis = stack.demo.misClients.find(
      (c) => c.school === schoolAdmin.school,
    );
    if (!sandbox || !mis) throw new Error('the demo trust has no clients');

    // An integrator writes a line item back; the school's MIS collects it.
    const writer = String(
      (await tokenRequest(sandbox.clientId, sandbox.secret, false)).body[
        'access_token'
      ],
    );
    const classes = await api(
      `/ims/oneroster/v1p1/classes?limit=1&filter=${encodeURIComponent("classType='scheduled'")}`,
      writer,
    );
    const [klass] = classes.body['classes'] as Json[];
    expect(
      (
        await api('/ims/oneroster/v1p1/lineItems/li-mis-e2e', writer, {
          lineItem: { title: 'Spelling test', class: klass['sourcedId'] },
        })
      ).status,
    ).toBe(201);
    const feedToken = String(
      (await tokenRequest(mis.clientId, mis.secret, false)).body[
        'access_token'
      ],
    );
    const feed = await api('/platform/v1/gradebook/changes', feedToken);
    expect(feed.status).toBe(200);
    expect(
      (feed.body['changes'] as Json[]).some(
        (c) => c['sourcedId'] === 'li-mis-e2e',
      ),
    ).toBe(true);

    const page = await newPage();
    await signIn(page, schoolAdmin.email);
    await page.getByRole('link', { name: 'My school', exact: true }).click();
    await page.waitForURL(/\/school\/[^/]+\/[a-z]+$/);
    await page.getByRole('link', { name: 'MIS credentials' }).click();
    await page.getByRole('heading', { name: 'MIS credentials' }).waitFor();
    const misUrl = page.url();
    expect(misUrl).toMatch(/\/school\/[^/]+\/mis$/);
    const misRow = page.locator(`tr[data-client="${mis.clientId}"]`);
    const sandboxRow = page.locator(`tr[data-client="${sandbox.clientId}"]`);
    await misRow.waitFor();
    expect(await misRow.textContent()).toContain('MIS gradebook collector');
    expect(await misRow.getByTestId('platform-scopes').textContent()).toContain(
      'imports.write',
    );
    expect(
      await sandboxRow.getByTestId('platform-scopes').textContent(),
    ).toContain('none');
    await page.getByTestId('nothing-to-issue').waitFor();
    await shoot(page, 'mis-01-clients');

    // Keyboard only: open the dialog, untick imports.write, confirm.
    await misRow
      .getByRole('button', { name: /Change the platform scopes/ })
      .focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const box = dialog.getByRole('checkbox');
    expect(await box.isChecked()).toBe(true);
    await box.focus();
    await page.keyboard.press('Space');
    expect(await box.isChecked()).toBe(false);
    await dialog.getByRole('button', { name: 'Take the scopes away' }).focus();
    await page.keyboard.press('Enter');
    await page
      .getByRole('status')
      .filter({ hasText: `${mis.clientId} holds no platform scope now.` })
      .waitFor();
    const refused = await tokenRequest(mis.clientId, mis.secret, true);
    expect(refused.status).toBe(400);
    expect(refused.body['error']).toBe('invalid_target');

    await misRow
      .getByRole('button', { name: /Change the platform scopes/ })
      .click();
    await dialog.getByRole('checkbox').check();
    await dialog.getByRole('button', { name: 'Save scopes' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `${mis.clientId} now holds imports.write.` })
      .waitFor();
    const granted = await tokenRequest(mis.clientId, mis.secret, true);
    expect(granted.status).toBe(200);
    expect(granted.body['scope']).toBe('imports.write');

    // The developer revokes the sandbox client of this school (portal API, own session).
    const developer = await newPage();
    await signIn(developer, stack.demo.developer);
    const me = (await (
      await developer.request.get(`${stack.adminUrl}/portal/api/me`)
    ).json()) as { csrfToken: string };
    const revoked = await developer.request.post(
      `${stack.adminUrl}/portal/api/credentials/${sandbox.clientId}/revoke`,
      { headers: { 'X-CSRF-Token': me.csrfToken }, data: {} },
    );
    expect(revoked.status()).toBe(200);
    await developer.context().close();

    // The approved application has no client here now: the MIS credential is issued for it.
    await page.reload();
    const application = page.getByLabel('Application', { exact: true });
    await application.waitFor();
    await application.selectOption({
      label: 'Sandbox Explorer (by Sandbox Learning Ltd)',
    });
    const scope = page
      .getByRole('form', { name: 'Issue the MIS credential' })
      .getByRole('checkbox');
    expect(await scope.isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Issue credential' }).click();
    const notice = page.getByTestId('issued-secret');
    await notice.waitFor();
    const clientId = (
      await notice.locator('code').first().textContent()
    )?.trim();
    const secret = (await notice.locator('.secret').textContent())?.trim();
    expect(clientId).toMatch(/^cc-/);
    expect(secret?.length).toBeGreaterThanOrEqual(43);
    await shoot(page, 'mis-02-secret-once');
    const issuedRow = page.locator(`tr[data-client="${clientId}"]`);
    await issuedRow.waitFor();
    expect(await issuedRow.textContent()).toContain('Sandbox Explorer');
    expect(await issuedRow.textContent()).toContain('imports.write');
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await notice.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(secret);
    await page.reload();
    await issuedRow.waitFor();
    expect(await page.content()).not.toContain(secret);
    const issuedToken = await tokenRequest(
      clientId as string,
      secret as string,
      true,
    );
    expect(issuedToken.status).toBe(200);
    expect(issuedToken.body['scope']).toBe('imports.write');

    // The audit trail: the MIS's collection under its application's name, the scope changes.
    await page.getByRole('link', { name: 'Audit trail' }).click();
    await page.getByRole('heading', { name: 'Audit trail' }).waitFor();
    const collected = page.locator('tr', {
      hasText: 'gradebook.changes_collected',
    });
    await collected.waitFor();
    expect((await collected.textContent())?.replace(/\s+/g, ' ')).toContain(
      `MIS gradebook collector (client ${mis.clientId})`,
    );
    expect(
      await page
        .locator('tr', { hasText: 'client.platform_scopes_changed' })
        .count(),
    ).toBe(2);
    await page.context().close();

    // Phone width: the screen fits without sideways scrolling.
    const phone = await newPage(390, 844);
    await signIn(phone, schoolAdmin.email);
    await phone.goto(misUrl);
    await phone.getByRole('heading', { name: 'MIS credentials' }).waitFor();
    await phone.locator(`tr[data-client="${mis.clientId}"]`).waitFor();
    const overflow = await phone.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await shoot(phone, 'mis-03-phone');
    await phone.context().close();
  }, 180_000);
});
