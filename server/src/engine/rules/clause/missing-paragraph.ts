/**
 * missing-paragraph — a paragraph, numbered sub-unit, item or annex sub-section of the canonical
 * text missing inside an aligned unit, reported where it belongs; the fix inserts it there.
 */
import { allPairs } from '../../align/align';
import { renderCanonical } from '../../standard-view';
import type { Rule, RuleContext } from '../types';
import { foundElsewhere, headingOf, insertionPoint, missingLevel } from './place';

export const missingParagraphRule: Rule = {
  id: 'missing-paragraph',
  meta: {
    category: 'clause',
    defaultLevel: 'warning',
    needs: { template: true },
    fixable: true,
    messages: ['missing', 'moved', 'insert'],
  },
  check(ctx: RuleContext) {
    const stage = ctx.analysis.clause;
    if (!stage?.alignment || !stage.template) return;
    const { alignment, template } = stage;
    for (const parent of allPairs(alignment)) {
      if (!parent.draft || !parent.canonical) continue;
      parent.children.forEach((p, i) => {
        if (p.draft || !p.canonical) return;
        const c = p.canonical;
        const elsewhere = foundElsewhere(ctx, c, template.parties, alignment.draftParties);
        if (elsewhere && !alignment.toCanonical.has(elsewhere) && c.kind !== 'subitem') {
          // an article split in two: the paragraph stands in a new article of the draft
          ctx.report({
            messageId: 'moved',
            data: { ref: c.label, into: elsewhere.number?.raw ?? elsewhere.label },
            span: elsewhere.number?.span ?? elsewhere.span,
            level: 'information',
            ref: c.label,
          });
          return;
        }
        const at = insertionPoint(ctx, parent.children, i, parent.draft ?? undefined);
        const text = renderCanonical(template, alignment, c, { conventions: ctx.doc.conventions, parties: alignment.draftParties }).join('\n');
        ctx.report({
          messageId: 'missing',
          data: { ref: c.label, heading: headingOf(c), text: (c.heading?.text ?? c.body?.text ?? '').slice(0, 40) },
          span: at.span,
          ref: c.label,
          canonical: text,
          level: missingLevel(c),
          fixes: [
            {
              titleId: 'insert',
              data: { ref: c.label },
              edits: [{ span: { start: at.insertAt, end: at.insertAt }, newText: at.before + text + at.after }],
              safe: false,
            },
          ],
        });
      });
    }
  },
};
