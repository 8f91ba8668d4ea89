import type { Request, Response } from 'express';
import { PORTAL_SESSION_COOKIE } from '@oneroster/contracts';

/** The sign-in under way (between login and callback), only sent to /portal/auth. */
export const PORTAL_LOGIN_COOKIE = 'portal_login';

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    if (part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * Cookie attributes: HttpOnly (scripts never see it), SameSite=Lax (not sent on cross-site
 * POSTs), Path=/portal, Secure when the portal is served over https.
 */
export function setCookie(
  res: Response,
  name: string,
  value: string,
  options: { secure: boolean; path: string; maxAgeSeconds?: number },
): void {
  const parts = [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${options.path}`,
    'HttpOnly',
    'SameSite=Lax',
  ];
  if (options.secure) parts.push('Secure');
  if (options.maxAgeSeconds !== undefined)
    parts.push(`Max-Age=${options.maxAgeSeconds}`);
  res.append('Set-Cookie', parts.join('; '));
}

export const clearCookie = (
  res: Response,
  name: string,
  options: { secure: boolean; path: string },
) => setCookie(res, name, '', { ...options, maxAgeSeconds: 0 });

export const SESSION_COOKIE_PATH = '/portal';
export const LOGIN_COOKIE_PATH = '/portal/auth';
export { PORTAL_SESSION_COOKIE };
