import { contentSecurityPolicy } from './web-hygiene';

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
