import type { DataSource } from 'typeorm';
import { decodeJson } from '@oneroster/database';
import { OidcModelEntity } from '@oneroster/entities';

/**
 * The authorization server's records that belong to one account: its sessions (signed in at
 * the server, any client) and its grants (what refresh tokens and codes hang from). Read
 * only: ending them goes through oidc-provider's own models (see feature-oidc's
 * `endAccountOidcSessions`), so that however the adapter stores tokens, a grant's tokens
 * go with it. oidc-provider keeps the account id in the payload of both models
 * (`accountId`); the payload is JSON text, so the lookup matches its exact JSON form.
 */
export interface AccountOidcRecords {
  sessionIds: string[];
  grantIds: string[];
}

export async function oidcRecordsOfAccount(
  dataSource: DataSource,
  accountId: string,
): Promise<AccountOidcRecords> {
  const pattern = `%${likeEscape(JSON.stringify({ accountId }).slice(1, -1))}%`;
  const rows = await dataSource
    .getRepository(OidcModelEntity)
    .createQueryBuilder('m')
    .select(['m.model', 'm.id', 'm.payload'])
    .where('m.model IN (:...models)', { models: ['Session', 'Grant'] })
    .andWhere("m.payload LIKE :pattern ESCAPE '!'", { pattern })
    .getMany();
  const records: AccountOidcRecords = { sessionIds: [], grantIds: [] };
  for (const row of rows) {
    // The LIKE narrows; the parsed payload decides (a display name could contain the text).
    const payload = decodeJson<{ accountId?: unknown }>(row.payload);
    if (payload.accountId !== accountId) continue;
    (row.model === 'Session' ? records.sessionIds : records.grantIds).push(
      row.id,
    );
  }
  return records;
}

const likeEscape = (s: string) => s.replace(/[!%_]/g, (c) => `!${c}`);
