/**
 * The engine's tokenizer, over kuromoji (IPADIC).
 *
 *   const tokenizer = await loadTokenizer();     // built once, lazily; concurrent callers share it
 *   tokenizer.tokenize('甲は、…しなければならない。');  // frozen, cached Token[]
 *
 * Dictionary lookup (first directory holding base.dat.gz wins):
 *   1. `options.dicPath`, when given — and then ONLY it: a dictionary the caller names explicitly
 *      must not be silently replaced by another one;
 *   2. `path.join(__dirname, 'dict')` — the esbuild bundles dist/server.js and dist/cli.js sit
 *      next to dist/dict/*.dat.gz (esbuild.mjs copies it there);
 *   3. kuromoji's own package folder (`require.resolve('kuromoji/package.json')`/dict) — dev and
 *      tests, running from out/.
 * None found → `DictionaryNotFoundError` naming every path tried. Nothing is ever downloaded.
 *
 * With `options.cacheDir`, the dictionary found is read through a cache of its files decompressed
 * (dictionaryCache.ts): ~0.3 s and ~120 MiB instead of ~1 s and ~290 MiB from process start
 * (2026-11-22, with the compact target map of targetMap.ts).
 * Without it (the default), kuromoji loads the *.dat.gz itself. Any cache failure falls back to
 * that; `options.onDictionaryCache` hears what happened.
 *
 * Each chunk is tokenised by lattice.ts over kuromoji's loaded dictionary (the same tokens, ~6×
 * faster than kuromoji's own lattice builder), or by kuromoji's `tokenize` where lattice.ts
 * declines (input on which kuromoji throws).
 *
 * Imports nothing from vscode or vscode-languageserver (engine rule).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as kuromoji from 'kuromoji';
import { splitIntoChunks, DEFAULT_MAX_RUN } from './chunker';
import { prepareDictionary, type DictionaryCacheStatus } from './dictionaryCache';
import { fallbackTokenize } from './fallback';
import { CacheStats, CharBoundedLru } from './lru';
import { FastLattice, type LatticeToken } from './lattice';
import { installCompactTargetMap } from './targetMap';
import type { Token, Tokenizer } from './types';

export type { CacheStats } from './lru';
export type { DictionaryCacheStatus } from './dictionaryCache';

/** Default cache bound: total length of the cached input strings, in UTF-16 units. */
export const DEFAULT_CACHE_MAX_CHARS = 2_000_000;

export interface LoadTokenizerOptions {
  /** Directory holding kuromoji's *.dat.gz files. When given, no other directory is tried. */
  dicPath?: string;
  /**
   * Root of the decompressed-dictionary cache (dictionaryCache.ts; see `defaultCacheRoot`);
   * null or absent: no cache, kuromoji reads the *.dat.gz itself. It changes how the dictionary
   * is read, not which one: tokens are the same, and a tokenizer already built or loading for this
   * dictionary choice is shared whatever cacheDir the later call gives.
   */
  cacheDir?: string | null;
  /**
   * Told once, without document text, what became of the cache (used, created, failed, disabled)
   * — for a first start after the cache has been written, i.e. after the tokenizer is ready.
   */
  onDictionaryCache?: (status: DictionaryCacheStatus) => void;
}

export interface TokenizerCacheOptions {
  /** Bound on the total length of cached input strings (UTF-16 units); 0 disables the cache. */
  maxChars?: number;
  /** Cap on a run tokenised in one lattice (see chunker.ts); default 256. */
  maxRun?: number;
  /**
   * Use kuromoji's own lattice builder and search instead of lattice.ts (same tokens, several
   * times slower) — for tests and benchmarks that compare the two.
   */
  stockLattice?: boolean;
}

export type TokenizerState = 'idle' | 'loading' | 'ready' | 'failed';

/** No candidate directory holds the dictionary. `paths` lists every directory tried, in order. */
export class DictionaryNotFoundError extends Error {
  readonly paths: readonly string[];
  constructor(paths: readonly string[]) {
    super(
      `kuromoji dictionary not found (no base.dat.gz) in any of: ${paths.map((p) => JSON.stringify(p)).join(', ')}. ` +
        'The bundled server expects dist/dict/ next to dist/server.js (copied by esbuild.mjs); ' +
        'in development it uses node_modules/kuromoji/dict.',
    );
    this.name = 'DictionaryNotFoundError';
    this.paths = paths;
  }
}

type RawTokenizer = kuromoji.Tokenizer<kuromoji.IpadicFeatures>;

/** One fast lattice per built kuromoji (lattice.ts), shared by the tokenizers wrapping it; null: not available. */
const lattices = new WeakMap<RawTokenizer, FastLattice | null>();
function latticeOf(raw: RawTokenizer): FastLattice | undefined {
  let l = lattices.get(raw);
  if (l === undefined) {
    l = FastLattice.over(raw) ?? null;
    lattices.set(raw, l);
  }
  return l ?? undefined;
}

/** Interns the closed-set feature strings (pos, pos1, conjugatedForm) so cached tokens share them. */
const internTable = new Map<string, string>();
function intern(s: string): string {
  const hit = internTable.get(s);
  if (hit !== undefined) return hit;
  if (internTable.size < 10_000) internTable.set(s, s);
  return s;
}

const EMPTY: Token[] = Object.freeze([]) as unknown as Token[];

/**
 * A kuromoji tokenizer with chunking, offset mapping and a bounded LRU cache.
 *
 * The arrays `tokenize` returns, and the tokens in them, are FROZEN and SHARED between callers
 * (the same array is returned for the same string while it is cached): copy before changing.
 */
/**
 * Share of the cache bound given to the phrase cache (chunks: the runs up to a 、 or 。 that the
 * lattice sees one at a time). A block's cache misses when any character of it changed; its
 * phrases mostly did not, and a long contract repeats many (a bundle of 特記事項 for several
 * 案件, 「甲は、乙に対し、」): their tokens are copied with shifted offsets instead of searched
 * again. A phrase's tokens do not depend on what surrounds it (the chunker cuts where kuromoji's
 * own sentence split would), so the tokens are the same either way.
 */
const CHUNK_CACHE_SHARE = 0.25;

export class KuromojiTokenizer implements Tokenizer {
  private readonly cache: CharBoundedLru<Token[]>;
  /** Tokens of each phrase, offsets from the phrase's start (see CHUNK_CACHE_SHARE). */
  private readonly chunks: CharBoundedLru<readonly Token[]>;
  private readonly maxRun: number;
  private readonly lattice: FastLattice | undefined;
  private fallbacks = 0;

  /** Use `loadTokenizer()`; this constructor is for wrappers sharing an already built kuromoji. */
  constructor(
    private readonly raw: RawTokenizer,
    options: TokenizerCacheOptions = {},
  ) {
    this.cache = new CharBoundedLru<Token[]>(options.maxChars ?? DEFAULT_CACHE_MAX_CHARS);
    this.chunks = new CharBoundedLru<readonly Token[]>(chunkBound(options.maxChars ?? DEFAULT_CACHE_MAX_CHARS));
    this.maxRun = options.maxRun ?? DEFAULT_MAX_RUN;
    this.lattice = options.stockLattice ? undefined : latticeOf(raw);
  }

  /**
   * A tokenizer sharing this one's dictionary (no second build) with its own cache and settings.
   * For tests and benchmarks, or a front end that wants a different bound.
   */
  withOptions(options: TokenizerCacheOptions): KuromojiTokenizer {
    return new KuromojiTokenizer(this.raw, options);
  }

  tokenize(text: string): Token[] {
    if (typeof text !== 'string' || text.length === 0) return EMPTY;
    try {
      const cached = this.cache.get(text);
      if (cached !== undefined) return cached;
      const tokens = this.tokenizeUncached(text);
      for (const t of tokens) Object.freeze(t);
      Object.freeze(tokens);
      this.cache.set(text, tokens);
      return tokens;
    } catch {
      // Should be unreachable (tokenizeUncached guards each chunk), but never throw.
      this.fallbacks++;
      const tokens = fallbackTokenize(text);
      for (const t of tokens) Object.freeze(t);
      return Object.freeze(tokens) as Token[];
    }
  }

  /**
   * Cache counters and size (size and maxChars in UTF-16 units of cached input) of the strings
   * given to `tokenize`; `chunks`, the same for the phrase cache under it.
   */
  cacheStats(): CacheStats & { fallbacks: number; chunks: CacheStats } {
    return { ...this.cache.stats(), fallbacks: this.fallbacks, chunks: this.chunks.stats() };
  }

  clearCache(): void {
    this.cache.clear();
    this.chunks.clear();
  }

  /** Clears hit/miss/eviction/fallback counters. */
  resetCacheStats(): void {
    this.cache.resetStats();
    this.chunks.resetStats();
    this.fallbacks = 0;
  }

  /**
   * Lets go of cached tokens beyond `chars` of input (least recently used first; the phrase cache
   * keeps its share of that); the bounds stay. Returns the input length whose tokens are still
   * cached in the strings' cache.
   */
  trimCache(chars: number): number {
    this.chunks.trim(chunkBound(chars));
    return this.cache.trim(chars);
  }

  /** Changes the cache bound (0 disables caching), evicting at once if needed. */
  setCacheMaxChars(maxChars: number): void {
    this.cache.setMaxChars(maxChars);
    this.chunks.setMaxChars(chunkBound(maxChars));
  }

  private tokenizeUncached(text: string): Token[] {
    const out: Token[] = [];
    for (const { start, end } of splitIntoChunks(text, this.maxRun)) {
      const chunk = text.slice(start, end);
      const known = this.chunks.get(chunk);
      if (known !== undefined) {
        for (const t of known) out.push(start === 0 ? t : shifted(t, start));
        continue;
      }
      let ok = false;
      const from = out.length;
      try {
        ok = this.tokenizeChunk(chunk, start, out);
      } catch {
        ok = false;
      }
      if (ok && this.chunks.bound > 0) {
        const own: Token[] = [];
        for (let i = from; i < out.length; i++) {
          const t = out[i];
          own.push(Object.freeze(start === 0 ? t : shifted(t, -start)));
        }
        this.chunks.set(chunk, Object.freeze(own));
      } else if (!ok) {
        this.fallbacks++;
        // Drop whatever the failed chunk appended, then cover it coarsely.
        while (out.length > 0 && out[out.length - 1].end > start) out.pop();
        for (const t of fallbackTokenize(chunk, start)) out.push(t);
      }
    }
    return out;
  }

  /**
   * Tokenises one chunk (which holds at most one 、/。, at its end, so kuromoji sees one sentence)
   * and appends its tokens with offsets into the full text. Returns false when kuromoji's output
   * does not cover the chunk exactly; the caller then falls back.
   */
  private tokenizeChunk(chunk: string, offset: number, out: Token[]): boolean {
    const features: readonly LatticeToken[] = this.lattice?.tokenize(chunk) ?? this.raw.tokenize(chunk);
    // word_position is 1-based and counts code points (kuromoji's SurrogateAwareString), so map
    // code-point indices to UTF-16 offsets when the chunk holds surrogate pairs.
    const cpToUnit = /[\uD800-\uDBFF]/.test(chunk) ? codePointIndex(chunk) : undefined;
    let cursor = 0;
    for (const f of features) {
      const surface = f.surface_form;
      if (typeof surface !== 'string' || surface.length === 0) return false;
      const cp = f.word_position - 1;
      let start = cpToUnit ? cpToUnit[cp] : cp;
      if (start !== cursor || !chunk.startsWith(surface, start)) {
        // word_position disagrees with the surfaces (kuromoji's multi-sentence arithmetic assumes
        // a one-character final token); trust the surfaces when they fit.
        if (!chunk.startsWith(surface, cursor)) return false;
        start = cursor;
      }
      const end = start + surface.length;
      const base = f.basic_form && f.basic_form !== '*' ? (f.basic_form === surface ? surface : f.basic_form) : surface;
      const reading = f.reading && f.reading !== '*' ? f.reading : undefined;
      out.push(token(surface, base, reading, intern(f.pos), intern(f.pos_detail_1 ?? '*'), intern(f.conjugated_form ?? '*'), offset + start, offset + end));
      cursor = end;
    }
    return cursor === chunk.length;
  }
}

/** A token; made in one place, so that every token has the same shape. */
function token(surface: string, base: string, reading: string | undefined, pos: string, pos1: string, conjugatedForm: string, start: number, end: number): Token {
  return { surface, base, reading, pos, pos1, conjugatedForm, start, end };
}

/** `t` moved by `delta` characters. */
function shifted(t: Token, delta: number): Token {
  return token(t.surface, t.base, t.reading, t.pos, t.pos1, t.conjugatedForm, t.start + delta, t.end + delta);
}

/** The phrase cache's bound for a cache bound of `maxChars`. */
function chunkBound(maxChars: number): number {
  return Number.isFinite(maxChars) && maxChars > 0 ? Math.floor(maxChars * CHUNK_CACHE_SHARE) : 0;
}

/** UTF-16 offset of each code point of `s` (a lone surrogate counts as one code point). */
function codePointIndex(s: string): number[] {
  // Same rule as kuromoji's SurrogateAwareString: a high surrogate always swallows the next unit.
  const map: number[] = [];
  for (let i = 0; i < s.length; i++) {
    map.push(i);
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) i++;
  }
  map.push(s.length);
  return map;
}

// ---------------------------------------------------------------------------------------------
// Loading: one memoised build per dictionary choice.

interface Entry {
  state: TokenizerState;
  promise?: Promise<KuromojiTokenizer>;
}

const DEFAULT_KEY = '\0default';
const entries = new Map<string, Entry>();
let lastKey: string | undefined;
let builds = 0;

function keyOf(options?: LoadTokenizerOptions): string {
  return options?.dicPath !== undefined ? path.resolve(options.dicPath) : DEFAULT_KEY;
}

/** Candidate dictionary directories, in lookup order. */
export function dictionaryCandidates(options?: LoadTokenizerOptions): string[] {
  if (options?.dicPath !== undefined) return [path.resolve(options.dicPath)];
  const candidates = [path.join(__dirname, 'dict')];
  try {
    candidates.push(path.join(path.dirname(require.resolve('kuromoji/package.json')), 'dict'));
  } catch {
    // kuromoji is not installed next to us (the bundled extension): nothing more to try.
  }
  return candidates;
}

async function findDictionary(options?: LoadTokenizerOptions): Promise<string> {
  const tried = dictionaryCandidates(options);
  for (const dir of tried) {
    try {
      const stat = await fs.promises.stat(path.join(dir, 'base.dat.gz'));
      if (stat.isFile()) return dir;
    } catch {
      // try the next one
    }
  }
  throw new DictionaryNotFoundError(tried);
}

function build(dicPath: string): Promise<RawTokenizer> {
  return new Promise<RawTokenizer>((resolve, reject) => {
    builds++;
    try {
      installCompactTargetMap();
      kuromoji.builder({ dicPath }).build((err, raw) => {
        if (err) {
          reject(new Error(`kuromoji could not load the dictionary in ${JSON.stringify(dicPath)}: ${err.message ?? err}`, { cause: err }));
        } else {
          resolve(raw);
        }
      });
    } catch (err) {
      reject(new Error(`kuromoji could not load the dictionary in ${JSON.stringify(dicPath)}: ${String(err)}`, { cause: err }));
    }
  });
}

/**
 * Builds kuromoji from the dictionary in `srcDir`, through the cache when one is configured:
 * from the cache, else from the *.dat.gz decompressed in memory (then written to the cache), else
 * — whatever failed — kuromoji's own loading of the *.dat.gz, whose failure is the only one
 * reported (as without a cache).
 */
async function buildFrom(srcDir: string, options?: LoadTokenizerOptions): Promise<RawTokenizer> {
  const report = (status: DictionaryCacheStatus): void => {
    try {
      options?.onDictionaryCache?.(status);
    } catch {
      // a front end's logging failure is not ours to raise
    }
  };
  if (!options?.cacheDir) {
    const raw = await build(srcDir);
    report({ state: 'disabled' });
    return raw;
  }
  let source = await prepareDictionary(srcDir, options.cacheDir);
  for (;;) {
    try {
      const raw = await build(source.dicPath);
      await source.adopt(raw);
      void source.built(raw).then(report);
      return raw;
    } catch (err) {
      if (source.stock) throw err;
      source = await source.failed(err);
    }
  }
}

/**
 * The shared tokenizer, built on first call (~1 s and ~290 MiB from the .gz; see above with a
 * cache) and memoised per dictionary choice:
 * every caller, concurrent or later, gets the same promise. A failed load is not memoised, so a
 * later call retries (e.g. after the dictionary has been copied).
 */
export function loadTokenizer(options?: LoadTokenizerOptions): Promise<KuromojiTokenizer> {
  const key = keyOf(options);
  lastKey = key;
  let entry = entries.get(key);
  if (entry?.promise) return entry.promise;
  if (!entry) {
    entry = { state: 'idle' };
    entries.set(key, entry);
  }
  const e = entry;
  e.state = 'loading';
  const promise = findDictionary(options)
    .then((dir) => buildFrom(dir, options))
    .then(
      (raw) => {
        e.state = 'ready';
        return new KuromojiTokenizer(raw);
      },
      (err: unknown) => {
        e.state = 'failed';
        e.promise = undefined;
        throw err;
      },
    );
  e.promise = promise;
  return promise;
}

/**
 * Where the tokenizer build stands — for 「辞書を読み込み中…」 in the server. With options, for that
 * dictionary choice; without, for the most recent `loadTokenizer` call ('idle' if none yet).
 */
export function tokenizerState(options?: LoadTokenizerOptions): TokenizerState {
  const key = options ? keyOf(options) : lastKey;
  if (key === undefined) return 'idle';
  return entries.get(key)?.state ?? 'idle';
}

/** How many kuromoji builds this process has started (diagnostics and tests). */
export function tokenizerBuildCount(): number {
  return builds;
}

/**
 * Forgets the memoised tokenizer for a dictionary choice (default: the automatic lookup), so its
 * memory can be collected once no caller holds it; the next `loadTokenizer` builds afresh.
 * For a server whose dictionary setting changed, and for tests.
 */
export function disposeTokenizer(options?: LoadTokenizerOptions): void {
  entries.delete(keyOf(options));
}
