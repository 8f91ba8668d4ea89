import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ONEROSTER_SCOPES } from '@oneroster/contracts';
import { openMigratedDatabase, testEngines } from '@oneroster/database/testing';
import {
  AccountEntity,
  AccountSchoolRoleEntity,
  ApplicationEntity,
  ApprovalEntity,
  IntegratorEntity,
  OAuthClientEntity,
  SchoolEntity,
} from '@oneroster/entities';
import {
  InProcessInvalidationBus,
  type InvalidationTopic,
} from '@oneroster/util-invalidation';
import { loadActor, type PortalActor } from './actor';
import { PortalApplications } from './applications';
import { PortalApprovals } from './approvals';
import { PortalCredentials } from './credentials';
import { inTransactionThenPublish } from './transaction';

const { rosterCore, roster } = ONEROSTER_SCOPES;

/**
 * The portal's changes reach the invalidation bus only once committed. Each message is
 * checked against what another reader sees at that moment: on MariaDB that read runs on
 * another pooled connection, which sees only committed rows, so a message sent before the
 * commit would see the old status.
 */
describe.each(testEngines('portal_inval'))(
  'portal changes on the invalidation bus, on $name',
  (engine) => {
    let ds: DataSource;
    let bus: InProcessInvalidationBus;
    let seen: { topic: InvalidationTopic; key: string | null }[];
    let statusAtMessage: Promise<string | null>[];
    let watchedApproval: { schoolId: string; applicationId: string } | null;

    beforeAll(async () => {
      ds = await openMigratedDatabase(engine);
    }, 60_000);

    beforeEach(() => {
      bus = new InProcessInvalidationBus();
      seen = [];
      statusAtMessage = [];
      watchedApproval = null;
      for (const topic of ['application', 'client'] as const)
        bus.subscribe(topic, (key) => {
          seen.push({ topic, key });
          const watched = watchedApproval;
          if (watched)
            statusAtMessage.push(
              ds
                .getRepository(ApprovalEntity)
                .findOneBy(watched)
                .then((a) => a?.status ?? null),
            );
        });
    });

    afterAll(async () => {
      await ds?.destroy();
    });

    async function aPlatform() {
      const now = new Date();
      const school = {
        id: randomUUID(),
        name: 'Elm School',
        orgSourcedId: `org-${randomUUID()}`,
        identifier: null,
        sandbox: false,
        createdAt: now,
      };
      const integrator = {
        id: randomUUID(),
        name: 'Acme',
        website: null,
        contactEmail: null,
        createdAt: now,
      };
      const app = {
        id: randomUUID(),
        integratorId: integrator.id,
        name: 'Acme Reader',
        description: null,
        requestedScopes: [rosterCore, roster],
        redirectUris: [],
        createdAt: now,
        updatedAt: now,
      };
      const account = (extra: Partial<AccountEntity>) => ({
        id: randomUUID(),
        email: `${randomUUID()}@elm.example.org`,
        displayName: 'Someone',
        passwordHash: 'x',
        platformRole: null,
        integratorId: null,
        disabled: false,
        createdAt: now,
        ...extra,
      });
      const admin = account({});
      const developer = account({
        platformRole: 'integrator_developer',
        integratorId: integrator.id,
      });
      await ds.getRepository(SchoolEntity).insert(school);
      await ds.getRepository(IntegratorEntity).insert(integrator);
      await ds.getRepository(ApplicationEntity).insert(app);
      await ds.getRepository(AccountEntity).insert(admin);
      await ds.getRepository(AccountEntity).insert(developer);
      await ds.getRepository(AccountSchoolRoleEntity).insert({
        accountId: admin.id,
        schoolId: school.id,
        role: 'school_admin',
        userSourcedId: null,
      });
      const actorOf = async (id: string) =>
        (await loadActor(ds, id, '192.0.2.9')) as PortalActor;
      const developerActor = await actorOf(developer.id);
      expect(developerActor.integratorId).toBe(integrator.id);
      return {
        school,
        app,
        admin: await actorOf(admin.id),
        developer: developerActor,
      };
    }

    it('tells the bus of changes once committed, never of rolled-back ones', async () => {
      const { school, app, admin } = await aPlatform();
      const approvals = new PortalApprovals(ds, bus);
      watchedApproval = { schoolId: school.id, applicationId: app.id };
      // Refused (nothing approved yet): rolled back, nothing said.
      await expect(approvals.revoke(admin, school.id, app.id)).rejects.toThrow(
        /has not approved/,
      );
      expect(seen).toEqual([]);
      await approvals.approve(admin, school.id, app.id, {
        scopes: [rosterCore, roster],
      });
      // The same decision again changes nothing and says nothing.
      await approvals.approve(admin, school.id, app.id, {
        scopes: [roster, rosterCore],
      });
      await approvals.approve(admin, school.id, app.id, {
        scopes: [rosterCore],
      });
      await approvals.revoke(admin, school.id, app.id);
      expect(seen).toEqual([
        { topic: 'application', key: app.id },
        { topic: 'application', key: app.id },
        { topic: 'application', key: app.id },
      ]);
      // Each message saw its change committed.
      await expect(Promise.all(statusAtMessage)).resolves.toEqual([
        'approved',
        'approved',
        'revoked',
      ]);
      // A transaction that notes a change and then fails is rolled back and says nothing.
      await expect(
        inTransactionThenPublish(ds, bus, async (em, note) => {
          await em
            .getRepository(ApprovalEntity)
            .update(
              { schoolId: school.id, applicationId: app.id },
              { status: 'approved' },
            );
          note('application', app.id);
          throw new Error('fails after the write');
        }),
      ).rejects.toThrow('fails after the write');
      expect(seen).toHaveLength(3);
      await expect(
        ds
          .getRepository(ApprovalEntity)
          .findOneBy({ schoolId: school.id, applicationId: app.id }),
      ).resolves.toMatchObject({ status: 'revoked' });
    });

    it('tells the bus of a client created, rotated and revoked, and of an application changed', async () => {
      const { school, app, developer } = await aPlatform();
      const credentials = new PortalCredentials(ds, 'http://t/token', bus);
      const issued = await credentials.create(developer, app.id, {
        schoolId: school.id,
      });
      // A second client for the same school is refused: nothing said.
      await expect(
        credentials.create(developer, app.id, { schoolId: school.id }),
      ).rejects.toThrow(/already has a client/);
      await credentials.rotate(developer, issued.clientId);
      await credentials.revoke(developer, issued.clientId);
      // Revoking again changes nothing.
      await credentials.revoke(developer, issued.clientId);
      await new PortalApplications(ds, bus).update(developer, app.id, {
        name: 'Acme Reader 2',
      });
      expect(seen).toEqual([
        { topic: 'client', key: issued.clientId },
        { topic: 'client', key: issued.clientId },
        { topic: 'client', key: issued.clientId },
        { topic: 'application', key: app.id },
      ]);
      await expect(
        ds
          .getRepository(OAuthClientEntity)
          .findOneByOrFail({ clientId: issued.clientId }),
      ).resolves.toMatchObject({ revokedAt: expect.any(Date) });
    });
  },
);
