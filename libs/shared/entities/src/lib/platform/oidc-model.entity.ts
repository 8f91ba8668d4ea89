import { Entity, Index, PrimaryColumn } from 'typeorm';
import { Instant, Str, Text } from '../columns';

/**
 * What the OAuth 2.0 / OIDC server (oidc-provider) persists: sessions, grants, codes,
 * refresh tokens, replay detection. One table for every model, the payload as JSON text
 * (its properties change between provider versions); the columns beside it are the lookups
 * the provider's adapter interface needs.
 */
@Entity({ name: 'oidc_models' })
@Index(['grantId'])
@Index(['uid'])
@Index(['userCode'])
@Index(['expiresAt'])
export class OidcModelEntity {
  @PrimaryColumn({ name: 'model', type: 'varchar', length: 48 })
  model!: string;

  @PrimaryColumn({ name: 'id', type: 'varchar', length: 255 })
  id!: string;

  @Text('payload', false)
  payload!: string;

  @Str('grant_id')
  grantId!: string | null;

  @Str('uid')
  uid!: string | null;

  @Str('user_code')
  userCode!: string | null;

  @Instant('expires_at')
  expiresAt!: Date | null;

  @Instant('consumed_at')
  consumedAt!: Date | null;
}
