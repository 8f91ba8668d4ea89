import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '@oneroster/config';
import { prepareDatabase } from './prepare';

describe('prepareDatabase', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'oneroster-prepare-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses to seed the demo trust in production mode, before opening the database', async () => {
    const file = join(dir, 'db.sqlite');
    const config = loadConfig({
      ONEROSTER_MODE: 'production',
      DATABASE_URL: `sqlite:${file}`,
      SEED_DEMO_DATA: 'true',
    });
    await expect(prepareDatabase(config)).rejects.toThrow(ConfigError);
    await expect(prepareDatabase(config)).rejects.toThrow(
      /^SEED_DEMO_DATA is on .*production never seeds the demo trust/,
    );
    expect(existsSync(file)).toBe(false);
  });

  it('migrates without seeding in production mode', async () => {
    const config = loadConfig({
      ONEROSTER_MODE: 'production',
      DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
      SEED_DEMO_DATA: 'false',
      MIGRATE_ON_START: 'true',
    });
    const prepared = await prepareDatabase(config);
    expect(prepared.demo).toBeNull();
    expect(prepared.migrationsApplied.length).toBeGreaterThan(0);
  });
});
