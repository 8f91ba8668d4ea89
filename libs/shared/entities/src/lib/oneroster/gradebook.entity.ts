import { Entity, Index } from 'typeorm';
import type { ScoreStatus } from '@oneroster/contracts';
import {
  Bool,
  DateOnly,
  Float,
  Instant,
  Json,
  OneRosterRecord,
  Ref,
  RequiredStr,
  Str,
  Text,
} from '../columns';

/** OneRoster Category, a.k.a. LineItemCategory (§5.11). */
@Entity({ name: 'categories' })
export class CategoryEntity extends OneRosterRecord {
  @RequiredStr('title')
  title!: string;

  /** OneRoster 1.2 CategoryDType `weight` (gradebook OpenAPI): 1.2 only, never in 1.1. */
  @Float('weight')
  weight!: number | null;
}

/** OneRoster LineItem (§5.9): an assignment or assessment of a class. */
@Entity({ name: 'line_items' })
@Index(['schoolId', 'classSourcedId'])
@Index(['schoolId', 'categorySourcedId'])
@Index(['schoolId', 'gradingPeriodSourcedId'])
export class LineItemEntity extends OneRosterRecord {
  @RequiredStr('title')
  title!: string;

  @Text('description')
  description!: string | null;

  @Instant('assign_date', false)
  assignDate!: Date;

  @Instant('due_date', false)
  dueDate!: Date;

  @Ref('class_sourced_id', false)
  classSourcedId!: string;

  @Ref('category_sourced_id', false)
  categorySourcedId!: string;

  @Ref('grading_period_sourced_id', false)
  gradingPeriodSourcedId!: string;

  @Float('result_value_min', false)
  resultValueMin!: number;

  @Float('result_value_max', false)
  resultValueMax!: number;

  /** OneRoster 1.2 LineItemDType `scoreScale` (a score scale's sourcedId): 1.2 only. */
  @Ref('score_scale_sourced_id')
  scoreScaleSourcedId!: string | null;

  /**
   * OneRoster 1.2 LineItemDType `learningObjectiveSet` (LearningObjectiveSetDType[], JSON,
   * read and written whole): 1.2 only.
   */
  @Json('learning_objective_set')
  learningObjectiveSet!: unknown[] | null;
}

/** OneRoster Result (§5.10): one student's score on one line item. */
@Entity({ name: 'results' })
@Index(['schoolId', 'lineItemSourcedId'])
@Index(['schoolId', 'studentSourcedId'])
export class ResultEntity extends OneRosterRecord {
  @Ref('line_item_sourced_id', false)
  lineItemSourcedId!: string;

  @Ref('student_sourced_id', false)
  studentSourcedId!: string;

  @RequiredStr('score_status', 32)
  scoreStatus!: ScoreStatus;

  /** May exceed the line item's resultValueMax (extra credit is legal). */
  @Float('score', false)
  score!: number;

  @DateOnly('score_date', false)
  scoreDate!: string;

  @Text('comment')
  comment!: string | null;

  /*
   * OneRoster 1.2 ResultDType fields (gradebook OpenAPI): stored for the 1.2 REST binding
   * and 1.2 CSV (results.csv), never published by 1.1.
   */
  @Ref('score_scale_sourced_id')
  scoreScaleSourcedId!: string | null;

  @Str('text_score')
  textScore!: string | null;

  @Bool('in_progress')
  inProgress!: boolean | null;

  @Bool('incomplete')
  incomplete!: boolean | null;

  @Bool('late')
  late!: boolean | null;

  @Bool('missing')
  missing!: boolean | null;

  /** LearningObjectiveScoreSetDType[] (JSON, read and written whole). */
  @Json('learning_objective_set')
  learningObjectiveSet!: unknown[] | null;
}
