/**
 * missing-paragraph — a paragraph, numbered sub-unit, item or annex sub-section of the canonical
 * text missing inside an aligned unit, reported where it belongs; the fix inserts it there.
 *
 * Units missing at one place (consecutive siblings, and the last children of the unit before
 * them: the same anchor) go in together, in the standard's order: inserted alone, one of them
 * would leave the others with no place of their own. The fix is offered only where the draft,
 * read again with the text inserted, holds those units (place.ts `checkedInsertion`); in a draft
 * whose structure is damaged there may be no such place, and then the finding has no fix.
 */
import type { UnitPair } from '../../align/align';
import type { Fix } from '../../findings';
import type { Span, Unit } from '../../model/types';
import { renderCanonical } from '../../standard-view';
import type { Rule, RuleContext } from '../types';
import { joinedUnits } from '../../clause/joined';
import { checkedInsertion, foundElsewhere, headingOf, insertionPoint, missingLevel, paragraphElsewhere, textAlreadyThere, type Place } from './place';

interface Missing {
  top: UnitPair;
  parent: UnitPair;
  index: number;
  unit: Unit;
  depth: number;
  at: Place;
}

export const missingParagraphRule: Rule = {
  id: 'missing-paragraph',
  meta: {
    category: 'clause',
    defaultLevel: 'warning',
    needs: { template: true },
    fixable: true,
    messages: ['missing', 'moved', 'elsewhere', 'misplaced', 'joined', 'text-here', 'insert', 'insert-run', 'split-line'],
  },
  check(ctx: RuleContext) {
    const stage = ctx.analysis.clause;
    if (!stage?.alignment || !stage.template) return;
    const { alignment, template } = stage;
    const render = (c: Unit): string =>
      renderCanonical(template, alignment, c, { conventions: ctx.doc.conventions, parties: alignment.draftParties }).join('\n');
    const missing: Missing[] = [];
    /** Units with a child found in another article (split or merged articles). */
    const movedFrom = new Set<UnitPair>();
    const visit = (top: UnitPair, parent: UnitPair, depth: number): void => {
      if (!parent.draft || !parent.canonical) return;
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
          movedFrom.add(parent);
          return;
        }
        // its line joined onto the one before, after a sentence end: a line break there
        const joined = joinedUnits(ctx.doc.text, alignment).byCanonical.get(c);
        if (joined) {
          ctx.report({
            messageId: 'joined',
            data: { ref: c.label, marker: joined.marker },
            span: { start: joined.at, end: joined.at + joined.marker.length },
            ref: c.label,
            canonical: render(c),
            fixes: [{ titleId: 'split-line', data: { marker: joined.marker }, edits: [{ span: { start: joined.at, end: joined.at }, newText: '\n' }], safe: false }],
          });
          movedFrom.add(parent);
          return;
        }
        // its text in the draft already, read as part of another unit: reported where it belongs,
        // pointing at where the text stands, without an insertion that would write it twice
        const standsElsewhere = (messageId: string, data: Record<string, string>, where: Span): void => {
          ctx.report({
            messageId,
            data: { ref: c.label, ...data },
            span: insertionPoint(ctx, parent.children, i, parent.draft ?? undefined).span,
            ref: c.label,
            canonical: render(c),
            related: [{ span: where, messageId: 'text-here', data: { ref: c.label } }],
          });
          movedFrom.add(parent);
        };
        // as a paragraph of another article (lines swapped, that article's number line moved or lost)
        const copy = paragraphElsewhere(ctx, c, alignment, top.draft);
        if (copy) {
          standsElsewhere('elsewhere', { into: copy.article.number?.raw ?? copy.article.label, number: copy.unit.number?.raw ?? '' }, copy.unit.number?.span ?? copy.unit.span);
          return;
        }
        // anywhere else, as often as the standard has it (lines swapped)
        const there = textAlreadyThere(ctx, c, template, alignment.draftParties);
        if (there?.unit) {
          standsElsewhere('misplaced', { at: there.unit.label }, { start: there.at, end: there.at + 1 });
          return;
        }
        missing.push({ top, parent, index: i, unit: c, depth, at: insertionPoint(ctx, parent.children, i, parent.draft ?? undefined) });
      });
      for (const p of parent.children) visit(top, p, depth + 1);
    };
    for (const top of alignment.pairs) visit(top, top, 0);

    // units missing at one place: deepest first (they end the unit the others follow), then in order
    const groups = new Map<string, Missing[]>();
    for (const m of missing) {
      const key = `${m.at.insertAt}:${m.at.span.start}:${m.at.span.end}`;
      const g = groups.get(key);
      if (g) g.push(m);
      else groups.set(key, [m]);
    }
    const fixes = new Map<Missing[], Fix | null>();
    for (const m of missing) {
      const group = groups.get(`${m.at.insertAt}:${m.at.span.start}:${m.at.span.end}`)!;
      // Beside a sibling that stands in another article, where a missing unit goes is a guess the
      // alignment can read otherwise once it is there (the inserted text can pair the standard
      // unit with another article than before, and the moved one is then missing): no fix.
      if (!fixes.has(group)) fixes.set(group, group.some((g) => movedFrom.has(g.parent)) ? null : groupFix(ctx, group, render));
      const fix = fixes.get(group);
      const c = m.unit;
      ctx.report({
        messageId: 'missing',
        data: { ref: c.label, heading: headingOf(c), text: (c.heading?.text ?? c.body?.text ?? '').slice(0, 40) },
        span: m.at.span,
        ref: c.label,
        canonical: render(c),
        level: missingLevel(c),
        fixes: fix ? [fix] : undefined,
      });
    }
  },
};

/** The fix of the units missing at one place: all of them inserted where the draft then holds them, or null. */
function groupFix(ctx: RuleContext, group: Missing[], render: (c: Unit) => string): Fix | null {
  const units = [...group].sort((a, b) => b.depth - a.depth || a.index - b.index);
  // the deepest unit's siblings give the candidate places (the others follow the same end)
  const lead = units[0];
  const same = units.filter((u) => u.parent === lead.parent).map((u) => u.index);
  if (units.some((u) => u.top !== lead.top)) return null;
  const at = checkedInsertion(
    ctx,
    lead.top,
    lead.parent,
    Math.min(...same),
    Math.max(...same),
    units.map((u) => u.unit),
    units.map((u) => render(u.unit)).join('\n'),
  );
  if (!at) return null;
  const first = units[0].unit;
  const last = units[units.length - 1].unit;
  return {
    titleId: units.length === 1 ? 'insert' : 'insert-run',
    data: units.length === 1 ? { ref: first.label } : { from: first.label, to: last.label, count: units.length },
    edits: [{ span: { start: at.insertAt, end: at.insertAt }, newText: at.newText }],
    safe: false,
  };
}
