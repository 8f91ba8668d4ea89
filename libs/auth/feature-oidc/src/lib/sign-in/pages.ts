import { randomBytes } from 'node:crypto';

/**
 * The auth server's own HTML pages (sign-in, sign-out, errors) and their security headers.
 * Rules enforced:
 * - no external assets: one inline style sheet, allowed by a per-response CSP nonce; no script;
 * - CSP `default-src 'none'`, `frame-ancestors 'none'` (no clickjacking), `base-uri 'none'`;
 *   `form-action` allows this server plus the origin the flow ends at (the client's redirect
 *   or post-logout URI), because browsers apply `form-action` to the redirects that follow a
 *   form submission; without it the fragment and post-logout redirects would be blocked;
 * - nosniff, no referrer, no caching, no framing, same-origin opener isolation, HSTS on https;
 * - every interpolated value is HTML-escaped;
 * - accessible: one `main` landmark and `h1`, labelled fields with autocomplete hints, errors
 *   in a `role="alert"` region the fields point to (`aria-describedby`, `aria-invalid`), large
 *   targets, visible focus, readable at 320 px wide.
 */
export interface PageHeaders {
  set(name: string, value: string): void;
}

export const escapeHtml = (value: string): string =>
  value.replace(
    /[&<>"']/g,
    (c) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[
        c
      ] ?? c,
  );

/** The web origin of `uri` when it is an absolute http(s) URL, for `form-action`. */
export function originOf(uri: unknown): string | null {
  if (typeof uri !== 'string') return null;
  try {
    const u = new URL(uri);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.origin : null;
  } catch {
    return null;
  }
}

/** Sets the security headers of one page and returns its style nonce. */
export function setPageHeaders(
  headers: PageHeaders,
  options: { secure: boolean; formTargets?: (string | null)[] },
): string {
  const nonce = randomBytes(16).toString('base64');
  const targets = [
    "'self'",
    ...new Set((options.formTargets ?? []).filter((o): o is string => !!o)),
  ];
  headers.set(
    'Content-Security-Policy',
    [
      "default-src 'none'",
      `style-src 'nonce-${nonce}'`,
      `form-action ${targets.join(' ')}`,
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join('; '),
  );
  headers.set('X-Content-Type-Options', 'nosniff');
  headers.set('X-Frame-Options', 'DENY');
  headers.set('Referrer-Policy', 'no-referrer');
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cache-Control', 'no-store');
  if (options.secure)
    headers.set('Strict-Transport-Security', 'max-age=31536000');
  return nonce;
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:1rem;line-height:1.5;color:#1b1b1b;background:#f3f4f6}
main{max-width:26rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:.5rem;box-shadow:0 1px 3px rgba(0,0,0,.2)}
@media (max-width:30rem){main{margin:0;min-height:100vh;border-radius:0;box-shadow:none}}
h1{font-size:1.5rem;margin:0 0 1rem}
p{margin:0 0 1rem}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
input{display:block;width:100%;font:inherit;padding:.625rem .75rem;border:2px solid #6b7280;border-radius:.375rem}
input[aria-invalid=true]{border-color:#b00020}
button{font:inherit;font-weight:600;min-height:2.75rem;padding:.5rem 1.25rem;margin-top:1.5rem;border:2px solid #1d4ed8;border-radius:.375rem;background:#1d4ed8;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#1d4ed8;margin-left:.5rem}
input:focus-visible,button:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.alert{padding:.75rem 1rem;border-left:4px solid #b00020;background:#fdecee;color:#7a0014}
.muted{color:#4b5563;font-size:.875rem}
`;

function layout(nonce: string, title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · OneRoster Exchange</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

export interface SignInPage {
  action: string;
  clientName: string;
  email?: string;
  error?: string;
}

export function signInPage(nonce: string, page: SignInPage): string {
  const error = page.error
    ? `<p class="alert" role="alert" id="sign-in-error">${escapeHtml(page.error)}</p>`
    : '<div role="alert" id="sign-in-error"></div>';
  const invalid = page.error
    ? ' aria-invalid="true" aria-describedby="sign-in-error"'
    : '';
  return layout(
    nonce,
    'Sign in',
    `<h1>Sign in</h1>
<p>to continue to <strong>${escapeHtml(page.clientName)}</strong></p>
${error}
<form method="post" action="${escapeHtml(page.action)}" novalidate>
<label for="email">Email address</label>
<input id="email" name="email" type="email" autocomplete="username" required maxlength="320" value="${escapeHtml(page.email ?? '')}"${invalid}${page.error ? '' : ' autofocus'}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024"${invalid}${page.error ? ' autofocus' : ''}>
<button type="submit">Sign in</button>
</form>
<form method="post" action="${escapeHtml(page.action.replace(/\/login$/, '/abort'))}">
<button type="submit" class="secondary">Cancel</button>
</form>`,
  );
}

export interface PasswordChangePage {
  action: string;
  clientName: string;
  email: string;
  minLength: number;
  error?: string;
}

/**
 * The forced password change of a first sign-in (or after a reset): shown once the one-time
 * password was right, before the sign-in completes. The email rides along as a hidden
 * `username` field so that password managers file the new password under it.
 */
export function passwordChangePage(
  nonce: string,
  page: PasswordChangePage,
): string {
  const error = page.error
    ? `<p class="alert" role="alert" id="password-error">${escapeHtml(page.error)}</p>`
    : '<div role="alert" id="password-error"></div>';
  const invalid = page.error
    ? ' aria-invalid="true" aria-describedby="password-error password-rule"'
    : ' aria-describedby="password-rule"';
  return layout(
    nonce,
    'Choose a new password',
    `<h1>Choose a new password</h1>
<p>Your password was set for you and works only once. Choose your own before you continue to <strong>${escapeHtml(page.clientName)}</strong>.</p>
${error}
<form method="post" action="${escapeHtml(page.action)}" novalidate>
<input type="hidden" name="username" autocomplete="username" value="${escapeHtml(page.email)}">
<label for="new-password">New password</label>
<input id="new-password" name="newPassword" type="password" autocomplete="new-password" required minlength="${page.minLength}" maxlength="1024"${invalid} autofocus>
<p class="muted" id="password-rule">At least ${page.minLength} characters, not your email address.</p>
<label for="confirm-password">Repeat the new password</label>
<input id="confirm-password" name="confirmPassword" type="password" autocomplete="new-password" required maxlength="1024"${invalid}>
<button type="submit">Set password and continue</button>
</form>`,
  );
}

export function messagePage(
  nonce: string,
  title: string,
  message: string,
): string {
  return layout(
    nonce,
    title,
    `<h1>${escapeHtml(title)}</h1>
<p role="alert">${escapeHtml(message)}</p>`,
  );
}

/** oidc-provider's logout confirmation: `form` is its hidden form (id `op.logoutForm`). */
export function signOutPage(
  nonce: string,
  form: string,
  clientName: string | null,
): string {
  return layout(
    nonce,
    'Sign out',
    `<h1>Sign out</h1>
<p>${clientName ? `${escapeHtml(clientName)} asks you to sign out.` : 'Do you want to sign out?'} This ends your OneRoster Exchange session on this device.</p>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Sign out</button>
<button type="submit" form="op.logoutForm" class="secondary">Stay signed in</button>`,
  );
}
