import { Column, Index, PrimaryColumn } from 'typeorm';
import type { Metadata, StatusType } from '@oneroster/contracts';

/*
 * Column helpers. Every column names its SQL name and type explicitly so that the
 * schema does not depend on TypeScript's emitted metadata or a naming strategy, and the
 * same entity maps to SQLite and to MySQL/MariaDB.
 */
export const Str = (name: string, length = 255, nullable = true) =>
  Column({ name, type: 'varchar', length, nullable });
export const RequiredStr = (name: string, length = 255) =>
  Str(name, length, false);
export const Text = (name: string, nullable = true) =>
  Column({ name, type: 'text', nullable });
export const Json = (name: string, nullable = true) =>
  Column({ name, type: 'simple-json', nullable });
export const Bool = (name: string, nullable = true) =>
  Column({ name, type: 'boolean', nullable });
export const Float = (name: string, nullable = true) =>
  Column({ name, type: 'double', nullable });
/** A calendar date, `YYYY-MM-DD` in and out. */
export const DateOnly = (name: string, nullable = true) =>
  Column({ name, type: 'date', nullable });
/** An instant, stored in UTC with millisecond precision. */
export const Instant = (name: string, nullable = true) =>
  Column({ name, type: 'datetime', precision: 3, nullable });

export const SCHOOL_ID_LENGTH = 36;
export const SOURCED_ID_LENGTH = 255;

/** A reference to another OneRoster record of the same school, by its sourcedId. */
export const Ref = (name: string, nullable = true) =>
  Str(name, SOURCED_ID_LENGTH, nullable);

/**
 * Fields every OneRoster 1.1 object carries (§5.0), plus the tenant. The primary key is
 * (school, sourcedId): the same sourcedId may exist in two schools, as two rows.
 * The API's stable default order is (sourcedId, school).
 */
@Index(['schoolId', 'status'])
@Index(['schoolId', 'dateLastModified'])
// Default order across several schools (sourcedId, then school) without a sort, and keyset
// paging through it.
@Index(['sourcedId', 'schoolId'])
export abstract class OneRosterRecord {
  @PrimaryColumn({
    name: 'school_id',
    type: 'varchar',
    length: SCHOOL_ID_LENGTH,
  })
  schoolId!: string;

  @PrimaryColumn({
    name: 'sourced_id',
    type: 'varchar',
    length: SOURCED_ID_LENGTH,
  })
  sourcedId!: string;

  @Column({ name: 'status', type: 'varchar', length: 16, default: 'active' })
  status!: StatusType;

  @Column({ name: 'date_last_modified', type: 'datetime', precision: 3 })
  dateLastModified!: Date;

  @Json('metadata')
  metadata!: Metadata | null;
}
