/**
 * The draft seen against its canonical text, for the editor's views:
 *  - `standardView`: the canonical text arranged in the DRAFT's order and numbering, line for
 *    line where the two agree (units that match are copied as the draft writes them, so a line
 *    diff lines up), canonical units missing from the draft at their place, draft units the
 *    standard lacks as blank lines;
 *  - `compareWithStandard`: one unit (article, paragraph…) against its canonical counterpart, as
 *    diff segments (word diff on the comparison tokens when the tokenizer is ready, else a
 *    character diff), for the hover;
 *  - `articleStatuses`: per draft article, whether it matches the standard, how many differences
 *    it has, or that the standard has no such article (code lenses).
 *
 * Engine code: imports nothing from `vscode` or the LSP libraries.
 */
import { allPairs, type Alignment, type UnitPair } from './align/align';
import { compareTokens, diffKeys } from './align/compare';
import { normalizeForCompare } from './align/normalize';
import type { Analysis } from './analysis';
import { deviations, type ClauseStage } from './clause/stage';
import type { ParsedDocument, TextBlock, Unit } from './model/types';
import { trimmedSpan, unitExtent, unitStart } from './outline';
import { correctedText, type Parties, type Template } from './templates';
import { numberEdits, numberHabits } from './refs/format';
import { getReferences } from './refs/resolve';
import { mapParties, renderUnit, type RenderTarget } from './templates/render';
import { LineIndex } from './text/lines';
import type { Tokenizer } from './tokenizer/types';

// ---------------------------------------------------------------------------------------------
// Equivalence

interface Sides {
  template: Template;
  alignment: Alignment;
}

function norm(s: string, parties: Parties): string {
  return normalizeForCompare(s, parties);
}

function headingsEqual(c: Unit, d: Unit): boolean {
  const h = (u: Unit) => (u.heading?.text ?? '').normalize('NFKC').replace(/\s/g, '');
  return h(c) === h(d);
}

// ---------------------------------------------------------------------------------------------
// Canonical text with its references in the draft's numbering

const bodyMemo = new WeakMap<Alignment, Map<Unit, string>>();

/** Logical offset in a block of a source offset (null when the block does not cover it). */
function blockIndexOf(block: TextBlock, src: number): number | null {
  for (const g of block.segs) {
    if (g.length <= 0) continue;
    if (src >= g.srcStart && src <= g.srcStart + g.length) return g.textStart + (src - g.srcStart);
  }
  return null;
}

/**
 * A canonical unit's own text with the article references it writes (「第 12（機密データの返還等）」)
 * renumbered to where those articles are in the draft — the standard as the draft would write it.
 * References to articles the draft lacks keep the standard's numbers. Errata not yet corrected.
 */
export function draftNumberedBody(template: Template, alignment: Alignment, u: Unit): string {
  let memo = bodyMemo.get(alignment);
  if (!memo) bodyMemo.set(alignment, (memo = new Map()));
  const hit = memo.get(u);
  if (hit !== undefined) return hit;
  const block = u.body;
  let text = block?.text ?? '';
  if (block) {
    const conv = numberHabits(template.doc);
    const edits: { start: number; end: number; newText: string }[] = [];
    for (const r of getReferences(template.doc).all) {
      if (r.kind === 'external' || r.span.end <= block.span.start || r.span.start >= block.span.end) continue;
      for (const c of r.components) {
        if (c.level !== 'article' || c.form !== 'number' || c.inherited || !c.unit) continue;
        const value = alignment.toDraft.get(c.unit)?.number?.value;
        if (!value) continue;
        for (const e of numberEdits(template.text, c, value, conv)) {
          const a = blockIndexOf(block, e.span.start);
          const b = blockIndexOf(block, e.span.end);
          if (a !== null && b !== null && b >= a) edits.push({ start: a, end: b, newText: e.newText });
        }
      }
    }
    edits.sort((x, y) => y.start - x.start);
    let last = Infinity;
    for (const e of edits) {
      if (e.end > last) continue;
      text = text.slice(0, e.start) + e.newText + text.slice(e.end);
      last = e.start;
    }
  }
  memo.set(u, text);
  return text;
}

/** A canonical unit (and its descendants) with their texts numbered as the draft numbers articles. */
function draftNumberedUnit(template: Template, alignment: Alignment, u: Unit): Unit {
  const body = u.body ? { ...u.body, text: draftNumberedBody(template, alignment, u) } : null;
  return { ...u, body, children: u.children.map((c) => draftNumberedUnit(template, alignment, c)) };
}

/**
 * Lines of a canonical unit as the draft would write it: its conventions and party names
 * (templates/render.ts), its article numbers in references, the errata corrected.
 */
export function renderCanonical(template: Template, alignment: Alignment | null, u: Unit, target: RenderTarget, number?: number[]): string[] {
  return renderUnit(template, alignment ? draftNumberedUnit(template, alignment, u) : u, target, number);
}

function canonicalBody(s: Sides, u: Unit): string {
  return correctedText(s.template, u.label, draftNumberedBody(s.template, s.alignment, u));
}

/** The unit's own text (heading and body) is the canonical one, whatever its children. */
function sameHead(s: Sides, c: Unit, d: Unit): boolean {
  return headingsEqual(c, d) && norm(canonicalBody(s, c), s.template.parties) === norm(d.body?.text ?? '', s.alignment.draftParties);
}

const equivalentMemo = new WeakMap<UnitPair, boolean>();

/** The pair's units say the same thing, down to every descendant (numbers, reflow, digit width and party names aside). */
export function pairEquivalent(s: Sides, p: UnitPair): boolean {
  const hit = equivalentMemo.get(p);
  if (hit !== undefined) return hit;
  const c = p.canonical;
  const d = p.draft;
  const eq =
    !!c &&
    !!d &&
    sameHead(s, c, d) &&
    c.children.length === d.children.length &&
    p.children.length === c.children.length &&
    p.children.every((k) => pairEquivalent(s, k));
  equivalentMemo.set(p, eq);
  return eq;
}

// ---------------------------------------------------------------------------------------------
// The arranged canonical text

export interface StandardView {
  /** The canonical text in the draft's order and numbering, lines joined with \n. */
  text: string;
  /** Canonical units missing from the draft (shown at their place). */
  missing: number;
  /** Draft units the standard lacks (shown as blank lines). */
  extra: number;
}

function startsLine(text: string, offset: number): boolean {
  let i = offset - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t' || text[i] === '\u3000')) i--;
  return i < 0 || text[i] === '\n' || text[i] === '\r';
}

/**
 * The canonical text arranged as the draft is: null when the document has no template or
 * nothing to align. Units that match are copied from the draft line for line; differing units
 * are written from the canonical text in the draft's conventions (numbered as the draft numbers
 * them); a differing unit whose sub-units each start a line of their own (an annex and its
 * sections, an article with numbered paragraphs) is compared sub-unit by sub-unit.
 */
export function standardView(doc: ParsedDocument, stage: ClauseStage | undefined): StandardView | null {
  const template = stage?.template;
  const alignment = stage?.alignment;
  if (!template || !alignment) return null;
  const s: Sides = { template, alignment };
  const text = doc.text;
  const lines = new LineIndex(text);
  const target: RenderTarget = { conventions: doc.conventions, parties: alignment.draftParties };
  const out: string[] = [];
  let cursor = 0; // next draft line not yet accounted for
  let missing = 0;
  let extra = 0;

  const lineOf = (offset: number): number => lines.positionAt(offset).line;
  /** Free text of the standard (its title, 別記…): a draft line that says the same is kept. */
  const freeLines = new Set(
    template.doc.free.flatMap((f) => f.block.text.split('\n')).map((l) => norm(l, template.parties)).filter((l) => l !== ''),
  );
  const freeLine = (line: number): string | undefined => {
    const l = lines.lineText(line);
    const n = norm(l, alignment.draftParties);
    return n !== '' && freeLines.has(n) ? l : undefined;
  };
  /** Blank lines for the draft lines [cursor, line), the title and the standard's own free text excepted. */
  const fillTo = (line: number): void => {
    for (; cursor < line; cursor++) out.push(titleLine(cursor) ?? freeLine(cursor) ?? '');
  };
  const titleLine = (line: number): string | undefined => {
    const title = doc.title;
    const ct = template.doc.title;
    if (!title || !ct) return undefined;
    if (lineOf(title.block.span.start) !== line) return undefined;
    if (norm(title.block.text, alignment.draftParties) === norm(ct.block.text, template.parties)) return lines.lineText(line);
    return mapParties(ct.block.text, template.parties, alignment.draftParties);
  };
  const copyDraft = (from: number, to: number): void => {
    const a = lineOf(from);
    const b = lineOf(Math.max(from, to - 1));
    if (a < cursor) return; // shares a line already written
    fillTo(a);
    for (let l = a; l <= b; l++) out.push(lines.lineText(l));
    cursor = b + 1;
  };
  const blankDraft = (from: number, to: number): void => {
    const a = lineOf(from);
    const b = lineOf(Math.max(from, to - 1));
    if (a < cursor) return;
    fillTo(a);
    for (let l = a; l <= b; l++) out.push('');
    cursor = b + 1;
  };
  const render = (c: Unit, number: number[] | undefined, at: number | null): void => {
    if (at !== null) {
      const a = lineOf(at);
      if (a >= cursor) fillTo(a);
    }
    out.push(...renderCanonical(template, alignment, c, target, number));
  };

  const emit = (p: UnitPair, prevDraftArticle: Unit | null): void => {
    const c = p.canonical;
    const d = p.draft;
    if (c && !d) {
      missing++;
      const number =
        c.kind === 'article' ? [prevDraftArticle?.number ? prevDraftArticle.number.value[0] + 1 : c.number?.value[0] ?? 1] : undefined;
      render(c, number, null);
      return;
    }
    if (!d) return;
    const ext = unitExtent(text, d);
    if (!c) {
      extra++;
      blankDraft(ext.start, ext.end);
      return;
    }
    if (pairEquivalent(s, p)) {
      copyDraft(ext.start, ext.end);
      return;
    }
    const kids = p.children;
    const splittable =
      kids.length > 0 && d.children.length > 0 && d.children.every((k) => startsLine(text, unitStart(k))) && lineOf(unitStart(d.children[0])) > lineOf(ext.start);
    if (!splittable) {
      render(c, d.number?.value, ext.start);
      cursor = Math.max(cursor, lineOf(Math.max(ext.start, ext.end - 1)) + 1);
      return;
    }
    // The unit's own lines (heading, number, lead text), then each sub-unit.
    const headEnd = trimmedSpan(text, { start: ext.start, end: unitStart(d.children[0]) }).end;
    if (sameHead(s, c, d)) copyDraft(ext.start, headEnd);
    else {
      render({ ...c, children: [] }, d.number?.value, ext.start);
      cursor = Math.max(cursor, lineOf(Math.max(ext.start, headEnd - 1)) + 1);
    }
    for (const k of kids) emit(k, null);
  };

  let prevArticle: Unit | null = null;
  for (const p of alignment.pairs) {
    emit(p, prevArticle);
    if (p.draft?.kind === 'article') prevArticle = p.draft;
  }
  fillTo(lines.lineCount);
  // No trailing blank lines beyond the draft's own.
  while (out.length > lines.lineCount && out[out.length - 1] === '') out.pop();
  return { text: out.join('\n'), missing, extra };
}

// ---------------------------------------------------------------------------------------------
// One unit against its canonical counterpart (hover)

export type DiffOp = 'same' | 'del' | 'ins';

export interface DiffSegment {
  op: DiffOp;
  text: string;
}

export interface CompareBlock {
  /** The number as the draft writes it (「２」, 「(1)」), or the canonical one for a missing unit; '' for a lead text. */
  number: string;
  /** The heading written before the text, when either side has one. */
  heading?: DiffSegment[];
  segments: DiffSegment[];
  /** The whole sub-unit is missing from the draft (del) or not in the standard (ins). */
  whole?: 'del' | 'ins';
}

export interface UnitComparison {
  canonical: Unit;
  draft: Unit;
  /** The canonical unit written in the draft's conventions and numbering. */
  canonicalText: string;
  identical: boolean;
  /** 'token' when the comparison tokens were used, 'char' before the tokenizer is ready. */
  granularity: 'token' | 'char';
  blocks: CompareBlock[];
}

function plainBlock(text: string): TextBlock {
  return { text, segs: [{ textStart: 0, srcStart: 0, length: text.length }], span: { start: 0, end: text.length } };
}

/** Merges runs of one op and absorbs one-character equal runs between changes (character diffs). */
function tidy(segs: DiffSegment[], absorb: boolean): DiffSegment[] {
  let list = segs.filter((x) => x.text.length > 0);
  if (absorb) {
    const out: DiffSegment[] = [];
    for (let i = 0; i < list.length; i++) {
      const x = list[i];
      const prev = list[i - 1];
      const next = list[i + 1];
      if (x.op === 'same' && [...x.text].length <= 1 && prev && next && prev.op !== 'same' && next.op !== 'same') {
        out.push({ op: 'del', text: x.text }, { op: 'ins', text: x.text });
        continue;
      }
      out.push(x);
    }
    list = out;
  }
  // group: within a run of changes, deletions first, then insertions
  const out: DiffSegment[] = [];
  let i = 0;
  while (i < list.length) {
    if (list[i].op === 'same') {
      const last = out[out.length - 1];
      if (last?.op === 'same') last.text += list[i].text;
      else out.push({ ...list[i] });
      i++;
      continue;
    }
    let del = '';
    let ins = '';
    while (i < list.length && list[i].op !== 'same') {
      if (list[i].op === 'del') del += list[i].text;
      else ins += list[i].text;
      i++;
    }
    if (del) out.push({ op: 'del', text: del });
    if (ins) out.push({ op: 'ins', text: ins });
  }
  return out;
}

/**
 * Differences between a canonical text and a draft text. With a tokenizer the comparison's own
 * token keys are used (base forms, digit width, okurigana and party roles do not count); without
 * one, characters (NFKC) are compared. Deleted text is the canonical wording with the draft's
 * party names.
 */
export function diffTexts(
  canonical: string,
  draft: string,
  parties: { canonical: Parties; draft: Parties },
  tokenizer: Tokenizer | null,
): { segments: DiffSegment[]; granularity: 'token' | 'char' } {
  const mapped = (s: string) => mapParties(s, parties.canonical, parties.draft);
  if (tokenizer) {
    const ct = compareTokens(plainBlock(canonical), tokenizer, parties.canonical);
    const dt = compareTokens(plainBlock(draft), tokenizer, parties.draft);
    const { hunks } = diffKeys(
      ct.map((t) => t.key),
      dt.map((t) => t.key),
    );
    const dStart = (i: number) => (i < dt.length ? dt[i].start : draft.length);
    const dEnd = (i: number) => (i > 0 ? dt[i - 1].end : 0);
    const segs: DiffSegment[] = [];
    let at = 0;
    for (const h of hunks) {
      const from = h.dFrom < dt.length ? dt[h.dFrom].start : draft.length;
      if (from > at) segs.push({ op: 'same', text: draft.slice(at, from) });
      if (h.cTo > h.cFrom) segs.push({ op: 'del', text: mapped(canonical.slice(ct[h.cFrom].start, ct[h.cTo - 1].end)) });
      if (h.dTo > h.dFrom) {
        segs.push({ op: 'ins', text: draft.slice(dStart(h.dFrom), dEnd(h.dTo)) });
        at = dEnd(h.dTo);
      } else at = Math.max(at, from);
    }
    if (at < draft.length) segs.push({ op: 'same', text: draft.slice(at) });
    return { segments: tidy(segs, false), granularity: 'token' };
  }
  const c = [...mapped(canonical)];
  const d = [...draft];
  const key = (ch: string) => ch.normalize('NFKC');
  const { hunks } = diffKeys(c.map(key), d.map(key));
  const segs: DiffSegment[] = [];
  let ci = 0;
  let di = 0;
  for (const h of hunks) {
    if (h.dFrom > di) segs.push({ op: 'same', text: d.slice(di, h.dFrom).join('') });
    ci = h.cFrom;
    if (h.cTo > ci) segs.push({ op: 'del', text: c.slice(ci, h.cTo).join('') });
    if (h.dTo > h.dFrom) segs.push({ op: 'ins', text: d.slice(h.dFrom, h.dTo).join('') });
    ci = h.cTo;
    di = h.dTo;
  }
  if (di < d.length) segs.push({ op: 'same', text: d.slice(di).join('') });
  return { segments: tidy(segs, true), granularity: 'char' };
}

/** The pair whose draft unit is `u`, searched in the alignment tree. */
export function pairOfDraft(alignment: Alignment, u: Unit): UnitPair | null {
  for (const p of allPairs(alignment)) if (p.draft === u) return p;
  return null;
}

/**
 * The draft unit `u` against its canonical counterpart; null when the unit has none (or the
 * document no template). Sub-units are compared pair by pair, missing and added ones whole.
 */
export function compareWithStandard(
  doc: ParsedDocument,
  stage: ClauseStage | undefined,
  u: Unit,
  tokenizer: Tokenizer | null,
): UnitComparison | null {
  const template = stage?.template;
  const alignment = stage?.alignment;
  if (!template || !alignment) return null;
  const pair = pairOfDraft(alignment, u);
  if (!pair?.canonical) return null;
  const s: Sides = { template, alignment };
  const parties = { canonical: template.parties, draft: alignment.draftParties };
  const target: RenderTarget = { conventions: doc.conventions, parties: alignment.draftParties };
  let granularity: 'token' | 'char' = tokenizer ? 'token' : 'char';
  const blocks: CompareBlock[] = [];
  const diff = (a: string, b: string): DiffSegment[] => {
    const r = diffTexts(a, b, parties, tokenizer);
    granularity = r.granularity;
    return r.segments;
  };
  const wholeText = (unit: Unit, canonical: boolean): string => {
    if (canonical) return renderCanonical(template, alignment, unit, target).join('\n');
    return [unit.heading?.text ?? '', unit.body?.text ?? '', ...unit.children.map((k) => wholeText(k, false))].filter(Boolean).join('\n');
  };
  const walk = (p: UnitPair, top: boolean): void => {
    const c = p.canonical;
    const d = p.draft;
    if (c && !d) {
      blocks.push({ number: c.number?.raw ?? '', segments: [{ op: 'del', text: wholeText(c, true) }], whole: 'del' });
      return;
    }
    if (!d) return;
    if (!c) {
      blocks.push({ number: d.number?.raw ?? '', segments: [{ op: 'ins', text: wholeText(d, false) }], whole: 'ins' });
      return;
    }
    const number = top && d.kind === 'article' ? '' : d.number?.raw ?? '';
    const block: CompareBlock = { number, segments: [] };
    if (c.heading || d.heading) {
      block.heading = headingsEqual(c, d) ? [{ op: 'same', text: d.heading?.text ?? '' }] : diff(c.heading?.text ?? '', d.heading?.text ?? '');
    }
    const cb = canonicalBody(s, c);
    const db = d.body?.text ?? '';
    if (cb || db) block.segments = norm(cb, template.parties) === norm(db, alignment.draftParties) ? [{ op: 'same', text: db }] : diff(cb, db);
    if (block.heading || block.segments.length > 0) blocks.push(block);
    for (const k of p.children) walk(k, false);
  };
  walk(pair, true);
  const canonicalText = renderCanonical(template, alignment, pair.canonical, target, u.kind === 'article' ? u.number?.value : undefined).join('\n');
  return {
    canonical: pair.canonical,
    draft: u,
    canonicalText,
    identical: pairEquivalent(s, pair),
    granularity,
    blocks,
  };
}

// ---------------------------------------------------------------------------------------------
// Per-article status (code lenses)

export type ArticleStatusKind = 'match' | 'differs' | 'extra' | 'pending';

export interface ArticleStatus {
  unit: Unit;
  status: ArticleStatusKind;
  /** Differences: wording deviations, and sub-units missing from or added to the draft. */
  count: number;
  /** The canonical counterpart, when there is one. */
  canonical: Unit | null;
}

/**
 * Every draft article (and annex) with its status against the standard; [] without a template.
 * 'pending' when the article differs in its text but the tokenizer (which the wording
 * comparison needs) is not ready yet.
 */
export function articleStatuses(analysis: Analysis): ArticleStatus[] {
  const stage = analysis.clause;
  const template = stage?.template;
  const alignment = stage?.alignment;
  if (!template || !alignment) return [];
  const s: Sides = { template, alignment };
  const devs = analysis.tokenizer ? deviations(analysis) : [];
  const byPair = new Map<UnitPair, number>();
  for (const d of devs) byPair.set(d.pair, (byPair.get(d.pair) ?? 0) + 1);
  const out: ArticleStatus[] = [];
  for (const p of alignment.pairs) {
    const d = p.draft;
    if (!d) continue;
    if (!p.canonical) {
      out.push({ unit: d, status: 'extra', count: 0, canonical: null });
      continue;
    }
    if (pairEquivalent(s, p)) {
      out.push({ unit: d, status: 'match', count: 0, canonical: p.canonical });
      continue;
    }
    let count = 0;
    const walk = (q: UnitPair): void => {
      count += byPair.get(q) ?? 0;
      for (const k of q.children) {
        if (!k.draft || !k.canonical) count++;
        else walk(k);
      }
    };
    walk(p);
    const status: ArticleStatusKind = count > 0 ? 'differs' : analysis.tokenizer ? 'match' : 'pending';
    out.push({ unit: d, status, count, canonical: p.canonical });
  }
  return out;
}
