import * as assert from 'node:assert/strict';
import { foldOkurigana, similarity } from '../../server/src/engine/align/normalize';
import { fuzzRuns, fuzzSeed } from '../fuzz';
import { drawJoined, prng } from '../prng';

/** The folding as it was written first: every replacement in turn, on every string. */
const FOLDS: ReadonlyArray<[string, string]> = [
  ['取り扱', '取扱'],
  ['取扱い', '取扱'],
  ['立ち入', '立入'],
  ['申し込', '申込'],
  ['打ち合わせ', '打合せ'],
  ['行な', '行'],
  ['引き渡', '引渡'],
  ['受け取', '受取'],
  ['持ち出', '持出'],
  ['持ち込', '持込'],
  ['書き換', '書換'],
  ['問い合わせ', '問合せ'],
  ['手続き', '手続'],
  ['届け出', '届出'],
  ['且つ', 'かつ'],
  ['但し', 'ただし'],
  ['予め', 'あらかじめ'],
  ['即ち', 'すなわち'],
  ['および', '及び'],
  ['または', '又は'],
  ['もしくは', '若しくは'],
  ['ならびに', '並びに'],
  ['ただちに', '直ちに'],
  ['すみやかに', '速やかに'],
  ['この限りではない', 'この限りでない'],
];

function foldOracle(s: string): string {
  let out = s;
  for (const [from, to] of FOLDS) out = out.split(from).join(to);
  return out;
}

/** Dice coefficient of character bigrams, counted with a map of strings (the first implementation). */
function similarityOracle(a: string, b: string): number {
  if (a === b) return a.length ? 1 : 0;
  if (a.length < 2 || b.length < 2) return 0;
  const grams = new Map<string, number>();
  for (let i = 0; i < a.length - 1; i++) grams.set(a.slice(i, i + 2), (grams.get(a.slice(i, i + 2)) ?? 0) + 1);
  let shared = 0;
  for (let i = 0; i < b.length - 1; i++) {
    const g = b.slice(i, i + 2);
    const n = grams.get(g) ?? 0;
    if (n > 0) {
      shared++;
      grams.set(g, n - 1);
    }
  }
  return (2 * shared) / (a.length - 1 + b.length - 1);
}

describe('comparison normalisation (align/normalize.ts)', () => {
  it('folds okurigana and notation variants as the replacements in turn do, and returns other strings as they are', () => {
    const pieces = [...FOLDS.flatMap(([from, to]) => [from, to, from.slice(0, -1), from.slice(1)]), 'い', 'り', '扱', 'は', 'ない', '甲', '。', '𠮷', 'a'];
    const seed = fuzzSeed(8);
    const rnd = prng(seed);
    for (let n = 0; n < fuzzRuns(3000); n++) {
      const s = drawJoined(rnd, pieces, 1 + Math.floor(rnd() * 6));
      assert.equal(foldOkurigana(s), foldOracle(s), `${s} (seed ${seed})`);
    }
    // a replacement that makes the next pattern: 取り扱い → 取扱い → 取扱
    assert.equal(foldOkurigana('個人情報の取り扱い'), '個人情報の取扱');
    const plain = '乙は、甲の承認を得なければならない。';
    assert.equal(foldOkurigana(plain), plain);
  });

  it('scores heading similarity as the bigram Dice coefficient, short and long strings alike', () => {
    const alphabet = ['秘', '密', '保', '持', '義', '務', 'の', '第', '条', 'ア', '𠮷', ' ', '1'];
    const seed = fuzzSeed(21);
    const rnd = prng(seed);
    const word = (max: number): string => drawJoined(rnd, alphabet, Math.floor(rnd() * max));
    for (let n = 0; n < fuzzRuns(3000); n++) {
      // up to 300 characters: past the short path's 128 bigrams, into the profile path
      const max = n % 10 === 0 ? 300 : 16;
      const a = word(max);
      const b = rnd() < 0.2 ? a : word(max);
      const got = similarity(a, b);
      const want = similarityOracle(a, b);
      assert.ok(Math.abs(got - want) < 1e-12, `${a} / ${b}: ${got} ≠ ${want} (seed ${seed})`);
      assert.ok(Math.abs(similarity(b, a) - got) < 1e-12, 'symmetric');
    }
    assert.equal(similarity('', ''), 0);
    assert.equal(similarity('秘', '密'), 0);
    assert.equal(similarity('秘密保持', '秘密保持'), 1);
    // repeated bigrams count as often as both strings have them
    assert.equal(similarity('ああああ', 'ああ'), (2 * 1) / (3 + 1));
  });
});
