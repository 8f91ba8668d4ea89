import { randomUUID } from 'node:crypto';
import type { CodeMinor, StatusWarning } from '@oneroster/util-oneroster-query';

/**
 * The OneRoster status payload (digest §4.2, shape 1 of the IMS 1.1 OpenAPI
 * `imsx_StatusInfo.Type`): errors are this object at the top level; warnings on a 200 ride
 * in a `statusInfoSet` array of the same objects (§4.1).
 */
export interface StatusInfo {
  imsx_codeMajor: 'success' | 'processing' | 'failure' | 'unsupported';
  imsx_severity: 'status' | 'warning' | 'error';
  imsx_messageRefIdentifier: string;
  imsx_description: string;
  imsx_CodeMinor: {
    imsx_codeMinorField: {
      imsx_codeMinorFieldName: string;
      imsx_codeMinorFieldValue: CodeMinor;
    }[];
  };
}

function statusInfo(
  major: StatusInfo['imsx_codeMajor'],
  severity: StatusInfo['imsx_severity'],
  minor: CodeMinor,
  description: string,
): StatusInfo {
  return {
    imsx_codeMajor: major,
    imsx_severity: severity,
    imsx_messageRefIdentifier: randomUUID(),
    imsx_description: description,
    imsx_CodeMinor: {
      imsx_codeMinorField: [
        {
          imsx_codeMinorFieldName: 'TargetEndSystem',
          imsx_codeMinorFieldValue: minor,
        },
      ],
    },
  };
}

export const errorPayload = (
  minor: CodeMinor,
  description: string,
): StatusInfo => statusInfo('failure', 'error', minor, description);

export const warningPayload = (w: StatusWarning): StatusInfo =>
  statusInfo('success', 'warning', w.codeMinor, w.description);

/**
 * The OneRoster 1.2 status payload (`imsx_StatusInfoDType` of the 1.2 OpenAPI documents,
 * additionalProperties false): codeMajor, severity, description and codeMinor, without 1.1's
 * message reference. 1.2's codeMinor vocabulary has no blank-selection or sort-field value:
 * a blank `fields` is `invalid_selection_field`, an unknown sort field `invaliddata`.
 */
export interface StatusInfoV1p2 {
  imsx_codeMajor: 'success' | 'processing' | 'failure' | 'unsupported';
  imsx_severity: 'status' | 'warning' | 'error';
  imsx_description: string;
  imsx_CodeMinor: {
    imsx_codeMinorField: {
      imsx_codeMinorFieldName: string;
      imsx_codeMinorFieldValue: string;
    }[];
  };
}

const V1P2_CODE_MINOR: Partial<Record<CodeMinor, string>> = {
  invalid_blank_selection_field: 'invalid_selection_field',
  invalid_sort_field: 'invaliddata',
  deletefailure: 'invaliddata',
};

export function errorPayloadV1p2(
  minor: CodeMinor,
  description: string,
): StatusInfoV1p2 {
  return {
    imsx_codeMajor: 'failure',
    imsx_severity: 'error',
    imsx_description: description,
    imsx_CodeMinor: {
      imsx_codeMinorField: [
        {
          imsx_codeMinorFieldName: 'TargetEndSystem',
          imsx_codeMinorFieldValue: V1P2_CODE_MINOR[minor] ?? minor,
        },
      ],
    },
  };
}
