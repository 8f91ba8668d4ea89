import {
  ROLE_TYPES,
  V1P2_ENROLLMENT_ROLES,
  type OrgType,
  type RoleType,
  type V1p2RoleType,
} from '@oneroster/contracts';
import { CATALOGUE } from './catalogue';
import { CATALOGUE_V1P2 } from './catalogue-v1p2';
import {
  V1P2_BASE_PATHS,
  type ClassDef,
  type ClassKey,
  type V1p2ClassDef,
  type V1p2ClassKey,
  type V1p2FieldDef,
} from './model';

/*
 * The mapping between the 1.1 and 1.2 JSON of one object, defined once, both ways, driven by
 * the two catalogues. Pure functions: whatever they need beyond the object (an org's type, a
 * class's school, a line item's class) the caller passes in the context.
 *
 * 1.1 → 1.2 (`toV1p2`) never invents data: new 1.2 fields are left out, derived ones are
 * computed from 1.1 facts only. 1.2 → 1.1 (`fromV1p2`) keeps what 1.1 can hold and lists
 * the rest in `lost`, one plain sentence per field; a value 1.1 cannot represent in a field
 * it requires (an `ext:` org type, a role with no 1.1 counterpart) is a V1p2MappingError.
 * docs/oneroster-1p2.md explains each decision.
 */

/** A JSON object of either version. */
export type OneRosterObject = Record<string, unknown>;

export interface V1p2MapContext {
  /** Scheme and host of the API, without a trailing slash (hrefs are `${origin}${basePath}/…`). */
  readonly origin: string;
  /** The type of an org (users' roles: 1.1 administrator is translated by the org's type). */
  readonly orgType?: (orgSourcedId: string) => string | undefined;
  /** The school of a class (lineItem.school, required in 1.2). */
  readonly schoolOfClass?: (classSourcedId: string) => string | undefined;
  /** The class of a line item (result.class). */
  readonly classOfLineItem?: (lineItemSourcedId: string) => string | undefined;
  /**
   * A user's roles stored as 1.2 (roles.csv of a 1.2 set, `user_roles`), undefined when it
   * has none: then its roles are derived from the 1.1 role and orgs.
   */
  readonly rolesOf?: (
    user: OneRosterObject,
  ) => readonly StoredRole[] | undefined;
  /** A user's profiles stored as 1.2 (userProfiles.csv, `user_profiles`). */
  readonly profilesOf?: (
    user: OneRosterObject,
  ) => readonly StoredProfile[] | undefined;
  /** The resources a user's active userResources.csv links name (`user_resources`). */
  readonly resourcesOf?: (
    user: OneRosterObject,
  ) => readonly string[] | undefined;
}

/** A user's profile as stored for 1.2 (UserProfileDType; credential passwords never read). */
export interface StoredProfile {
  readonly profileId: string;
  readonly profileType: string;
  readonly vendorId: string;
  readonly applicationId?: string | null;
  readonly description?: string | null;
  readonly credentials?: readonly { type: string; username: string }[] | null;
}

/**
 * The fields new in 1.2 that are stored for 1.2 and given by the context (nothing in the
 * 1.1 object holds them): a user's profiles and resources.
 */
const STORED_TO_V1P2: Record<
  string,
  (ctx: V1p2MapContext, o: OneRosterObject) => unknown
> = {
  'user.userProfiles': (ctx, o) => {
    const stored = ctx.profilesOf?.(o);
    if (!stored?.length) return undefined;
    return stored.map((p) => ({
      profileId: p.profileId,
      profileType: p.profileType,
      vendorId: p.vendorId,
      ...(p.applicationId ? { applicationId: p.applicationId } : {}),
      ...(p.description ? { description: p.description } : {}),
      ...(p.credentials?.length
        ? {
            // Only the type and username: a credential's password is never served.
            credentials: p.credentials.map((c) => ({
              type: c.type,
              username: c.username,
            })),
          }
        : {}),
    }));
  },
  'user.resources': (ctx, o) => {
    const ids = ctx.resourcesOf?.(o);
    return ids?.length
      ? ids.map((id) => v1p2Ref(ctx, 'resource', id))
      : undefined;
  },
};

/** A user's role as stored for 1.2 (RoleDType; `org` a sourcedId). */
export interface StoredRole {
  readonly roleType: string;
  readonly role: string;
  readonly org: string;
  readonly userProfile?: string | null;
  readonly beginDate?: string | null;
  readonly endDate?: string | null;
}

/** A 1.2 value with no 1.1 counterpart in a field that 1.1 requires. */
export class V1p2MappingError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'V1p2MappingError';
  }
}

export interface FromV1p2 {
  readonly value: OneRosterObject;
  /** What the 1.2 object carried that the 1.1 object does not, one sentence per field. */
  readonly lost: readonly string[];
}

const OLD: Record<ClassKey, ClassDef> = CATALOGUE;
const NEW: Record<V1p2ClassKey, V1p2ClassDef> = CATALOGUE_V1P2;
const V1P1_BASE_PATH = '/ims/oneroster/v1p1';

const present = (v: unknown) => v !== undefined && v !== null && v !== '';

// ---------------------------------------------------------------------------------------
// Scalars
// ---------------------------------------------------------------------------------------

/** 1.1 boolean (JSON, or the string form some 1.1 consumers ask for) → 1.2 "true"/"false". */
export function toStringBoolean(v: unknown): 'true' | 'false' | undefined {
  if (v === true || v === 'true') return 'true';
  if (v === false || v === 'false') return 'false';
  return undefined;
}

/** 1.2 "true"/"false" → 1.1 boolean; anything else is not a 1.2 boolean. */
export function fromStringBoolean(field: string, v: unknown): boolean {
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new V1p2MappingError(field, `must be "true" or "false"`);
}

/**
 * A 1.1 user role at one org, as a 1.2 role. 1.2 splits 1.1's `administrator` by level: at a
 * district `districtAdministrator`, at a school or department `siteAdministrator`, at a
 * local, state or national org (above district) `districtAdministrator` too, the nearest
 * 1.2 term; `systemAdministrator` (an IT role) is never inferred. Where the org's type is
 * unknown the 1.1 value is kept as the extension `ext:administrator`. Every other 1.1 role
 * exists in 1.2 under the same name.
 */
export function v1p1RoleToV1p2(
  role: RoleType,
  orgType: string | undefined,
): V1p2RoleType | `ext:${string}` {
  if (role !== 'administrator') return role;
  switch (orgType as OrgType | undefined) {
    case 'school':
    case 'department':
      return 'siteAdministrator';
    case 'district':
    case 'local':
    case 'state':
    case 'national':
      return 'districtAdministrator';
    default:
      return 'ext:administrator';
  }
}

/**
 * A 1.2 role as a 1.1 role. The three administrator roles and `principal` become
 * `administrator`; `counselor` becomes `aide`, the least privileged 1.1 staff role (1.1 has
 * no counsellor, and making one an administrator could widen what consuming applications let
 * them do); `ext:administrator` (see v1p1RoleToV1p2) and any `ext:<1.1 role>` read back as
 * that role. Any other extension has no 1.1 counterpart: undefined.
 */
export function v1p2RoleToV1p1(role: string): RoleType | undefined {
  switch (role) {
    case 'districtAdministrator':
    case 'siteAdministrator':
    case 'systemAdministrator':
    case 'principal':
      return 'administrator';
    case 'counselor':
      return 'aide';
  }
  const bare = role.startsWith('ext:') ? role.slice(4) : role;
  return (ROLE_TYPES as readonly string[]).includes(bare)
    ? (bare as RoleType)
    : undefined;
}

/**
 * A 1.1 enrolment role as 1.2. 1.2 enrolments take administrator, proctor, student and
 * teacher; the other four 1.1 values (aide, guardian, parent, relative) are carried as the
 * extensions `ext:aide` … so that nothing is lost and the way back is exact.
 */
export function v1p1EnrollmentRoleToV1p2(role: RoleType): string {
  return (V1P2_ENROLLMENT_ROLES as readonly string[]).includes(role)
    ? role
    : `ext:${role}`;
}

/** A 1.2 enrolment role as 1.1: the four values as they are, `ext:<1.1 role>` unwrapped. */
export function v1p2EnrollmentRoleToV1p1(role: string): RoleType | undefined {
  if ((V1P2_ENROLLMENT_ROLES as readonly string[]).includes(role))
    return role as RoleType;
  const bare = role.startsWith('ext:') ? role.slice(4) : undefined;
  return bare && (ROLE_TYPES as readonly string[]).includes(bare)
    ? (bare as RoleType)
    : undefined;
}

// ---------------------------------------------------------------------------------------
// GUIDRefs
// ---------------------------------------------------------------------------------------

const idOf = (ref: unknown): string | undefined => {
  if (typeof ref === 'string') return ref || undefined;
  if (ref && typeof ref === 'object' && 'sourcedId' in ref) {
    const id = (ref as { sourcedId: unknown }).sourcedId;
    return typeof id === 'string' && id ? id : undefined;
  }
  return undefined;
};

/** `${basePath}/${collection}/` of each 1.2 class, the part of an href after the origin. */
const REF_PATH = new Map<V1p2ClassKey, string>();
/** sourcedIds that need no percent-encoding in a path (UUIDs, most MIS keys). */
const PLAIN_ID = /^[A-Za-z0-9._~-]+$/;

/** A 1.2 GUIDRef to an object of `target` (the type is the class key, 1.2 has no subtypes). */
export function v1p2Ref(
  ctx: V1p2MapContext,
  target: V1p2ClassKey,
  sourcedId: string,
) {
  let path = REF_PATH.get(target);
  if (path === undefined) {
    const c = NEW[target];
    path = `${V1P2_BASE_PATHS[c.service]}/${c.collection}/`;
    REF_PATH.set(target, path);
  }
  return {
    href: `${ctx.origin}${path}${PLAIN_ID.test(sourcedId) ? sourcedId : encodeURIComponent(sourcedId)}`,
    sourcedId,
    type: target,
  };
}

/** A 1.1 GUIDRef to an object of `target`, as the 1.1 serialiser writes it. */
export function v1p1Ref(
  ctx: V1p2MapContext,
  target: ClassKey,
  sourcedId: string,
) {
  const rest = OLD[target].rest;
  if (!rest) throw new Error(`${target} has no 1.1 collection`);
  return {
    href: `${ctx.origin}${V1P1_BASE_PATH}/${rest.collection}/${encodeURIComponent(sourcedId)}`,
    sourcedId,
    type: rest.guidType,
  };
}

// ---------------------------------------------------------------------------------------
// Users' roles
// ---------------------------------------------------------------------------------------

/**
 * A 1.1 user's role and orgs as 1.2 roles: one primary role at each org, in the order of
 * `orgs` (1.2: "one, and only one, primary role for each org").
 */
export function v1p1RolesToV1p2(
  ctx: V1p2MapContext,
  role: RoleType,
  orgIds: readonly string[],
): OneRosterObject[] {
  return [...new Set(orgIds)].map((org) => ({
    roleType: 'primary',
    role: v1p1RoleToV1p2(role, ctx.orgType?.(org)),
    org: v1p2Ref(ctx, 'org', org),
  }));
}

interface RoleIn {
  readonly roleType?: unknown;
  readonly role?: unknown;
  readonly org?: unknown;
  readonly userProfile?: unknown;
  readonly beginDate?: unknown;
  readonly endDate?: unknown;
}

/**
 * Whether a 1.2 role is what v1p1RoleToV1p2 makes of the 1.1 role (the administrator levels
 * come back from the org's type), so that reading it as that 1.1 role loses nothing.
 */
const readsBackAs = (v1p2: unknown, v1p1: RoleType): boolean =>
  v1p2 === v1p1 ||
  v1p2 === `ext:${v1p1}` ||
  (v1p1 === 'administrator' &&
    (v1p2 === 'siteAdministrator' || v1p2 === 'districtAdministrator'));

/**
 * The single 1.1 role of a 1.2 user: its primary role at its primary org if it has one
 * there, else its first primary role, else its first role; and its 1.1 orgs: every org of
 * its roles, in order, then the primary org if no role names it.
 */
export function v1p2RolesToV1p1(
  roles: readonly RoleIn[],
  primaryOrg: string | undefined,
): { role: RoleType; orgs: string[]; lost: string[] } {
  if (!roles.length)
    throw new V1p2MappingError('roles', 'at least one role is required');
  const primaries = roles.filter((r) => r.roleType === 'primary');
  const chosen =
    primaries.find((r) => primaryOrg && idOf(r.org) === primaryOrg) ??
    primaries[0] ??
    roles[0];
  const role =
    typeof chosen.role === 'string' ? v1p2RoleToV1p1(chosen.role) : undefined;
  if (!role)
    throw new V1p2MappingError(
      'roles',
      `the role ${String(chosen.role)} has no OneRoster 1.1 counterpart`,
    );
  const orgs = [
    ...new Set(
      [...roles.map((r) => idOf(r.org)), primaryOrg].filter(
        (x): x is string => !!x,
      ),
    ),
  ];
  const lost: string[] = [];
  if (!primaries.length)
    lost.push('roles: no primary role was given; the first role was used');
  for (const r of roles) {
    const at = idOf(r.org);
    if (r === chosen) {
      if (!readsBackAs(r.role, role))
        lost.push(`roles: ${String(r.role)} is kept as the 1.1 role ${role}`);
    } else if (r.roleType !== 'primary' || r.role !== chosen.role)
      lost.push(
        `roles: ${String(r.roleType)} role ${String(r.role)} at org ${at} (1.1 keeps one role, ${role}, for every org)`,
      );
    if (present(r.userProfile) || present(r.beginDate) || present(r.endDate))
      lost.push(`roles: the user profile and dates of the role at org ${at}`);
  }
  return { role, orgs, lost };
}

// ---------------------------------------------------------------------------------------
// Whole objects
// ---------------------------------------------------------------------------------------

type Converter = (v: unknown) => unknown;

function need<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new Error(`catalogue inconsistency: ${what}`);
  return v;
}

function toV1p2Value(
  ctx: V1p2MapContext,
  key: V1p2ClassKey,
  f: V1p2FieldDef,
  v: unknown,
): unknown {
  if (f.type === 'guidRef') {
    const one = (r: unknown) => {
      const id = idOf(r);
      return id
        ? v1p2Ref(ctx, need(f.ref, `${key}.${f.name} ref`), id)
        : undefined;
    };
    if (!f.list) return one(v);
    return Array.isArray(v) ? v.map(one).filter(Boolean) : undefined;
  }
  if (f.type === 'stringBoolean') return toStringBoolean(v);
  if (f.type === 'enum' && !present(v)) return undefined;
  if (key === 'enrollment' && f.name === 'role')
    return v1p1EnrollmentRoleToV1p2(v as RoleType);
  return v;
}

const DERIVED_TO_V1P2: Record<
  string,
  (ctx: V1p2MapContext, o: OneRosterObject) => unknown
> = {
  'user.roles': (ctx, o) => {
    const stored = ctx.rolesOf?.(o);
    if (stored?.length)
      return stored.map((r) => ({
        roleType: r.roleType,
        role: r.role,
        org: v1p2Ref(ctx, 'org', r.org),
        ...(r.userProfile ? { userProfile: r.userProfile } : {}),
        ...(r.beginDate ? { beginDate: r.beginDate } : {}),
        ...(r.endDate ? { endDate: r.endDate } : {}),
      }));
    return v1p1RolesToV1p2(
      ctx,
      o['role'] as RoleType,
      (Array.isArray(o['orgs']) ? o['orgs'] : [])
        .map(idOf)
        .filter((x): x is string => !!x),
    );
  },
  'user.primaryOrg': (ctx, o) => {
    // Stored from 1.2 data; else a fact only when the user has a single org.
    const stored = idOf(o['primaryOrg']);
    if (stored) return v1p2Ref(ctx, 'org', stored);
    const orgs = new Set(
      (Array.isArray(o['orgs']) ? o['orgs'] : [])
        .map(idOf)
        .filter((x): x is string => !!x),
    );
    const [only] = orgs;
    return orgs.size === 1 ? v1p2Ref(ctx, 'org', only) : undefined;
  },
  'lineItem.school': (ctx, o) => {
    const cls = idOf(o['class']);
    const school = cls ? ctx.schoolOfClass?.(cls) : undefined;
    if (!school)
      throw new V1p2MappingError(
        'school',
        'the school of the line item\u2019s class is needed (schoolOfClass)',
      );
    return v1p2Ref(ctx, 'org', school);
  },
  'lineItem.academicSession': (ctx, o) => {
    const id = idOf(o['gradingPeriod']);
    return id ? v1p2Ref(ctx, 'academicSession', id) : undefined;
  },
  // Stored from 1.2 data as the score scale's sourcedId (ScoreScale has no 1.1 class).
  'lineItem.scoreScale': (ctx, o) => {
    const id = idOf(o['scoreScale']);
    return id ? v1p2Ref(ctx, 'scoreScale', id) : undefined;
  },
  'result.scoreScale': (ctx, o) => {
    const id = idOf(o['scoreScale']);
    return id ? v1p2Ref(ctx, 'scoreScale', id) : undefined;
  },
  'result.class': (ctx, o) => {
    const li = idOf(o['lineItem']);
    const cls = li ? ctx.classOfLineItem?.(li) : undefined;
    return cls ? v1p2Ref(ctx, 'class', cls) : undefined;
  },
};

/** How one 1.2 field of a class read from 1.1 is made: its name and its value (or undefined). */
type FieldStep = readonly [
  name: string,
  value: (ctx: V1p2MapContext, o: OneRosterObject) => unknown,
];

/** The steps of each class, made once from the catalogue (`toV1p2` runs them in order). */
const TO_V1P2_STEPS = new Map<V1p2ClassKey, readonly FieldStep[]>();

function toV1p2Steps(key: V1p2ClassKey): readonly FieldStep[] {
  const c = NEW[key];
  const steps: FieldStep[] = [];
  for (const f of c.fields) {
    if (f.rest === false) continue;
    if (f.from.kind === 'new') {
      const rule = STORED_TO_V1P2[`${key}.${f.name}`];
      if (rule) steps.push([f.name, rule]);
      continue;
    }
    if (f.from.kind === 'derived') {
      steps.push([
        f.name,
        need(
          DERIVED_TO_V1P2[`${key}.${f.name}`],
          `no rule for ${key}.${f.name}`,
        ),
      ]);
      continue;
    }
    const from = f.from.field;
    if (f.type === 'guidRef') {
      const target = need(f.ref, `${key}.${f.name} ref`);
      steps.push([
        f.name,
        f.list
          ? (ctx, o) => {
              const v = o[from];
              if (!Array.isArray(v)) return undefined;
              const out = [];
              for (const r of v) {
                const id = idOf(r);
                if (id) out.push(v1p2Ref(ctx, target, id));
              }
              return out;
            }
          : (ctx, o) => {
              const id = idOf(o[from]);
              return id ? v1p2Ref(ctx, target, id) : undefined;
            },
      ]);
    } else if (f.type === 'stringBoolean')
      steps.push([f.name, (_, o) => toStringBoolean(o[from])]);
    else if (key === 'enrollment' && f.name === 'role')
      steps.push([f.name, (ctx, o) => toV1p2Value(ctx, key, f, o[from])]);
    else if (f.type === 'enum')
      steps.push([f.name, (_, o) => (present(o[from]) ? o[from] : undefined)]);
    else steps.push([f.name, (_, o) => o[from]]);
  }
  return steps;
}

/**
 * A 1.1 object (as the 1.1 REST API serves it) read as the 1.2 object of the same class, in
 * the 1.2 field order. New 1.2 fields are left out; fields the platform never serves too.
 */
export function toV1p2(
  key: V1p2ClassKey,
  o: OneRosterObject,
  ctx: V1p2MapContext,
): OneRosterObject {
  let steps = TO_V1P2_STEPS.get(key);
  if (!steps) {
    if (!NEW[key].from)
      throw new Error(
        `${key} is new in OneRoster 1.2: there is no 1.1 object to read`,
      );
    steps = toV1p2Steps(key);
    TO_V1P2_STEPS.set(key, steps);
  }
  const out: OneRosterObject = {};
  for (const [name, value] of steps) {
    const v = value(ctx, o);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/**
 * A stored object of a class new in 1.2 (ScoreScale, AssessmentLineItem, AssessmentResult:
 * no 1.1 counterpart, their rows read under the 1.2 field names) as 1.2 JSON, in the 1.2
 * field order: GUIDRefs re-pointed at the 1.2 base path with the 1.2 type (only their
 * sourcedId is read), booleans as "true"/"false", every other value as stored.
 */
export function storedV1p2(
  key: V1p2ClassKey,
  o: OneRosterObject,
  ctx: V1p2MapContext,
): OneRosterObject {
  const c = NEW[key];
  if (c.from)
    throw new Error(`${key} is read from OneRoster 1.1 storage: use toV1p2`);
  const out: OneRosterObject = {};
  for (const f of c.fields) {
    const v = o[f.name];
    if (f.rest === false || v === undefined || v === null) continue;
    if (f.type === 'guidRef') {
      const id = idOf(v);
      if (id) out[f.name] = v1p2Ref(ctx, need(f.ref, `${key}.${f.name}`), id);
    } else if (f.type === 'stringBoolean') {
      const b = toStringBoolean(v);
      if (b) out[f.name] = b;
    } else out[f.name] = v;
  }
  return out;
}

function fromV1p2Value(
  ctx: V1p2MapContext,
  key: V1p2ClassKey,
  f: V1p2FieldDef,
  old: ClassDef,
  v: unknown,
  lost: string[],
): unknown {
  const oldField = need(
    old.fields.find((x) => f.from.kind === 'same' && x.name === f.from.field),
    `${key}.${f.name} source`,
  );
  if (f.type === 'guidRef') {
    const one = (r: unknown) => {
      const id = idOf(r);
      return id
        ? v1p1Ref(ctx, need(oldField.ref, `${key}.${f.name} 1.1 ref`), id)
        : undefined;
    };
    if (!f.list) return one(v);
    return Array.isArray(v) ? v.map(one).filter(Boolean) : undefined;
  }
  if (f.type === 'stringBoolean') return fromStringBoolean(f.name, v);
  if (f.type !== 'enum') return v;
  const values = oldField.values ?? [];
  const convert: Converter =
    key === 'enrollment' && f.name === 'role'
      ? (x) => v1p2EnrollmentRoleToV1p1(String(x))
      : (x) => ((values as readonly unknown[]).includes(x) ? x : undefined);
  const one = (x: unknown) => {
    const r = convert(x);
    if (r !== undefined) return r;
    if (oldField.required)
      throw new V1p2MappingError(
        f.name,
        `${String(x)} has no OneRoster 1.1 counterpart`,
      );
    lost.push(`${f.name}: ${String(x)} has no OneRoster 1.1 counterpart`);
    return undefined;
  };
  if (!f.list) return one(v);
  return Array.isArray(v)
    ? v.map(one).filter((x) => x !== undefined)
    : undefined;
}

/** A line item's or result's `scoreScale` GUIDRef: its sourcedId, or a mapping error. */
function scoreScaleOf(o: OneRosterObject): string | undefined {
  const v = o['scoreScale'];
  if (!present(v)) return undefined;
  const id = idOf(v);
  if (!id)
    throw new V1p2MappingError(
      'scoreScale',
      'must be a GUIDRef with a sourcedId',
    );
  return id;
}

/**
 * A 1.2 object read as the 1.1 object of the same class. Assumes the object passed the 1.2
 * schema (the routes validate it first); fields outside the 1.2 schema are reported as lost.
 */
export function fromV1p2(
  key: V1p2ClassKey,
  o: OneRosterObject,
  ctx: V1p2MapContext,
): FromV1p2 {
  const c = NEW[key];
  if (!c.from)
    throw new Error(
      `${key} is new in OneRoster 1.2: there is no 1.1 object to write`,
    );
  const old = OLD[c.from];
  const value: OneRosterObject = {};
  const lost: string[] = [];
  const known = new Set(c.fields.map((f) => f.name));
  for (const k of Object.keys(o))
    if (!known.has(k))
      lost.push(`${k}: not a field of the OneRoster 1.2 ${key}`);
  for (const f of c.fields) {
    const v = o[f.name];
    if (!present(v) || (Array.isArray(v) && !v.length && f.from.kind === 'new'))
      continue;
    if (f.from.kind === 'new') {
      lost.push(`${f.name}: new in OneRoster 1.2, not stored yet`);
      continue;
    }
    if (f.from.kind === 'same') {
      const r = fromV1p2Value(ctx, key, f, old, v, lost);
      if (r !== undefined) value[f.from.field] = r;
    }
  }
  // The derived fields, in one place each.
  switch (key) {
    case 'user': {
      const primaryOrg = idOf(o['primaryOrg']);
      const r = v1p2RolesToV1p1(
        Array.isArray(o['roles']) ? (o['roles'] as RoleIn[]) : [],
        primaryOrg,
      );
      value['role'] = r.role;
      value['orgs'] = r.orgs.map((id) => v1p1Ref(ctx, 'org', id));
      lost.push(...r.lost);
      // Stored for 1.2 (users.primary_org_sourced_id; also one of the 1.1 orgs), unless it
      // is the user's only org: then toV1p2 serves it anyway (mapping 4).
      if (primaryOrg && r.orgs.length > 1)
        value['primaryOrg'] = v1p1Ref(ctx, 'org', primaryOrg);
      break;
    }
    case 'lineItem': {
      // Stored for 1.2 as the score scale's sourcedId (line_items.score_scale_sourced_id).
      const scale = scoreScaleOf(o);
      if (scale) value['scoreScale'] = scale;
      const session = idOf(o['academicSession']);
      const period = idOf(o['gradingPeriod']);
      if (session && !period)
        value['gradingPeriod'] = v1p1Ref(ctx, 'academicSession', session);
      else if (session && session !== period)
        lost.push(
          `academicSession: ${session} (1.1 keeps the gradingPeriod, ${period})`,
        );
      const school = idOf(o['school']);
      const cls = idOf(o['class']);
      const expected = cls ? ctx.schoolOfClass?.(cls) : undefined;
      if (school && school !== expected)
        lost.push(
          `school: ${school} (1.1 takes the school of the line item\u2019s class)`,
        );
      break;
    }
    case 'result': {
      // Stored for 1.2 as the score scale's sourcedId (results.score_scale_sourced_id).
      const scale = scoreScaleOf(o);
      if (scale) value['scoreScale'] = scale;
      const cls = idOf(o['class']);
      const li = idOf(o['lineItem']);
      if (cls && cls !== (li ? ctx.classOfLineItem?.(li) : undefined))
        lost.push(
          `class: ${cls} (1.1 takes the class of the result\u2019s line item)`,
        );
      break;
    }
  }
  return { value, lost };
}
