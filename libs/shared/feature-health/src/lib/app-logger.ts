import { ConsoleLogger, LogLevel } from '@nestjs/common';

/**
 * The apps' console logger: Nest's format, cheaper per line. The auth server logs every
 * token it issues, so a line's cost counts. Differences from Nest's default:
 * - the timestamp is formatted once a second (Nest formats it with Intl on every line);
 * - colours only when stdout is a terminal (a log file or collector gets plain text);
 * - one entry is one line: CR, LF and the other control characters of a message (emails,
 *   client ids, user agents, error texts come from requests) are written as escapes
 *   (`\n`, `\u001b`), so no input can forge a log line or a terminal sequence.
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

  protected override stringifyMessage(
    message: unknown,
    logLevel: LogLevel,
  ): string {
    return super.stringifyMessage(
      typeof message === 'string' ? escapeControls(message) : message,
      logLevel,
    ) as string;
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

/** Control characters (C0, DEL, C1, and the Unicode line and paragraph separators) as escapes. */
export function escapeControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}
