/**
 * A browser stand-in for the sign-in tests: fetch with `redirect: 'manual'` and a cookie jar
 * that honours cookie paths and deletions, plus the steps of the OpenID Connect sign-in
 * (follow the auth server's redirects, post the sign-in form) up to the moment the browser
 * would leave for the client.
 */
interface StoredCookie {
  value: string;
  path: string;
  attributes: string;
}

export class CookieJar {
  private readonly cookies = new Map<string, StoredCookie>();

  /** Set-Cookie lines as received, by cookie name (the last one wins). */
  readonly received = new Map<string, string>();

  header(url: URL): string {
    return [...this.cookies.entries()]
      .filter(([, c]) => url.pathname.startsWith(c.path))
      .map(([key, c]) => `${key.split('\u0000')[0]}=${c.value}`)
      .join('; ');
  }

  store(url: URL, res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const attributes = attrs.join(';');
      const path =
        /path=([^;]+)/i.exec(attributes)?.[1]?.trim() ??
        url.pathname.replace(/\/[^/]*$/, '/');
      const key = `${name}\u0000${path}`;
      this.received.set(name, line);
      const expired =
        /max-age=0/i.test(attributes) ||
        /expires=Thu, 01 Jan 1970/i.test(attributes) ||
        value === '';
      if (expired) this.cookies.delete(key);
      else this.cookies.set(key, { value, path, attributes });
    }
  }

  has(name: string): boolean {
    return [...this.cookies.keys()].some((k) => k.startsWith(`${name}\u0000`));
  }
}

export class Browser {
  readonly jar = new CookieJar();

  async fetch(url: URL | string, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url);
    const headers = new Headers(init.headers);
    const cookie = this.jar.header(target);
    if (cookie) headers.set('cookie', cookie);
    const res = await fetch(target, { ...init, headers, redirect: 'manual' });
    this.jar.store(target, res);
    return res;
  }

  /** POSTs an urlencoded form. */
  post(
    url: URL | string,
    fields: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    return this.fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...headers,
      },
      body: new URLSearchParams(fields),
    });
  }
}

/** Where a browser ends up: sent to another origin (the client), or shown a page here. */
export type Landing =
  | { kind: 'redirect'; url: URL; status: number }
  | { kind: 'page'; url: URL; status: number; html: string; res: Response };

/** Follows redirects while they stay on `origin`. */
export async function follow(
  browser: Browser,
  start: URL | string,
  origin: string,
  first?: Response,
): Promise<Landing> {
  let url = new URL(start);
  let res = first ?? (await browser.fetch(url));
  for (let hops = 0; hops < 10; hops++) {
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      const next = new URL(location, url);
      if (next.origin !== origin)
        return { kind: 'redirect', url: next, status: res.status };
      url = next;
      res = await browser.fetch(url);
      continue;
    }
    return {
      kind: 'page',
      url,
      status: res.status,
      html: await res.text(),
      res,
    };
  }
  throw new Error('too many redirects');
}

/** The hidden inputs of the first form of a page (form_post responses, logout forms). */
export function formOf(html: string): {
  action: string;
  fields: Record<string, string>;
} {
  const action = /<form[^>]*action="([^"]*)"/i.exec(html)?.[1] ?? '';
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(
    /<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/gi,
  ))
    fields[m[1]] = decodeEntities(m[2]);
  return { action: decodeEntities(action), fields };
}

const decodeEntities = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#x2F;/gi, '/')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/**
 * Opens an authorization URL and signs in through the sign-in form when asked. Returns where
 * the browser lands after the form (or at once, when the request ends without sign-in).
 */
export async function signIn(
  browser: Browser,
  authorizationUrl: URL,
  credentials: { email: string; password: string },
): Promise<{ landing: Landing; signInPage?: Landing & { kind: 'page' } }> {
  const origin = authorizationUrl.origin;
  const first = await follow(browser, authorizationUrl, origin);
  if (first.kind !== 'page' || !/\/interaction\//.test(first.url.pathname))
    return { landing: first };
  const res = await browser.post(
    new URL(`${first.url.pathname}/login`, first.url),
    credentials,
    { origin },
  );
  const landing = await follow(
    browser,
    new URL(`${first.url.pathname}/login`, first.url),
    origin,
    res,
  );
  return { landing, signInPage: first };
}
