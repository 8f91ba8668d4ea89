import type { DataSource } from 'typeorm';
import type { SandboxInfo } from '@oneroster/contracts';
import {
  ApplicationEntity,
  OAuthClientEntity,
  SchoolEntity,
} from '@oneroster/entities';
import { forbidden } from './errors';
import type { PortalActor } from './actor';
import { schoolSummary } from './views';

export interface SandboxSettings {
  /** The API's Swagger UI. */
  swaggerUrl: string;
  issuer: string;
  /** The shared secret of the seeded sandbox clients, in demo mode only. */
  demoClientSecret: string | null;
}

/**
 * Where a developer tries the API: the sandbox schools and the live client-credentials
 * clients at them. In demo mode every seeded sandbox client (whatever its integrator) shares
 * the demo secret, so those are listed with it; otherwise only the developer's own clients.
 */
export class PortalSandbox {
  constructor(
    private readonly ds: DataSource,
    private readonly settings: SandboxSettings,
  ) {}

  async info(actor: PortalActor): Promise<SandboxInfo> {
    if (!actor.integratorId && !actor.operator)
      throw forbidden('only integrator developers may use the sandbox');
    const schools = await this.ds
      .getRepository(SchoolEntity)
      .find({ where: { sandbox: true }, order: { name: 'ASC' } });
    const ids = schools.map((s) => s.id);
    const clients = ids.length
      ? await this.ds
          .getRepository(OAuthClientEntity)
          .createQueryBuilder('c')
          .innerJoin(ApplicationEntity, 'a', 'a.id = c.applicationId')
          .where('c.schoolId IN (:...ids)', { ids })
          .andWhere('c.revokedAt IS NULL')
          .andWhere(
            this.settings.demoClientSecret
              ? "c.clientId LIKE 'sandbox-%'"
              : 'a.integratorId = :own',
            { own: actor.integratorId },
          )
          .orderBy('c.clientId')
          .getMany()
      : [];
    return {
      swaggerUrl: this.settings.swaggerUrl,
      tokenEndpoint: `${this.settings.issuer}/token`,
      issuer: this.settings.issuer,
      schools: schools.map(schoolSummary),
      clients: clients.map((c) => ({
        clientId: c.clientId,
        schoolId: c.schoolId as string,
      })),
      clientSecret: this.settings.demoClientSecret,
    };
  }
}
