import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as kuromoji from 'kuromoji';
import {
  cacheRootFromOption,
  defaultCacheRoot,
  describeDictionaryCache,
  dictionaryKey,
  DICTIONARY_FILES,
  prepareDictionary,
  trimmedLength,
  validateCache,
  type DictionaryCacheStatus,
} from '../../server/src/engine/tokenizer/dictionaryCache';
import { disposeTokenizer, KuromojiTokenizer, loadTokenizer, tokenizerState } from '../../server/src/engine/tokenizer/kuromoji';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const DICT = path.join(path.dirname(require.resolve('kuromoji/package.json')), 'dict');
const KUROMOJI_JS = path.join(ROOT, 'out', 'server', 'src', 'engine', 'tokenizer', 'kuromoji.js');

/** Every fixture text (seeds, dev cases, style, references, revisions, forms). */
function fixtures(): string[] {
  const out: string[] = [];
  for (const dir of ['seeds', 'dev-cases', 'style', 'refs', 'revisions', 'forms']) {
    const d = path.join(ROOT, 'test', 'fixtures', dir);
    if (!fs.existsSync(d)) continue;
    for (const f of fs.readdirSync(d).sort()) if (f.endsWith('.txt')) out.push(fs.readFileSync(path.join(d, f), 'utf8'));
  }
  return out;
}

/** A digest of the tokens of every line of every text. */
function digest(tokenizer: KuromojiTokenizer, texts: readonly string[]): string {
  const h = crypto.createHash('sha1');
  for (const text of texts) for (const line of text.split('\n')) h.update(JSON.stringify(tokenizer.tokenize(line)));
  return h.digest('hex');
}

/** loadTokenizer for the kuromoji dictionary (an explicit dicPath: its own memo entry), with the cache status. */
function load(cacheDir: string | null): { tokenizer: Promise<KuromojiTokenizer>; status: Promise<DictionaryCacheStatus> } {
  let resolve!: (s: DictionaryCacheStatus) => void;
  const status = new Promise<DictionaryCacheStatus>((r) => (resolve = r));
  const tokenizer = loadTokenizer({ dicPath: DICT, cacheDir, onDictionaryCache: resolve });
  return { tokenizer, status };
}

/** kuromoji's own tokenizer inside ours. */
function rawOf(t: KuromojiTokenizer): { token_info_dictionary: { pos_buffer: { buffer: Uint8Array } } } {
  return (t as unknown as { raw: { token_info_dictionary: { pos_buffer: { buffer: Uint8Array } } } }).raw;
}

function cacheDirs(root: string): string[] {
  return fs.existsSync(root) ? fs.readdirSync(root).filter((n) => n.startsWith('kuromoji-')) : [];
}

function leftovers(root: string): string[] {
  return fs.existsSync(root) ? fs.readdirSync(root).filter((n) => n.startsWith('.')) : [];
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

describe('dictionary cache', function () {
  this.timeout(120_000);
  let tmp: string;
  let texts: string[];
  let stockDigest: string;

  before(async () => {
    texts = fixtures();
    assert.ok(texts.length >= 10, 'fixtures found');
    // kuromoji's own loading (the automatic lookup, no cache) is the reference.
    stockDigest = digest((await loadTokenizer()).withOptions({ maxChars: 0 }), texts);
  });

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keiyaku-dict-cache-'));
  });

  afterEach(() => {
    disposeTokenizer({ dicPath: DICT });
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  describe('default location', () => {
    const HOME = '/home/u';
    it('is $KEIYAKU_LINT_CACHE_DIR when set; the empty string disables the cache', () => {
      assert.equal(defaultCacheRoot({ KEIYAKU_LINT_CACHE_DIR: '/var/cache/kl' }, 'linux', HOME), '/var/cache/kl');
      assert.equal(defaultCacheRoot({ KEIYAKU_LINT_CACHE_DIR: 'rel' }, 'linux', HOME), path.resolve('rel'));
      assert.equal(defaultCacheRoot({ KEIYAKU_LINT_CACHE_DIR: '', XDG_CACHE_HOME: '/x' }, 'linux', HOME), null);
      assert.equal(defaultCacheRoot({ KEIYAKU_LINT_CACHE_DIR: '/c' }, 'win32', HOME), '/c');
    });

    it('is the user cache directory + keiyaku-lint otherwise', () => {
      assert.equal(defaultCacheRoot({}, 'linux', HOME), '/home/u/.cache/keiyaku-lint');
      assert.equal(defaultCacheRoot({ XDG_CACHE_HOME: '/xdg' }, 'linux', HOME), '/xdg/keiyaku-lint');
      assert.equal(defaultCacheRoot({ XDG_CACHE_HOME: 'relative' }, 'linux', HOME), '/home/u/.cache/keiyaku-lint', 'a relative XDG_CACHE_HOME is ignored');
      assert.equal(defaultCacheRoot({ XDG_CACHE_HOME: '/xdg' }, 'darwin', '/Users/u'), '/Users/u/Library/Caches/keiyaku-lint');
      assert.equal(defaultCacheRoot({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32', 'C:\\Users\\u'), 'C:\\Users\\u\\AppData\\Local\\keiyaku-lint');
      assert.equal(defaultCacheRoot({}, 'win32', 'C:\\Users\\u'), 'C:\\Users\\u\\AppData\\Local\\keiyaku-lint');
      assert.equal(defaultCacheRoot({}, 'linux', ''), null, 'no home, no cache');
    });

    it('reads a front end option: a path, false/null/"" (none), or absent (the default)', () => {
      assert.equal(cacheRootFromOption('/store', {}), '/store');
      assert.equal(cacheRootFromOption(false, { KEIYAKU_LINT_CACHE_DIR: '/c' }), null);
      assert.equal(cacheRootFromOption(null, {}), null);
      assert.equal(cacheRootFromOption('  ', {}), null);
      assert.equal(cacheRootFromOption(undefined, { KEIYAKU_LINT_CACHE_DIR: '/c' }), '/c');
      assert.equal(cacheRootFromOption(42, { KEIYAKU_LINT_CACHE_DIR: '/c' }), '/c');
    });
  });

  describe('files', () => {
    it('trims trailing zeros to a multiple of 4 bytes', () => {
      assert.equal(trimmedLength(new Uint8Array([1, 2, 3, 4, 5, 0, 0, 0, 0, 0, 0, 0])), 8);
      assert.equal(trimmedLength(new Uint8Array([1, 2, 3, 4, 0, 0, 0, 0])), 4);
      assert.equal(trimmedLength(new Uint8Array([0, 0, 0, 0])), 0);
      assert.equal(trimmedLength(new Uint8Array([1, 2, 3])), 3, 'never longer than the data');
      const big = new Uint8Array(300_000);
      big[70_000] = 1;
      assert.equal(trimmedLength(big), 70_004, 'across blocks of zeros');
      assert.equal(trimmedLength(big.subarray(3)), 70_000, 'a view at an offset');
      assert.equal(trimmedLength(new Uint8Array(131_072)), 0);
    });

    it('keys the dictionary by its files: stable, and changed when a file changes', async () => {
      const key = await dictionaryKey(DICT);
      assert.match(key, /^[0-9a-f]{16}$/);
      assert.equal(await dictionaryKey(DICT), key);
      const copy = path.join(tmp, 'dict');
      fs.mkdirSync(copy);
      for (const f of DICTIONARY_FILES) fs.copyFileSync(path.join(DICT, f), path.join(copy, f));
      assert.equal(await dictionaryKey(copy), key, 'a copy has the same key');
      // Same compressed size is not enough: the gzip trailer (CRC-32 of the data) tells them apart.
      const unk = zlib.gunzipSync(fs.readFileSync(path.join(copy, 'unk_char.dat.gz')));
      unk[0] ^= 1;
      fs.writeFileSync(path.join(copy, 'unk_char.dat.gz'), zlib.gzipSync(unk));
      assert.notEqual(await dictionaryKey(copy), key);
      fs.rmSync(path.join(copy, 'cc.dat.gz'));
      await assert.rejects(dictionaryKey(copy));
    });
  });

  describe('loadTokenizer({ cacheDir })', () => {
    it('first start creates the cache, a later start uses it; the tokens are those of kuromoji on every fixture', async () => {
      const root = path.join(tmp, 'not', 'yet', 'there');
      const first = load(root);
      const t1 = await first.tokenizer;
      assert.equal(digest(t1, texts), stockDigest, 'first start (decompressed in memory): same tokens');
      const s1 = await first.status;
      assert.equal(s1.state, 'created', describeDictionaryCache(s1));
      assert.equal(s1.detail, undefined);
      const [dir] = cacheDirs(root);
      assert.ok(dir, 'a kuromoji-<key> directory');
      assert.equal(s1.dir, path.join(root, dir));
      assert.deepEqual(leftovers(root), [], 'no temporary directory left');
      const v = await validateCache(path.join(root, dir));
      assert.ok(v.ok);
      // Trimmed, and the word features compact: far smaller than the 96 MiB kuromoji decompresses.
      const files = fs.readdirSync(path.join(root, dir));
      assert.ok(files.includes('tid_pos.kfeat') && !files.includes('tid_pos.dat'), files.join(' '));
      const bytes = files.reduce((n, f) => n + fs.statSync(path.join(root, dir, f)).size, 0);
      assert.ok(bytes < 45 * 1024 * 1024, `${bytes} bytes`);
      // The first start's tokenizer too now answers from the compact features (its 34 MiB buffer let go).
      assert.equal(rawOf(t1).token_info_dictionary.pos_buffer.buffer.length, 0);

      disposeTokenizer({ dicPath: DICT });
      const later = load(root);
      const t2 = await later.tokenizer;
      const s2 = await later.status;
      assert.equal(s2.state, 'used', describeDictionaryCache(s2));
      assert.equal(s2.dir, path.join(root, dir));
      assert.notEqual(t2, t1);
      assert.equal(rawOf(t2).token_info_dictionary.pos_buffer.buffer.length, 0, 'kuromoji was served no tid_pos.dat');
      assert.equal(digest(t2, texts), stockDigest, 'later start (read from the cache): same tokens');
    });

    it('null or absent cacheDir: kuromoji loads the .gz itself (disabled)', async () => {
      const { tokenizer, status } = load(null);
      await tokenizer;
      assert.deepEqual(await status, { state: 'disabled' });
      assert.equal(tokenizerState({ dicPath: DICT }), 'ready');
    });

    for (const name of ['tid.dat', 'tid_pos.kfeat']) {
      it(`a truncated cache file (${name}): ignored, the tokenizer built from the .gz, the cache rewritten`, async () => {
        const first = load(tmp);
        await first.tokenizer;
        const { dir } = await first.status;
        disposeTokenizer({ dicPath: DICT });
        const file = path.join(dir!, name);
        const size = fs.statSync(file).size;
        fs.truncateSync(file, 1000);

        const second = load(tmp);
        assert.equal(digest(await second.tokenizer, texts.slice(0, 3)), digest((await loadTokenizer()).withOptions({ maxChars: 0 }), texts.slice(0, 3)));
        const s = await second.status;
        assert.equal(s.state, 'created', describeDictionaryCache(s));
        assert.match(s.detail ?? '', new RegExp(`replaced: ${name.replace('.', '\\.')} has 1000 bytes`));
        assert.equal(fs.statSync(file).size, size, 'rewritten');
        assert.ok((await validateCache(dir!)).ok);
        assert.deepEqual(leftovers(tmp), []);
      });
    }

    it('damaged compact word features of the right size: the build is refused, the tokenizer built from the .gz, the cache rewritten', async () => {
      const first = load(tmp);
      await first.tokenizer;
      const { dir } = await first.status;
      disposeTokenizer({ dicPath: DICT });
      const file = path.join(dir!, 'tid_pos.kfeat');
      const good = fs.readFileSync(file);
      const bad = Buffer.from(good);
      bad.write('XXXX', 0, 'latin1'); // not the format's magic
      fs.writeFileSync(file, bad);

      const second = load(tmp);
      assert.equal(digest(await second.tokenizer, texts), stockDigest);
      const s = await second.status;
      assert.equal(s.state, 'created', describeDictionaryCache(s));
      assert.match(s.detail ?? '', /the cache could not be read \(word features: not a KFT1 file\)/);
      assert.deepEqual(fs.readFileSync(file), good, 'rewritten');
    });

    it('a corrupt or missing manifest, a missing file: ignored and rebuilt', async () => {
      const first = load(tmp);
      await first.tokenizer;
      const { dir } = await first.status;
      for (const spoil of [
        () => fs.writeFileSync(path.join(dir!, 'manifest.json'), '{"format": 1, "files": '),
        () => fs.rmSync(path.join(dir!, 'manifest.json')),
        () => fs.rmSync(path.join(dir!, 'cc.dat')),
        () => fs.writeFileSync(path.join(dir!, 'manifest.json'), JSON.stringify({ format: 1, files: { 'base.dat': 3 } })),
      ]) {
        disposeTokenizer({ dicPath: DICT });
        spoil();
        const next = load(tmp);
        await next.tokenizer;
        const s = await next.status;
        assert.equal(s.state, 'created', describeDictionaryCache(s));
        assert.ok((await validateCache(dir!)).ok, 'rebuilt');
      }
      assert.deepEqual(cacheDirs(tmp).length, 1);
    });

    it('an unwritable cache root: the tokenizer all the same, status failed, nothing thrown', async () => {
      // A regular file where the root should be (fails even for root).
      const file = path.join(tmp, 'file');
      fs.writeFileSync(file, 'x');
      for (const root of [file, path.join(file, 'below')]) {
        disposeTokenizer({ dicPath: DICT });
        const { tokenizer, status } = load(root);
        assert.equal(digest(await tokenizer, texts.slice(0, 3)), digest((await loadTokenizer()).withOptions({ maxChars: 0 }), texts.slice(0, 3)));
        const s = await status;
        assert.equal(s.state, 'failed', describeDictionaryCache(s));
        assert.match(describeDictionaryCache(s), /not used \(could not write the cache \(E[A-Z]+\)/);
      }
    });

    it('a read-only cache root: the tokenizer all the same, status failed', async function () {
      if (process.platform === 'win32') this.skip(); // no POSIX modes
      const root = path.join(tmp, 'ro');
      fs.mkdirSync(root, { mode: 0o555 });
      fs.chmodSync(root, 0o555);
      try {
        if (!isRoot()) {
          const { tokenizer, status } = load(root);
          await tokenizer;
          const s = await status;
          assert.equal(s.state, 'failed', describeDictionaryCache(s));
          assert.match(s.detail ?? '', /EACCES|EPERM|EROFS/);
          return;
        }
        // root writes anywhere: the same load in a child process running as nobody
        fs.chmodSync(tmp, 0o755);
        const child = [
          `const { loadTokenizer } = require(${JSON.stringify(KUROMOJI_JS)});`,
          'let reported;',
          'const status = new Promise((r) => (reported = r));',
          `const ready = loadTokenizer({ dicPath: ${JSON.stringify(DICT)}, cacheDir: ${JSON.stringify(root)}, onDictionaryCache: (s) => reported(s) });`,
          'Promise.all([ready, status])',
          '  .then(([t, s]) => console.log(JSON.stringify({ state: s.state, detail: s.detail, tokens: t.tokenize("甲は、乙に通知する。").length })))',
          '  .catch((e) => { console.error(String(e)); process.exit(1); });',
        ].join('\n');
        const r = spawnSync(process.execPath, ['-e', child], { uid: 65534, gid: 65534, encoding: 'utf8', timeout: 60_000, cwd: tmp, env: { PATH: process.env.PATH ?? '' } });
        assert.equal(r.status, 0, r.stderr);
        const out = JSON.parse(r.stdout) as { state: string; detail?: string; tokens: number };
        assert.ok(out.tokens > 3, 'the tokenizer works');
        assert.equal(out.state, 'failed', r.stdout);
        assert.match(out.detail ?? '', /EACCES|EPERM|EROFS/);
        assert.deepEqual(fs.readdirSync(root), [], 'nothing written');
      } finally {
        fs.chmodSync(root, 0o755);
      }
    });

    it('a dictionary that is not there: DictionaryNotFoundError as without a cache', async () => {
      await assert.rejects(loadTokenizer({ dicPath: path.join(tmp, 'nope'), cacheDir: tmp }), { name: 'DictionaryNotFoundError' });
      disposeTokenizer({ dicPath: path.join(tmp, 'nope') });
      assert.deepEqual(cacheDirs(tmp), []);
    });
  });

  describe('sources and fallbacks (prepareDictionary)', () => {
    function build(dicPath: string): Promise<unknown> {
      return new Promise((resolve, reject) => kuromoji.builder({ dicPath }).build((err, t) => (err ? reject(err) : resolve(t))));
    }

    it('a cache file gone between validation and reading: falls back to memory, then rewrites the cache', async () => {
      const first = await prepareDictionary(DICT, tmp);
      assert.equal(first.stock, false);
      await build(first.dicPath);
      assert.equal((await first.built()).state, 'created');
      // A served-from-memory directory is forgotten once built: kuromoji's own loader then fails on it.
      await assert.rejects(build(first.dicPath));

      const used = await prepareDictionary(DICT, tmp);
      const [dir] = cacheDirs(tmp);
      assert.equal(used.dicPath, path.join(tmp, dir));
      // Built from the cache, kuromoji has no word features until they are adopted.
      const fromCache = (await build(used.dicPath)) as { tokenize(s: string): { pos: string }[] };
      assert.equal(fromCache.tokenize('契約')[0].pos, undefined);
      await used.adopt(fromCache);
      assert.equal(fromCache.tokenize('契約')[0].pos, '名詞');

      fs.rmSync(path.join(tmp, dir, 'unk.dat'));
      const error = await build(used.dicPath).then(() => null, (e: unknown) => e);
      assert.ok(error, 'the build from the damaged cache fails');
      const next = await used.failed(error);
      assert.equal(next.stock, false, 'decompressed in memory');
      await build(next.dicPath);
      const s = await next.built();
      assert.equal(s.state, 'created', describeDictionaryCache(s));
      assert.match(s.detail ?? '', /the cache could not be read/);
      assert.ok((await validateCache(path.join(tmp, dir))).ok);
    });

    it('without a cache root: the .gz directory itself', async () => {
      const s = await prepareDictionary(DICT, null);
      assert.equal(s.stock, true);
      assert.equal(s.dicPath, DICT);
      assert.deepEqual(await s.built(), { state: 'disabled' });
    });
  });

  describe('caches of older formats', () => {
    it('are removed when a cache is written; other dictionaries\' caches and other files are left alone', async () => {
      const old = path.join(tmp, 'kuromoji-0123456789abcdef');
      fs.mkdirSync(old);
      fs.writeFileSync(path.join(old, 'manifest.json'), JSON.stringify({ format: 1, files: { 'base.dat': 4 } }));
      fs.writeFileSync(path.join(old, 'base.dat'), Buffer.alloc(4));
      const newer = path.join(tmp, 'kuromoji-fedcba9876543210');
      fs.mkdirSync(newer);
      fs.writeFileSync(path.join(newer, 'manifest.json'), JSON.stringify({ format: 99, files: {} }));
      const noManifest = path.join(tmp, 'kuromoji-no-manifest');
      fs.mkdirSync(noManifest);
      const other = path.join(tmp, 'notes');
      fs.mkdirSync(other);

      const first = load(tmp);
      await first.tokenizer;
      const s = await first.status;
      assert.equal(s.state, 'created', describeDictionaryCache(s));
      assert.ok(!fs.existsSync(old), 'the format-1 cache is gone');
      for (const kept of [newer, noManifest, other, s.dir!]) assert.ok(fs.existsSync(kept), kept);
      assert.deepEqual(leftovers(tmp), [], 'no trash left');
    });
  });

  describe('several processes at once', () => {
    it('concurrent first starts: each gets its tokenizer, one complete cache results', async () => {
      const child = `
        const k = require(${JSON.stringify(KUROMOJI_JS)});
        const crypto = require('crypto');
        let status;
        k.loadTokenizer({ cacheDir: process.argv[1], onDictionaryCache: (s) => { status = s; } }).then((t) => {
          const h = crypto.createHash('sha1').update(JSON.stringify(t.tokenize('受注者は、事故が発生したときは、速やかに発注者に報告しなければならない。'))).digest('hex');
          process.on('exit', () => console.log(JSON.stringify({ state: status && status.state, detail: status && status.detail, h })));
        }, (e) => { console.error(e); process.exit(3); });
      `;
      const run = (): Promise<{ code: number | null; out: string; err: string }> =>
        new Promise((resolve) => {
          const p = spawn(process.execPath, ['-e', child, tmp], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
          let out = '';
          let err = '';
          p.stdout.on('data', (d: Buffer) => (out += d));
          p.stderr.on('data', (d: Buffer) => (err += d));
          p.on('exit', (code) => resolve({ code, out, err }));
        });
      const results = await Promise.all([run(), run(), run()]);
      const parsed = results.map((r) => {
        assert.equal(r.code, 0, r.err);
        return JSON.parse(r.out) as { state: string; detail?: string; h: string };
      });
      for (const p of parsed) assert.ok(p.state === 'created' || p.state === 'used', JSON.stringify(p));
      assert.equal(new Set(parsed.map((p) => p.h)).size, 1, 'same tokens everywhere');
      const dirs = cacheDirs(tmp);
      assert.equal(dirs.length, 1);
      assert.ok((await validateCache(path.join(tmp, dirs[0]))).ok);
      assert.deepEqual(leftovers(tmp), [], 'no temporary directory left');
      // And a start after them uses it.
      const after = await run();
      assert.equal(JSON.parse(after.out).state, 'used');
    });
  });
});
