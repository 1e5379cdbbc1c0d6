/**
 * style/condition — how conditions are written (drafting-rules §6):
 *
 *  - 場合 for the outer condition, とき for the inner one: 「…場合において、…ときは」. The reversed
 *    nesting 「…ときにおいて、…場合は」 is reported (warning); the fix swaps the two words (not safe:
 *    the writer may rather restructure the sentence).
 *  - 時 only for a point in time: 「違反した時は」「請求した時には」「…した時において」 are conditions and
 *    take とき (information; safe fix, the reading does not change). 「…した時から」「締結時」 are kept.
 *
 * Works on kuromoji tokens, per sentence; quoted text is skipped.
 */
import type { TextBlock } from '../../model/types';
import type { Token } from '../../tokenizer/types';
import type { Rule, RuleContext } from '../types';
import { blockTokens, checkStyleBlocks, editAt, masked, quoteMask, spanOf, splitSentences, tokensIn } from './text';

export const conditionRule: Rule = {
  id: 'style/condition',
  meta: {
    category: 'style',
    defaultLevel: 'warning',
    needs: { tokens: true },
    fixable: true,
    messages: ['reversed', 'toki-kanji', 'fix-swap', 'fix-replace'],
  },
  check(ctx) {
    checkStyleBlocks(ctx, conditionRule.id, checkBlock);
  },
  checkBlock,
};

function checkBlock(ctx: RuleContext, block: TextBlock): void {
  const tokens = blockTokens(ctx, block);
  if (tokens.length === 0) return;
  const mask = quoteMask(block.text);
  for (const s of splitSentences(block.text)) {
    const toks = tokensIn(tokens, s).filter((t) => !masked(mask, t.start, t.end));
    checkSentence(ctx, block, toks);
  }
}

/** What follows a condition noun: 'nioite' (において), 'ha' (は / には), or null (not a condition). */
function marker(toks: Token[], i: number): 'nioite' | 'ha' | null {
  const n1 = toks[i + 1];
  const n2 = toks[i + 2];
  if (!n1) return null;
  if (n1.surface === 'において') return 'nioite';
  if (n1.surface === 'は' && n1.pos === '助詞') return 'ha';
  if (n1.surface === 'に' && n2?.surface === 'は') return 'ha';
  if (n1.surface === 'には') return 'ha';
  return null;
}

/** A condition noun after a clause: the previous token is a verb or auxiliary (…した, …する, …ない). */
function afterClause(toks: Token[], i: number): boolean {
  const p = toks[i - 1];
  return !!p && (p.pos === '動詞' || p.pos === '助動詞' || p.pos === '形容詞');
}

function checkSentence(ctx: RuleContext, block: TextBlock, toks: Token[]): void {
  let outerToki: Token | null = null;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.pos !== '名詞') continue;
    const m = marker(toks, i);

    // 時 for a condition
    if (t.surface === '時' && t.pos1 !== '接尾' && m && afterClause(toks, i)) {
      ctx.report({
        messageId: 'toki-kanji',
        level: 'information',
        data: { found: '時', expected: 'とき' },
        span: spanOf(block, t.start, t.end),
        fixes: [
          {
            titleId: 'fix-replace',
            data: { found: '時', expected: 'とき' },
            edits: [editAt(block, t.start, t.end, 'とき')],
            safe: true,
          },
        ],
      });
    }

    // 「…ときにおいて、…場合は」
    if ((t.surface === 'とき' || t.surface === '時') && m === 'nioite' && afterClause(toks, i) && !outerToki) {
      outerToki = t;
      continue;
    }
    if (outerToki && t.surface === '場合' && m && afterClause(toks, i)) {
      ctx.report({
        messageId: 'reversed',
        data: { outer: outerToki.surface, inner: '場合' },
        span: spanOf(block, outerToki.start, t.end),
        fixes: [
          {
            titleId: 'fix-swap',
            data: {},
            edits: [editAt(block, outerToki.start, outerToki.end, '場合'), editAt(block, t.start, t.end, 'とき')],
            safe: false,
          },
        ],
      });
      outerToki = null;
    }
  }
}
