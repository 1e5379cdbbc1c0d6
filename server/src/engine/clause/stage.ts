/**
 * The clause stage of the pipeline: template choice and alignment (no tokens needed, so
 * missing articles show before the tokenizer is ready), then token comparison of every aligned
 * pair, computed once per lint and shared by the clause rules.
 */
import { alignDocuments, allPairs, type Alignment, type UnitPair } from '../align/align';
import { compareTokens, compareUnits, type Deviation, type Side } from '../align/compare';
import { joinedUnits } from './joined';
import { draftParties } from '../align/normalize';
import type { Analysis } from '../analysis';
import type { Parties } from '../templates';
import type { ParsedDocument, Span, TextBlock, Unit } from '../model/types';
import { blockLayout, DEFAULT_MEMO_MAX_CHARS, shiftSpan, spanWithin } from '../rules/memo';
import { runToEnd } from '../steps';
import { CharBoundedLru } from '../tokenizer/lru';
import type { Tokenizer } from '../tokenizer/types';
import { BlockBuilder, concatBlocks } from '../text/block';
import type { ReferenceTemplate } from '../refs/template';
import { chooseTemplate, correctedText, type Template, type TemplateChoice } from '../templates';
import { mapParties } from '../templates/render';
import { occurrences } from '../text/count';

export interface ClauseStage {
  choice: TemplateChoice;
  template: Template | null;
  alignment: Alignment | null;
}

export function clauseStage(doc: ParsedDocument, analysis: Pick<Analysis, 'settings' | 'directives'>): ClauseStage {
  const choice = chooseTemplate(doc, analysis.settings.template, analysis.directives.template, analysis.settings.customTemplates ?? []);
  const template = choice.template;
  if (!template || doc.articles.length + doc.annexes.length === 0) return { choice, template, alignment: null };
  const parties = draftParties(doc.text, template.parties);
  return { choice, template, alignment: alignDocuments(template.doc, doc, template.parties, parties) };
}

export interface PairDeviation extends Deviation {
  pair: UnitPair;
}

const memo = new WeakMap<Analysis, PairDeviation[]>();

/**
 * Deviations of a draft block against a canonical unit, kept across lints (spans relative to the
 * draft block's start): after an edit only the changed units are compared again. One memo per
 * tokenizer and template object; keyed by the draft block (text, then layout: rules/memo.ts
 * `blockLayout`), the canonical unit's label and both sides' party names — everything
 * `compareUnits` reads.
 */
const pairMemos = new WeakMap<Tokenizer, WeakMap<Template, CharBoundedLru<Map<string, Deviation[]>>>>();

function pairMemo(tokenizer: Tokenizer, template: Template): CharBoundedLru<Map<string, Deviation[]>> {
  let byTemplate = pairMemos.get(tokenizer);
  if (!byTemplate) pairMemos.set(tokenizer, (byTemplate = new WeakMap()));
  let m = byTemplate.get(template);
  if (!m) byTemplate.set(template, (m = new CharBoundedLru(DEFAULT_MEMO_MAX_CHARS)));
  return m;
}

/** Deviations of every aligned pair (needs the tokenizer); computed once per analysis. */
export function deviations(analysis: Analysis): PairDeviation[] {
  const hit = memo.get(analysis);
  if (hit) return hit;
  return runToEnd(deviationSteps(analysis));
}

/**
 * `deviations` computed in steps, for a caller that must not hold the event loop
 * (engine/lintAsync.ts): pauses after each aligned pair it compares (memoised pairs do not pause);
 * run to the end, the analysis's deviations are kept as `deviations` would have kept them.
 */
export function* warmDeviations(analysis: Analysis): Generator<void, void, void> {
  if (memo.has(analysis)) return;
  yield* deviationSteps(analysis);
}

function* deviationSteps(analysis: Analysis): Generator<void, PairDeviation[], void> {
  const out: PairDeviation[] = [];
  const { template, alignment } = analysis.clause ?? {};
  const tokenizer = analysis.tokenizer;
  if (template && alignment && tokenizer) {
    const store = pairMemo(tokenizer, template);
    const partiesKey = partiesKeyOf(template, alignment);
    const joined = joinedUnits(analysis.lines.text, alignment).hosts;
    for (const pair of allPairs(alignment)) {
      const c = pair.canonical;
      const d = pair.draft;
      if (!c || !d) continue;
      const cb = comparedBlock(c);
      const db = comparedBlock(d);
      if (!cb || !db) continue;
      if (cb.text === db.text && template.parties.a === alignment.draftParties.a) continue;
      // two units run on one line: compared once the line is broken (clause/joined.ts)
      if (joined.has(d)) continue;
      const key = db.text;
      const inner = pairKey(d, db, c, partiesKey);
      const entry = store.get(key);
      let devs = entry?.get(inner)?.map((dev) => shiftDeviation(dev, db.span.start));
      if (!devs) {
        devs = comparePair(template, c, cb, d, db, tokenizer, alignment.draftParties);
        const relative = devs.every((dev) => deviationInside(dev, db.span)) ? devs.map((dev) => shiftDeviation(dev, -db.span.start)) : null;
        if (relative && entry) entry.set(inner, relative);
        else if (relative) store.set(key, new Map([[inner, relative]]));
        yield;
      }
      for (const dev of devs) if (!inFilledForm(analysis, dev.span.start)) out.push({ ...dev, pair });
    }
    // a fix must not take out a standard unit's text that stands in the wrong place
    const text = analysis.lines.text;
    const candidates = out.filter((dev) => dev.fix && takesOut(dev.fix, 20));
    const lost = candidates.length > 0 ? lostTexts(template, alignment) : [];
    if (lost.length > 0) for (const dev of candidates) if (losesAny(dev.fix!, text, lost)) dev.fix = undefined;
    // nor write one a second time that the draft holds elsewhere (its line swapped away)
    for (const dev of out) if (dev.fix && writesAgain(dev.fix, dev.pair, text, template, alignment)) dev.fix = undefined;
  }
  // a caller that drained the steps while another computed them keeps the first result
  const first = memo.get(analysis);
  if (first) return first;
  memo.set(analysis, out);
  return out;
}

/**
 * The texts (20 characters or more, in the draft's party names) of the standard units whose own
 * text the draft does not have where they are: units with no counterpart, or whose counterpart's
 * text does not hold it. Their text can stand elsewhere in the draft, read as added to another
 * unit (lines swapped: a section's heading moved below its text, missing-paragraph's
 * `misplaced`); a fix that removes draft text holding one of them would delete that text, so it
 * is dropped and the finding kept.
 */
function lostTexts(template: Template, alignment: Alignment): string[] {
  const out: string[] = [];
  const tag = partiesKeyOf(template, alignment);
  // (without its last 。: a hunk can end just before it, the sentence end matched elsewhere)
  const core = (u: Unit): string => coreText(u, template, alignment, tag);
  const walk = (u: Unit): void => {
    if (u.body && u.body.text.length >= 20) out.push(core(u));
    u.children.forEach(walk);
  };
  for (const p of allPairs(alignment)) {
    const c = p.canonical;
    if (!c) continue;
    if (!p.draft) walk(c);
    else if (c.body && c.body.text.length >= 20) {
      const own = core(c);
      if (!(p.draft.body?.text ?? '').includes(own)) out.push(own);
    }
  }
  return out;
}

/**
 * Whether a fix writes a standard text (a body of 20 characters or more of the pair's standard
 * unit or its descendants, in the draft's party names) that the draft then holds more often than
 * before, than the standard does, and than once: the sentence restored where its line went
 * missing while that line stands elsewhere (lines swapped). Only fixes that write 20 characters
 * or more are looked at.
 */
function writesAgain(fix: NonNullable<Deviation['fix']>, pair: UnitPair, text: string, template: Template, alignment: Alignment): boolean {
  const edits = [fix, ...(fix.more ?? [])];
  if (!pair.canonical || !edits.some((e) => e.newText.length >= 20)) return false;
  const tag = partiesKeyOf(template, alignment);
  const texts: { draft: string; standard: string }[] = [];
  const walk = (u: Unit): void => {
    if (u.body && u.body.text.length >= 20) texts.push({ draft: coreText(u, template, alignment, tag), standard: u.body.text.replace(/。$/, '') });
    u.children.forEach(walk);
  };
  walk(pair.canonical);
  const written = texts.filter((t) => edits.some((e) => e.newText.includes(t.draft)));
  if (written.length === 0) return false;
  let after = text;
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start)) after = after.slice(0, e.span.start) + e.newText + after.slice(e.span.end);
  return written.some((t) => occurrences(after, t.draft) > Math.max(occurrences(text, t.draft), occurrences(template.text, t.standard), 1));
}

/** A standard unit's body as the guards look for it: in the draft's party names, without its last 。 (per `tag`, kept per unit). */
function coreText(u: Unit, template: Template, alignment: Alignment, tag: string): string {
  const hit = coreTexts.get(u);
  if (hit?.tag === tag) return hit.text;
  const text = mapParties(u.body!.text, template.parties, alignment.draftParties).replace(/。$/, '');
  coreTexts.set(u, { tag, text });
  return text;
}

/** A standard unit's body as `lostTexts` looks for it, per party names (`tag`). */
const coreTexts = new WeakMap<Unit, { tag: string; text: string }>();

/** Whether a fix replaces or removes `min` characters or more of the draft somewhere. */
function takesOut(fix: NonNullable<Deviation['fix']>, min: number): boolean {
  return fix.span.end - fix.span.start >= min || (fix.more ?? []).some((e) => e.span.end - e.span.start >= min);
}

/** Whether a fix takes out of the draft one of `texts` and does not write it back. */
function losesAny(fix: NonNullable<Deviation['fix']>, text: string, texts: readonly string[]): boolean {
  const edits = [fix, ...(fix.more ?? [])];
  return edits.some((e) => {
    const removed = text.slice(e.span.start, e.span.end);
    return removed.length >= 20 && texts.some((t) => removed.includes(t) && !e.newText.includes(t));
  });
}

const partiesKeys = new WeakMap<Alignment, string>();

/** Both sides' party names, as part of a pair memo key (once per alignment). */
function partiesKeyOf(template: Template, alignment: Alignment): string {
  let k = partiesKeys.get(alignment);
  if (k === undefined) partiesKeys.set(alignment, (k = JSON.stringify([template.parties, alignment.draftParties])));
  return k;
}

function pairKey(d: Unit, db: TextBlock, c: Unit, partiesKey: string): string {
  // where the heading's line ends (past a closing bracket) places restored body text
  const lineEnd = d.heading ? d.heading.span.end - db.span.start : '-';
  return `${blockLayout(db)}\u0000${headingEndOf(d, db) ?? '-'}\u0000${lineEnd}\u0000${c.label}\u0000${partiesKey}`;
}

/**
 * Whether `deviations` will tokenise nothing for an aligned pair: its two texts are the same, or
 * its deviations are memoised from an earlier lint.
 */
export function pairNeedsNoTokens(analysis: Analysis, pair: UnitPair): boolean {
  const { template, alignment } = analysis.clause ?? {};
  const tokenizer = analysis.tokenizer;
  const db = pair.draft && comparedBlock(pair.draft);
  const cb = pair.canonical && comparedBlock(pair.canonical);
  if (!template || !alignment || !tokenizer || !pair.canonical || !db || !cb) return false;
  if (cb.text === db.text && template.parties.a === alignment.draftParties.a) return true;
  if (joinedUnits(analysis.lines.text, alignment).hosts.has(pair.draft!)) return true;
  const partiesKey = partiesKeyOf(template, alignment);
  return pairMemo(tokenizer, template).peek(db.text)?.has(pairKey(pair.draft!, db, pair.canonical, partiesKey)) ?? false;
}

function comparePair(template: Template, c: Unit, cb: TextBlock, d: Unit, db: TextBlock, tokenizer: Tokenizer, parties: Parties): Deviation[] {
  const draftHeadingEnd = headingEndOf(d, db);
  const draft: Side = { block: db, tokens: compareTokens(db, tokenizer, parties, draftHeadingEnd), parties, headingEnd: draftHeadingEnd };
  if (draftHeadingEnd !== undefined && d.heading) draft.headingLineEnd = d.heading.span.end;
  const correct = (s: string): string => correctedText(template, c.label, s);
  const headingEnd = headingEndOf(c, cb);
  const canonical: Side = { block: cb, tokens: compareTokens(cb, tokenizer, template.parties, headingEnd), parties: template.parties, headingEnd };
  const devs = compareUnits({ canonical, draft, correct });
  // A slip in the published text (erratum): the draft may have either wording.
  const fixed = devs.length > 0 ? correctedBlock(template, c, cb) : null;
  if (fixed) {
    // the heading's end carries over when the correction left the heading alone
    const fixedHeadingEnd = headingEnd !== undefined && fixed.text.startsWith(cb.text.slice(0, headingEnd)) ? headingEnd : undefined;
    const corrected: Side = { block: fixed, tokens: compareTokens(fixed, tokenizer, template.parties, fixedHeadingEnd), parties: template.parties, headingEnd: fixedHeadingEnd };
    const alt = compareUnits({ canonical: corrected, draft, correct });
    if (alt.length < devs.length) return alt;
  }
  return devs;
}

function deviationInside(dev: Deviation, within: Span): boolean {
  return spanWithin(dev.span, within) && (!dev.fix || (spanWithin(dev.fix.span, within) && (dev.fix.more ?? []).every((m) => spanWithin(m.span, within))));
}

/** A copy of the deviation with its draft spans moved by `by`. */
function shiftDeviation(dev: Deviation, by: number): Deviation {
  const out: Deviation = { ...dev, span: shiftSpan(dev.span, by) };
  if (dev.fix) {
    out.fix = { ...dev.fix, span: shiftSpan(dev.fix.span, by) };
    if (dev.fix.more) out.fix.more = dev.fix.more.map((m) => ({ ...m, span: shiftSpan(m.span, by) }));
  }
  return out;
}

/**
 * The compared text of a canonical unit with its errata corrected, when it has any (null
 * otherwise). Only its text is read: it maps onto the canonical block's start.
 */
export function correctedBlock(template: Template, c: Unit, cb: TextBlock): TextBlock | null {
  if (!template.errata.some((e) => e.label === c.label)) return null;
  const text = correctedText(template, c.label, cb.text);
  if (text === cb.text) return null;
  return { text, segs: [{ textStart: 0, srcStart: cb.span.start, length: text.length }], span: { start: cb.span.start, end: cb.span.start + text.length } };
}

/**
 * The text of a unit that is compared: an article's body (its heading is compared apart), and
 * for other units heading and body together — a form's or an annex's layout may put the same
 * words on the number line or on the next one.
 */
export function comparedBlock(u: Unit): TextBlock | null {
  if (u.kind === 'article' || u.kind === 'paragraph' || !u.heading) return u.body;
  const h = u.heading.block ?? sliceBlockOf(u);
  return concatBlocks(h, u.body);
}

/**
 * Where the heading ends in the text of `comparedBlock(u)` (= `block`), when that block starts with
 * the heading; undefined when it is all body.
 */
export function headingEndOf(u: Unit, block: TextBlock): number | undefined {
  if (u.kind === 'article' || u.kind === 'paragraph' || !u.heading) return undefined;
  return block.text.length - (u.body?.text.length ?? 0);
}

function sliceBlockOf(u: Unit): TextBlock | null {
  const h = u.heading;
  if (!h) return null;
  const b = new BlockBuilder();
  // headings written on one line: map the text onto the end of the heading span
  const start = h.span.end - h.text.length;
  b.append(h.text, start >= h.span.start ? start : h.span.start);
  return b.build();
}

/** Whether an offset lies in a filled-in 届出書: the contractor's answers are not clause wording. */
export function inFilledForm(analysis: Pick<Analysis, 'forms'>, offset: number): boolean {
  return analysis.forms.some((f) => f.filled && f.span.start <= offset && offset < f.span.end);
}

/**
 * The alignment as the reference check needs it: the canonical document and, for a canonical
 * unit, the draft unit aligned with it (refs/template.ts).
 */
export function referenceTemplateOf(stage: ClauseStage | undefined): ReferenceTemplate | null {
  if (!stage?.template || !stage.alignment) return null;
  const { template, alignment } = stage;
  return { canonical: template.doc, draftUnitFor: (unit) => alignment.toDraft.get(unit) };
}
