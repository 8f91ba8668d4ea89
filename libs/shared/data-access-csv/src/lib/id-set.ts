/**
 * The sourcedIds of one file, numbered 0, 1, 2… in the order they were added, kept as
 * 64-bit hashes in typed arrays: about 20 bytes per id instead of ~150 for a
 * `Map<string, number>`, so indexing a million-row file stays small. Two different ids
 * share a hash with a probability of about n²/2⁶⁵ (3·10⁻⁸ for a million ids).
 */
export class IdIndex {
  private hi = new Uint32Array(1 << 12);
  private lo = new Uint32Array(1 << 12);
  /** index + 1 of the id in each slot; 0 for an empty slot. */
  private slot = new Int32Array(1 << 12);
  size = 0;

  /** The id's number, or -1. */
  get(id: string): number {
    hash(id);
    const i = this.find(H[0], H[1]);
    return i < 0 ? -1 : this.slot[i] - 1;
  }

  has(id: string): boolean {
    return this.get(id) >= 0;
  }

  /** Adds the id and returns its number; -1 when it was already there. */
  add(id: string): number {
    hash(id);
    const h = H[0];
    const l = H[1];
    if (this.find(h, l) >= 0) return -1;
    // At most 70% full: linear probing stays short.
    if ((this.size + 1) * 10 > this.slot.length * 7) this.grow();
    this.insert(h, l, this.size + 1);
    return this.size++;
  }

  private find(h: number, l: number): number {
    const mask = this.slot.length - 1;
    for (let i = (l ^ h) & mask; ; i = (i + 1) & mask) {
      if (this.slot[i] === 0) return -1;
      if (this.hi[i] === h && this.lo[i] === l) return i;
    }
  }

  private insert(h: number, l: number, v: number): void {
    const mask = this.slot.length - 1;
    let i = (l ^ h) & mask;
    while (this.slot[i] !== 0) i = (i + 1) & mask;
    this.slot[i] = v;
    this.hi[i] = h;
    this.lo[i] = l;
  }

  private grow(): void {
    const { hi, lo, slot } = this;
    this.hi = new Uint32Array(slot.length * 2);
    this.lo = new Uint32Array(slot.length * 2);
    this.slot = new Int32Array(slot.length * 2);
    for (let i = 0; i < slot.length; i++)
      if (slot[i] !== 0) this.insert(hi[i], lo[i], slot[i]);
  }
}

/** A growable list of 32-bit integers. */
export class IntList {
  private a = new Int32Array(1024);
  length = 0;

  push(v: number): void {
    if (this.length === this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.length++] = v;
  }

  at(i: number): number {
    return this.a[i];
  }

  /** Sets entry i, growing the list (with -1 in between) when needed. */
  set(i: number, v: number): void {
    while (this.length <= i) this.push(-1);
    this.a[i] = v;
  }

  get(i: number): number {
    return i < this.length ? this.a[i] : -1;
  }
}

const H = new Uint32Array(2);

/** Two independent 32-bit FNV-1a style hashes of the UTF-16 code units, into H. */
function hash(s: string): void {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  H[0] = a;
  H[1] = b ^ s.length;
}

/**
 * What a bulk import needs to know of the records already in the database, in about 25
 * bytes a record: by 64-bit hash of (school, sourcedId), a 64-bit hash of the record's
 * content, whether it is active, and whether the file has it (seen).
 */
export class RecordDigests {
  private kh = new Uint32Array(1 << 10);
  private kl = new Uint32Array(1 << 10);
  private fh = new Uint32Array(1 << 10);
  private fl = new Uint32Array(1 << 10);
  /** 0 empty; 1 used, 2 active, 4 seen. */
  private flags = new Uint8Array(1 << 10);
  private size = 0;
  /** Per school: active records, and how many of them the file has had so far. */
  private readonly active = new Map<string, { all: number; seen: number }>();

  set(school: string, id: string, content: string, active: boolean): void {
    if ((this.size + 1) * 10 > this.flags.length * 7) this.grow();
    hash(`${school}\u0000${id}`);
    const h = H[0];
    const l = H[1];
    const i = this.find(h, l);
    if (i >= 0 && this.flags[i] !== 0) return;
    hash(content);
    this.put(h, l, H[0], H[1], 1 | (active ? 2 : 0));
    this.size++;
    if (active) this.counts(school).all++;
  }

  private counts(school: string): { all: number; seen: number } {
    let c = this.active.get(school);
    if (!c) this.active.set(school, (c = { all: 0, seen: 0 }));
    return c;
  }

  /** Whether some active record of the school has not been visited. */
  hasMissing(school: string): boolean {
    const c = this.active.get(school);
    return c !== undefined && c.seen < c.all;
  }

  /**
   * Marks the record seen; returns `absent`, `unchanged` (same content and active) or
   * `changed`.
   */
  visit(
    school: string,
    id: string,
    content: () => string,
  ): 'absent' | 'unchanged' | 'changed' {
    hash(`${school}\u0000${id}`);
    const i = this.find(H[0], H[1]);
    if (i < 0) return 'absent';
    if ((this.flags[i] & 6) === 2) this.counts(school).seen++;
    this.flags[i] |= 4;
    if (!(this.flags[i] & 2)) return 'changed';
    hash(content());
    return this.fh[i] === H[0] && this.fl[i] === H[1] ? 'unchanged' : 'changed';
  }

  /** An active record of the database the file did not have. */
  missing(school: string, id: string): boolean {
    hash(`${school}\u0000${id}`);
    const i = this.find(H[0], H[1]);
    return i >= 0 && (this.flags[i] & 6) === 2;
  }

  private find(h: number, l: number): number {
    const mask = this.flags.length - 1;
    for (let i = (l ^ h) & mask; ; i = (i + 1) & mask) {
      if (this.flags[i] === 0) return -1;
      if (this.kh[i] === h && this.kl[i] === l) return i;
    }
  }

  private put(h: number, l: number, fh: number, fl: number, f: number): void {
    const mask = this.flags.length - 1;
    let i = (l ^ h) & mask;
    while (this.flags[i] !== 0) i = (i + 1) & mask;
    this.kh[i] = h;
    this.kl[i] = l;
    this.fh[i] = fh;
    this.fl[i] = fl;
    this.flags[i] = f;
  }

  private grow(): void {
    const { kh, kl, fh, fl, flags } = this;
    const n = flags.length * 2;
    this.kh = new Uint32Array(n);
    this.kl = new Uint32Array(n);
    this.fh = new Uint32Array(n);
    this.fl = new Uint32Array(n);
    this.flags = new Uint8Array(n);
    for (let i = 0; i < flags.length; i++)
      if (flags[i] !== 0) this.put(kh[i], kl[i], fh[i], fl[i], flags[i]);
  }
}
