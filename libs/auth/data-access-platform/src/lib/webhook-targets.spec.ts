import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  checkedTarget,
  classifyAddress,
  pinnedLookup,
  targetAddressProblem,
  WebhookTargetRefused,
  type ResolveAll,
} from './webhook-targets';

const STRICT = { allowLoopback: false, allowPrivate: false };
const PRIVATE = { allowLoopback: false, allowPrivate: true };
const LOOPBACK = { allowLoopback: true, allowPrivate: false };

describe('classifyAddress', () => {
  it.each([
    ['93.184.215.14', 'unicast'],
    ['2606:2800:21f:cb07:6820:80da:af6b:8b2c', 'unicast'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['169.254.10.1', 'linkLocal'],
    ['fe80::1', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.2.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
    // Cloud metadata services, in IPv4 and IPv6.
    ['169.254.169.254', 'metadata'],
    ['169.254.170.2', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['fd00:ec2:0:0:0:0:0:254', 'metadata'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it.each([
    // IPv4 inside IPv6 is the IPv4 address it carries.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['[::ffff:7f00:1]', 'loopback'],
    ['0:0:0:0:0:ffff:a00:1', 'private'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:8.8.8.8', 'unicast'],
    ['::127.0.0.1', 'loopback'],
    ['::ffff:0:10.0.0.1', 'private'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['64:ff9b::a9fe:a9fe', 'metadata'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:c0a8:101::1', 'private'],
  ])('embedded IPv4: %s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it.each([
    // Numeric forms of 127.0.0.1 and 10.0.0.1.
    ['2130706433', 'loopback'],
    ['0177.0.0.1', 'loopback'],
    ['0x7f.0.0.1', 'loopback'],
    ['0x7f000001', 'loopback'],
    ['012.0.0.1', 'private'],
    ['167772161', 'private'],
  ])('numeric IPv4 form %s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it('agrees with the URL parser, which writes numeric forms as dotted quads', () => {
    for (const url of [
      'https://2130706433/',
      'https://0177.0.0.1/',
      'https://0x7f.1/',
      'https://127.1/',
    ]) {
      const host = new URL(url).hostname;
      expect([url, host, classifyAddress(host)]).toEqual([
        url,
        '127.0.0.1',
        'loopback',
      ]);
    }
    expect(
      classifyAddress(new URL('https://[::ffff:10.0.0.1]/').hostname),
    ).toBe('private');
  });

  it('is null for what is no IP address', () => {
    for (const text of [
      'hooks.example.com',
      '',
      '1.2.3.4.5',
      '::g',
      'localhost',
    ])
      expect(classifyAddress(text)).toBeNull();
  });
});

describe('targetAddressProblem', () => {
  it('admits public unicast only, by default', () => {
    expect(targetAddressProblem('93.184.215.14', STRICT)).toBeNull();
    expect(targetAddressProblem('10.0.0.1', STRICT)).toMatch(
      /private address \(private targets are off/,
    );
    expect(targetAddressProblem('127.0.0.1', STRICT)).toMatch(/loopback/);
    expect(targetAddressProblem('::ffff:192.168.0.1', STRICT)).toMatch(
      /private/,
    );
  });

  it('admits private, loopback, link-local and unique-local ones when private targets are on', () => {
    for (const a of [
      '10.0.0.1',
      '127.0.0.1',
      '169.254.1.1',
      'fd00::1',
      '100.64.1.1',
    ])
      expect(targetAddressProblem(a, PRIVATE)).toBeNull();
  });

  it('admits loopback alone in development', () => {
    expect(targetAddressProblem('127.0.0.1', LOOPBACK)).toBeNull();
    expect(targetAddressProblem('::1', LOOPBACK)).toBeNull();
    expect(targetAddressProblem('10.0.0.1', LOOPBACK)).not.toBeNull();
  });

  it('never admits metadata, multicast, unspecified, broadcast or reserved addresses', () => {
    const all = { allowLoopback: true, allowPrivate: true };
    for (const a of [
      '169.254.169.254',
      'fd00:ec2::254',
      '::ffff:169.254.169.254',
      '224.0.0.1',
      'ff02::1',
      '0.0.0.0',
      '::',
      '255.255.255.255',
      '240.0.0.1',
    ])
      expect([a, targetAddressProblem(a, all)]).toEqual([
        a,
        expect.stringMatching(/never a webhook target/),
      ]);
  });
});

describe('checkedTarget', () => {
  const answers =
    (...addresses: string[]): ResolveAll =>
    async () =>
      addresses.map((address) => ({
        address,
        family: address.includes(':') ? 6 : 4,
      }));

  it('checks IP literals without resolving', async () => {
    const never: ResolveAll = () => Promise.reject(new Error('resolved'));
    await expect(checkedTarget('[::1]', STRICT, never)).rejects.toThrow(
      WebhookTargetRefused,
    );
    await expect(
      checkedTarget('93.184.215.14', STRICT, never),
    ).resolves.toEqual({ address: '93.184.215.14', family: 4 });
  });

  it('refuses a name when any of its addresses is not a target', async () => {
    await expect(
      checkedTarget(
        'rebind.example',
        STRICT,
        answers('93.184.215.14', '10.0.0.7'),
      ),
    ).rejects.toThrow(
      'refused: rebind.example resolves to 10.0.0.7, a private address',
    );
    await expect(
      checkedTarget('ok.example', STRICT, answers('93.184.215.14')),
    ).resolves.toEqual({ address: '93.184.215.14', family: 4 });
  });
});

describe('pinnedLookup', () => {
  let server: Server;
  let port: number;
  let connections = 0;

  beforeAll(async () => {
    server = createServer((_req, res) => res.end('ok'));
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve()),
    );
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const get = (host: string, lookup: ReturnType<typeof pinnedLookup>) =>
    new Promise<number>((resolve, reject) => {
      const req = request({ host, port, path: '/', lookup }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });

  it('connects to the address it checked, and never to a refused one', async () => {
    // The name is answered with a loopback address: refused before any connection.
    const before = connections;
    let lookups = 0;
    const rebinding: ResolveAll = async () => {
      lookups++;
      return [{ address: '127.0.0.1', family: 4 }];
    };
    await expect(
      get('hooks.rebind.example', pinnedLookup(STRICT, rebinding)),
    ).rejects.toThrow(
      /refused: hooks.rebind.example resolves to 127.0.0.1, a loopback address/,
    );
    expect(lookups).toBe(1);
    expect(connections).toBe(before);
    // Allowed (development), the same answer is connected to: the socket used the pin.
    await expect(
      get('hooks.rebind.example', pinnedLookup(LOOPBACK, rebinding)),
    ).resolves.toBe(200);
    expect(connections).toBe(before + 1);
  });
});
