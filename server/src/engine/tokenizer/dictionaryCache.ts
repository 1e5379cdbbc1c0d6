/**
 * A cache of kuromoji's dictionary, decompressed: later starts read it instead of gunzipping.
 *
 * kuromoji reads its 12 *.dat.gz files (17 MiB) and gunzips them (96 MiB, mostly zero padding) on
 * every start. This keeps, under a cache root, a directory holding the files decompressed once,
 * with the trailing zero padding trimmed (to a multiple of 4 bytes), and serves kuromoji from it
 * through an override of its loader's `loadArrayBuffer` (no fork):
 *
 *   <cacheRoot>/kuromoji-<key>/base.dat, check.dat, …, tid_pos.kfeat, manifest.json
 *
 * Writing a cache removes the ones of older formats under the same root (`removeOlderFormats`).
 *
 * The word features (tid_pos.dat, 34 MiB: one text line per word) are kept in their compact form
 * instead (tid_pos.kfeat, 12 MiB, features.ts): kuromoji is served an empty tid_pos.dat, and its
 * `getFeatures` then answers from the compact form, with the same strings (`adopt`).
 *
 * `key` identifies the source dictionary without reading it all: kuromoji's version and, for each
 * *.dat.gz, its name, size and gzip trailer (CRC-32 and length of the decompressed data). The
 * manifest (file names and byte lengths) is written last, into a temporary directory renamed into
 * place in one step, so a reader sees either no cache or a complete one; two processes writing at
 * once each write their own temporary directory, and the second rename finds the first one's
 * result. A cache is used only when its manifest is there and every file has the size it names;
 * otherwise it is ignored, and replaced.
 *
 * Starts:
 *  - cache valid: kuromoji reads the raw files (no gunzip, a third less memory).
 *  - no (valid) cache: the *.dat.gz are gunzipped in memory — as kuromoji itself would — and
 *    kuromoji is built from those buffers; the cache is written afterwards, in the background,
 *    from the same buffers. The first start is not slower than kuromoji's own loading.
 *  - anything failing (read-only or full disk, corrupt files, missing directory, the loader not
 *    replaceable): kuromoji's own loading of the *.dat.gz. Nothing here throws; `prepareDictionary`
 *    reports a status that the front ends may log (this module logs nothing).
 *
 * The cache holds the public IPADIC dictionary only — never any document text.
 *
 * Imports nothing from vscode or vscode-languageserver (engine rule).
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import * as zlib from 'zlib';
import { CompactFeatures, compactFeatures, type TokenInfoDictionaryLike } from './features';

/** kuromoji's dictionary files (the list its DictionaryLoader reads). */
export const DICTIONARY_FILES: readonly string[] = [
  'base.dat.gz',
  'check.dat.gz',
  'tid.dat.gz',
  'tid_pos.dat.gz',
  'tid_map.dat.gz',
  'cc.dat.gz',
  'unk.dat.gz',
  'unk_pos.dat.gz',
  'unk_map.dat.gz',
  'unk_char.dat.gz',
  'unk_compat.dat.gz',
  'unk_invoke.dat.gz',
];

/**
 * Files kept whole: arrays whose reader treats an index past the end differently from a zero
 * (the double-array trie returns a computed value, the connection costs throw, the character
 * category map is indexed by code unit). The others are byte streams read up to a terminator or
 * a count, where the trailing zeros are padding. (For the IPADIC shipped with kuromoji these four
 * end with non-zero data anyway.)
 */
const KEEP_WHOLE = new Set(['base.dat.gz', 'check.dat.gz', 'cc.dat.gz', 'unk_char.dat.gz']);

/** The word features: kept in the cache as FEATURES_FILE, their compact form (features.ts). */
const FEATURES_GZ = 'tid_pos.dat.gz';
const FEATURES_FILE = 'tid_pos.kfeat';

/** The cache's files: kuromoji's, decompressed, but the word features in their compact form. */
const CACHE_FILES: readonly string[] = [...DICTIONARY_FILES.filter((n) => n !== FEATURES_GZ).map(rawName), FEATURES_FILE];

/**
 * Bump when the layout or the trimming rule changes: a new key, so old caches are ignored.
 * 2: tid_pos.dat replaced by tid_pos.kfeat.
 */
const FORMAT = 2;
const MANIFEST = 'manifest.json';
/** Temporary and discarded directories older than this are removed when a cache is written. */
const STALE_MS = 60 * 60 * 1000;

const gunzip = promisify(zlib.gunzip);

export type DictionaryCacheState = 'disabled' | 'used' | 'created' | 'failed';

/** What became of the cache for one tokenizer build. Paths and error codes only, no document text. */
export interface DictionaryCacheStatus {
  /**
   * disabled: no cache root; kuromoji's own loading.
   * used: the tokenizer was built from the cache.
   * created: there was no valid cache; the tokenizer was built from the *.dat.gz (decompressed in
   *   memory) and the cache has been written (or another process wrote it meanwhile).
   * failed: the cache could not be read or written (see `detail`); the tokenizer was built from
   *   the *.dat.gz all the same.
   */
  state: DictionaryCacheState;
  /** The cache directory (<cacheRoot>/kuromoji-<key>), once known. */
  dir?: string;
  /** What failed, or why an existing cache was replaced. */
  detail?: string;
  /** Milliseconds from `prepareDictionary` to this status (used: tokenizer built; created: cache written). */
  ms?: number;
}

// ---------------------------------------------------------------------------------------------
// Where the cache lives.

const APP_DIR = 'keiyaku-lint';

/**
 * The default cache root: `$KEIYAKU_LINT_CACHE_DIR` when set (the empty string disables the cache:
 * null), else the user's cache directory + /keiyaku-lint: `$XDG_CACHE_HOME` or ~/.cache on Linux
 * and other Unixes, ~/Library/Caches on macOS, `%LOCALAPPDATA%` on Windows. Null when there is no
 * home directory to put it in.
 */
export function defaultCacheRoot(
  env: Record<string, string | undefined> = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = safeHomedir(),
): string | null {
  const override = env.KEIYAKU_LINT_CACHE_DIR;
  if (override !== undefined) return override === '' ? null : path.resolve(override);
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA;
    if (local && path.win32.isAbsolute(local)) return path.win32.join(local, APP_DIR);
    return home ? path.win32.join(home, 'AppData', 'Local', APP_DIR) : null;
  }
  if (platform === 'darwin') return home ? path.posix.join(home, 'Library', 'Caches', APP_DIR) : null;
  const xdg = env.XDG_CACHE_HOME;
  // The XDG spec: a relative path is invalid and must be ignored.
  if (xdg && path.posix.isAbsolute(xdg)) return path.posix.join(xdg, APP_DIR);
  return home ? path.posix.join(home, '.cache', APP_DIR) : null;
}

function safeHomedir(): string {
  try {
    return os.homedir();
  } catch {
    return '';
  }
}

/**
 * The cache root a front end asked for (an untyped option: initializationOptions, a CLI flag):
 * a non-empty string → that directory; false, null or '' → no cache; anything else (absent) →
 * `defaultCacheRoot(env)`.
 */
export function cacheRootFromOption(value: unknown, env: Record<string, string | undefined> = process.env): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : path.resolve(value);
  if (value === false || value === null) return null;
  return defaultCacheRoot(env);
}

/** One line for a log (English; paths and error codes, no document text). */
export function describeDictionaryCache(s: DictionaryCacheStatus): string {
  const ms = s.ms !== undefined ? ` in ${Math.round(s.ms)} ms` : '';
  switch (s.state) {
    case 'disabled':
      return 'dictionary cache: disabled; the dictionary was read from its .gz files';
    case 'used':
      return `dictionary cache: used ${s.dir}${ms}`;
    case 'created':
      return `dictionary cache: created ${s.dir}${ms}${s.detail ? ` (${s.detail})` : ''}`;
    case 'failed':
      return `dictionary cache: not used (${s.detail ?? 'unknown error'}${s.dir ? `; ${s.dir}` : ''}); the dictionary was read from its .gz files`;
  }
}

// ---------------------------------------------------------------------------------------------
// The loader override.

type LoadCallback = (err: unknown, buffer?: ArrayBuffer) => void;
type LoadArrayBuffer = (file: string, callback: LoadCallback) => void;

type Served =
  | { kind: 'files'; sizes: ReadonlyMap<string, number>; refs: number }
  | { kind: 'memory'; buffers: ReadonlyMap<string, ArrayBuffer>; refs: number };

/** Directories kuromoji is to be served from, other than through its own loader (resolved paths). */
const served = new Map<string, Served>();
let loaderInstalled: boolean | undefined;

/**
 * Replaces kuromoji's `NodeDictionaryLoader.prototype.loadArrayBuffer`, once: a file in a
 * registered directory is read raw (`foo.dat` for `foo.dat.gz`) or handed over from memory; any
 * other path goes to the original method. False when kuromoji's loader cannot be found.
 *
 * In the esbuild bundles this require resolves to the module kuromoji's TokenizerBuilder uses
 * (esbuild keeps one instance per file); were it another instance, kuromoji's own loader would be
 * asked for a registered directory, fail, and the caller falls back to the *.dat.gz.
 */
function installLoader(): boolean {
  if (loaderInstalled !== undefined) return loaderInstalled;
  loaderInstalled = false;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Loader = require('kuromoji/src/loader/NodeDictionaryLoader.js') as { prototype: { loadArrayBuffer?: LoadArrayBuffer } };
    const original = Loader?.prototype?.loadArrayBuffer;
    if (typeof original !== 'function') return false;
    Loader.prototype.loadArrayBuffer = function (this: unknown, file: string, callback: LoadCallback): void {
      const entry = served.size > 0 && typeof file === 'string' ? served.get(path.resolve(path.dirname(file))) : undefined;
      if (!entry) {
        original.call(this, file, callback);
        return;
      }
      serve(entry, path.dirname(file), path.basename(file), callback);
    };
    loaderInstalled = true;
  } catch {
    // kuromoji's source layout is not what we expect: no override, no cache.
  }
  return loaderInstalled;
}

function serve(entry: Served, dir: string, name: string, callback: LoadCallback): void {
  if (entry.kind === 'memory') {
    const buffer = entry.buffers.get(name);
    // Asynchronously, as kuromoji's own loader answers.
    setImmediate(() => (buffer ? callback(null, buffer) : callback(new Error(`dictionary cache: no ${name} in memory`))));
    return;
  }
  if (name === FEATURES_GZ) {
    // The compact form replaces it once kuromoji is built (the source's `adopt`).
    setImmediate(() => callback(null, new ArrayBuffer(0)));
    return;
  }
  // The size is checked again (readWholeFile): kuromoji throws, asynchronously and uncatchably,
  // on a misaligned array.
  readWholeFile(path.join(dir, rawName(name)), entry.sizes.get(rawName(name)) ?? 0).then(
    (data) => callback(null, exactArrayBuffer(data, data.length)),
    (err: unknown) => callback(err),
  );
}

/**
 * Reads a file of `expected` bytes in as few reads as the system allows (one, from the page
 * cache), off the main thread, into a buffer of exactly that size: `fs.readFile` reads in
 * 512 KiB pieces, one thread-pool round trip each — ~120 for the 62 MiB. A last one-byte read
 * notices a file longer than expected (the caller compares the length, as for a shorter one).
 */
function readWhole(file: string, expected: number, callback: (err: Error | null, data?: Buffer) => void): void {
  fs.open(file, 'r', (err, fd) => {
    if (err) return callback(err);
    const buf = Buffer.allocUnsafeSlow(expected);
    let got = 0;
    const finish = (e: Error | null, data?: Buffer): void => {
      fs.close(fd, () => callback(e, data));
    };
    const next = (): void => {
      if (got === expected) {
        fs.read(fd, Buffer.alloc(1), 0, 1, expected, (e, n) => (e ? finish(e) : finish(null, n === 0 ? buf : Buffer.alloc(expected + n))));
        return;
      }
      fs.read(fd, buf, got, expected - got, got, (e, n) => {
        if (e) return finish(e);
        if (n === 0) return finish(null, buf.subarray(0, got));
        got += n;
        next();
      });
    };
    next();
  });
}

/** `readWhole`, rejecting unless the file has exactly `expected` bytes. */
function readWholeFile(file: string, expected: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    readWhole(file, expected, (err, data) => {
      if (err || !data) reject(err ?? new Error(`dictionary cache: ${path.basename(file)} unreadable`));
      else if (data.length !== expected) reject(new Error(`dictionary cache: ${path.basename(file)} has ${data.length} bytes, expected ${expected}`));
      else resolve(data);
    }),
  );
}

function register(dir: string, entry: Served): () => void {
  const key = path.resolve(dir);
  const existing = served.get(key);
  const e = existing ?? entry;
  e.refs++;
  served.set(key, e);
  let done = false;
  return () => {
    if (done) return;
    done = true;
    if (--e.refs <= 0 && served.get(key) === e) served.delete(key);
  };
}

// ---------------------------------------------------------------------------------------------
// Files.

function rawName(gz: string): string {
  return gz.replace(/\.gz$/, '');
}

const ZERO_BLOCK = Buffer.alloc(64 * 1024);

/** Length without the trailing zero bytes, rounded up to a multiple of 4 (kuromoji's typed arrays). */
export function trimmedLength(data: Uint8Array): number {
  let end = data.length;
  // Whole blocks of zeros first (a memcmp each: the padding runs to megabytes), then byte by byte.
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.length);
  while (end >= ZERO_BLOCK.length && bytes.subarray(end - ZERO_BLOCK.length, end).equals(ZERO_BLOCK)) end -= ZERO_BLOCK.length;
  while (end > 0 && data[end - 1] === 0) end--;
  return Math.min(data.length, Math.ceil(end / 4) * 4);
}

/** An ArrayBuffer holding exactly data[0, length): the underlying one when it fits, else a copy. */
function exactArrayBuffer(data: Uint8Array, length: number): ArrayBuffer {
  const ab = data.buffer as ArrayBuffer;
  if (data.byteOffset === 0 && ab.byteLength === length) return ab;
  return ab.slice(data.byteOffset, data.byteOffset + length);
}

function kuromojiVersion(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return String((require('kuromoji/package.json') as { version?: string }).version ?? '?');
  } catch {
    return '?';
  }
}

/**
 * The cache key of the dictionary in `srcDir`: a hash of kuromoji's version and each *.dat.gz's
 * name, size and 8-byte gzip trailer (CRC-32 and size of the decompressed data) — 12 small reads,
 * yet it changes whenever the content does. Rejects when a file is missing or not gzip-sized.
 */
export async function dictionaryKey(srcDir: string): Promise<string> {
  const parts = await Promise.all(
    DICTIONARY_FILES.map(async (name) => {
      const fh = await fs.promises.open(path.join(srcDir, name), 'r');
      try {
        const { size } = await fh.stat();
        if (size < 18) throw new Error(`${name} is too short for a gzip file`);
        const trailer = Buffer.alloc(8);
        await fh.read(trailer, 0, 8, size - 8);
        return `${name} ${size} ${trailer.toString('hex')}`;
      } finally {
        await fh.close();
      }
    }),
  );
  return crypto
    .createHash('sha256')
    .update([`format ${FORMAT}`, `kuromoji ${kuromojiVersion()}`, ...parts].join('\n'))
    .digest('hex')
    .slice(0, 16);
}

type Validation = { ok: true; sizes: Map<string, number> } | { ok: false; absent: boolean; reason: string };

/** Whether `dir` holds a complete cache: the manifest, and every file at the size it names. */
export async function validateCache(dir: string): Promise<Validation> {
  let manifest: unknown;
  try {
    manifest = JSON.parse(await fs.promises.readFile(path.join(dir, MANIFEST), 'utf8'));
  } catch (e) {
    const absent = (e as NodeJS.ErrnoException).code === 'ENOENT';
    return { ok: false, absent, reason: absent ? 'no manifest' : `manifest unreadable (${errorCode(e)})` };
  }
  const files = (manifest as { format?: unknown; files?: unknown } | null)?.files;
  if ((manifest as { format?: unknown }).format !== FORMAT || typeof files !== 'object' || files === null) {
    return { ok: false, absent: false, reason: 'manifest of another format' };
  }
  const sizes = new Map<string, number>();
  for (const name of CACHE_FILES) {
    const size = (files as Record<string, unknown>)[name];
    // kuromoji's files become typed arrays of 1, 2 or 4-byte elements: a multiple of 4 fits them all.
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0 || (name !== FEATURES_FILE && size % 4 !== 0)) {
      return { ok: false, absent: false, reason: `manifest: bad entry for ${name}` };
    }
    sizes.set(name, size);
  }
  const stats = await Promise.all(CACHE_FILES.map((name) => fs.promises.stat(path.join(dir, name)).then((s) => s, (e: unknown) => e)));
  for (let i = 0; i < CACHE_FILES.length; i++) {
    const name = CACHE_FILES[i];
    const st = stats[i];
    if (!(st instanceof fs.Stats)) return { ok: false, absent: false, reason: `${name} missing (${errorCode(st)})` };
    if (!st.isFile() || st.size !== sizes.get(name)) {
      return { ok: false, absent: false, reason: `${name} has ${st.size} bytes, the manifest says ${sizes.get(name)}` };
    }
  }
  return { ok: true, sizes };
}

function errorCode(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string') return code;
  return e instanceof Error ? e.message : String(e);
}

/** Gunzips the 12 files (in parallel, off the main thread) and trims them. */
async function decompress(srcDir: string): Promise<Map<string, ArrayBuffer>> {
  const buffers = new Map<string, ArrayBuffer>();
  await Promise.all(
    DICTIONARY_FILES.map(async (name) => {
      const data = await gunzip(await fs.promises.readFile(path.join(srcDir, name)));
      buffers.set(name, exactArrayBuffer(data, KEEP_WHOLE.has(name) ? data.length : trimmedLength(data)));
    }),
  );
  return buffers;
}

/** Renames `dir` aside and removes it (a reader that has it open keeps its files on POSIX). */
async function discard(root: string, dir: string): Promise<void> {
  const trash = path.join(root, `.trash-${path.basename(dir)}-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
  await fs.promises.rename(dir, trash);
  await fs.promises.rm(trash, { recursive: true, force: true }).catch(() => undefined);
}

/** Removes temporary and discarded directories left by processes that died mid-way. */
async function removeStale(root: string): Promise<void> {
  let names: string[];
  try {
    names = await fs.promises.readdir(root);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of names) {
    if (!name.startsWith('.tmp-kuromoji-') && !name.startsWith('.trash-kuromoji-')) continue;
    const p = path.join(root, name);
    try {
      const st = await fs.promises.stat(p);
      if (now - st.mtimeMs > STALE_MS) await fs.promises.rm(p, { recursive: true, force: true });
    } catch {
      // gone already, or not ours to remove
    }
  }
}

/**
 * Removes the caches an earlier version of this code wrote in an older format (their manifest
 * says so): the format only grows, so no version that reads this one will read them again, and
 * an older version still installed somewhere rebuilds its own on its next start. Caches of the
 * same or a newer format (another dictionary, a newer version) are left alone, as is anything
 * that is not a cache.
 */
async function removeOlderFormats(root: string, keep: string): Promise<void> {
  let names: string[];
  try {
    names = await fs.promises.readdir(root);
  } catch {
    return;
  }
  for (const name of names) {
    const dir = path.join(root, name);
    if (!name.startsWith('kuromoji-') || dir === keep) continue;
    try {
      const manifest = JSON.parse(await fs.promises.readFile(path.join(dir, MANIFEST), 'utf8')) as { format?: unknown } | null;
      const format = manifest?.format;
      if (typeof format === 'number' && format < FORMAT) await discard(root, dir);
    } catch {
      // no manifest (being written, or not ours), gone already, or not ours to remove
    }
  }
}

async function writeFileSynced(file: string, data: Uint8Array): Promise<void> {
  const fh = await fs.promises.open(file, 'wx');
  try {
    await fh.writeFile(data);
    // On disk before the manifest names it: a crash leaves no manifest over unwritten data.
    await fh.sync();
  } finally {
    await fh.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The word features in their compact form.

interface KuromojiByteBufferClass {
  new (arg: Uint8Array): { buffer: Uint8Array; getString(index: number): string };
}

function byteBufferClass(): KuromojiByteBufferClass {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('kuromoji/src/util/ByteBuffer.js') as KuromojiByteBufferClass;
}

/** One turn of the event loop: a long computation in steps lets a server answer meanwhile. */
const pauseTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The compact form of the word features in the decompressed buffers (features.ts). */
async function featuresFrom(buffers: ReadonlyMap<string, ArrayBuffer>): Promise<Uint8Array> {
  const tid = buffers.get('tid.dat.gz');
  const pos = buffers.get(FEATURES_GZ);
  if (!tid || !pos) throw new Error('tid.dat or tid_pos.dat not decompressed');
  const ByteBuffer = byteBufferClass();
  const out = await compactFeatures(new Uint8Array(tid), new ByteBuffer(new Uint8Array(pos)), pauseTurn);
  if (!out) throw new Error("the word features are not in kuromoji's layout");
  return out;
}

/** kuromoji's token-info dictionary in a built tokenizer, or an error saying it is not there. */
function tokenInfoDictionary(raw: unknown): TokenInfoDictionaryLike {
  const dict = (raw as { token_info_dictionary?: Partial<TokenInfoDictionaryLike> } | null)?.token_info_dictionary;
  if (!dict || typeof dict.getFeatures !== 'function' || typeof dict.dictionary?.getInt !== 'function') {
    throw new Error("kuromoji's token-info dictionary is not where it was expected");
  }
  return dict as TokenInfoDictionaryLike;
}

/** Makes a built kuromoji answer `getFeatures` from the compact form (and drop its own buffer). */
function adoptFeatures(raw: unknown, file: Uint8Array): void {
  const ByteBuffer = byteBufferClass();
  CompactFeatures.read(file).install(tokenInfoDictionary(raw), new ByteBuffer(new Uint8Array(0)));
}

/**
 * Writes the cache `<root>/kuromoji-<key>` from the decompressed buffers: into a temporary
 * directory, manifest last, then renamed into place. Never rejects. With the cache, the compact
 * word features (for the caller to adopt as well).
 */
async function writeCache(
  root: string,
  dir: string,
  buffers: ReadonlyMap<string, ArrayBuffer>,
): Promise<{ ok: true; byOther: boolean; features?: Uint8Array } | { ok: false; detail: string }> {
  let tmp: string | undefined;
  try {
    await fs.promises.mkdir(root, { recursive: true });
    if ((await validateCache(dir)).ok) return { ok: true, byOther: true }; // another process was quicker
    await removeStale(root);
    const features = await featuresFrom(buffers);
    tmp = await fs.promises.mkdtemp(path.join(root, `.tmp-${path.basename(dir)}-`));
    const sizes: Record<string, number> = {};
    for (const name of CACHE_FILES) {
      const gz = `${name}.gz`;
      const data = name === FEATURES_FILE ? features : buffers.has(gz) ? new Uint8Array(buffers.get(gz)!) : undefined;
      if (!data) throw new Error(`${gz} not decompressed`);
      await writeFileSynced(path.join(tmp, name), data);
      sizes[name] = data.byteLength;
    }
    const manifest = { format: FORMAT, kuromoji: kuromojiVersion(), files: sizes };
    await writeFileSynced(path.join(tmp, MANIFEST), Buffer.from(JSON.stringify(manifest, null, 1) + '\n'));
    try {
      await fs.promises.rename(tmp, dir);
    } catch (e) {
      // Something is in the way: another process's complete cache (keep it), or an invalid one.
      if ((await validateCache(dir)).ok) {
        await fs.promises.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
        return { ok: true, byOther: true, features };
      }
      if (!fs.existsSync(dir)) throw e;
      await discard(root, dir);
      await fs.promises.rename(tmp, dir);
    }
    await removeOlderFormats(root, dir);
    return { ok: true, byOther: false, features };
  } catch (e) {
    if (tmp) await fs.promises.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    return { ok: false, detail: `could not write the cache (${errorCode(e)})` };
  }
}

// ---------------------------------------------------------------------------------------------
// The plan for one build.

/** Where kuromoji is to load one dictionary from, and what to do once it has (or has failed). */
export interface DictionarySource {
  /** The `dicPath` to give kuromoji's builder. */
  readonly dicPath: string;
  /** True for the *.dat.gz directory itself (kuromoji's own loading): nothing left to fall back to. */
  readonly stock: boolean;
  /**
   * Call once kuromoji has been built from `dicPath`, before it tokenises: completes what was left
   * out of its files (the word features, from the cache's compact form). Rejects when that cannot
   * be done: then call `failed`.
   */
  adopt(raw: unknown): Promise<void>;
  /**
   * Call once kuromoji has been built and adopted. Resolves (never rejects) with the final
   * status — for a first start, after the cache has been written in the background (and the
   * tokenizer `raw` switched to the compact word features it holds).
   */
  built(raw?: unknown): Promise<DictionaryCacheStatus>;
  /** Call when building from `dicPath` failed: resolves (never rejects) with the next source to try. */
  failed(error: unknown): Promise<DictionarySource>;
}

function stockSource(srcDir: string, status: DictionaryCacheStatus): DictionarySource {
  return {
    dicPath: srcDir,
    stock: true,
    adopt: () => Promise.resolve(),
    built: () => Promise.resolve(status),
    failed: () => Promise.resolve(stockSource(srcDir, status)),
  };
}

let memoryCounter = 0;

/** Decompresses in memory; kuromoji is served from there; the cache is written once it is built. */
async function memorySource(srcDir: string, root: string, dir: string, started: number, why: string | undefined): Promise<DictionarySource> {
  let buffers: Map<string, ArrayBuffer> | undefined;
  try {
    buffers = await decompress(srcDir);
  } catch (e) {
    // A corrupt or unreadable .gz: kuromoji's own loading will say what is wrong.
    return stockSource(srcDir, { state: 'failed', dir, detail: `could not decompress the dictionary (${errorCode(e)})` });
  }
  const virtual = path.join(dir, `.memory-${process.pid}-${++memoryCounter}`);
  const unregister = register(virtual, { kind: 'memory', buffers, refs: 0 });
  return {
    dicPath: virtual,
    stock: false,
    adopt: () => Promise.resolve(),
    built: async (raw) => {
      unregister();
      const held = buffers!;
      buffers = undefined;
      const r = await writeCache(root, dir, held);
      const ms = performance.now() - started;
      if (!r.ok) return { state: 'failed', dir, detail: r.detail, ms };
      if (raw !== undefined && r.features) {
        try {
          adoptFeatures(raw, r.features); // this process too lets go of the 34 MiB line buffer
        } catch {
          // kuromoji keeps answering from its own buffer: same features
        }
      }
      const detail = r.byOther ? 'written by another process' : why ? `replaced: ${why}` : undefined;
      return { state: 'created', dir, detail, ms };
    },
    failed: async (error) => {
      unregister();
      buffers = undefined;
      return stockSource(srcDir, { state: 'failed', dir, detail: `kuromoji could not be built from the decompressed files (${errorCode(error)})` });
    },
  };
}

/**
 * Plans the loading of the dictionary in `srcDir` (a directory of kuromoji *.dat.gz files) with
 * the cache under `cacheRoot` (null/undefined/'': no cache). Never rejects. The caller builds
 * kuromoji from `dicPath`, then calls `built()`, or `failed()` and tries the source it returns.
 */
export async function prepareDictionary(srcDir: string, cacheRoot: string | null | undefined): Promise<DictionarySource> {
  const started = performance.now();
  if (!cacheRoot) return stockSource(srcDir, { state: 'disabled' });
  const root = path.resolve(cacheRoot);
  let dir: string | undefined;
  try {
    if (!installLoader()) return stockSource(srcDir, { state: 'failed', detail: "kuromoji's dictionary loader could not be replaced" });
    dir = path.join(root, `kuromoji-${await dictionaryKey(srcDir)}`);
    const v = await validateCache(dir);
    if (!v.ok) return await memorySource(srcDir, root, dir, started, v.absent ? undefined : v.reason);
    const cacheDir = dir;
    const unregister = register(cacheDir, { kind: 'files', sizes: v.sizes, refs: 0 });
    // read while kuromoji builds from the other files
    const features = readWholeFile(path.join(cacheDir, FEATURES_FILE), v.sizes.get(FEATURES_FILE) ?? 0);
    features.catch(() => undefined); // reported by adopt, if it is asked
    return {
      dicPath: cacheDir,
      stock: false,
      adopt: async (raw) => {
        adoptFeatures(raw, await features);
      },
      built: async () => {
        unregister();
        return { state: 'used', dir: cacheDir, ms: performance.now() - started };
      },
      failed: async (error) => {
        unregister();
        // Set the broken cache aside (the next writer replaces it anyway), then start afresh.
        await discard(root, cacheDir).catch(() => undefined);
        return memorySource(srcDir, root, cacheDir, started, `the cache could not be read (${errorCode(error)})`);
      },
    };
  } catch (e) {
    return stockSource(srcDir, { state: 'failed', dir, detail: errorCode(e) });
  }
}
