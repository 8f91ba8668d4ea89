/**
 * A set of sourcedIds kept as 64-bit hashes in typed arrays: about 16 bytes per id instead
 * of ~100 for a `Set<string>`, so checking a million-row file for duplicates and
 * references stays small. Two different ids share a hash with a probability of about
 * n²/2⁶⁵ (3·10⁻⁸ for a million ids).
 */
export class IdSet {
  private hi = new Uint32Array(1 << 12);
  private lo = new Uint32Array(1 << 12);
  private used = new Uint8Array(1 << 12);
  size = 0;

  has(id: string): boolean {
    const [h, l] = hash(id);
    return this.find(h, l) >= 0;
  }

  /** Adds the id; false when it was already there. */
  add(id: string): boolean {
    const [h, l] = hash(id);
    if (this.find(h, l) >= 0) return false;
    if ((this.size + 1) * 2 > this.used.length) this.grow();
    this.insert(h, l);
    this.size++;
    return true;
  }

  private find(h: number, l: number): number {
    const mask = this.used.length - 1;
    for (let i = (l ^ h) & mask; ; i = (i + 1) & mask) {
      if (!this.used[i]) return -1;
      if (this.hi[i] === h && this.lo[i] === l) return i;
    }
  }

  private insert(h: number, l: number): void {
    const mask = this.used.length - 1;
    let i = (l ^ h) & mask;
    while (this.used[i]) i = (i + 1) & mask;
    this.used[i] = 1;
    this.hi[i] = h;
    this.lo[i] = l;
  }

  private grow(): void {
    const { hi, lo, used } = this;
    this.hi = new Uint32Array(used.length * 2);
    this.lo = new Uint32Array(used.length * 2);
    this.used = new Uint8Array(used.length * 2);
    for (let i = 0; i < used.length; i++)
      if (used[i]) this.insert(hi[i], lo[i]);
  }
}

/** Two independent 32-bit FNV-1a style hashes of the UTF-16 code units. */
function hash(s: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return [a >>> 0, (b ^ s.length) >>> 0];
}
