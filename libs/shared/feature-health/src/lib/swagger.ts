import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

export interface SwaggerOptions {
  title: string;
  description: string;
  version: string;
  /** Extra configuration of the document (security schemes, servers). */
  configure?: (builder: DocumentBuilder) => DocumentBuilder;
}

/** Serves Swagger UI at /docs and the OpenAPI document at /docs-json. */
export function setupSwagger(
  app: INestApplication,
  options: SwaggerOptions,
): void {
  let builder = new DocumentBuilder()
    .setTitle(options.title)
    .setDescription(options.description)
    .setVersion(options.version);
  if (options.configure) builder = options.configure(builder);
  const document = SwaggerModule.createDocument(app, builder.build());
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    customSiteTitle: options.title,
    swaggerOptions: { persistAuthorization: true },
  });
}

/**
 * Serves an already built OpenAPI document: Swagger UI at /docs, the JSON at /docs-json (or
 * at /{path} and /{path}-json, for a second document).
 */
export function serveSwagger(
  app: INestApplication,
  title: string,
  document: OpenAPIObject,
  path = 'docs',
): void {
  SwaggerModule.setup(path, app, document, {
    jsonDocumentUrl: `${path}-json`,
    customSiteTitle: title,
    swaggerOptions: { persistAuthorization: true },
  });
}
