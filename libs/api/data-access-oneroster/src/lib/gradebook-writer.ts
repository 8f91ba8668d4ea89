import type { DataSource, EntityManager } from 'typeorm';
import type { Metadata, ScoreStatus } from '@oneroster/contracts';
import {
  AcademicSessionEntity,
  AssessmentLineItemEntity,
  AssessmentResultEntity,
  CategoryEntity,
  CourseEntity,
  ScoreScaleEntity,
  ClassEntity,
  ClassTermEntity,
  GradebookChangeEntity,
  LineItemEntity,
  OrgEntity,
  ResultEntity,
  UserEntity,
} from '@oneroster/entities';
import {
  UnknownObjectError,
  UnprocessableDataError,
} from '@oneroster/util-oneroster-query';
import { encodeDate, noteWrite, sqlDialect } from '@oneroster/database';
import { KeyedMutex } from './keyed-mutex';
import type { TenantScope } from './reader';
import { storedV1p2 } from '@oneroster/oneroster-catalogue';
import {
  ASSESSMENT_LINE_ITEM_RESOURCE,
  ASSESSMENT_RESULT_RESOURCE,
  CATEGORY_RESOURCE,
  LINE_ITEM_RESOURCE,
  RESULT_RESOURCE,
  SCORE_SCALE_RESOURCE,
  type ResourceDef,
} from './resources';
import { OneRosterSerialiser } from './serialiser';
import { InvalidBodyError } from './gradebook-bodies';

/**
 * Gradebook writes (PUT creates or replaces, DELETE marks deleted) for the caller's schools.
 * Rules enforced:
 * - an object's school is the school of the row it replaces, else of what it references
 *   (a line item's class, a result's line item); references must exist, active, in that
 *   school, else 422 and nothing is written;
 * - every write is one transaction that also records a gradebook change (who, when, the
 *   object before and after);
 * - writes of one school are serialised (an in-process queue, and on MySQL a lock on the
 *   school's row for other instances), so change ids grow in commit order within a school
 *   and concurrent PUTs of the same object apply one after the other: the last writer wins;
 * - deleting a line item deletes its results too.
 * Defaults for what real consumers leave out are documented with each input type.
 */
export interface Actor {
  clientId: string | null;
  integratorId: string | null;
  userId: string | null;
}

/*
 * The OneRoster 1.2 fields stored for 1.2 only (a category's weight, a line item's and a
 * result's score scale and learning objective set, a result's textScore and flags) are
 * optional in the inputs: a 1.2 write sets them, a 1.1 write leaves them out and so clears
 * them (a 1.1 PUT replaces the object as 1.1 sees it, as a 1.1 CSV import clears a user's
 * 1.2 fields).
 */
export interface CategoryInput {
  title: string;
  metadata: Metadata | null;
  /** OneRoster 1.2 only. */
  weight?: number | null;
}

/** Left out: category → the school's "Uncategorised" category (created when needed);
 * gradingPeriod → the grading period of the class's terms that contains the assign date,
 * else the class's first term; assignDate → now; dueDate → assignDate;
 * resultValueMin → 0; resultValueMax → 100. */
export interface LineItemInput {
  title: string;
  description: string | null;
  assignDate: Date | null;
  dueDate: Date | null;
  classSourcedId: string;
  categorySourcedId: string | null;
  gradingPeriodSourcedId: string | null;
  resultValueMin: number | null;
  resultValueMax: number | null;
  metadata: Metadata | null;
  /** OneRoster 1.2 only: must name an active score scale of the line item's school. */
  scoreScaleSourcedId?: string | null;
  /** OneRoster 1.2 only: LearningObjectiveSetDType[], checked by the caller; [] is none. */
  learningObjectiveSet?: unknown[] | null;
}

/** Left out: score → 0 when the status is exempt or not submitted; scoreDate → today (UTC). */
export interface ResultInput {
  lineItemSourcedId: string;
  studentSourcedId: string;
  scoreStatus: ScoreStatus;
  score: number | null;
  scoreDate: string | null;
  comment: string | null;
  metadata: Metadata | null;
  /** OneRoster 1.2 only: must name an active score scale of the result's school. */
  scoreScaleSourcedId?: string | null;
  /** OneRoster 1.2 only. */
  textScore?: string | null;
  inProgress?: boolean | null;
  incomplete?: boolean | null;
  late?: boolean | null;
  missing?: boolean | null;
  /** OneRoster 1.2 only: LearningObjectiveScoreSetDType[], checked by the caller; [] is none. */
  learningObjectiveSet?: unknown[] | null;
}

export type GradebookKind = 'category' | 'lineItem' | 'result';

/**
 * The 1.2 gradebook classes with no 1.1 counterpart (stored in their own tables), written
 * by `putStoredV1p2` from a checked 1.2 body (its fields by 1.2 name, GUIDRefs as sourcedIds).
 */
export type V1p2StoredKind =
  'scoreScale' | 'assessmentLineItem' | 'assessmentResult';

export type WritableKind = GradebookKind | V1p2StoredKind;

type Reference = {
  field: string;
  entity:
    | typeof ClassEntity
    | typeof CourseEntity
    | typeof UserEntity
    | typeof ScoreScaleEntity
    | typeof AssessmentLineItemEntity;
  label: string;
  student?: true;
};

/**
 * Each stored 1.2 class: its 1.2 field → entity property, and the GUIDRefs that must name an
 * active object of the same school (the first one present gives a new object's school).
 */
const STORED_V1P2: Record<
  V1p2StoredKind,
  { properties: Record<string, string>; references: Reference[] }
> = {
  scoreScale: {
    properties: {
      metadata: 'metadata',
      title: 'title',
      type: 'type',
      course: 'courseSourcedId',
      class: 'classSourcedId',
      scoreScaleValue: 'scoreScaleValue',
    },
    references: [
      { field: 'class', entity: ClassEntity, label: 'class' },
      { field: 'course', entity: CourseEntity, label: 'course' },
    ],
  },
  assessmentLineItem: {
    properties: {
      metadata: 'metadata',
      title: 'title',
      description: 'description',
      class: 'classSourcedId',
      parentAssessmentLineItem: 'parentSourcedId',
      scoreScale: 'scoreScaleSourcedId',
      resultValueMin: 'resultValueMin',
      resultValueMax: 'resultValueMax',
      learningObjectiveSet: 'learningObjectiveSet',
    },
    references: [
      { field: 'class', entity: ClassEntity, label: 'class' },
      {
        field: 'parentAssessmentLineItem',
        entity: AssessmentLineItemEntity,
        label: 'assessment line item',
      },
      { field: 'scoreScale', entity: ScoreScaleEntity, label: 'score scale' },
    ],
  },
  assessmentResult: {
    properties: {
      metadata: 'metadata',
      assessmentLineItem: 'assessmentLineItemSourcedId',
      student: 'studentSourcedId',
      score: 'score',
      textScore: 'textScore',
      scoreDate: 'scoreDate',
      scoreScale: 'scoreScaleSourcedId',
      scorePercentile: 'scorePercentile',
      scoreStatus: 'scoreStatus',
      comment: 'comment',
      learningObjectiveSet: 'learningObjectiveSet',
      inProgress: 'inProgress',
      incomplete: 'incomplete',
      late: 'late',
      missing: 'missing',
    },
    references: [
      {
        field: 'assessmentLineItem',
        entity: AssessmentLineItemEntity,
        label: 'assessment line item',
      },
      { field: 'student', entity: UserEntity, label: 'user', student: true },
      { field: 'scoreScale', entity: ScoreScaleEntity, label: 'score scale' },
    ],
  },
};

export interface WriteOutcome {
  created: boolean;
  object: Record<string, unknown>;
}

export const UNCATEGORISED_SOURCED_ID = 'uncategorised';

/**
 * The parent a OneRoster 1.2 POST names in its path (gradebook service OpenAPI:
 * postLineItemsForClass, postLineItemsForSchool, postResultsForLineItem,
 * postResultsForAcademicSessionForClass).
 */
export type PostParent =
  | { kind: 'class'; classSourcedId: string }
  | { kind: 'school'; schoolSourcedId: string }
  | { kind: 'lineItem'; lineItemSourcedId: string }
  | {
      kind: 'classSession';
      classSourcedId: string;
      academicSessionSourcedId: string;
    };

/** One element of a POST body, read and checked as a PUT body is. */
export interface PostElement {
  /** How problems name the element: `lineItems[2]`. */
  at: string;
  /** The sourcedId the server allocated for it. */
  sourcedId: string;
  /** The element read as a PUT body; null when that reading failed (see `problems`). */
  input: LineItemInput | ResultInput | null;
  /** What reading the body found wrong with the element, listed before its references'. */
  problems: readonly string[];
  /**
   * References of the 1.2 object that 1.1 storage derives instead of storing (a line item's
   * `school`, a result's `class`): when given they must be what storage derives.
   */
  claims?: { school?: string; class?: string };
}

/** The 404 descriptions of the 1.2 gradebook OpenAPI's POST operations. */
function notFound(parent: PostParent): string {
  switch (parent.kind) {
    case 'class':
      return `Class not found: ${parent.classSourcedId}`;
    case 'school':
      return `School not found: ${parent.schoolSourcedId}`;
    case 'lineItem':
      return `Line item not found: ${parent.lineItemSourcedId}`;
    case 'classSession':
      return `Class or academic session not found: ${parent.classSourcedId}, ${parent.academicSessionSourcedId}`;
  }
}

type Built = {
  problems: string[];
  values: Record<string, unknown> | null;
};

function refuse(built: Built): Record<string, unknown> {
  if (built.problems.length || !built.values)
    throw new UnprocessableDataError(built.problems.join('; '));
  return built.values;
}

type Looked =
  | typeof ClassEntity
  | typeof CategoryEntity
  | typeof AcademicSessionEntity
  | typeof LineItemEntity
  | typeof UserEntity
  | typeof ScoreScaleEntity;

/** Active rows of one school inside one transaction, each read once per request. */
class Lookups {
  private readonly seen = new Map<string, Promise<unknown>>();
  constructor(
    readonly em: EntityManager,
    readonly schoolId: string,
  ) {}

  active<E extends Looked>(
    entity: E,
    sourcedId: string,
  ): Promise<InstanceType<E> | null> {
    const key = `${entity.name}\u0000${sourcedId}`;
    let row = this.seen.get(key);
    if (!row) {
      row = this.em.findOneBy(entity, {
        schoolId: this.schoolId,
        sourcedId,
        status: 'active',
      } as never);
      this.seen.set(key, row);
    }
    return row as Promise<InstanceType<E> | null>;
  }
}

/** A OneRoster 1.2 line item's or result's score scale: an active one of the school. */
async function scoreScaleProblems(
  l: Lookups,
  input: { scoreScaleSourcedId?: string | null },
  at: string,
): Promise<string[]> {
  const id = input.scoreScaleSourcedId;
  if (!id || (await l.active(ScoreScaleEntity, id))) return [];
  return [`${at}.scoreScale: score scale ${id} does not exist in this school`];
}

/** Problems of one POST element against the path's parent and its own claims. */
async function agreesWithParent(
  l: Lookups,
  parent: PostParent,
  e: PostElement,
): Promise<string[]> {
  const out: string[] = [];
  if (!e.input) return out;
  if (parent.kind === 'class' || parent.kind === 'school') {
    const input = e.input as LineItemInput;
    if (
      parent.kind === 'class' &&
      input.classSourcedId !== parent.classSourcedId
    )
      out.push(
        `${e.at}.class: names class ${input.classSourcedId} but the path names class ${parent.classSourcedId}`,
      );
    const cls = await l.active(ClassEntity, input.classSourcedId);
    if (
      cls &&
      parent.kind === 'school' &&
      cls.schoolSourcedId !== parent.schoolSourcedId
    )
      out.push(
        `${e.at}.class: class ${cls.sourcedId} is not a class of school ${parent.schoolSourcedId}`,
      );
    const school = e.claims?.school;
    if (cls && school && school !== cls.schoolSourcedId)
      out.push(
        `${e.at}.school: names school ${school}, but class ${cls.sourcedId} is of school ${cls.schoolSourcedId}`,
      );
    return out;
  }
  const input = e.input as ResultInput;
  const lineItem = await l.active(LineItemEntity, input.lineItemSourcedId);
  if (
    parent.kind === 'lineItem' &&
    input.lineItemSourcedId !== parent.lineItemSourcedId
  )
    out.push(
      `${e.at}.lineItem: names line item ${input.lineItemSourcedId} but the path names line item ${parent.lineItemSourcedId}`,
    );
  if (!lineItem) return out;
  const cls = e.claims?.class;
  if (cls && cls !== lineItem.classSourcedId)
    out.push(
      `${e.at}.class: names class ${cls}, but line item ${lineItem.sourcedId} is of class ${lineItem.classSourcedId}`,
    );
  if (parent.kind === 'classSession') {
    if (lineItem.classSourcedId !== parent.classSourcedId)
      out.push(
        `${e.at}.lineItem: line item ${lineItem.sourcedId} is not a line item of class ${parent.classSourcedId}`,
      );
    else {
      // The session of a line item is its grading period (1.1 storage, which 1.2 serves as
      // both academicSession and gradingPeriod); a term or year holds its grading periods.
      const session = parent.academicSessionSourcedId;
      const period = lineItem.gradingPeriodSourcedId;
      const within =
        period === session ||
        (await l.active(AcademicSessionEntity, period))?.parentSourcedId ===
          session;
      if (!within)
        out.push(
          `${e.at}.lineItem: line item ${lineItem.sourcedId} is of academic session ${period}, not of ${session}`,
        );
    }
  }
  return out;
}

type AnyRow =
  | CategoryEntity
  | LineItemEntity
  | ResultEntity
  | ScoreScaleEntity
  | AssessmentLineItemEntity
  | AssessmentResultEntity;

const ENTITY = {
  category: CategoryEntity,
  lineItem: LineItemEntity,
  result: ResultEntity,
  scoreScale: ScoreScaleEntity,
  assessmentLineItem: AssessmentLineItemEntity,
  assessmentResult: AssessmentResultEntity,
} as const;

const RESOURCE: Record<WritableKind, ResourceDef> = {
  category: CATEGORY_RESOURCE,
  lineItem: LINE_ITEM_RESOURCE,
  result: RESULT_RESOURCE,
  scoreScale: SCORE_SCALE_RESOURCE,
  assessmentLineItem: ASSESSMENT_LINE_ITEM_RESOURCE,
  assessmentResult: ASSESSMENT_RESULT_RESOURCE,
};

const isStoredV1p2 = (kind: WritableKind): kind is V1p2StoredKind =>
  kind in STORED_V1P2;

export class GradebookWriter {
  private readonly queue = new KeyedMutex();
  private readonly isMysql: boolean;
  private readonly serialiser: OneRosterSerialiser;
  /** Scheme and host of the API, for the 1.2 GUIDRefs of the stored 1.2 classes. */
  private readonly origin: string;

  constructor(
    private readonly ds: DataSource,
    /** Absolute base URL of the OneRoster API, for GUIDRef hrefs in the change log. */
    baseUrl: string,
  ) {
    this.isMysql = sqlDialect(ds) === 'mysql';
    this.serialiser = new OneRosterSerialiser(baseUrl);
    this.origin = baseUrl.replace(/\/ims\/oneroster\/v1p1$/, '');
  }

  /**
   * PUT of a score scale, assessment line item or assessment result (OneRoster 1.2), from a
   * checked 1.2 body: every GUIDRef must name an active object of the object's school (a
   * result's student a student); a new object takes the school of its first reference,
   * else the token's only school. What the body leaves out is stored as absent.
   */
  putStoredV1p2(
    scope: TenantScope,
    actor: Actor,
    kind: V1p2StoredKind,
    sourcedId: string,
    body: Readonly<Record<string, unknown>>,
  ): Promise<WriteOutcome> {
    const { properties, references } = STORED_V1P2[kind];
    const named = references.filter((r) => typeof body[r.field] === 'string');
    return this.write(
      scope,
      actor,
      kind,
      sourcedId,
      async (existing) => {
        if (existing) return existing.schoolId;
        const [first] = named;
        if (first)
          return this.schoolOf(
            scope,
            first.entity,
            String(body[first.field]),
            first.label,
          );
        if (scope.schoolIds.length === 1) return scope.schoolIds[0];
        throw new UnprocessableDataError(
          `A new ${kind} that references nothing belongs to no school by itself: use a token for exactly one school to create it`,
        );
      },
      async (em, schoolId) => {
        const problems: string[] = [];
        for (const r of named) {
          const id = String(body[r.field]);
          if (r.entity === AssessmentLineItemEntity && id === sourcedId) {
            problems.push(
              `${kind}.${r.field}: an object cannot be its own parent`,
            );
            continue;
          }
          const row = await em.findOneBy(r.entity, {
            schoolId,
            sourcedId: id,
            status: 'active',
          });
          if (!row)
            problems.push(
              `${kind}.${r.field}: ${r.label} ${id} does not exist in this school`,
            );
          else if (
            r.student &&
            (row as unknown as UserEntity).role !== 'student'
          )
            problems.push(`${kind}.${r.field}: user ${id} is not a student`);
        }
        const min = body['resultValueMin'];
        const max = body['resultValueMax'];
        if (typeof min === 'number' && typeof max === 'number' && max < min)
          problems.push(`${kind}.resultValueMax is below resultValueMin`);
        if (problems.length)
          throw new UnprocessableDataError(
            `Invalid ${kind}: ${problems.join('; ')}`,
          );
        const values: Record<string, unknown> = { schoolId, sourcedId };
        for (const [name, property] of Object.entries(properties))
          values[property] = body[name] ?? null;
        return values;
      },
    );
  }

  putCategory(
    scope: TenantScope,
    actor: Actor,
    sourcedId: string,
    input: CategoryInput,
  ): Promise<WriteOutcome> {
    return this.write(
      scope,
      actor,
      'category',
      sourcedId,
      async (existing) => {
        if (existing) return existing.schoolId;
        if (scope.schoolIds.length === 1) return scope.schoolIds[0];
        throw new UnprocessableDataError(
          'A new category belongs to no school by itself: use a token for exactly one school to create it',
        );
      },
      async (_em, schoolId) => ({
        schoolId,
        sourcedId,
        title: input.title,
        metadata: input.metadata,
        weight: input.weight ?? null,
      }),
    );
  }

  putLineItem(
    scope: TenantScope,
    actor: Actor,
    sourcedId: string,
    input: LineItemInput,
  ): Promise<WriteOutcome> {
    return this.write(
      scope,
      actor,
      'lineItem',
      sourcedId,
      async (existing) =>
        existing?.schoolId ??
        (await this.schoolOf(
          scope,
          ClassEntity,
          input.classSourcedId,
          'class',
        )),
      async (em, schoolId) =>
        refuse(
          await this.lineItemValues(
            new Lookups(em, schoolId),
            sourcedId,
            input,
            'lineItem',
          ),
        ),
    );
  }

  putResult(
    scope: TenantScope,
    actor: Actor,
    sourcedId: string,
    input: ResultInput,
  ): Promise<WriteOutcome> {
    return this.write(
      scope,
      actor,
      'result',
      sourcedId,
      async (existing) =>
        existing?.schoolId ??
        (await this.schoolOf(
          scope,
          LineItemEntity,
          input.lineItemSourcedId,
          'lineItem',
        )),
      async (em, schoolId) =>
        refuse(
          await this.resultValues(
            new Lookups(em, schoolId),
            sourcedId,
            input,
            'result',
          ),
        ),
    );
  }

  /**
   * The parent a OneRoster 1.2 POST names in its path, as an active object of the caller's
   * schools (null when there is none: the route answers 404). A school is an org of type
   * school; the caller's school ids are tenants, the path names the org's sourcedId.
   */
  async postParent(
    scope: TenantScope,
    parent: PostParent,
  ): Promise<{ schoolId: string } | null> {
    const one = async (
      entity:
        | typeof ClassEntity
        | typeof OrgEntity
        | typeof LineItemEntity
        | typeof AcademicSessionEntity,
      sourcedId: string,
      schoolId?: string,
    ) => {
      if (scope.schoolIds.length === 0) return null;
      const q = this.ds
        .getRepository(entity)
        .createQueryBuilder('t')
        .where('t.schoolId IN (:...schools)', {
          schools: schoolId ? [schoolId] : scope.schoolIds,
        })
        .andWhere('t.sourcedId = :sourcedId', { sourcedId })
        .andWhere("t.status = 'active'");
      if (entity === OrgEntity) q.andWhere("t.type = 'school'");
      return (await q.orderBy('t.schoolId').getOne()) as {
        schoolId: string;
      } | null;
    };
    switch (parent.kind) {
      case 'class':
        return one(ClassEntity, parent.classSourcedId);
      case 'school':
        return one(OrgEntity, parent.schoolSourcedId);
      case 'lineItem':
        return one(LineItemEntity, parent.lineItemSourcedId);
      case 'classSession': {
        const cls = await one(ClassEntity, parent.classSourcedId);
        if (!cls) return null;
        // The session must be of the class's school (a tenant's rows never mix).
        const session = await one(
          AcademicSessionEntity,
          parent.academicSessionSourcedId,
          cls.schoolId,
        );
        return session ? cls : null;
      }
    }
  }

  /**
   * A OneRoster 1.2 POST: new line items or results at server-allocated sourcedIds, in the
   * school of the path's parent, all or none. Rules enforced:
   * - each element passes the checks of a PUT of the same object (its references active
   *   objects of the school, a result's student a student, min ≤ max, …) and agrees with
   *   the path's parent (a line item of the path's class or of a class of the path's school;
   *   a result of the path's line item, or of a line item of the path's class whose grading
   *   period is the path's session or a session within it);
   * - every problem of every element is listed in one 422 (`at` names the element), and
   *   nothing is written;
   * - one transaction in the school's queue writes every object and its change (`created`),
   *   exactly as PUTs do, so the change feed shows each object once, in body order.
   * References name stored objects: an element cannot reference another element of the same
   * body (a POST creates objects of one class, none of which references its own class).
   */
  async postMany(
    scope: TenantScope,
    actor: Actor,
    parent: PostParent,
    elements: readonly PostElement[],
  ): Promise<WriteOutcome[]> {
    const found = await this.postParent(scope, parent);
    if (!found) throw new UnknownObjectError(notFound(parent));
    const kind =
      parent.kind === 'class' || parent.kind === 'school'
        ? 'lineItem'
        : 'result';
    const outcomes: WriteOutcome[] = [];
    await this.inSchool(found.schoolId, async (em) => {
      const lookups = new Lookups(em, found.schoolId);
      const problems: string[] = [];
      const rows: Record<string, unknown>[] = [];
      for (const e of elements) {
        problems.push(...e.problems);
        if (!e.input) continue;
        const built =
          kind === 'lineItem'
            ? await this.lineItemValues(
                lookups,
                e.sourcedId,
                e.input as LineItemInput,
                e.at,
              )
            : await this.resultValues(
                lookups,
                e.sourcedId,
                e.input as ResultInput,
                e.at,
              );
        problems.push(
          ...built.problems,
          ...(await agreesWithParent(lookups, parent, e)),
        );
        if (built.values) rows.push(built.values);
      }
      if (problems.length) throw new InvalidBodyError(`${kind}s`, problems);
      const now = new Date();
      for (const values of rows) {
        const sourcedId = String(values['sourcedId']);
        await em.insert(ENTITY[kind], {
          ...values,
          status: 'active' as const,
          dateLastModified: now,
        });
        const after = (await em.findOneByOrFail(ENTITY[kind], {
          schoolId: found.schoolId,
          sourcedId,
        })) as AnyRow;
        const afterJson = this.json(kind, after);
        await this.record(
          em,
          actor,
          kind,
          found.schoolId,
          sourcedId,
          'created',
          null,
          afterJson,
          now,
        );
        outcomes.push({ created: true, object: afterJson });
      }
    });
    return outcomes;
  }

  /** A line item's row, or the problems that stop it (`at` names the object in them). */
  private async lineItemValues(
    l: Lookups,
    sourcedId: string,
    input: LineItemInput,
    at: string,
  ): Promise<Built> {
    const problems: string[] = [];
    const schoolId = l.schoolId;
    const cls = await l.active(ClassEntity, input.classSourcedId);
    if (!cls)
      problems.push(
        `${at}.class: class ${input.classSourcedId} does not exist in this school`,
      );
    const assignDate = input.assignDate ?? new Date();
    if (input.categorySourcedId) {
      if (!(await l.active(CategoryEntity, input.categorySourcedId)))
        problems.push(
          `${at}.category: category ${input.categorySourcedId} does not exist in this school`,
        );
    }
    let gradingPeriodSourcedId = input.gradingPeriodSourcedId;
    if (gradingPeriodSourcedId) {
      if (!(await l.active(AcademicSessionEntity, gradingPeriodSourcedId)))
        problems.push(
          `${at}.gradingPeriod: academic session ${gradingPeriodSourcedId} does not exist in this school`,
        );
    } else if (cls) {
      gradingPeriodSourcedId = await this.derivedGradingPeriod(
        l.em,
        schoolId,
        cls.sourcedId,
        assignDate,
      );
      if (!gradingPeriodSourcedId)
        problems.push(
          `${at}.gradingPeriod is required: the class has no terms to derive it from`,
        );
    }
    const min = input.resultValueMin ?? 0;
    const max = input.resultValueMax ?? 100;
    if (max < min)
      problems.push(`${at}.resultValueMax is below resultValueMin`);
    problems.push(...(await scoreScaleProblems(l, input, at)));
    if (problems.length || !cls) return { problems, values: null };
    const categorySourcedId =
      input.categorySourcedId ?? (await this.uncategorised(l.em, schoolId));
    return {
      problems,
      values: {
        schoolId,
        sourcedId,
        title: input.title,
        description: input.description,
        assignDate,
        dueDate: input.dueDate ?? assignDate,
        classSourcedId: cls.sourcedId,
        categorySourcedId,
        gradingPeriodSourcedId,
        resultValueMin: min,
        resultValueMax: max,
        metadata: input.metadata,
        scoreScaleSourcedId: input.scoreScaleSourcedId ?? null,
        learningObjectiveSet: input.learningObjectiveSet?.length
          ? input.learningObjectiveSet
          : null,
      },
    };
  }

  /** A result's row, or the problems that stop it. */
  private async resultValues(
    l: Lookups,
    sourcedId: string,
    input: ResultInput,
    at: string,
  ): Promise<Built> {
    const problems: string[] = [];
    const lineItem = await l.active(LineItemEntity, input.lineItemSourcedId);
    if (!lineItem)
      problems.push(
        `${at}.lineItem: line item ${input.lineItemSourcedId} does not exist in this school`,
      );
    const student = await l.active(UserEntity, input.studentSourcedId);
    if (!student)
      problems.push(
        `${at}.student: user ${input.studentSourcedId} does not exist in this school`,
      );
    else if (student.role !== 'student')
      problems.push(
        `${at}.student: user ${input.studentSourcedId} is not a student`,
      );
    let score = input.score;
    if (score === null) {
      if (
        input.scoreStatus !== 'exempt' &&
        input.scoreStatus !== 'not submitted'
      )
        problems.push(
          `${at}.score is required when scoreStatus is ${input.scoreStatus}`,
        );
      score = 0;
    }
    problems.push(...(await scoreScaleProblems(l, input, at)));
    if (problems.length || !lineItem || !student)
      return { problems, values: null };
    return {
      problems,
      values: {
        schoolId: l.schoolId,
        sourcedId,
        lineItemSourcedId: lineItem.sourcedId,
        studentSourcedId: student.sourcedId,
        scoreStatus: input.scoreStatus,
        score,
        scoreDate: input.scoreDate ?? encodeDate(new Date()),
        comment: input.comment,
        metadata: input.metadata,
        scoreScaleSourcedId: input.scoreScaleSourcedId ?? null,
        textScore: input.textScore ?? null,
        inProgress: input.inProgress ?? null,
        incomplete: input.incomplete ?? null,
        late: input.late ?? null,
        missing: input.missing ?? null,
        learningObjectiveSet: input.learningObjectiveSet?.length
          ? input.learningObjectiveSet
          : null,
      },
    };
  }

  /** Marks the object deleted (and a line item's results); UnknownObjectError when there is none. */
  async delete(
    scope: TenantScope,
    actor: Actor,
    kind: WritableKind,
    sourcedId: string,
  ): Promise<void> {
    const existing = await this.find(this.ds.manager, scope, kind, sourcedId);
    if (!existing || existing.status !== 'active')
      throw new UnknownObjectError(`Unknown object: ${kind} ${sourcedId}`);
    const schoolId = existing.schoolId;
    await this.inSchool(schoolId, async (em) => {
      const now = new Date();
      const row = await em.findOneBy(ENTITY[kind], { schoolId, sourcedId });
      if (!row || row.status !== 'active')
        throw new UnknownObjectError(`Unknown object: ${kind} ${sourcedId}`);
      const targets: [WritableKind, AnyRow][] = [[kind, row]];
      if (kind === 'lineItem') {
        const results = await em.findBy(ResultEntity, {
          schoolId,
          lineItemSourcedId: sourcedId,
          status: 'active',
        });
        for (const r of results) targets.push(['result', r]);
      }
      if (kind === 'assessmentLineItem') {
        // As for line items: an assessment line item's results go with it.
        const results = await em.findBy(AssessmentResultEntity, {
          schoolId,
          assessmentLineItemSourcedId: sourcedId,
          status: 'active',
        });
        for (const r of results) targets.push(['assessmentResult', r]);
      }
      for (const [k, r] of targets) {
        const before = this.json(k, r);
        await em.update(
          ENTITY[k],
          { schoolId, sourcedId: r.sourcedId },
          { status: 'tobedeleted', dateLastModified: now },
        );
        await this.record(
          em,
          actor,
          k,
          schoolId,
          r.sourcedId,
          'deleted',
          before,
          {
            ...before,
            status: 'tobedeleted',
            dateLastModified: now.toISOString(),
          },
          now,
        );
      }
    });
  }

  private async write(
    scope: TenantScope,
    actor: Actor,
    kind: WritableKind,
    sourcedId: string,
    schoolFor: (existing: AnyRow | null) => Promise<string>,
    build: (
      em: EntityManager,
      schoolId: string,
    ) => Promise<Record<string, unknown>>,
  ): Promise<WriteOutcome> {
    if (scope.schoolIds.length === 0)
      throw new UnprocessableDataError(
        'The access token names no school this application may write to',
      );
    const schoolId = await schoolFor(
      await this.find(this.ds.manager, scope, kind, sourcedId),
    );
    let outcome: WriteOutcome | undefined;
    await this.inSchool(schoolId, async (em) => {
      const existing = (await em.findOneBy(ENTITY[kind], {
        schoolId,
        sourcedId,
      })) as AnyRow | null;
      const now = new Date();
      const values = {
        ...(await build(em, schoolId)),
        status: 'active' as const,
        dateLastModified: now,
      };
      if (existing)
        await em.update(ENTITY[kind], { schoolId, sourcedId }, values);
      else await em.insert(ENTITY[kind], values);
      const after = (await em.findOneByOrFail(ENTITY[kind], {
        schoolId,
        sourcedId,
      })) as AnyRow;
      const live = existing?.status === 'active' ? existing : null;
      const before = live ? this.json(kind, live) : null;
      const afterJson = this.json(kind, after);
      await this.record(
        em,
        actor,
        kind,
        schoolId,
        sourcedId,
        live ? 'replaced' : 'created',
        before,
        afterJson,
        now,
      );
      outcome = { created: !live, object: afterJson };
    });
    if (!outcome) throw new Error('write produced no outcome');
    return outcome;
  }

  /** Serialises the school's writes: in this process, and on MySQL across instances. */
  private inSchool(
    schoolId: string,
    work: (em: EntityManager) => Promise<void>,
  ): Promise<void> {
    // SQLite has one writer for the whole file: one queue for all schools.
    return this.queue.run(this.isMysql ? schoolId : '*', async () => {
      await this.ds.transaction(async (em) => {
        if (this.isMysql)
          await em.query('SELECT id FROM schools WHERE id = ? FOR UPDATE', [
            schoolId,
          ]);
        await work(em);
      });
      // Read-your-writes: the school's next reads go to the primary until replicas caught up.
      noteWrite(this.ds, [schoolId]);
    });
  }

  private async find(
    em: EntityManager,
    scope: TenantScope,
    kind: WritableKind,
    sourcedId: string,
  ): Promise<AnyRow | null> {
    const rows = (await em
      .getRepository(ENTITY[kind])
      .createQueryBuilder('t')
      .where('t.schoolId IN (:...schools)', { schools: scope.schoolIds })
      .andWhere('t.sourcedId = :sourcedId', { sourcedId })
      .orderBy('t.schoolId')
      .getMany()) as AnyRow[];
    return rows.find((r) => r.status === 'active') ?? rows[0] ?? null;
  }

  private async schoolOf(
    scope: TenantScope,
    entity: typeof LineItemEntity | Reference['entity'],
    sourcedId: string,
    label: string,
  ): Promise<string> {
    const row = await this.ds
      .getRepository(entity)
      .createQueryBuilder('t')
      .where('t.schoolId IN (:...schools)', { schools: scope.schoolIds })
      .andWhere('t.sourcedId = :sourcedId', { sourcedId })
      .andWhere("t.status = 'active'")
      .orderBy('t.schoolId')
      .getOne();
    if (!row)
      throw new UnprocessableDataError(
        `${label} ${sourcedId} does not exist in the schools this token may write to`,
      );
    return row.schoolId;
  }

  private async uncategorised(
    em: EntityManager,
    schoolId: string,
  ): Promise<string> {
    const existing = await em.findOneBy(CategoryEntity, {
      schoolId,
      sourcedId: UNCATEGORISED_SOURCED_ID,
    });
    if (!existing) {
      await em.insert(CategoryEntity, {
        schoolId,
        sourcedId: UNCATEGORISED_SOURCED_ID,
        status: 'active',
        dateLastModified: new Date(),
        metadata: null,
        title: 'Uncategorised',
      });
    } else if (existing.status !== 'active') {
      await em.update(
        CategoryEntity,
        { schoolId, sourcedId: UNCATEGORISED_SOURCED_ID },
        { status: 'active', dateLastModified: new Date() },
      );
    }
    return UNCATEGORISED_SOURCED_ID;
  }

  private async derivedGradingPeriod(
    em: EntityManager,
    schoolId: string,
    classSourcedId: string,
    at: Date,
  ): Promise<string | null> {
    const terms = await em.find(ClassTermEntity, {
      where: { schoolId, classSourcedId },
      order: { position: 'ASC' },
    });
    if (terms.length === 0) return null;
    const day = encodeDate(at);
    for (const term of terms) {
      const periods = await em.find(AcademicSessionEntity, {
        where: {
          schoolId,
          parentSourcedId: term.termSourcedId,
          type: 'gradingPeriod',
          status: 'active',
        },
        order: { startDate: 'ASC' },
      });
      const containing = periods.find(
        (p) => p.startDate <= day && day < p.endDate,
      );
      if (containing) return containing.sourcedId;
    }
    return terms[0].termSourcedId;
  }

  private async record(
    em: EntityManager,
    actor: Actor,
    kind: WritableKind,
    schoolId: string,
    sourcedId: string,
    action: 'created' | 'replaced' | 'deleted',
    before: Record<string, unknown> | null,
    after: Record<string, unknown> | null,
    at: Date,
  ): Promise<void> {
    const change = {
      schoolId,
      occurredAt: at,
      objectType: kind,
      sourcedId,
      action,
      clientId: actor.clientId,
      integratorId: actor.integratorId,
      userId: actor.userId,
      before,
      after,
    };
    await em
      .getRepository(GradebookChangeEntity)
      .save(em.create(GradebookChangeEntity, change), { reload: false });
  }

  /**
   * The OneRoster JSON of a gradebook row (as the API serves it): the entity's columns by
   * their SQL names, through the serialiser that reads use.
   */
  json(kind: WritableKind, row: AnyRow): Record<string, unknown> {
    const columns: Record<string, unknown> = {};
    for (const c of this.ds.getMetadata(ENTITY[kind]).columns)
      columns[c.databaseName] = c.getEntityValue(row);
    // 1.1 gradebook objects have no booleans, so the caller's wire option does not apply;
    // the stored 1.2 classes are recorded as 1.2 serves them.
    const object = this.serialiser.object(RESOURCE[kind].fields, columns);
    return isStoredV1p2(kind)
      ? storedV1p2(kind, object, { origin: this.origin })
      : object;
  }
}
