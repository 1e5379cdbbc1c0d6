/**
 * missing-article — a canonical article (or annex) with no counterpart in the draft, reported
 * where it should be inserted. The fix inserts the standard text there, numbered to fit and in
 * the draft's conventions (digit width, 第N or 第N条, party names). When only the article's
 * heading line is left (its number line deleted with its text), the finding points at that
 * heading and the fix writes the article below it.
 */
import type { UnitPair } from '../../align/align';
import type { Unit } from '../../model/types';
import { renderCanonical } from '../../standard-view';
import type { Rule, RuleContext } from '../types';
import type { Fix } from '../../findings';
import { sameHeading } from '../../refs/headings';
import { foundElsewhere, headingOf, insertionPoint, lostAnnexMarker, missingLevel, orphanHeadingsBefore } from './place';
import { followsSentenceEnd } from '../../text/lines';
import { ARTICLE_START_RE } from '../../text/numerals';

export const missingArticleRule: Rule = {
  id: 'missing-article',
  meta: {
    category: 'clause',
    defaultLevel: 'warning',
    needs: { template: true },
    fixable: true,
    messages: ['missing', 'missing-annex', 'heading-only', 'merged', 'merged-annex', 'insert', 'split-line', 'insert-marker'],
  },
  check(ctx: RuleContext) {
    const stage = ctx.analysis.clause;
    if (!stage?.alignment || !stage.template) return;
    const { alignment, template } = stage;
    const pairs = alignment.pairs;
    const doc = ctx.doc;
    pairs.forEach((p, i) => {
      if (p.draft || !p.canonical) return;
      const c = p.canonical;
      // merged: the standard article's text stands inside another draft article (two articles made
      // one); an annex's text inside another unit, or its title starting a line there: its marker
      // line was joined onto the line before or lost — inserting the annex again would write its
      // text twice
      const host = foundElsewhere(ctx, c, template.parties, alignment.draftParties);
      const lost = c.kind === 'annex' ? lostAnnexMarker(ctx, c) : null;
      if (host || lost) {
        const lines = renderCanonical(template, alignment, c, { conventions: doc.conventions, parties: alignment.draftParties });
        const into = host ?? lost!.host;
        const split = !host ? null : c.kind === 'annex' ? joinedMarker(doc.text, host.span, lines[0]) : joinedArticle(doc.text, host.span, lines);
        // the marker joined onto a sentence: a line break before it; the marker line gone above
        // the title: the line put back
        let span = into.number?.span ?? into.span;
        let fix: Fix | undefined;
        if (split) {
          span = { start: split.at, end: split.at + split.marker.length };
          fix = { titleId: 'split-line', data: { marker: split.marker }, edits: [{ span: { start: split.at, end: split.at }, newText: '\n' }], safe: false };
        } else if (lost) {
          const marker = c.annexKind ?? lines[0];
          span = { start: lost.at, end: lost.at + headingOf(c).length };
          fix = { titleId: 'insert-marker', data: { marker }, edits: [{ span: { start: lost.at, end: lost.at }, newText: `${marker}\n` }], safe: false };
        }
        ctx.report({
          messageId: c.kind === 'annex' ? 'merged-annex' : 'merged',
          data: { ref: c.label, heading: headingOf(c), into: into.kind === 'article' ? into.number?.raw ?? into.label : into.label },
          span,
          // an annex not read as one is not checked as one: a warning; two articles made one read
          // on: information
          level: c.kind === 'annex' ? undefined : 'information',
          ref: c.label,
          canonical: lines.join('\n'),
          fixes: fix ? [fix] : undefined,
        });
        return;
      }
      const at = insertionPoint(ctx, pairs, i);
      const prevDraft = previousDraft(pairs, i);
      const number = c.kind === 'article' ? [prevDraft?.number ? prevDraft.number.value[0] + 1 : c.number?.value[0] ?? 1] : undefined;
      const lines = renderCanonical(template, alignment, c, { conventions: doc.conventions, parties: alignment.draftParties }, number);
      const text = lines.join('\n');
      let span = at.span;
      let edit = { span: { start: at.insertAt, end: at.insertAt }, newText: at.before + text + at.after };
      let messageId = c.kind === 'annex' ? 'missing-annex' : 'missing';
      // Heading lines left behind by deleted articles, just before the place: the article's own
      // heading gets its text below it (not a second heading); the headings of later articles
      // stay after it.
      const orphans = c.kind === 'article' && c.heading ? orphanHeadingsBefore(ctx, at.insertAt) : [];
      const own = orphans.find((o) => sameHeading(o.text, c.heading!.text));
      const later = own ? undefined : orphans.find((o) => pairs.slice(i + 1).some((p) => p.canonical?.heading && sameHeading(o.text, p.canonical.heading.text)));
      if (own) {
        span = own.span;
        messageId = 'heading-only';
        edit = { span: { start: own.end, end: own.end }, newText: '\n' + lines.slice(1).join('\n') };
      } else if (later) {
        span = later.span;
        edit = { span: { start: later.start, end: later.start }, newText: text + '\n' };
      }
      ctx.report({
        messageId,
        data: { ref: c.label, heading: headingOf(c) },
        span,
        level: missingLevel(c),
        ref: c.label,
        canonical: text,
        fixes: [{ titleId: 'insert', data: { ref: c.label, heading: headingOf(c) }, edits: [edit], safe: false }],
      });
    });
  },
};

/** Where a unit's first line was joined onto a sentence: the offset of what begins it, and that text. */
interface Joined {
  at: number;
  marker: string;
}

/**
 * Where an annex's first line (「別紙」, 「別記様式」) was joined onto the end of a sentence in
 * `span` (「…図るものとする。別紙」 and the annex's title on the next line), or null. A line
 * break there gives the annex back its line; nothing is written twice.
 */
function joinedMarker(text: string, span: { start: number; end: number }, marker: string): Joined | null {
  if (!marker) return null;
  for (let i = text.indexOf(marker, span.start); i >= 0 && i + marker.length <= span.end; i = text.indexOf(marker, i + 1)) {
    const after = text.charCodeAt(i + marker.length);
    const lineEnd = i + marker.length === text.length || after === 10 || after === 13;
    if (lineEnd && followsSentenceEnd(text, i, span.start)) return { at: i, marker };
  }
  return null;
}

/**
 * Where a standard article's line was joined onto the end of a sentence in `span` (「…ものとする。
 * 第11条 甲は、本契約に…」): its number, whatever it is now, followed by the first words of the
 * standard article; null when there is no such place. `lines`: the standard article as the draft
 * would write it.
 */
function joinedArticle(text: string, span: { start: number; end: number }, lines: readonly string[]): Joined | null {
  const first = lines.find((l) => ARTICLE_START_RE.test(l));
  const probe = first?.replace(ARTICLE_START_RE, '').slice(0, 8);
  if (!probe || probe.length < 4) return null;
  for (let i = text.indexOf('第', span.start); i >= 0 && i < span.end; i = text.indexOf('第', i + 1)) {
    const m = ARTICLE_START_RE.exec(text.slice(i, i + 24));
    if (m && text.startsWith(probe, i + m[0].length) && followsSentenceEnd(text, i, span.start)) return { at: i, marker: m[1] };
  }
  return null;
}

function previousDraft(pairs: UnitPair[], i: number): Unit | null {
  for (let k = i - 1; k >= 0; k--) if (pairs[k].draft?.kind === 'article') return pairs[k].draft;
  return null;
}
