import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { ONEROSTER_SCOPES } from '@oneroster/contracts';

/**
 * A stand-in token issuer for tests and benchmarks of the API: an ES256 key, its JWKS
 * served over real HTTP on 127.0.0.1, and a signer of RFC 9068 access tokens. The API is
 * configured with it exactly as with the real auth server (JWKS URL, issuer, audience).
 */
export interface TestIssuer {
  issuer: string;
  jwksUrl: string;
  audience: string;
  token(
    claims?: Record<string, unknown>,
    options?: TokenOptions,
  ): Promise<string>;
  /** A token signed by a key that is not in the JWKS. */
  foreignToken(claims?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

export interface TokenOptions {
  typ?: string;
  expiresIn?: string;
  audience?: string;
  issuer?: string;
}

export const ALL_ROSTER_SCOPES = [
  ONEROSTER_SCOPES.roster,
  ONEROSTER_SCOPES.rosterCore,
  ONEROSTER_SCOPES.rosterDemographics,
].join(' ');

export async function startTestIssuer(audience: string): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const other = await generateKeyPair('ES256');
  const jwk = {
    ...(await exportJWK(publicKey)),
    kid: 'test-key',
    alg: 'ES256',
    use: 'sig',
  };
  const server: Server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${base}/oidc`;
  const sign = (
    key: CryptoKey,
    claims: Record<string, unknown>,
    o: TokenOptions = {},
  ) =>
    new SignJWT({
      scope: ALL_ROSTER_SCOPES,
      client_id: 'test-client',
      ...claims,
    })
      .setProtectedHeader({
        alg: 'ES256',
        typ: o.typ ?? 'at+jwt',
        kid: 'test-key',
      })
      .setIssuer(o.issuer ?? issuer)
      .setAudience(o.audience ?? audience)
      .setSubject(String(claims['sub'] ?? 'test-client'))
      .setIssuedAt()
      .setExpirationTime(o.expiresIn ?? '5m')
      .sign(key);
  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    audience,
    token: (claims = {}, o = {}) => sign(privateKey, claims, o),
    foreignToken: (claims = {}) => sign(other.privateKey, claims),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
