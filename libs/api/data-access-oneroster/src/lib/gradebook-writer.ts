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

export interface CategoryInput {
  title: string;
  metadata: Metadata | null;
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
      async (em, schoolId) => {
        const cls = await em.findOneBy(ClassEntity, {
          schoolId,
          sourcedId: input.classSourcedId,
          status: 'active',
        });
        if (!cls)
          throw new UnprocessableDataError(
            `lineItem.class: class ${input.classSourcedId} does not exist in this school`,
          );
        const assignDate = input.assignDate ?? new Date();
        const categorySourcedId =
          input.categorySourcedId ?? (await this.uncategorised(em, schoolId));
        if (input.categorySourcedId) {
          const category = await em.findOneBy(CategoryEntity, {
            schoolId,
            sourcedId: input.categorySourcedId,
            status: 'active',
          });
          if (!category)
            throw new UnprocessableDataError(
              `lineItem.category: category ${input.categorySourcedId} does not exist in this school`,
            );
        }
        let gradingPeriodSourcedId = input.gradingPeriodSourcedId;
        if (gradingPeriodSourcedId) {
          const session = await em.findOneBy(AcademicSessionEntity, {
            schoolId,
            sourcedId: gradingPeriodSourcedId,
            status: 'active',
          });
          if (!session)
            throw new UnprocessableDataError(
              `lineItem.gradingPeriod: academic session ${gradingPeriodSourcedId} does not exist in this school`,
            );
        } else {
          gradingPeriodSourcedId = await this.derivedGradingPeriod(
            em,
            schoolId,
            cls.sourcedId,
            assignDate,
          );
        }
        const min = input.resultValueMin ?? 0;
        const max = input.resultValueMax ?? 100;
        if (max < min)
          throw new UnprocessableDataError(
            'lineItem.resultValueMax is below resultValueMin',
          );
        return {
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
        };
      },
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
      async (em, schoolId) => {
        const lineItem = await em.findOneBy(LineItemEntity, {
          schoolId,
          sourcedId: input.lineItemSourcedId,
          status: 'active',
        });
        if (!lineItem)
          throw new UnprocessableDataError(
            `result.lineItem: line item ${input.lineItemSourcedId} does not exist in this school`,
          );
        const student = await em.findOneBy(UserEntity, {
          schoolId,
          sourcedId: input.studentSourcedId,
          status: 'active',
        });
        if (!student)
          throw new UnprocessableDataError(
            `result.student: user ${input.studentSourcedId} does not exist in this school`,
          );
        if (student.role !== 'student')
          throw new UnprocessableDataError(
            `result.student: user ${input.studentSourcedId} is not a student`,
          );
        let score = input.score;
        if (score === null) {
          if (
            input.scoreStatus !== 'exempt' &&
            input.scoreStatus !== 'not submitted'
          ) {
            throw new UnprocessableDataError(
              `result.score is required when scoreStatus is ${input.scoreStatus}`,
            );
          }
          score = 0;
        }
        return {
          schoolId,
          sourcedId,
          lineItemSourcedId: lineItem.sourcedId,
          studentSourcedId: student.sourcedId,
          scoreStatus: input.scoreStatus,
          score,
          scoreDate: input.scoreDate ?? encodeDate(new Date()),
          comment: input.comment,
          metadata: input.metadata,
        };
      },
    );
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
  ): Promise<string> {
    const terms = await em.find(ClassTermEntity, {
      where: { schoolId, classSourcedId },
      order: { position: 'ASC' },
    });
    if (terms.length === 0)
      throw new UnprocessableDataError(
        'lineItem.gradingPeriod is required: the class has no terms to derive it from',
      );
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
