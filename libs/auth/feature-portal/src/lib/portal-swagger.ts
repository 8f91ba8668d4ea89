import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  ALL_ONEROSTER_SCOPES,
  ALL_ONEROSTER_V1P2_SCOPES,
  DATA_CATEGORY_KEYS,
} from '@oneroster/contracts';

const ERRORS: [number, string][] = [
  [400, 'invalid_request: a bad body or query (`fields` says what is wrong)'],
  [401, 'not_signed_in: no live portal session'],
  [403, 'forbidden (the role is missing) or csrf (X-CSRF-Token / Origin)'],
  [404, 'not_found: unknown, or of another school or integrator'],
  [409, 'conflict: the change does not fit the current state'],
];

const PORTAL_ERROR_SCHEMA = {
  type: 'object',
  required: ['statusCode', 'error', 'message'],
  properties: {
    statusCode: { type: 'integer' },
    error: { type: 'string' },
    message: { type: 'string' },
    fields: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

/** The portal's Swagger tag and the PortalError answers every portal route may give. */
export const PortalApi = () =>
  applyDecorators(
    ApiTags('portal'),
    ...ERRORS.map(([status, description]) =>
      ApiResponse({ status, description, schema: PORTAL_ERROR_SCHEMA }),
    ),
  );

const SCOPE_LIST = (scopes: readonly string[], description: string) => ({
  type: 'array',
  description,
  items: { type: 'string', enum: [...scopes] },
});

/** A data category as a school approves it, with its scopes of both OneRoster versions. */
const DATA_CATEGORY_SCHEMA = {
  type: 'object',
  description:
    'A kind of data in plain words; one approval covers both OneRoster versions.',
  required: [
    'key',
    'label',
    'description',
    'scopes',
    'v1p1Scopes',
    'v1p2Scopes',
  ],
  properties: {
    key: { type: 'string', enum: [...DATA_CATEGORY_KEYS] },
    label: { type: 'string' },
    description: { type: 'string' },
    scopes: {
      type: 'array',
      items: { type: 'string' },
      description: 'The listed (requested or approved) scopes of the category',
    },
    v1p1Scopes: SCOPE_LIST(
      ALL_ONEROSTER_SCOPES,
      'OneRoster 1.1 scope URIs granted (listed, or counterparts of listed 1.2 scopes)',
    ),
    v1p2Scopes: SCOPE_LIST(
      ALL_ONEROSTER_V1P2_SCOPES,
      'OneRoster 1.2 scope URIs granted (listed, or counterparts of listed 1.1 scopes)',
    ),
  },
};

const CATEGORIES = {
  type: 'array',
  items: DATA_CATEGORY_SCHEMA,
};

/** The category fields of an approval (the other fields: `ApprovalView` in the contracts). */
const APPROVAL_CATEGORY_FIELDS = {
  categories: {
    ...CATEGORIES,
    description: 'The approved data categories (empty unless approved)',
  },
  grantedScopes: {
    type: 'array',
    items: { type: 'string' },
    description:
      'Every scope, of either version, a token may carry under this approval',
  },
};

const REQUESTED_CATEGORIES = {
  requestedCategories: {
    ...CATEGORIES,
    description: 'The data categories of the requested scopes',
  },
};

/** Swagger answers of the routes that show data categories (other fields: the contracts). */
export const ApiCategories = {
  schoolApplications: () =>
    ApiOkResponse({
      description:
        'Each application with what it asks for, by data category, and the school\u2019s decision',
      schema: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            application: {
              type: 'object',
              properties: REQUESTED_CATEGORIES,
            },
            approval: {
              type: 'object',
              nullable: true,
              properties: APPROVAL_CATEGORY_FIELDS,
            },
          },
        },
      },
    }),
  approval: () =>
    ApiOkResponse({
      description:
        'The decision; `scopes` as stored, `categories` and `grantedScopes` with both versions',
      schema: { type: 'object', properties: APPROVAL_CATEGORY_FIELDS },
    }),
  approve: () =>
    ApiBody({
      description:
        'The approved subset of the requested scopes: the admin portal sends those of the ticked data categories. An approved scope grants its counterpart in the other OneRoster version too (the same data category and name).',
      schema: {
        type: 'object',
        required: ['scopes'],
        properties: {
          scopes: { type: 'array', items: { type: 'string' }, minItems: 1 },
        },
      },
    }),
  applications: () =>
    ApiOkResponse({
      description:
        'The integrator\u2019s applications, with the requested data categories and each school\u2019s decision',
      schema: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            ...REQUESTED_CATEGORIES,
            approvals: {
              type: 'array',
              items: { type: 'object', properties: APPROVAL_CATEGORY_FIELDS },
            },
          },
        },
      },
    }),
  receipt: () =>
    ApiOkResponse({
      description:
        'A decision\u2019s receipt; receipts written since approvals by category also list the categories with their 1.1 and 1.2 scopes',
      schema: {
        type: 'object',
        properties: {
          scopes: { type: 'array', items: { type: 'string' } },
          ...APPROVAL_CATEGORY_FIELDS,
        },
      },
    }),
};
