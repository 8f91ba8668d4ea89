import { Entity, Index } from 'typeorm';
import type { ScoreStatus } from '@oneroster/contracts';
import {
  Bool,
  DateOnly,
  Float,
  Json,
  OneRosterRecord,
  Ref,
  RequiredStr,
  Str,
  Text,
} from '../columns';

/*
 * The gradebook classes new in OneRoster 1.2 (gradebook service OpenAPI, ScoreScaleDType,
 * AssessmentLineItemDType, AssessmentResultDType), with no 1.1 counterpart: stored as 1.2
 * defines them, one row per object and school like every OneRoster table. GUIDRefs are
 * sourcedId columns; the nested lists (ScoreScaleValueDType[], the learning objective sets)
 * are JSON columns, read and written whole.
 */

/** A 1.2 ScoreScaleValueDType: one value of a scale and its meaning. */
export interface ScoreScaleValue {
  itemValueLHS: string;
  itemValueRHS: string;
}

/** OneRoster 1.2 ScoreScale: the values a class's (or course's) scores may take. */
@Entity({ name: 'score_scales' })
@Index(['schoolId', 'classSourcedId'])
export class ScoreScaleEntity extends OneRosterRecord {
  @RequiredStr('title')
  title!: string;

  @RequiredStr('type')
  type!: string;

  @Ref('course_sourced_id')
  courseSourcedId!: string | null;

  @Ref('class_sourced_id', false)
  classSourcedId!: string;

  /** ScoreScaleValueDType[], at least one. */
  @Json('score_scale_value', false)
  scoreScaleValue!: ScoreScaleValue[];
}

/** OneRoster 1.2 AssessmentLineItem: an assessment, optionally of a class. */
@Entity({ name: 'assessment_line_items' })
@Index(['schoolId', 'classSourcedId'])
export class AssessmentLineItemEntity extends OneRosterRecord {
  @RequiredStr('title')
  title!: string;

  @Text('description')
  description!: string | null;

  @Ref('class_sourced_id')
  classSourcedId!: string | null;

  @Ref('parent_sourced_id')
  parentSourcedId!: string | null;

  @Ref('score_scale_sourced_id')
  scoreScaleSourcedId!: string | null;

  @Float('result_value_min')
  resultValueMin!: number | null;

  @Float('result_value_max')
  resultValueMax!: number | null;

  /** LearningObjectiveSetDType[]. */
  @Json('learning_objective_set')
  learningObjectiveSet!: unknown[] | null;
}

/** OneRoster 1.2 AssessmentResult: one student's result on one assessment line item. */
@Entity({ name: 'assessment_results' })
@Index(['schoolId', 'assessmentLineItemSourcedId'])
@Index(['schoolId', 'studentSourcedId'])
export class AssessmentResultEntity extends OneRosterRecord {
  @Ref('assessment_line_item_sourced_id', false)
  assessmentLineItemSourcedId!: string;

  @Ref('student_sourced_id', false)
  studentSourcedId!: string;

  @Float('score')
  score!: number | null;

  @Str('text_score')
  textScore!: string | null;

  @DateOnly('score_date', false)
  scoreDate!: string;

  @Ref('score_scale_sourced_id')
  scoreScaleSourcedId!: string | null;

  @Float('score_percentile')
  scorePercentile!: number | null;

  /** ScoreStatusEnum, or an `ext:` value. */
  @RequiredStr('score_status', 64)
  scoreStatus!: ScoreStatus | string;

  @Text('comment')
  comment!: string | null;

  /** LearningObjectiveScoreSetDType[]. */
  @Json('learning_objective_set')
  learningObjectiveSet!: unknown[] | null;

  @Bool('in_progress')
  inProgress!: boolean | null;

  @Bool('incomplete')
  incomplete!: boolean | null;

  @Bool('late')
  late!: boolean | null;

  @Bool('missing')
  missing!: boolean | null;
}
