import type { DataSource } from 'typeorm';
import { SchoolEntity } from '@oneroster/entities';
import { planTrust, PlanOptions } from './plan';
import { DemoCredentials, seedPlatform } from './seed-platform';
import { writeTrust, WriteProgress } from './write-database';

export interface SeedOptions extends PlanOptions {
  password: string;
  sandboxClientSecret: string;
  onProgress?: (p: WriteProgress) => void;
}

/**
 * Seeds the demo trust when the database holds no school yet; does nothing otherwise, so
 * it is safe to call on every start. Returns the demo credentials when it seeded.
 */
export async function seedDemoIfEmpty(
  ds: DataSource,
  options: SeedOptions,
): Promise<DemoCredentials | null> {
  if ((await ds.getRepository(SchoolEntity).count()) > 0) return null;
  const plan = planTrust(options);
  await writeTrust(ds, plan, { onProgress: options.onProgress });
  return seedPlatform(ds, plan, options);
}
