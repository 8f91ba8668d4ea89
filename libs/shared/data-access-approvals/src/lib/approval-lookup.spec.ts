import type { DataSource } from 'typeorm';
import {
  ALL_ONEROSTER_SCOPES,
  GrantableScope,
  ONEROSTER_SCOPES,
} from '@oneroster/contracts';
import { openMigratedDatabase, testEngines } from '@oneroster/database/testing';
import { planTrust, seedPlatform } from '@oneroster/demo-data';
import { ApprovalEntity, OAuthClientEntity } from '@oneroster/entities';
import { InProcessInvalidationBus } from '@oneroster/util-invalidation';
import { ApprovalLookup } from './approval-lookup';

describe.each(testEngines('approvals'))('ApprovalLookup on $name', (engine) => {
  let ds: DataSource;
  let schoolA: { schoolId: string; clientId: string };
  let schoolB: { schoolId: string; clientId: string };
  let applicationId: string;

  beforeAll(async () => {
    ds = await openMigratedDatabase(engine);
    const creds = await seedPlatform(ds, planTrust({ size: 'demo' }), {
      password: 'pw',
      sandboxClientSecret: 'secret',
    });
    [schoolA, schoolB] = creds.clients;
    applicationId = (
      await ds
        .getRepository(OAuthClientEntity)
        .findOneByOrFail({ clientId: schoolA.clientId })
    ).applicationId;
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  const setStatus = (schoolId: string, status: string) =>
    ds
      .getRepository(ApprovalEntity)
      .update({ schoolId, applicationId }, { status: status as 'approved' });

  it('reads a client with its approved scopes and integrator', async () => {
    const lookup = new ApprovalLookup(ds);
    const approval = await lookup.clientApproval(schoolA.clientId);
    expect(approval).toMatchObject({
      clientId: schoolA.clientId,
      schoolId: schoolA.schoolId,
      applicationId,
      status: 'approved',
    });
    expect(approval?.integratorId).toMatch(/^[0-9a-f-]{36}$/);
    expect([...(approval?.scopes ?? [])].sort()).toEqual(
      [...ALL_ONEROSTER_SCOPES].sort(),
    );
    await expect(lookup.clientApproval('nobody')).resolves.toBeNull();
  });

  it('limits a client to its own approved school', async () => {
    const lookup = new ApprovalLookup(ds);
    await expect(
      lookup.approvedSchoolIds(schoolA.clientId, [
        schoolA.schoolId,
        schoolB.schoolId,
      ]),
    ).resolves.toEqual([schoolA.schoolId]);
  });

  it('reads an application id as every school that approved it', async () => {
    const lookup = new ApprovalLookup(ds);
    await expect(
      lookup.approvedSchoolIds(applicationId, [
        schoolA.schoolId,
        schoolB.schoolId,
        'elsewhere',
      ]),
    ).resolves.toEqual([schoolA.schoolId, schoolB.schoolId]);
  });

  it('gives unknown clients and tokens without a client no school', async () => {
    const lookup = new ApprovalLookup(ds);
    await expect(
      lookup.approvedSchoolIds('unknown', [schoolA.schoolId]),
    ).resolves.toEqual([]);
    await expect(
      lookup.approvedSchoolIds(null, [schoolA.schoolId]),
    ).resolves.toEqual([]);
  });

  it('sees a revocation once the cache expires, or at once after invalidate', async () => {
    const lookup = new ApprovalLookup(ds, 200);
    await expect(
      lookup.approvedSchoolIds(schoolB.clientId, [schoolB.schoolId]),
    ).resolves.toEqual([schoolB.schoolId]);
    await setStatus(schoolB.schoolId, 'revoked');
    try {
      // Cached for a moment…
      await expect(
        lookup.approvedSchoolIds(schoolB.clientId, [schoolB.schoolId]),
      ).resolves.toEqual([schoolB.schoolId]);
      await new Promise((r) => setTimeout(r, 250));
      await expect(
        lookup.approvedSchoolIds(schoolB.clientId, [schoolB.schoolId]),
      ).resolves.toEqual([]);
      await expect(
        lookup.clientApproval(schoolB.clientId),
      ).resolves.toMatchObject({ status: 'revoked', scopes: [] });
      await setStatus(schoolB.schoolId, 'approved');
      lookup.invalidate(schoolB.clientId);
      await expect(
        lookup.approvedSchoolIds(schoolB.clientId, [schoolB.schoolId]),
      ).resolves.toEqual([schoolB.schoolId]);
    } finally {
      await setStatus(schoolB.schoolId, 'approved');
    }
  });

  it('drops cached answers the bus names (application: every client of the application; client: that client), and only those', async () => {
    const bus = new InProcessInvalidationBus();
    // A minute: only the bus can make a change visible within this test.
    const lookup = new ApprovalLookup(ds, 60_000, bus);
    const both = [schoolA.schoolId, schoolB.schoolId];
    const reads = async () => ({
      a: await lookup.approvedSchoolIds(schoolA.clientId, both),
      b: await lookup.approvedSchoolIds(schoolB.clientId, both),
      app: await lookup.approvedSchoolIds(applicationId, both),
    });
    await expect(reads()).resolves.toEqual({
      a: [schoolA.schoolId],
      b: [schoolB.schoolId],
      app: both,
    });
    await setStatus(schoolB.schoolId, 'revoked');
    try {
      await bus.publish('application', 'another-application');
      await expect(reads()).resolves.toMatchObject({ b: [schoolB.schoolId] });
      await bus.publish('application', applicationId);
      await expect(reads()).resolves.toEqual({
        a: [schoolA.schoolId],
        b: [],
        app: [schoolA.schoolId],
      });
      await setStatus(schoolB.schoolId, 'approved');
      await bus.publish('client', schoolB.clientId);
      await expect(reads()).resolves.toEqual({
        a: [schoolA.schoolId],
        b: [schoolB.schoolId],
        // Still the answer of before: no message named the application's OIDC client.
        app: [schoolA.schoolId],
      });
      lookup.onModuleDestroy();
      await setStatus(schoolB.schoolId, 'revoked');
      await bus.publish('application', applicationId);
      await expect(reads()).resolves.toMatchObject({ b: [schoolB.schoolId] });
    } finally {
      await setStatus(schoolB.schoolId, 'approved');
    }
  });

  const setScopes = (schoolId: string, scopes: GrantableScope[]) =>
    ds
      .getRepository(ApprovalEntity)
      .update({ schoolId, applicationId }, { scopes });
  const plain = (m: ReadonlyMap<string, ReadonlySet<string>>) =>
    Object.fromEntries([...m].map(([k, v]) => [k, [...v].sort()]));

  it('maps each approving school to the scopes it approved itself, never the union', async () => {
    await setScopes(schoolA.schoolId, [ONEROSTER_SCOPES.rosterCore]);
    await setScopes(schoolB.schoolId, [
      ONEROSTER_SCOPES.rosterDemographics,
      ONEROSTER_SCOPES.gradebookCreatePut,
    ]);
    try {
      const lookup = new ApprovalLookup(ds, 0);
      expect(plain(await lookup.approvedScopesOf(applicationId))).toEqual({
        [schoolA.schoolId]: [ONEROSTER_SCOPES.rosterCore],
        [schoolB.schoolId]: [
          ONEROSTER_SCOPES.gradebookCreatePut,
          ONEROSTER_SCOPES.rosterDemographics,
        ].sort(),
      });
      // A client-credentials client: its own school with that school's scopes only.
      expect(plain(await lookup.approvedScopesOf(schoolA.clientId))).toEqual({
        [schoolA.schoolId]: [ONEROSTER_SCOPES.rosterCore],
      });
      await setStatus(schoolB.schoolId, 'revoked');
      expect(plain(await lookup.approvedScopesOf(applicationId))).toEqual({
        [schoolA.schoolId]: [ONEROSTER_SCOPES.rosterCore],
      });
      expect(plain(await lookup.approvedScopesOf(schoolB.clientId))).toEqual(
        {},
      );
      expect(plain(await lookup.approvedScopesOf('unknown'))).toEqual({});
    } finally {
      await setStatus(schoolB.schoolId, 'approved');
      await setScopes(schoolA.schoolId, [...ALL_ONEROSTER_SCOPES]);
      await setScopes(schoolB.schoolId, [...ALL_ONEROSTER_SCOPES]);
    }
  });

  it('sees a re-approval with fewer scopes once the cache expires', async () => {
    const lookup = new ApprovalLookup(ds, 200);
    const scopesOfA = async () =>
      plain(await lookup.approvedScopesOf(applicationId))[schoolA.schoolId];
    await expect(scopesOfA()).resolves.toEqual(
      [...ALL_ONEROSTER_SCOPES].sort(),
    );
    await setScopes(schoolA.schoolId, [ONEROSTER_SCOPES.rosterCore]);
    try {
      await expect(scopesOfA()).resolves.toHaveLength(
        ALL_ONEROSTER_SCOPES.length,
      );
      await new Promise((r) => setTimeout(r, 250));
      await expect(scopesOfA()).resolves.toEqual([ONEROSTER_SCOPES.rosterCore]);
    } finally {
      await setScopes(schoolA.schoolId, [...ALL_ONEROSTER_SCOPES]);
    }
  });

  it('ignores a revoked client', async () => {
    const clients = ds.getRepository(OAuthClientEntity);
    await clients.update(
      { clientId: schoolA.clientId },
      { revokedAt: new Date() },
    );
    try {
      const lookup = new ApprovalLookup(ds);
      await expect(lookup.clientApproval(schoolA.clientId)).resolves.toBeNull();
    } finally {
      await clients.update({ clientId: schoolA.clientId }, { revokedAt: null });
    }
  });

  it("reads the application's OIDC client row (no school) as the application", async () => {
    const clients = ds.getRepository(OAuthClientEntity);
    await clients.insert({
      clientId: applicationId,
      applicationId,
      schoolId: null,
      secretHash: 'scrypt$1$1$1$x$y',
      previousSecretHash: null,
      previousSecretExpiresAt: null,
      createdAt: new Date(),
      revokedAt: null,
    });
    try {
      const lookup = new ApprovalLookup(ds, 0);
      await expect(lookup.clientApproval(applicationId)).resolves.toBeNull();
      await expect(
        lookup.approvedSchoolIds(applicationId, [
          schoolA.schoolId,
          schoolB.schoolId,
          'elsewhere',
        ]),
      ).resolves.toEqual([schoolA.schoolId, schoolB.schoolId]);
      await clients.update(
        { clientId: applicationId },
        { revokedAt: new Date() },
      );
      await expect(
        lookup.approvedSchoolIds(applicationId, [schoolA.schoolId]),
      ).resolves.toEqual([]);
    } finally {
      await clients.delete({ clientId: applicationId });
    }
  });
});
