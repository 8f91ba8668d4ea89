import {
  ApiProperty,
  ApiPropertyOptional,
  type ApiPropertyOptions,
} from '@nestjs/swagger';
import {
  BASE_FIELDS,
  restFields,
  type ClassDef,
  type FieldDef,
} from '@oneroster/oneroster-catalogue';
import { GuidRefDto, UserIdDto } from './refs.dto';

/*
 * The Swagger schemas of the OneRoster 1.1 classes are projections of the catalogue
 * (@oneroster/oneroster-catalogue): each REST field becomes an @ApiProperty of its DTO class,
 * in the catalogue's order, with the catalogue's description and example. The option objects
 * keep the key order that hand-written decorators had, so the document stays the same.
 */

/** The @ApiProperty options of one catalogue field. */
export function propertyOptions(f: FieldDef): ApiPropertyOptions {
  if (!f.doc) throw new Error(`${f.name} has no documentation`);
  const about = {
    description: f.doc,
    ...(f.example === undefined ? {} : { example: f.example }),
  };
  const many = f.list
    ? { isArray: true, ...(f.nonEmpty ? { minItems: 1 } : {}) }
    : {};
  switch (f.type) {
    case 'guidRef':
      return { type: () => GuidRefDto, ...many, ...about };
    case 'userId':
      return { type: () => UserIdDto, ...many, ...about };
    case 'enum':
      return { enum: [...(f.values ?? [])], ...many, ...about };
    case 'metadata':
      return { type: 'object', additionalProperties: true, ...about };
    case 'boolean':
      return { type: Boolean, ...many, ...about };
    case 'number':
      return { type: Number, ...many, ...about };
    case 'date':
      return { type: String, format: 'date', ...many, ...about };
    case 'dateTime':
      return { type: String, format: 'date-time', ...many, ...about };
    case 'year':
      return { type: String, pattern: '^\\d{4}$', ...many, ...about };
    case 'string':
      return { type: String, ...many, ...about };
  }
}

/** Puts the @ApiProperty metadata of `fields` on `dto`, in order. */
function describeFields(
  dto: abstract new () => object,
  fields: readonly FieldDef[],
): void {
  for (const f of fields) {
    const decorate = f.required ? ApiProperty : ApiPropertyOptional;
    decorate(propertyOptions(f))(dto.prototype, f.name);
  }
}

/** The base fields (§5.0), on the abstract class every schema extends. */
export const describeBase = (dto: abstract new () => object): void =>
  describeFields(dto, BASE_FIELDS);

/** A class's own REST fields (those after the base ones), on its DTO class. */
export function describeClass(
  dto: abstract new () => object,
  cls: ClassDef,
): void {
  if (!cls.rest) throw new Error(`${cls.key} is not a REST resource`);
  describeFields(
    dto,
    restFields(cls).filter((f) => !BASE_FIELDS.includes(f)),
  );
}
