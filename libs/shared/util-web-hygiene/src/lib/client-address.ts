import type { NestExpressApplication } from '@nestjs/platform-express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { all as forwardedChain, compile } from 'proxy-addr';

/**
 * The client's address of a request, derived once from the connection and X-Forwarded-For.
 * Rules enforced:
 * - X-Forwarded-For is read from the right (the hop nearest to us) and only as far as the
 *   hops are trusted, by proxy-addr (the algorithm Express uses): with no trust the
 *   connection's peer is the client whatever the header says; with a hop count `n` the `n`
 *   nearest hops are proxies and the next address is the client's; with a list, only a
 *   listed peer's header is read, and the first unlisted address is the client's;
 * - Express is given the same trust function (`trust proxy`), so `req.ip`, `req.protocol`
 *   and `req.hostname` agree with the address used here;
 * - the address is derived once per request and kept on it; a request nobody resolved
 *   answers its connection's peer, never a header;
 * - "trust every hop" does not exist here: it would let a client name its own address.
 */

/** `false`: no proxy; a number: that many proxies in front; a list: these addresses/CIDRs. */
export type TrustProxy = false | number | readonly string[];

/** proxy-addr's trust function: is the address at `hop` (0 = the peer) a proxy? */
export type TrustFunction = (address: string, hop: number) => boolean;

export function compileTrust(trust: TrustProxy): TrustFunction {
  if (trust === false) return () => false;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return compile([...trust]);
}

const CLIENT_ADDRESS = Symbol('clientAddress');
type Resolved = IncomingMessage & { [CLIENT_ADDRESS]?: string };

/**
 * The trusted hops of a request and its client, nearest first: `[peer, …proxies, client]`
 * (just `[peer]` when the peer is not a trusted proxy).
 */
export function trustedChain(
  req: IncomingMessage,
  trust: TrustFunction,
): string[] {
  return forwardedChain(req, trust);
}

/** Derives the client's address of `req` under `trust` (once) and keeps it on the request. */
export function resolveClientAddress(
  req: IncomingMessage,
  trust: TrustFunction,
): string {
  const r = req as Resolved;
  if (r[CLIENT_ADDRESS] === undefined) {
    const chain = trustedChain(req, trust);
    r[CLIENT_ADDRESS] = chain[chain.length - 1] ?? '';
  }
  return r[CLIENT_ADDRESS];
}

/** The client's address of `req` as resolved on arrival (its connection's peer otherwise). */
export function clientAddress(req: IncomingMessage): string {
  return (req as Resolved)[CLIENT_ADDRESS] ?? req.socket?.remoteAddress ?? '';
}

/** Whether the connection's peer is a trusted proxy (so its X-Forwarded-* headers count). */
export function trustsPeer(
  req: IncomingMessage,
  trust: TrustFunction,
): boolean {
  return trust(req.socket?.remoteAddress ?? '', 0);
}

/**
 * Gives Express `trust` as its `trust proxy` and resolves every request's client address
 * before any route runs. Call before anything that reads the address.
 */
export function applyClientAddress(
  app: NestExpressApplication,
  trust: TrustFunction,
): void {
  app.set('trust proxy', trust);
  app.use((req: IncomingMessage, _res: ServerResponse, next: () => void) => {
    resolveClientAddress(req, trust);
    next();
  });
}
