import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CSV_HEADERS, csvField, writeTrustCsv } from './write-csv';
import { planTrust } from './plan';

describe('csvField', () => {
  it('quotes lists, commas, quotes and newlines as RFC 4180 says', () => {
    expect(csvField(['chemistry', 'physics'])).toBe('"chemistry,physics"');
    expect(csvField(['one'])).toBe('one');
    expect(csvField('O\'Brien, "Jo"')).toBe('"O\'Brien, ""Jo"""');
    expect(csvField(null)).toBe('');
    expect(csvField(false)).toBe('false');
  });
});

describe('writeTrustCsv', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'or-csv-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a OneRoster 1.1 bulk set with exact headers and a manifest', async () => {
    const plan = planTrust({ size: 'demo' });
    const counts = await writeTrustCsv(plan, dir);
    const manifest = readFileSync(join(dir, 'manifest.csv'), 'utf8');
    expect(manifest).toContain('oneroster.version,1.1\n');
    expect(manifest).toContain('file.users,bulk\n');
    for (const file of readdirSync(dir).filter((f) => f !== 'manifest.csv')) {
      const name = file.replace(/\.csv$/, '') as keyof typeof CSV_HEADERS;
      const lines = readFileSync(join(dir, file), 'utf8').trimEnd().split('\n');
      expect(lines[0]).toBe(CSV_HEADERS[name].join(','));
      expect(lines.length - 1).toBe(counts[name]);
    }
    // The trust org and calendar are shared: written once for the two schools.
    expect(counts.orgs).toBe(3);
    expect(counts.academicSessions).toBe(10);
    expect(counts.users).toBeGreaterThan(3000);
    // Bulk rows leave status and dateLastModified blank.
    const firstUser = readFileSync(join(dir, 'users.csv'), 'utf8').split(
      '\n',
    )[1];
    expect(firstUser.split(',').slice(1, 3)).toEqual(['', '']);
  });
});
