import { createHash } from 'node:crypto';
import { decodeJson, encodeJson } from '@oneroster/database';
import { DataSource, IsNull, LessThan } from 'typeorm';
import { OidcModelEntity } from '@oneroster/entities';

/**
 * oidc-provider's storage adapter on TypeORM (SQLite and MySQL/MariaDB). One table for every
 * model (`oidc_models`, key (model, id)). Rules of the adapter interface it follows:
 * - `upsert` replaces the whole payload; `expiresIn` (seconds) sets the expiry when given;
 * - `find`/`findByUid`/`findByUserCode` never return an expired record, and mark a consumed
 *   one with `consumed` (the provider then refuses it: code and refresh-token replay);
 * - `revokeByGrantId` removes every record of that grant, whatever its model;
 * - refresh tokens and authorization codes are bearer secrets: their rows are keyed by the
 *   SHA-256 of the id (hex) and their payload is stored without `jti` (given back by `find`
 *   from the id it was asked for), so reading the table yields no usable token;
 * - `consume` is conditional (`UPDATE … WHERE consumed_at IS NULL`): of two concurrent uses
 *   of one code or refresh token only one succeeds; the other revokes the grant (as a replay
 *   does) and throws the error `alreadyConsumed` makes (`invalid_grant` in the provider).
 */
export type OidcPayload = Record<string, unknown> & {
  grantId?: string;
  uid?: string;
  userCode?: string;
  consumed?: unknown;
};

export interface OidcAdapter {
  upsert(id: string, payload: OidcPayload, expiresIn?: number): Promise<void>;
  find(id: string): Promise<OidcPayload | undefined>;
  findByUid(uid: string): Promise<OidcPayload | undefined>;
  findByUserCode(userCode: string): Promise<OidcPayload | undefined>;
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}

/** The models whose ids are bearer secrets, stored by digest. */
export const DIGESTED_OIDC_MODELS: readonly string[] = [
  'RefreshToken',
  'AuthorizationCode',
];

/** The stored id of a bearer-secret record: SHA-256 of its id, hex. */
export const oidcIdDigest = (id: string): string =>
  createHash('sha256').update(id, 'utf8').digest('hex');

export class TypeOrmOidcAdapter implements OidcAdapter {
  private readonly digested: boolean;

  constructor(
    private readonly model: string,
    private readonly dataSource: DataSource,
    private readonly alreadyConsumed: () => Error = () =>
      new Error(`${model} already consumed`),
  ) {
    this.digested = DIGESTED_OIDC_MODELS.includes(model);
  }

  private storedId(id: string): string {
    return this.digested ? oidcIdDigest(id) : id;
  }

  private get repo() {
    return this.dataSource.getRepository(OidcModelEntity);
  }

  async upsert(
    id: string,
    payload: OidcPayload,
    expiresIn?: number,
  ): Promise<void> {
    const stored: OidcPayload = { ...payload };
    // The token itself never goes to the table (`find` gives it back from the id asked for).
    if (this.digested) delete stored['jti'];
    await this.repo.upsert(
      {
        model: this.model,
        id: this.storedId(id),
        payload: encodeJson(stored),
        grantId: str(payload.grantId),
        uid: str(payload.uid),
        userCode: str(payload.userCode),
        expiresAt: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
        consumedAt: null,
      },
      ['model', 'id'],
    );
  }

  async find(id: string): Promise<OidcPayload | undefined> {
    const payload = await this.findOne({ id: this.storedId(id) });
    return payload && this.digested ? { ...payload, jti: id } : payload;
  }

  findByUid(uid: string): Promise<OidcPayload | undefined> {
    return this.findOne({ uid });
  }

  findByUserCode(userCode: string): Promise<OidcPayload | undefined> {
    return this.findOne({ userCode });
  }

  async consume(id: string): Promise<void> {
    const key = { model: this.model, id: this.storedId(id) };
    const result = await this.repo.update(
      { ...key, consumedAt: IsNull() },
      { consumedAt: new Date() },
    );
    if (result.affected !== 0) return;
    // Another request consumed it between its read and this write: a replay.
    const row = await this.repo.findOneBy(key);
    if (row?.grantId) await this.revokeByGrantId(row.grantId);
    throw this.alreadyConsumed();
  }

  async destroy(id: string): Promise<void> {
    await retryDeadlock(() =>
      this.repo.delete({ model: this.model, id: this.storedId(id) }),
    );
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    // oidc-provider revokes a grant by calling this for every model at once; concurrent
    // deletes of the same rows deadlock on InnoDB, so they run one after another here (and
    // a deadlock with another process is retried).
    const prior = revoking.get(grantId) ?? Promise.resolve();
    const next = prior
      .catch(() => undefined)
      .then(() => retryDeadlock(() => this.repo.delete({ grantId })));
    revoking.set(grantId, next);
    try {
      await next;
    } finally {
      if (revoking.get(grantId) === next) revoking.delete(grantId);
    }
  }

  private async findOne(
    where: { id: string } | { uid: string } | { userCode: string },
  ): Promise<OidcPayload | undefined> {
    const row = await this.repo.findOneBy({ model: this.model, ...where });
    if (!row) return undefined;
    if (row.expiresAt && row.expiresAt.getTime() <= Date.now())
      return undefined;
    const payload = decodeJson<OidcPayload>(row.payload);
    return row.consumedAt
      ? { ...payload, consumed: Math.floor(row.consumedAt.getTime() / 1000) }
      : payload;
  }
}

/** Deletes expired records of every model; returns how many. */
export async function purgeExpiredOidcModels(
  dataSource: DataSource,
  now = new Date(),
): Promise<number> {
  const result = await dataSource
    .getRepository(OidcModelEntity)
    .delete({ expiresAt: LessThan(now) });
  return result.affected ?? 0;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Grant revocations in flight in this process, by grant id. */
const revoking = new Map<string, Promise<unknown>>();

/** Runs a write again when MySQL/MariaDB chose it as a deadlock victim (error 1213). */
async function retryDeadlock<T>(
  write: () => Promise<T>,
  attempts = 3,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      const errno =
        (err as { driverError?: { errno?: number }; errno?: number })
          .driverError?.errno ?? (err as { errno?: number }).errno;
      if (errno !== 1213 || attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 10 * attempt));
    }
  }
}
