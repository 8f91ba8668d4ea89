/**
 * What every browser test of the portal shares: Debian's Chromium (never a downloaded
 * browser), its flags, the screenshot folder and the skip when no Chromium is installed.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { ROOT } from './stack';

export const CHROMIUM = [
  process.env['CHROMIUM_PATH'],
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
].find((path): path is string => !!path && existsSync(path));

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** docs/screenshots with UPDATE_SCREENSHOTS=1, else a temporary folder of its own. */
export function screenshotDir(prefix: string): string {
  return process.env['UPDATE_SCREENSHOTS']
    ? join(ROOT, 'docs/screenshots')
    : mkdtempSync(join(tmpdir(), prefix));
}

/** `describe`, or `describe.skip` saying why when no Chromium is installed. */
export function describeWithBrowser(label: string): jest.Describe {
  if (CHROMIUM) return describe;
  console.warn(
    `${label}: SKIPPED: no Chromium at /usr/bin/chromium (or CHROMIUM_PATH); install it with \`apt-get install -y chromium\`.`,
  );
  return describe.skip;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
}
