/**
 * style/notation — 公用文 / 法令 notation (drafting-rules §6). Information level; turned off as a
 * whole by `keiyakuLint.style: off` (private-sector contracts that write ひらく style).
 *
 *  - conjunctions in kana: 且つ/但し/尚、/即ち/従って、/追って、/又、 → かつ/ただし/なお、/すなわち/
 *    したがって、/おって、/また、; 予め → あらかじめ;
 *  - adverbs in kanji: ただちに/すでに/すべて → 直ちに/既に/全て;
 *  - ほか, not 外/他, in 「そのほか」「…を除くほか」「…もののほか」 (「その他」, read そのた, is left alone);
 *  - small っ: あつて → あって, 従つて → 従って (not かつて; not inside 「」, which may quote an old law);
 *  - この限りではない → この限りでない; a この限りでない sentence begins with ただし;
 *  - ヶ月/ヵ月/ケ月/カ月 after a number → か月;
 *  - one comma style per document (、 or ，): the minority is reported.
 *
 * Word checks work on kuromoji tokens (従って the conjunction, not 「…に従って」; 但し the conjunction,
 * not a name). All fixes are mechanical replacements and marked safe, except where noted.
 */
import type { Fix } from '../../findings';
import type { TextBlock } from '../../model/types';
import type { Token } from '../../tokenizer/types';
import type { Rule, RuleContext } from '../types';
import { blockTokens, bracketPairs, checkStyleBlocks, editAt, masked, minimalEdit, quoteMask, spanOf, splitSentences, styleBlocks } from './text';

/** Conjunctions (接続詞) written in kanji that 公用文 writes in kana. */
const KANA_CONJUNCTIONS: Record<string, string> = {
  且つ: 'かつ',
  但し: 'ただし',
  即ち: 'すなわち',
  従って: 'したがって',
  追って: 'おって',
};
/** Conjunctions that are only reported when a comma follows (尚、 / 又、), to stay clear of 尚更 etc. */
const KANA_CONJUNCTIONS_COMMA: Record<string, string> = { 尚: 'なお', 又: 'また' };
/** Adverbs: kanji → kana. */
const KANA_ADVERBS: Record<string, string> = { 予め: 'あらかじめ' };
/** Adverbs: kana → kanji. */
const KANJI_ADVERBS: Record<string, string> = { ただちに: '直ちに', すでに: '既に', すべて: '全て' };

export const notationRule: Rule = {
  id: 'style/notation',
  meta: {
    category: 'style',
    defaultLevel: 'information',
    needs: { tokens: true },
    fixable: true,
    messages: [
      'kana-conjunction',
      'kana-adverb',
      'kanji-adverb',
      'hoka',
      'small-tsu',
      'kagiri',
      'kagiri-tadashi',
      'kagetsu',
      'comma-style',
      'fix-replace',
    ],
  },
  check(ctx) {
    checkStyleBlocks(ctx, notationRule.id, checkNotationBlock);
    if (ctx.isCancelled()) return;
    // the comma style is the document's majority: not per block
    checkCommas(ctx, styleBlocks(ctx.doc).map((b) => b.block));
  },
  checkBlock: checkNotationBlock,
};

function checkNotationBlock(c: RuleContext, block: TextBlock): void {
  const tokens = blockTokens(c, block);
  const mask = quoteMask(block.text);
  checkTokens(c, block, tokens, mask);
  checkSmallTsu(c, block, tokens, mask);
  checkKagiri(c, block, mask);
  checkKagetsu(c, block, mask);
}

function replaceFix(block: TextBlock, start: number, end: number, expected: string, safe = true): Fix {
  return {
    titleId: 'fix-replace',
    data: { found: block.text.slice(start, end), expected },
    edits: [minimalEdit(block, start, end, expected)],
    safe,
  };
}

function reportReplace(
  ctx: RuleContext,
  block: TextBlock,
  messageId: string,
  start: number,
  end: number,
  expected: string,
): void {
  ctx.report({
    messageId,
    data: { found: block.text.slice(start, end), expected },
    span: spanOf(block, start, end),
    fixes: [replaceFix(block, start, end, expected)],
  });
}

function checkTokens(ctx: RuleContext, block: TextBlock, tokens: readonly Token[], mask: Uint8Array): void {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (masked(mask, t.start, t.end)) continue;
    const next = tokens[i + 1];
    const s = t.surface;
    if (KANA_CONJUNCTIONS[s] && (t.pos === '接続詞' || (s === '且つ' && t.pos === '副詞'))) {
      reportReplace(ctx, block, 'kana-conjunction', t.start, t.end, KANA_CONJUNCTIONS[s]);
    } else if (KANA_CONJUNCTIONS_COMMA[s] && t.pos === '接続詞' && next && /^[、，,]$/.test(next.surface)) {
      reportReplace(ctx, block, 'kana-conjunction', t.start, t.end, KANA_CONJUNCTIONS_COMMA[s]);
    } else if (KANA_ADVERBS[s] && t.pos === '副詞') {
      reportReplace(ctx, block, 'kana-adverb', t.start, t.end, KANA_ADVERBS[s]);
    } else if (KANJI_ADVERBS[s] && (t.pos === '副詞' || t.pos1 === '副詞可能')) {
      reportReplace(ctx, block, 'kanji-adverb', t.start, t.end, KANJI_ADVERBS[s]);
    } else if ((s === '他' || s === '外') && t.pos === '名詞' && isHokaContext(tokens, i)) {
      reportReplace(ctx, block, 'hoka', t.start, t.end, 'ほか');
    }
  }
}

/**
 * 他/外 meaning ほか (besides): after もの/こと/場合 + の (but not 「…の他の…」, which reads た), after
 * 除く, after その/この (「その外の措置」 → 「そのほかの措置」). 「その他」 (そのた) is one token, so never here.
 */
function isHokaContext(tokens: readonly Token[], i: number): boolean {
  const next = tokens[i + 1];
  const p1 = tokens[i - 1];
  const p2 = tokens[i - 2];
  if (!p1) return false;
  if (p1.surface === 'の' && p2 && (p2.surface === 'もの' || p2.surface === 'こと' || p2.surface === '場合')) {
    return !(next && next.surface === 'の');
  }
  if (p1.base === '除く' && p1.pos === '動詞') return true;
  if ((p1.surface === 'その' || p1.surface === 'この') && p1.pos === '連体詞') return true;
  return false;
}

/**
 * Large つ for the sound written っ in modern notation: あつて, 従つて, なつた, 行つて …
 * (kana or kanji, then つ, then て/た). かつて (formerly) is a word of its own and is kept.
 */
function checkSmallTsu(ctx: RuleContext, block: TextBlock, tokens: readonly Token[], mask: Uint8Array): void {
  const re = /[\u3041-\u3096\u4e00-\u9fff々]つ[てた]/g;
  const text = block.text;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const tsu = m.index + 1;
    re.lastIndex = tsu; // overlapping matches (あつてつて) are not a concern, but keep scanning from here
    if (masked(mask, tsu, tsu + 1)) continue;
    const tok = tokens.find((t) => t.start <= tsu && tsu < t.end);
    if (tok && tok.surface === 'かつて') continue;
    if (!tok && text.slice(tsu - 1, tsu + 2) === 'かつて' && !/[\u3041-\u3096]/.test(text[tsu - 2] ?? '')) continue;
    const found = text.slice(m.index, m.index + 3);
    const expected = found[0] + 'っ' + found[2];
    ctx.report({
      messageId: 'small-tsu',
      data: { found, expected },
      span: spanOf(block, m.index, m.index + 3),
      fixes: [
        {
          titleId: 'fix-replace',
          data: { found, expected },
          edits: [editAt(block, tsu, tsu + 1, 'っ')],
          safe: true,
        },
      ],
    });
  }
}

/** この限りではない → この限りでない; この限りでない sentences begin with ただし. */
function checkKagiri(ctx: RuleContext, block: TextBlock, mask: Uint8Array): void {
  const text = block.text;
  if (!text.includes('この限り')) return;
  const parens = bracketPairs(text, { '（': '）', '(': ')' });
  for (const s of splitSentences(text)) {
    const sentence = text.slice(s.start, s.end);
    const re = /この限りで(は)?ない/g;
    let reported = false;
    for (let m = re.exec(sentence); m; m = re.exec(sentence)) {
      const at = s.start + m.index;
      const end = at + m[0].length;
      if (masked(mask, at, end)) continue;
      if (m[1]) {
        const ha = at + 'この限りで'.length;
        ctx.report({
          messageId: 'kagiri',
          data: { found: 'この限りではない', expected: 'この限りでない' },
          span: spanOf(block, at, end),
          fixes: [
            {
              titleId: 'fix-replace',
              data: { found: 'この限りではない', expected: 'この限りでない' },
              edits: [editAt(block, ha, ha + 1, '')],
              safe: true,
            },
          ],
        });
      }
      // inside parentheses, the proviso begins after the opening bracket: （ただし、…この限りでない。）
      let from = s.start;
      for (const [o, c] of parens) if (o < at && at < c && o + 1 > from) from = o + 1;
      if (!reported && !/^\s*(ただし|但し)/.test(text.slice(from, at))) {
        reported = true;
        ctx.report({
          messageId: 'kagiri-tadashi',
          data: {},
          span: spanOf(block, at, end),
        });
      }
    }
  }
}

/** 3ヶ月 → 3か月 (also ヵ, ケ, カ; 所, 国, 年 likewise). */
function checkKagetsu(ctx: RuleContext, block: TextBlock, mask: Uint8Array): void {
  const re = /([0-9０-９〇一二三四五六七八九十百千何数])[\s\u3000]?([ヶヵケカ])(月|所|国|年|条)/g;
  const text = block.text;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const at = m.index + m[0].length - 2;
    if (masked(mask, at, at + 2)) continue;
    const found = m[2] + m[3];
    const expected = 'か' + m[3];
    ctx.report({
      messageId: 'kagetsu',
      data: { found, expected },
      span: spanOf(block, at, at + 2),
      fixes: [
        { titleId: 'fix-replace', data: { found, expected }, edits: [editAt(block, at, at + 1, 'か')], safe: true },
      ],
    });
  }
}

/** One comma style per document: when 、 and ， are both used, the less used one is reported. */
function checkCommas(ctx: RuleContext, blocks: TextBlock[]): void {
  // counted first, in one pass over the characters (the whole document on every lint: no object
  // per comma); only the minority's places are visited
  let a = 0;
  let b = 0;
  for (const block of blocks) {
    const text = block.text;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x3001) a++; // 、
      else if (c === 0xff0c) b++; // ，
    }
  }
  if (a === 0 || b === 0) return;
  const expected: Comma = a >= b ? '、' : '，';
  const minority: Comma = expected === '、' ? '，' : '、';
  const expectedCount = expected === '、' ? a : b;
  const minorityCount = expected === '、' ? b : a;
  for (const block of blocks) {
    const text = block.text;
    for (let at = text.indexOf(minority); at >= 0; at = text.indexOf(minority, at + 1)) {
      reportComma(ctx, block, at, minority, expected, expectedCount, minorityCount);
    }
  }
}

type Comma = '、' | '，';

function reportComma(ctx: RuleContext, block: TextBlock, at: number, minority: Comma, expected: Comma, count: number, minorityCount: number): void {
  ctx.report({
    messageId: 'comma-style',
    data: { found: minority, expected, count, minority: minorityCount },
    span: spanOf(block, at, at + 1),
    fixes: [
      {
        titleId: 'fix-replace',
        data: { found: minority, expected },
        edits: [editAt(block, at, at + 1, expected)],
        safe: true,
      },
    ],
  });
}
