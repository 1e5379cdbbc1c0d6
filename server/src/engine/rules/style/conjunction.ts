/**
 * style/conjunction — the hierarchy of 及び/並びに and 又は/若しくは (drafting-rules §4), per sentence:
 *
 *  - 若しくは without 又は in the same sentence (若しくは only marks the narrower levels under 又は);
 *  - 並びに without 及び (並びに only marks the wider levels over 及び);
 *  - 「A及びB及びC」 / 「A又はB又はC」: one level written twice; only the last takes the word
 *    → 「A、B及びC」 (safe fix);
 *  - 「A又はB若しくはC又はD」 → 「A、B若しくはC又はD」;
 *  - および/ならびに/または/もしくは in kana (公用文 writes them in kanji) → kanji (safe fix). Not
 *    reported when `keiyakuLint.style` is 'off' (private-sector ひらく style); the hierarchy checks
 *    read kana and kanji alike.
 *
 * Works on kuromoji tokens (接続詞 only), so the verb 及ぶ (「…に及び、」) is not a conjunction.
 * Quoted text (「…」) is skipped: it cites other texts.
 */
import type { Fix } from '../../findings';
import type { TextBlock } from '../../model/types';
import type { Token } from '../../tokenizer/types';
import type { Rule, RuleContext } from '../types';
import { blockTokens, checkStyleBlocks, masked, minimalEdit, quoteMask, spanOf, splitSentences, tokensIn } from './text';

type Kind = 'oyobi' | 'narabini' | 'mataha' | 'moshikuha';

const CONJ: Record<string, { kind: Kind; kanji: string }> = {
  及び: { kind: 'oyobi', kanji: '及び' },
  および: { kind: 'oyobi', kanji: '及び' },
  並びに: { kind: 'narabini', kanji: '並びに' },
  ならびに: { kind: 'narabini', kanji: '並びに' },
  又は: { kind: 'mataha', kanji: '又は' },
  または: { kind: 'mataha', kanji: '又は' },
  若しくは: { kind: 'moshikuha', kanji: '若しくは' },
  もしくは: { kind: 'moshikuha', kanji: '若しくは' },
};

interface Conj {
  token: Token;
  index: number; // index in the sentence's token list
  kind: Kind;
  kanji: string;
}

export const conjunctionRule: Rule = {
  id: 'style/conjunction',
  meta: {
    category: 'style',
    defaultLevel: 'warning',
    needs: { tokens: true },
    fixable: true,
    messages: [
      'moshikuha-without-mataha',
      'narabini-without-oyobi',
      'repeated',
      'mataha-moshikuha-mataha',
      'kana',
      'fix-replace',
      'fix-comma',
    ],
  },
  check(ctx) {
    checkStyleBlocks(ctx, conjunctionRule.id, checkConjunctions);
  },
  checkBlock: checkConjunctions,
};

function checkConjunctions(ctx: RuleContext, block: TextBlock): void {
  checkBlock(ctx, block, ctx.analysis.settings.style !== 'off');
}

function checkBlock(ctx: RuleContext, block: TextBlock, kobun: boolean): void {
  const tokens = blockTokens(ctx, block);
  if (tokens.length === 0) return;
  const mask = quoteMask(block.text);
  for (const sentence of splitSentences(block.text)) {
    const toks = tokensIn(tokens, sentence);
    const conjs: Conj[] = [];
    toks.forEach((t, index) => {
      const c = CONJ[t.surface];
      if (!c || t.pos !== '接続詞' || masked(mask, t.start, t.end)) return;
      conjs.push({ token: t, index, kind: c.kind, kanji: c.kanji });
    });
    if (conjs.length === 0) continue;
    checkSentence(ctx, block, toks, conjs, kobun);
  }
}

function checkSentence(
  ctx: RuleContext,
  block: TextBlock,
  toks: Token[],
  conjs: Conj[],
  kobun: boolean,
): void {
  const report = (messageId: string, t: Token, data: Record<string, string>, fixes?: Fix[]): void =>
    ctx.report({ messageId, data, span: spanOf(block, t.start, t.end), fixes });
  const replaceFix = (t: Token, expected: string, safe: boolean): Fix => ({
    titleId: 'fix-replace',
    data: { found: t.surface, expected },
    edits: [minimalEdit(block, t.start, t.end, expected)],
    safe,
  });

  // kana conjunctions
  if (kobun) {
    for (const c of conjs) {
      if (c.token.surface === c.kanji) continue;
      report('kana', c.token, { found: c.token.surface, expected: c.kanji }, [replaceFix(c.token, c.kanji, true)]);
    }
  }

  const of = (k: Kind): Conj[] => conjs.filter((c) => c.kind === k);
  const moshikuha = of('moshikuha');
  const mataha = of('mataha');
  const narabini = of('narabini');
  const oyobi = of('oyobi');

  // 若しくは without 又は; 並びに without 及び. One finding per sentence, at the first one.
  if (moshikuha.length > 0 && mataha.length === 0) {
    const t = moshikuha[0].token;
    report(
      'moshikuha-without-mataha',
      t,
      { found: t.surface },
      moshikuha.length === 1 ? [replaceFix(t, '又は', false)] : undefined,
    );
  }
  if (narabini.length > 0 && oyobi.length === 0) {
    const t = narabini[0].token;
    report(
      'narabini-without-oyobi',
      t,
      { found: t.surface },
      narabini.length === 1 ? [replaceFix(t, '及び', false)] : undefined,
    );
  }

  // 「A及びB及びC」 / 「A又はB又はC」: chains of one kind joined by plain noun phrases.
  for (const kind of ['oyobi', 'mataha'] as const) {
    const list = of(kind);
    let chain: Conj[] = [];
    const flush = (): void => {
      if (chain.length >= 2) {
        const first = chain[0].token;
        const word = chain[chain.length - 1].kanji;
        const edits = chain.slice(0, -1).map((c) => minimalEdit(block, c.token.start, c.token.end, '、'));
        report('repeated', first, { conj: word, found: first.surface }, [
          { titleId: 'fix-comma', data: { conj: word }, edits, safe: true },
        ]);
      }
      chain = [];
    };
    for (const c of list) {
      if (chain.length === 0) {
        if (isNounEnd(toks[c.index - 1])) chain = [c];
        continue;
      }
      const prev = chain[chain.length - 1];
      if (isPlainNounPhrase(toks, prev.index + 1, c.index)) chain.push(c);
      else {
        flush();
        if (isNounEnd(toks[c.index - 1])) chain = [c];
      }
    }
    flush();
  }

  // 「A又はB若しくはC又はD」: two 又は around a 若しくは, all one noun phrase.
  for (let k = 0; k + 1 < mataha.length; k++) {
    const m1 = mataha[k];
    const m2 = mataha[k + 1];
    const inner = moshikuha.filter((c) => c.index > m1.index && c.index < m2.index);
    if (inner.length === 0) continue;
    if (!isNounEnd(toks[m1.index - 1])) continue;
    let ok = true;
    let from = m1.index + 1;
    for (const c of inner) {
      if (!isPlainNounPhrase(toks, from, c.index)) ok = false;
      from = c.index + 1;
    }
    if (!isPlainNounPhrase(toks, from, m2.index)) ok = false;
    if (!ok) continue;
    report('mataha-moshikuha-mataha', m1.token, { found: m1.token.surface }, [
      { titleId: 'fix-comma', data: { conj: '又は' }, edits: [minimalEdit(block, m1.token.start, m1.token.end, '、')], safe: false },
    ]);
  }
}

/** A token that can end the first member of a list (a noun or a closing bracket). */
function isNounEnd(t: Token | undefined): boolean {
  if (!t) return false;
  if (t.pos === '名詞') return true;
  return t.pos === '記号' && /^[）)」』〕］\]]$/.test(t.surface);
}

/**
 * True when toks[from, to) is one bare noun phrase: nouns and prefixes only (with ・ or brackets),
 * no particle (not even の, which can nest lists: 「甲及び乙の代表者及び従業員」), no verb, no comma.
 */
function isPlainNounPhrase(toks: Token[], from: number, to: number): boolean {
  if (to <= from) return false;
  let depth = 0;
  for (let i = from; i < to; i++) {
    const t = toks[i];
    if (t.pos === '記号') {
      if (/^[（(「『〔［[]$/.test(t.surface)) depth++;
      else if (/^[）)」』〕］\]]$/.test(t.surface)) depth--;
      else if (depth === 0 && t.surface !== '・') return false;
      continue;
    }
    if (depth > 0) continue;
    if (t.pos !== '名詞' && t.pos !== '接頭詞') return false;
  }
  return depth === 0;
}
