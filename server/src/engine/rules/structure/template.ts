/**
 * template — which canonical template applies. Reports (information) when a contract matches no
 * template, so only the structural rules run, and (warning) when a setting or directive names a
 * template that does not exist.
 */
import type { Rule } from '../types';

export const templateRule: Rule = {
  id: 'template',
  meta: {
    category: 'structure',
    defaultLevel: 'information',
    needs: {},
    fixable: false,
    messages: ['none', 'unknown'],
  },
  check(ctx) {
    const choice = ctx.analysis.clause?.choice;
    if (!choice) return;
    const at = ctx.doc.title?.block.span ?? ctx.doc.articles[0]?.number?.span ?? { start: 0, end: 0 };
    if (choice.reason === 'unknown-id') {
      const span = ctx.analysis.directives.templateSpan ?? at;
      ctx.report({ messageId: 'unknown', data: { id: choice.requested ?? '' }, span, level: 'warning' });
    } else if (choice.reason === 'none' && ctx.doc.articles.length > 0) {
      ctx.report({ messageId: 'none', span: at });
    }
  },
};
