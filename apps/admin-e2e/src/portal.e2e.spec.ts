/**
 * The admin portal end to end, in Debian's Chromium against the real API, auth server and
 * portal server on a fresh demo database: a school administrator signs in, approves the
 * sandbox integrator's application with a subset of its scopes; that integrator's
 * client-credentials client then gets a token carrying exactly those scopes and reads the
 * school's classes; the administrator revokes and the API refuses the same token within
 * 5 seconds. Then the developer's and the operator's screens, and an account's lifecycle:
 * the first sign-in forces a new password; disabling, taking a role away and resetting the
 * password end its open portal session and its refresh grant at once. Screenshots of the
 * main screens go to docs/screenshots/ with UPDATE_SCREENSHOTS=1.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describeWithBrowser, launchChromium, screenshotDir } from './browser';
import {
  Browser as SignInBrowser,
  signIn as formSignIn,
} from '@oneroster/testing-browser';
import { missingBuilds, startStack, type Stack } from './stack';

// Playwright adds --headless and a fresh temporary --user-data-dir itself.
const SCOPE = 'https://purl.imsglobal.org/spec/or/v1p1/scope/';
const SCOPE_V1P2 = 'https://purl.imsglobal.org/spec/or/v1p2/scope/';
// Every run takes the screenshots; UPDATE_SCREENSHOTS=1 writes them over the committed ones.
const SCREENSHOTS = screenshotDir('admin-e2e-screenshots-');
const describeWith = describeWithBrowser('admin-e2e');

describeWith('admin portal in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;

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

  // Each test in a fresh browser context: no cookies from the one before.
  beforeEach(async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
    });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
  });

  afterEach(async () => {
    await page?.context().close();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (!process.env['UPDATE_SCREENSHOTS']) {
      rmSync(SCREENSHOTS, { recursive: true, force: true });
    }
  });

  async function shoot(name: string, top = true, on = page): Promise<void> {
    if (top) await on.evaluate(() => window.scrollTo(0, 0));
    await on.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
  }

  async function signIn(email: string, screenshot?: string): Promise<void> {
    await page.goto(`${stack.adminUrl}/home`);
    await page
      .getByRole('link', {
        name: 'Sign in with your OneRoster Exchange account',
      })
      .click();
    await page.waitForURL(`${stack.authUrl}/**`);
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(stack.demo.password);
    if (screenshot) await shoot(screenshot);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${stack.adminUrl}/home`).catch(async (failure) => {
      throw new Error(
        `${(failure as Error).message}\nat ${page.url()}:\n${await page.locator('body').innerText()}\n${stack.logs()}`,
        { cause: failure },
      );
    });
    await page.getByRole('heading', { name: 'Welcome' }).waitFor();
    await expectText(page.getByTestId('account'), email);
  }

  async function signOut(): Promise<void> {
    await page.getByRole('button', { name: 'Sign out' }).click();
    // The authorization server asks whether to end its session too.
    await page.waitForURL(`${stack.authUrl}/**`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${stack.adminUrl}/**`);
    await page.goto(`${stack.adminUrl}/home`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  }

  async function expectText(
    locator: ReturnType<Page['locator']>,
    text: string,
  ): Promise<void> {
    await locator.filter({ hasText: text }).first().waitFor();
  }

  async function token(
    client: { clientId: string; secret: string },
    scope?: string,
  ) {
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (scope) form.set('scope', scope);
    const res = await fetch(`${stack.authUrl}/oidc/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${client.clientId}:${client.secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: form.toString(),
    });
    return {
      status: res.status,
      body: (await res.json()) as {
        access_token?: string;
        scope?: string;
        error?: string;
      },
    };
  }

  const readClasses = (accessToken: string) =>
    fetch(`${stack.apiUrl}/ims/oneroster/v1p1/classes?limit=5`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });

  function card(name: string) {
    return page.locator('article.card').filter({
      has: page.getByRole('heading', { name, exact: true }),
    });
  }

  it('approve with chosen scopes → the integrator reads classes → revoke → refused within 5 s', async () => {
    const [admin] = stack.demo.schoolAdmins;
    expect(admin).toBeDefined();
    const client = stack.demo.sandboxClients.find(
      (c) => c.school === admin.school,
    );
    expect(client).toBeDefined();
    if (!client) return;

    await page.goto(`${stack.adminUrl}/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await shoot('01-sign-in');
    await signIn(admin.email, '02-auth-sign-in');

    await page.getByRole('link', { name: 'My school', exact: true }).click();
    await page.waitForURL(/\/school\/[^/]+\/home$/);
    await page.getByRole('link', { name: 'Applications', exact: true }).click();
    await page.waitForURL(/\/school\/[^/]+\/applications$/);
    const explorer = card('Sandbox Explorer');

    // The demo seeds the approval; revoke it so the school decides afresh.
    await explorer.getByRole('button', { name: 'Revoke…' }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: 'Revoke access' })
      .click();
    await expectText(page.getByRole('status'), 'Sandbox Explorer is revoked.');
    expect((await token(client)).status).toBe(400);

    // Approve with two of the requested scopes only.
    await explorer.getByRole('button', { name: 'Approve…' }).click();
    const dialog = page.getByRole('dialog');
    const boxes = dialog.getByRole('checkbox');
    await boxes.first().waitFor();
    expect(await boxes.count()).toBe(7);
    // The requested data is shown by category in plain words, each with the scope URIs of
    // both OneRoster versions it grants.
    const rosters = dialog.locator('fieldset[data-category="rosters"]');
    await expectText(
      rosters.locator('legend'),
      'Rosters: schools, terms, courses, classes, pupils, staff and enrolments',
    );
    for (const uri of [
      `${SCOPE}roster-core.readonly`,
      `${SCOPE}roster.readonly`,
      `${SCOPE_V1P2}roster-core.readonly`,
      `${SCOPE_V1P2}roster.readonly`,
    ])
      expect(
        await rosters.locator('code', { hasText: uri }).count(),
      ).toBeGreaterThan(0);
    const gradebook = dialog.locator('fieldset[data-category="gradebookRead"]');
    await expectText(gradebook.locator('legend'), 'Gradebook: read');
    expect(
      await gradebook
        .locator('code', { hasText: `${SCOPE_V1P2}gradebook-core.readonly` })
        .count(),
    ).toBe(1);
    const chosen = [
      `${SCOPE}roster-core.readonly`,
      `${SCOPE}resource.readonly`,
    ];
    for (let i = 0; i < (await boxes.count()); i++) {
      const box = boxes.nth(i);
      const value = await box.getAttribute('value');
      if (value && chosen.includes(value)) await box.check();
      else await box.uncheck();
    }
    await shoot('04-approve-dialog', false);
    await dialog.getByRole('button', { name: 'Approve', exact: true }).click();
    await expectText(page.getByRole('status'), 'Sandbox Explorer is approved.');
    await shoot('03-school-applications');

    const issued = await token(client);
    expect(issued.status).toBe(200);
    expect(issued.body.scope?.split(' ').sort()).toEqual([...chosen].sort());
    // The same approval covers OneRoster 1.2: the 1.2 counterparts of what was approved
    // (roster-core, not roster; both resource scopes), and nothing else.
    const v1p2 = await token(
      client,
      `${SCOPE_V1P2}roster-core.readonly ${SCOPE_V1P2}roster.readonly ${SCOPE_V1P2}resource-core.readonly ${SCOPE_V1P2}roster-demographics.readonly`,
    );
    expect(v1p2.status).toBe(200);
    expect(v1p2.body.scope?.split(' ').sort()).toEqual(
      [
        `${SCOPE_V1P2}resource-core.readonly`,
        `${SCOPE_V1P2}roster-core.readonly`,
      ].sort(),
    );
    const accessToken = issued.body.access_token as string;
    const classes = await readClasses(accessToken);
    expect(classes.status).toBe(200);
    expect(
      ((await classes.json()) as { classes: unknown[] }).classes.length,
    ).toBeGreaterThan(0);
    const demographics = await fetch(
      `${stack.apiUrl}/ims/oneroster/v1p1/demographics`,
      { headers: { authorization: `Bearer ${accessToken}` } },
    );
    expect(demographics.status).toBe(403);

    await page.getByRole('link', { name: 'View the receipt' }).click();
    await page.getByRole('heading', { name: 'Decision receipt' }).waitFor();
    await expectText(page.locator('dl'), 'approved');
    await expectText(
      page.locator('dl li[data-category="resources"]'),
      `${SCOPE_V1P2}resource-core.readonly`,
    );
    await expectText(
      page.locator('dl li[data-category="resources"]'),
      `${SCOPE}resource.readonly`,
    );
    await shoot('05-receipt');
    await page.goBack();

    await card('Sandbox Explorer')
      .getByRole('button', { name: 'Revoke…' })
      .click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: 'Revoke access' })
      .click();
    await expectText(page.getByRole('status'), 'Sandbox Explorer is revoked.');
    const revokedAt = Date.now();
    let refusedAfter = -1;
    while (Date.now() - revokedAt < 10_000) {
      const res = await readClasses(accessToken);
      if (res.status === 401 || res.status === 403) {
        refusedAfter = Date.now() - revokedAt;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(refusedAfter).toBeGreaterThanOrEqual(0);
    expect(refusedAfter).toBeLessThan(5000);
    // The revocation stops both versions at the token endpoint.
    for (const scope of [
      `${SCOPE}roster-core.readonly`,
      `${SCOPE_V1P2}roster-core.readonly`,
    ]) {
      const refused = await token(client, scope);
      expect({
        scope,
        status: refused.status,
        error: refused.body.error,
      }).toEqual({ scope, status: 400, error: 'access_denied' });
    }

    await page.getByRole('link', { name: 'Audit trail' }).click();
    await page.getByRole('heading', { name: 'Audit trail' }).waitFor();
    await page.locator('table tbody tr').first().waitFor();
    await shoot('06-audit-trail');
    await page.getByRole('link', { name: 'Usage' }).click();
    await page.getByRole('heading', { name: 'Usage', exact: true }).waitFor();
    await page.waitForLoadState('networkidle');
    await shoot('07-usage');
    // The school's own data, exported as OneRoster CSV, checks clean.
    const schoolId = /\/school\/([^/]+)\//.exec(page.url())?.[1] as string;
    const zip = await stack.exportSchool(schoolId);
    await page.getByRole('link', { name: 'CSV import' }).click();
    await page.getByRole('heading', { name: 'CSV import' }).waitFor();
    await page.getByLabel('OneRoster CSV zip').setInputFiles(zip);
    await page.getByLabel('Check only').check();
    await page.getByRole('button', { name: 'Upload' }).click();
    const job = page.getByTestId('import-job');
    await expectText(job, 'succeeded');
    await expectText(job, '0 errors');
    await shoot('08-csv-import');

    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('link', { name: 'Applications', exact: true }).click();
    await card('Sandbox Explorer').waitFor();
    await shoot('09-phone-applications');
    await page.setViewportSize({ width: 1280, height: 900 });

    await signOut();
  });

  it('developer: a rotated secret shown once works, the sandbox', async () => {
    await signIn(stack.demo.developer);
    await page.getByRole('link', { name: 'Applications', exact: true }).click();
    await page.getByRole('link', { name: 'Sandbox Explorer' }).click();
    await page.getByRole('heading', { name: 'Sandbox Explorer' }).waitFor();
    await shoot('10-developer-application');

    // Rotate the sandbox client of a school that approved the application.
    const row = page.locator('tr[data-client^="sandbox-"]').first();
    await row.getByRole('button', { name: 'Rotate…' }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: 'Rotate' })
      .click();
    const secretBox = page.getByTestId('issued-secret');
    await secretBox.waitFor().catch(async (failure) => {
      throw new Error(
        `${(failure as Error).message}\n${await page.locator('main').innerText()}`,
        { cause: failure },
      );
    });
    const clientId = (
      await secretBox.locator('code').first().textContent()
    )?.trim();
    const secret = (await secretBox.locator('.secret').textContent())?.trim();
    expect(secret && secret.length).toBeGreaterThanOrEqual(43);
    await shoot('11-credential-secret-once');

    const issued = await token({
      clientId: clientId as string,
      secret: secret as string,
    });
    expect(issued.status).toBe(200);

    await page.getByRole('button', { name: 'I have stored it' }).click();
    await secretBox.waitFor({ state: 'detached' });
    await page.reload();
    await page.getByRole('heading', { name: 'Credentials' }).waitFor();
    await page.locator(`[data-client="${clientId}"]`).waitFor();
    expect(await page.content()).not.toContain(secret);

    await page.getByRole('link', { name: 'Sandbox', exact: true }).click();
    await page.getByRole('heading', { name: 'Sandbox' }).waitFor();
    await page.getByRole('link', { name: /Swagger UI/ }).waitFor();
    await shoot('12-sandbox');
    await signOut();
  });

  it('operator: onboards an account and sees its initial password once', async () => {
    await signIn(stack.demo.operator);
    await page.getByRole('link', { name: 'Onboarding', exact: true }).click();
    await page.getByRole('link', { name: 'Accounts' }).click();
    await page.getByLabel('Email').fill('new.admin@e2e.example.org');
    await page.getByLabel('Name').fill('New Admin');
    await page.getByLabel('School', { exact: true }).selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Create account' }).click();
    const notice = page.getByTestId('initial-password');
    await notice.waitFor();
    const password = (await notice.locator('.secret').textContent())?.trim();
    expect(password && password.length).toBeGreaterThanOrEqual(12);
    await shoot('13-operator-accounts');
    await signOut();
  });

  describe('account lifecycle', () => {
    const email = 'lifecycle.admin@e2e.example.org';
    const APP_REDIRECT = 'https://sandbox-learning.example.com/oidc/callback';
    let oidcClient: { clientId: string; secret: string };
    let userPage: Page;

    afterEach(async () => {
      await userPage?.context().close();
    });

    /** Signs in on `p` up to the sign-in form's answer (no expectation where it lands). */
    async function submitSignIn(p: Page, password: string): Promise<void> {
      await p.goto(`${stack.adminUrl}/home`);
      await p
        .getByRole('link', {
          name: 'Sign in with your OneRoster Exchange account',
        })
        .click();
      await p.waitForURL(`${stack.authUrl}/**`);
      await p.getByLabel('Email address').fill(email);
      await p.getByLabel('Password').fill(password);
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.waitForLoadState();
    }

    async function chooseNewPassword(p: Page, password: string) {
      await p.getByRole('heading', { name: 'Choose a new password' }).waitFor();
      await p.getByLabel('New password', { exact: true }).fill(password);
      await p.getByLabel('Repeat the new password').fill(password);
      await p
        .getByRole('button', { name: 'Set password and continue' })
        .click();
      await p.waitForURL(`${stack.adminUrl}/home`);
      await p.getByRole('heading', { name: 'Welcome' }).waitFor();
    }

    const portalStatus = (p: Page) =>
      p.evaluate(async () => (await fetch('/portal/api/me')).status);

    /** The account signs in to the sandbox application: a refresh token (code + PKCE). */
    async function refreshToken(password: string): Promise<string> {
      const verifier = randomBytes(32).toString('base64url');
      const url = new URL(`${stack.authUrl}/oidc/auth`);
      for (const [key, value] of Object.entries({
        client_id: oidcClient.clientId,
        redirect_uri: APP_REDIRECT,
        response_type: 'code',
        scope: `openid offline_access ${SCOPE}roster-core.readonly`,
        code_challenge: createHash('sha256')
          .update(verifier)
          .digest('base64url'),
        code_challenge_method: 'S256',
        state: randomBytes(8).toString('hex'),
        prompt: 'consent',
      }))
        url.searchParams.set(key, value);
      const { landing } = await formSignIn(new SignInBrowser(), url, {
        email,
        password,
      });
      expect(landing.kind).toBe('redirect');
      const code = landing.url.searchParams.get('code') as string;
      const res = await tokenRequest({
        grant_type: 'authorization_code',
        code,
        redirect_uri: APP_REDIRECT,
        code_verifier: verifier,
      });
      expect(res.status).toBe(200);
      return res.body['refresh_token'] as string;
    }

    async function tokenRequest(form: Record<string, string>) {
      const res = await fetch(`${stack.authUrl}/oidc/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${encodeURIComponent(oidcClient.clientId)}:${encodeURIComponent(oidcClient.secret)}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams(form),
      });
      return {
        status: res.status,
        body: (await res.json()) as Record<string, unknown>,
      };
    }

    const row = () => page.locator(`tr[data-account="${email}"]`);

    async function confirmOnRow(button: string | RegExp, confirm: string) {
      await row().getByRole('button', { name: button }).click();
      await page
        .getByRole('dialog')
        .getByRole('button', { name: confirm })
        .click();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
    }

    it('first sign-in forces a new password; disabling ends the open session and the refresh at once', async () => {
      // The sandbox application's staff sign-in client, so the account can hold a refresh token.
      await signIn(stack.demo.developer);
      await page
        .getByRole('link', { name: 'Applications', exact: true })
        .click();
      await page.getByRole('link', { name: 'Sandbox Explorer' }).click();
      await page.getByLabel('New credentials for').selectOption('oidc');
      await page.getByRole('button', { name: 'Create credentials' }).click();
      const issued = page.getByTestId('issued-secret');
      await issued.waitFor();
      oidcClient = {
        clientId: (
          await issued.locator('code').first().textContent()
        )?.trim() as string,
        secret: (
          await issued.locator('.secret').textContent()
        )?.trim() as string,
      };
      await signOut();

      await signIn(stack.demo.operator);
      await page.getByRole('link', { name: 'Onboarding', exact: true }).click();
      await page.getByRole('link', { name: 'Accounts' }).click();
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Name').fill('Lifecycle Admin');
      // Not the first test's school: that one revoked the sandbox application, and the
      // account's refresh tokens are for that application.
      const school = stack.demo.schoolAdmins.at(-1)?.school as string;
      expect(school).not.toBe(stack.demo.schoolAdmins[0]?.school);
      await page
        .getByLabel('School', { exact: true })
        .selectOption({ label: school });
      await page.getByRole('button', { name: 'Create account' }).click();
      const notice = page.getByTestId('initial-password');
      await notice.waitFor();
      const oneTime = (await notice.locator('.secret').textContent())?.trim();
      expect(oneTime).toBeTruthy();

      // The account's holder, in a browser of their own.
      userPage = await (
        await browser.newContext({ viewport: { width: 1280, height: 900 } })
      ).newPage();
      userPage.setDefaultTimeout(20_000);
      await submitSignIn(userPage, oneTime as string);
      await userPage
        .getByRole('heading', { name: 'Choose a new password' })
        .waitFor();
      await shoot('14-first-sign-in-new-password', true, userPage);
      const mine = 'my own lifecycle password';
      await chooseNewPassword(userPage, mine);
      expect(await portalStatus(userPage)).toBe(200);
      const refresh = await refreshToken(mine);

      await page.reload();
      await row().waitFor();
      await confirmOnRow('Disable…', 'Disable account');
      await expectText(page.getByRole('status'), 'is disabled');
      // At once: the very next request of the open session and the next refresh fail.
      expect(await portalStatus(userPage)).toBe(401);
      const refused = await tokenRequest({
        grant_type: 'refresh_token',
        refresh_token: refresh,
      });
      expect(refused.status).toBe(400);
      expect(refused.body['error']).toBe('invalid_grant');
      await userPage.goto(`${stack.adminUrl}/home`);
      await userPage.getByRole('heading', { name: 'Sign in' }).waitFor();
      await submitSignIn(userPage, mine);
      await expectText(
        userPage.getByRole('alert'),
        'This account is disabled.',
      );

      await confirmOnRow('Enable…', 'Enable account');
      await expectText(page.getByRole('status'), 'is enabled');
      await submitSignIn(userPage, mine);
      await userPage.waitForURL(`${stack.adminUrl}/home`);
      expect(await portalStatus(userPage)).toBe(200);
    });

    it('taking a role away ends the session; a reset shows a one-time password that forces a change', async () => {
      const mine = 'my own lifecycle password';
      userPage = await (
        await browser.newContext({ viewport: { width: 1280, height: 900 } })
      ).newPage();
      userPage.setDefaultTimeout(20_000);
      await submitSignIn(userPage, mine);
      await userPage.waitForURL(`${stack.adminUrl}/home`);
      await userPage
        .getByRole('link', { name: 'My school', exact: true })
        .waitFor();
      const refresh = await refreshToken(mine);

      await signIn(stack.demo.operator);
      await page.getByRole('link', { name: 'Onboarding', exact: true }).click();
      await page.getByRole('link', { name: 'Accounts' }).click();
      await row().waitFor();
      await confirmOnRow(
        /^Remove school admin at .+ from Lifecycle Admin$/,
        'Remove role',
      );
      await expectText(page.getByRole('status'), 'is no longer school admin');
      expect(await portalStatus(userPage)).toBe(401);
      expect(
        (
          await tokenRequest({
            grant_type: 'refresh_token',
            refresh_token: refresh,
          })
        ).body['error'],
      ).toBe('invalid_grant');

      await confirmOnRow('Reset password…', 'Reset password');
      const notice = page.getByTestId('one-time-password');
      await notice.waitFor();
      const oneTime = (await notice.locator('.secret').textContent())?.trim();
      expect(oneTime && oneTime.length).toBeGreaterThanOrEqual(20);
      await shoot('15-operator-reset-password');
      await notice.getByRole('button', { name: 'Done' }).click();
      await notice.waitFor({ state: 'detached' });
      expect(await page.content()).not.toContain(oneTime);

      // The old password is gone; the one-time one leads to the new-password form.
      await submitSignIn(userPage, mine);
      await expectText(
        userPage.getByRole('alert'),
        'The email address or password is wrong.',
      );
      await submitSignIn(userPage, oneTime as string);
      await chooseNewPassword(userPage, 'after the reset, mine');
      // No role left: signed in, nothing to open but the common pages.
      expect(await portalStatus(userPage)).toBe(200);
      expect(
        await userPage
          .getByRole('link', { name: 'My school', exact: true })
          .count(),
      ).toBe(0);

      // Changing one's own password in the portal.
      await userPage.getByRole('link', { name: 'Change password' }).click();
      await userPage
        .getByRole('heading', { name: 'Change your password' })
        .waitFor();
      await userPage
        .getByLabel('Current password')
        .fill('after the reset, mine');
      await userPage
        .getByLabel('New password', { exact: true })
        .fill('changed in the portal');
      await userPage
        .getByLabel('Repeat the new password')
        .fill('changed in the portal');
      await userPage.getByRole('button', { name: 'Change password' }).click();
      await expectText(
        userPage.getByRole('status'),
        'Your password is changed.',
      );
      await shoot('16-change-password', true, userPage);
      expect(await portalStatus(userPage)).toBe(200);
    });
  });
});
