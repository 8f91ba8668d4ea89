import type { DataSource } from 'typeorm';
import { openMigratedDatabase, testEngines } from '@oneroster/database/testing';
import { AuditEventEntity } from '@oneroster/entities';
import { recordAudit } from './record-audit';

describe.each(testEngines('audit_writer'))('recordAudit on $name', (engine) => {
  let ds: DataSource;

  beforeAll(async () => {
    ds = await openMigratedDatabase(engine);
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  const newest = () =>
    ds
      .getRepository(AuditEventEntity)
      .createQueryBuilder('e')
      .orderBy('e.id', 'DESC')
      .getOneOrFail();

  it('records a client as actor type client, keeping its id and address', async () => {
    await recordAudit(
      ds,
      { client: { clientId: 'mis-1', name: null }, ip: '203.0.113.7' },
      {
        action: 'gradebook.changes_collected',
        targetType: 'gradebook_changes',
        targetId: '42',
        schoolId: 'school-1',
        details: { count: 3, firstChangeId: 40, lastChangeId: 42 },
      },
    );
    expect(await newest()).toMatchObject({
      actorType: 'client',
      actorClientId: 'mis-1',
      actorAccountId: null,
      actorIp: '203.0.113.7',
      action: 'gradebook.changes_collected',
      targetId: '42',
      schoolId: 'school-1',
      details: { count: 3, firstChangeId: 40, lastChangeId: 42 },
    });
  });

  it('records an account as actor type account, and no actor as the system', async () => {
    await recordAudit(
      ds,
      { account: { id: 'account-1' }, ip: null },
      { action: 'school.created', targetType: 'school', targetId: 's' },
    );
    expect(await newest()).toMatchObject({
      actorType: 'account',
      actorAccountId: 'account-1',
      actorClientId: null,
      schoolId: null,
      details: null,
    });
    await recordAudit(ds, null, {
      action: 'account.created',
      targetType: 'account',
      targetId: 'a',
    });
    expect(await newest()).toMatchObject({
      actorType: 'system',
      actorAccountId: null,
      actorClientId: null,
    });
  });

  it('writes inside the caller’s transaction: a rolled-back change leaves no event', async () => {
    const before = await ds.getRepository(AuditEventEntity).count();
    await expect(
      ds.transaction(async (em) => {
        await recordAudit(em, null, {
          action: 'school.created',
          targetType: 'school',
          targetId: 'rolled-back',
        });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await ds.getRepository(AuditEventEntity).count()).toBe(before);
  });
});
