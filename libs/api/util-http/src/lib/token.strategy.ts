import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { KeyObject } from 'node:crypto';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { Principal } from './principal';

/**
 * Verifies OneRoster API access tokens (RFC 9068 JWT access tokens). Rules enforced:
 * - Bearer token in the Authorization header only;
 * - header `typ` must be `at+jwt` (an ID token or other JWT is refused);
 * - algorithm from an allow-list (never `none`, never HMAC with a public key);
 * - signature against the issuer's JWKS, fetched by URL and cached (keys rotate by `kid`);
 *   each key is handed to the JWT library as a KeyObject made once per key, not re-encoded
 *   and parsed again on every request;
 * - `iss`, `aud` and `exp` checked by the JWT library; 30 s clock tolerance;
 * - the claim `oneroster_booleans: "string"` asks for string booleans; anything else: JSON.
 */
export const TOKEN_SETTINGS = Symbol('TOKEN_SETTINGS');

export interface TokenSettings {
  issuer: string;
  audience: string;
  jwksUrl: string;
}

export const ALLOWED_ALGORITHMS = ['ES256', 'ES384', 'RS256', 'PS256'] as const;

type JwksResolver = (header: { alg: string; kid?: string }) => Promise<unknown>;

@Injectable()
export class AccessTokenStrategy extends PassportStrategy(
  Strategy,
  'oneroster-token',
) {
  constructor(@Inject(TOKEN_SETTINGS) settings: TokenSettings) {
    let jwks: Promise<JwksResolver> | null = null;
    // The JWKS cache answers the same key object for a kid until the keys change.
    const keyObjects = new WeakMap<object, KeyObject>();
    const keyObjectOf = (key: unknown): KeyObject => {
      if (key instanceof KeyObject) return key;
      let made = keyObjects.get(key as object);
      if (!made) {
        made = KeyObject.from(key as CryptoKey);
        keyObjects.set(key as object, made);
      }
      return made;
    };
    const resolver = () =>
      (jwks ??= import('jose').then(
        (jose) =>
          jose.createRemoteJWKSet(new URL(settings.jwksUrl), {
            cooldownDuration: 30_000,
            cacheMaxAge: 600_000,
          }) as JwksResolver,
      ));
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      issuer: settings.issuer,
      audience: settings.audience,
      algorithms: [...ALLOWED_ALGORITHMS],
      jsonWebTokenOptions: { clockTolerance: 30 },
      secretOrKeyProvider: (
        _req: unknown,
        rawJwt: string,
        done: (err: unknown, key?: string) => void,
      ) => {
        void (async () => {
          try {
            const jose = await import('jose');
            const header = jose.decodeProtectedHeader(rawJwt);
            if (
              typeof header.typ !== 'string' ||
              header.typ.toLowerCase().replace(/^application\//, '') !==
                'at+jwt'
            ) {
              return done(
                new Error('not an access token (typ must be at+jwt)'),
              );
            }
            if (
              !header.alg ||
              !(ALLOWED_ALGORITHMS as readonly string[]).includes(header.alg)
            ) {
              return done(new Error('algorithm not allowed'));
            }
            const key = await (
              await resolver()
            )({ alg: header.alg, kid: header.kid });
            // passport-jwt hands the key to jsonwebtoken's verify as it is, which takes a
            // KeyObject (its typings say string | Buffer only).
            done(null, keyObjectOf(key) as unknown as string);
          } catch (err) {
            done(err);
          }
        })();
      },
    });
  }

  validate(payload: Record<string, unknown>): Principal {
    const schoolIds = Array.isArray(payload['school_ids'])
      ? payload['school_ids'].filter((s): s is string => typeof s === 'string')
      : [];
    const scope = typeof payload['scope'] === 'string' ? payload['scope'] : '';
    const str = (k: string) =>
      typeof payload[k] === 'string' ? (payload[k] as string) : null;
    return {
      schoolIds,
      scopes: scope.split(' ').filter(Boolean),
      clientId: str('client_id'),
      integratorId: str('integrator_id'),
      userId:
        str('client_id') !== null && str('sub') !== str('client_id')
          ? str('sub')
          : null,
      booleans: str('oneroster_booleans') === 'string' ? 'string' : 'json',
    };
  }
}
