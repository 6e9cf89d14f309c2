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
    return keysA && indexed ? compareKeys(listA, keysA, b.list, indexed.keys, indexed.table) : compareBySets(a, b.list);
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
  private keys = new Uint32Array(1024 * WORDS);
  private table: KeyTable | null = new KeyTable(1024);
  private strings: Set<string> | null = null;

  /** Adds an id; false when it was added before. */
  add(id: string): boolean {
    if (this.table) {
      const i = this.list.length;
      if ((i + 1) * WORDS > this.keys.length) {
        const grown = new Uint32Array(this.keys.length * 2);
        grown.set(this.keys);
        this.keys = grown;
      }
      if (packKey(id, this.keys, i)) {
        if (this.table.size >= this.table.room) this.table = this.rebuilt(this.table.room * 4);
        if (!this.table.add(this.keys, i)) return false;
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

  /** The keys and their table, while every id is a Prolific id. */
  indexed(): { keys: Uint32Array; table: KeyTable } | null {
    return this.table ? { keys: this.keys, table: this.table } : null;
  }

  private rebuilt(capacityFor: number): KeyTable {
    const table = new KeyTable(capacityFor);
    for (let i = 0; i < this.list.length; i++) table.add(this.keys, i);
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
  for (let w = 0; w < WORDS; w++) {
    let value = 0;
    for (let k = w * 8; k < w * 8 + 8; k++) {
      const code = id.charCodeAt(k);
      let digit: number;
      if (code >= 48 && code <= 57) digit = code - 48;
      else if (code >= 97 && code <= 102) digit = code - 87;
      else return false;
      value = (value << 4) | digit;
    }
    keys[i * WORDS + w] = value;
  }
  return true;
}

/** An open-addressing set of 96-bit keys (linear probing, at most half full). */
class KeyTable {
  private readonly mask: number;
  private readonly slots: Uint32Array; // WORDS words per slot
  private readonly used: Uint8Array;
  size = 0;
  /** How many keys it takes before it is more than half full. */
  readonly room: number;

  constructor(capacityFor: number) {
    let capacity = 16;
    while (capacity < capacityFor * 2) capacity *= 2;
    this.mask = capacity - 1;
    this.slots = new Uint32Array(capacity * WORDS);
    this.used = new Uint8Array(capacity);
    this.room = capacity / 2;
  }

  /** Adds the key at keys[i]; false when it was there already. */
  add(keys: Uint32Array, i: number): boolean {
    const slot = this.find(keys, i);
    if (this.used[slot]) return false;
    this.used[slot] = 1;
    this.slots[slot * WORDS] = keys[i * WORDS]!;
    this.slots[slot * WORDS + 1] = keys[i * WORDS + 1]!;
    this.slots[slot * WORDS + 2] = keys[i * WORDS + 2]!;
    this.size += 1;
    return true;
  }

  has(keys: Uint32Array, i: number): boolean {
    return this.used[this.find(keys, i)] === 1;
  }

  /** The slot holding the key at keys[i], or the empty slot where it would go. */
  private find(keys: Uint32Array, i: number): number {
    const x = keys[i * WORDS]!;
    const y = keys[i * WORDS + 1]!;
    const z = keys[i * WORDS + 2]!;
    let h = Math.imul(x ^ Math.imul(y, 0x9e3779b1) ^ Math.imul(z, 0x85ebca6b), 0xc2b2ae35);
    h ^= h >>> 15;
    let slot = h & this.mask;
    for (;;) {
      if (!this.used[slot]) return slot;
      const at = slot * WORDS;
      if (this.slots[at] === x && this.slots[at + 1] === y && this.slots[at + 2] === z) return slot;
      slot = (slot + 1) & this.mask;
    }
  }
}

/** The comparison by keys; `distinctB`, when given, is the table of listB's keys, listB being distinct already. */
function compareKeys(listA: readonly string[], keysA: Uint32Array, listB: readonly string[], keysB: Uint32Array, distinctB: KeyTable | null): IdComparison {
  const tableA = new KeyTable(listA.length);
  const firstInA = new Uint8Array(listA.length); // 1 where the id is not a repeat
  for (let i = 0; i < listA.length; i++) firstInA[i] = tableA.add(keysA, i) ? 1 : 0;
  const tableB = distinctB ?? new KeyTable(listB.length);
  const onlyInB: string[] = [];
  const bInA: string[] = [];
  for (let j = 0; j < listB.length; j++) {
    if (!distinctB && !tableB.add(keysB, j)) continue;
    (tableA.has(keysB, j) ? bInA : onlyInB).push(listB[j]!);
  }
  const onlyInA: string[] = [];
  for (let i = 0; i < listA.length; i++) if (firstInA[i] && !tableB.has(keysA, i)) onlyInA.push(listA[i]!);
  return { onlyInA, onlyInB, bInA, sizeA: tableA.size, sizeB: tableB.size };
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
