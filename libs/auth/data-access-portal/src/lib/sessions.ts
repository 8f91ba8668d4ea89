import { createHash, randomBytes } from 'node:crypto';
import {
  IsNull,
  LessThan,
  Not,
  type DataSource,
  type EntityManager,
} from 'typeorm';
import { PortalSessionEntity } from '@oneroster/entities';

export const SESSION_IDLE_MS = 8 * 3600_000;
/** Default absolute lifetime of a session, however much it is used (PORTAL_SESSION_MAX_HOURS). */
export const SESSION_MAX_MS = 12 * 3600_000;
export const LOGIN_TTL_MS = 10 * 60_000;
/** A session's expiry is pushed forward at most this often (one write per minute). */
const TOUCH_EVERY_MS = 60_000;

export type LoginState = NonNullable<PortalSessionEntity['loginState']>;

const hash = (cookie: string) =>
  createHash('sha256').update(cookie, 'utf8').digest('hex');
const random = () => randomBytes(32).toString('base64url');

/**
 * Portal sessions. Rules:
 * - the cookie value is 256 random bits; the table keeps only its SHA-256 (the row id);
 * - a sign-in under way is a row without account (state, nonce, PKCE verifier), valid 10
 *   minutes and used once; signing in creates a new session with a new cookie value, so a
 *   value planted before sign-in never becomes a session (fixation);
 * - a session expires after 8 hours without use, and `maxMs` after it was opened however
 *   much it is used (absolute lifetime; its expiry is never pushed past that); each has its
 *   own CSRF token;
 * - ending a session deletes it (its cookie is worthless from then on); ending an account's
 *   sessions deletes every one of them at once (disabled account, role taken away, password
 *   reset or changed).
 */
export class PortalSessions {
  constructor(
    private readonly ds: DataSource,
    private readonly idleMs = SESSION_IDLE_MS,
    private readonly maxMs = SESSION_MAX_MS,
  ) {}

  private get repo() {
    return this.ds.getRepository(PortalSessionEntity);
  }

  /** Starts a sign-in: the cookie value that identifies it until the callback. */
  async beginLogin(loginState: LoginState): Promise<string> {
    const cookie = random();
    const now = new Date();
    await this.repo.insert({
      id: hash(cookie),
      accountId: null,
      csrfToken: random(),
      loginState,
      idToken: null,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + LOGIN_TTL_MS),
    });
    return cookie;
  }

  /** Takes (reads and deletes) the sign-in under way for `cookie`, if still valid. */
  async takeLogin(cookie: string | undefined): Promise<LoginState | null> {
    if (!cookie) return null;
    const id = hash(cookie);
    const row = await this.repo.findOneBy({ id, accountId: IsNull() });
    if (!row) return null;
    const res = await this.repo.delete({ id, accountId: IsNull() });
    if (!res.affected || row.expiresAt.getTime() <= Date.now()) return null;
    return row.loginState;
  }

  /** A new signed-in session: its cookie value and CSRF token. */
  async create(
    accountId: string,
    idToken: string | null,
  ): Promise<{ cookie: string; csrfToken: string }> {
    const cookie = random();
    const csrfToken = random();
    const now = new Date();
    await this.repo.insert({
      id: hash(cookie),
      accountId,
      csrfToken,
      loginState: null,
      idToken,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + Math.min(this.idleMs, this.maxMs)),
    });
    return { cookie, csrfToken };
  }

  /** The live session of `cookie` (its expiry pushed forward), or null. */
  async resolve(
    cookie: string | undefined,
  ): Promise<PortalSessionEntity | null> {
    if (!cookie) return null;
    const row = await this.repo.findOneBy({
      id: hash(cookie),
      accountId: Not(IsNull()),
    });
    const now = Date.now();
    if (!row) return null;
    const endOfLife = row.createdAt.getTime() + this.maxMs;
    if (row.expiresAt.getTime() <= now || endOfLife <= now) {
      await this.repo.delete({ id: row.id });
      return null;
    }
    if (now - row.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
      row.lastSeenAt = new Date(now);
      row.expiresAt = new Date(Math.min(now + this.idleMs, endOfLife));
      await this.repo.update(
        { id: row.id },
        { lastSeenAt: row.lastSeenAt, expiresAt: row.expiresAt },
      );
    }
    return row;
  }

  /** Ends the session of `cookie`; answers what it held (for the logout hint). */
  async end(cookie: string | undefined): Promise<PortalSessionEntity | null> {
    if (!cookie) return null;
    const id = hash(cookie);
    const row = await this.repo.findOneBy({ id });
    if (row) await this.repo.delete({ id });
    return row;
  }

  /**
   * Ends every session of an account (but `keep`, the cookie's own session, when given);
   * answers how many. Takes an EntityManager so it commits with the change that causes it.
   */
  async endAllOf(
    accountId: string,
    options: { keep?: string; em?: EntityManager } = {},
  ): Promise<number> {
    const repo = (options.em ?? this.ds).getRepository(PortalSessionEntity);
    const res = await repo.delete(
      options.keep ? { accountId, id: Not(options.keep) } : { accountId },
    );
    return res.affected ?? 0;
  }

  /** Deletes every expired session and abandoned sign-in. */
  async purgeExpired(): Promise<number> {
    const res = await this.repo.delete({ expiresAt: LessThan(new Date()) });
    return res.affected ?? 0;
  }
}
