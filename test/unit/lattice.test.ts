/**
 * lattice.ts against kuromoji: the same tokens, field for field, on every fixture line, the
 * benchmark contract and random text — and the tokenizer built on it against the tokenizer built
 * on kuromoji's own lattice.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { syntheticContract } from '../../bench/synthetic';
import { FastLattice, type LatticeToken } from '../../server/src/engine/tokenizer/lattice';
import { loadTokenizer, type KuromojiTokenizer } from '../../server/src/engine/tokenizer/kuromoji';
import { fixtureTexts } from './fixture-texts';
import { fuzzParameters } from '../fuzz';

type Raw = { tokenize(text: string): Array<LatticeToken & Record<string, unknown>> };

const FIELDS = ['surface_form', 'word_position', 'pos', 'pos_detail_1', 'conjugated_form', 'basic_form', 'reading'] as const;

function pick(tokens: readonly LatticeToken[]): Array<Record<string, unknown>> {
  return tokens.map((t) => Object.fromEntries(FIELDS.map((f) => [f, t[f]])));
}

/** kuromoji's answer: its tokens, or the fact that it throws. */
function stock(raw: Raw, text: string): Array<Record<string, unknown>> | 'throws' {
  try {
    return pick(raw.tokenize(text));
  } catch {
    return 'throws';
  }
}

/**
 * The fast lattice agrees with kuromoji on `text`: the same tokens, or no answer where kuromoji
 * throws (e.g. on U+0000, which its trie maps to a non-word, or a lone high surrogate).
 * Returns whether it answered itself.
 */
function agrees(lattice: FastLattice, raw: Raw, text: string): boolean {
  const fast = lattice.tokenize(text);
  const expected = stock(raw, text);
  if (fast === undefined) {
    assert.equal(expected, 'throws', `the fast lattice left ${JSON.stringify(text)} to kuromoji, which answers it`);
    return false;
  }
  assert.notEqual(expected, 'throws', `kuromoji throws on ${JSON.stringify(text)} but the fast lattice answered`);
  assert.deepEqual(pick(fast), expected, `tokens differ on ${JSON.stringify(text)}`);
  return true;
}

describe('fast lattice (tokenizer/lattice.ts)', function () {
  this.timeout(300_000);
  let tokenizer: KuromojiTokenizer;
  let raw: Raw;
  let lattice: FastLattice;

  before(async () => {
    tokenizer = await loadTokenizer();
    raw = (tokenizer as unknown as { raw: Raw }).raw;
    const l = FastLattice.over(raw);
    assert.ok(l, 'the fast lattice does not recognise the built kuromoji');
    lattice = l;
  });

  it('does not take an object that is not a built kuromoji', () => {
    assert.equal(FastLattice.over(undefined), undefined);
    assert.equal(FastLattice.over({}), undefined);
    assert.equal(FastLattice.over({ viterbi_builder: { trie: { bc: {} } } }), undefined);
  });

  it('gives kuromoji’s tokens on every line of every fixture, answering each itself', () => {
    let lines = 0;
    for (const [name, text] of fixtureTexts(['seeds', 'dev-cases', 'style'])) {
      for (const line of text.split('\n')) {
        if (!line) continue;
        assert.ok(agrees(lattice, raw, line), `${name}: ${JSON.stringify(line)}`);
        lines++;
      }
    }
    assert.ok(lines > 1000, `only ${lines} lines`);
  });

  it('gives kuromoji’s tokens on the benchmark contract (many sentences in one call)', () => {
    const text = syntheticContract(120 * 1024);
    // whole paragraphs: several sentences per call exercise kuromoji's word_position arithmetic
    for (const para of text.split(/\n(?=第)/)) assert.ok(agrees(lattice, raw, para));
  });

  it('gives kuromoji’s tokens on random text', () => {
    const alphabet = [
      ...'甲乙発注者受注者は、。が本契約の情報を第条項号及び並びに又は若しくは直ちに速やかに',
      ...'あいうえおかきくけこっゃゅょーアイウエオカキクケコッャュョヴｱｲｳｴｵｰﾞﾟ',
      ...'abcXYZ019０１９ＡＢＣ  \u3000\t.,，．！？!?（）()「」『』【】・…―‐-~〜／/％%＄$＆&＃#',
      ...'\u0000\u0001\u007f\u00a0\u00e9\u0301\u200b\ufeff\uff61\uff64\ufffd',
    ];
    const char = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...alphabet) },
      // any BMP character but the surrogates
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff }).filter((c) => c < 0xd800 || c > 0xdfff).map((c) => String.fromCharCode(c)) },
      // astral characters, next to each other too (grouped unknown words), and lone surrogates
      { weight: 1, arbitrary: fc.constantFrom('𠮷', '😀', '𝟘', '\uDC00', '\uD800') },
    );
    fc.assert(
      fc.property(fc.array(char, { minLength: 1, maxLength: 60 }), (chars) => {
        agrees(lattice, raw, chars.join(''));
      }),
      fuzzParameters(3000, 8128),
    );
  });

  it('answers itself wherever kuromoji does not throw', () => {
    assert.equal(agrees(lattice, raw, '\u0000甲'), false);
    assert.equal(agrees(lattice, raw, '乙は、情報を直ちに報告する。'), true);
  });

  it('follows kuromoji through surrogate pairs and lone surrogates', () => {
    // the last: an unreachable node takes the predecessor kuromoji's forward pass chose last
    for (const text of ['𠮷野家の契約', '😀😀😀は、', 'ab😀cd', '𝟘𝟙𝟚', '\uDC00の', '\uDC00\uDC01', '𠮷𠮷甲𠮷𠮷\u0001']) assert.equal(agrees(lattice, raw, text), true, text);
    // a high surrogate without its low one: kuromoji throws, so the caller falls back
    for (const text of ['a\uD800b', '契約\uD83D']) assert.equal(agrees(lattice, raw, text), false, text);
  });

  it('makes the tokenizer give the same tokens as over kuromoji’s own lattice', () => {
    const fast = tokenizer.withOptions({});
    const slow = tokenizer.withOptions({ stockLattice: true });
    for (const [name, text] of fixtureTexts(['seeds', 'dev-cases'])) {
      for (const para of text.split('\n')) assert.deepEqual(fast.tokenize(para), slow.tokenize(para), `${name}: ${JSON.stringify(para)}`);
    }
    const emoji = '乙は、𠮷野家😀の情報を直ちに報告する。';
    assert.deepEqual(fast.tokenize(emoji), slow.tokenize(emoji));
  });
});
