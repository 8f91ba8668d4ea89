import type { OpenAPIObject } from '@nestjs/swagger';
import {
  BlankSelectionFieldError,
  ForbiddenError,
  InvalidDataError,
  InvalidFilterFieldError,
  OneRosterError,
  ServerBusyError,
  ServiceUnavailableError,
  UnauthorisedRequestError,
  UnknownObjectError,
  UnprocessableDataError,
} from '@oneroster/util-oneroster-query';
import { StatusInfo, errorPayload } from '@oneroster/util-http';

/**
 * Examples of the error responses in the OpenAPI document: each shows the status payload the
 * API really answers with that HTTP status. Rules enforced:
 * - the codeMinor of an example comes from the error the API throws for that status (the
 *   same classes the exception filter turns into responses), never from a shared default;
 * - 400 on a collection shows each of its codeMinors (invaliddata, invalid_filter_field,
 *   invalid_blank_selection_field); 400 elsewhere shows invaliddata;
 * - 403 names the scopes of the operation, as the guard's answer does;
 * - the examples are fixed (no random message identifier), so the document is stable, and
 *   each is written once under components.examples.
 */
const MESSAGE_REF = '3f1c2a9e-5b7d-4e8f-9a01-2c3d4e5f6a7b';

interface Example {
  summary: string;
  error: OneRosterError;
}

function examplesFor(
  status: string,
  scopes: string[],
  hasFilter: boolean,
): Example[] {
  switch (status) {
    case '400':
      return [
        {
          summary: 'A malformed parameter',
          error: new InvalidDataError(
            'limit must be a whole number of at least 1, got "0"',
          ),
        },
        ...(hasFilter
          ? [
              {
                summary: 'A filter on a field the resource does not have',
                error: new InvalidFilterFieldError(
                  'Invalid filter field: shoeSize',
                ),
              },
              {
                summary: 'A blank fields parameter',
                error: new BlankSelectionFieldError(
                  'The fields parameter is blank',
                ),
              },
            ]
          : []),
      ];
    case '401':
      return [
        {
          summary: 'No valid bearer access token',
          error: new UnauthorisedRequestError(
            'A valid bearer access token is required',
          ),
        },
      ];
    case '403':
      return [
        {
          summary: 'The token lacks the scope',
          error: new ForbiddenError(
            `The access token lacks the scope this endpoint needs: ${scopes.join(' or ')}`,
          ),
        },
      ];
    case '404':
      return [
        {
          summary: 'Unknown object',
          error: new UnknownObjectError('Unknown object: class 9f8e7d6c'),
        },
      ];
    case '413':
      return [
        {
          summary: 'A body larger than the limit',
          error: new InvalidDataError('The request body is too large'),
        },
      ];
    case '422':
      return [
        {
          summary: 'Invalid content',
          error: new UnprocessableDataError(
            'Invalid result: result.scoreStatus: required',
          ),
        },
      ];
    case '429':
      return [
        {
          summary: 'Rate limit reached',
          error: new ServerBusyError(
            'Rate limit exceeded: 600 requests a minute per client; retry after 12 s',
            12,
          ),
        },
      ];
    case '503':
      return [
        {
          summary: 'The database is unavailable',
          error: new ServiceUnavailableError(
            'The service is temporarily unavailable; retry shortly',
          ),
        },
      ];
    default:
      return [];
  }
}

function payload(error: OneRosterError): StatusInfo {
  return {
    ...errorPayload(error.codeMinor, error.description),
    imsx_messageRefIdentifier: MESSAGE_REF,
  };
}

type Operation = {
  parameters?: { name?: string }[];
  security?: Record<string, string[]>[];
  responses?: Record<
    string,
    { content?: Record<string, { examples?: Record<string, unknown> }> }
  >;
};

/**
 * Adds the real status payload of each error response as its example (in place). Each
 * distinct example is written once under components.examples and referenced.
 */
export function addErrorExamples(document: OpenAPIObject): OpenAPIObject {
  const components = (document.components ??= {});
  const shared = (components.examples ??= {});
  for (const methods of Object.values(document.paths)) {
    for (const op of Object.values(methods) as Operation[]) {
      if (!op || typeof op !== 'object' || !op.responses) continue;
      const scopes = Object.values(op.security?.[0] ?? {})[0] ?? [];
      const hasFilter = !!op.parameters?.some((p) => p.name === 'filter');
      for (const [status, response] of Object.entries(op.responses)) {
        const json = response.content?.['application/json'];
        if (!json) continue;
        const examples = examplesFor(status, scopes, hasFilter);
        if (!examples.length) continue;
        json.examples = Object.fromEntries(
          examples.map((e) => {
            const name = exampleName(status, e, scopes);
            shared[name] ??= { summary: e.summary, value: payload(e.error) };
            return [
              e.error.codeMinor,
              { $ref: `#/components/examples/${name}` },
            ];
          }),
        );
      }
    }
  }
  return document;
}

/** e.g. `400-invalid_filter_field`, `403-forbidden-roster-core.readonly-roster.readonly`. */
function exampleName(status: string, e: Example, scopes: string[]): string {
  const parts = [status, e.error.codeMinor];
  if (status === '403')
    parts.push(...scopes.map((s) => s.split('/').pop() ?? s));
  return parts.join('-');
}
