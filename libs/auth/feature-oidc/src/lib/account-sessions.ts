import type { DataSource } from 'typeorm';
import type Provider from 'oidc-provider';
import { oidcRecordsOfAccount } from '@oneroster/data-access-auth';

/**
 * Ends everything the authorization server holds for one account, at once: its sessions
 * (so no client signs it in again without its password) and its grants with every token
 * hanging from them (refresh tokens, codes, opaque access tokens), so a refresh fails from
 * now on. Rules enforced:
 * - records are removed through oidc-provider's own models, as its revocation does
 *   (`revokeByGrantId` of each token model, then the grant; `destroy` of each session),
 *   never by deleting token rows directly: the adapter decides how tokens are stored;
 * - API access tokens already issued are JWTs that live at most 5 minutes; the API checks
 *   approvals on every request, and none can be refreshed.
 */
export interface EndedOidcRecords {
  sessions: number;
  grants: number;
}

export async function endAccountOidcSessions(
  provider: Provider,
  dataSource: DataSource,
  accountId: string,
): Promise<EndedOidcRecords> {
  const { sessionIds, grantIds } = await oidcRecordsOfAccount(
    dataSource,
    accountId,
  );
  const tokenModels = [
    provider.AccessToken,
    provider.RefreshToken,
    provider.AuthorizationCode,
  ];
  // One grant at a time: the adapter serialises deletes of one grant; many at once would
  // only contend for the same index on MySQL.
  for (const grantId of grantIds) {
    await Promise.all(tokenModels.map((m) => m.revokeByGrantId(grantId)));
    await adapterOf(provider.Grant).destroy(grantId);
  }
  for (const id of sessionIds) await adapterOf(provider.Session).destroy(id);
  return { sessions: sessionIds.length, grants: grantIds.length };
}

// oidc-provider's models expose their adapter as a static property its type definitions leave out.
const adapterOf = (model: unknown) =>
  (model as { adapter: { destroy(id: string): Promise<void> } }).adapter;
