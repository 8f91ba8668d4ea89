import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import {
  ONEROSTER_SCOPES,
  SCHOOL_PLATFORM_SCOPES,
  type ApplicationView,
  type AuditEventView,
  type CredentialView,
  type ImportJobView,
  type IssuedCredential,
  type IssuedIntegratorCredential,
  type PlatformError,
} from '@oneroster/contracts';
import { exportCsv } from '@oneroster/data-access-csv';
import { openDatabase } from '@oneroster/database';
import { testEngines } from '@oneroster/database/testing';
import type { DemoCredentials } from '@oneroster/demo-data';
import { AccountEntity, SchoolEntity, UserEntity } from '@oneroster/entities';
import {
  CSV_FILES,
  CSV_HEADERS,
  csvLine,
  writeZip,
} from '@oneroster/util-oneroster-csv';
import {
  emailWithRole,
  portalClient,
  sessionFor,
  type PortalSession,
} from './portal-support';
import { eventually, jwtPayload } from './platform-support';
import {
  requestToken,
  seededDatabase,
  startTestAuth,
  TEST_AUDIENCE,
  TEST_SECRET,
  type TestAuth,
} from './support';

const { importsWrite } = SCHOOL_PLATFORM_SCOPES;

interface Reply<T> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * A school's MIS importing OneRoster CSV sets through the platform API, against the real auth
 * server: the school's administrator issues the MIS credential with `imports.write`, its
 * platform token validates and applies sets through the portal's jobs, and every rule of
 * the portal's uploads holds (one school, nothing written by a validation or a refused set).
 */
describe.each(testEngines('auth_mis_imports', { sqliteFile: true }))(
  'MIS imports through the platform API on $name',
  (engine) => {
    let auth: TestAuth;
    let demo: DemoCredentials;
    let ds: DataSource;
    let base: string;
    let platformAudience: string;
    let call: ReturnType<typeof portalClient>;
    let adminA: PortalSession;
    let developer: PortalSession;
    let operator: PortalSession;
    let schoolA: string;
    let schoolB: string;
    let orgA: string;
    let tmp: string;
    let mis: IssuedCredential;
    let misApp: ApplicationView;
    let token: string;

    beforeAll(async () => {
      const seeded = await seededDatabase(engine);
      demo = seeded.demo;
      auth = await startTestAuth(seeded.database);
      ds = await openDatabase(seeded.database);
      base = auth.issuer.replace(/\/oidc$/, '');
      platformAudience = `${base}/platform/v1`;
      call = portalClient(base);
      [schoolA, schoolB] = demo.clients.map((c) => c.schoolId);
      orgA = (
        await ds.getRepository(SchoolEntity).findOneByOrFail({ id: schoolA })
      ).orgSourcedId;
      adminA = await sessionFor(
        ds,
        await emailWithRole(ds, schoolA, 'school_admin'),
      );
      developer = await sessionFor(ds, demo.developerEmail);
      operator = await sessionFor(ds, demo.operatorEmail);
      tmp = mkdtempSync(join(tmpdir(), 'mis-imports-'));

      // The MIS vendor's application, approved by school A.
      const integratorId = (
        await ds
          .getRepository(AccountEntity)
          .findOneByOrFail({ email: demo.developerEmail })
      ).integratorId as string;
      const created = await call<ApplicationView>(
        developer,
        'POST',
        `/portal/api/integrators/${integratorId}/applications`,
        {
          name: 'Oak MIS',
          requestedScopes: [ONEROSTER_SCOPES.gradebookRead],
          redirectUris: [],
        },
      );
      expect(created.status).toBe(201);
      misApp = created.body;
      expect(
        (
          await call(
            developer,
            'POST',
            `/portal/api/applications/${misApp.id}/schools/${schoolA}/request`,
          )
        ).status,
      ).toBe(200);
      expect(
        (
          await call(
            adminA,
            'POST',
            `/portal/api/schools/${schoolA}/applications/${misApp.id}/approve`,
            { scopes: [ONEROSTER_SCOPES.gradebookRead] },
          )
        ).status,
      ).toBe(200);
    }, 120_000);

    afterAll(async () => {
      await ds?.destroy();
      await auth?.close();
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    });

    const platformToken = (clientId: string, secret: string, scope?: string) =>
      requestToken(auth.tokenUrl, clientId, secret, {
        resource: platformAudience,
        scope,
      });

    const api = async <T = unknown>(
      bearer: string | null,
      method: string,
      path: string,
      body?: Buffer | string,
      contentType = 'application/zip',
    ): Promise<Reply<T>> => {
      const headers: Record<string, string> = {};
      if (bearer) headers['authorization'] = `Bearer ${bearer}`;
      if (body !== undefined) headers['content-type'] = contentType;
      const res = await fetch(`${base}/platform/v1${path}`, {
        method,
        headers,
        body:
          body === undefined
            ? undefined
            : typeof body === 'string'
              ? body
              : new Blob([new Uint8Array(body)]),
      });
      const text = await res.text();
      return {
        status: res.status,
        headers: res.headers,
        body: (text ? JSON.parse(text) : undefined) as T,
      };
    };

    /** Polls the job until it has finished; every view's percent rises monotonically. */
    const settled = async (bearer: string, id: string) => {
      let percent = 0;
      return eventually(
        async () => {
          const res = await api<ImportJobView>(bearer, 'GET', `/imports/${id}`);
          expect(res.status).toBe(200);
          expect(res.body.percent).toBeGreaterThanOrEqual(percent);
          percent = res.body.percent;
          return res.body.finishedAt === null ? undefined : res.body;
        },
        60_000,
        `import job ${id}`,
      );
    };

    /**
     * A delta set of school A's users (manifest: users delta, the rest absent): new pupils
     * of school A's org, `role` as given (a bad one makes the set invalid).
     */
    const userSet = async (name: string, ids: string[], role = 'student') => {
      const dir = join(tmp, name);
      mkdirSync(dir, { recursive: true });
      const manifest = [
        ['propertyName', 'value'],
        ['manifest.version', '1.0'],
        ['oneroster.version', '1.1'],
        ...CSV_FILES.map((f) => [
          `file.${f}`,
          f === 'users' ? 'delta' : 'absent',
        ]),
      ];
      writeFileSync(
        join(dir, 'manifest.csv'),
        manifest.map((r) => csvLine(r)).join(''),
      );
      const header = CSV_HEADERS.users;
      const row = (id: string, i: number): string[] => {
        const v: Record<string, string> = {
          sourcedId: id,
          status: 'active',
          dateLastModified: '2026-09-01T08:00:00.000Z',
          enabledUser: 'true',
          orgSourcedIds: orgA,
          role: i === 0 ? role : 'student',
          username: `${id}@mis.example.org`,
          givenName: 'Mis',
          familyName: `Pupil ${i}`,
        };
        return header.map((h) => v[h] ?? '');
      };
      writeFileSync(
        join(dir, 'users.csv'),
        [header, ...ids.map(row)].map((r) => csvLine(r)).join(''),
      );
      const zip = join(tmp, `${name}.zip`);
      await writeZip(zip, [
        { name: 'manifest.csv', path: join(dir, 'manifest.csv') },
        { name: 'users.csv', path: join(dir, 'users.csv') },
      ]);
      return readFile(zip);
    };

    const usersOfA = (ids: string[]) =>
      ds
        .getRepository(UserEntity)
        .createQueryBuilder('u')
        .where('u.schoolId = :schoolA AND u.sourcedId IN (:...ids)', {
          schoolA,
          ids,
        })
        .getCount();

    it('lets the school administrator issue the MIS credential with imports.write; not a developer', async () => {
      const byDeveloper = await call(
        developer,
        'POST',
        `/portal/api/schools/${schoolA}/mis-credentials`,
        { applicationId: misApp.id, platformScopes: [importsWrite] },
      );
      expect(byDeveloper.status).toBe(403);
      const badScope = await call(
        adminA,
        'POST',
        `/portal/api/schools/${schoolA}/mis-credentials`,
        { applicationId: misApp.id, platformScopes: ['webhooks.manage'] },
      );
      expect(badScope.status).toBe(400);
      expect(badScope.body).toMatchObject({
        fields: { platformScopes: expect.stringContaining(importsWrite) },
      });
      const issued = await call<IssuedCredential>(
        adminA,
        'POST',
        `/portal/api/schools/${schoolA}/mis-credentials`,
        { applicationId: misApp.id, platformScopes: [importsWrite] },
      );
      expect(issued.status).toBe(201);
      mis = issued.body;
      expect(mis).toMatchObject({
        applicationId: misApp.id,
        schoolId: schoolA,
        platformScopes: [importsWrite],
        tokenEndpoint: auth.tokenUrl,
      });
      expect(mis.clientSecret.length).toBeGreaterThanOrEqual(43);
      const again = await call<PlatformError>(
        adminA,
        'POST',
        `/portal/api/schools/${schoolA}/mis-credentials`,
        { applicationId: misApp.id },
      );
      expect(again.status).toBe(409);
      const listed = await call<CredentialView[]>(
        adminA,
        'GET',
        `/portal/api/schools/${schoolA}/mis-credentials`,
      );
      expect(
        listed.body.find((c) => c.clientId === mis.clientId)?.platformScopes,
      ).toEqual([importsWrite]);
    });

    it('gives the MIS a platform token with imports.write that names its school and no OneRoster scope', async () => {
      const res = await platformToken(mis.clientId, mis.clientSecret);
      expect(res.status).toBe(200);
      expect(res.body['scope']).toBe(importsWrite);
      token = res.body['access_token'] as string;
      const claims = jwtPayload(token);
      expect(claims).toMatchObject({
        aud: platformAudience,
        client_id: mis.clientId,
        school_id: schoolA,
        scope: importsWrite,
      });
      expect(claims['school_ids']).toBeUndefined();
      expect(claims['integrator_id']).toBeUndefined();
      // A OneRoster scope is never in a platform token.
      const mixed = await platformToken(
        mis.clientId,
        mis.clientSecret,
        ONEROSTER_SCOPES.gradebookRead,
      );
      expect(mixed.status).toBe(400);
      expect(mixed.body['error']).toBe('invalid_scope');
      // Without `resource` the same client still gets its OneRoster API token, which the
      // platform API refuses.
      const oneRoster = await requestToken(
        auth.tokenUrl,
        mis.clientId,
        mis.clientSecret,
      );
      expect(oneRoster.status).toBe(200);
      expect(
        jwtPayload(oneRoster.body['access_token'] as string),
      ).toMatchObject({ aud: TEST_AUDIENCE, school_ids: [schoolA] });
      const refused = await api<PlatformError>(
        oneRoster.body['access_token'] as string,
        'GET',
        '/imports',
      );
      expect(refused.status).toBe(401);
      expect(refused.body.error).toBe('invalid_token');
    });

    it('validates a set (writing nothing), then applies it; polls, the Location and the report', async () => {
      const ids = ['mis-new-1', 'mis-new-2', 'mis-new-3'];
      const zip = await userSet('valid', ids);
      const started = await api<ImportJobView>(
        token,
        'POST',
        '/imports?mode=validate',
        zip,
      );
      expect(started.status).toBe(202);
      expect(started.body).toMatchObject({
        schoolId: schoolA,
        mode: 'validate',
      });
      expect(started.headers.get('location')).toBe(
        `/platform/v1/imports/${started.body.id}`,
      );
      const validated = await settled(token, started.body.id);
      expect(validated).toMatchObject({ status: 'succeeded', percent: 100 });
      expect(validated.report).toMatchObject({
        errors: 0,
        counts: { 'users.csv': 3 },
      });
      const report = await api(
        token,
        'GET',
        `/imports/${started.body.id}/report`,
      );
      expect(report.status).toBe(200);
      expect(report.body).toEqual(validated.report);
      expect(await usersOfA(ids)).toBe(0);

      const applied = await api<ImportJobView>(
        token,
        'POST',
        '/imports?mode=apply',
        zip,
      );
      expect(applied.status).toBe(202);
      const done = await settled(token, applied.body.id);
      expect(done).toMatchObject({ status: 'succeeded', mode: 'apply' });
      expect(done.report?.counts['users.csv']).toBe(3);
      expect(await usersOfA(ids)).toBe(3);

      const list = await api<ImportJobView[]>(token, 'GET', '/imports');
      expect(list.body.map((j) => j.id).slice(0, 2)).toEqual([
        applied.body.id,
        started.body.id,
      ]);

      // The school's audit trail names the MIS client as the actor, as the portal shows it.
      const audit = await call<AuditEventView[]>(
        adminA,
        'GET',
        `/portal/api/schools/${schoolA}/audit`,
      );
      const byMis = audit.body.filter(
        (e) => e.targetId === started.body.id || e.targetId === applied.body.id,
      );
      expect(byMis.map((e) => e.action).sort()).toEqual([
        'import.started',
        'import.validation_started',
      ]);
      for (const e of byMis)
        expect(e).toMatchObject({
          actorType: 'client',
          actor: null,
          actorClient: { clientId: mis.clientId, name: 'Oak MIS' },
          schoolId: schoolA,
          details: { via: 'platform_api' },
        });
    }, 120_000);

    it('imports a OneRoster 1.2 set as the portal does', async () => {
      const zip = join(tmp, 'a-v1p2.zip');
      await exportCsv(ds, { schoolId: schoolA, out: zip, version: '1.2' });
      const started = await api<ImportJobView>(
        token,
        'POST',
        '/imports?mode=validate',
        await readFile(zip),
      );
      expect(started.status).toBe(202);
      const job = await settled(token, started.body.id);
      expect(job.status).toBe('succeeded');
      expect(job.report?.errors).toBe(0);
      expect(job.report?.counts['users.csv']).toBeGreaterThan(0);
    }, 120_000);

    it('refuses a bad set with a report of its errors, and writes none of it', async () => {
      const ids = ['mis-bad-1', 'mis-bad-2'];
      const started = await api<ImportJobView>(
        token,
        'POST',
        '/imports?mode=apply',
        await userSet('bad', ids, 'pupil'),
      );
      expect(started.status).toBe(202);
      const job = await settled(token, started.body.id);
      expect(job.status).toBe('failed');
      expect(job.report?.errors).toBeGreaterThan(0);
      expect(job.report?.issues).toContainEqual(
        expect.objectContaining({
          severity: 'error',
          file: 'users.csv',
          line: 2,
          column: 'role',
          value: 'pupil',
          message: expect.stringContaining('bad_enum'),
        }),
      );
      const report = await api(token, 'GET', `/imports/${job.id}/report`);
      expect(report.body).toEqual(job.report);
      expect(await usersOfA(ids)).toBe(0);
    }, 120_000);

    it('keeps each MIS to its own school: another school’s job is 404', async () => {
      const [own] = (await api<ImportJobView[]>(token, 'GET', '/imports')).body;
      const misB = demo.misClients.find((c) => c.schoolId === schoolB);
      const res = await platformToken(misB?.clientId as string, TEST_SECRET);
      expect(res.status).toBe(200);
      const tokenB = res.body['access_token'] as string;
      expect(jwtPayload(tokenB)['school_id']).toBe(schoolB);
      for (const path of [`/imports/${own.id}`, `/imports/${own.id}/report`]) {
        const other = await api<PlatformError>(tokenB, 'GET', path);
        expect(other.status).toBe(404);
        expect(other.body.error).toBe('not_found');
      }
      const listB = await api<ImportJobView[]>(tokenB, 'GET', '/imports');
      expect(listB.status).toBe(200);
      expect(listB.body.map((j) => j.id)).not.toContain(own.id);
      expect(listB.body.every((j) => j.schoolId === schoolB)).toBe(true);
    });

    it('answers bad requests with PlatformErrors: 401, 400, 404, 413, 415', async () => {
      const noToken = await api<PlatformError>(null, 'POST', '/imports', 'x');
      expect(noToken.status).toBe(401);
      expect(noToken.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const badMode = await api<PlatformError>(
        token,
        'POST',
        '/imports?mode=later',
        Buffer.from('PK'),
      );
      expect(badMode.status).toBe(400);
      expect(badMode.body).toMatchObject({
        error: 'invalid_request',
        fields: { mode: 'must be apply or validate' },
      });
      const notZip = await api<PlatformError>(
        token,
        'POST',
        '/imports',
        '{"a":1}',
        'application/json',
      );
      expect(notZip.status).toBe(415);
      expect(notZip.body.error).toBe('unsupported_media_type');
      const empty = await api<PlatformError>(
        token,
        'POST',
        '/imports',
        Buffer.alloc(0),
      );
      expect(empty.status).toBe(400);
      const unknown = await api<PlatformError>(token, 'GET', '/imports/nope');
      expect(unknown.status).toBe(404);
      const notAZip = await api<ImportJobView>(
        token,
        'POST',
        '/imports?mode=validate',
        Buffer.from('this is not a zip file'),
      );
      expect(notAZip.status).toBe(202);
      const refused = await settled(token, notAZip.body.id);
      expect(refused.status).toBe('failed');
      expect(refused.report?.issues[0]?.message).toMatch(/bad_archive/);

      const tooLarge = await new Promise<{ status: number; body: string }>(
        (resolve, reject) => {
          const req = httpRequest(
            `${base}/platform/v1/imports`,
            {
              method: 'POST',
              headers: {
                authorization: `Bearer ${token}`,
                'content-type': 'application/zip',
                'content-length': String(600 * 1024 * 1024),
              },
            },
            (res) => {
              let body = '';
              res.on('data', (c: Buffer) => (body += c.toString()));
              res.on('end', () => {
                resolve({ status: res.statusCode ?? 0, body });
                req.destroy();
              });
            },
          );
          req.on('error', reject);
          req.flushHeaders();
        },
      );
      expect(tooLarge.status).toBe(413);
      expect(JSON.parse(tooLarge.body)).toMatchObject({
        statusCode: 413,
        error: 'payload_too_large',
      });
    }, 120_000);

    it('refuses a token without imports.write (403) once the school takes the scope away', async () => {
      const removed = await call<CredentialView>(
        adminA,
        'PUT',
        `/portal/api/schools/${schoolA}/mis-credentials/${mis.clientId}`,
        { platformScopes: [] },
      );
      expect(removed.status).toBe(200);
      expect(removed.body.platformScopes).toEqual([]);
      const res = await api<PlatformError>(
        token,
        'POST',
        '/imports?mode=validate',
        await userSet('after-removal', ['mis-late-1']),
      );
      expect(res.status).toBe(403);
      expect(res.body.error).toBe('insufficient_scope');
      expect((await api(token, 'GET', '/imports')).status).toBe(403);
      // No new platform token either.
      const refused = await platformToken(mis.clientId, mis.clientSecret);
      expect(refused.status).toBe(400);
      expect(refused.body['error']).toBe('invalid_target');
      // An operator grants it again.
      const granted = await call<CredentialView>(
        operator,
        'PUT',
        `/portal/api/schools/${schoolA}/mis-credentials/${mis.clientId}`,
        { platformScopes: [importsWrite] },
      );
      expect(granted.status).toBe(200);
      expect((await api(token, 'GET', '/imports')).status).toBe(200);
      const audit = await call<AuditEventView[]>(
        adminA,
        'GET',
        `/portal/api/schools/${schoolA}/audit`,
      );
      expect(
        audit.body
          .filter((e) => e.action === 'client.platform_scopes_changed')
          .map((e) => e.details?.['platformScopes']),
      ).toEqual([[importsWrite], []]);
    });

    it('never lets an integrator platform credential import', async () => {
      const integratorId = (
        await ds
          .getRepository(AccountEntity)
          .findOneByOrFail({ email: demo.developerEmail })
      ).integratorId as string;
      const refusedScope = await call(
        developer,
        'POST',
        `/portal/api/integrators/${integratorId}/platform-credentials`,
        { scopes: [importsWrite] },
      );
      expect(refusedScope.status).toBe(400);
      const cred = await call<IssuedIntegratorCredential>(
        developer,
        'POST',
        `/portal/api/integrators/${integratorId}/platform-credentials`,
        {},
      );
      expect(cred.status).toBe(201);
      const asked = await platformToken(
        cred.body.clientId,
        cred.body.clientSecret,
        importsWrite,
      );
      expect(asked.status).toBe(400);
      expect(asked.body['error']).toBe('invalid_scope');
      const full = await platformToken(
        cred.body.clientId,
        cred.body.clientSecret,
      );
      expect(full.status).toBe(200);
      const bearer = full.body['access_token'] as string;
      const res = await api<PlatformError>(
        bearer,
        'POST',
        '/imports?mode=validate',
        await userSet('integrator', ['mis-integrator-1']),
      );
      expect(res.status).toBe(403);
      expect(res.body.error).toBe('insufficient_scope');
      expect((await api(bearer, 'GET', '/imports')).status).toBe(403);
      // And the MIS's platform token reaches none of the integrator routes.
      expect((await api(token, 'GET', '/approvals')).status).toBe(403);
    });

    it('lists the import routes in the platform Swagger document', async () => {
      const doc = (await (
        await fetch(`${base}/platform/v1/docs-json`)
      ).json()) as { paths: Record<string, Record<string, unknown>> };
      expect(
        Object.keys(doc.paths['/platform/v1/imports'] ?? {}).sort(),
      ).toEqual(['get', 'post']);
      expect(doc.paths['/platform/v1/imports/{jobId}']?.['get']).toBeDefined();
      expect(
        doc.paths['/platform/v1/imports/{jobId}/report']?.['get'],
      ).toBeDefined();
    });
  },
);
