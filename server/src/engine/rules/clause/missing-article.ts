/**
 * missing-article — a canonical article (or annex) with no counterpart in the draft, reported
 * where it should be inserted. The fix inserts the standard text there, numbered to fit and in
 * the draft's conventions (digit width, 第N or 第N条, party names). When only the article's
 * heading line is left (its number line deleted with its text), the finding points at that
 * heading and the fix writes the article below it. When its text is still there but read as part
 * of another unit — merged into it, its line joined onto a sentence, its number (or its number
 * line) lost with its numbered paragraphs left — nothing is inserted: the finding says where the
 * text went, and the fix at most breaks the line or writes the number (line) back.
 */
import type { UnitPair } from '../../align/align';
import type { Unit } from '../../model/types';
import { renderCanonical } from '../../standard-view';
import type { Rule, RuleContext } from '../types';
import type { Fix } from '../../findings';
import { sameHeading } from '../../refs/headings';
import { articleHolding, foundElsewhere, headingOf, holdsText, insertionPoint, lostAnnexMarker, lostNumberLine, missingLevel, orphanHeadingsBefore, textAlreadyThere } from './place';
import { followsSentenceEnd } from '../../text/lines';
import { ARTICLE_START_RE } from '../../text/numerals';

export const missingArticleRule: Rule = {
  id: 'missing-article',
  meta: {
    category: 'clause',
    defaultLevel: 'warning',
    needs: { template: true },
    fixable: true,
    messages: ['missing', 'missing-annex', 'heading-only', 'merged', 'merged-annex', 'lost-number', 'lost-first-number', 'moved-number', 'number-line-here', 'insert', 'split-line', 'insert-marker', 'restore-number'],
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
        const unnumbered = !host || split || c.kind === 'annex' ? null : numberLost(doc.text, host.span, lines);
        // the marker joined onto a sentence: a line break before it; the marker line gone above
        // the title: the line put back; the article's number lost from the start of its line: the
        // number put back
        let span = into.number?.span ?? into.span;
        let fix: Fix | undefined;
        let messageId = c.kind === 'annex' ? 'merged-annex' : 'merged';
        if (unnumbered) {
          span = unnumbered.span;
          messageId = 'lost-number';
          fix = restoreNumber(unnumbered.span.start, unnumbered.number, `${unnumbered.number} `);
        } else if (split) {
          span = { start: split.at, end: split.at + split.marker.length };
          fix = { titleId: 'split-line', data: { marker: split.marker }, edits: [{ span: { start: split.at, end: split.at }, newText: '\n' }], safe: false };
        } else if (lost) {
          const marker = c.annexKind ?? lines[0];
          span = { start: lost.at, end: lost.at + headingOf(c).length };
          if (lost.lineStart) fix = { titleId: 'insert-marker', data: { marker }, edits: [{ span: { start: lost.at, end: lost.at }, newText: `${marker}\n` }], safe: false };
        }
        ctx.report({
          messageId,
          data: { ref: c.label, heading: headingOf(c), into: into.kind === 'article' ? into.number?.raw ?? into.label : into.label },
          span,
          // an annex not read as one is not checked as one, nor an article without its number: a
          // warning; two articles made one read on: information
          level: messageId === 'merged' ? 'information' : undefined,
          ref: c.label,
          canonical: lines.join('\n'),
          fixes: fix ? [fix] : undefined,
        });
        return;
      }
      const prevDraft = previousDraft(pairs, i);
      const number = c.kind === 'article' ? [prevDraft?.number ? prevDraft.number.value[0] + 1 : c.number?.value[0] ?? 1] : undefined;
      const target = { conventions: doc.conventions, parties: alignment.draftParties };
      const lines = renderCanonical(template, alignment, c, target, number);
      // its number line lost, its numbered paragraphs left in the article before: the number line
      // (and the children before them) written back above them, not the whole article again
      const orphaned = lostNumberLine(ctx, c, alignment);
      if (orphaned) {
        const tail = c.children.slice(orphaned.from).reduce((n, k) => n + renderCanonical(template, alignment, k, target).length, 0);
        // its own heading left just above them (not with other headings between): kept, not written again
        let ownHeading = c.heading ? orphanHeadingsBefore(ctx, orphaned.at).at(-1) : undefined;
        if (ownHeading && !sameHeading(ownHeading.text, c.heading!.text)) ownHeading = undefined;
        const lead = lines.slice(ownHeading ? 1 : 0, lines.length - tail);
        const numberLine = lead.find((l) => ARTICLE_START_RE.test(l));
        const m = numberLine ? ARTICLE_START_RE.exec(numberLine) : null;
        if (numberLine && m) {
          // the number line not lost but moved (lines swapped): writing it back would write it twice
          const moved = articleHolding(ctx, numberLine.slice(m[0].length), alignment.draftParties, orphaned.host);
          const into = orphaned.host.number?.raw ?? orphaned.host.label;
          ctx.report({
            messageId: moved ? 'moved-number' : 'lost-number',
            data: moved ? { ref: c.label, heading: headingOf(c), into, at: moved.number?.raw ?? moved.label } : { ref: c.label, heading: headingOf(c), into },
            span: ownHeading?.span ?? orphaned.first.number?.span ?? orphaned.first.span,
            ref: c.label,
            canonical: lines.join('\n'),
            related: moved ? [{ span: moved.number?.span ?? moved.span, messageId: 'number-line-here', data: { ref: c.label } }] : undefined,
            fixes: moved ? undefined : [restoreNumber(orphaned.at, m[1], lead.join('\n') + '\n')],
          });
          return;
        }
      }
      // its text there but before the first unit (the first article's number lost): the number put back
      const there = c.kind === 'article' ? textAlreadyThere(ctx, c, template, alignment.draftParties) : null;
      const firstUnit = doc.articles[0]?.span.start ?? doc.annexes[0]?.span.start ?? doc.text.length;
      const unnumbered = there && there.unit === null ? numberLost(doc.text, { start: 0, end: firstUnit }, lines) : null;
      if (unnumbered) {
        ctx.report({
          messageId: 'lost-first-number',
          data: { ref: c.label, heading: headingOf(c) },
          span: unnumbered.span,
          ref: c.label,
          canonical: lines.join('\n'),
          fixes: [restoreNumber(unnumbered.span.start, unnumbered.number, `${unnumbered.number} `)],
        });
        return;
      }
      const at = insertionPoint(ctx, pairs, i);
      const text = lines.join('\n');
      let span = at.span;
      let edit = { span: { start: at.insertAt, end: at.insertAt }, newText: at.before + text + at.after };
      let messageId = c.kind === 'annex' ? 'missing-annex' : 'missing';
      // Heading lines left behind by deleted articles, just before the place: the article's own
      // heading gets its text below it (not a second heading); the headings of later articles
      // stay after it.
      const orphans = c.kind === 'article' && c.heading ? orphanHeadingsBefore(ctx, at.insertAt) : [];
      const own = orphans.find((o) => sameHeading(o.text, c.heading!.text));
      // (a later article that has that heading itself: the line is a second copy, not what is left of it)
      const later = own
        ? undefined
        : orphans.find((o) =>
            pairs.slice(i + 1).some((p) => p.canonical?.heading && sameHeading(o.text, p.canonical.heading.text) && !(p.draft?.heading && sameHeading(o.text, p.draft.heading.text))),
          );
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

/**
 * Where a standard article's number was lost from the start of its line in `span`, its text left
 * on (「第８ 受注者は、本契約に…」 → 「受注者は、本契約に…」, read as text of the article
 * before): that line's first characters and the number the article would have (from `lines`, the
 * standard article as the draft would write it); null when no line there starts with the
 * standard line's first words and holds most of its text (`holdsText`).
 */
function numberLost(text: string, span: { start: number; end: number }, lines: readonly string[]): { span: { start: number; end: number }; number: string } | null {
  const first = lines.find((l) => ARTICLE_START_RE.test(l));
  const m = first ? ARTICLE_START_RE.exec(first) : null;
  if (!first || !m) return null;
  const standard = first.slice(m[0].length);
  const probe = standard.slice(0, 8);
  if (probe.length < 4) return null;
  for (let i = text.indexOf(probe, span.start); i >= 0 && i + probe.length <= span.end; i = text.indexOf(probe, i + 1)) {
    let j = i;
    while (j > span.start && (text[j - 1] === ' ' || text[j - 1] === '\t' || text[j - 1] === '\u3000')) j--;
    if (j > 0 && text[j - 1] !== '\n' && text[j - 1] !== '\r') continue;
    let end = i;
    while (end < span.end && text[end] !== '\n' && text[end] !== '\r') end++;
    if (holdsText(standard, text.slice(i, end))) return { span: { start: i, end: i + probe.length }, number: m[1] };
  }
  return null;
}

/** The fix 「『第８』の行を戻す」: `text` (the number, or the number line) written at `at`. */
function restoreNumber(at: number, number: string, text: string): Fix {
  return { titleId: 'restore-number', data: { number }, edits: [{ span: { start: at, end: at }, newText: text }], safe: false };
}

function previousDraft(pairs: UnitPair[], i: number): Unit | null {
  for (let k = i - 1; k >= 0; k--) if (pairs[k].draft?.kind === 'article') return pairs[k].draft;
  return null;
}
