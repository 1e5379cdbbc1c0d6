/**
 * kuromoji's word lattice and Viterbi search, rebuilt over its own loaded dictionary so that a
 * sentence costs O(length × longest word) instead of O(length²).
 *
 * kuromoji's `ViterbiBuilder.build` starts, at every position of a sentence, a dictionary lookup
 * that first converts the WHOLE rest of the sentence to UTF-8 (`commonPrefixSearch` →
 * `stringToUtf8Bytes`), wraps it in a new `SurrogateAwareString` (another full scan) and
 * decodes every match back to a string; it then allocates one object per lattice node. On a
 * 200 KB contract that is ~0.5 s of the ~1 s spent tokenising, plus much of the GC.
 *
 * `FastLattice` reads the same structures (the double-array trie's base/check arrays, the token
 * info and unknown-word dictionaries, the target maps, the character classes, the connection
 * costs) and walks the trie one UTF-8 byte at a time from each position, stopping where the trie
 * does. Nodes live in typed arrays. Everything kuromoji decides is decided the same way, in the
 * same order: the candidate order within a position (known words by length, their token ids in
 * map order, then unknown words), the end-position buckets in append order, the strict `<` of the
 * forward pass (the first best predecessor wins a tie) and its never-reset predecessor variable,
 * floating-point sums in the same order,
 * the unknown-word grouping by class name, the sentence split after 、/。 and the word_position
 * of later sentences (kuromoji adds the previous token's position). The tokens are therefore
 * identical — test/unit/lattice.test.ts compares them with `Tokenizer.tokenize` on the seeds, the
 * benchmark contract and random text.
 *
 * Surrogate pairs follow kuromoji's arithmetic too: positions count code points, a word's length
 * counts UTF-16 units (but a one-character unknown word has length 1), so a lattice over text
 * with astral characters can be as inconsistent as kuromoji's, and the caller's checks see the
 * same tokens. Where kuromoji would throw — a high surrogate without its low one, U+0000 (which
 * its trie maps to a non-word), a character without a class — or a dictionary entry would end
 * inside a character, `tokenize` returns undefined and the caller asks kuromoji itself.
 *
 * Engine code: imports nothing from vscode or the LSP libraries.
 */

import { compactFromIndexable, type CompactTargetMap } from './targetMap';

/** The fields of a kuromoji token the engine reads (tokenizer/kuromoji.ts), with their meaning. */
export interface LatticeToken {
  surface_form: string;
  /** 1-based, in kuromoji's arithmetic (see the module comment). */
  word_position: number;
  pos: string;
  pos_detail_1: string;
  conjugated_form: string;
  basic_form: string;
  reading?: string;
}

interface ByteBufferLike {
  buffer: Uint8Array;
}

interface DictionaryLike {
  dictionary: ByteBufferLike;
  target_map: unknown;
  getFeatures(id: number): string;
}

interface CharacterClassLike {
  class_id: number;
  class_name: string;
  is_always_invoke: number | boolean;
  is_grouping: number | boolean;
}

interface RawInternals {
  token_info_dictionary: DictionaryLike;
  unknown_dictionary: DictionaryLike & { lookup(ch: string): CharacterClassLike | undefined };
  viterbi_builder: { trie: { bc: { getBaseBuffer(): ArrayLike<number>; getCheckBuffer(): ArrayLike<number> } } };
  viterbi_searcher: { connection_costs: { buffer: ArrayLike<number>; backward_dimension: number } };
}

interface Features {
  surface: string;
  pos: string;
  pos1: string;
  cform: string;
  basic: string;
  reading: string | undefined;
}

/** Thrown inside a sentence when kuromoji would go where this code does not follow. */
class Unmodelled extends Error {}

const MAX = Number.MAX_VALUE;
/** Bound on the feature records kept per dictionary (IPADIC has ~390 k entries; contracts use a few thousand). */
const FEATURE_CACHE_MAX = 100_000;

/** kuromoji's ByteBuffer.getShort: little-endian int16, 0 past the end. */
function getShort(buf: Uint8Array, at: number): number {
  if (buf.length < at + 2) return 0;
  const v = buf[at] | (buf[at + 1] << 8);
  return v & 0x8000 ? v - 0x10000 : v;
}

/** A growable struct-of-arrays for lattice nodes. */
class Nodes {
  n = 0;
  start = new Int32Array(256);
  len = new Int32Array(256);
  left = new Int32Array(256);
  right = new Int32Array(256);
  cost = new Int32Array(256);
  name = new Int32Array(256);
  known = new Uint8Array(256);

  reset(): void {
    this.n = 0;
  }

  push(start: number, len: number, left: number, right: number, cost: number, name: number, known: boolean): void {
    if (this.n === this.start.length) this.grow();
    const i = this.n++;
    this.start[i] = start;
    this.len[i] = len;
    this.left[i] = left;
    this.right[i] = right;
    this.cost[i] = cost;
    this.name[i] = name;
    this.known[i] = known ? 1 : 0;
  }

  private grow(): void {
    const size = this.start.length * 2;
    const g32 = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.start = g32(this.start);
    this.len = g32(this.len);
    this.left = g32(this.left);
    this.right = g32(this.right);
    this.cost = g32(this.cost);
    this.name = g32(this.name);
    const k = new Uint8Array(size);
    k.set(this.known);
    this.known = k;
  }
}

export class FastLattice {
  private readonly base: ArrayLike<number>;
  private readonly check: ArrayLike<number>;
  private readonly known: DictionaryLike;
  private readonly unknown: RawInternals['unknown_dictionary'];
  private readonly knownIds: CompactTargetMap;
  private readonly unknownIds: CompactTargetMap;
  private readonly costs: ArrayLike<number>;
  private readonly backDim: number;
  /** Character class per UTF-16 unit, looked up on first use (null: lookup gave nothing). */
  private readonly classes = new Array<CharacterClassLike | null | undefined>(0x10000);
  private readonly knownFeatures = new Map<number, Features>();
  private readonly unknownFeatures = new Map<number, Features>();
  private readonly nodes = new Nodes();

  private constructor(raw: RawInternals, knownIds: CompactTargetMap, unknownIds: CompactTargetMap) {
    this.knownIds = knownIds;
    this.unknownIds = unknownIds;
    const bc = raw.viterbi_builder.trie.bc;
    this.base = bc.getBaseBuffer();
    this.check = bc.getCheckBuffer();
    this.known = raw.token_info_dictionary;
    this.unknown = raw.unknown_dictionary;
    this.costs = raw.viterbi_searcher.connection_costs.buffer;
    this.backDim = raw.viterbi_searcher.connection_costs.backward_dimension;
  }

  /** The fast path over a built kuromoji tokenizer, or undefined when its internals are not the expected ones. */
  static over(raw: unknown): FastLattice | undefined {
    try {
      const r = raw as RawInternals;
      const bc = r.viterbi_builder.trie.bc;
      if (typeof bc.getBaseBuffer !== 'function' || typeof bc.getCheckBuffer !== 'function') return undefined;
      if (!(r.token_info_dictionary.dictionary.buffer instanceof Uint8Array)) return undefined;
      if (!(r.unknown_dictionary.dictionary.buffer instanceof Uint8Array)) return undefined;
      if (typeof r.unknown_dictionary.lookup !== 'function') return undefined;
      if (typeof r.token_info_dictionary.getFeatures !== 'function') return undefined;
      const cc = r.viterbi_searcher.connection_costs;
      if (!cc.buffer || typeof cc.backward_dimension !== 'number') return undefined;
      const knownIds = compactFromIndexable(r.token_info_dictionary.target_map);
      const unknownIds = compactFromIndexable(r.unknown_dictionary.target_map);
      if (!knownIds || !unknownIds) return undefined;
      return new FastLattice(r, knownIds, unknownIds);
    } catch {
      return undefined;
    }
  }

  /**
   * kuromoji's `Tokenizer.tokenize(text)`, field for field (those of `LatticeToken`), or
   * undefined when this text needs kuromoji itself (see the module comment).
   */
  tokenize(text: string): LatticeToken[] | undefined {
    const out: LatticeToken[] = [];
    try {
      // Tokenizer.splitByPunctuation: a sentence ends after each 、 or 。
      let from = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 0x3001 || c === 0x3002) {
          this.sentence(text.slice(from, i + 1), out);
          from = i + 1;
        }
      }
      if (from < text.length) this.sentence(from === 0 ? text : text.slice(from), out);
    } catch (err) {
      if (err instanceof Unmodelled) return undefined;
      throw err;
    }
    return out;
  }

  private classOf(code: number): CharacterClassLike {
    let cls = this.classes[code];
    if (cls === undefined) {
      cls = this.unknown.lookup(String.fromCharCode(code)) ?? null;
      this.classes[code] = cls;
    }
    if (cls === null) throw new Unmodelled();
    return cls;
  }

  /** DoubleArray.traverse: the child of `parent` by `code`, or -1. */
  private traverse(parent: number, code: number): number {
    const base = this.base;
    const b = parent > base.length - 1 ? -parent + 1 : base[parent];
    const child = b + code;
    return child >= 0 && child < this.check.length && this.check[child] === parent ? child : -1;
  }

  private rangeValues: Int32Array = new Int32Array(0);
  private rangeFrom = 0;
  private rangeTo = 0;

  /** Sets rangeValues[rangeFrom .. rangeTo) to the token ids of `key`; throws where kuromoji's map has no such key. */
  private idRange(map: CompactTargetMap, key: number): void {
    if (key >= 0 && key < map.offsets.length - 1) {
      this.rangeValues = map.values;
      this.rangeFrom = map.offsets[key];
      this.rangeTo = map.offsets[key + 1];
    } else {
      const v = map.extra.get(key);
      this.rangeValues = v ?? map.values;
      this.rangeFrom = 0;
      this.rangeTo = v ? v.length : 0;
    }
    // no such key: kuromoji reads .length of undefined and throws
    if (this.rangeFrom === this.rangeTo) throw new Unmodelled();
  }

  private cost(right: number, left: number): number {
    const index = right * this.backDim + left + 2;
    if (this.costs.length < index + 1) throw new Unmodelled();
    return this.costs[index];
  }

  /** A scratch Int32Array of at least `size` elements (kept between sentences). */
  private scratch(i: number, size: number): Int32Array {
    let a = this.scratches[i];
    if (a.length < size) {
      a = new Int32Array(Math.max(size, a.length * 2));
      this.scratches[i] = a;
    }
    return a;
  }

  private readonly scratches: Int32Array[] = [new Int32Array(64), new Int32Array(64), new Int32Array(64), new Int32Array(64), new Int32Array(64), new Int32Array(64)];
  private shortestScratch = new Float64Array(256);

  /**
   * Tokenizer.tokenizeForSentence for one sentence. Positions are kuromoji's: code points, a high
   * surrogate always taking the next unit with it (SurrogateAwareString); lengths are UTF-16
   * units of the word, except a one-character unknown word, whose length is 1.
   */
  private sentence(s: string, out: LatticeToken[]): void {
    const units = s.length;
    if (units === 0) return;
    // idx[p]: unit offset of code point p; idx[n] = units
    const idx = this.scratch(0, units + 1);
    let n = 0;
    for (let u = 0; u < units; u++) {
      idx[n++] = u;
      const c = s.charCodeAt(u);
      if (c >= 0xd800 && c <= 0xdbff) {
        // kuromoji's UTF-8 encoder gives up on a high surrogate without its low one, and throws
        const d = s.charCodeAt(u + 1);
        if (!(d >= 0xdc00 && d <= 0xdfff)) throw new Unmodelled();
        u++;
      }
    }
    idx[n] = units;

    const classes = this.classScratch(n);
    for (let p = 0; p < n; p++) classes[p] = this.classOf(s.charCodeAt(idx[p]));
    // runEnd[p]: end (code points) of the run of p's class name starting at p (unknown-word grouping)
    const runEnd = this.scratch(1, n);
    runEnd[n - 1] = n;
    for (let p = n - 2; p >= 0; p--) runEnd[p] = classes[p + 1].class_name === classes[p].class_name ? runEnd[p + 1] : p + 1;

    const nodes = this.nodes;
    nodes.reset();
    const unkDict = this.unknown.dictionary.buffer;
    let maxEnd = 0;

    for (let pos = 0; pos < n; pos++) {
      const from = idx[pos];
      const found = this.knownWords(s, units, pos, from);
      if (found > maxEnd) maxEnd = found;
      // unknown words: when nothing is known here, or the class always invokes
      const cls = classes[pos];
      if (found === 0 || cls.is_always_invoke === 1) {
        // (found: the furthest end of a known word here, 0 for none)
        const group = cls.is_grouping === 1 && n - pos > 1 ? runEnd[pos] - pos : 1;
        const len = group === 1 ? 1 : idx[pos + group] - from;
        this.idRange(this.unknownIds, cls.class_id);
        const values = this.rangeValues;
        for (let q = this.rangeFrom; q < this.rangeTo; q++) {
          const id = values[q];
          nodes.push(pos, len, getShort(unkDict, id), getShort(unkDict, id + 2), getShort(unkDict, id + 4), id, false);
        }
        if (pos + len > maxEnd) maxEnd = pos + len;
      }
    }

    // ViterbiLattice: nodes bucketed by last position (1-based: start + length), in append order
    const count = nodes.n;
    const bucketStart = this.scratch(2, maxEnd + 2);
    bucketStart.fill(0, 0, maxEnd + 2);
    for (let j = 0; j < count; j++) bucketStart[nodes.start[j] + nodes.len[j] + 1]++;
    for (let e = 1; e <= maxEnd + 1; e++) bucketStart[e] += bucketStart[e - 1];
    const fill = this.scratch(3, maxEnd + 1);
    fill.set(bucketStart.subarray(0, maxEnd + 1));
    const order = this.scratch(4, count);
    for (let j = 0; j < count; j++) order[fill[nodes.start[j] + nodes.len[j]]++] = j;
    // bucket e holds order[bucketStart[e] .. bucketStart[e + 1]); bucket 0 (BOS) is handled apart

    let node = this.forward(maxEnd, count, bucketStart, order);
    const prev = this.scratches[5]; // forward's predecessors

    // ViterbiSearcher.backward
    if (node === -1) return;
    const path: number[] = [];
    while (node !== -2) {
      path.push(node);
      const p = prev[node];
      if (p === -1) return;
      node = p;
    }
    const lastPos = out.length > 0 ? out[out.length - 1].word_position : 0;
    for (let i = path.length - 1; i >= 0; i--) {
      const j = path[i];
      const start = nodes.start[j];
      const position = lastPos + start + 1;
      if (nodes.known[j] === 1) {
        const f = this.features(this.known, this.knownFeatures, nodes.name[j]);
        out.push({
          surface_form: f.surface,
          word_position: position,
          pos: f.pos,
          pos_detail_1: f.pos1,
          conjugated_form: f.cform,
          basic_form: f.basic,
          reading: f.reading,
        });
      } else {
        const f = this.features(this.unknown, this.unknownFeatures, nodes.name[j]);
        out.push({
          // key.toString(): one whole character, or the grouped run
          surface_form: s.slice(idx[start], nodes.len[j] === 1 ? idx[start + 1] : idx[start] + nodes.len[j]),
          word_position: position,
          pos: f.pos,
          pos_detail_1: f.pos1,
          conjugated_form: f.cform,
          basic_form: f.basic,
          // formatUnknownEntry sets no reading
        });
      }
    }
  }

  /**
   * ViterbiSearcher.forward over the bucketed nodes; returns EOS's predecessor (-2: BOS, -1: none).
   * Its `shortest_prev_node` is a function-scoped `var` that is never reset: a node no predecessor
   * improves on (all unreachable) gets the predecessor chosen last for ANY earlier node.
   * Reproduced with `chosen`.
   */
  private forward(maxEnd: number, count: number, bucketStart: Int32Array, order: Int32Array): number {
    const nodes = this.nodes;
    if (this.shortestScratch.length < count) this.shortestScratch = new Float64Array(Math.max(count, this.shortestScratch.length * 2));
    const shortest = this.shortestScratch;
    const prev = this.scratch(5, count); // -2: BOS, -1: none
    let chosen = -1;
    for (let e = 1; e <= maxEnd; e++) {
      for (let q = bucketStart[e]; q < bucketStart[e + 1]; q++) {
        const j = order[q];
        const start = nodes.start[j]; // start_pos - 1
        const left = nodes.left[j];
        const own = nodes.cost[j];
        let best = MAX;
        if (start === 0) {
          const c = 0 + this.cost(0, left) + own;
          if (c < best) {
            best = c;
            chosen = -2;
          }
        } else {
          const lo = bucketStart[start];
          const hi = bucketStart[start + 1];
          if (lo === hi) {
            // no node ends just before this one: kuromoji skips it (prev stays null)
            shortest[j] = MAX;
            prev[j] = -1;
            continue;
          }
          for (let p = lo; p < hi; p++) {
            const k = order[p];
            const c = shortest[k] + this.cost(nodes.right[k], left) + own;
            if (c < best) {
              best = c;
              chosen = k;
            }
          }
        }
        prev[j] = chosen;
        shortest[j] = best;
      }
    }
    // EOS, after the nodes ending last
    let best = MAX;
    for (let p = bucketStart[maxEnd]; p < bucketStart[maxEnd + 1]; p++) {
      const k = order[p];
      const c = shortest[k] + this.cost(nodes.right[k], 0) + 0;
      if (c < best) {
        best = c;
        chosen = k;
      }
    }
    return chosen;
  }

  /**
   * ViterbiBuilder.build at one position: appends the dictionary words starting at code point
   * `pos` (unit `from`), shortest first, as kuromoji's commonPrefixSearch finds them. Returns the
   * furthest end (pos + length) of those words, or 0 when there is none. A method of its own: a
   * small hot loop that the JIT optimises early (as one loop inside `sentence` it stayed
   * interpreted for the first ~0.2 s of a process).
   */
  private knownWords(s: string, units: number, pos: number, from: number): number {
    const nodes = this.nodes;
    const dict = this.known.dictionary.buffer;
    let end = 0;
    let parent = 0;
    for (let u = from; u < units; u++) {
      let c = s.charCodeAt(u);
      let m: number;
      if (c >= 0xd800 && c <= 0xdbff) {
        c = (c - 0xd800) * 0x400 + (s.charCodeAt(u + 1) - 0xdc00) + 0x10000;
        u++;
        m = 4;
      } else m = c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
      for (let k = 0; k < m; k++) {
        const shift = 6 * (m - 1 - k);
        const byte = m === 1 ? c : k === 0 ? (c >>> shift) | (m === 2 ? 0xc0 : m === 3 ? 0xe0 : 0xf0) : ((c >>> shift) & 0x3f) | 0x80;
        const child = this.traverse(parent, byte);
        if (child < 0) return end;
        parent = child;
        const leaf = this.traverse(child, 0);
        if (leaf < 0) continue;
        // a word ending inside a character, or a non-leaf value: kuromoji would go astray
        if (k !== m - 1) throw new Unmodelled();
        const b = leaf > this.base.length - 1 ? -leaf + 1 : this.base[leaf];
        if (b > 0) throw new Unmodelled();
        const len = u + 1 - from;
        this.idRange(this.knownIds, -b - 1);
        const values = this.rangeValues;
        for (let q = this.rangeFrom; q < this.rangeTo; q++) {
          const id = values[q];
          nodes.push(pos, len, getShort(dict, id), getShort(dict, id + 2), getShort(dict, id + 4), id, true);
        }
        end = pos + len;
      }
    }
    return end;
  }

  private classList: CharacterClassLike[] = [];

  private classScratch(n: number): CharacterClassLike[] {
    if (this.classList.length < n) this.classList = new Array<CharacterClassLike>(Math.max(n, this.classList.length * 2));
    return this.classList;
  }

  private features(dict: DictionaryLike, cache: Map<number, Features>, id: number): Features {
    let f = cache.get(id);
    if (f !== undefined) return f;
    const line = dict.getFeatures(id);
    const parts = line == null ? [] : line.split(',');
    f = { surface: parts[0], pos: parts[1], pos1: parts[2], cform: parts[6], basic: parts[7], reading: parts[8] };
    if (cache.size < FEATURE_CACHE_MAX) cache.set(id, f);
    return f;
  }
}
