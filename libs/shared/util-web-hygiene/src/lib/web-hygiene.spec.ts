import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  applyKeepAlive,
  contentSecurityPolicy,
  securityHeaders,
} from './web-hygiene';

describe('contentSecurityPolicy', () => {
  it('allows only the app itself, plus the origins it must call', () => {
    const csp = contentSecurityPolicy({
      connectSources: ['https://auth.example.org'],
    });
    expect(csp['default-src']).toEqual(["'self'"]);
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(csp['object-src']).toEqual(["'none'"]);
    expect(csp['form-action']).toEqual(["'self'"]);
    expect(csp['connect-src']).toEqual(["'self'", 'https://auth.example.org']);
    expect(csp['upgrade-insecure-requests']).toBeNull();
    expect(
      contentSecurityPolicy({ upgradeInsecureRequests: true })[
        'upgrade-insecure-requests'
      ],
    ).toEqual([]);
  });

  it('lets an app replace or drop a directive (form_post on the auth server)', () => {
    const csp = contentSecurityPolicy({
      directives: {
        'form-action': null,
        'script-src': ["'self'", "'sha256-abc'"],
      },
    });
    expect(csp['form-action']).toBeNull();
    expect(csp['script-src']).toEqual(["'self'", "'sha256-abc'"]);
    expect(csp['default-src']).toEqual(["'self'"]);
  });
});

describe('securityHeaders', () => {
  it("lists helmet's headers with the app's Content-Security-Policy", () => {
    const headers = new Map(
      securityHeaders({ directives: { 'form-action': null } }).map(
        ([name, value]) => [name.toLowerCase(), value],
      ),
    );
    expect(headers.get('content-security-policy')).toContain(
      "default-src 'self'",
    );
    expect(headers.get('content-security-policy')).not.toContain('form-action');
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('referrer-policy')).toBe('no-referrer');
    expect(headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    // No page may be framed (clickjacking).
    expect(headers.get('x-frame-options')).toBe('DENY');
    expect(headers.get('content-security-policy')).toContain(
      "frame-ancestors 'none'",
    );
    expect(headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(headers.has('x-powered-by')).toBe(false);
  });
});

describe('applyKeepAlive', () => {
  it('keeps idle connections for the time given and says so in Keep-Alive', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    applyKeepAlive(server, 65_000);
    expect(server.keepAliveTimeout).toBe(65_000);
    expect(server.headersTimeout).toBeGreaterThan(65_000);
    expect(server.requestTimeout).toBeGreaterThanOrEqual(server.headersTimeout);
    await new Promise<void>((resolve) =>
      server.listen(0, '127.0.0.1', resolve),
    );
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/`);
      await res.text();
      expect(res.headers.get('keep-alive')).toBe('timeout=65');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
