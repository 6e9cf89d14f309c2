/**
 * How two id lists compare: each one's distinct ids in first-seen order, split by whether the
 * other list holds them. The one computation every membership plan is made of.
 *
 * Prolific ids are 24 hexadecimal digits, that is 96 bits. When every id of both lists is in
 * that canonical form (as every id the app reads or normalises is), they are compared as three
 * 32-bit numbers in an open-addressing table of typed arrays: for two lists of 419,429 ids (a
 * 10 MB file against as large a group) that took a fifth of the time of two JavaScript Sets of
 * strings (which hashed and compared 800,000 strings scattered over the heap, and left them to the
 * garbage collector). Any other id sends both lists through Sets, with the same result.
 */

export interface IdComparison {
  /** Distinct ids of `a`, in first-seen order, that `b` does not hold. */
  onlyInA: string[];
  /** Distinct ids of `b`, in first-seen order, that `a` does not hold. */
  onlyInB: string[];
  /** Distinct ids of `b`, in first-seen order, that `a` holds too. */
  bInA: string[];
  /** How many distinct ids each list holds. */
  sizeA: number;
  sizeB: number;
}

/** Ids as a list or as a Set (which iterates in the order the ids were added). */
export type IdCollection = readonly string[] | ReadonlySet<string>;

export function compareIds(a: IdCollection, b: IdCollection | DistinctIds): IdComparison {
  const listA = Array.isArray(a) ? (a as readonly string[]) : [...a];
  const keysA = packKeys(listA);
  if (b instanceof DistinctIds) {
    // Already distinct and keyed as it was read: its table is the one the comparison needs.
    const indexed = b.indexed();
    return keysA && indexed ? compareKeys(listA, keysA, b.list, indexed.keys, indexed) : compareBySets(a, b.list);
  }
  const listB = Array.isArray(b) ? (b as readonly string[]) : [...b];
  const keysB = keysA && packKeys(listB);
  return keysA && keysB ? compareKeys(listA, keysA, listB, keysB, null) : compareBySets(a, b);
}

/**
 * Distinct ids collected one at a time, in first-seen order (a file's, as it is read): Prolific
 * ids by their 96-bit keys in a table that grows as needed, which compareIds then uses as it is;
 * once an id of another form arrives, all are kept in a Set of strings instead.
 */
export class DistinctIds {
  readonly list: string[] = [];
  private keys: Uint32Array;
  private table: KeyTable | null;
  private strings: Set<string> | null = null;

  /** `expected`: how many ids may come (e.g. a file's rows), so that the table is made once. */
  constructor(expected = 1024) {
    const room = Math.max(16, expected);
    this.keys = new Uint32Array(room * WORDS);
    this.table = new KeyTable(room, this.keys);
  }

  /** Adds an id; false when it was added before. */
  add(id: string): boolean {
    if (this.table) {
      const i = this.list.length;
      if ((i + 1) * WORDS > this.keys.length) {
        const grown = new Uint32Array(this.keys.length * 2);
        grown.set(this.keys);
        this.keys = grown;
        this.table.keys = grown;
      }
      if (packKey(id, this.keys, i)) {
        if (this.table.size >= this.table.room) this.table = this.rebuilt(this.table.room * 4);
        if (!this.table.add(i)) return false;
        this.list.push(id);
        return true;
      }
      this.strings = new Set(this.list);
      this.table = null;
    }
    const strings = this.strings!;
    if (strings.has(id)) return false;
    strings.add(id);
    this.list.push(id);
    return true;
  }

  get size(): number {
    return this.list.length;
  }

  /** The table of the ids' keys (each slot naming its id's place in `list`), while every id is a Prolific id. */
  indexed(): KeyTable | null {
    return this.table;
  }

  private rebuilt(capacityFor: number): KeyTable {
    const table = new KeyTable(capacityFor, this.keys);
    for (let i = 0; i < this.list.length; i++) table.add(i);
    return table;
  }
}

const WORDS = 3; // 32-bit words per id
const DIGITS = 24;

/** Each id as three 32-bit words, or null when one is not 24 lower-case hex digits. */
function packKeys(ids: readonly string[]): Uint32Array | null {
  const keys = new Uint32Array(ids.length * WORDS);
  for (let i = 0; i < ids.length; i++) if (!packKey(ids[i]!, keys, i)) return null;
  return keys;
}

/** Writes an id's three words at keys[i]; false when it is not 24 lower-case hex digits. */
function packKey(id: string, keys: Uint32Array, i: number): boolean {
  if (id.length !== DIGITS) return false;
  // Read without a branch per digit: a digit that is not one makes `invalid` negative (-1 from
  // the table) or at least 128 (a character past ASCII keeps its high bits).
  let invalid = 0;
  for (let w = 0; w < WORDS; w++) {
    let value = 0;
    for (let k = w * 8; k < w * 8 + 8; k++) {
      const code = id.charCodeAt(k);
      const digit = HEX_VALUE[code & 0x7f]! | (code & ~0x7f);
      invalid |= digit;
      value = (value << 4) | (digit & 0xf);
    }
    keys[i * WORDS + w] = value;
  }
  return invalid >= 0 && invalid < 16;
}

/** Each ASCII code's value as a lower-case hexadecimal digit, or -1. */
const HEX_VALUE = Int8Array.from({ length: 128 }, (_, code) => (code >= 48 && code <= 57 ? code - 48 : code >= 97 && code <= 102 ? code - 87 : -1));

/**
 * An open-addressing set of the 96-bit keys of one array of keys (linear probing, at most half
 * full). A slot holds the place of its key in that array (plus one; 0 is empty), not the key:
 * 4 bytes a slot, and a key's place is what a comparison needs to know.
 */
class KeyTable {
  private readonly mask: number;
  private readonly slots: Int32Array;
  size = 0;
  /** How many keys it takes before it is more than half full. */
  readonly room: number;

  constructor(
    capacityFor: number,
    /** The keys it holds places of; replaced (same keys, more room) when the owner grows it. */
    public keys: Uint32Array,
  ) {
    let capacity = 16;
    while (capacity < capacityFor * 2) capacity *= 2;
    this.mask = capacity - 1;
    this.slots = new Int32Array(capacity);
    this.room = capacity / 2;
  }

  /** Adds the key at keys[i]; false when it was there already. */
  add(i: number): boolean {
    const slot = this.find(this.keys, i);
    if (this.slots[slot] !== 0) return false;
    this.slots[slot] = i + 1;
    this.size += 1;
    return true;
  }

  /** Where in its keys the table holds the key at `probe`[j], or -1 when it does not. */
  placeOf(probe: Uint32Array, j: number): number {
    return this.slots[this.find(probe, j)]! - 1;
  }

  /** The slot holding the key at probe[j], or the empty slot where it would go. */
  private find(probe: Uint32Array, j: number): number {
    const x = probe[j * WORDS]!;
    const y = probe[j * WORDS + 1]!;
    const z = probe[j * WORDS + 2]!;
    const keys = this.keys;
    let h = Math.imul(x ^ Math.imul(y, 0x9e3779b1) ^ Math.imul(z, 0x85ebca6b), 0xc2b2ae35);
    h ^= h >>> 15;
    let slot = h & this.mask;
    for (;;) {
      const held = this.slots[slot]!;
      if (held === 0) return slot;
      const at = (held - 1) * WORDS;
      if (keys[at] === x && keys[at + 1] === y && keys[at + 2] === z) return slot;
      slot = (slot + 1) & this.mask;
    }
  }
}

/**
 * The comparison by keys. `indexedB`, when given, is the table of listB's keys, listB being
 * distinct already (a file's ids as they were read): A's ids are looked up in it, and B's ids
 * held by A are marked by their place, so no table of A is built, only one of the ids A holds
 * and B does not (to drop their repeats, which a group's list does not have, but nothing here
 * relies on that).
 */
function compareKeys(listA: readonly string[], keysA: Uint32Array, listB: readonly string[], keysB: Uint32Array, indexedB: KeyTable | null): IdComparison {
  let tableB = indexedB;
  if (!tableB) {
    // B's first occurrences, each marked in `firstInB`, make its table.
    tableB = new KeyTable(listB.length, keysB);
    const firstInB = new Uint8Array(listB.length);
    for (let j = 0; j < listB.length; j++) firstInB[j] = tableB.add(j) ? 1 : 0;
    return fromMarks(listA, keysA, listB, tableB, firstInB);
  }
  return fromMarks(listA, keysA, listB, tableB, null);
}

/** Marks each of B's ids that A holds, through B's table; `firstInB` (null: every id) says which of B's entries are first occurrences. */
function fromMarks(listA: readonly string[], keysA: Uint32Array, listB: readonly string[], tableB: KeyTable, firstInB: Uint8Array | null): IdComparison {
  const heldByA = new Uint8Array(listB.length);
  const notInB = new Int32Array(listA.length); // places in A of the ids B does not hold
  let outside = 0;
  let sharedCount = 0;
  for (let i = 0; i < listA.length; i++) {
    const j = tableB.placeOf(keysA, i);
    if (j === -1) notInB[outside++] = i;
    else if (heldByA[j] === 0) {
      heldByA[j] = 1;
      sharedCount += 1;
    }
  }
  const onlyInA: string[] = [];
  const seen = new KeyTable(outside, keysA);
  for (let k = 0; k < outside; k++) {
    const i = notInB[k]!;
    if (seen.add(i)) onlyInA.push(listA[i]!);
  }
  const onlyInB: string[] = [];
  const bInA: string[] = [];
  for (let j = 0; j < listB.length; j++) {
    if (firstInB && firstInB[j] === 0) continue;
    (heldByA[j] === 1 ? bInA : onlyInB).push(listB[j]!);
  }
  return { onlyInA, onlyInB, bInA, sizeA: sharedCount + onlyInA.length, sizeB: tableB.size };
}

function compareBySets(a: IdCollection, b: IdCollection): IdComparison {
  const setA = a instanceof Set ? a : new Set(a);
  const setB = b instanceof Set ? b : new Set(b);
  const onlyInA: string[] = [];
  for (const id of setA) if (!setB.has(id)) onlyInA.push(id);
  const onlyInB: string[] = [];
  const bInA: string[] = [];
  for (const id of setB) (setA.has(id) ? bInA : onlyInB).push(id);
  return { onlyInA, onlyInB, bInA, sizeA: setA.size, sizeB: setB.size };
}
