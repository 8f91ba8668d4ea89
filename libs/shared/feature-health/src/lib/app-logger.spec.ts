import { AppLogger } from './app-logger';

describe('AppLogger', () => {
  it("prints Nest's format, without colours off a terminal, and only enabled levels", () => {
    const lines: string[] = [];
    const tty = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
    Object.defineProperty(process.stdout, 'isTTY', {
      value: false,
      configurable: true,
    });
    const write = jest
      .spyOn(process.stdout, 'write')
      .mockImplementation((chunk: string | Uint8Array) => {
        lines.push(String(chunk));
        return true;
      });
    try {
      const logger = new AppLogger(['error', 'warn', 'log']);
      logger.log('token issued', 'oidc');
      logger.debug('not shown', 'oidc');
    } finally {
      write.mockRestore();
      if (tty) Object.defineProperty(process.stdout, 'isTTY', tty);
      else delete (process.stdout as { isTTY?: boolean }).isTTY;
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\[Nest\] \d+ {2}- \S+, \d+:\d\d:\d\d [AP]M {5}LOG \[oidc\] token issued\n$/,
    );
    // eslint-disable-next-line no-control-regex
    expect(lines[0]).not.toMatch(/\x1b\[/);
  });

  it('keeps every entry on one line whatever the message carries (no CR/LF injection)', () => {
    const lines: string[] = [];
    const write = jest
      .spyOn(process.stdout, 'write')
      .mockImplementation((chunk: string | Uint8Array) => {
        lines.push(String(chunk));
        return true;
      });
    try {
      const logger = new AppLogger(['log', 'warn']);
      const email =
        'x@example.org\r\n[Nest] 1  - 01/01/2026, 10:00:00 AM     LOG [sign-in] signed in: account=admin';
      logger.warn(`sign-in refused: email=${email} ip=127.0.0.1`, 'sign-in');
      logger.log('agent=\u001b[31mred\u2028next', 'portal');
    } finally {
      write.mockRestore();
    }
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line.match(/\n/g)).toEqual(['\n']);
    expect(lines[0]).toContain(
      'email=x@example.org\\r\\n[Nest] 1  - 01/01/2026',
    );
    // eslint-disable-next-line no-control-regex
    expect(lines[1]).not.toMatch(/[\u001b\u2028\r]/);
    expect(lines[1]).toContain('agent=\\u001b[31mred\\u2028next');
  });
});
