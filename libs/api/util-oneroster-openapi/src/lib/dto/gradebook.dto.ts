import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SCORE_STATUSES, type ScoreStatus } from '@oneroster/contracts';
import { BaseDto, GuidRefDto } from './base.dto';

/** OneRoster 1.1 LineItemCategory (§5.11), returned by `/categories`. */
export class CategoryDto extends BaseDto {
  @ApiProperty({ description: 'Title of the category.', example: 'Homework' })
  title!: string;
}

/** OneRoster 1.1 LineItem (§5.9), returned by `/lineItems`: a gradable assignment of a class. */
export class LineItemDto extends BaseDto {
  @ApiProperty({
    description: 'Title of the line item.',
    example: 'Chapter 3 quiz',
  })
  title!: string;

  @ApiPropertyOptional({
    description: 'Description of the line item.',
    example: 'Linear equations',
  })
  description?: string;

  @ApiProperty({
    format: 'date-time',
    description: 'When the line item was assigned (UTC).',
    example: '2026-10-05T08:00:00.000Z',
  })
  assignDate!: string;

  @ApiProperty({
    format: 'date-time',
    description: 'When the line item is due (UTC).',
    example: '2026-10-12T08:00:00.000Z',
  })
  dueDate!: string;

  @ApiProperty({
    type: () => GuidRefDto,
    description: 'Class the line item belongs to.',
  })
  class!: GuidRefDto;

  @ApiProperty({
    type: () => GuidRefDto,
    description: 'Category of the line item.',
  })
  category!: GuidRefDto;

  @ApiProperty({
    type: () => GuidRefDto,
    description: 'Grading period (academic session) of the line item.',
  })
  gradingPeriod!: GuidRefDto;

  @ApiProperty({
    type: Number,
    description: 'Minimum score value.',
    example: 0,
  })
  resultValueMin!: number;

  @ApiProperty({
    type: Number,
    description: 'Maximum score value.',
    example: 100,
  })
  resultValueMax!: number;
}

/** OneRoster 1.1 Result (§5.10), returned by `/results`: a student's score on a line item. */
export class ResultDto extends BaseDto {
  @ApiProperty({
    type: () => GuidRefDto,
    description: 'Line item the result is for.',
  })
  lineItem!: GuidRefDto;

  @ApiProperty({
    type: () => GuidRefDto,
    description: 'Student (user) the result is for.',
  })
  student!: GuidRefDto;

  @ApiProperty({
    enum: [...SCORE_STATUSES],
    description: 'Grading status of the score.',
    example: 'fully graded',
  })
  scoreStatus!: ScoreStatus;

  @ApiProperty({ type: Number, description: 'The score.', example: 87.5 })
  score!: number;

  @ApiProperty({
    format: 'date',
    description: 'Date the score was recorded.',
    example: '2026-10-14',
  })
  scoreDate!: string;

  @ApiPropertyOptional({
    description: 'Comment on the result.',
    example: 'Good work',
  })
  comment?: string;
}
