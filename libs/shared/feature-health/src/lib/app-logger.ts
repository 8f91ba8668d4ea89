import { ConsoleLogger, LogLevel } from '@nestjs/common';

/**
 * The apps' console logger: Nest's format, cheaper per line. The auth server logs every
 * token it issues, so a line's cost counts. Differences from Nest's default:
 * - the timestamp is formatted once a second (Nest formats it with Intl on every line);
 * - colours only when stdout is a terminal (a log file or collector gets plain text).
 */
export class AppLogger extends ConsoleLogger {
  private second = -1;
  private stamp = '';

  constructor(logLevels: readonly LogLevel[]) {
    super({
      logLevels: [...logLevels],
      colors: Boolean(process.stdout.isTTY) && !process.env['NO_COLOR'],
    });
  }

  protected override getTimestamp(): string {
    const second = Math.floor(Date.now() / 1000);
    if (second !== this.second) {
      this.second = second;
      this.stamp = super.getTimestamp();
    }
    return this.stamp;
  }
}
