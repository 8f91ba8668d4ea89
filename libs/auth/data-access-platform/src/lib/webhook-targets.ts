import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Where a webhook may be delivered (server-side request forgery protection). Rules enforced:
 * - an address is classified by ipaddr.js's IANA special-purpose ranges; IPv4 embedded in
 *   IPv6 (IPv4-mapped `::ffff:a.b.c.d`, IPv4-compatible `::a.b.c.d`, the translated
 *   `::ffff:0:a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) is classified as the IPv4
 *   address it carries; numeric IPv4 forms (decimal `2130706433`, octal `0177.0.0.1`, hex
 *   `0x7f.1`) are the address they denote (the URL parser writes them as dotted quads too);
 * - only public unicast addresses are targets by default;
 * - `allowPrivate` (WEBHOOK_ALLOW_PRIVATE_TARGETS: on-premise receivers) also admits
 *   private (RFC 1918), carrier-grade NAT, loopback, link-local and unique-local addresses;
 *   `allowLoopback` (WEBHOOK_ALLOW_LOOPBACK_HTTP: development) admits loopback only;
 * - cloud metadata addresses, unspecified, broadcast, multicast, documentation, reserved and
 *   the other special ranges are never targets, whatever the settings;
 * - a host name is a target only if every address it resolves to is one (an attacker's name
 *   with one public and one private answer is refused); the connection then goes to the
 *   address that was checked, resolved once per connection inside the socket's own lookup,
 *   so a second DNS answer (rebinding) cannot switch it.
 */
export interface WebhookTargetPolicy {
  allowLoopback: boolean;
  allowPrivate: boolean;
}

/** How an address is classified: ipaddr.js's range name, or `metadata`. */
export type AddressClass = string;

/** Instance metadata services of the large clouds (never a webhook receiver). */
const METADATA = new Set(
  [
    '169.254.169.254',
    '169.254.170.2',
    '169.254.170.23',
    '100.100.100.200',
    'fd00:ec2::254',
    'fd00:ec2::23',
  ].map((a) => ipaddr.parse(a).toNormalizedString()),
);

const PRIVATE_CLASSES = new Set([
  'private',
  'carrierGradeNat',
  'loopback',
  'linkLocal',
  'uniqueLocal',
]);

/** The IPv4 address an IPv6 address carries, for the ranges that embed one. */
function embeddedIPv4(v6: ipaddr.IPv6): ipaddr.IPv4 | null {
  const p = v6.parts;
  const v4 = (hi: number, lo: number) =>
    new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  const range = v6.range();
  if (range === 'ipv4Mapped' || range === 'rfc6145' || range === 'rfc6052')
    return v4(p[6], p[7]);
  if (range === '6to4') return v4(p[1], p[2]);
  // IPv4-compatible (deprecated, ::a.b.c.d): 96 zero bits, then the IPv4 address.
  if (p.slice(0, 6).every((x) => x === 0) && (p[6] !== 0 || p[7] > 1))
    return v4(p[6], p[7]);
  return null;
}

/**
 * The class of an IP address (`unicast` = public), or null for something that is no IP
 * address. Accepts IPv6 with or without brackets and the numeric IPv4 forms.
 */
export function classifyAddress(address: string): AddressClass | null {
  const text = address.replace(/^\[(.*)\]$/, '$1');
  if (!ipaddr.isValid(text)) return null;
  let ip: ipaddr.IPv4 | ipaddr.IPv6 = ipaddr.parse(text);
  if (ip.kind() === 'ipv6') {
    if (METADATA.has(ip.toNormalizedString())) return 'metadata';
    ip = embeddedIPv4(ip as ipaddr.IPv6) ?? ip;
  }
  if (METADATA.has(ip.toNormalizedString())) return 'metadata';
  return ip.range();
}

/** Why an address of class `kind` may not receive webhooks under `policy`, or null. */
function refusal(
  kind: AddressClass,
  policy: WebhookTargetPolicy,
): string | null {
  if (kind === 'unicast') return null;
  if (kind === 'loopback' && policy.allowLoopback) return null;
  if (PRIVATE_CLASSES.has(kind) && policy.allowPrivate) return null;
  return PRIVATE_CLASSES.has(kind)
    ? `a ${kind} address (private targets are off: WEBHOOK_ALLOW_PRIVATE_TARGETS)`
    : `a ${kind} address, never a webhook target`;
}

/** Why `address` may not receive webhooks under `policy`, or null when it may. */
export function targetAddressProblem(
  address: string,
  policy: WebhookTargetPolicy,
): string | null {
  const kind = classifyAddress(address);
  if (kind === null) return `${address} is not an IP address`;
  const reason = refusal(kind, policy);
  return reason && `${address} is ${reason}`;
}

/** A DNS lookup of every address of a name (node:dns `lookup` with `all: true`). */
export type ResolveAll = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolveAll: ResolveAll = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) =>
      err ? reject(err) : resolve(addresses),
    ),
  );

/** The refusal of a target, with the reason the delivery log shows. */
export class WebhookTargetRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookTargetRefused';
  }
}

/**
 * The addresses that may be connected to for `hostname` (a URL's hostname: IPv6 in
 * brackets), checked against `policy`: an IP literal is checked as is; a name is resolved
 * and every answer must pass. Throws `WebhookTargetRefused`, or the resolver's error when
 * the name does not resolve.
 */
export async function checkedTargets(
  hostname: string,
  policy: WebhookTargetPolicy,
  resolveAll: ResolveAll = systemResolveAll,
): Promise<LookupAddress[]> {
  const literal = hostname.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(literal);
  if (family) {
    const problem = targetAddressProblem(literal, policy);
    if (problem) throw new WebhookTargetRefused(`refused: ${problem}`);
    return [{ address: literal, family }];
  }
  const answers = await resolveAll(hostname);
  if (!answers.length)
    throw new WebhookTargetRefused(`refused: ${hostname} has no address`);
  for (const answer of answers) {
    const reason = refusal(
      classifyAddress(answer.address) ?? 'invalid',
      policy,
    );
    if (reason)
      throw new WebhookTargetRefused(
        `refused: ${hostname} resolves to ${answer.address}, ${reason}`,
      );
  }
  return answers;
}

/** The first address of `checkedTargets`. */
export async function checkedTarget(
  hostname: string,
  policy: WebhookTargetPolicy,
  resolveAll: ResolveAll = systemResolveAll,
): Promise<LookupAddress> {
  return (await checkedTargets(hostname, policy, resolveAll))[0];
}

/**
 * A socket `lookup` for http(s).request that connects only to checked addresses: it
 * resolves the name once, checks every answer, and hands the socket those answers (all of
 * them when the socket asks for all, to try each family in turn; else the first of the
 * family asked for), so the addresses checked are the addresses connected to (the pin).
 */
export function pinnedLookup(
  policy: WebhookTargetPolicy,
  resolveAll: ResolveAll = systemResolveAll,
): LookupFunction {
  return (hostname, options, callback) => {
    checkedTargets(hostname, policy, resolveAll).then(
      (targets) => {
        const { all, family } = options as { all?: boolean; family?: number };
        const wanted =
          family === 4 || family === 6
            ? targets.filter((t) => t.family === family)
            : targets;
        if (all)
          (callback as unknown as (e: null, a: LookupAddress[]) => void)(
            null,
            wanted,
          );
        else if (wanted[0]) callback(null, wanted[0].address, wanted[0].family);
        else
          callback(
            new WebhookTargetRefused(
              `refused: ${hostname} has no IPv${family} address`,
            ) as NodeJS.ErrnoException,
            '',
            0,
          );
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}
