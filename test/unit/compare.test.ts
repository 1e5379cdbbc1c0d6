import * as assert from 'node:assert/strict';
import { charDistance, compareTokens, compareUnits, diffKeys, joinSplitEdits, withoutStitches, type CToken, type Side } from '../../server/src/engine/align/compare';
import { concatBlocks, sliceBlock } from '../../server/src/engine/text/block';
import { loadTokenizer, type KuromojiTokenizer } from '../../server/src/engine/tokenizer/kuromoji';
import { fuzzRuns, fuzzSeed } from '../fuzz';
import { drawJoined, prng } from '../prng';

/** Lengths minus twice the longest common subsequence, by the full table. */
function distanceOracle(a: string, b: string): number {
  const t: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) t[i][j] = a[i - 1] === b[j - 1] ? t[i - 1][j - 1] + 1 : Math.max(t[i - 1][j], t[i][j - 1]);
  }
  return a.length + b.length - 2 * t[a.length][b.length];
}

describe('character distance of a fix (align/compare.ts)', () => {
  it('equals the full longest-common-subsequence table, whatever the strings share at their ends', () => {
    const seed = fuzzSeed(5);
    const rnd = prng(seed);
    const alphabet = ['甲', '乙', 'は', 'に', '直', 'ち', '速', 'や', 'か', '。', '、', 'a'];
    const word = (n: number): string => drawJoined(rnd, alphabet, n);
    for (let n = 0; n < fuzzRuns(2000); n++) {
      // a shared prefix and suffix around two middles, as a fix's before and after have
      const pre = word(Math.floor(rnd() * 20));
      const suf = word(Math.floor(rnd() * 20));
      const a = pre + word(Math.floor(rnd() * 12)) + suf;
      const b = rnd() < 0.1 ? a : pre + word(Math.floor(rnd() * 12)) + suf;
      assert.equal(charDistance(a, b), distanceOracle(a, b), `${a} / ${b} (seed ${seed})`);
    }
    assert.equal(charDistance('', ''), 0);
    assert.equal(charDistance('ああ', 'あ'), 1);
    assert.equal(charDistance('乙は直ちに通知する。', '乙は速やかに通知する。'), 2 + 3);
  });

  it('declines strings too long to compare', () => {
    assert.equal(charDistance('あ'.repeat(600), 'あ'.repeat(600)), null);
  });
});

describe('comparison tokens (align/compare.ts)', () => {
  let tokenizer: KuromojiTokenizer;
  before(async function () {
    this.timeout(60_000);
    tokenizer = await loadTokenizer();
  });
  const parties = { a: '発注者', b: '受注者' };
  const side = (text: string): Side => {
    const block = sliceBlock(text, 0, text.length)!;
    return { block, tokens: compareTokens(block, tokenizer, parties), parties };
  };
  const keys = (text: string): string[] => side(text).tokens.map((t) => t.key);

  it('joins a katakana compound that kuromoji cuts by context, so that the same word matches (found by npm run fuzz, seed 230754021)', () => {
    // kuromoji: クラ/ウド/サービス/の/利用, but …等の/クラウドサービス/の/利用
    assert.deepEqual(keys('クラウドサービスの利用'), ['クラウドサービス', 'の', '利用']);
    assert.deepEqual(keys('オンラインストレージ等のクラウドサービスの利用'), ['オンラインストレージ', '等', 'の', 'クラウドサービス', 'の', '利用']);
    const draft = 'オンラインストレージ等のクラウドサービスの利用';
    const found = compareUnits({ canonical: side('クラウドサービスの利用'), draft: side(draft), correct: (s) => s });
    assert.deepEqual(
      found.map((d) => `${d.messageId} ${draft.slice(d.span.start, d.span.end)}`),
      ['inserted オンラインストレージ等の'],
      'only the insertion: the compound itself is unchanged',
    );
    // the joined token keeps the span of its pieces
    const t = side(draft).tokens[3];
    assert.equal(draft.slice(t.start, t.end), 'クラウドサービス');
  });

  it('keeps the rest of a token that kuromoji ran on from a party word (発注者𠮷𠮷又 as one unknown word; found by npm run fuzz, seed 1227473766)', () => {
    // kuromoji: 発注者𠮷𠮷又 | は — the party word is part of one token, and the rest used to go with it
    assert.deepEqual(keys('発注者𠮷𠮷又は'), ['Ⓐ', '𠮷𠮷又', 'は']);
    const draft = '受注者が、発注者𠮷𠮷又は発注者が送付先として指定した者';
    const tokens = side(draft).tokens;
    const covered = tokens.map((t) => draft.slice(t.start, t.end)).join('');
    assert.equal(covered, draft, 'every character of the draft is in some token');
    const found = compareUnits({ canonical: side('受注者が、発注者又は発注者が送付先として指定した者'), draft: side(draft), correct: (s) => s });
    assert.ok(
      found.some((d) => draft.slice(d.span.start, d.span.end).includes('𠮷𠮷')),
      `the inserted 𠮷𠮷 is reported: ${JSON.stringify(found.map((d) => draft.slice(d.span.start, d.span.end)))}`,
    );
  });

  it('joins no compound and cuts every token at the end of a heading compared with its body (found by npm run fuzz, seed 1620920957)', () => {
    const text = 'ファイル交換・転送サービスファイル交換による';
    const cut = 'ファイル交換・転送サービス'.length;
    const block = sliceBlock(text, 0, text.length)!;
    const pieces = compareTokens(block, tokenizer, parties, cut).map((t) => text.slice(t.start, t.end));
    assert.ok(pieces.includes('サービス'), JSON.stringify(pieces));
    let at = 0;
    for (const p of pieces) at += p.length;
    assert.equal(at, text.length, 'every character is in one token');
    assert.ok(
      compareTokens(block, tokenizer, parties, cut).every((t) => t.end <= cut || t.start >= cut),
      'no token spans the cut',
    );
    // without the cut the two katakana words run together, as in any other text
    assert.ok(!compareTokens(block, tokenizer, parties).some((t) => text.slice(t.start, t.end) === 'サービス'));
  });

  it('offers no fix that would write the standard heading and body on one line, or remove the line between a heading and its body (found by npm run fuzz, seeds 2130450888, 1933415687)', () => {
    // a unit compared as heading + body, paired by what is left of a damaged draft
    const headed = (source: string): Side => {
      const nl = source.indexOf('\n');
      const block = concatBlocks(sliceBlock(source, 0, nl), sliceBlock(source, nl + 1, source.length))!;
      return { block, tokens: compareTokens(block, tokenizer, parties, nl), parties, headingEnd: nl };
    };
    const canonical = headed('従事者の教育\n特記事項第９に基づき、受注者は次の事項を遵守すること。');
    for (const source of ['管理\n受注者において、従事者の教育の状況を確認すること。', '従事者\n教育特記事項第９に基づき、次の事項を遵守すること。']) {
      const found = compareUnits({ canonical, draft: headed(source), correct: (x) => x });
      assert.ok(found.length > 0, source);
      const nl = source.indexOf('\n');
      for (const d of found) {
        for (const e of d.fix ? [d.fix, ...(d.fix.more ?? [])] : []) {
          assert.ok(!e.newText.includes('教育特記'), `${source}: ${JSON.stringify(e)} writes heading and body on one line`);
          assert.ok(!(e.span.start < nl + 1 && e.span.end > nl && !e.newText.includes('\n')), `${source}: ${JSON.stringify(e)} removes the line break`);
        }
      }
    }
  });

  it('joins across the whitespace comparison ignores, and not across the middle dot or other words', () => {
    assert.deepEqual(keys('クラウド サービスの利用'), ['クラウドサービス', 'の', '利用']);
    assert.deepEqual(keys('メール・アドレス'), ['メール', '・', 'アドレス']);
    assert.deepEqual(keys('受注者のパスワード'), ['Ⓑ', 'の', 'パスワード']);
  });
});

describe('diff clean-up: matched punctuation that stitches unrelated text (align/compare.ts)', () => {
  const tokens = (parts: string[]): CToken[] => {
    let at = 0;
    return parts.map((p) => {
      const t = { key: p, start: at, end: at + p.length, norm: p, pos: '名詞' };
      at += p.length;
      return t;
    });
  };
  const clean = (a: string[], b: string[]) => {
    const { matchA } = diffKeys(a, b);
    return withoutStitches(matchA, tokens(a), tokens(b));
  };

  it('drops punctuation matched between two larger changes: one hunk remains', () => {
    const hunks = clean(['再委託', '先', 'に', '、', '報告', 'する'], ['作成', '、', '複製', '又は', '加工']);
    assert.deepEqual(hunks, [{ cFrom: 0, cTo: 6, dFrom: 0, dTo: 5 }]);
  });

  it('keeps matched words, and punctuation longer than the changes beside it', () => {
    // 「は、」 between two party swaps: words stay matched, the hunks stay apart
    assert.deepEqual(clean(['甲', 'は', '、', '乙', 'に'], ['乙', 'は', '、', '甲', 'に']), [
      { cFrom: 0, cTo: 1, dFrom: 0, dTo: 1 },
      { cFrom: 3, cTo: 4, dFrom: 3, dTo: 4 },
    ]);
    // one 「、」 between two one-character changes is as long as each: dropped; 「、、、」 is longer: kept
    assert.equal(clean(['甲', '、', '乙'], ['丙', '、', '丁']).length, 1);
    assert.equal(clean(['甲', '、、、', '乙'], ['丙', '、、、', '丁']).length, 2);
  });

  it('drops one particle matched between two changes at least four times its length (found by npm run fuzz, seed 207900289)', () => {
    const withPos = (parts: [string, string][]): CToken[] => {
      let at = 0;
      return parts.map(([p, pos]) => {
        const t = { key: p, start: at, end: at + p.length, norm: p, pos };
        at += p.length;
        return t;
      });
    };
    const particle = (c: [string, string][], d: [string, string][]) => {
      const { matchA } = diffKeys(c.map((x) => x[0]), d.map((x) => x[0]));
      return withoutStitches(matchA, withPos(c), withPos(d));
    };
    // 「この限りで|は|ない」 against 「業務中に|は|データの消去」: one change
    assert.equal(particle([['この限りで', '名詞'], ['は', '助詞'], ['ない', '助動詞']], [['業務中に', '名詞'], ['は', '助詞'], ['データの消去', '名詞']]).length, 1);
    // a particle between shorter changes stays matched, and so does a shared word
    assert.equal(particle([['甲', '名詞'], ['は', '助詞'], ['乙', '名詞']], [['丙', '名詞'], ['は', '助詞'], ['丁', '名詞']]).length, 2);
    assert.equal(particle([['この限りで', '名詞'], ['措置', '名詞'], ['ない', '助動詞']], [['業務中に', '名詞'], ['措置', '名詞'], ['データの消去', '名詞']]).length, 2);
  });
});

describe('diff clean-up: one change the matching cut in two (align/compare.ts joinSplitEdits)', () => {
  /** Tokens from [surface, key] pairs (the key defaults to the surface). */
  const tokens = (parts: (string | [string, string])[]): CToken[] => {
    let at = 0;
    return parts.map((p) => {
      const [norm, key] = typeof p === 'string' ? [p, p] : p;
      const t = { key, start: at, end: at + norm.length, norm, pos: '名詞' };
      at += norm.length;
      return t;
    });
  };
  const joined = (c: (string | [string, string])[], d: (string | [string, string])[]) => {
    const a = tokens(c);
    const b = tokens(d);
    const { matchA } = diffKeys(a.map((t) => t.key), b.map((t) => t.key));
    joinSplitEdits(matchA, a, b);
    return withoutStitches(matchA, a, b);
  };

  it('matches the same surface read as two words, and joins the two deletions beside a matched particle into one', () => {
    // 関わり a noun in the standard, the verb 関わる in the draft
    const hunks = joined(['と', ['関わり', '関わり'], 'の', 'ない', '不', '特定', '多数', 'の', '者', 'が'], ['と', ['関わり', '関わる'], 'の', 'が']);
    assert.deepEqual(hunks, [{ cFrom: 3, cTo: 9, dFrom: 3, dTo: 3 }]);
  });

  it('joins two insertions the same way', () => {
    assert.deepEqual(joined(['A', 'の', 'B'], ['A', 'の', 'X', 'の', 'Y', 'B']), [{ cFrom: 2, cTo: 2, dFrom: 2, dTo: 5 }]);
    assert.deepEqual(joined(['A', 'の', 'B'], ['A', 'X', 'の', 'Y', 'の', 'B']).length, 1);
  });

  it('matches a sentence end after a replacement at the first sentence end inside it, so that a whole sentence is removed', () => {
    // 「返還するものとする。ただし、…によるものとする。」 → 「返還するのとする。」
    const c = ['返還', 'する', 'もの', 'と', 'する', '。', 'ただし', '、', '方法', 'による', 'もの', 'と', 'する', '。'];
    const d = ['返還', 'する', 'の', 'と', 'する', '。'];
    assert.deepEqual(joined(c, d), [
      { cFrom: 2, cTo: 3, dFrom: 2, dTo: 3 },
      { cFrom: 6, cTo: 14, dFrom: 6, dTo: 6 },
    ]);
    // without a sentence end inside the replacement, nothing moves
    assert.deepEqual(joined(['A', 'X', 'と', 'する', '。'], ['A', 'Y', 'と', 'する', '。']), [{ cFrom: 1, cTo: 2, dFrom: 1, dTo: 2 }]);
  });

  it('on random sequences: the matches stay increasing, of equal keys or surfaces, and no fewer', () => {
    const rnd = prng(fuzzSeed(20261208));
    for (let run = 0; run < fuzzRuns(300); run++) {
      const symbols = 2 + Math.floor(rnd() * 4);
      const word = (): string | [string, string] => {
        const w = ['の', 'と', 'する', '。', 'X'][Math.floor(rnd() * symbols)];
        // now and then the same surface under another key (a word kuromoji reads two ways)
        return rnd() < 0.1 ? [w, `${w}'`] : w;
      };
      const c = Array.from({ length: Math.floor(rnd() * 40) }, word);
      const d = rnd() < 0.5 ? Array.from({ length: Math.floor(rnd() * 40) }, word) : c.filter(() => rnd() > 0.2).map((x) => (rnd() < 0.1 ? word() : x));
      const a = tokens(c);
      const b = tokens(d);
      const { matchA } = diffKeys(a.map((t) => t.key), b.map((t) => t.key));
      const before = matchA.filter((j) => j >= 0).length;
      joinSplitEdits(matchA, a, b);
      let last = -1;
      let count = 0;
      matchA.forEach((j, i) => {
        if (j < 0) return;
        assert.ok(j > last, `increasing at ${i}: ${JSON.stringify(c)} / ${JSON.stringify(d)}`);
        assert.ok(a[i].key === b[j].key || a[i].norm === b[j].norm, `a[${i}] and b[${j}] differ`);
        last = j;
        count++;
      });
      assert.ok(count >= before, `${count} matches, ${before} before`);
    }
  });

  it('leaves apart what is not one change: matched words the deletion does not begin with, a deletion beside an insertion, a replacement', () => {
    assert.equal(joined(['A', 'X', 'の', 'Y', 'B'], ['A', 'の', 'B']).length, 2);
    assert.equal(joined(['A', 'の', 'X', 'B'], ['A', 'X', 'の', 'B']).length, 2);
    assert.deepEqual(joined(['甲', 'は', '、', '乙', 'に'], ['乙', 'は', '、', '甲', 'に']), [
      { cFrom: 0, cTo: 1, dFrom: 0, dTo: 1 },
      { cFrom: 3, cTo: 4, dFrom: 3, dTo: 4 },
    ]);
  });
});

describe('diffKeys past the table size: Myers’ O(ND) diff (align/compare.ts)', () => {
  /** The matches as pairs, asserting they are increasing on both sides and of equal keys. */
  const pairsOf = (a: string[], b: string[], matchA: Int32Array): [number, number][] => {
    const pairs: [number, number][] = [];
    matchA.forEach((j, i) => {
      if (j < 0) return;
      assert.equal(a[i], b[j], `a[${i}] and b[${j}]`);
      if (pairs.length) assert.ok(pairs[pairs.length - 1][1] < j, 'increasing');
      pairs.push([i, j]);
    });
    return pairs;
  };

  it('finds a longest common subsequence, as long as the table’s, on random sequences', () => {
    const rnd = prng(fuzzSeed(20261207));
    for (let run = 0; run < fuzzRuns(300); run++) {
      // few symbols (many ties) or many; lengths 0–60
      const symbols = 1 + Math.floor(rnd() * (rnd() < 0.5 ? 3 : 12));
      const draw = (): string[] => Array.from({ length: Math.floor(rnd() * 60) }, () => String.fromCharCode(97 + Math.floor(rnd() * symbols)));
      const a = draw();
      const b = rnd() < 0.5 ? draw() : a.map((x) => (rnd() < 0.1 ? 'z' : x)).filter(() => rnd() > 0.05);
      const table = pairsOf(a, b, diffKeys(a, b).matchA);
      const myers = pairsOf(a, b, diffKeys(a, b, false, 0).matchA);
      assert.equal(myers.length, table.length, `${a.join('')} / ${b.join('')}`);
    }
  });

  it('matches two long sequences that differ in a few places, where the table would be too large', () => {
    // 3,000 × 3,000 keys (9M cells): a key replaced, one removed and one added
    const a = Array.from({ length: 3000 }, (_, i) => `k${i % 7}`);
    const b = [...a];
    b[100] = 'x';
    b.splice(1500, 1);
    b.splice(2500, 0, 'y');
    const { matchA, hunks } = diffKeys(a, b);
    const pairs = pairsOf(a, b, matchA);
    assert.equal(pairs.length, 2998);
    assert.equal(hunks.length, 3);
    assert.deepEqual(hunks[0], { cFrom: 100, cTo: 101, dFrom: 100, dTo: 101 });
  });

  it('gives one hunk for the middle when the two differ in too many places', () => {
    const a = Array.from({ length: 8000 }, (_, i) => `a${i}`);
    const b = Array.from({ length: 8000 }, (_, i) => `b${i}`);
    a[0] = b[0] = 'same';
    const { hunks } = diffKeys(a, b);
    assert.deepEqual(hunks, [{ cFrom: 1, cTo: 8000, dFrom: 1, dTo: 8000 }]);
  });
});
