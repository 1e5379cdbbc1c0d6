/**
 * broken-reference — references that do not lead where they say:
 *  - the unit named does not exist (第25 in a document of 20; 第3条第4項 when 第3条 has two paragraphs);
 *  - the heading written with the reference is not the target's heading; when another article has
 *    that heading, the numbers have shifted (条ズレ) and the fix replaces the number;
 *  - a relative reference with nothing to point at (前項 in a first paragraph, 次条 in the last article);
 *  - 各号 where there are no items; an annex (別紙「…」) that is missing or has another title;
 *  - 第N条第1項 where the article has only one paragraph (information);
 *  - with a template: the reference points elsewhere than the draft unit aligned with the canonical
 *    target (see refs/template.ts: the aligner supplies the mapping).
 * References are computed once per document by the resolver (refs/resolve.ts).
 */
import type { Fix, TextEdit } from '../../findings';
import type { ParsedDocument, Span, Unit } from '../../model/types';
import { numberEdits, numberHabits } from '../../refs/format';
import { normalizeHeading, sameHeading } from '../../refs/headings';
import { getReferences, paragraphsOf } from '../../refs/resolve';
import { ANNEX_WORDS } from '../../refs/scan';
import { referenceTemplateOf } from '../../clause/stage';
import { pointsElsewhere, templateExpectations, type ReferenceTemplate, type TemplateMismatch } from '../../refs/template';
import type { RefComponent, Reference } from '../../refs/types';
import type { Rule, RuleContext } from '../types';

export const brokenReferenceRule: Rule = {
  id: 'broken-reference',
  meta: {
    category: 'reference',
    defaultLevel: 'warning',
    needs: { references: true },
    fixable: true,
    messages: [
      'missing-article',
      'missing-paragraph',
      'missing-item',
      'missing-unit',
      'stale',
      'stale-missing',
      'heading-mismatch',
      'heading-differs',
      'no-previous-article',
      'no-previous-paragraph',
      'no-previous-item',
      'no-previous',
      'no-next-article',
      'no-next-paragraph',
      'no-next-item',
      'no-next',
      'no-items',
      'single-paragraph',
      'paragraph-as-article',
      'annex-missing',
      'annex-not-in-document',
      'annex-title-mismatch',
      'template-mismatch',
      'fix-number',
      'fix-number-heading',
      'fix-title',
      'fix-remove',
    ],
  },
  check(ctx) {
    const refs = getReferences(ctx.doc);
    const flagged = new Set<number>();
    const tpl = ctx.analysis.referenceTemplate ?? referenceTemplateOf(ctx.analysis.clause);
    // with a template, the unit each reference should name: a 条ズレ fix must not lead elsewhere
    const paired = tpl ? templateExpectations(refs, tpl) : [];
    const pairing = new Map<Reference, TemplateMismatch>(paired.map((m) => [m.ref, m]));
    refs.all.forEach((r, i) => {
      if (ctx.isCancelled()) return;
      if (r.kind === 'external') return;
      // a reference inside the brackets of a flagged one (「第14（…第１項…）」) follows its fate
      if (r.qualifies !== undefined && flagged.has(r.qualifies)) return;
      if (checkOne(ctx, r, pairing.get(r), tpl)) flagged.add(i);
    });
    if (tpl) {
      for (const m of paired.filter(pointsElsewhere)) {
        const i = refs.all.indexOf(m.ref);
        if (flagged.has(i)) continue;
        if (m.ref.qualifies !== undefined && flagged.has(m.ref.qualifies)) continue;
        const comp = articleComponent(m.ref);
        const article = articleOf(m.expected);
        // a heading written with the reference that is not the expected article's would make the
        // renumbered reference a 条ズレ or a heading mismatch: the two disagree, no fix
        const hw = m.ref.headingWritten;
        const headingAgrees = !hw || (!!article?.heading && sameHeading(hw.text, article.heading.text));
        const fix = comp && article?.number && headingAgrees ? numberFix(ctx.doc, comp, article.number.value, false) : null;
        ctx.report({
          messageId: 'template-mismatch',
          data: { ref: m.ref.text, target: m.ref.targets[0]?.label ?? '', expected: m.expected.label, canonical: m.canonicalRef.text },
          span: m.ref.span,
          ref: m.canonicalTarget.label,
          fixes: fix ? [fix] : undefined,
        });
        flagged.add(i);
      }
    }
  },
};

/**
 * Reports what is wrong with one reference; true when something was reported. `paired`: the
 * reference's pairing with the template's (the unit it should name among it), when a template
 * applies and pairs it; `tpl`: that template.
 */
function checkOne(ctx: RuleContext, r: Reference, paired: TemplateMismatch | undefined, tpl: ReferenceTemplate | null): boolean {
  const expected = paired?.expected;
  const last = r.components[r.components.length - 1];
  if (r.unresolved) {
    switch (r.unresolved) {
      case 'missing': {
        const comp = r.components.find((c) => c.level === r.unresolvedLevel && !c.inherited) ?? last;
        if (comp.level === 'article' && r.proposal) return reportStale(ctx, r, 'stale-missing', expected);
        const messageId =
          comp.level === 'article' ? 'missing-article' : comp.level === 'paragraph' ? 'missing-paragraph' : comp.level === 'item' ? 'missing-item' : 'missing-unit';
        ctx.report({ messageId, data: { ref: r.text, part: comp.raw }, span: r.span });
        return true;
      }
      case 'no-previous':
      case 'no-next': {
        const lvl = r.unresolvedLevel;
        const suffix = lvl === 'article' || lvl === 'paragraph' || lvl === 'item' ? `-${lvl}` : '';
        ctx.report({ messageId: `${r.unresolved}${suffix}`, data: { ref: r.text }, span: r.span });
        return true;
      }
      case 'no-items': {
        ctx.report({ messageId: 'no-items', data: { ref: r.text, unit: r.source?.label ?? '' }, span: r.span });
        return true;
      }
      case 'annex-missing':
        ctx.report({ messageId: 'annex-missing', data: { ref: r.text }, span: r.span });
        return true;
      case 'annex-not-in-document':
        // the annex is usually a file of its own: nothing to check, say so quietly
        ctx.report({ messageId: 'annex-not-in-document', data: { ref: r.text }, span: r.span, level: 'hint' });
        return true;
      case 'no-context':
        return false;
    }
  }
  if (r.proposal) return reportStale(ctx, r, 'stale', expected);
  const target = r.targets.length === 1 ? r.targets[0] : undefined;
  const hw = r.headingWritten;
  if (hw && target?.heading && hw.matches === false) {
    const targetHeading = target.heading.text;
    const a = normalizeHeading(hw.text);
    const b = normalizeHeading(targetHeading);
    const close = a.includes(b) || b.includes(a);
    ctx.report({
      messageId: close ? 'heading-differs' : 'heading-mismatch',
      data: { ref: r.text, heading: hw.text, target: target.label, targetHeading: target.heading.text },
      span: { start: r.span.start, end: Math.max(r.span.end, hw.span.end + 1) },
      level: close ? 'information' : undefined,
      fixes: titleFix(hw.span, targetHeading, hw.text, writableArticleHeading, tpl?.canonical.articles, paired, target),
    });
    return true;
  }
  if (r.annexTitle && r.annexTitle.matches === false && target?.heading) {
    const targetTitle = target.heading.text;
    ctx.report({
      messageId: 'annex-title-mismatch',
      data: { ref: r.text, title: r.annexTitle.text, target: target.label, targetTitle },
      span: r.span,
      fixes: titleFix(r.annexTitle.span, targetTitle, r.annexTitle.text, (t) => writableHeading(t, /[「」『』]/), tpl?.canonical.annexes, paired, target),
    });
    return true;
  }
  if (r.note === 'paragraph-as-article') {
    ctx.report({
      messageId: 'paragraph-as-article',
      data: { ref: r.text, targets: describeTargets(r.targets) },
      span: r.span,
      level: 'hint',
    });
    return true;
  }
  // 第N条第1項 where 第N条 has a single paragraph
  if (target?.kind === 'paragraph' && last.level === 'paragraph' && last.form === 'number' && last.value?.[0] === 1) {
    // only where 第N条 is written with it: 「第14（第１項…）」 takes its article from the bracket's owner
    const artComp = r.components.find((c) => c.level === 'article' && !c.inherited && c.form === 'number');
    const article = artComp?.unit;
    if (artComp && article && paragraphsOf(article).length === 1 && !article.body) {
      // 「第１項」 written twice in a row (第２条第１項第１項) goes with it: the second would read as the first
      let end = last.span.end;
      while (last.raw && ctx.doc.text.startsWith(last.raw, end)) end += last.raw.length;
      const fixes: Fix[] = [{ titleId: 'fix-remove', data: { part: last.raw }, edits: [{ span: { start: last.span.start, end }, newText: '' }], safe: false }];
      ctx.report({
        messageId: 'single-paragraph',
        data: { ref: r.text, article: article.label },
        span: r.span,
        level: 'information',
        fixes,
      });
      return true;
    }
  }
  return false;
}

/**
 * 条ズレ: the number is replaced by that of the article whose heading is written — unless the
 * template says the reference should name another unit (lines moved in a damaged draft can put
 * the heading on the wrong article): the renumbered reference would then be a template-mismatch,
 * so no fix is offered and the finding says what to look at.
 */
function reportStale(ctx: RuleContext, r: Reference, messageId: 'stale' | 'stale-missing', expected: Unit | undefined): boolean {
  const proposal = r.proposal as Unit;
  const comp = articleComponent(r);
  const exact = r.proposalBy === 'heading';
  const agrees = !expected || expected === proposal;
  let fix = comp && proposal.number && agrees ? numberFix(ctx.doc, comp, proposal.number.value, exact) : null;
  // found by a similar heading: the renumbered reference would still write another heading than
  // its target's (heading-mismatch), so the fix writes the target's heading too, where it can
  const hw = r.headingWritten;
  if (fix && hw && proposal.heading && !sameHeading(hw.text, proposal.heading.text)) {
    const edits = [...fix.edits, { span: hw.span, newText: proposal.heading.text }];
    const apart = fix.edits.every((e) => e.span.end <= hw.span.start || e.span.start >= hw.span.end);
    // a heading that would not read back as one in the brackets (機。密データ…): no fix
    fix = apart && writableArticleHeading(proposal.heading.text) ? { titleId: 'fix-number-heading', data: { ...fix.data, heading: proposal.heading.text }, edits, safe: false } : null;
  }
  const target = r.targets[0];
  ctx.report({
    messageId,
    data: {
      ref: r.text,
      heading: r.headingWritten?.text ?? '',
      target: target?.label ?? '',
      targetHeading: target?.heading?.text ?? '',
      proposal: fix ? String(fix.data?.to ?? proposal.label) : proposal.label,
    },
    span: r.span,
    fixes: fix ? [fix] : undefined,
  });
  return true;
}

function articleComponent(r: Reference): RefComponent | undefined {
  return r.components.find((c) => c.level === 'article' && c.form === 'number' && !c.inherited);
}

function articleOf(u: Unit): Unit | undefined {
  return u.kind === 'article' ? u : undefined;
}

/**
 * The fix writing the target's heading (or an annex's title) into the reference's brackets at
 * `span`, or none where it would not hold:
 *   - where it would make the reference name another unit of the standard: the template says it
 *     should name another unit, or the target carries the heading the standard gives another
 *     article or annex (`standard`; a damaged draft can move headings) — the fix would lead to a
 *     template-mismatch, as for a 条ズレ the template disagrees with (reportStale); or, without
 *     a pairing, the reference writes the heading of one standard unit (`written`) and the fix
 *     would write another's;
 *   - where the heading would not read back as one in the brackets (`readsBack`: writableHeading,
 *     writableArticleHeading): 「第 14（報。告等。ただし…）」 reads as the heading 「報」,
 *     「第２条第１項損害賠償」 and 「別記様式機密データの返還等」 add a reference (the target's heading
 *     is what changed there).
 */
function titleFix(
  span: Span,
  title: string,
  written: string,
  readsBack: (title: string) => boolean,
  standard: readonly Unit[] | undefined,
  paired: TemplateMismatch | undefined,
  target: Unit,
): Fix[] | undefined {
  if (!readsBack(title)) return undefined;
  if (paired && (paired.expected !== target || (standard?.some((x) => x !== paired.canonicalTarget && !!x.heading && sameHeading(x.heading.text, title)) ?? false))) {
    return undefined;
  }
  if (!paired && standard) {
    // no pairing (the standard unit named here is missing from the draft, or the standard has no
    // such reference): a reference that writes the heading of one standard unit — which no draft
    // article carries, or it would be a 条ズレ — is not renamed after another standard unit
    const named = (h: string): Unit | undefined => standard.find((x) => !!x.heading && sameHeading(x.heading.text, h));
    const was = named(written);
    const would = named(title);
    if (was && would && was !== would) return undefined;
  }
  return [{ titleId: 'fix-title', data: { title }, edits: [{ span, newText: title }], safe: false }];
}

/** Characters that end a heading written in a reference's brackets, or the sentence. */
const HEADING_BREAKS = /[。．（）()]/;

/**
 * An article or paragraph number written in a heading (「第２条第１項損害賠償」): digits, or a kanji
 * numeral with 条・項・号 (not the 第三 of 第三者).
 */
const REFERENCE_IN_HEADING = /第[\s\u3000]*(?:[0-9０-９]+|[〇一二三四五六七八九十百千]+[\s\u3000]*[条項号])/;

/**
 * A word that names an annex (refs/scan.ts `ANNEX_WORDS`): in an article's heading written in a
 * reference's round brackets it reads as a reference of its own (「第 12（別記様式機密データの
 * 返還等）」); in an annex title's 「」 it is part of the title (別紙「報告書様式」).
 */
const ANNEX_NAME = new RegExp(ANNEX_WORDS);

/**
 * Whether a target's heading can be written into a reference's brackets and read back as the
 * same heading: no character that ends the brackets or the sentence (`breaks`), no reference.
 */
function writableHeading(heading: string, breaks: RegExp): boolean {
  return !breaks.test(heading) && !REFERENCE_IN_HEADING.test(heading);
}

/** `writableHeading` for an article's heading in round brackets, which an annex's name would break too. */
function writableArticleHeading(heading: string): boolean {
  return writableHeading(heading, HEADING_BREAKS) && !ANNEX_NAME.test(heading);
}

/**
 * A fix writing `value` into the article number of the reference, in the draft's own style; none
 * when more than one article of the draft has that number (a duplicated article): the reference
 * would not name the one meant.
 */
function numberFix(doc: ParsedDocument, comp: RefComponent, value: number[], safe: boolean): Fix | null {
  if ((articleNumberCounts(doc).get(value.join('-')) ?? 0) > 1) return null;
  const edits = numberEdits(doc.text, comp, value, numberHabits(doc));
  if (!edits.length) return null;
  const to = applyToSlice(doc.text, comp.span, edits);
  return { titleId: 'fix-number', data: { from: doc.text.slice(comp.span.start, comp.span.end), to }, edits, safe };
}

const numberCounts = new WeakMap<ParsedDocument, Map<string, number>>();

/** How many articles of the document carry each number (「3-2」 for 第3条の2), once per parse. */
function articleNumberCounts(doc: ParsedDocument): Map<string, number> {
  let counts = numberCounts.get(doc);
  if (!counts) {
    counts = new Map();
    for (const a of doc.articles) {
      if (!a.number) continue;
      const k = a.number.value.join('-');
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    numberCounts.set(doc, counts);
  }
  return counts;
}

function applyToSlice(text: string, span: Span, edits: TextEdit[]): string {
  const start = Math.min(span.start, ...edits.map((e) => e.span.start));
  const end = Math.max(span.end, ...edits.map((e) => e.span.end));
  let out = text.slice(start, end);
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start)) {
    out = out.slice(0, e.span.start - start) + e.newText + out.slice(e.span.end - start);
  }
  return out.replace(/[\r\n]+/g, '');
}

function describeTargets(units: Unit[]): string {
  if (units.length === 0) return '';
  if (units.length === 1) return units[0].label;
  return `${units[0].label}–${units[units.length - 1].label}`;
}
