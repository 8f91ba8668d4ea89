// The admin portal's web server: serves the built single-page app (index.html for any route)
// and forwards `/portal/*` to the auth server, so the browser sees one origin for the pages,
// the portal API and the sign-in callback (the session cookie is first-party, `Path=/portal`).
//
// Forwarding rules: every method; request and response bodies are streamed, never buffered;
// status, `Set-Cookie` and `Location` pass through untouched (redirects are the browser's to
// follow); the original `Host` is kept and `X-Forwarded-For/-Proto/-Host` are added.
//
// Page rules: every file served carries the portal's Content-Security-Policy (scripts only
// from this origin plus the build's own inline scripts, by SHA-256 hash; inline styles, which
// Angular's components use; calls only to this origin; no plugins; `frame-ancestors 'none'`
// against clickjacking), `X-Frame-Options: DENY`, `nosniff` and `Referrer-Policy: no-referrer`.
// Answers forwarded from the auth server keep its own headers.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { extname, join, normalize, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.ico': 'image/x-icon',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/** Hop-by-hop headers (RFC 9110 §7.6.1) are the connection's, not the message's. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
]);

function isPortalPath(pathname) {
  return pathname === '/portal' || pathname.startsWith('/portal/');
}

function forward(req, res, authOrigin) {
  const target = new URL(req.url ?? '/', authOrigin);
  const headers = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (!HOP_BY_HOP.has(name)) headers[name] = value;
  }
  const peer = req.socket.remoteAddress ?? '';
  headers['x-forwarded-for'] = req.headers['x-forwarded-for']
    ? `${req.headers['x-forwarded-for']}, ${peer}`
    : peer;
  headers['x-forwarded-proto'] = req.socket.encrypted ? 'https' : 'http';
  if (req.headers.host) headers['x-forwarded-host'] = req.headers.host;

  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const upstream = send(target, { method: req.method, headers }, (answer) => {
    const out = {};
    for (const [name, value] of Object.entries(answer.headers)) {
      if (!HOP_BY_HOP.has(name) && value !== undefined) out[name] = value;
    }
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, out);
    answer.pipe(res);
  });
  upstream.on('error', () => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(502, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        statusCode: 502,
        error: 'bad_gateway',
        message: 'The authorization server did not answer.',
      }),
    );
  });
  req.on('aborted', () => upstream.destroy());
  req.pipe(upstream);
}

/** The SHA-256 CSP sources of the inline scripts of an HTML page (`<script>` without src). */
export function inlineScriptHashes(html) {
  const hashes = [];
  for (const [, attributes, body] of html.matchAll(
    /<script\b([^>]*)>([\s\S]*?)<\/script>/gi,
  )) {
    if (/\bsrc\s*=/i.test(attributes) || !body) continue;
    hashes.push(
      `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`,
    );
  }
  return hashes;
}

/** The portal's Content-Security-Policy for a page whose inline scripts are `hashes`. */
export function portalContentSecurityPolicy(hashes = []) {
  return [
    "default-src 'self'",
    `script-src 'self'${hashes.map((h) => ` ${h}`).join('')}`,
    "script-src-attr 'none'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The CSP of index.html, by the file's modification time (the build rewrites it). */
const policies = new Map();
function policyFor(file) {
  if (extname(file) !== '.html') return portalContentSecurityPolicy();
  const mtime = statSync(file).mtimeMs;
  const known = policies.get(file);
  if (known?.mtime === mtime) return known.policy;
  const policy = portalContentSecurityPolicy(
    inlineScriptHashes(readFileSync(file, 'utf8')),
  );
  policies.set(file, { mtime, policy });
  return policy;
}

function serveFile(req, res, webRoot) {
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  } catch {
    res.writeHead(400).end();
    return;
  }
  const path = normalize(pathname).replace(/^(\.\.[/\\])+/, '');
  let file = join(webRoot, path);
  if (
    !file.startsWith(webRoot) ||
    !existsSync(file) ||
    statSync(file).isDirectory()
  )
    file = join(webRoot, 'index.html');
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-security-policy': policyFor(file),
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  createReadStream(file).pipe(res);
}

/**
 * @param {{ webRoot: string; authOrigin: string }} options
 *   webRoot: the built app (`dist/apps/admin/browser`); authOrigin: e.g. `http://127.0.0.1:3333`.
 */
export function createAdminServer({ webRoot, authOrigin }) {
  const root = resolve(webRoot);
  return createServer((req, res) => {
    const pathname = (req.url ?? '/').split('?')[0];
    if (isPortalPath(pathname)) forward(req, res, authOrigin);
    else serveFile(req, res, root);
  });
}

// As a command: node apps/admin/server/admin-server.mjs <webRoot> <authOrigin> <port>
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [webRoot, authOrigin, port] = process.argv.slice(2);
  if (!webRoot || !authOrigin || !port) {
    console.error('usage: admin-server.mjs <webRoot> <authOrigin> <port>');
    process.exit(2);
  }
  const server = createAdminServer({ webRoot, authOrigin });
  server.listen(Number(port), () =>
    console.warn(`admin portal on port ${port}, /portal → ${authOrigin}`),
  );
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
