/**
 * The portal's web server: static files with the SPA fallback, and `/portal/*` forwarded to
 * the auth server untouched (methods, streamed bodies, Set-Cookie, redirects), with
 * X-Forwarded-For replaced (kept only as far as ADMIN_TRUST_PROXY trusts the hops) and the
 * path resolved before the `/portal` prefix is checked.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import {
  createServer,
  request,
  type IncomingMessage,
  type Server,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@oneroster/config';
import { ROOT } from './stack';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const listen = (server: Server) =>
  new Promise<string>((ok) =>
    server.listen(0, '127.0.0.1', () =>
      ok(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
const close = (server: Server) =>
  new Promise<void>((ok) => server.close(() => ok()));

type TrustProxy = false | number | string[];
interface AdminServerModule {
  createAdminServer(options: {
    webRoot: string;
    authOrigin: string;
    trustProxy?: TrustProxy;
  }): Server;
  parseTrustProxy(value: string | undefined, name?: string): TrustProxy;
}
const adminServerModule = () =>
  import(
    join(ROOT, 'apps/admin/server/admin-server.mjs')
  ) as Promise<AdminServerModule>;

/**
 * A request with its path sent exactly as given (fetch would resolve dots and backslashes
 * itself), from `localAddress`.
 */
function raw(
  base: string,
  path: string,
  options: { headers?: Record<string, string>; localAddress?: string } = {},
): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname,
        port,
        path,
        headers: options.headers,
        localAddress: options.localAddress ?? '127.0.0.1',
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** An inline script as Angular's build adds one (the stylesheet media swap). */
const INLINE =
  "document.querySelectorAll('link').forEach(function(l){l.media='all'})";

describe('admin-server', () => {
  let upstream: Server;
  let admin: Server;
  let adminUrl: string;
  let webRoot: string;
  const seen: Seen[] = [];

  beforeAll(async () => {
    webRoot = mkdtempSync(join(tmpdir(), 'admin-server-'));
    writeFileSync(join(webRoot, 'index.html'), '<app-root></app-root>');
    writeFileSync(
      join(webRoot, 'built.html'),
      `<script src="main.js" type="module"></script><script>${INLINE}</script>`,
    );
    writeFileSync(join(webRoot, 'main.js'), 'console.log(1)');
    upstream = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body,
        });
        if (req.url?.startsWith('/portal/auth/login')) {
          res.writeHead(302, {
            location: 'http://auth.test/oidc/auth?x=1',
            'set-cookie': [
              'portal_login=abc; Path=/portal; HttpOnly; SameSite=Lax',
              'other=1; Path=/portal',
            ],
          });
          res.end();
          return;
        }
        res.writeHead(409, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            statusCode: 409,
            error: 'conflict',
            message: 'taken',
          }),
        );
      });
    });
    const authUrl = await listen(upstream);
    const { createAdminServer } = await adminServerModule();
    admin = createAdminServer({ webRoot, authOrigin: authUrl });
    adminUrl = await listen(admin);
  });

  afterAll(async () => {
    await close(admin);
    await close(upstream);
    rmSync(webRoot, { recursive: true, force: true });
  });

  it('serves files, and index.html for any other path', async () => {
    const js = await fetch(`${adminUrl}/main.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript');
    expect(await js.text()).toBe('console.log(1)');
    const deep = await fetch(`${adminUrl}/school/s1/applications`);
    expect(await deep.text()).toBe('<app-root></app-root>');
  });

  it('resolves the path before checking the /portal prefix, and forwards what it resolved to', async () => {
    const forwarded = async (path: string) => {
      const before = seen.length;
      const res = await raw(adminUrl, path);
      return {
        status: res.status,
        upstream: seen.length > before ? seen.at(-1)?.url : undefined,
        body: res.body,
      };
    };
    for (const path of [
      '/x/../portal/api/me',
      '/portal%2fapi%2fme',
      '/portal//api/./me',
      '/portal\\api\\me',
      '/portal%5capi%5cme',
      '/./portal/x/%2e%2e/api/me',
    ])
      expect([path, await forwarded(path)]).toEqual([
        path,
        expect.objectContaining({ status: 409, upstream: '/portal/api/me' }),
      ]);
    expect((await forwarded('/portal/api/me?x=%2e%2e')).upstream).toBe(
      '/portal/api/me?x=%2e%2e',
    );
    expect((await forwarded('/portal/api/applications/a%20b')).upstream).toBe(
      '/portal/api/applications/a%20b',
    );
    // Out of the prefix: served as a page of the app, never forwarded.
    for (const path of [
      '/portal%2f..',
      '/portal/..',
      '/portal/api/../../oidc/token',
      '/portal%5c..%5cmain.js',
      '/portalx/api',
    ]) {
      const res = await forwarded(path);
      expect([path, res.upstream, res.status]).toEqual([path, undefined, 200]);
    }
    expect((await forwarded('/portal%5c..%5cmain.js')).body).toBe(
      'console.log(1)',
    );
  });

  it('answers 400 for a path that climbs above the root, a bad escape or a NUL', async () => {
    const before = seen.length;
    for (const path of [
      '/..%2f..%2fetc/passwd',
      '/../etc/passwd',
      '/%2e%2e/etc/passwd',
      '/portal/../../etc/passwd',
      '/portal/%2e%2e%5c%2e%2e%5cetc',
      '/portal/api/%zz',
      '/main.js%00.html',
    ]) {
      const res = await raw(adminUrl, path);
      expect([path, res.status]).toEqual([path, 400]);
      expect(JSON.parse(res.body)).toMatchObject({ error: 'invalid_request' });
    }
    expect(seen.length).toBe(before);
  });

  it("sends a CSP with frame-ancestors 'none' that allows the page's own inline scripts only", async () => {
    const page = await fetch(`${adminUrl}/built.html`);
    const csp = page.headers.get('content-security-policy') ?? '';
    const hash = createHash('sha256').update(INLINE).digest('base64');
    expect(csp).toContain(`script-src 'self' 'sha256-${hash}';`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    // Any route (the SPA fallback) and every asset carry it too.
    for (const path of ['/school/s1/applications', '/main.js']) {
      const res = await fetch(`${adminUrl}${path}`);
      expect(res.headers.get('content-security-policy')).toContain(
        "frame-ancestors 'none'",
      );
    }
  });

  it('passes redirects and every Set-Cookie through untouched', async () => {
    const res = await fetch(`${adminUrl}/portal/auth/login?returnTo=%2Fhome`, {
      redirect: 'manual',
      headers: { cookie: 'portal_session=s1' },
    });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('http://auth.test/oidc/auth?x=1');
    expect(res.headers.getSetCookie()).toEqual([
      'portal_login=abc; Path=/portal; HttpOnly; SameSite=Lax',
      'other=1; Path=/portal',
    ]);
    const request = seen.at(-1);
    expect(request?.url).toBe('/portal/auth/login?returnTo=%2Fhome');
    expect(request?.headers.cookie).toBe('portal_session=s1');
    expect(request?.headers['x-forwarded-host']).toBe(new URL(adminUrl).host);
  });

  it("replaces the client's X-Forwarded-* with the connection's (no proxy trusted)", async () => {
    await raw(adminUrl, '/portal/api/me', {
      headers: {
        'x-forwarded-for': '203.0.113.9, 198.51.100.7',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'evil.example',
      },
      localAddress: '127.0.0.2',
    });
    const request = seen.at(-1);
    expect(request?.headers['x-forwarded-for']).toBe('127.0.0.2');
    expect(request?.headers['x-forwarded-proto']).toBe('http');
    expect(request?.headers['x-forwarded-host']).toBe(new URL(adminUrl).host);
  });

  it('forwards any method with its body, headers and the answer status', async () => {
    const res = await fetch(`${adminUrl}/portal/api/applications/a1`, {
      method: 'PATCH',
      headers: {
        'content-type': 'application/json',
        'x-csrf-token': 't1',
      },
      body: JSON.stringify({ name: 'New' }),
    });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({
      statusCode: 409,
      error: 'conflict',
      message: 'taken',
    });
    const request = seen.at(-1);
    expect(request).toMatchObject({
      method: 'PATCH',
      url: '/portal/api/applications/a1',
      body: '{"name":"New"}',
    });
    expect(request?.headers['x-csrf-token']).toBe('t1');
  });

  it('answers 502 in the portal error shape when the auth server is down', async () => {
    const down = (await adminServerModule()).createAdminServer({
      webRoot,
      authOrigin: 'http://127.0.0.1:1',
    });
    const url = await listen(down);
    try {
      const res = await fetch(`${url}/portal/api/me`);
      expect(res.status).toBe(502);
      expect(((await res.json()) as { error: string }).error).toBe(
        'bad_gateway',
      );
    } finally {
      await close(down);
    }
  });
});

describe('admin-server behind trusted proxies (ADMIN_TRUST_PROXY)', () => {
  let upstream: Server;
  let webRoot: string;
  let authUrl: string;
  const seen: IncomingMessage['headers'][] = [];
  const servers: Server[] = [];

  beforeAll(async () => {
    webRoot = mkdtempSync(join(tmpdir(), 'admin-server-trust-'));
    writeFileSync(join(webRoot, 'index.html'), '<app-root></app-root>');
    upstream = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(204).end();
    });
    authUrl = await listen(upstream);
  });

  afterAll(async () => {
    for (const s of servers) await close(s);
    await close(upstream);
    rmSync(webRoot, { recursive: true, force: true });
  });

  const start = async (setting: string) => {
    const { createAdminServer, parseTrustProxy } = await adminServerModule();
    const server = createAdminServer({
      webRoot,
      authOrigin: authUrl,
      trustProxy: parseTrustProxy(setting),
    });
    servers.push(server);
    return listen(server);
  };

  /** The headers the auth server receives for one request from `localAddress`. */
  const upstreamHeaders = async (
    base: string,
    localAddress: string,
    headers: Record<string, string>,
  ) => {
    const res = await raw(base, '/portal/api/me', { headers, localAddress });
    expect(res.status).toBe(204);
    return seen.at(-1) ?? {};
  };

  it('with one proxy trusted, keeps the hop it appended and drops what the client wrote', async () => {
    const base = await start('1');
    const headers = await upstreamHeaders(base, '127.0.0.2', {
      'x-forwarded-for': '203.0.113.9, 198.51.100.7',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'portal.example.org',
    });
    expect(headers['x-forwarded-for']).toBe('198.51.100.7, 127.0.0.2');
    expect(headers['x-forwarded-proto']).toBe('https');
    expect(headers['x-forwarded-host']).toBe('portal.example.org');
    const direct = await upstreamHeaders(base, '127.0.0.3', {});
    expect(direct['x-forwarded-for']).toBe('127.0.0.3');
  });

  it("with a list, keeps only a listed proxy's headers", async () => {
    const base = await start('127.0.0.2/32');
    const viaProxy = await upstreamHeaders(base, '127.0.0.2', {
      'x-forwarded-for': '203.0.113.9, 198.51.100.7',
      'x-forwarded-proto': 'https',
    });
    expect(viaProxy['x-forwarded-for']).toBe('198.51.100.7, 127.0.0.2');
    expect(viaProxy['x-forwarded-proto']).toBe('https');
    const other = await upstreamHeaders(base, '127.0.0.3', {
      'x-forwarded-for': '198.51.100.7',
      'x-forwarded-proto': 'https',
    });
    expect(other['x-forwarded-for']).toBe('127.0.0.3');
    expect(other['x-forwarded-proto']).toBe('http');
  });

  it('reads ADMIN_TRUST_PROXY exactly as the configuration checks it at start', async () => {
    const { parseTrustProxy } = await adminServerModule();
    for (const value of [
      '',
      'false',
      'off',
      '0',
      '1',
      '2',
      'true',
      '10.0.0.0/8, ::1,loopback',
    ])
      expect([value, parseTrustProxy(value)]).toEqual([
        value,
        loadConfig({ ADMIN_TRUST_PROXY: value }).admin.trustProxy,
      ]);
    for (const bad of ['everything', '10.0.0.0/33', '-1']) {
      expect(() => parseTrustProxy(bad)).toThrow(/^ADMIN_TRUST_PROXY must be/);
      expect(() => loadConfig({ ADMIN_TRUST_PROXY: bad })).toThrow(
        /^ADMIN_TRUST_PROXY must be/,
      );
    }
  });
});
