import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureCounts, fixtureDir, splitCsv } from './csv-sets';
import { FIXTURES_ENV, fixturePlan } from './fixture-sets';

describe('CSV fixture sets', () => {
  it('are generated for the run from the repository by the demo-data generator', () => {
    const dir = fixtureDir('school');
    expect(dir.startsWith(tmpdir())).toBe(true);
    const [, org] = splitCsv(readFileSync(join(dir, 'orgs.csv'), 'utf8'));
    const plan = fixturePlan('school');
    expect([plan.trustSourcedId, plan.schools[0].orgSourcedId]).toContain(
      org[0],
    );
    expect(fixtureCounts('school').users).toBeGreaterThan(0);
    expect(fixtureCounts('trust').enrollments).toBeGreaterThan(0);
  });

  it('write the one-school set as exports write it: CRLF and filled bulk columns', () => {
    const text = readFileSync(join(fixtureDir('school'), 'users.csv'), 'utf8');
    expect(text.split('\r\n').length).toBe(fixtureCounts('school').users + 2);
    const [, first] = splitCsv(text);
    expect(first[1]).toBe('active');
  });

  it('fail, naming the fix, instead of skipping when a set is missing', () => {
    const saved = process.env[FIXTURES_ENV];
    const empty = mkdtempSync(join(tmpdir(), 'or-csv-none-'));
    try {
      process.env[FIXTURES_ENV] = empty;
      expect(() => fixtureDir('trust')).toThrow(/globalSetup generates it/);
      delete process.env[FIXTURES_ENV];
      expect(() => fixtureDir('school')).toThrow(/is missing/);
    } finally {
      process.env[FIXTURES_ENV] = saved;
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
