/** What the clause rules share: turning a deviation of the comparison into a report. */
import type { DeviationType } from '../../align/compare';
import { deviations } from '../../clause/stage';
import type { Rule, RuleContext, RuleMeta } from '../types';

/** A clause rule that reports the comparison's deviations of one type. */
export function deviationRule(id: DeviationType, meta: Omit<RuleMeta, 'category' | 'needs'>): Rule {
  return {
    id,
    meta: { ...meta, category: 'clause', needs: { tokens: true, template: true, comparison: true } },
    check(ctx: RuleContext) {
      for (const d of deviations(ctx.analysis)) {
        if (d.type !== id) continue;
        ctx.report({
          messageId: d.messageId,
          data: { ...d.data, ref: d.pair.canonical?.label ?? '' },
          span: d.span,
          level: d.level,
          ref: d.pair.canonical?.label,
          canonical: d.canonical,
          fixes: d.fix
            ? [{ titleId: d.fix.titleId, data: d.data, edits: [{ span: d.fix.span, newText: d.fix.newText }, ...(d.fix.more ?? [])], safe: false }]
            : undefined,
        });
      }
    },
  };
}
