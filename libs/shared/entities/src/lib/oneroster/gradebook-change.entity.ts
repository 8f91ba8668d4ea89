import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import {
  Instant,
  Json,
  RequiredStr,
  SCHOOL_ID_LENGTH,
  SOURCED_ID_LENGTH,
  Str,
} from '../columns';

/**
 * Every gradebook change made through the API (create, replace, delete of a category, line
 * item or result): who, when, what. The school's MIS collects them in `id` order. Writes of
 * one school are serialised, so within a school ids are assigned in commit order and a
 * reader that resumes after the last id it saw never skips a change.
 */
@Entity({ name: 'gradebook_changes' })
@Index(['schoolId', 'id'])
export class GradebookChangeEntity {
  @PrimaryGeneratedColumn({ name: 'id', type: 'int' })
  id!: number;

  @Column({ name: 'school_id', type: 'varchar', length: SCHOOL_ID_LENGTH })
  schoolId!: string;

  @Instant('occurred_at', false)
  occurredAt!: Date;

  /**
   * `category`, `lineItem` or `result`; from the 1.2 gradebook also `scoreScale`,
   * `assessmentLineItem` or `assessmentResult`.
   */
  @RequiredStr('object_type', 32)
  objectType!: string;

  @RequiredStr('sourced_id', SOURCED_ID_LENGTH)
  sourcedId!: string;

  /** `created`, `replaced` or `deleted`. */
  @RequiredStr('action', 16)
  action!: string;

  @Str('client_id', 64)
  clientId!: string | null;

  @Str('integrator_id', 36)
  integratorId!: string | null;

  /** The signed-in user, for tokens from the OIDC hybrid flow. */
  @Str('user_id')
  userId!: string | null;

  /** The object as OneRoster JSON before the change (null when created). */
  @Json('before')
  before!: Record<string, unknown> | null;

  /** The object as OneRoster JSON after the change (status tobedeleted when deleted). */
  @Json('after')
  after!: Record<string, unknown> | null;
}
