import {
  createServer,
  request,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { limitWriteIdle } from './write-idle';

/** 1 MB chunks: a client that stops reading leaves writes waiting at once. */
const CHUNK = Buffer.alloc(1024 * 1024, 'x');

interface Outcome {
  cut: boolean;
  finished: boolean;
}

/** A real server whose handler writes `chunks` MB through limitWriteIdle. */
async function serve(
  timeoutMs: number,
  chunks: number,
  useEnd: boolean,
): Promise<{ server: Server; url: string; outcome: Promise<Outcome> }> {
  let settle: (o: Outcome) => void = () => undefined;
  const outcome = new Promise<Outcome>((r) => (settle = r));
  const server = createServer((_req, res: ServerResponse) => {
    let cut = false;
    limitWriteIdle(res, timeoutMs, () => (cut = true));
    res.once('close', () => settle({ cut, finished: res.writableFinished }));
    if (useEnd) {
      res.end(Buffer.concat(Array(chunks).fill(CHUNK)));
      return;
    }
    let sent = 0;
    const pump = () => {
      while (sent < chunks) {
        sent++;
        if (!res.write(CHUNK)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/`, outcome };
}

function fetchWith(
  url: string,
  read: boolean,
): Promise<{
  res: IncomingMessage;
  stop: () => void;
  received: Promise<number>;
}> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      res.on('error', () => undefined);
      let bytes = 0;
      const received = new Promise<number>((r) =>
        res.once('end', () => r(bytes)),
      );
      if (read) res.on('data', (b: Buffer) => (bytes += b.length));
      else res.pause();
      resolve({ res, stop: () => req.destroy(), received });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('limitWriteIdle', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0))
      await new Promise((r) => s.close(() => r(undefined)));
  });

  it.each([
    ['written a chunk at a time', false],
    ['ended with the whole body', true],
  ])(
    'cuts a response %s whose client stops reading',
    async (_label, useEnd) => {
      const { server, url, outcome } = await serve(200, 64, useEnd);
      servers.push(server);
      const client = await fetchWith(url, false);
      expect(await outcome).toEqual({ cut: true, finished: false });
      client.stop();
    },
  );

  it('lets a client that reads take a response of any size', async () => {
    // A bound no reading client comes near, even on a loaded machine.
    const { server, url, outcome } = await serve(5_000, 64, false);
    servers.push(server);
    const client = await fetchWith(url, true);
    expect(await client.received).toBe(64 * CHUNK.length);
    expect(await outcome).toEqual({ cut: false, finished: true });
  });

  it('does nothing with a timeout of 0', async () => {
    const { server, url, outcome } = await serve(0, 64, false);
    servers.push(server);
    const client = await fetchWith(url, false);
    // The client leaves on its own: the response was never cut.
    setImmediate(() => client.stop());
    expect(await outcome).toEqual({ cut: false, finished: false });
  });
});
