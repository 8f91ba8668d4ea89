import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { SCHOOL_ID_LENGTH, SOURCED_ID_LENGTH } from '../columns';

/*
 * Many-to-many GUIDRef lists of OneRoster objects, one row per element. `position` keeps
 * the order the source system gave, so that the lists read back as they were written.
 */

const SchoolKey = () =>
  PrimaryColumn({
    name: 'school_id',
    type: 'varchar',
    length: SCHOOL_ID_LENGTH,
  });
const Key = (name: string) =>
  PrimaryColumn({ name, type: 'varchar', length: SOURCED_ID_LENGTH });
const Position = () => Column({ name: 'position', type: 'int', default: 0 });

/** Class.terms (§5.3). */
@Entity({ name: 'class_terms' })
@Index(['schoolId', 'termSourcedId'])
export class ClassTermEntity {
  @SchoolKey() schoolId!: string;
  @Key('class_sourced_id') classSourcedId!: string;
  @Key('term_sourced_id') termSourcedId!: string;
  @Position() position!: number;
}

/** User.orgs (§5.8). */
@Entity({ name: 'user_orgs' })
@Index(['schoolId', 'orgSourcedId'])
export class UserOrgEntity {
  @SchoolKey() schoolId!: string;
  @Key('user_sourced_id') userSourcedId!: string;
  @Key('org_sourced_id') orgSourcedId!: string;
  @Position() position!: number;
}

/** User.agents (§5.8): parents, guardians and other related users. */
@Entity({ name: 'user_agents' })
@Index(['schoolId', 'agentSourcedId'])
export class UserAgentEntity {
  @SchoolKey() schoolId!: string;
  @Key('user_sourced_id') userSourcedId!: string;
  @Key('agent_sourced_id') agentSourcedId!: string;
  @Position() position!: number;
}
