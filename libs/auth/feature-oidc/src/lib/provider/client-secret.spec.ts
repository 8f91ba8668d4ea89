import { once } from 'node:events';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Provider from 'oidc-provider';
import { hashSecret } from '@oneroster/util-secrets';
import { installClientSecretCheck, PATCHED_METHOD } from './client-secret';

// These tests hold oidc-provider to what client-secret.ts relies on: the method it replaces
// exists on the real Client class, takes the presented secret, and is what the token
// endpoint calls for client_secret_basic and client_secret_post.
describe('installClientSecretCheck', () => {
  const SECRET = 'a-client-secret-of-the-school';
  let ProviderClass: typeof Provider;
  let stored: string;
  let server: Server | undefined;

  beforeAll(async () => {
    ProviderClass = (await import('oidc-provider')).default;
    stored = await hashSecret(SECRET);
  });
  afterEach(async () => {
    server?.close();
    server = undefined;
  });

  const clientOf = (
    id: string,
    method: 'client_secret_basic' | 'client_secret_post',
  ) => ({
    client_id: id,
    client_secret: stored,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: method,
  });

  /** A real provider whose clients are registered with the scrypt hash as their secret. */
  async function serve() {
    server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const provider = new ProviderClass(issuer, {
      clients: [
        clientOf('basic-client', 'client_secret_basic'),
        clientOf('post-client', 'client_secret_post'),
      ],
      clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
      features: {
        clientCredentials: { enabled: true },
        devInteractions: { enabled: false },
      },
    });
    server.on('request', provider.callback());
    return { provider, issuer };
  }

  const basic = (issuer: string, secret: string) =>
    fetch(`${issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`basic-client:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
  const post = (issuer: string, secret: string) =>
    fetch(`${issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'post-client',
        client_secret: secret,
      }).toString(),
    });

  it('replaces a method of the real Client class that takes the presented secret', async () => {
    const { provider } = await serve();
    const prototype = provider.Client.prototype;
    expect(Object.getOwnPropertyNames(prototype)).toContain(PATCHED_METHOD);
    expect(typeof prototype[PATCHED_METHOD]).toBe('function');
    expect(prototype[PATCHED_METHOD].length).toBe(1);
    // oidc-provider's own comparison: the registered secret as plain text.
    const client = await provider.Client.find('basic-client');
    expect(await client?.compareClientSecret(stored)).toBe(true);
    expect(await client?.compareClientSecret(SECRET)).toBe(false);
  });

  it('is what the token endpoint calls, for client_secret_basic and client_secret_post', async () => {
    const { provider, issuer } = await serve();
    // Before the patch the provider compares plain text: the secret is refused.
    expect((await basic(issuer, SECRET)).status).toBe(401);

    const counted: string[] = [];
    installClientSecretCheck(provider, {
      ProviderClass,
      rateLimit: async (ctx, clientId) => {
        expect(ctx?.path).toBe('/token');
        counted.push(clientId);
      },
    });

    for (const send of [basic, post]) {
      const ok = await send(issuer, SECRET);
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ token_type: 'Bearer' });
      // The stored hash itself is not a secret any more.
      const refused = await send(issuer, stored);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ error: 'invalid_client' });
    }
    expect(counted).toEqual([
      'basic-client',
      'basic-client',
      'post-client',
      'post-client',
    ]);
  });

  it('accepts the previous secret too, and counts the rate limit first', async () => {
    const { provider } = await serve();
    let refuse = false;
    installClientSecretCheck(provider, {
      ProviderClass,
      rateLimit: async () => {
        if (refuse) throw new Error('over the limit');
      },
    });
    const client = (await provider.Client.find('basic-client')) as unknown as {
      compareClientSecret(actual: string): Promise<boolean>;
    } & Record<string, unknown>;
    client['previousSecretHash'] = await hashSecret('the-old-secret');
    expect(await client.compareClientSecret('the-old-secret')).toBe(true);
    expect(await client.compareClientSecret(SECRET)).toBe(true);
    expect(await client.compareClientSecret('another')).toBe(false);
    refuse = true;
    await expect(client.compareClientSecret(SECRET)).rejects.toThrow(
      'over the limit',
    );
  });

  it('refuses to start when the method is not there to replace', async () => {
    const { provider } = await serve();
    const prototype = provider.Client.prototype as unknown as Record<
      string,
      unknown
    >;
    delete prototype[PATCHED_METHOD];
    expect(() =>
      installClientSecretCheck(provider, {
        ProviderClass,
        rateLimit: async () => undefined,
      }),
    ).toThrow(/compareClientSecret/);
  });
});
