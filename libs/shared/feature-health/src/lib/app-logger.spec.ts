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
});
