import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import {
  PLATFORM_API_PATH,
  PLATFORM_EVENT_TYPES,
  WEBHOOK_HEADERS,
} from '@oneroster/contracts';
import { PlatformProblem } from '@oneroster/data-access-platform';
import {
  sendPlatformError,
  toPlatformError,
} from './platform-exception.filter';
import { PlatformModule } from './platform.module';
import { PLATFORM_BEARER } from './platform-swagger';

const MAX_JSON_BYTES = 64 * 1024;

const DESCRIPTION = `Machine-to-machine API of an integrator. Authorise with an access token of the
integrator's platform credential (created in the portal): client credentials at the token
endpoint with \`resource=<this server>${PLATFORM_API_PATH}\` and platform scopes
(\`approvals.read\`, \`credentials.manage\`, \`webhooks.manage\`). Such a token never reads
OneRoster data.

**MIS imports.** A school's own client (its MIS credential, issued by the school's
administrator with the school platform scope \`imports.write\`) asks the same token endpoint
for \`resource=<this server>${PLATFORM_API_PATH}\` and \`scope=imports.write\`, then imports
OneRoster CSV zips into its school (\`/imports\`). Its token names its school and reads no
OneRoster data either.

**Webhooks.** Events (${PLATFORM_EVENT_TYPES.join(', ')}) are POSTed as JSON
\`{ id, type, createdAt, integratorId, data }\` with headers \`${WEBHOOK_HEADERS.id}\` (the event
id: de-duplicate on it, delivery is at least once), \`${WEBHOOK_HEADERS.event}\`,
\`${WEBHOOK_HEADERS.timestamp}\` (Unix seconds) and
\`${WEBHOOK_HEADERS.signature}: v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>\`. Verify
the signature over the raw body in constant time and refuse timestamps more than 5 minutes
old. Answer 2xx within the timeout; anything else is retried with exponential backoff.`;

/**
 * Mounts the platform API's HTTP edges: its own JSON body parsing (a malformed or oversized
 * body answers a PlatformError, not an HTML page), and its own Swagger document at
 * `/platform/v1/docs` (JSON at `/platform/v1/docs-json`), listing only the platform routes.
 */
export function mountPlatform(
  app: INestApplication,
  options: { version: string },
): void {
  app.use('/platform', (req: Request, res: Response, next: NextFunction) => {
    const type = (req.headers['content-type'] ?? '').toLowerCase();
    if (!/^application\/([a-z0-9.+-]*\+)?json\b/.test(type)) return next();
    const fail = (problem: PlatformProblem) =>
      sendPlatformError(res, toPlatformError(problem));
    if (Number(req.headers['content-length'] ?? 0) > MAX_JSON_BYTES)
      return fail(
        new PlatformProblem('invalid_request', 'the JSON body is too large'),
      );
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > MAX_JSON_BYTES) {
        failed = true;
        fail(
          new PlatformProblem('invalid_request', 'the JSON body is too large'),
        );
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', (err) => {
      if (!failed) next(err);
      failed = true;
    });
    req.on('end', () => {
      if (failed) return;
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        (req as Request & { body: unknown }).body = text.trim()
          ? JSON.parse(text)
          : undefined;
      } catch {
        return fail(
          new PlatformProblem('invalid_request', 'the body is not valid JSON', {
            body: 'must be valid JSON',
          }),
        );
      }
      (req as Request & { _body?: boolean })._body = true;
      next();
    });
  });
  const config = new DocumentBuilder()
    .setTitle('OneRoster Exchange platform API')
    .setDescription(DESCRIPTION)
    .setVersion(options.version)
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      PLATFORM_BEARER,
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    include: [PlatformModule],
  });
  SwaggerModule.setup(`${PLATFORM_API_PATH.slice(1)}/docs`, app, document, {
    jsonDocumentUrl: `${PLATFORM_API_PATH.slice(1)}/docs-json`,
    customSiteTitle: 'OneRoster Exchange platform API',
  });
}
