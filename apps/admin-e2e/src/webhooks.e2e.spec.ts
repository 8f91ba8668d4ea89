/**
 * The developer's webhook screens end to end, in Debian's Chromium against the real API,
 * auth server and portal server on a fresh demo database, with a real HTTP receiver on
 * loopback that the test starts: the developer registers the receiver (the signing secret is
 * shown once), a school administrator revokes and approves the developer's application, the
 * receiver gets signed deliveries (the first attempt of each refused, so the log shows a
 * retry), the delivery log shows them with every attempt, a replay reaches the receiver again
 * with the same event id, and the webhook is deleted after a confirmation, by keyboard.
 * Screenshots go to docs/screenshots/ with UPDATE_SCREENSHOTS=1.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describeWithBrowser, launchChromium, screenshotDir } from './browser';
import { WEBHOOK_HEADERS } from '@oneroster/contracts';
import { freePort } from '@oneroster/testing-browser';
import { missingBuilds, startStack, type Stack } from './stack';

const SCREENSHOTS = screenshotDir('admin-e2e-webhook-screenshots-');
const describeWith = describeWithBrowser('admin-e2e webhooks');

interface Heard {
  id: string;
  type: string;
  timestamp: string;
  signature: string;
  body: string;
  answered: number;
}

/** A webhook receiver on loopback: refuses the first attempt of each event, then accepts. */
class Receiver {
  readonly heard: Heard[] = [];
  private server: Server | null = null;
  port = 0;

  async start(): Promise<void> {
    this.port = await freePort();
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const id = String(req.headers[WEBHOOK_HEADERS.id] ?? '');
        const answered = this.heard.some((h) => h.id === id) ? 200 : 503;
        this.heard.push({
          id,
          type: String(req.headers[WEBHOOK_HEADERS.event] ?? ''),
          timestamp: String(req.headers[WEBHOOK_HEADERS.timestamp] ?? ''),
          signature: String(req.headers[WEBHOOK_HEADERS.signature] ?? ''),
          body: Buffer.concat(chunks).toString('utf8'),
          answered,
        });
        res.statusCode = answered;
        res.end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(this.port, '127.0.0.1', () => resolve());
    });
  }

  url(): string {
    return `http://127.0.0.1:${this.port}/hooks/oneroster`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    server?.closeAllConnections();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

/** The receiver's own check of a delivery, as the README tells receivers to make it. */
function signedBy(secret: string, h: Heard): boolean {
  const expected = `v1=${createHmac('sha256', secret)
    .update(`${h.timestamp}.${h.body}`)
    .digest('hex')}`;
  const a = Buffer.from(expected);
  const b = Buffer.from(h.signature);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function until<T>(
  check: () => T | undefined | false,
  what: string,
  ms = 30_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describeWith('webhooks in the admin portal', () => {
  let stack: Stack;
  let browser: Browser;
  const receiver = new Receiver();

  beforeAll(async () => {
    const missing = missingBuilds();
    if (missing.length) {
      throw new Error(
        `Build the apps first (nx test admin-e2e does): missing ${missing.join(', ')}`,
      );
    }
    mkdirSync(SCREENSHOTS, { recursive: true });
    await receiver.start();
    // Fast retries, so that the refused first attempt is retried within the test.
    stack = await startStack({
      WEBHOOK_POLL_MS: '200',
      WEBHOOK_RETRY_BASE_MS: '500',
      WEBHOOK_RETRY_MAX_MS: '2000',
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await receiver.stop();
    if (!process.env['UPDATE_SCREENSHOTS']) {
      rmSync(SCREENSHOTS, { recursive: true, force: true });
    }
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
    });
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

  it('register → an approval is delivered, signed, retried and logged → replay → delete', async () => {
    const developer = await newPage();
    await signIn(developer, stack.demo.developer);
    await developer
      .getByRole('link', { name: 'Webhooks', exact: true })
      .click();
    await developer.getByRole('heading', { name: 'Webhooks' }).waitFor();
    await developer.getByText('No webhooks yet').waitFor();

    await developer.getByLabel(/^URL/).fill(receiver.url());
    // Keyboard only: the submit button is reached with Tab past the event boxes.
    const events = developer.getByRole('checkbox');
    expect(await events.count()).toBe(7);
    for (let i = 0; i < (await events.count()); i++)
      expect(await events.nth(i).isChecked()).toBe(true);
    await developer.getByRole('button', { name: 'Register webhook' }).focus();
    await developer.keyboard.press('Enter');
    const secretBox = developer.getByTestId('webhook-secret');
    await secretBox.waitFor();
    const secret = (await secretBox.locator('.secret').textContent())?.trim();
    expect(secret).toMatch(/^whsec_/);
    await shoot(developer, 'webhooks-01-secret-once');
    await developer.getByRole('button', { name: 'I have stored it' }).click();
    await secretBox.waitFor({ state: 'detached' });
    const row = developer.locator('tr[data-webhook]', {
      hasText: receiver.url(),
    });
    await row.waitFor();
    expect(await developer.content()).not.toContain(secret);

    // A school administrator decides about the developer's application.
    const admin = await newPage();
    const [schoolAdmin] = stack.demo.schoolAdmins;
    await signIn(admin, schoolAdmin.email);
    await admin.getByRole('link', { name: 'My school', exact: true }).click();
    await admin.waitForURL(/\/school\/[^/]+\/home$/);
    await admin
      .getByRole('link', { name: 'Applications', exact: true })
      .click();
    await admin.waitForURL(/\/school\/[^/]+\/applications$/);
    const explorer = admin.locator('article.card').filter({
      has: admin.getByRole('heading', {
        name: 'Sandbox Explorer',
        exact: true,
      }),
    });
    await explorer.getByRole('button', { name: 'Revoke…' }).click();
    await admin
      .getByRole('dialog')
      .getByRole('button', { name: 'Revoke access' })
      .click();
    await admin
      .getByRole('status')
      .filter({ hasText: 'Sandbox Explorer is revoked.' })
      .waitFor();
    await explorer.getByRole('button', { name: 'Approve…' }).click();
    await admin
      .getByRole('dialog')
      .getByRole('button', { name: 'Approve', exact: true })
      .click();
    await admin
      .getByRole('status')
      .filter({ hasText: 'Sandbox Explorer is approved.' })
      .waitFor();
    await admin.context().close();

    // The receiver refuses each event once, then accepts the retry.
    const granted = await until(
      () =>
        receiver.heard.find(
          (h) => h.type === 'approval.granted' && h.answered === 200,
        ),
      'the approval.granted retry',
    );
    const grantedTries = receiver.heard.filter((h) => h.id === granted.id);
    expect(grantedTries.map((h) => h.answered)).toEqual([503, 200]);
    for (const h of receiver.heard)
      expect(signedBy(secret as string, h)).toBe(true);
    expect(signedBy('whsec_not-the-secret', granted)).toBe(false);
    expect(JSON.parse(granted.body)).toMatchObject({
      id: granted.id,
      type: 'approval.granted',
      data: { status: 'approved', previousStatus: 'revoked' },
    });

    // The delivery log shows both events with every attempt.
    await row.getByRole('link', { name: /Delivery log/ }).click();
    await developer.getByRole('heading', { name: 'Delivery log' }).waitFor();
    const grantedRow = developer.locator('tr[data-delivery]', {
      hasText: 'approval.granted',
    });
    // The page reads the log again by itself while a delivery is under way.
    await grantedRow.locator('.badge-succeeded').waitFor();
    await developer
      .locator('tr[data-delivery]', { hasText: 'approval.revoked' })
      .locator('.badge-succeeded')
      .waitFor();
    const cells = await grantedRow.locator('td').allInnerTexts();
    expect(cells[2]).toMatch(/^2\b/);
    expect(cells[3].trim()).toBe('200');
    expect(cells[4].trim()).toBe('–');
    await grantedRow.getByText('Every attempt').click();
    const attempts = await grantedRow.locator('ol li').allInnerTexts();
    expect(attempts).toHaveLength(2);
    expect(attempts[0]).toContain('503 (answered 503)');
    expect(attempts[1]).toContain('200 OK');
    await shoot(developer, 'webhooks-02-delivery-log');

    // Replay: the same event id reaches the receiver again, as a new delivery in the log.
    const heardBefore = receiver.heard.filter(
      (h) => h.id === granted.id,
    ).length;
    await grantedRow.getByRole('button', { name: /^Replay the/ }).click();
    await developer.getByText('is queued again as a new delivery').waitFor();
    const replayed = await until(
      () =>
        receiver.heard.filter((h) => h.id === granted.id).length >
          heardBefore &&
        receiver.heard.filter((h) => h.id === granted.id).at(-1),
      'the replay',
    );
    expect(replayed.body).toBe(granted.body);
    expect(signedBy(secret as string, replayed)).toBe(true);
    await developer
      .locator('tr[data-delivery]', { hasText: 'approval.granted' })
      .nth(1)
      .waitFor();

    // Phone width: the list and the log fit, tables scroll inside their own box.
    await developer.setViewportSize({ width: 390, height: 844 });
    await developer.getByRole('link', { name: '← All webhooks' }).click();
    await row.waitFor();
    const overflow = await developer.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await shoot(developer, 'webhooks-03-phone');
    await developer.setViewportSize({ width: 1280, height: 900 });

    // Delete by keyboard: Escape cancels, Enter on the dialog's button deletes.
    await row.getByRole('button', { name: /^Delete/ }).focus();
    await developer.keyboard.press('Enter');
    const dialog = developer.getByRole('dialog');
    await dialog.getByText('stops receiving events at once').waitFor();
    await developer.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await row.getByRole('button', { name: /^Delete/ }).click();
    await dialog.getByRole('button', { name: 'Delete', exact: true }).focus();
    await developer.keyboard.press('Enter');
    await row.waitFor({ state: 'detached' });
    await developer.getByText('No webhooks yet').waitFor();
    await developer.context().close();
  });
});
