/**
 * What to generate: a trust and its schools. `demo` is what `npm start` seeds (a secondary
 * with a sixth form and a primary); `large` is the benchmark trust (about 40 schools,
 * 50,000 pupils, 500,000 enrolments).
 */
import { PLACE_NAMES } from './names';
import { Random } from './random';

export type Phase = 'primary' | 'secondary';

export interface SchoolPlan {
  index: number;
  phase: Phase;
  name: string;
  pupils: number;
  /** Stable tenant id of the school on this platform. */
  schoolId: string;
  orgSourcedId: string;
  urn: string;
  domain: string;
}

export interface TrustPlan {
  seed: number;
  name: string;
  trustSourcedId: string;
  /** Start of the school year (1 September). */
  yearStart: number;
  /** Every record's dateLastModified. */
  asOf: Date;
  schools: SchoolPlan[];
  /** Ids of records the whole trust shares (copied into each school). */
  sessionIds: { year: string; terms: string[]; halfTerms: string[] };
}

export type TrustSize = 'demo' | 'large';

export interface PlanOptions {
  seed?: number;
  size?: TrustSize;
  /** Override the number of schools (split evenly between phases). */
  schools?: number;
  asOf?: Date;
}

export const DEFAULT_SEED = 20260901;
export const DEFAULT_AS_OF = new Date('2026-09-01T08:00:00.000Z');

export function planTrust(options: PlanOptions = {}): TrustPlan {
  const seed = options.seed ?? DEFAULT_SEED;
  const size = options.size ?? 'demo';
  const rng = new Random(seed, 0);
  const trustName = `${rng.pick(PLACE_NAMES)} Learning Trust`;
  const trustSourcedId = rng.uuid();
  const sessionIds = {
    year: rng.uuid(),
    terms: [rng.uuid(), rng.uuid(), rng.uuid()],
    halfTerms: [
      rng.uuid(),
      rng.uuid(),
      rng.uuid(),
      rng.uuid(),
      rng.uuid(),
      rng.uuid(),
    ],
  };
  const shapes: { phase: Phase; pupils: number }[] = [];
  if (size === 'demo' && options.schools === undefined) {
    shapes.push(
      { phase: 'secondary', pupils: 1000 },
      { phase: 'primary', pupils: 400 },
    );
  } else {
    const count = options.schools ?? 40;
    for (let i = 0; i < count; i++) {
      // Alternate phases; sizes vary around 1,900 (secondary) and 600 (primary) pupils.
      shapes.push(
        i % 2 === 0
          ? { phase: 'secondary', pupils: 1900 + rng.int(-300, 300) }
          : { phase: 'primary', pupils: 600 + rng.int(-150, 150) },
      );
    }
  }
  const places = rng.shuffle([...PLACE_NAMES]);
  const schools = shapes.map((shape, index): SchoolPlan => {
    const place =
      places[index % places.length] +
      (index >= places.length
        ? ` ${Math.floor(index / places.length) + 1}`
        : '');
    const name =
      shape.phase === 'secondary'
        ? `${place} Academy`
        : `${place} Primary School`;
    return {
      index,
      ...shape,
      name,
      schoolId: rng.uuid(),
      orgSourcedId: rng.uuid(),
      urn: String(140000 + rng.int(0, 59999)),
      domain: `${place.toLowerCase().replace(/[^a-z]+/g, '')}${shape.phase === 'primary' ? '-primary' : ''}.example.sch.uk`,
    };
  });
  return {
    seed,
    name: trustName,
    trustSourcedId,
    yearStart: 2026,
    asOf: options.asOf ?? DEFAULT_AS_OF,
    schools,
    sessionIds,
  };
}
