import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IMPORTANCES,
  ROLE_TYPES,
  type Importance,
  type RoleType,
} from '@oneroster/contracts';
import { BaseDto } from './base.dto';

/** OneRoster 1.1 Resource (§5.11), returned by `/resources`: learning content used by classes and courses. */
export class ResourceDto extends BaseDto {
  @ApiPropertyOptional({
    description: 'Title of the resource.',
    example: 'Algebra I e-textbook',
  })
  title?: string;

  @ApiPropertyOptional({
    enum: [...ROLE_TYPES],
    isArray: true,
    description: 'Roles the resource is intended for.',
    example: ['student', 'teacher'],
  })
  roles?: RoleType[];

  @ApiPropertyOptional({
    enum: [...IMPORTANCES],
    description: 'Importance of the resource.',
    example: 'primary',
  })
  importance?: Importance;

  @ApiProperty({
    description: "The vendor's identifier of the resource.",
    example: 'ALG1-TXT',
  })
  vendorResourceId!: string;

  @ApiPropertyOptional({
    description:
      'Identifier of the vendor, assigned by IMS as part of conformance certification.',
    example: 'vendor-42',
  })
  vendorId?: string;

  @ApiPropertyOptional({
    description: 'Identifier of the application that delivers the resource.',
    example: 'app-7',
  })
  applicationId?: string;
}
