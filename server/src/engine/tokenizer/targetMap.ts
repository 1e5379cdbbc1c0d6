/**
 * A leaner build of kuromoji's word → token-info map (tid_map.dat), the largest JavaScript
 * structure of its dictionary.
 *
 * kuromoji's own `TokenInfoDictionary.prototype.loadTargetMap` reads the file into an object used
 * as a hash map (325,871 numeric keys) whose values are arrays grown by `push` — V8 gives each a
 * backing store of 17 slots although 85 % hold one id. That is ~70 MB of heap and ~0.2 s of
 * build in one piece. This replacement reads the same bytes with the same rules (little-endian
 * int32; a read past the end gives 0, as kuromoji's ByteBuffer.getInt does; a key met twice
 * gets the values appended) into a dense array of exact-size arrays. Its only reader at run time,
 * `ViterbiBuilder.build`, indexes it (`target_map[trie_id]`) and reads `.length` and `[i]`,
 * which an array answers alike. Tokens are unchanged (test/unit/tokenizer.test.ts compares).
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

/** Reads tid_map.dat's bytes exactly as kuromoji's loadTargetMap does, into compact arrays. */
export function readTargetMap(bytes: Uint8Array): number[][] {
  const len = bytes.byteLength;
  const view = new DataView(bytes.buffer, bytes.byteOffset, len);
  const get = (at: number): number => (at + 4 <= len ? view.getInt32(at, true) : 0);
  // first pass: the largest key, so that the array is allocated once with fast (holey) elements
  let maxKey = -1;
  for (let p = 4; len >= p + 1; ) {
    const key = get(p);
    const n = get(p + 4);
    p += 8 + 4 * Math.max(0, n);
    if (n > 0 && key > maxKey) maxKey = key;
  }
  const map: number[][] = maxKey >= 0 && maxKey < 50_000_000 ? new Array<number[]>(maxKey + 1) : [];
  let p = 4; // the key count, which kuromoji reads and ignores
  while (len >= p + 1) {
    const key = get(p);
    const n = get(p + 4);
    p += 8;
    if (n <= 0) continue;
    let values: number[];
    if (n === 1) values = [get(p)];
    else {
      values = [];
      for (let i = 0; i < n; i++) values.push(get(p + 4 * i));
      values = values.slice(); // exact-size backing store
    }
    p += 4 * n;
    const had = map[key];
    map[key] = had ? had.concat(values) : values;
  }
  return map;
}

let installed = false;

/** Makes kuromoji build its target map with `readTargetMap` (idempotent). */
export function installCompactTargetMap(): void {
  if (installed) return;
  installed = true;
  TokenInfoDictionary.prototype.loadTargetMap = function (this: { target_map: unknown }, bytes: Uint8Array) {
    this.target_map = readTargetMap(bytes);
    return this;
  };
}

/** Puts kuromoji's own loader back (tests compare the two). */
export function uninstallCompactTargetMap(): void {
  if (!installed) return;
  installed = false;
  TokenInfoDictionary.prototype.loadTargetMap = stock;
}
