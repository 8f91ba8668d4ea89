import type { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import {
  clientAddress,
  compileTrust,
  resolveClientAddress,
  trustedChain,
  trustsPeer,
} from './client-address';

/** A request as Node hands it over: a peer address and headers. */
function from(peer: string, forwardedFor?: string): IncomingMessage {
  const socket = new Socket();
  Object.defineProperty(socket, 'remoteAddress', { value: peer });
  return {
    socket,
    headers:
      forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  } as unknown as IncomingMessage;
}

describe('client address', () => {
  const forged = '203.0.113.9, 198.51.100.7';

  it('trusting no proxy, is the peer whatever the header says', () => {
    const trust = compileTrust(false);
    expect(resolveClientAddress(from('10.0.0.2', forged), trust)).toBe(
      '10.0.0.2',
    );
    expect(trustsPeer(from('10.0.0.2'), trust)).toBe(false);
  });

  it('trusting n hops, is the address after the n nearest, read from the right', () => {
    expect(
      resolveClientAddress(from('10.0.0.2', forged), compileTrust(1)),
    ).toBe('198.51.100.7');
    expect(
      resolveClientAddress(from('10.0.0.2', forged), compileTrust(2)),
    ).toBe('203.0.113.9');
    // Fewer hops than trusted: the furthest one there is.
    expect(
      resolveClientAddress(from('10.0.0.2', '198.51.100.7'), compileTrust(3)),
    ).toBe('198.51.100.7');
    expect(trustedChain(from('10.0.0.2', forged), compileTrust(1))).toEqual([
      '10.0.0.2',
      '198.51.100.7',
    ]);
  });

  it('trusting a list, reads the header only from a listed peer, up to the first unlisted hop', () => {
    const trust = compileTrust(['10.0.0.0/8', '192.168.1.7']);
    expect(resolveClientAddress(from('10.1.2.3', forged), trust)).toBe(
      '198.51.100.7',
    );
    expect(
      resolveClientAddress(from('10.1.2.3', '203.0.113.9, 192.168.1.7'), trust),
    ).toBe('203.0.113.9');
    expect(resolveClientAddress(from('172.16.0.1', forged), trust)).toBe(
      '172.16.0.1',
    );
    // IPv4-mapped IPv6 peers match their IPv4 range.
    expect(trustsPeer(from('::ffff:10.0.0.5'), trust)).toBe(true);
  });

  it('is derived once and kept on the request; an unresolved request answers its peer', () => {
    const req = from('10.0.0.2', forged);
    expect(clientAddress(req)).toBe('10.0.0.2');
    expect(resolveClientAddress(req, compileTrust(1))).toBe('198.51.100.7');
    req.headers['x-forwarded-for'] = '192.0.2.1';
    expect(resolveClientAddress(req, compileTrust(1))).toBe('198.51.100.7');
    expect(clientAddress(req)).toBe('198.51.100.7');
  });
});
