/**
 * Writes the fixture sets of FIXTURE_SETS into the folder given as the only argument, and
 * their row counts into counts.json there. Run by the Jest global setup (through tsx, which
 * resolves the workspace's path aliases); `npx tsx --tsconfig tools/tsconfig.json
 * libs/shared/data-access-csv/src/lib/testing/make-fixtures.ts <dir>` to look at them.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeTrustCsv } from '@oneroster/demo-data';
import {
  FIXTURE_COUNTS_FILE,
  FIXTURE_SETS,
  FixtureSet,
  fixturePlan,
} from './fixture-sets';

/** Bulk rows with status and dateLastModified filled in, CRLF line ends: what MIS exports do. */
function makeExportLike(dir: string, asOf: string): void {
  for (const f of readdirSync(dir)) {
    const path = join(dir, f);
    let lines = readFileSync(path, 'utf8').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    if (f !== 'manifest.csv')
      // Generated bulk rows start `<sourcedId>,,,`: the id never needs quotes.
      lines = lines.map((l, i) =>
        i === 0 ? l : l.replace(/^([^,]*),,,/, `$1,active,${asOf},`),
      );
    writeFileSync(path, lines.map((l) => `${l}\r\n`).join(''));
  }
}

async function main(out: string): Promise<void> {
  const counts: Record<string, unknown> = {};
  for (const name of Object.keys(FIXTURE_SETS) as FixtureSet[]) {
    const plan = fixturePlan(name);
    const dir = join(out, name);
    counts[name] = await writeTrustCsv(plan, dir);
    if (FIXTURE_SETS[name].exportLike)
      makeExportLike(dir, plan.asOf.toISOString());
  }
  writeFileSync(join(out, FIXTURE_COUNTS_FILE), JSON.stringify(counts));
}

const out = process.argv[2];
if (!out) {
  console.error('usage: make-fixtures.ts <dir>');
  process.exit(2);
}
main(out).catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
