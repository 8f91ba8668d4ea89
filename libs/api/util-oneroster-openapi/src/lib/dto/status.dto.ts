import { ApiProperty } from '@nestjs/swagger';

const CODE_MAJORS = [
  'success',
  'processing',
  'failure',
  'unsupported',
] as const;
const SEVERITIES = ['status', 'warning', 'error'] as const;
const CODE_MINOR_VALUES = [
  'fullsuccess',
  'invalid_sort_field',
  'invalid_selection_field',
  'invalid_filter_field',
  'invalid_blank_selection_field',
  'invaliddata',
  'unauthorisedrequest',
  'forbidden',
  'unknownobject',
  'server_busy',
  'internal_server_error',
  'deletefailure',
] as const;

/** One codeMinor entry of an imsx status report (§4.2). */
export class CodeMinorFieldDto {
  @ApiProperty({
    description: 'Name of the system the code applies to.',
    example: 'TargetEndSystem',
  })
  imsx_codeMinorFieldName!: string;

  @ApiProperty({
    enum: [...CODE_MINOR_VALUES],
    description: 'Detailed status code.',
    example: 'unknownobject',
  })
  imsx_codeMinorFieldValue!: (typeof CODE_MINOR_VALUES)[number];
}

/** Container of the codeMinor entries of an imsx status report. */
export class CodeMinorDto {
  @ApiProperty({
    type: () => CodeMinorFieldDto,
    isArray: true,
    minItems: 1,
    description: 'The codeMinor entries; at least one.',
  })
  imsx_codeMinorField!: CodeMinorFieldDto[];
}

/**
 * imsx status report (§4.2, shape 1 = IMS 1.1 OpenAPI `imsx_StatusInfo.Type`).
 * It is the whole body of an error response and the element type of the
 * `statusInfoSet` warnings carried by a 200 collection response.
 */
export class StatusInfoDto {
  @ApiProperty({
    enum: [...CODE_MAJORS],
    description:
      "Overall outcome: 'success' for warnings, 'failure' for errors.",
    example: 'failure',
  })
  imsx_codeMajor!: (typeof CODE_MAJORS)[number];

  @ApiProperty({
    enum: [...SEVERITIES],
    description:
      "Severity: 'warning' on a 200 response, 'error' on an error response.",
    example: 'error',
  })
  imsx_severity!: (typeof SEVERITIES)[number];

  @ApiProperty({
    description: 'Identifier generated for this status report.',
    example: '3f1c2a9e-5b7d-4e8f-9a01-2c3d4e5f6a7b',
  })
  imsx_messageRefIdentifier!: string;

  @ApiProperty({
    description:
      'Human-readable explanation, e.g. naming the unknown field or object.',
    example: 'Unknown Object',
  })
  imsx_description!: string;

  @ApiProperty({
    type: () => CodeMinorDto,
    description: 'Detailed status codes.',
  })
  imsx_CodeMinor!: CodeMinorDto;
}
