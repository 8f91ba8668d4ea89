import { applicationRedirectUris } from '../oidc-provider.factory';
import {
  escapeHtml,
  originOf,
  passwordChangePage,
  setPageHeaders,
  signInPage,
} from './pages';

describe('sign-in pages', () => {
  it('escapes every interpolated value', () => {
    const html = signInPage('n', {
      action: '/interaction/x/login',
      clientName: '<script>alert(1)</script>',
      email: '"><img src=x>',
      error: "it's <b>wrong</b>",
    });
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('it&#39;s &lt;b&gt;wrong&lt;/b&gt;');
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });

  it('links the error to the fields for screen readers', () => {
    const html = signInPage('n', {
      action: '/interaction/x/login',
      clientName: 'App',
      error: 'The email address or password is wrong.',
    });
    expect(html).toContain('role="alert" id="sign-in-error"');
    expect(html.match(/aria-describedby="sign-in-error"/g)).toHaveLength(2);
    expect(html).toContain('<label for="email">');
    expect(html).toContain('<label for="password">');
    expect(html).toContain('autocomplete="current-password"');
  });

  it('asks for a new password with labelled new-password fields, escaped, errors linked', () => {
    const html = passwordChangePage('n', {
      action: '/interaction/x/password',
      clientName: '<b>App</b>',
      email: '"><img src=x>',
      minLength: 12,
      error: 'The two passwords differ.',
    });
    expect(html).not.toContain('<img src=x>');
    expect(html).toContain('&lt;b&gt;App&lt;/b&gt;');
    expect(html).toContain('<label for="new-password">');
    expect(html).toContain('<label for="confirm-password">');
    expect(html.match(/autocomplete="new-password"/g)).toHaveLength(2);
    expect(html).toContain('autocomplete="username"');
    expect(html).toContain('minlength="12"');
    expect(html).toContain('role="alert" id="password-error"');
    expect(
      html.match(/aria-describedby="password-error password-rule"/g),
    ).toHaveLength(2);
    expect(html).toContain('action="/interaction/x/password"');
  });

  it('sets a strict CSP whose form-action allows only this server and the given origins', () => {
    const headers = new Map<string, string>();
    const nonce = setPageHeaders(
      { set: (k, v) => headers.set(k.toLowerCase(), v) },
      {
        secure: true,
        formTargets: [
          originOf('https://rp.example/cb?x=1'),
          originOf('javascript:alert(1)'),
          null,
        ],
      },
    );
    const csp = headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`style-src 'nonce-${nonce}'`);
    expect(csp).toContain("form-action 'self' https://rp.example;");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(headers.get('strict-transport-security')).toMatch(/max-age=/);
    expect(headers.get('cache-control')).toBe('no-store');
  });
});

describe('applicationRedirectUris', () => {
  it('keeps exact https URLs only', () => {
    expect(
      applicationRedirectUris([
        'https://app.example.com/cb',
        'http://app.example.com/cb',
        'https://localhost/cb',
        'https://app.example.com/cb#frag',
        'https://APP.example.com/cb',
        'not a url',
      ]),
    ).toEqual(['https://app.example.com/cb']);
  });
});
