import { ApiProperty } from '@nestjs/swagger';
import {
  GUID_TYPES,
  type GuidRef,
  type GuidType,
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
