/**
 * The portal's web server: static files with the SPA fallback, and `/portal/*` forwarded to
 * the auth server untouched (methods, streamed bodies, Set-Cookie, redirects).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    const { createAdminServer } = (await import(
      join(ROOT, 'apps/admin/server/admin-server.mjs')
    )) as {
      createAdminServer(options: {
        webRoot: string;
        authOrigin: string;
      }): Server;
    };
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
    const escape = await fetch(`${adminUrl}/..%2f..%2fetc/passwd`);
    expect(await escape.text()).toBe('<app-root></app-root>');
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
    const down = (
      (await import(join(ROOT, 'apps/admin/server/admin-server.mjs'))) as {
        createAdminServer(o: { webRoot: string; authOrigin: string }): Server;
      }
    ).createAdminServer({ webRoot, authOrigin: 'http://127.0.0.1:1' });
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
