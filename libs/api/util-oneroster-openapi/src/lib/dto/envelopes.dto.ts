import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CategoryDto, LineItemDto, ResultDto } from './gradebook.dto';
import { ResourceDto } from './resources.dto';
import {
  AcademicSessionDto,
  ClassDto,
  CourseDto,
  DemographicsDto,
  EnrollmentDto,
  OrgDto,
  UserDto,
} from './rostering.dto';
import { StatusInfoDto } from './status.dto';

/*
 * Top-level JSON bodies of the 200 responses (§2, §4.1). A collection is
 * `{"<plural>": [...]}` (an empty array when nothing matches) plus an optional
 * `statusInfoSet` of warnings; a single object is `{"<singular>": {...}}`, with the same
 * optional `statusInfoSet` (a `fields` selection naming unknown fields).
 */

const StatusInfoSetProperty = (): PropertyDecorator =>
  ApiPropertyOptional({
    type: () => StatusInfoDto,
    isArray: true,
    description:
      'Warnings about the request, present only when there are any (e.g. invalid_sort_field or ' +
      'invalid_selection_field: the data is still returned).',
  });

// --- Collections -------------------------------------------------------------

export class OrgsEnvelopeDto {
  @ApiProperty({ type: () => OrgDto, isArray: true })
  orgs!: OrgDto[];

  @StatusInfoSetProperty()
  statusInfoSet?: StatusInfoDto[];
}

export class AcademicSessionsEnvelopeDto {
  @ApiProperty({ type: () => AcademicSessionDto, isArray: true })
  academicSessions!: AcademicSessionDto[];

  @StatusInfoSetProperty()
  statusInfoSet?: StatusInfoDto[];
}

export class CoursesEnvelopeDto {
  @ApiProperty({ type: () => CourseDto, isArray: true })
  courses!: CourseDto[];

  @StatusInfoSetProperty()
  statusInfoSet?: StatusInfoDto[];
}

export class ClassesEnvelopeDto {
  @ApiProperty({ type: () => ClassDto, isArray: true })
  classes!: ClassDto[];

  @StatusInfoSetProperty()
  statusInfoSet?: StatusInfoDto[];
}

export class UsersEnvelopeDto {
  @ApiProperty({ type: () => UserDto, isArray: true })
  users!: UserDto[];

  @StatusInfoSetProperty()
  statusInfoSet?: StatusInfoDto[];
}

export class EnrollmentsEnvelopeDto {
  @ApiProperty({ type: () => EnrollmentDto, isArray: true })
  enrollments!: EnrollmentDto[];

  @StatusInfoSetProperty()
  statusInfoSet?: StatusInfoDto[];
}

export class DemographicsCollectionEnvelopeDto {
  @ApiProperty({ type: () => DemographicsDto, isArray: true })
  demographics!: DemographicsDto[];

  @StatusInfoSetProperty()
  statusInfoSet?: StatusInfoDto[];
}

export class CategoriesEnvelopeDto {
  @ApiProperty({ type: () => CategoryDto, isArray: true })
  categories!: CategoryDto[];

  @StatusInfoSetProperty()
  statusInfoSet?: StatusInfoDto[];
}

export class LineItemsEnvelopeDto {
  @ApiProperty({ type: () => LineItemDto, isArray: true })
  lineItems!: LineItemDto[];

  @StatusInfoSetProperty()
  statusInfoSet?: StatusInfoDto[];
}

export class ResultsEnvelopeDto {
  @ApiProperty({ type: () => ResultDto, isArray: true })
  results!: ResultDto[];

  @StatusInfoSetProperty()
  statusInfoSet?: StatusInfoDto[];
}

export class ResourcesEnvelopeDto {
  @ApiProperty({ type: () => ResourceDto, isArray: true })
  resources!: ResourceDto[];

  @StatusInfoSetProperty()
  statusInfoSet?: StatusInfoDto[];
}

// --- Single objects ----------------------------------------------------------

export class OrgEnvelopeDto {
  @ApiProperty({ type: () => OrgDto })
  org!: OrgDto;

  @StatusInfoSetProperty()
  statusInfoSet?: StatusInfoDto[];
}

export class AcademicSessionEnvelopeDto {
  @ApiProperty({ type: () => AcademicSessionDto })
  academicSession!: AcademicSessionDto;

  @StatusInfoSetProperty()
  statusInfoSet?: StatusInfoDto[];
}

export class CourseEnvelopeDto {
  @ApiProperty({ type: () => CourseDto })
  course!: CourseDto;

  @StatusInfoSetProperty()
  statusInfoSet?: StatusInfoDto[];
}

export class ClassEnvelopeDto {
  @ApiProperty({ type: () => ClassDto })
  class!: ClassDto;

  @StatusInfoSetProperty()
  statusInfoSet?: StatusInfoDto[];
}

export class UserEnvelopeDto {
  @ApiProperty({ type: () => UserDto })
  user!: UserDto;

  @StatusInfoSetProperty()
  statusInfoSet?: StatusInfoDto[];
}

export class EnrollmentEnvelopeDto {
  @ApiProperty({ type: () => EnrollmentDto })
  enrollment!: EnrollmentDto;

  @StatusInfoSetProperty()
  statusInfoSet?: StatusInfoDto[];
}

/** Single demographics record: note the singular object sits under the plural key `demographics` (§2.1). */
export class DemographicsEnvelopeDto {
  @ApiProperty({
    type: () => DemographicsDto,
    description:
      'The demographics record (a single object under the plural key, as in the 1.1 binding).',
  })
  demographics!: DemographicsDto;

  @StatusInfoSetProperty()
  statusInfoSet?: StatusInfoDto[];
}

export class CategoryEnvelopeDto {
  @ApiProperty({ type: () => CategoryDto })
  category!: CategoryDto;

  @StatusInfoSetProperty()
  statusInfoSet?: StatusInfoDto[];
}

export class LineItemEnvelopeDto {
  @ApiProperty({ type: () => LineItemDto })
  lineItem!: LineItemDto;
}

export class ResultEnvelopeDto {
  @ApiProperty({ type: () => ResultDto })
  result!: ResultDto;
}

export class ResourceEnvelopeDto {
  @ApiProperty({ type: () => ResourceDto })
  resource!: ResourceDto;

  @StatusInfoSetProperty()
  statusInfoSet?: StatusInfoDto[];
}

/*
 * A line item or a result as a GET answers it: the PUT bodies share the envelope above, and
 * a read's `fields` warnings are no part of what a client sends.
 */
export class LineItemReadEnvelopeDto extends LineItemEnvelopeDto {
  @StatusInfoSetProperty()
  statusInfoSet?: StatusInfoDto[];
}

export class ResultReadEnvelopeDto extends ResultEnvelopeDto {
  @StatusInfoSetProperty()
  statusInfoSet?: StatusInfoDto[];
}
