/**
 * input — what the parser could not make sense of: an empty document, binary data, a document
 * over the size limit, a document with no articles, text the parser could not place.
 */
import type { Rule } from '../types';

export const inputRule: Rule = {
  id: 'input',
  meta: {
    category: 'structure',
    defaultLevel: 'information',
    needs: {},
    fixable: false,
    messages: ['empty', 'binary', 'too-large', 'no-articles', 'orphan-text'],
  },
  check(ctx) {
    for (const p of ctx.doc.problems) {
      // a 届出書 on its own has no articles, and needs none
      if (p.code === 'no-articles' && ctx.analysis.forms.length > 0) continue;
      ctx.report({
        messageId: p.code,
        data: p.data,
        span: p.span,
        level: p.code === 'binary' || p.code === 'too-large' ? 'error' : undefined,
      });
    }
  },
};
