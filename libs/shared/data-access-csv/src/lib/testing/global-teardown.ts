import { rmSync } from 'node:fs';

/** Removes the fixture sets of global-setup.ts. */
export default function globalTeardown(): void {
  const dir = process.env['ONEROSTER_CSV_FIXTURES'];
  if (dir) rmSync(dir, { recursive: true, force: true });
}
