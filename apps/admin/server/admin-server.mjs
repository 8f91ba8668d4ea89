// The admin portal's web server: serves the built single-page app (index.html for any route)
// and forwards `/portal/*` to the auth server, so the browser sees one origin for the pages,
// the portal API and the sign-in callback (the session cookie is first-party, `Path=/portal`).
//
// Forwarding rules: every method; request and response bodies are streamed, never buffered;
// status, `Set-Cookie` and `Location` pass through untouched (redirects are the browser's to
// follow); the original `Host` is kept. `X-Forwarded-For` is replaced: by the peer's address,
// or, when ADMIN_TRUST_PROXY trusts the peer, by the trusted chain read from the right
// (proxy-addr, as Express reads it: a client cannot hand its own address on);
// `X-Forwarded-Proto/-Host` are the connection's unless a trusted peer sent them.
//
// Path rules: the path is decoded, backslashes read as `/`, empty and `.` segments dropped and
// `..` resolved before anything looks at it, so `/x/../portal/…` and `/portal%2f..` are read
// as what they resolve to on either side of the `/portal` prefix; a bad escape, a NUL or a
// path that climbs above the root answers 400. The resolved path is what is forwarded.
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
import { extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import proxyAddr from 'proxy-addr';

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

/**
 * A trust-proxy setting as libs/shared/config reads AUTH_TRUST_PROXY and ADMIN_TRUST_PROXY
 * (that library checks the variable at start; this reads the same text the same way):
 * unset/false/0/no/off → false; a whole number → that many proxies; true/yes/on → 1, with a
 * warning; otherwise a comma-separated list of addresses/CIDRs, each checked by proxy-addr.
 * @param {string | undefined} value
 * @param {string} [name] the variable, for messages
 * @param {(message: string) => void} [warn]
 * @returns {false | number | string[]}
 */
export function parseTrustProxy(value, name = 'ADMIN_TRUST_PROXY', warn) {
  const v = (value ?? '').trim();
  if (v === '' || /^(0|false|no|off)$/i.test(v)) return false;
  if (/^(true|yes|on)$/i.test(v)) {
    warn?.(
      `${name}=${v} is read as 1 (one proxy in front): set the number of proxies or their addresses`,
    );
    return 1;
  }
  if (/^\d+$/.test(v)) return Number(v);
  const list = v
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  for (const entry of list) {
    try {
      proxyAddr.compile(entry);
    } catch {
      throw new Error(
        `${name} must be false, a number of proxies, or a comma-separated list of proxy addresses or CIDR ranges, got "${entry}"`,
      );
    }
  }
  return list;
}

/** proxy-addr's trust function for a parsed setting (as @oneroster/util-web-hygiene builds it). */
function compileTrust(trust) {
  if (trust === false) return () => false;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return proxyAddr.compile([...trust]);
}

/**
 * The request path resolved: decoded once, backslashes read as `/`, empty and `.` segments dropped,
 * `..` applied; a trailing `/` kept. `null` for a bad escape, a NUL, or a climb above the root.
 * @param {string} raw the path part of the request target (before `?`)
 * @returns {{ path: string; encoded: string } | null}
 */
export function resolvePath(raw) {
  let decoded;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const unified = decoded.replaceAll('\\', '/');
  const segments = [];
  for (const segment of unified.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (!segments.length) return null;
      segments.pop();
    } else segments.push(segment);
  }
  const tail = segments.length && unified.endsWith('/') ? '/' : '';
  return {
    path: `/${segments.join('/')}${tail}`,
    encoded: `/${segments.map(encodeURIComponent).join('/')}${tail}`,
  };
}

function forward(req, res, target, trust) {
  const headers = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (!HOP_BY_HOP.has(name)) headers[name] = value;
  }
  // [peer, …trusted proxies, client], nearest first; sent as the header lists them.
  headers['x-forwarded-for'] = proxyAddr.all(req, trust).reverse().join(', ');
  const trustedPeer = trust(req.socket.remoteAddress ?? '', 0);
  if (!trustedPeer || !headers['x-forwarded-proto'])
    headers['x-forwarded-proto'] = req.socket.encrypted ? 'https' : 'http';
  if (!trustedPeer || !headers['x-forwarded-host']) {
    if (req.headers.host) headers['x-forwarded-host'] = req.headers.host;
    else delete headers['x-forwarded-host'];
  }

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

function serveFile(res, webRoot, path) {
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

function badPath(res) {
  res.writeHead(400, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      statusCode: 400,
      error: 'invalid_request',
      message: 'The request path is not valid.',
    }),
  );
}

/**
 * @param {{ webRoot: string; authOrigin: string; trustProxy?: false | number | string[] }} options
 *   webRoot: the built app (`dist/apps/admin/browser`); authOrigin: e.g. `http://127.0.0.1:3333`;
 *   trustProxy: which peers' X-Forwarded-* are kept (`parseTrustProxy`; default none).
 */
export function createAdminServer({ webRoot, authOrigin, trustProxy = false }) {
  const root = resolve(webRoot);
  const trust = compileTrust(trustProxy);
  return createServer((req, res) => {
    const raw = req.url ?? '/';
    const query = raw.indexOf('?');
    const resolved = resolvePath(query < 0 ? raw : raw.slice(0, query));
    if (!resolved) {
      badPath(res);
      return;
    }
    if (isPortalPath(resolved.path)) {
      const search = query < 0 ? '' : raw.slice(query);
      forward(req, res, new URL(resolved.encoded + search, authOrigin), trust);
    } else serveFile(res, root, resolved.path);
  });
}

// As a command: node apps/admin/server/admin-server.mjs <webRoot> <authOrigin> <port>
// (ADMIN_TRUST_PROXY from the environment).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [webRoot, authOrigin, port] = process.argv.slice(2);
  if (!webRoot || !authOrigin || !port) {
    console.error('usage: admin-server.mjs <webRoot> <authOrigin> <port>');
    process.exit(2);
  }
  let trustProxy;
  try {
    trustProxy = parseTrustProxy(
      process.env.ADMIN_TRUST_PROXY,
      'ADMIN_TRUST_PROXY',
      (m) => console.warn(m),
    );
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
  const server = createAdminServer({ webRoot, authOrigin, trustProxy });
  server.listen(Number(port), () =>
    console.warn(`admin portal on port ${port}, /portal → ${authOrigin}`),
  );
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
