import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  DictionaryNotFoundError,
  KuromojiTokenizer,
  dictionaryCandidates,
  disposeTokenizer,
  loadTokenizer,
  tokenizerBuildCount,
  tokenizerState,
} from '../../server/src/engine/tokenizer/kuromoji';
import { DEFAULT_MAX_RUN, splitIntoChunks } from '../../server/src/engine/tokenizer/chunker';
import type { Token } from '../../server/src/engine/tokenizer/types';
import { fuzzRuns, fuzzSeed } from '../fuzz';
import { drawJoined, prng } from '../prng';

/** Tokens cover `text` contiguously, in order, and each surface is the text at its offsets. */
function assertCovers(text: string, tokens: readonly Token[]): void {
  let cursor = 0;
  for (const t of tokens) {
    assert.equal(t.start, cursor, `token ${JSON.stringify(t.surface)} starts at ${t.start}, expected ${cursor}`);
    assert.ok(t.end > t.start, `empty token at ${t.start}`);
    assert.equal(text.slice(t.start, t.end), t.surface, `surface mismatch at ${t.start}`);
    cursor = t.end;
  }
  assert.equal(cursor, text.length, 'tokens do not reach the end of the text');
}

function bases(tokens: readonly Token[]): string[] {
  return tokens.map((t) => t.base);
}

function find(tokens: readonly Token[], surface: string): Token {
  const t = tokens.find((x) => x.surface === surface);
  assert.ok(t, `no token ${surface} in ${tokens.map((x) => x.surface).join('|')}`);
  return t;
}

describe('tokenizer (kuromoji)', function () {
  this.timeout(60_000);
  let tokenizer: KuromojiTokenizer;

  before(async () => {
    tokenizer = await loadTokenizer();
  });

  describe('loading', () => {
    it('is ready once loaded', () => {
      assert.equal(tokenizerState(), 'ready');
      assert.equal(tokenizerState({}), 'ready');
    });

    it('memoises: concurrent and later calls share one promise and one build', async () => {
      const before = tokenizerBuildCount();
      const p1 = loadTokenizer();
      const p2 = loadTokenizer();
      assert.equal(p1, p2);
      const [a, b] = await Promise.all([p1, p2]);
      assert.equal(a, tokenizer);
      assert.equal(b, tokenizer);
      assert.equal(tokenizerBuildCount(), before);
    });

    it('builds once for concurrent first calls with an explicit dicPath', async () => {
      const dicPath = path.join(path.dirname(require.resolve('kuromoji/package.json')), 'dict');
      const options = { dicPath };
      const before = tokenizerBuildCount();
      try {
        const calls = [loadTokenizer(options), loadTokenizer({ dicPath }), loadTokenizer(options)];
        assert.equal(tokenizerState(options), 'loading');
        const results = await Promise.all(calls);
        assert.equal(tokenizerBuildCount(), before + 1);
        assert.equal(results[0], results[1]);
        assert.equal(results[1], results[2]);
        assert.notEqual(results[0], tokenizer, 'a different dictionary choice has its own tokenizer');
        assert.equal(tokenizerState(options), 'ready');
        assert.deepEqual(results[0].tokenize('甲及び乙は、'), tokenizer.tokenize('甲及び乙は、'));
      } finally {
        disposeTokenizer(options); // let its ~300 MiB go
      }
      assert.equal(tokenizerState(options), 'idle');
    });

    it('rejects a bad dicPath with DictionaryNotFoundError naming the path', async () => {
      const bad = path.resolve('/nonexistent/keiyaku-lint/dict');
      const before = tokenizerBuildCount();
      await assert.rejects(loadTokenizer({ dicPath: bad }), (err: unknown) => {
        assert.ok(err instanceof DictionaryNotFoundError, `not a DictionaryNotFoundError: ${String(err)}`);
        assert.equal(err.name, 'DictionaryNotFoundError');
        assert.ok(err.message.includes(bad), err.message);
        assert.deepEqual(err.paths, [bad]);
        return true;
      });
      assert.equal(tokenizerState({ dicPath: bad }), 'failed');
      assert.equal(tokenizerBuildCount(), before, 'kuromoji must not be started without a dictionary');
      // A failure is not memoised: the next call tries again (and fails again here).
      await assert.rejects(loadTokenizer({ dicPath: bad }), DictionaryNotFoundError);
    });

    it('looks next to the bundle first, then in the kuromoji package', () => {
      const candidates = dictionaryCandidates();
      assert.equal(candidates.length, 2);
      assert.equal(path.basename(candidates[0]), 'dict');
      assert.equal(candidates[1], path.join(path.dirname(require.resolve('kuromoji/package.json')), 'dict'));
      assert.deepEqual(dictionaryCandidates({ dicPath: 'x/dict' }), [path.resolve('x/dict')]);
    });
  });

  describe('tokens', () => {
    it('gives base forms of conjugated verbs: しなければならない', () => {
      const tokens = tokenizer.tokenize('しなければならない');
      assert.deepEqual(
        tokens.map((t) => [t.surface, t.base, t.pos, t.conjugatedForm]),
        [
          ['し', 'する', '動詞', '未然形'],
          ['なけれ', 'ない', '助動詞', '仮定形'],
          ['ば', 'ば', '助詞', '*'],
          ['なら', 'なる', '動詞', '未然形'],
          ['ない', 'ない', '助動詞', '基本形'],
        ],
      );
      assert.equal(tokens[0].reading, 'シ');
      assert.equal(tokens[2].pos1, '接続助詞');
    });

    it('gives base forms of 講ずる and 求められる', () => {
      const kouzuru = find(tokenizer.tokenize('必要な措置を講ずるものとする。'), '講ずる');
      assert.equal(kouzuru.base, '講ずる');
      assert.equal(kouzuru.pos, '動詞');
      assert.equal(kouzuru.conjugatedForm, '基本形');
      // IPADIC analyses the 連用/未然 form 講じ as the ichidan verb 講じる.
      assert.equal(find(tokenizer.tokenize('措置を講じなければならない。'), '講じ').base, '講じる');

      const tokens = tokenizer.tokenize('説明を求められる。');
      assert.deepEqual(bases(tokens), ['説明', 'を', '求める', 'られる', '。']);
      assert.equal(find(tokens, '求め').conjugatedForm, '未然形');
    });

    it('uses the surface as base when kuromoji has none, and leaves unknown readings undefined', () => {
      const t = find(tokenizer.tokenize('Ｑｗｘｙｚ社'), 'Ｑｗｘｙｚ');
      assert.equal(t.base, 'Ｑｗｘｙｚ');
      assert.equal(t.reading, undefined);
    });

    it('maps offsets back into a contract sentence', () => {
      const text = '乙は、本契約に係る業務の遂行にあたって、甲の許可なく第三者に提供してはならない。';
      const tokens = tokenizer.tokenize(text);
      assertCovers(text, tokens);
      const third = find(tokens, '第三者');
      assert.equal(third.start, text.indexOf('第三者'));
      assert.equal(third.end, text.indexOf('第三者') + 3);
      assert.equal(find(tokens, '甲').start, text.indexOf('甲'));
      const last = tokens[tokens.length - 1];
      assert.deepEqual([last.surface, last.pos1, last.start], ['。', '句点', text.length - 1]);
    });

    it('counts offsets in UTF-16 units across surrogate pairs and CRLF line breaks', () => {
      const text = '𠮷野家との契約\r\n第１条　乙は、𠮷田に対し、代金を支払う。\r\n𠮷';
      const tokens = tokenizer.tokenize(text);
      assertCovers(text, tokens);
      assert.deepEqual(
        tokens.filter((t) => t.surface.includes('𠮷')).map((t) => [t.start, t.end]),
        [
          [0, 2],
          [text.indexOf('𠮷田'), text.indexOf('𠮷田') + 2],
          [text.length - 2, text.length],
        ],
      );
      const crlf = tokens.filter((t) => t.surface.includes('\r'));
      assert.equal(crlf.length, 2);
      assert.deepEqual(crlf[0], { ...crlf[0], surface: '\r\n', pos: '記号', pos1: '空白', start: text.indexOf('\r\n') });
      assert.equal(find(tokens, '支払う').start, text.indexOf('支払う'));
    });

    it('returns [] for the empty string', () => {
      assert.deepEqual(tokenizer.tokenize(''), []);
    });

    it('never throws, whatever the input', () => {
      const inputs = ['\uD842', '\uD842a', 'a\uDFB7b', '\u0000\u0001', '👨‍👩‍👧、', '\r\n\r\n', '\uFEFF', '𠮷'.repeat(400)];
      for (const text of inputs) assertCovers(text, tokenizer.tokenize(text));
      assert.deepEqual(tokenizer.tokenize(undefined as unknown as string), []);
    });

    it('tokenises a 5,000-char run without punctuation or whitespace, covering it contiguously', () => {
      const unit = '本契約に係る業務の遂行にあたって甲の許可なく第三者に提供してはならない';
      const text = unit.repeat(Math.ceil(5000 / unit.length)).slice(0, 5000);
      const tokens = tokenizer.withOptions({ maxChars: 0 }).tokenize(text);
      assertCovers(text, tokens);
      // Cuts fall at safe points, so the words of the sentence survive intact.
      assert.ok(tokens.filter((t) => t.surface === '第三者').length >= Math.floor(5000 / unit.length) - 1);
      assert.ok(tokens.filter((t) => t.surface === '提供').length >= Math.floor(5000 / unit.length) - 1);
    });

    it('covers long same-class runs (kanji, katakana, whitespace, astral)', () => {
      for (const text of ['漢'.repeat(3000), 'ア'.repeat(3000), ' '.repeat(3000), '𠮷'.repeat(1500), 'x'.repeat(3000)]) {
        assertCovers(text, tokenizer.withOptions({ maxChars: 0 }).tokenize(text));
      }
    });

    it('falls back to a coarse tokenisation when kuromoji throws or misreports', () => {
      const throwing = new KuromojiTokenizer({ tokenize: () => { throw new Error('boom'); } } as never);
      const text = '甲は、𠮷田に１００円を支払う。';
      const tokens = throwing.tokenize(text);
      assertCovers(text, tokens);
      assert.ok(throwing.cacheStats().fallbacks > 0);
      assert.deepEqual(tokens.map((t) => t.surface).slice(0, 4), ['甲', 'は', '、', '𠮷田']);

      const lying = new KuromojiTokenizer({ tokenize: () => [{ surface_form: 'zzz', word_position: 1 }] } as never);
      assertCovers(text, lying.tokenize(text));
    });
  });

  describe('cache', () => {
    it('returns the same frozen array for the same string', () => {
      const tk = tokenizer.withOptions({});
      const text = '甲は、乙に対し、本契約に基づく債務を履行する。';
      const first = tk.tokenize(text);
      const second = tk.tokenize(text);
      assert.equal(second, first);
      assert.equal(tk.tokenize(text.slice(0, 4) + text.slice(4)), first, 'keyed by content, not identity');
      assert.ok(Object.isFrozen(first));
      assert.ok(Object.isFrozen(first[0]));
      assert.throws(() => (first as Token[]).push(first[0]), TypeError);
      const stats = tk.cacheStats();
      assert.equal(stats.misses, 1);
      assert.equal(stats.hits, 2);
      assert.equal(stats.entries, 1);
      assert.equal(stats.size, text.length);
    });

    it('evicts the least recently used entries when over its character bound', () => {
      const tk = tokenizer.withOptions({ maxChars: 20 });
      const a = '甲は乙に通知する。'; // 9
      const b = '乙は甲に通知する。'; // 9
      const c = '丙は丁に通知する。'; // 9
      const ta = tk.tokenize(a);
      tk.tokenize(b);
      assert.equal(tk.tokenize(a), ta); // a is now the most recently used
      tk.tokenize(c); // 27 > 20: evicts b
      let stats = tk.cacheStats();
      assert.equal(stats.evictions, 1);
      assert.equal(stats.entries, 2);
      assert.ok(stats.size <= 20);
      assert.equal(tk.tokenize(a), ta, 'a survived');
      const misses = tk.cacheStats().misses;
      tk.tokenize(b);
      assert.equal(tk.cacheStats().misses, misses + 1, 'b was evicted');

      const long = 'あ'.repeat(21);
      const tl = tk.tokenize(long);
      assert.notEqual(tk.tokenize(long), tl, 'a string longer than the bound is never cached');
      stats = tk.cacheStats();
      assert.ok(stats.size <= stats.maxChars);

      tk.setCacheMaxChars(0);
      assert.equal(tk.cacheStats().entries, 0);
    });

    it('trims to a size, least recently used first, and keeps its bound', () => {
      const tk = tokenizer.withOptions({ maxChars: 100 });
      const a = '甲は乙に通知する。'; // 9
      const b = '乙は甲に通知する。';
      const c = '丙は丁に通知する。';
      const ta = tk.tokenize(a);
      tk.tokenize(b);
      const tc = tk.tokenize(c);
      tk.tokenize(c); // c read again: a second chance
      tk.trimCache(10);
      let stats = tk.cacheStats();
      assert.equal(stats.entries, 1);
      assert.equal(stats.maxChars, 100, 'the bound stays');
      assert.equal(tk.tokenize(c), tc, 'the entry read since it was cached survived');
      assert.notEqual(tk.tokenize(a), ta, 'the others were let go');
      tk.tokenize(b);
      stats = tk.cacheStats();
      assert.equal(stats.entries, 3, 'it grows back up to its bound');
      tk.trimCache(0);
      assert.equal(tk.cacheStats().entries, 0);
    });

    it('reuses the tokens of a phrase it has seen in another string, at the new offsets, with the same tokens as a fresh tokenizer', () => {
      const tk = tokenizer.withOptions({ maxChars: 100_000 });
      const phrases = ['甲は、', '乙に対し、', '本契約に基づく債務を履行する。', '直ちに通知しなければならない。', '受注者は、', '𠮷野家の取扱いについて、'];
      const seed = fuzzSeed(7);
      const rnd = prng(seed);
      for (let n = 0; n < fuzzRuns(60); n++) {
        const text = drawJoined(rnd, phrases, 1 + Math.floor(rnd() * 5));
        const got = tk.tokenize(text);
        assertCovers(text, got);
        // a tokenizer without caches computes every phrase afresh
        assert.deepEqual(got, tokenizer.withOptions({ maxChars: 0 }).tokenize(text), `${text} (seed ${seed})`);
      }
      const stats = tk.cacheStats();
      assert.ok(stats.chunks.hits > stats.chunks.misses, `phrases reused: ${JSON.stringify(stats.chunks)}`);
      assert.equal(stats.chunks.maxChars, 25_000, 'a quarter of the bound');
      // the phrase cache follows the bound: trimmed with it, emptied with it
      tk.trimCache(400);
      assert.ok(tk.cacheStats().chunks.size <= 100);
      tk.setCacheMaxChars(0);
      assert.equal(tk.cacheStats().chunks.entries, 0);
      const off = tokenizer.withOptions({ maxChars: 0 });
      off.tokenize('甲は、乙に対し、');
      off.tokenize('乙に対し、甲は、');
      assert.equal(off.cacheStats().chunks.hits, 0, 'no phrase cache when caching is off');
      tk.setCacheMaxChars(1000);
      tk.tokenize('甲は、乙に対し、');
      assert.ok(tk.cacheStats().chunks.entries > 0);
      tk.clearCache();
      assert.equal(tk.cacheStats().chunks.entries, 0);
    });

    it('defaults to a bound of about 2 M characters', () => {
      assert.equal(tokenizer.cacheStats().maxChars, 2_000_000);
    });
  });

  describe('chunker', () => {
    it('splits after 、 and 。 only, below the cap', () => {
      const text = '甲は、乙に対し 通知する。\n丙は，丁に。';
      const pieces = splitIntoChunks(text).map((c) => text.slice(c.start, c.end));
      assert.deepEqual(pieces, ['甲は、', '乙に対し 通知する。', '\n丙は，丁に。']);
      assert.deepEqual(splitIntoChunks(''), []);
    });

    it('caps runs, prefers safe cut points and never splits a surrogate pair', () => {
      const text = ('第三者に提供する' + '𠮷').repeat(200);
      const chunks = splitIntoChunks(text, 50);
      let cursor = 0;
      for (const c of chunks) {
        assert.equal(c.start, cursor);
        assert.ok(c.end - c.start <= 50);
        const before = text.charCodeAt(c.end - 1);
        assert.ok(!(before >= 0xd800 && before <= 0xdbff), 'split inside a surrogate pair');
        if (c.end < text.length) {
          // hiragana → kanji (after a particle) or around 𠮷, never kanji → hiragana (okurigana)
          assert.ok(!/[\u4e00-\u9fff][\u3041-\u309f]/.test(text.slice(c.end - 1, c.end + 1)), text.slice(c.end - 3, c.end + 3));
        }
        cursor = c.end;
      }
      assert.equal(cursor, text.length);
      assert.equal(DEFAULT_MAX_RUN, 256);
    });

    it('gives a run of foreign characters a chunk of its own: controls, private use, U+FFFD, 𐀀, lone surrogates — not 𠮷 (found by npm run fuzz, seed 1953579578)', () => {
      const pieces = (t: string) => splitIntoChunks(t).map((c) => t.slice(c.start, c.end));
      assert.deepEqual(pieces('別紙𐀀𐀀受託者向け'), ['別紙', '𐀀𐀀', '受託者向け']);
      assert.deepEqual(pieces('甲\u0001\ue000\ufffd乙は、丙'), ['甲', '\u0001\ue000\ufffd', '乙は、', '丙']);
      assert.deepEqual(pieces('a\ud800b'), ['a', '\ud800', 'b']);
      assert.deepEqual(pieces('a\udc00b'), ['a', '\udc00', 'b']);
      assert.deepEqual(pieces('𠮷野家は\t通知する'), ['𠮷野家は\t通知する'], 'a kanji of plane 2 and whitespace are no foreign characters');
      assert.deepEqual(pieces('😀'), ['😀'], 'a pair is never split');
      // a long foreign run is capped like any other, and never inside a pair
      const long = '𐀀'.repeat(300);
      const chunks = splitIntoChunks(long, 50);
      assert.ok(chunks.every((c) => c.end - c.start <= 50 && (c.end - c.start) % 2 === 0));
      assert.equal(chunks[chunks.length - 1].end, long.length);
    });

    it('tokenises the words beside a foreign character as it would without it', () => {
      const plain = tokenizer.tokenize('受託者向け情報セキュリティ遵守事項').map((t) => t.surface);
      const dirty = tokenizer.tokenize('𐀀𐀀受託者向け情報セキュリティ遵守事項').map((t) => t.surface);
      assert.deepEqual(dirty, ['𐀀𐀀', ...plain]);
      assert.deepEqual(plain, ['受託', '者', '向け', '情報', 'セキュリティ', '遵守', '事項']);
    });

    it('cuts a long run after whitespace or ，．', () => {
      const text = 'あ'.repeat(200) + '\n' + 'い'.repeat(200);
      assert.equal(splitIntoChunks(text)[0].end, 201);
      const text2 = 'あ'.repeat(200) + '．' + 'い'.repeat(200);
      assert.equal(splitIntoChunks(text2)[0].end, 201);
    });
  });
});
