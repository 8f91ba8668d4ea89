import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  findAccountByEmail,
  normaliseEmail,
} from '@oneroster/data-access-auth';
import { setFirstPassword } from '@oneroster/data-access-portal';
import { hashSecret, verifySecret } from '@oneroster/util-secrets';
import {
  CountedHit,
  RateLimitStore,
  RateLimitUnavailableError,
} from '@oneroster/util-rate-limit';
import {
  OIDC_RATE_LIMITS,
  OIDC_SETTINGS,
  OidcSettings,
} from '../oidc-settings';
import { HashingBusyError, HashingSlots } from './hashing-slots';

/**
 * Checks an email and password for the sign-in form. Rules enforced:
 * - accounts come from `accounts`; the password is checked against its scrypt hash;
 * - an unknown email and a wrong password (for any account, disabled or not) get the same
 *   answer, and take the same time (an unknown email is checked against a throw-away hash);
 * - every attempt is counted before the password is checked (one atomic count per limit,
 *   across instances when Redis is configured), so parallel attempts cannot all slip under
 *   a limit: per email and IP address, per email from any address, and for the whole
 *   service; a successful sign-in is taken back from the per-email counts; an attempt over
 *   any limit is refused with the seconds to wait, before any hashing;
 * - the counts cannot be read (Redis unreachable): sign-in is refused ("try again later"),
 *   never let through uncounted (fail closed);
 * - at most `hashConcurrency` password checks run at once, `hashQueue` more wait briefly;
 *   beyond, the attempt is refused as busy (and not counted against the email);
 * - every outcome is logged with the email and IP address, never the password;
 * - a disabled account with the right password is told it is disabled (only someone who
 *   knows the password learns it); an account holding a one-time password signs in only
 *   after choosing a new one (`mustChangePassword`, then `setFirstPassword`).
 */
export type SignInResult =
  | { outcome: 'signed-in'; accountId: string; mustChangePassword: boolean }
  | { outcome: 'refused' }
  | { outcome: 'disabled' }
  | { outcome: 'throttled'; retryAfterSeconds: number }
  | { outcome: 'busy'; retryAfterSeconds: number }
  | { outcome: 'unavailable'; retryAfterSeconds: number };

/** What to tell a client when the counts cannot be read or hashing is saturated. */
const UNAVAILABLE_RETRY_SECONDS = 30;
const BUSY_RETRY_SECONDS = 2;

@Injectable()
export class SignInService {
  private readonly logger = new Logger('sign-in');
  private readonly dummyHash = hashSecret('not a password of anyone');
  private readonly hashing: HashingSlots;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OIDC_SETTINGS) private readonly settings: OidcSettings,
    @Inject(OIDC_RATE_LIMITS) private readonly attempts: RateLimitStore,
  ) {
    this.hashing = new HashingSlots(
      settings.signIn.hashConcurrency,
      settings.signIn.hashQueue,
    );
  }

  async signIn(
    email: string,
    password: string,
    ip: string,
  ): Promise<SignInResult> {
    const admission = await this.admit(normaliseEmail(email), ip);
    if (admission.outcome !== 'admitted') {
      this.logger.warn(`sign-in ${admission.outcome}: email=${email} ip=${ip}`);
      return admission;
    }
    let checked;
    try {
      checked = await this.hashing.run(async () => {
        const account = email
          ? await findAccountByEmail(this.dataSource, email)
          : null;
        const matches = await verifySecret(
          password,
          account?.passwordHash ?? (await this.dummyHash),
        );
        return { account, matches };
      });
    } catch (err) {
      if (!(err instanceof HashingBusyError)) throw err;
      await this.refund(admission.perEmail);
      this.logger.warn(`sign-in busy: email=${email} ip=${ip}`);
      return { outcome: 'busy', retryAfterSeconds: BUSY_RETRY_SECONDS };
    }
    const { account, matches } = checked;
    if (account && matches && !account.disabled) {
      await this.refund(admission.perEmail);
      this.logger.log(`signed in: account=${account.id} ip=${ip}`);
      return {
        outcome: 'signed-in',
        accountId: account.id,
        mustChangePassword: account.mustChangePassword,
      };
    }
    this.logger.warn(
      `sign-in refused: email=${email} ip=${ip} reason=${!account ? 'unknown email' : !matches ? 'wrong password' : 'disabled account'}`,
    );
    return account && matches
      ? { outcome: 'disabled' }
      : { outcome: 'refused' };
  }

  /** The new password of an account whose one-time password was just checked. */
  setFirstPassword(
    accountId: string,
    newPassword: string,
    ip: string,
  ): Promise<void> {
    return setFirstPassword(
      this.dataSource,
      accountId,
      newPassword,
      ip || null,
    );
  }

  /** Counts the attempt against every limit at once; all of them must admit it. */
  private async admit(
    email: string,
    ip: string,
  ): Promise<
    | { outcome: 'admitted'; perEmail: CountedHit[] }
    | Exclude<SignInResult, { outcome: 'signed-in' | 'refused' }>
  > {
    const limits = this.settings.signIn;
    const windowMs = limits.windowSeconds * 1000;
    const hits = await Promise.allSettled([
      this.attempts.hit(
        `sign-in:${email}|${ip}`,
        limits.perEmailAndIp,
        windowMs,
      ),
      this.attempts.hit(`sign-in-email:${email}`, limits.perEmail, windowMs),
      this.attempts.hit('sign-in-all', limits.globalPerMinute, 60_000),
    ]);
    const counted = hits.flatMap((h) =>
      h.status === 'fulfilled' && h.value.counted ? [h.value.counted] : [],
    );
    const failed = hits.find((h) => h.status === 'rejected');
    if (failed) {
      await this.refund(counted);
      if (!(failed.reason instanceof RateLimitUnavailableError))
        throw failed.reason;
      return {
        outcome: 'unavailable',
        retryAfterSeconds: UNAVAILABLE_RETRY_SECONDS,
      };
    }
    const verdicts = hits.map((h) =>
      h.status === 'fulfilled' ? h.value : null,
    );
    const refused = verdicts.filter((v) => v && !v.allowed);
    if (refused.length) {
      // An attempt refused by one limit counts against none.
      await this.refund(counted);
      return {
        outcome: 'throttled',
        retryAfterSeconds: Math.max(
          ...refused.map((v) => v?.retryAfterSeconds ?? 1),
        ),
      };
    }
    const [perEmailAndIp, perEmail] = verdicts;
    return {
      outcome: 'admitted',
      perEmail: [perEmailAndIp?.counted, perEmail?.counted].filter(
        (c): c is CountedHit => !!c,
      ),
    };
  }

  private async refund(hits: CountedHit[]): Promise<void> {
    await Promise.all(hits.map((h) => this.attempts.refund(h)));
  }
}
