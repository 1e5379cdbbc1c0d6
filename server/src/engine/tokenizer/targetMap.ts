/**
 * A leaner build of kuromoji's word → token-info map (tid_map.dat), the largest JavaScript
 * structure of its dictionary.
 *
 * kuromoji's own `TokenInfoDictionary.prototype.loadTargetMap` reads the file into an object used
 * as a hash map (325,871 numeric keys) whose values are arrays grown by `push` — V8 gives each a
 * backing store of 17 slots although 85 % hold one id. That is ~70 MB of heap, ~0.2 s of build in
 * one piece and, the arrays being young, ~0.1 s of scavenges copying them. This replacement reads
 * the same bytes with the same rules (little-endian int32; a read past the end gives 0, as
 * kuromoji's ByteBuffer.getInt does; a key met twice gets the values appended; a key with no
 * values is absent) into two typed arrays: `offsets[key] .. offsets[key + 1]` index `values`
 * (a compressed sparse row). Its reader, lattice.ts, walks that range.
 *
 * kuromoji's own lattice builder — still used for what lattice.ts leaves to it — indexes
 * `target_map[trie_id]` and reads `.length` and `[i]`. The dictionary's `target_map` is therefore
 * a stand-in that, on the first such read, puts an array of arrays in its place (built from the
 * typed arrays; the cost paid only by a process that needs it). Tokens are unchanged
 * (test/unit/target-map.test.ts and lattice.test.ts compare).
 *
 * Installed once, by `loadTokenizer`, on kuromoji's prototype (no fork; the bundles include
 * kuromoji's source, so the patched prototype is the one its builder uses).
 * Engine code: imports nothing from vscode or the LSP libraries.
 */

interface TokenInfoDictionaryProto {
  loadTargetMap(this: { target_map: unknown }, bytes: Uint8Array): unknown;
}

// kuromoji ships no types for its internal modules.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const TokenInfoDictionary = require('kuromoji/src/dict/TokenInfoDictionary.js') as { prototype: TokenInfoDictionaryProto };

const stock = TokenInfoDictionary.prototype.loadTargetMap;

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Keys beyond this go to a Map instead of the dense offsets (not met in IPADIC: its largest is ~390 k). */
const DENSE_KEYS = 50_000_000;

export class CompactTargetMap {
  constructor(
    /** `offsets[k] .. offsets[k + 1]` is key k's range of `values` (empty: no such key). */
    readonly offsets: Int32Array,
    readonly values: Int32Array,
    /** Keys outside 0 ..< offsets.length - 1 (negative or huge), with their values. */
    readonly extra: ReadonlyMap<number, Int32Array>,
  ) {}

  /** Key's values, or undefined where kuromoji's map has no such key. */
  get(key: number): Int32Array | undefined {
    if (key >= 0 && key < this.offsets.length - 1) {
      const from = this.offsets[key];
      const to = this.offsets[key + 1];
      return from === to ? undefined : this.values.subarray(from, to);
    }
    return this.extra.get(key);
  }

  /** The keys kuromoji's map would hold, ascending for the dense ones. */
  *keys(): IterableIterator<number> {
    for (let k = 0; k < this.offsets.length - 1; k++) if (this.offsets[k] !== this.offsets[k + 1]) yield k;
    yield* this.extra.keys();
  }

  /** The array of arrays kuromoji's own builder indexes. */
  toArrays(): Array<number[] | undefined> & Record<number, number[] | undefined> {
    const dense = this.offsets.length - 1;
    const out = new Array<number[] | undefined>(dense) as Array<number[] | undefined> & Record<number, number[] | undefined>;
    for (let k = 0; k < dense; k++) {
      const from = this.offsets[k];
      const to = this.offsets[k + 1];
      if (from !== to) out[k] = Array.from(this.values.subarray(from, to));
    }
    for (const [k, v] of this.extra) out[k] = Array.from(v);
    return out;
  }
}

/**
 * The compact form of a target map kuromoji built itself (an object or array of id arrays keyed
 * by integers), for lattice.ts over a dictionary loaded without this module; undefined when a key
 * or value is not an integer.
 */
export function compactFromIndexable(map: unknown): CompactTargetMap | undefined {
  if (typeof map !== 'object' || map === null) return undefined;
  const known = compactTargetMap(map);
  if (known) return known;
  const entries: Array<[number, ArrayLike<unknown>]> = [];
  let maxKey = -1;
  let total = 0;
  for (const k of Object.keys(map)) {
    const key = Number(k);
    const v = (map as Record<string, unknown>)[k];
    if (!Number.isInteger(key) || v === undefined) continue;
    if (typeof v !== 'object' || v === null || typeof (v as ArrayLike<unknown>).length !== 'number') return undefined;
    const arr = v as ArrayLike<unknown>;
    for (let i = 0; i < arr.length; i++) if (!Number.isInteger(arr[i])) return undefined;
    entries.push([key, arr]);
    if (key >= 0 && key < DENSE_KEYS) {
      if (key > maxKey) maxKey = key;
      total += arr.length;
    }
  }
  const offsets = new Int32Array(maxKey + 2);
  const values = new Int32Array(total);
  const extra = new Map<number, Int32Array>();
  const dense = entries.filter(([k]) => k >= 0 && k < DENSE_KEYS).sort((a, b) => a[0] - b[0]);
  let at = 0;
  let next = 0;
  for (let k = 0; k <= maxKey; k++) {
    offsets[k] = at;
    if (next < dense.length && dense[next][0] === k) {
      const arr = dense[next++][1];
      for (let i = 0; i < arr.length; i++) values[at++] = arr[i] as number;
    }
  }
  offsets[maxKey + 1] = at;
  for (const [k, arr] of entries) if (!(k >= 0 && k < DENSE_KEYS)) extra.set(k, Int32Array.from(arr as ArrayLike<number>));
  return new CompactTargetMap(offsets, values, extra);
}

/** Reads tid_map.dat's bytes exactly as kuromoji's loadTargetMap does. */
export function readTargetMap(bytes: Uint8Array): CompactTargetMap {
  const len = bytes.byteLength;
  let get: (at: number) => number;
  if (bytes.byteOffset % 4 === 0 && LITTLE_ENDIAN) {
    const ints = new Int32Array(bytes.buffer, bytes.byteOffset, len >> 2);
    get = (at) => (at + 4 <= len ? ints[at >> 2] : 0); // `at` is always a multiple of 4
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, len);
    get = (at) => (at + 4 <= len ? view.getInt32(at, true) : 0);
  }
  // first pass: the largest dense key and how many values each key gets
  let maxKey = -1;
  let total = 0;
  for (let p = 4; len >= p + 1; ) {
    const key = get(p);
    const n = get(p + 4);
    p += 8 + 4 * Math.max(0, n);
    if (n > 0 && key >= 0 && key < DENSE_KEYS) {
      if (key > maxKey) maxKey = key;
      total += n;
    }
  }
  const offsets = new Int32Array(maxKey + 2);
  for (let p = 4; len >= p + 1; ) {
    const key = get(p);
    const n = get(p + 4);
    p += 8 + 4 * Math.max(0, n);
    if (n > 0 && key >= 0 && key < DENSE_KEYS) offsets[key + 1] += n;
  }
  for (let k = 1; k < offsets.length; k++) offsets[k] += offsets[k - 1];
  const values = new Int32Array(total);
  const fill = offsets.slice(0, maxKey + 1);
  const extra = new Map<number, Int32Array>();
  for (let p = 4; len >= p + 1; ) {
    const key = get(p);
    const n = get(p + 4);
    p += 8;
    if (n <= 0) continue;
    if (key >= 0 && key < DENSE_KEYS) {
      for (let i = 0; i < n; i++) values[fill[key]++] = get(p + 4 * i);
    } else {
      const had = extra.get(key);
      const v = new Int32Array((had?.length ?? 0) + n);
      if (had) v.set(had);
      for (let i = 0; i < n; i++) v[(had?.length ?? 0) + i] = get(p + 4 * i);
      extra.set(key, v);
    }
    p += 4 * n;
  }
  return new CompactTargetMap(offsets, values, extra);
}

/** The compact map behind a dictionary's `target_map` (the stand-in or the arrays it became). */
const compactOf = new WeakMap<object, CompactTargetMap>();

export function compactTargetMap(targetMap: unknown): CompactTargetMap | undefined {
  return typeof targetMap === 'object' && targetMap !== null ? compactOf.get(targetMap) : undefined;
}

/**
 * The `target_map` of `dict`: reads by kuromoji's builder replace it with `map.toArrays()`
 * (kept findable through `compactTargetMap`) and answer from those.
 */
function standIn(dict: { target_map: unknown }, map: CompactTargetMap): object {
  const proxy: object = new Proxy(Object.create(null) as object, {
    get(_t, prop) {
      let arrays = dict.target_map;
      if (arrays === proxy) {
        arrays = map.toArrays();
        compactOf.set(arrays as object, map);
        dict.target_map = arrays;
      }
      return Reflect.get(arrays as object, prop);
    },
  });
  compactOf.set(proxy, map);
  return proxy;
}

let installed = false;

/** Makes kuromoji build its target maps with `readTargetMap` (idempotent). */
export function installCompactTargetMap(): void {
  if (installed) return;
  installed = true;
  TokenInfoDictionary.prototype.loadTargetMap = function (this: { target_map: unknown }, bytes: Uint8Array) {
    this.target_map = standIn(this, readTargetMap(bytes));
    return this;
  };
}

/** Puts kuromoji's own loader back (tests compare the two); returns whether it was replaced. */
export function uninstallCompactTargetMap(): boolean {
  if (!installed) return false;
  installed = false;
  TokenInfoDictionary.prototype.loadTargetMap = stock;
  return true;
}
