import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  GUID_TYPES,
  STATUS_TYPES,
  type GuidRef,
  type GuidType,
  type Metadata,
  type StatusType,
  type UserId,
} from '@oneroster/contracts';

/**
 * OneRoster 1.1 GUIDRef (§5.1): a typed link to another object. All three
 * properties are always present in responses.
 */
export class GuidRefDto implements GuidRef {
  @ApiProperty({
    format: 'uri',
    description: 'URL of the referenced object.',
    example: 'https://example.org/ims/oneroster/v1p1/orgs/org-1',
  })
  href!: string;

  @ApiProperty({
    description: 'sourcedId of the referenced object.',
    example: 'org-1',
  })
  sourcedId!: string;

  @ApiProperty({
    enum: [...GUID_TYPES],
    description: 'Type of the referenced object (GUIDType).',
    example: 'org',
  })
  type!: GuidType;
}

/** OneRoster 1.1 UserId: an identifier of the user in another system. */
export class UserIdDto implements UserId {
  @ApiProperty({
    description: 'Kind of identifier, e.g. the system that issued it.',
    example: 'LDAP',
  })
  type!: string;

  @ApiProperty({
    description: 'The identifier value.',
    example: 'jdoe@example.org',
  })
  identifier!: string;
}

/**
 * Properties shared by every OneRoster 1.1 object (§5.0). Not used on its
 * own; every entity schema extends it.
 */
export abstract class BaseDto {
  @ApiProperty({
    description:
      'Globally unique identifier of the object ("All objects MUST be identified by a Source Identifier").',
    example: 'org-1',
  })
  sourcedId!: string;

  @ApiProperty({
    enum: [...STATUS_TYPES],
    description:
      "Record status. 'tobedeleted' means the record is safe to delete (it replaces 1.0's 'inactive').",
    example: 'active',
  })
  status!: StatusType;

  @ApiProperty({
    format: 'date-time',
    description: 'When the object was last modified (ISO 8601, always in UTC).',
    example: '2026-09-01T08:00:00.000Z',
  })
  dateLastModified!: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Free-form extension data (vendor-specific properties).',
    example: { 'ext:source': 'sis' },
  })
  metadata?: Metadata;
}
