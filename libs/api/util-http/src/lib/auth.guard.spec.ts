import {
  Controller,
  Get,
  INestApplication,
  Injectable,
  Module,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ONEROSTER_SCOPES } from '@oneroster/contracts';
import { startTestIssuer, TestIssuer } from '@oneroster/api-testing';
import { ApprovedSchools } from './approvals';
import { CurrentPrincipal, RequireScopes } from './auth.guard';
import { OneRosterHttpModule } from './http.module';
import type { Principal } from './principal';

const { rosterCore, roster, rosterDemographics, gradebookRead } =
  ONEROSTER_SCOPES;

/** The live approvals as a test sets them: client → school → scopes. */
const live = new Map<string, Map<string, Set<string>>>();
const approve = (clientId: string, schools: Record<string, string[]>) =>
  live.set(
    clientId,
    new Map(Object.entries(schools).map(([id, s]) => [id, new Set(s)])),
  );

@Injectable()
class TestApprovals extends ApprovedSchools {
  async approvedScopesOf(clientId: string) {
    return live.get(clientId) ?? new Map<string, Set<string>>();
  }
}

@Controller('probe')
class ProbeController {
  @Get('core')
  @RequireScopes(rosterCore, roster)
  core(@CurrentPrincipal() p: Principal) {
    return { schoolIds: p.schoolIds };
  }

  @Get('demographics')
  @RequireScopes(rosterDemographics)
  demographics(@CurrentPrincipal() p: Principal) {
    return { schoolIds: p.schoolIds };
  }
}

describe('OneRosterAuthGuard: scopes per school', () => {
  let issuer: TestIssuer;
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    issuer = await startTestIssuer('http://api.test');
    @Module({
      imports: [
        OneRosterHttpModule.register(
          {
            issuer: issuer.issuer,
            audience: issuer.audience,
            jwksUrl: issuer.jwksUrl,
          },
          TestApprovals,
        ),
      ],
      controllers: [ProbeController],
    })
    class ProbeModule {}
    const ref = await Test.createTestingModule({
      imports: [ProbeModule],
    }).compile();
    app = ref.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    await issuer?.close();
  });

  beforeEach(() => live.clear());

  const call = async (path: string, claims: Record<string, unknown>) => {
    const res = await fetch(`${url}/probe/${path}`, {
      headers: { authorization: `Bearer ${await issuer.token(claims)}` },
    });
    return { status: res.status, body: (await res.json()) as unknown };
  };
  const twoSchools = {
    client_id: 'app',
    school_ids: ['a', 'b'],
    scope: [rosterCore, rosterDemographics, gradebookRead].join(' '),
  };

  it("hands the route only the schools whose live approval has the route's scope", async () => {
    approve('app', { a: [rosterCore], b: [rosterCore, rosterDemographics] });
    await expect(call('core', twoSchools)).resolves.toEqual({
      status: 200,
      body: { schoolIds: ['a', 'b'] },
    });
    await expect(call('demographics', twoSchools)).resolves.toEqual({
      status: 200,
      body: { schoolIds: ['b'] },
    });
  });

  it('answers 403 when no school of the token approves the route, whatever the token carries', async () => {
    approve('app', {
      a: [rosterCore],
      b: [gradebookRead],
      c: [rosterDemographics],
    });
    const refused = await call('demographics', twoSchools);
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toContain(
      'No school of the access token approves this client',
    );
    await expect(call('core', twoSchools)).resolves.toEqual({
      status: 200,
      body: { schoolIds: ['a'] },
    });
  });

  it('still answers 403 for a token without the scope and for a client no school approves', async () => {
    approve('app', { a: [rosterDemographics] });
    expect(
      (await call('demographics', { ...twoSchools, scope: rosterCore })).status,
    ).toBe(403);
    expect(
      (await call('core', { ...twoSchools, client_id: 'nobody' })).status,
    ).toBe(403);
  });
});
