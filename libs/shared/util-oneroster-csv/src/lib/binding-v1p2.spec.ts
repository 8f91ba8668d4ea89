import {
  CATALOGUE_V1P2,
  V1P2_CSV,
  v1p2CsvField,
} from '@oneroster/oneroster-catalogue';
import {
  CSV_FILES,
  CSV_HEADERS,
  V1P2_FORM_COLUMNS,
  V1P2_STORED_COLUMNS,
} from './binding';
import {
  V1P2_CSV_COLUMNS,
  V1P2_CSV_FILES,
  V1P2_CSV_HEADERS,
  V1P2_DEPENDENCY_ORDER,
  V1P2_NOT_STORED_FILES,
  V1P2_OWN_TABLE_FILES,
  V1P2_OWNER_COLUMN_FILES,
  V1P2_GATHERED_LINK_FILES,
  V1P2_STORED_FILES,
} from './binding-v1p2';
import { headerVersionMismatch, V1P1_COLUMN_OF_V1P2 } from './convert-v1p2';
import { IssueCollector } from './report';
import { readHeader, readRow, RowContext } from './rows';

const B = ['sourcedId', 'status', 'dateLastModified'];

/**
 * The headers of the OneRoster 1.2 CSV binding, 1.2.1 corrections (1EdTech, "OneRoster 1.2
 * CSV Binding", §3 data files), written out here as the specification gives them, so that a
 * change of the catalogue that disagrees with the binding fails.
 */
const SPEC_HEADERS: Record<string, string[]> = {
  academicSessions: [
    ...B,
    'title',
    'type',
    'startDate',
    'endDate',
    'parentSourcedId',
    'schoolYear',
  ],
  categories: [...B, 'title', 'weight'],
  classes: [
    ...B,
    'title',
    'grades',
    'courseSourcedId',
    'classCode',
    'classType',
    'location',
    'schoolSourcedId',
    'termSourcedIds',
    'subjects',
    'subjectCodes',
    'periods',
  ],
  classResources: [...B, 'title', 'classSourcedId', 'resourceSourcedId'],
  courseResources: [...B, 'title', 'courseSourcedId', 'resourceSourcedId'],
  courses: [
    ...B,
    'schoolYearSourcedId',
    'title',
    'courseCode',
    'grades',
    'orgSourcedId',
    'subjects',
    'subjectCodes',
  ],
  demographics: [
    ...B,
    'birthDate',
    'sex',
    'americanIndianOrAlaskaNative',
    'asian',
    'blackOrAfricanAmerican',
    'nativeHawaiianOrOtherPacificIslander',
    'white',
    'demographicRaceTwoOrMoreRaces',
    'hispanicOrLatinoEthnicity',
    'countryOfBirthCode',
    'stateOfBirthAbbreviation',
    'cityOfBirth',
    'publicSchoolResidenceStatus',
  ],
  enrollments: [
    ...B,
    'classSourcedId',
    'schoolSourcedId',
    'userSourcedId',
    'role',
    'primary',
    'beginDate',
    'endDate',
  ],
  lineItemLearningObjectiveIds: [
    ...B,
    'lineItemSourcedId',
    'source',
    'learningObjectiveId',
  ],
  lineItems: [
    ...B,
    'title',
    'description',
    'assignDate',
    'dueDate',
    'classSourcedId',
    'categorySourcedId',
    'academicSessionSourcedId',
    'resultValueMin',
    'resultValueMax',
    'schoolSourcedId',
  ],
  lineItemScoreScales: [
    ...B,
    'title',
    'lineItemSourcedId',
    'scoreScaleSourcedId',
  ],
  orgs: [...B, 'name', 'type', 'identifier', 'parentSourcedId'],
  resources: [
    ...B,
    'vendorResourceId',
    'title',
    'roles',
    'importance',
    'vendorId',
    'applicationId',
  ],
  resultLearningObjectiveIds: [
    ...B,
    'resultSourcedId',
    'source',
    'learningObjectiveId',
    'score',
    'textScore',
  ],
  results: [
    ...B,
    'lineItemSourcedId',
    'studentSourcedId',
    'scoreStatus',
    'score',
    'scoreDate',
    'comment',
    'textScore',
    'classSourcedId',
    'inProgress',
    'incomplete',
    'late',
    'missing',
  ],
  resultScoreScales: [...B, 'title', 'resultSourcedId', 'scoreScaleSourcedId'],
  roles: [
    ...B,
    'userSourcedId',
    'roleType',
    'role',
    'beginDate',
    'endDate',
    'orgSourcedId',
    'userProfileSourcedId',
  ],
  scoreScales: [
    ...B,
    'title',
    'type',
    'orgSourcedId',
    'courseSourcedId',
    'classSourcedId',
    'scoreScaleValue',
  ],
  userProfiles: [
    ...B,
    'userSourcedId',
    'profileType',
    'vendorId',
    'applicationId',
    'description',
    'credentialType',
    'username',
    'password',
  ],
  userResources: [
    ...B,
    'userSourcedId',
    'orgSourcedId',
    'classSourcedId',
    'resourceSourcedId',
  ],
  users: [
    ...B,
    'enabledUser',
    'username',
    'userIds',
    'givenName',
    'familyName',
    'middleName',
    'identifier',
    'email',
    'sms',
    'phone',
    'agentSourcedIds',
    'grades',
    'password',
    'userMasterIdentifier',
    'preferredGivenName',
    'preferredMiddleName',
    'preferredFamilyName',
    'primaryOrgSourcedId',
    'pronouns',
  ],
};

describe('the OneRoster 1.2 CSV binding', () => {
  it('has the 21 files of the 1.2.1 binding, each header in order, derived from the 1.2 catalogue', () => {
    expect([...V1P2_CSV_FILES].sort()).toEqual(
      Object.keys(SPEC_HEADERS).sort(),
    );
    for (const f of V1P2_CSV_FILES)
      expect([f, V1P2_CSV_HEADERS[f]]).toEqual([f, SPEC_HEADERS[f]]);
    // Every 1.1 file is a 1.2 file too; the 1.1 binding is unchanged.
    for (const f of CSV_FILES) expect(V1P2_CSV_FILES).toContain(f);
    expect(CSV_HEADERS.users).toContain('orgSourcedIds');
  });

  it('names existing catalogue fields, and requires every column whose field 1.2 requires', () => {
    const optional: string[] = [];
    for (const f of V1P2_CSV_FILES) {
      const def = V1P2_CSV[f];
      def.columns.forEach((c, i) => {
        const field = v1p2CsvField(def, c);
        if (c.field)
          expect([f, c.column, !!field]).toEqual([f, c.column, true]);
        if (
          field?.required &&
          c.column !== 'status' &&
          c.column !== 'dateLastModified' &&
          !V1P2_CSV_COLUMNS[f][i].required
        )
          optional.push(`${f}.${c.column}`);
      });
    }
    // Where the CSV binding leaves optional what the JSON schema requires.
    expect(optional).toEqual(['courses.courseCode', 'orgs.identifier']);
    // Vocabularies and formats come from the fields.
    const role = V1P2_CSV_COLUMNS.enrollments.find((c) => c.name === 'role');
    expect(role?.kind).toBe('enum');
    expect(role?.extensible).toBe(true);
    expect(
      V1P2_CSV_COLUMNS.users.find((c) => c.name === 'enabledUser')?.kind,
    ).toBe('boolean');
    expect(
      V1P2_CSV_COLUMNS.classes.find((c) => c.name === 'termSourcedIds')?.kind,
    ).toBe('refs');
    expect(
      V1P2_CSV_COLUMNS.academicSessions.find((c) => c.name === 'schoolYear')
        ?.kind,
    ).toBe('year');
  });

  it('stores the files of the 1.1 tables plus roles.csv, scoreScales.csv, userProfiles.csv, userResources.csv, the score scale and learning objective links, and every served field of their classes', () => {
    expect([...V1P2_STORED_FILES].sort()).toEqual(
      [
        ...CSV_FILES,
        'lineItemLearningObjectiveIds',
        'resultLearningObjectiveIds',
        'lineItemScoreScales',
        'resultScoreScales',
        'roles',
        'scoreScales',
        'userProfiles',
        'userResources',
      ].sort(),
    );
    expect(V1P2_OWN_TABLE_FILES).toEqual([
      'roles',
      'scoreScales',
      'userProfiles',
      'userResources',
    ]);
    // The links kept in their objects' rows: one value, or many gathered into a list.
    expect(V1P2_OWNER_COLUMN_FILES).toEqual([
      'lineItemScoreScales',
      'resultScoreScales',
    ]);
    expect(V1P2_GATHERED_LINK_FILES).toEqual([
      'lineItemLearningObjectiveIds',
      'resultLearningObjectiveIds',
    ]);
    for (const f of V1P2_GATHERED_LINK_FILES)
      expect([
        f,
        V1P2_CSV[f].columns
          .filter((c) => c.sqlColumn)
          .map((c) => [c.column, c.sqlColumn]),
      ]).toEqual([
        f,
        [
          [V1P2_CSV[f].ownerColumn, 'sourced_id'],
          ...V1P2_CSV_HEADERS[f]
            .filter((h) =>
              ['source', 'learningObjectiveId', 'score', 'textScore'].includes(
                h,
              ),
            )
            .map((h) => [h, 'learning_objective_set']),
        ],
      ]);
    expect(V1P2_NOT_STORED_FILES).toEqual([]);
    // userProfiles.csv: one credential per row, the keys of credentials[0].
    expect(V1P2_CSV.userProfiles.table).toBe('user_profiles');
    expect(
      V1P2_CSV.userProfiles.columns
        .filter((c) => c.sqlKey)
        .map((c) => [c.column, c.sqlColumn, c.sqlKey]),
    ).toEqual([
      ['credentialType', 'credentials', 'type'],
      ['username', 'credentials', 'username'],
      ['password', 'credentials', 'password'],
    ]);
    // roles.csv: the users' nested roles, stored as given in user_roles.
    expect(V1P2_CSV.roles.table).toBe('user_roles');
    expect(V1P2_CSV.roles.columns.map((c) => [c.column, c.sqlColumn])).toEqual([
      ['sourcedId', undefined],
      ['status', undefined],
      ['dateLastModified', undefined],
      ['userSourcedId', 'user_sourced_id'],
      ['roleType', 'role_type'],
      ['role', 'role'],
      ['beginDate', 'begin_date'],
      ['endDate', 'end_date'],
      ['orgSourcedId', 'org_sourced_id'],
      ['userProfileSourcedId', 'user_profile_sourced_id'],
    ]);
    // A link file with no class names its table and the SQL column of each stored column.
    expect(V1P2_CSV.userResources.table).toBe('user_resources');
    expect(
      V1P2_CSV.userResources.columns.map((c) => [c.column, c.sqlColumn]),
    ).toEqual([
      ['sourcedId', undefined],
      ['status', undefined],
      ['dateLastModified', undefined],
      ['userSourcedId', 'user_sourced_id'],
      ['orgSourcedId', 'org_sourced_id'],
      ['classSourcedId', 'class_sourced_id'],
      ['resourceSourcedId', 'resource_sourced_id'],
    ]);
    // The score scale links: kept in the linked object's row, one per object.
    expect(V1P2_OWNER_COLUMN_FILES).toEqual([
      'lineItemScoreScales',
      'resultScoreScales',
    ]);
    for (const [f, table, owner] of [
      ['lineItemScoreScales', 'line_items', 'lineItemSourcedId'],
      ['resultScoreScales', 'results', 'resultSourcedId'],
    ] as const) {
      expect(V1P2_CSV[f].table).toBe(table);
      expect(V1P2_CSV[f].ownerColumn).toBe(owner);
      expect(
        V1P2_CSV[f].columns
          .filter((c) => c.sqlColumn)
          .map((c) => [c.column, c.sqlColumn]),
      ).toEqual([
        [owner, 'sourced_id'],
        ['scoreScaleSourcedId', 'score_scale_sourced_id'],
      ]);
    }
    expect([...V1P2_DEPENDENCY_ORDER].sort()).toEqual(
      [...V1P2_STORED_FILES].sort(),
    );
    for (const f of V1P2_STORED_FILES) {
      const of = V1P2_CSV[f].of;
      if (!of || !('class' in of)) continue;
      const carried = new Set(V1P2_CSV[f].columns.map((c) => c.field));
      for (const field of CATALOGUE_V1P2[of.class].fields) {
        if (field.from.kind === 'new' || field.name === 'metadata') continue;
        // Lists derived from other files (children, resources) and users' roles (roles.csv);
        // a line item's gradingPeriod is its academicSession in CSV; a line item's or
        // result's scoreScale and learningObjectiveSet are link files in CSV
        // (lineItemScoreScales.csv, resultScoreScales.csv, lineItemLearningObjectiveIds.csv,
        // resultLearningObjectiveIds.csv), not columns.
        if (
          ['children', 'resources', 'roles', 'gradingPeriod'].includes(
            field.name,
          ) ||
          (['scoreScale', 'learningObjectiveSet'].includes(field.name) &&
            (f === 'lineItems' || f === 'results'))
        )
          continue;
        expect([f, field.name, carried.has(field.name)]).toEqual([
          f,
          field.name,
          true,
        ]);
      }
    }
  });

  it('reads a 1.2 header and values, ext: values in extensible vocabularies only', () => {
    const issues = new IssueCollector();
    const header = readHeader(
      'enrollments',
      { line: 1, fields: [...V1P2_CSV_HEADERS.enrollments] },
      issues,
      { version: '1.2', columns: V1P2_CSV_COLUMNS.enrollments },
    );
    expect(header.ok).toBe(true);
    const ctx: RowContext = {
      file: 'enrollments',
      mode: 'bulk',
      header,
      issues,
      bulkFilled: { count: 0, firstLine: 0 },
    };
    const row = readRow(ctx, {
      line: 2,
      fields: ['e1', '', '', 'c1', 's1', 'u1', 'ext:aide', 'true', '', ''],
    });
    expect(row?.values['role']).toBe('ext:aide');
    expect(row?.values['primary']).toBe(true);
    expect(
      readRow(ctx, {
        line: 3,
        fields: ['e2', '', '', 'c1', 's1', 'u1', 'aide', 'true', '', ''],
      }),
    ).toBeNull();
    expect(issues.errors.map((e) => [e.line, e.column, e.code])).toEqual([
      [3, 'role', 'bad_enum'],
    ]);
    // A 1.1-only column in a 1.2 file is unknown there.
    const other = new IssueCollector();
    readHeader('users', { line: 1, fields: [...CSV_HEADERS.users] }, other, {
      version: '1.2',
      columns: V1P2_CSV_COLUMNS.users,
    });
    expect(other.errors.map((e) => [e.column, e.code])).toEqual(
      expect.arrayContaining([
        ['orgSourcedIds', 'unknown_header'],
        ['role', 'unknown_header'],
      ]),
    );
    expect(other.errors[0].message).toContain('not a OneRoster 1.2 column');
  });

  it("reads scoreScales.csv scoreScaleValue as {LHS:RHS} items, the nested object's two fields", () => {
    expect(
      V1P2_CSV_COLUMNS.scoreScales.find((c) => c.name === 'scoreScaleValue'),
    ).toMatchObject({
      kind: 'pairs',
      required: true,
      keys: ['itemValueLHS', 'itemValueRHS'],
    });
    const issues = new IssueCollector();
    const header = readHeader(
      'scoreScales',
      { line: 1, fields: [...V1P2_CSV_HEADERS.scoreScales] },
      issues,
      { version: '1.2', columns: V1P2_CSV_COLUMNS.scoreScales },
    );
    const ctx: RowContext = {
      file: 'scoreScales',
      mode: 'bulk',
      header,
      issues,
      bulkFilled: { count: 0, firstLine: 0 },
    };
    const value = (line: number, text: string) =>
      readRow(ctx, {
        line,
        fields: ['s1', '', '', 'T', 'letter', '', '', 'c1', text],
      })?.values['scoreScaleValue'];
    expect(
      value(2, '{A:Excellent}, { B : Good, well done },{C:Pass: just}'),
    ).toEqual([
      { itemValueLHS: 'A', itemValueRHS: 'Excellent' },
      { itemValueLHS: 'B', itemValueRHS: 'Good, well done' },
      { itemValueLHS: 'C', itemValueRHS: 'Pass: just' },
    ]);
    expect(issues.errors).toEqual([]);
    for (const [line, bad] of [
      [3, 'A:Excellent'],
      [4, '{A}'],
      [5, '{:Excellent}'],
      [6, '{A:}'],
      [7, '{A:B},C'],
    ] as const)
      expect(value(line, bad)).toBeUndefined();
    expect(value(8, '')).toBeUndefined();
    expect(issues.errors.map((e) => [e.line, e.code])).toEqual([
      [3, 'bad_pairs'],
      [4, 'bad_pairs'],
      [5, 'bad_pairs'],
      [6, 'bad_pairs'],
      [7, 'bad_pairs'],
      [8, 'required'],
    ]);
  });

  it('carries the users and gradebook fields stored for 1.2 only in the 1.1 form of a 1.2 set, never in a 1.1 file', () => {
    const names = V1P2_STORED_COLUMNS.users.map((c) => c.name);
    expect(names).toEqual([
      'v1p2.userMasterIdentifier',
      'v1p2.preferredFirstName',
      'v1p2.preferredMiddleName',
      'v1p2.preferredLastName',
      'v1p2.pronouns',
      'v1p2.primaryOrgSourcedId',
    ]);
    // Issues at those columns point at the 1.2 columns of the same fields.
    expect(names.map((n) => V1P1_COLUMN_OF_V1P2.users?.[n]?.column)).toEqual([
      'userMasterIdentifier',
      'preferredGivenName',
      'preferredMiddleName',
      'preferredFamilyName',
      'pronouns',
      'primaryOrgSourcedId',
    ]);
    // The gradebook's, read as their types say.
    expect(V1P2_STORED_COLUMNS.categories).toEqual([
      { name: 'v1p2.weight', kind: 'float', required: false },
    ]);
    expect(V1P2_STORED_COLUMNS.lineItems.map((c) => [c.name, c.kind])).toEqual([
      ['v1p2.scoreScaleSourcedId', 'string'],
      // Kept whole: its JSON.
      ['v1p2.learningObjectiveSet', 'string'],
    ]);
    expect(V1P2_STORED_COLUMNS.results.map((c) => [c.name, c.kind])).toEqual([
      ['v1p2.scoreScaleSourcedId', 'string'],
      ['v1p2.textScore', 'string'],
      ['v1p2.inProgress', 'boolean'],
      ['v1p2.incomplete', 'boolean'],
      ['v1p2.late', 'boolean'],
      ['v1p2.missing', 'boolean'],
      ['v1p2.learningObjectiveSet', 'string'],
    ]);
    expect(
      V1P2_STORED_COLUMNS.results.map(
        (c) => V1P1_COLUMN_OF_V1P2.results?.[c.name]?.column,
      ),
    ).toEqual([
      'scoreScale',
      'textScore',
      'inProgress',
      'incomplete',
      'late',
      'missing',
      // Gathered from resultLearningObjectiveIds.csv.
      'learningObjectiveId',
    ]);
    for (const f of CSV_FILES)
      if (!['users', 'categories', 'lineItems', 'results'].includes(f))
        expect(V1P2_STORED_COLUMNS[f]).toEqual([]);
    const fields = [...CSV_HEADERS.users, ...names];
    const form = new IssueCollector();
    expect(
      readHeader('users', { line: 1, fields }, form, {
        version: '1.1',
        columns: V1P2_FORM_COLUMNS.users,
      }).ok,
    ).toBe(true);
    expect(form.errors).toEqual([]);
    const plain = new IssueCollector();
    expect(readHeader('users', { line: 1, fields }, plain).ok).toBe(false);
    expect(plain.errors.map((e) => [e.code, e.column])).toContainEqual([
      'unknown_header',
      'v1p2.pronouns',
    ]);
  });

  it('tells a header of the other version from the manifest version', () => {
    expect(
      headerVersionMismatch('users', CSV_HEADERS.users, '1.1'),
    ).toBeUndefined();
    expect(
      headerVersionMismatch('users', V1P2_CSV_HEADERS.users, '1.2'),
    ).toBeUndefined();
    expect(
      headerVersionMismatch('users', V1P2_CSV_HEADERS.users, '1.1'),
    ).toContain('primaryOrgSourcedId');
    expect(headerVersionMismatch('users', CSV_HEADERS.users, '1.2')).toContain(
      'orgSourcedIds, role',
    );
    expect(
      headerVersionMismatch('roles', V1P2_CSV_HEADERS.roles, '1.1'),
    ).toContain('roles.csv, a OneRoster 1.2 file');
    expect(
      headerVersionMismatch('orgs', V1P2_CSV_HEADERS.orgs, '1.1'),
    ).toBeUndefined();
  });
});
