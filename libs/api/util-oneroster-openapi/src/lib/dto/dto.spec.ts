import 'reflect-metadata';
import { Module, type INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { CLASSES, restFields } from '@oneroster/oneroster-catalogue';
import * as dto from './index';

/** The subset of an OpenAPI schema object these tests look at. */
interface SchemaObject {
  type?: string;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  minItems?: number;
  required?: string[];
  properties?: Record<string, SchemaObject>;
  additionalProperties?: unknown;
  items?: SchemaObject;
  $ref?: string;
  allOf?: SchemaObject[];
}

/** `$ref` of a property, whether direct or wrapped in `allOf` (as swagger does when it has a description). */
const refOf = (s: SchemaObject): string | undefined =>
  s.$ref ?? s.allOf?.[0]?.$ref;

@Module({})
class EmptyModule {}

describe('OneRoster response schemas', () => {
  let app: INestApplication;
  let schemas: Record<string, SchemaObject>;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [EmptyModule],
    }).compile();
    app = moduleRef.createNestApplication();
    const models = Object.values(dto).filter((v) => v.name.endsWith('Dto'));
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder().build(),
      { extraModels: models },
    );
    schemas = (document.components?.schemas ?? {}) as Record<
      string,
      SchemaObject
    >;
  });

  afterAll(() => app.close());

  const props = (name: string) =>
    schemas[name].properties as Record<string, SchemaObject>;

  it('documents every exported class', () => {
    for (const name of Object.keys(dto)) {
      if (name.endsWith('Dto') && name !== 'BaseDto')
        expect(schemas[name]).toBeDefined();
    }
  });

  it('describes the base properties and GUIDRef', () => {
    expect(schemas['OrgDto'].required).toEqual(
      expect.arrayContaining([
        'sourcedId',
        'status',
        'dateLastModified',
        'name',
        'type',
        'identifier',
      ]),
    );
    expect(schemas['OrgDto'].required).not.toContain('metadata');
    expect(props('OrgDto')['dateLastModified']).toMatchObject({
      type: 'string',
      format: 'date-time',
    });
    expect(props('OrgDto')['status'].enum).toEqual(['active', 'tobedeleted']);
    expect(props('OrgDto')['metadata']).toMatchObject({
      type: 'object',
      additionalProperties: true,
    });
    expect(schemas['GuidRefDto'].required).toEqual([
      'href',
      'sourcedId',
      'type',
    ]);
    expect(props('GuidRefDto')['href'].format).toBe('uri');
  });

  it('has a property for every REST field of the catalogue, in its order, and only those', () => {
    for (const c of CLASSES) {
      if (!c.rest) continue;
      const fields = restFields(c);
      expect([c.key, Object.keys(props(c.rest.schema))]).toEqual([
        c.key,
        fields.map((f) => f.name),
      ]);
      expect([c.key, schemas[c.rest.schema].required]).toEqual([
        c.key,
        fields.filter((f) => f.required).map((f) => f.name),
      ]);
      for (const f of fields)
        expect(props(c.rest.schema)[f.name]).toMatchObject({
          description: f.doc,
        });
    }
  });

  it('describes users without a password and with at least one org', () => {
    expect(props('UserDto')['password']).toBeUndefined();
    expect(props('UserDto')['enabledUser'].type).toBe('boolean');
    expect(props('UserDto')['orgs']).toMatchObject({
      type: 'array',
      minItems: 1,
    });
    expect(schemas['UserDto'].required).toEqual(
      expect.arrayContaining(['enabledUser', 'role', 'orgs']),
    );
    expect(schemas['UserDto'].required).not.toContain('userIds');
  });

  it('uses the correct demographics spelling and optional flags', () => {
    expect(props('DemographicsDto')['americanIndianOrAlaskaNative'].type).toBe(
      'boolean',
    );
    expect(
      props('DemographicsDto')['americanIndianOrAlsakaNative'],
    ).toBeUndefined();
    expect(schemas['DemographicsDto'].required).toEqual([
      'sourcedId',
      'status',
      'dateLastModified',
    ]);
  });

  it('describes numbers, dates and enums of the gradebook', () => {
    expect(props('LineItemDto')['resultValueMax'].type).toBe('number');
    expect(props('LineItemDto')['dueDate'].format).toBe('date-time');
    expect(props('ResultDto')['scoreDate'].format).toBe('date');
    expect(props('ResultDto')['scoreStatus'].enum).toContain('not submitted');
    expect(props('ResourceDto')['roles']).toMatchObject({
      type: 'array',
      items: { type: 'string' },
    });
    expect(props('AcademicSessionDto')['schoolYear'].pattern).toBe('^\\d{4}$');
    expect(props('ClassDto')['terms']).toMatchObject({
      type: 'array',
      minItems: 1,
    });
  });

  it('describes the envelopes', () => {
    expect(props('UsersEnvelopeDto')['users']).toMatchObject({ type: 'array' });
    expect(schemas['UsersEnvelopeDto'].required).toEqual(['users']);
    expect(refOf(props('DemographicsEnvelopeDto')['demographics'])).toContain(
      'DemographicsDto',
    );
    expect(
      props('DemographicsCollectionEnvelopeDto')['demographics'].type,
    ).toBe('array');
    expect(refOf(props('ClassEnvelopeDto')['class'])).toContain('ClassDto');
  });

  it('describes the imsx status payload', () => {
    expect(schemas['StatusInfoDto'].required).toEqual(
      expect.arrayContaining([
        'imsx_codeMajor',
        'imsx_severity',
        'imsx_messageRefIdentifier',
      ]),
    );
    expect(
      props('CodeMinorFieldDto')['imsx_codeMinorFieldValue'].enum,
    ).toContain('unknownobject');
    expect(props('CodeMinorDto')['imsx_codeMinorField'].minItems).toBe(1);
  });
});
