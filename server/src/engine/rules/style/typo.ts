/**
 * style/typo — slips seen in real contracts (drafting-rules §7), found on tokens where a regular
 * expression would misfire:
 *
 *  - もとする (the noun もと after a verb, then する): ものとする — not 「もの…とする」, not 「甲もとする」,
 *    not 「…をもととする」; fix inserts の (safe);
 *  - ものとすする, しなければならなない, しなけばならない: doubled or dropped kana (safe fix);
 *  - passive (or potential) + ことができる: 求められることができる → 求めることができる (fix not safe:
 *    the voice may need rethinking);
 *  - ねばならない → なければならない (safe);
 *  - 行なう → 行う (送り仮名, safe);
 *  - 「Aは…Bを遵守させ」 where A is not the sentence's subject: the one made to act takes に
 *    (「事業者は…遵守させなければならない」 → 「事業者に…」; fix not safe);
 *  - a party given something written as the object: 「事業者を提供した」 → 「事業者に提供した」 (fix not safe).
 *
 * Quoted text (「…」) is skipped.
 */
import type { Fix } from '../../findings';
import type { TextBlock } from '../../model/types';
import type { Token } from '../../tokenizer/types';
import type { Rule, RuleContext } from '../types';
import { blockTokens, checkStyleBlocks, editAt, masked, minimalEdit, quoteMask, spanOf, splitSentences, tokensIn } from './text';

/** Unambiguous misspellings: [found, expected]. */
const MISSPELLINGS: ReadonlyArray<readonly [string, string]> = [
  ['ものとすする', 'ものとする'],
  ['なければならなない', 'なければならない'],
  ['なければなならない', 'なければならない'],
  ['なけばならない', 'なければならない'],
  ['なければらない', 'なければならない'],
  ['なければならならない', 'なければならない'],
];

/** サ変 nouns whose recipient takes に (the thing given takes を). */
const GIVING_VERBS = new Set(['提供', '交付', '貸与', '譲渡', '返還', '送付', '引渡し', '引き渡し', '納入']);
const GIVING_VERBS_GODAN = new Set(['引き渡す', '引渡す', '渡す']);
/** Parties and persons: they receive, they are not given. */
const PARTY_NOUNS = ['事業者', '第三者', '相手方', '再委託先', '委託先', '受注者', '発注者', '委託者', '受託者', '当事者'];
const PARTY_LETTERS = new Set(['甲', '乙', '丙', '丁']);

export const typoRule: Rule = {
  id: 'style/typo',
  meta: {
    category: 'style',
    defaultLevel: 'warning',
    needs: { tokens: true },
    fixable: true,
    messages: [
      'mo-tosuru',
      'misspelled',
      'passive-permission',
      'nebanaranai',
      'okurigana',
      'causative-ha',
      'recipient-wo',
      'fix-replace',
    ],
  },
  check(ctx) {
    checkStyleBlocks(ctx, typoRule.id, checkBlock);
  },
  checkBlock,
};

function checkBlock(ctx: RuleContext, block: TextBlock): void {
  const tokens = blockTokens(ctx, block);
  const mask = quoteMask(block.text);
  checkMisspellings(ctx, block, mask);
  if (tokens.length === 0) return;
  checkTokens(ctx, block, tokens, mask);
  for (const s of splitSentences(block.text)) {
    const toks = tokensIn(tokens, s).filter((t) => !masked(mask, t.start, t.end));
    checkCausative(ctx, block, toks);
    checkRecipient(ctx, block, toks);
  }
}

function fix(found: string, expected: string, edits: Fix['edits'], safe: boolean): Fix {
  return { titleId: 'fix-replace', data: { found, expected }, edits, safe };
}

function checkMisspellings(ctx: RuleContext, block: TextBlock, mask: Uint8Array): void {
  const text = block.text;
  for (const [found, expected] of MISSPELLINGS) {
    for (let at = text.indexOf(found); at >= 0; at = text.indexOf(found, at + found.length)) {
      if (masked(mask, at, at + found.length)) continue;
      ctx.report({
        messageId: 'misspelled',
        data: { found, expected },
        span: spanOf(block, at, at + found.length),
        fixes: [fix(found, expected, [minimalEdit(block, at, at + found.length, expected)], true)],
      });
    }
  }
}

function isPredicateEnd(t: Token | undefined): boolean {
  if (!t) return false;
  if (t.pos === '動詞' || t.pos === '助動詞') return true;
  // compound particles ending in a verb: による, に関する, に対する
  return t.pos === '助詞' && /る$/.test(t.surface);
}

function checkTokens(ctx: RuleContext, block: TextBlock, tokens: readonly Token[], mask: Uint8Array): void {
  const text = block.text;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (masked(mask, t.start, t.end)) continue;
    const prev = tokens[i - 1];
    const next = tokens[i + 1];

    // もとする: …するもとする / …によるもとする (and the split も+と+する after a verb)
    if (t.surface === 'もと' && t.pos === '名詞' && next && next.base === 'する' && next.pos === '動詞' && isPredicateEnd(prev)) {
      reportMoTosuru(ctx, block, t.start, next.end);
      continue;
    }
    if (
      t.surface === 'も' &&
      t.pos === '助詞' &&
      next?.surface === 'と' &&
      tokens[i + 2]?.base === 'する' &&
      tokens[i + 2]?.pos === '動詞' &&
      isPredicateEnd(prev) &&
      prev?.conjugatedForm === '基本形'
    ) {
      reportMoTosuru(ctx, block, t.start, tokens[i + 2].end);
      continue;
    }

    // passive (or potential) + ことができる
    if (t.pos === '動詞' && t.pos1 === '接尾' && (t.base === 'られる' || t.base === 'れる') && prev?.pos === '動詞') {
      const koto = tokens[i + 1];
      const ga = tokens[i + 2];
      const dekiru = tokens[i + 3];
      if (koto?.surface === 'こと' && (ga?.surface === 'が' || ga?.surface === 'は') && dekiru?.base === 'できる') {
        const found = text.slice(prev.start, t.end);
        const expected = prev.base;
        ctx.report({
          messageId: 'passive-permission',
          data: { found, expected },
          span: spanOf(block, prev.start, dekiru.end),
          fixes: [fix(found, expected, [minimalEdit(block, prev.start, t.end, expected)], false)],
        });
        continue;
      }
    }

    // ねばならない → なければならない
    if (t.surface === 'ね' && t.base === 'ぬ' && t.pos === '助動詞' && next?.surface === 'ば' && tokens[i + 2]?.base === 'なる') {
      const suru = prev && prev.surface === 'せ' && prev.base === 'する';
      const start = suru ? prev.start : t.start;
      const found = text.slice(start, next.end);
      const expected = suru ? 'しなければ' : 'なければ';
      ctx.report({
        messageId: 'nebanaranai',
        data: { found: found + 'ならない', expected: expected + 'ならない' },
        span: spanOf(block, start, next.end),
        fixes: [fix(found, expected, [minimalEdit(block, start, t.end, expected.slice(0, -1))], true)],
      });
      continue;
    }

    // 行なう → 行う
    if (t.surface.startsWith('行な') && (t.base === '行なう' || t.base.startsWith('行ない'))) {
      const found = t.surface;
      const expected = '行' + t.surface.slice(2);
      ctx.report({
        messageId: 'okurigana',
        data: { found, expected },
        span: spanOf(block, t.start, t.end),
        fixes: [fix(found, expected, [editAt(block, t.start + 1, t.start + 2, '')], true)],
      });
    }
  }
}

function reportMoTosuru(ctx: RuleContext, block: TextBlock, start: number, end: number): void {
  const found = block.text.slice(start, end);
  const expected = 'もの' + found.slice(1);
  ctx.report({
    messageId: 'mo-tosuru',
    data: { found, expected },
    span: spanOf(block, start, end),
    // insert の after も: keeps any wrapped line break between も and とする
    fixes: [fix(found, expected, [editAt(block, start + 1, start + 1, 'の')], true)],
  });
}

const isTopicHa = (t: Token | undefined): boolean => !!t && t.surface === 'は' && t.pos === '助詞' && t.pos1 === '係助詞';
const isComma = (t: Token | undefined): boolean => !!t && t.pos === '記号' && /^[、，,]$/.test(t.surface);
/** Nouns before は that mark a condition or a contrast, not a subject: 場合は, ときは, ことは … */
const NON_SUBJECT = new Set(['場合', 'とき', '時', 'こと', 'ため', '限り', '上', 'ほか', '後', '前', '間']);

/**
 * 「A は、… B は C を 遵守させ…」: a causative whose nearest は-phrase, in the same clause (no comma
 * between), is not the sentence's subject (an earlier は-topic is). The one made to act takes に.
 */
function checkCausative(ctx: RuleContext, block: TextBlock, toks: Token[]): void {
  for (let c = 0; c < toks.length; c++) {
    const cz = toks[c];
    if (!(cz.pos === '動詞' && cz.pos1 === '接尾' && (cz.base === 'せる' || cz.base === 'させる'))) continue;
    let wo = -1;
    let ha = -1;
    let blocked = false;
    for (let k = c - 1; k >= 0; k--) {
      const t = toks[k];
      if (isComma(t) || t.pos === '記号' && /^[。．]$/.test(t.surface)) break;
      if (t.pos === '助詞' && (t.surface === 'に' || t.surface === 'に対し' || t.surface === 'に対して')) blocked = true;
      if (t.pos === '助詞' && t.surface === 'を' && wo < 0) wo = k;
      if (isTopicHa(t)) {
        ha = k;
        break;
      }
    }
    if (blocked || wo < 0 || ha < 1 || ha > wo) continue;
    const agent = toks[ha - 1];
    if (agent.pos !== '名詞' || NON_SUBJECT.has(agent.surface)) continue;
    // an earlier は-topic (the sentence's subject) must exist
    let subject = false;
    for (let k = 0; k < ha - 1; k++) {
      if (isTopicHa(toks[k]) && toks[k - 1] && toks[k - 1].pos === '名詞' && !NON_SUBJECT.has(toks[k - 1].surface)) {
        subject = true;
        break;
      }
    }
    if (!subject) continue;
    const start = nounPhraseStart(toks, ha - 1);
    const hat = toks[ha];
    const found = block.text.slice(toks[start].start, hat.end);
    const expected = found.slice(0, -1) + 'に';
    const verb = block.text.slice(toks[wo + 1]?.start ?? cz.start, cz.end);
    ctx.report({
      messageId: 'causative-ha',
      data: { found, expected, verb },
      span: spanOf(block, toks[start].start, cz.end),
      fixes: [fix(found, expected, [editAt(block, hat.start, hat.end, 'に')], false)],
    });
  }
}

/** Index of the first token of the noun phrase ending at toks[end] (nouns, prefixes, and の between them). */
function nounPhraseStart(toks: Token[], end: number): number {
  let s = end;
  while (s > 0) {
    const p = toks[s - 1];
    if (p.pos === '名詞' || p.pos === '接頭詞') s--;
    else break;
  }
  return s;
}

/** 「事業者を提供した」: a party as the object of a giving verb; the recipient takes に. */
function checkRecipient(ctx: RuleContext, block: TextBlock, toks: Token[]): void {
  for (let k = 1; k + 1 < toks.length; k++) {
    const wo = toks[k];
    if (!(wo.surface === 'を' && wo.pos === '助詞')) continue;
    const v = toks[k + 1];
    const after = toks[k + 2];
    const giving =
      (GIVING_VERBS.has(v.surface) && v.pos === '名詞' && after?.base === 'する') ||
      (v.pos === '動詞' && GIVING_VERBS_GODAN.has(v.base));
    if (!giving) continue;
    const start = nounPhraseStart(toks, k - 1);
    if (start >= k) continue;
    let phrase = block.text.slice(toks[start].start, toks[k - 1].end);
    phrase = phrase.replace(/等$/, '');
    const isParty = PARTY_LETTERS.has(phrase) || PARTY_NOUNS.some((p) => phrase.endsWith(p));
    if (!isParty) continue;
    const end = v.pos === '動詞' ? v.end : after.end;
    const found = block.text.slice(toks[start].start, wo.end);
    const expected = found.slice(0, -1) + 'に';
    ctx.report({
      messageId: 'recipient-wo',
      data: { found, expected, verb: block.text.slice(v.start, end) },
      span: spanOf(block, toks[start].start, end),
      fixes: [fix(found, expected, [editAt(block, wo.start, wo.end, 'に')], false)],
    });
  }
}
