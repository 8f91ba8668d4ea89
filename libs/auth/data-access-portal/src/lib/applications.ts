import { randomUUID } from 'node:crypto';
import { IsNull, type DataSource } from 'typeorm';
import {
  BOOLEAN_FORMATS,
  type ApplicationView,
  type BooleanFormat,
  type SchoolSummary,
} from '@oneroster/contracts';
import {
  ApplicationEntity,
  ApprovalEntity,
  IntegratorEntity,
  OAuthClientEntity,
  SchoolEntity,
} from '@oneroster/entities';
import { assertDeveloper, assertDeveloperOf, type PortalActor } from './actor';
import { approvalViews } from './approvals';
import { recordAudit } from './audit';
import type { InvalidationBus } from '@oneroster/util-invalidation';
import { inTransaction, inTransactionThenPublish } from './transaction';
import { forbidden, invalid, notFound } from './errors';
import { FieldErrors, objectBody } from './validation';
import {
  categoryViews,
  integratorSummary,
  iso,
  schoolSummary,
  scopeView,
} from './views';

/**
 * An integrator's applications as its developers manage them: name, description, requested
 * scopes, OIDC redirect URIs and the wire form of OneRoster booleans (`booleanFormat`, json
 * unless set), with every school's decision about each. A change is published on the
 * invalidation bus (`application`) once committed: the auth server's instances read the OIDC
 * client's redirect URIs from the application.
 */
export class PortalApplications {
  constructor(
    private readonly ds: DataSource,
    private readonly bus: InvalidationBus | null = null,
  ) {}

  /** Every school an integrator can ask for approval (developers and operators). */
  async directory(actor: PortalActor): Promise<SchoolSummary[]> {
    if (!actor.integratorId && !actor.operator)
      throw forbidden('only integrator developers may browse the directory');
    const schools = await this.ds
      .getRepository(SchoolEntity)
      .find({ order: { name: 'ASC' } });
    return schools.map(schoolSummary);
  }

  async list(
    actor: PortalActor,
    integratorId: string,
  ): Promise<ApplicationView[]> {
    assertDeveloperOf(actor, integratorId, 'integrator');
    const apps = await this.ds
      .getRepository(ApplicationEntity)
      .find({ where: { integratorId }, order: { name: 'ASC' } });
    return this.views(apps);
  }

  async create(
    actor: PortalActor,
    integratorId: string,
    body: unknown,
  ): Promise<ApplicationView> {
    assertDeveloperOf(actor, integratorId, 'integrator');
    const input = this.validate(body, false);
    const now = new Date();
    const app: ApplicationEntity = {
      id: randomUUID(),
      integratorId,
      name: input.name as string,
      description: input.description ?? null,
      requestedScopes: input.requestedScopes ?? [],
      redirectUris: input.redirectUris ?? [],
      booleanFormat: input.booleanFormat ?? 'json',
      createdAt: now,
      updatedAt: now,
    };
    await inTransaction(this.ds, async (em) => {
      await em.getRepository(ApplicationEntity).insert(app);
      await recordAudit(em, actor, {
        action: 'application.created',
        targetType: 'application',
        targetId: app.id,
        details: {
          name: app.name,
          requestedScopes: app.requestedScopes,
          redirectUris: app.redirectUris,
          booleanFormat: app.booleanFormat,
        },
      });
    });
    return (await this.views([app]))[0];
  }

  async update(
    actor: PortalActor,
    applicationId: string,
    body: unknown,
  ): Promise<ApplicationView> {
    assertDeveloper(actor);
    const repo = this.ds.getRepository(ApplicationEntity);
    const app = await repo.findOneBy({ id: applicationId });
    assertDeveloperOf(actor, app?.integratorId, 'application');
    if (!app) throw notFound('application');
    const input = this.validate(body, true);
    const change: Partial<ApplicationEntity> = {};
    if (input.name !== undefined) change.name = input.name as string;
    if (input.description !== undefined) change.description = input.description;
    if (input.requestedScopes !== undefined)
      change.requestedScopes = input.requestedScopes;
    if (input.redirectUris !== undefined)
      change.redirectUris = input.redirectUris;
    if (input.booleanFormat !== undefined)
      change.booleanFormat = input.booleanFormat;
    const updated = { ...app, ...change, updatedAt: new Date() };
    await inTransactionThenPublish(this.ds, this.bus, async (em, note) => {
      await em
        .getRepository(ApplicationEntity)
        .update({ id: app.id }, { ...change, updatedAt: updated.updatedAt });
      // Its OIDC client's redirect URIs and name come from the application.
      note('application', app.id);
      await recordAudit(em, actor, {
        action: 'application.updated',
        targetType: 'application',
        targetId: app.id,
        details: { changes: change },
      });
    });
    return (await this.views([updated]))[0];
  }

  private validate(
    body: unknown,
    partial: boolean,
  ): {
    name?: string | null;
    description?: string | null;
    requestedScopes?: ApplicationEntity['requestedScopes'];
    redirectUris?: string[];
    booleanFormat?: BooleanFormat;
  } {
    const input = objectBody(body);
    if (!input) throw invalid({ body: 'must be a JSON object' });
    const errors = new FieldErrors();
    const has = (k: string) => !partial || input[k] !== undefined;
    const out: ReturnType<PortalApplications['validate']> = {};
    if (has('name')) out.name = errors.text(input, 'name', 200);
    if (input['description'] !== undefined)
      out.description = errors.text(input, 'description', 2000, true) ?? null;
    if (has('requestedScopes'))
      out.requestedScopes = errors.scopes(input, 'requestedScopes');
    if (has('redirectUris'))
      out.redirectUris = errors.redirectUris(input, 'redirectUris');
    if (input['booleanFormat'] !== undefined) {
      const format = input['booleanFormat'];
      if (BOOLEAN_FORMATS.includes(format as BooleanFormat))
        out.booleanFormat = format as BooleanFormat;
      else
        errors.add(
          'booleanFormat',
          `must be one of ${BOOLEAN_FORMATS.join(', ')}`,
        );
    }
    const known = [
      'name',
      'description',
      'requestedScopes',
      'redirectUris',
      'booleanFormat',
    ];
    for (const k of Object.keys(input))
      if (!known.includes(k)) errors.add(k, 'is not a field of an application');
    if (!errors.empty) throw invalid(errors.fields);
    return out;
  }

  async views(apps: ApplicationEntity[]): Promise<ApplicationView[]> {
    if (!apps.length) return [];
    const ids = apps.map((a) => a.id);
    const [integrators, approvals, schools, oidcClients] = await Promise.all([
      this.ds.getRepository(IntegratorEntity).find(),
      this.ds
        .getRepository(ApprovalEntity)
        .createQueryBuilder('a')
        .where('a.applicationId IN (:...ids)', { ids })
        .getMany(),
      this.ds.getRepository(SchoolEntity).find(),
      this.ds.getRepository(OAuthClientEntity).find({
        where: ids.map((applicationId) => ({
          applicationId,
          schoolId: IsNull() as unknown as string,
          revokedAt: IsNull(),
        })),
      }),
    ]);
    const integratorById = new Map(integrators.map((i) => [i.id, i]));
    const schoolName = new Map(schools.map((s) => [s.id, s.name]));
    const views = await approvalViews(this.ds, approvals);
    return apps.map((a) => {
      const integrator = integratorById.get(a.integratorId);
      return {
        id: a.id,
        name: a.name,
        description: a.description ?? null,
        integrator: integrator
          ? integratorSummary(integrator)
          : { id: a.integratorId, name: '', website: null, contactEmail: null },
        requestedScopes: a.requestedScopes.map(scopeView),
        requestedCategories: categoryViews(a.requestedScopes),
        redirectUris: [...a.redirectUris],
        createdAt: iso(a.createdAt) as string,
        updatedAt: iso(a.updatedAt) as string,
        approvals: views
          .filter((v) => v.applicationId === a.id)
          .map((v) => ({ ...v, schoolName: schoolName.get(v.schoolId) ?? '' })),
        oidcClientId:
          oidcClients.find((c) => c.applicationId === a.id)?.clientId ?? null,
        booleanFormat: a.booleanFormat ?? 'json',
      };
    });
  }
}
