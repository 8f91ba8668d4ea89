import { planTrust, type TrustPlan } from '@oneroster/demo-data';

/**
 * The CSV sets the importer's tests run on, generated before the tests by the project's own
 * demo-data generator (testing/global-setup.ts runs testing/make-fixtures.ts), so the tests
 * depend on the repository only. Small on purpose: a few hundred records a school, a few seconds to import.
 *
 * - `school`: one secondary school of a trust, written as real exports write bulk files:
 *   `status`/`dateLastModified` filled in on every row and CRLF line ends;
 * - `trust`: a trust of three schools (secondary, primary, secondary) sharing the trust org
 *   and the calendar, exactly as the generator writes it (LF, blank bulk columns).
 */
export const FIXTURE_SETS = {
  school: { seed: 11, schools: 1, pupils: 50, exportLike: true },
  trust: { seed: 23, schools: 3, pupils: 60, exportLike: false },
} as const;

export type FixtureSet = keyof typeof FIXTURE_SETS;

/** The plan a fixture set is generated from (deterministic: the same ids every time). */
export function fixturePlan(name: FixtureSet): TrustPlan {
  const { seed, schools, pupils } = FIXTURE_SETS[name];
  const plan = planTrust({ seed, schools });
  for (const s of plan.schools) s.pupils = pupils;
  return plan;
}

/** Where the global setup tells the test workers the sets are. */
export const FIXTURES_ENV = 'ONEROSTER_CSV_FIXTURES';
/** Rows per file of each set, written by make-fixtures.ts beside the sets. */
export const FIXTURE_COUNTS_FILE = 'counts.json';
