import { MigrationInterface, QueryRunner } from 'typeorm';
import { digestStoredOidcTokens } from '../oidc-token-digests';

/** Refresh tokens and authorization codes stored by digest (no schema change). */
export class OidcTokenDigests1795739600000 implements MigrationInterface {
  name = 'OidcTokenDigests1795739600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await digestStoredOidcTokens(queryRunner);
  }

  public async down(): Promise<void> {
    // Irreversible: the tokens cannot be recovered from their digests.
  }
}
