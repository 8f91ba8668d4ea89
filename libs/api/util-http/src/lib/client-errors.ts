import { STATUS_CODES, maxHeaderSize as nodeMaxHeaderSize } from 'node:http';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { CodeMinor } from '@oneroster/util-oneroster-query';
import { errorPayload } from './status-payload';

/**
 * Requests Node's HTTP parser refuses before any route sees them still get a OneRoster
 * status payload (by default Node writes a bare status line). Rules enforced:
 * - request line and headers over the server's maxHeaderSize (Node's default 16 KiB):
 *   414 URI Too Long when the request line alone is over it, 431 Request Header Fields Too
 *   Large otherwise; both `invaliddata`;
 * - a request the parser cannot read (bad method, bad header, bad chunking): 400 invaliddata;
 * - a request that took too long to arrive: 408 invaliddata;
 * - the connection is closed after the answer (the parser cannot resume mid-stream), and a
 *   socket that is already gone, or was reset, is only destroyed;
 * - the description is ours: nothing of the request is echoed.
 */
interface ParserError extends Error {
  code?: string;
  rawPacket?: Buffer;
}

function classify(
  err: ParserError,
  maxHeaderSize: number,
): { status: number; text: string } {
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    const raw = err.rawPacket?.toString('latin1') ?? '';
    const end = raw.indexOf('\r\n');
    const requestLine = end === -1 ? raw.length : end;
    // A packet that does not begin with a request line is a later chunk: headers, not URI.
    const startsWithRequestLine = /^[A-Z]+ \S/.test(raw);
    if (startsWithRequestLine && requestLine >= maxHeaderSize)
      return {
        status: 414,
        text: `The request URI is longer than ${maxHeaderSize} bytes; send fewer or shorter query parameters`,
      };
    return {
      status: 431,
      text: `The request line and headers are longer than ${maxHeaderSize} bytes together`,
    };
  }
  if (
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ||
    err.code === 'HPE_HEADERS_TIMEOUT'
  )
    return { status: 408, text: 'The request took too long to arrive' };
  return { status: 400, text: 'The request is not valid HTTP' };
}

function answer(socket: Duplex, status: number, text: string): void {
  const minor: CodeMinor = 'invaliddata';
  const body = JSON.stringify(errorPayload(minor, text));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Bad Request'}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      'X-Content-Type-Options: nosniff\r\n' +
      'Cache-Control: no-store\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n' +
      '\r\n' +
      body,
  );
}

/** Makes the server answer parser-level refusals with a OneRoster status payload. */
export function answerClientErrorsAsOneRoster(server: Server): void {
  server.on('clientError', (err: ParserError, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const { status, text } = classify(
      err,
      (server as Server & { maxHeaderSize?: number }).maxHeaderSize ??
        nodeMaxHeaderSize,
    );
    answer(socket, status, text);
  });
}
