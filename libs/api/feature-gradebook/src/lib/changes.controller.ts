import { Controller, Get, Logger, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiQuery,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiTooManyRequestsResponse,
  ApiServiceUnavailableResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { PLATFORM_SCOPES } from '@oneroster/contracts';
import {
  AuditUnavailableError,
  collectGradebookChanges,
} from '@oneroster/data-access-oneroster';
import { OAUTH_SCHEME, StatusInfoDto } from '@oneroster/util-oneroster-openapi';
import {
  CurrentPrincipal,
  Principal,
  RequireScopes,
} from '@oneroster/util-http';
import { InvalidDataError } from '@oneroster/util-oneroster-query';
import { clientAddress } from '@oneroster/util-web-hygiene';

/**
 * The gradebook change feed a school's MIS connector collects write-backs from. Rules:
 * - one school per request (`schoolId`, optional when the token names exactly one);
 * - changes come in id order after the `after` cursor; the response's `next` is the cursor
 *   to resume from, so collecting is idempotent (asking again with the same cursor gives
 *   the same changes) and, because a school's writes are serialised, nothing committed
 *   later can appear behind a cursor already handed out;
 * - needs the platform scope for the feed, not a OneRoster scope;
 * - a non-empty page is recorded in the school's audit trail before it is answered, with
 *   the client as actor (503 when that cannot be written); an empty poll is not recorded
 *   (`collectGradebookChanges`).
 */
class ChangeActorDto {
  @ApiPropertyOptional({ nullable: true }) clientId!: string | null;
  @ApiPropertyOptional({ nullable: true }) integratorId!: string | null;
  @ApiPropertyOptional({
    nullable: true,
    description: 'The signed-in user, for tokens of the OIDC hybrid flow',
  })
  userId!: string | null;
}

class GradebookChangeDto {
  @ApiProperty({ description: 'Cursor position of this change' }) id!: number;
  @ApiProperty() schoolId!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ enum: ['category', 'lineItem', 'result'] })
  objectType!: string;
  @ApiProperty() sourcedId!: string;
  @ApiProperty({ enum: ['created', 'replaced', 'deleted'] }) action!: string;
  @ApiProperty({ type: () => ChangeActorDto }) actor!: ChangeActorDto;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'The OneRoster object before',
  })
  before!: Record<string, unknown> | null;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'The OneRoster object after',
  })
  after!: Record<string, unknown> | null;
}

class GradebookChangesDto {
  @ApiProperty({ type: () => GradebookChangeDto, isArray: true })
  changes!: GradebookChangeDto[];
  @ApiProperty({
    description:
      'Pass as `after` to continue; equals `after` when there was nothing new',
  })
  next!: number;
}

export const CHANGES_PATH = 'platform/v1/gradebook/changes';

@ApiTags('platform: gradebook change feed')
@Controller(CHANGES_PATH)
export class GradebookChangesController {
  private readonly logger = new Logger('GradebookChanges');

  constructor(private readonly ds: DataSource) {}

  @Get()
  @RequireScopes(PLATFORM_SCOPES.gradebookChanges)
  @ApiOperation({
    summary: 'Gradebook changes for the school’s MIS, in order, after a cursor',
    description: `Scope: ${PLATFORM_SCOPES.gradebookChanges}. A non-empty page is recorded in the school's audit trail (\`gradebook.changes_collected\`, this client as actor) before it is answered; when that record cannot be written the answer is 503 and no changes: ask again with the same cursor. Empty polls are not recorded.`,
  })
  @ApiSecurity(OAUTH_SCHEME, [PLATFORM_SCOPES.gradebookChanges])
  @ApiQuery({
    name: 'schoolId',
    required: false,
    description: 'The school (required when the token names several)',
  })
  @ApiQuery({
    name: 'after',
    required: false,
    type: Number,
    description: 'Cursor: the `next` of the previous response (default 0)',
  })
  @ApiQuery({
    name: 'limit',
    required: false,
    type: Number,
    description: '1 to 1000, default 100',
  })
  @ApiOkResponse({ type: GradebookChangesDto })
  @ApiBadRequestResponse({ type: StatusInfoDto })
  @ApiUnauthorizedResponse({ type: StatusInfoDto })
  @ApiForbiddenResponse({ type: StatusInfoDto })
  @ApiTooManyRequestsResponse({ type: StatusInfoDto })
  @ApiServiceUnavailableResponse({ type: StatusInfoDto })
  async list(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
    @Query() query: Record<string, unknown>,
  ): Promise<GradebookChangesDto> {
    const one = (name: string) => {
      const v = query[name];
      if (Array.isArray(v))
        throw new InvalidDataError(`${name} was given more than once`);
      return typeof v === 'string' ? v : undefined;
    };
    const whole = (
      name: string,
      fallback: number,
      min: number,
      max: number,
    ) => {
      const v = one(name);
      if (v === undefined) return fallback;
      if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max)
        throw new InvalidDataError(
          `${name} must be a whole number from ${min} to ${max}`,
        );
      return Number(v);
    };
    const after = whole('after', 0, 0, Number.MAX_SAFE_INTEGER);
    const limit = whole('limit', 100, 1, 1000);
    let schoolId = one('schoolId');
    if (schoolId === undefined) {
      if (p.schoolIds.length !== 1)
        throw new InvalidDataError(
          'schoolId is required: the token names several schools',
        );
      schoolId = p.schoolIds[0];
    }
    const { changes: rows, next } = await collectGradebookChanges(
      this.ds,
      { schoolIds: p.schoolIds },
      schoolId,
      { after, limit },
      {
        clientId: p.clientId,
        userId: p.userId,
        ip: clientAddress(req) || null,
      },
    ).catch((e: unknown) => {
      if (e instanceof AuditUnavailableError)
        this.logger.error(
          `gradebook change feed: audit event not written: ${String(e.reason)}`,
        );
      throw e;
    });
    if (rows.length === limit) {
      const url = new URL(req.originalUrl, 'http://x');
      url.searchParams.set('after', String(next));
      res.setHeader('Link', `<${url.pathname}${url.search}>; rel="next"`);
    }
    return {
      changes: rows.map((r) => ({
        id: r.id,
        schoolId: r.schoolId,
        occurredAt: new Date(r.occurredAt).toISOString(),
        objectType: r.objectType,
        sourcedId: r.sourcedId,
        action: r.action,
        actor: {
          clientId: r.clientId,
          integratorId: r.integratorId,
          userId: r.userId,
        },
        before: r.before,
        after: r.after,
      })),
      next,
    };
  }
}
