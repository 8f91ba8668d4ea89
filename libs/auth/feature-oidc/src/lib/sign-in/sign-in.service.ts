import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  findAccountByEmail,
  normaliseEmail,
} from '@oneroster/data-access-auth';
import { hashSecret, verifySecret } from '@oneroster/util-secrets';
import type { RateLimitStore } from '@oneroster/util-rate-limit';
import {
  OIDC_RATE_LIMITS,
  OIDC_SETTINGS,
  OidcSettings,
} from '../oidc-settings';

/**
 * Checks an email and password for the sign-in form. Rules enforced:
 * - accounts come from `accounts`; the password is checked against its scrypt hash;
 * - a disabled account, an unknown email and a wrong password all get the same answer, and
 *   take the same time (an unknown email is checked against a throw-away hash);
 * - failed attempts are counted per (email, IP address), across instances when Redis is
 *   configured; once `loginRateLimit` failures are reached within the window, every attempt
 *   (even a right one) is refused with the seconds to wait, before any hashing;
 * - every outcome is logged with the email and IP address, never the password.
 */
export type SignInResult =
  | { outcome: 'signed-in'; accountId: string }
  | { outcome: 'refused' }
  | { outcome: 'throttled'; retryAfterSeconds: number };

@Injectable()
export class SignInService {
  private readonly logger = new Logger('sign-in');
  private readonly dummyHash = hashSecret('not a password of anyone');

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OIDC_SETTINGS) private readonly settings: OidcSettings,
    @Inject(OIDC_RATE_LIMITS) private readonly failures: RateLimitStore,
  ) {}

  async signIn(
    email: string,
    password: string,
    ip: string,
  ): Promise<SignInResult> {
    const key = `sign-in:${normaliseEmail(email)}|${ip}`;
    const verdict = await this.failures.check(
      key,
      this.settings.loginRateLimit,
    );
    if (!verdict.allowed) {
      this.logger.warn(`sign-in throttled: email=${email} ip=${ip}`);
      return {
        outcome: 'throttled',
        retryAfterSeconds: verdict.retryAfterSeconds,
      };
    }
    const account = email
      ? await findAccountByEmail(this.dataSource, email)
      : null;
    const matches = await verifySecret(
      password,
      account?.passwordHash ?? (await this.dummyHash),
    );
    if (account && matches && !account.disabled) {
      this.logger.log(`signed in: account=${account.id} ip=${ip}`);
      return { outcome: 'signed-in', accountId: account.id };
    }
    await this.failures.hit(
      key,
      this.settings.loginRateLimit,
      this.settings.loginRateWindowMs,
    );
    this.logger.warn(
      `sign-in refused: email=${email} ip=${ip} reason=${!account ? 'unknown email' : !matches ? 'wrong password' : 'disabled account'}`,
    );
    return { outcome: 'refused' };
  }
}
