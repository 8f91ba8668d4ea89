import type { DataSource } from 'typeorm';
import type { KoaContextWithOIDC } from 'oidc-provider';
import {
  ApprovedSchool,
  approvedSchoolsOfAccount,
} from '@oneroster/data-access-auth';
import { grantedScopes } from '@oneroster/data-access-approvals';
import { prop } from './client-metadata';

/**
 * What a signed-in user's tokens for an application may reach. Rules enforced:
 * - the schools are the user's schools ∩ the schools approving the application now, read
 *   from the database once per request (the resource server and the token claims of one
 *   request see the same approval), so every sign-in and every refresh reads it again;
 * - each school's scopes are what its approval grants in both OneRoster versions
 *   (`grantedScopes`: the stored scopes and their counterparts in the other version);
 * - the scopes are the union of those schools' granted scopes: all a token of this user
 *   may carry (scopes are per school: the API serves each request only for the schools
 *   whose live approval includes the route's scope).
 */
export interface UserApproval {
  schools: ApprovedSchool[];
  schoolIds: string[];
  /** The union of the schools' approved scopes: all a token of this user may carry. */
  scopes: string;
}

export type UserApprovals = (
  ctx: KoaContextWithOIDC,
  accountId: string,
  client: unknown,
) => Promise<UserApproval>;

export function userApprovals(dataSource: DataSource): UserApprovals {
  const perRequest = new WeakMap<object, Promise<UserApproval>>();
  return (ctx, accountId, client) => {
    const cached = perRequest.get(ctx);
    if (cached) return cached;
    const read = approvedSchoolsOfAccount(
      dataSource,
      accountId,
      prop(client, 'application_id') ?? '',
    ).then((stored) => {
      // What each school's approval grants in both versions (`grantedScopes`).
      const schools = stored.map((s) => ({
        ...s,
        scopes: grantedScopes(s.scopes),
      }));
      return {
        schools,
        schoolIds: schools.map((s) => s.schoolId),
        scopes: [...new Set(schools.flatMap((s) => s.scopes))].join(' '),
      };
    });
    perRequest.set(ctx, read);
    return read;
  };
}

/** The refusal when no school of the user approves the application (now). */
export const noApprovedSchool = (
  errors: typeof import('oidc-provider').errors,
) =>
  new errors.AccessDenied(
    'no school you belong to has approved this application',
  );
