/**
 * Where a missing unit goes: before the next present sibling, else after the previous one; and,
 * for a quick fix, whether the draft read again with the text inserted there holds the unit.
 */
import { alignPair, partyTag, type Alignment, type UnitPair } from '../../align/align';
import { bigramProfile, containment, FOUND_SHARE, normalizeForCompare, type BigramProfile } from '../../align/normalize';
import type { Parties, Template } from '../../templates';
import { mapParties } from '../../templates/render';
import { occurrences } from '../../text/count';
import { TaggedLru } from '../../tokenizer/lru';
import { parseDocument } from '../../model/parser';
import { bodiesText } from '../../model/walk';
import type { Span, Unit } from '../../model/types';
import { unitPathAt } from '../../outline';
import type { RuleContext } from '../types';

export interface Place {
  /** What the finding points at: the next sibling's number (or the previous sibling's end). */
  span: Span;
  /** Offset where the inserted text goes, and what surrounds it. */
  insertAt: number;
  before: string;
  after: string;
}

export function headingOf(u: Unit): string {
  return u.heading?.text ?? '';
}

/** The line start of a unit (its heading line when the heading precedes the number). */
function lineStartOf(ctx: RuleContext, u: Unit): number {
  const lines = ctx.analysis.lines;
  const start = u.heading && u.heading.span.start < (u.number?.span.start ?? u.span.start) ? u.heading.span.start : u.span.start;
  return lines.starts[lines.positionAt(start).line];
}

export function insertionPoint(ctx: RuleContext, pairs: UnitPair[], i: number, parent?: Unit): Place {
  const text = ctx.doc.text;
  for (let k = i + 1; k < pairs.length; k++) {
    const d = pairs[k].draft;
    if (!d) continue;
    const at = lineStartOf(ctx, d);
    const first = d.heading && d.heading.span.start < (d.number?.span.start ?? d.span.start) ? d.heading.span : null;
    const span = first ?? (d.number ? d.number.span : { start: d.span.start, end: Math.min(d.span.end, d.span.start + 1) });
    return { span, insertAt: at, before: '', after: '\n' };
  }
  for (let k = i - 1; k >= 0; k--) {
    const d = pairs[k].draft;
    if (!d) continue;
    const end = d.span.end;
    return { span: { start: Math.max(d.span.start, end - 1), end }, insertAt: end, before: '\n', after: '' };
  }
  if (parent) {
    const end = parent.span.end;
    return { span: { start: Math.max(parent.span.start, end - 1), end }, insertAt: end, before: '\n', after: '' };
  }
  const end = text.length;
  return { span: { start: Math.max(0, end - 1), end }, insertAt: end, before: text.endsWith('\n') || end === 0 ? '' : '\n', after: '\n' };
}

/** A line holding nothing but a bracketed heading: （見出し） or (見出し). */
const HEADING_LINE = /^[ \t\u3000]*[（(]([^（）()\n]{1,60})[）)][ \t\u3000]*$/;

const BLANK_LINE = /^[ \t\u3000]*$/;

/** A heading line left behind when an article's text was deleted (see `orphanHeadingsBefore`). */
export interface OrphanHeading {
  /** The line's start and the end of its content. */
  start: number;
  end: number;
  /** The heading's characters, brackets included. */
  span: Span;
  /** The words inside the brackets. */
  text: string;
}

/**
 * The heading lines left behind just before `offset` (a line start, or the end of a line's
 * content), in text order, blank lines between them skipped: lines holding nothing but a
 * bracketed heading that no article has as its heading — the parser read them as text of the
 * unit above. They are what remains of articles whose number line was deleted with their text.
 */
export function orphanHeadingsBefore(ctx: RuleContext, offset: number): OrphanHeading[] {
  const lines = ctx.analysis.lines;
  const text = ctx.doc.text;
  const pos = lines.positionAt(offset);
  let line = pos.character === 0 ? pos.line - 1 : offset === lines.lineEnd(pos.line) ? pos.line : -1;
  const out: OrphanHeading[] = [];
  for (; line >= 0; line--) {
    const start = lines.starts[line];
    const end = lines.lineEnd(line);
    const content = text.slice(start, end);
    if (BLANK_LINE.test(content)) continue; // text pasted from a PDF has blank lines between lines
    const m = HEADING_LINE.exec(content);
    if (!m) break;
    if (ctx.doc.articles.some((a) => a.heading && a.heading.span.start >= start && a.heading.span.start < end)) break;
    const open = content.search(/[（(]/);
    const close = start + m[0].trimEnd().length;
    out.unshift({ start, end, span: { start: start + open, end: close }, text: m[1] });
  }
  return out;
}

/**
 * A missing unit whose standard text holds a prohibition or a deadline is an error (issue #3:
 * "error where the canonical duty is a prohibition or a deadline"); other units keep the rule's level.
 */
export function missingLevel(u: Unit): 'error' | undefined {
  const parts: string[] = [];
  const walk = (x: Unit): void => {
    if (x.body) parts.push(x.body.text);
    x.children.forEach(walk);
  };
  walk(u);
  return /てはならない|ないものとする|直ちに|速やかに|遅滞なく|[0-9０-９一二三四五六七八九十]+\s*(分|時間|日|営業日)\s*以内/.test(parts.join('')) ? 'error' : undefined;
}

const draftProfiles = new WeakMap<Unit, BigramProfile>();

/**
 * The same by text, per party names: an edit makes new Unit objects, but only the edited units
 * have new text. Without it, a draft missing a standard article profiled every draft article's
 * text again at each lint (23.6 ms per edit of a 1 MB draft without 第8). Bounded by the texts'
 * length (a profile takes about 8 bytes per character).
 */
const profilesByText = new TaggedLru<BigramProfile>(2_000_000);

/** The bigram profile of a draft unit's text (all its bodies), normalised with the draft's party names. */
function draftProfile(d: Unit, parties: Parties): BigramProfile {
  const hit = draftProfiles.get(d);
  if (hit) return hit;
  const text = bodiesText(d);
  const lru = profilesByText.of(partyTag(parties));
  let dp = lru.get(text);
  if (!dp) lru.set(text, (dp = bigramProfile(normalizeForCompare(text, parties))));
  draftProfiles.set(d, dp);
  return dp;
}

/** `whole` holds at least FOUND_SHARE of `part`'s character bigrams (both as written, width and spaces aside). */
export function holdsText(part: string, whole: string): boolean {
  return containment(bigramProfile(normalizeForCompare(part, null)), bigramProfile(normalizeForCompare(whole, null))) >= FOUND_SHARE;
}

/**
 * The draft article that holds a standard unit's text although the alignment did not pair them:
 * articles merged into one, or an article split in two (its paragraphs moved to a new article).
 * For a standard annex, the draft unit that holds its marker and title (`annexTitleIn`): an annex
 * whose heading line was joined onto the line before, or written after a 第N, reads as part of
 * the unit above it. (Its text is not looked for: that would profile every draft article at each
 * lint of a draft without the annex.)
 */
export function foundElsewhere(ctx: RuleContext, c: Unit, canonical: Parties, draft: Parties): Unit | null {
  if (c.kind === 'annex') return annexTitleIn(ctx, c);
  const text = normalizeForCompare(bodiesText(c), canonical);
  if (text.length < 8) return null;
  const cp = bigramProfile(text);
  for (const d of ctx.doc.articles) {
    const dp = draftProfile(d, draft);
    // (an article's profile outlives edits elsewhere: so does its answer for this standard unit)
    let answers = holdsMemo.get(dp);
    if (!answers) holdsMemo.set(dp, (answers = new WeakMap()));
    let holds = answers.get(c);
    if (holds === undefined) answers.set(c, (holds = dp.total >= FOUND_SHARE * cp.total && containment(cp, dp) >= FOUND_SHARE));
    if (holds) return d;
  }
  return null;
}

/** Whether a draft text (by its profile) holds a standard unit's text (`foundElsewhere`). */
const holdsMemo = new WeakMap<BigramProfile, WeakMap<Unit, boolean>>();

/** Where a standard article's numbered paragraphs stand, left behind by its lost number line (`lostNumberLine`). */
export interface LostNumberLine {
  /** The draft article they read as paragraphs of. */
  host: Unit;
  /** The standard child the first of them is (the children before it are written back with the number line). */
  from: number;
  /** The first of them (the finding points at its number when no heading is left above it). */
  first: Unit;
  /** The line start of the first of them: where the number line goes back. */
  at: number;
}

/**
 * A standard article whose number line is gone (deleted with its lead sentence, as text pasted
 * from a PDF can lose a line) while its numbered paragraphs are left: they follow the article
 * before and read as its paragraphs (第８'s line deleted, 「１ 受注者は、本業務に関して…」 read
 * as 第７第1項). Inserting the whole article again would write those paragraphs twice. Found when
 * numbered paragraphs of the standard article stand, in order and one after the other, among the
 * children of one draft article, each holding ≥ FOUND_SHARE of the standard paragraph's text and none
 * paired with a standard unit: two of them, or the only one. Only unpaired draft children are
 * profiled, so a draft whose units all pair costs nothing.
 */
export function lostNumberLine(ctx: RuleContext, c: Unit, alignment: Alignment): LostNumberLine | null {
  if (c.kind !== 'article') return null;
  const numbered = c.children.filter((k) => k.number);
  if (numbered.length === 0) return null;
  const need = Math.min(2, numbered.length);
  const profiles = numbered.map((k) => {
    const text = normalizeForCompare(bodiesText(k), alignment.canonicalParties);
    return text.length < 8 ? null : bigramProfile(text);
  });
  const holds = (k: number, d: Unit): boolean => unpairedHolds(alignment, profiles[k], d);
  for (const d of ctx.doc.articles) {
    const kids = d.children;
    for (let j = 0; j < kids.length; j++) {
      if (!kids[j].number || alignment.toCanonical.has(kids[j])) continue;
      for (let k = 0; k < numbered.length; k++) {
        let run = 0;
        while (j + run < kids.length && k + run < numbered.length && holds(k + run, kids[j + run])) run++;
        if (run < need) continue;
        const lines = ctx.analysis.lines;
        return { host: d, from: c.children.indexOf(numbered[k]), first: kids[j], at: lines.starts[lines.positionAt(kids[j].span.start).line] };
      }
    }
  }
  return null;
}

/** Draft unit `d`, paired with no standard unit, holds ≥ FOUND_SHARE of the standard text profiled as `cp`. */
function unpairedHolds(alignment: Alignment, cp: BigramProfile | null, d: Unit): boolean {
  if (!cp || alignment.toCanonical.has(d)) return false;
  const dp = draftProfile(d, alignment.draftParties);
  return containment(cp, dp) >= FOUND_SHARE;
}

/**
 * A numbered paragraph of another draft article than `except`, paired with no standard unit, that
 * holds the text of standard paragraph `c` (≥ FOUND_SHARE), and that article: the paragraph is there,
 * read as part of the wrong article (its article's number line moved or lost, lines swapped).
 * Inserting it again would write it twice. Only unpaired draft paragraphs are profiled.
 */
export function paragraphElsewhere(ctx: RuleContext, c: Unit, alignment: Alignment, except: Unit | null): { unit: Unit; article: Unit } | null {
  if (c.kind !== 'paragraph' || !c.number) return null;
  const text = normalizeForCompare(bodiesText(c), alignment.canonicalParties);
  if (text.length < 8) return null;
  const cp = bigramProfile(text);
  for (const a of ctx.doc.articles) {
    if (a === except) continue;
    for (const d of a.children) if (d.number && unpairedHolds(alignment, cp, d)) return { unit: d, article: a };
  }
  return null;
}

/**
 * Where the text of a missing standard unit already stands in the draft, read as part of another
 * unit (lines swapped: a section's heading moved below its text, a line moved into the unit
 * before): every text of 20 characters or more of the unit and its descendants occurs in the
 * draft (in its party names) at least as often as in the standard. Where the first of them is,
 * and the smallest draft unit that holds it (null before the first unit); null when the text is
 * not all there. Inserting the unit would write that text a second time.
 */
export function textAlreadyThere(ctx: RuleContext, c: Unit, template: Template, draft: Parties): { at: number; unit: Unit | null } | null {
  const pieces: string[] = [];
  const walk = (u: Unit): void => {
    if (u.body && u.body.text.length >= 20) pieces.push(u.body.text);
    u.children.forEach(walk);
  };
  walk(c);
  if (pieces.length === 0) return null;
  const text = ctx.doc.text;
  let first = -1;
  for (const piece of pieces) {
    const mine = mapParties(piece, template.parties, draft);
    const at = text.indexOf(mine);
    if (at < 0 || occurrences(text, mine) < occurrences(template.text, piece)) return null;
    if (first < 0) first = at;
  }
  return { at: first, unit: innermostAt(ctx, first) };
}

/**
 * A draft article other than `except` that holds `text` (written in the draft's party names):
 * the number line `lostNumberLine` would write back, moved elsewhere (lines swapped) rather than
 * lost.
 */
export function articleHolding(ctx: RuleContext, text: string, draft: Parties, except: Unit): Unit | null {
  const t = normalizeForCompare(text, draft);
  if (t.length < 8) return null;
  const cp = bigramProfile(t);
  for (const d of ctx.doc.articles) {
    if (d === except) continue;
    const dp = draftProfile(d, draft);
    if (containment(cp, dp) >= FOUND_SHARE) return d;
  }
  return null;
}

/**
 * The draft unit that holds a standard annex's marker and title one after the other (「別記様式」,
 * then 「機密データの保存等に関する届出書」) where the parser did not take them for an annex. The
 * two identify the annex whatever became of its text (a form filled in, a part cut off).
 */
function annexTitleIn(ctx: RuleContext, c: Unit): Unit | null {
  const title = c.heading?.text;
  const marker = c.annexKind;
  if (!title || !marker) return null;
  const text = ctx.doc.text;
  for (let i = text.indexOf(marker); i >= 0; i = text.indexOf(marker, i + marker.length)) {
    let j = i + marker.length;
    while (j < text.length && /[\s\u3000]/.test(text[j])) j++;
    if (!text.startsWith(title, j)) continue;
    // (an annex that starts there is that annex itself, read as one but not paired)
    const host = innermostAt(ctx, i);
    if (host && !(host.kind === 'annex' && host.span.start === i)) return host;
  }
  return null;
}

/**
 * A standard annex whose marker line is gone but whose title stands in the draft (the line
 * 「別記様式」 deleted above 「機密データの保存等に関する届出書」): the unit that now holds the
 * title, where it is, and whether it starts a line — then the marker line can go back above it;
 * a title run on from the sentence before (「…この限りではない機密データの保存等に関する届出書年
 * 月 日」: the 。 and the marker line deleted) has no such place. The title must not run on into
 * a sentence (「…届出書を提出する」 is a mention, not the title).
 */
export function lostAnnexMarker(ctx: RuleContext, c: Unit): { host: Unit; at: number; lineStart: boolean } | null {
  const title = c.heading?.text;
  if (c.kind !== 'annex' || !title || !c.annexKind) return null;
  const text = ctx.doc.text;
  for (let i = text.indexOf(title); i >= 0; i = text.indexOf(title, i + title.length)) {
    const lineStart = i === 0 || text[i - 1] === '\n' || text[i - 1] === '\r';
    const next = text[i + title.length] ?? '\n';
    if (/[をはにのがでとも、。]/.test(next)) continue;
    // (in brackets or quotes, the title is named, not written: 「…届出書」により)
    if (!lineStart && (/[「『（(“]/.test(text[i - 1]) || /[」』）)”]/.test(next))) continue;
    // the marker still on the line above (「第 21 別記様式」): not lost, the line is misread
    let j = i;
    while (j > 0 && /[\s\u3000]/.test(text[j - 1])) j--;
    if (j >= c.annexKind.length && text.startsWith(c.annexKind, j - c.annexKind.length)) continue;
    const host = innermostAt(ctx, i);
    if (host && host.kind !== 'annex') return { host, at: i, lineStart };
  }
  return null;
}

/** The smallest unit that holds `offset`. */
function innermostAt(ctx: RuleContext, offset: number): Unit | null {
  const path = unitPathAt(ctx.doc, offset);
  return path.length ? path[path.length - 1] : null;
}

// ---------------------------------------------------------------------------------------------
// Checked insertion (missing-paragraph's fix)

/**
 * Where canonical units missing at one place (`wanted`, written `text`: among them the missing
 * siblings `pairs[first..last]` of `parent`, and the units that follow the same end) can be
 * inserted so that the draft, read again, holds them: the first candidate
 * place after which the top-level unit, parsed again with the text and aligned again with its
 * canonical unit, pairs each of them with a unit that begins in the inserted text and misses
 * no canonical unit it did not miss before. The candidates, in the standard's order:
 *  - at the line start of the next present sibling (before its heading when it has one);
 *  - after the previous present sibling;
 *  - after the next present sibling when it is the text on the parent's own number line (an
 *    implicit first paragraph, which becomes the lead sentence when numbered paragraphs follow).
 * Null when no candidate holds: in a draft whose structure is damaged (a number line deleted, a
 * heading or text above the wrong number) the text would land in another unit, and a fix that
 * does not remove its finding is worse than none.
 */
export function checkedInsertion(
  ctx: RuleContext,
  top: UnitPair,
  parent: UnitPair,
  first: number,
  last: number,
  wanted: Unit[],
  text: string,
): { insertAt: number; newText: string } | null {
  const pairs = parent.children;
  const parentUnit = parent.draft;
  const topDraft = top.draft;
  const topCanonical = top.canonical;
  if (!parentUnit || !topDraft || !topCanonical || !ctx.doc.layout) return null;
  // the line of the parent's number (an article's heading may stand on the line above)
  const lines = ctx.analysis.lines;
  const parentLine = lines.starts[lines.positionAt(parentUnit.number?.span.start ?? parentUnit.span.start).line];
  const cands: { insertAt: number; newText: string }[] = [];
  const next = pairs.slice(last + 1).find((p) => p.draft)?.draft ?? null;
  const prev = [...pairs.slice(0, first)].reverse().find((p) => p.draft)?.draft ?? null;
  if (next) {
    const at = lineStartOf(ctx, next);
    if (at > parentLine) cands.push({ insertAt: at, newText: `${text}\n` });
  }
  if (prev) cands.push({ insertAt: prev.span.end, newText: `\n${text}` });
  if (next && !next.number && lineStartOf(ctx, next) === parentLine && next.span.start > parentUnit.span.start) {
    cands.push({ insertAt: next.span.end, newText: `\n${text}` });
  }
  if (!next && !prev) cands.push({ insertAt: parentUnit.span.end, newText: `\n${text}` });
  const seen = new Set<number>();
  for (const c of cands) {
    if (seen.has(c.insertAt)) continue;
    seen.add(c.insertAt);
    if (insertionHolds(ctx, top, c.insertAt, c.newText, wanted)) return c;
  }
  return null;
}

/** Labels of the canonical units missing below a pair (their parent pair has both sides). */
function missingBelow(p: UnitPair, out = new Set<string>()): Set<string> {
  for (const c of p.children) {
    if (c.canonical && !c.draft) out.add(c.canonical.label);
    if (c.canonical && c.draft) missingBelow(c, out);
  }
  return out;
}

function findPair(p: UnitPair, c: Unit): UnitPair | null {
  for (const x of p.children) {
    if (x.canonical === c) return x;
    const hit = x.canonical && x.draft ? findPair(x, c) : null;
    if (hit) return hit;
  }
  return null;
}

/** Larger top-level units are not parsed again for a fix (none of the templates' comes near). */
const MAX_WINDOW = 100_000;

/**
 * Whether the top-level draft unit, with `newText` inserted at `insertAt`, holds every unit of
 * `wanted` in the inserted text. Only the top-level unit is parsed again — from its first line
 * to the number line of the next top-level unit (which shows whether the text ran into it) — with
 * the document's line wrapping and directive lines, and aligned with its canonical unit.
 */
function insertionHolds(ctx: RuleContext, top: UnitPair, insertAt: number, newText: string, wanted: Unit[]): boolean {
  const doc = ctx.doc;
  const text = doc.text;
  const topDraft = top.draft!;
  const ws = lineStartOf(ctx, topDraft);
  if (insertAt <= ws || insertAt > text.length) return false;
  const tops = [...doc.articles, ...doc.annexes].sort((a, b) => a.span.start - b.span.start);
  const after = tops.find((u) => u.span.start >= topDraft.span.end && u !== topDraft);
  let we = text.length;
  if (after && !(topDraft.kind === 'annex' && after.kind === 'article')) {
    const lines = ctx.analysis.lines;
    we = lines.lineEnd(lines.positionAt(after.number?.span.end ?? after.span.start).line);
  } else if (after) we = lineStartOf(ctx, after);
  if (insertAt > we || we - ws + newText.length > MAX_WINDOW) return false;
  const windowText = text.slice(ws, insertAt) + newText + text.slice(insertAt, we);
  const grow = newText.length;
  const shift = (p: number): number => p - ws + (p >= insertAt ? grow : 0);
  const ignore = ctx.analysis.directives.spans
    .filter((s) => s.start >= ws && s.end <= we)
    .map((s) => ({ start: shift(s.start), end: shift(s.end) }));
  const parsed = parseDocument(windowText, { ignore, layout: doc.layout });
  // the same top-level units at the same places: the text neither split one nor ran into the next
  const expected = tops.filter((u) => u.span.start >= ws && u.span.start < we).map((u) => `${u.kind}@${shift(u.span.start)}`);
  const got = [...parsed.articles, ...parsed.annexes].sort((a, b) => a.span.start - b.span.start);
  if (got.map((u) => `${u.kind}@${u.span.start}`).join() !== expected.join()) return false;
  const w = got.find((u) => u.span.start === shift(topDraft.span.start));
  if (!w) return false;
  const { alignment } = ctx.analysis.clause!;
  const pair = alignPair(top.canonical!, w, alignment!.canonicalParties, alignment!.draftParties);
  const from = insertAt - ws;
  const to = from + grow;
  for (const c of wanted) {
    const d = findPair(pair, c)?.draft;
    if (!d || d.span.start < from || d.span.start >= to) return false;
  }
  const before = missingBelow(top);
  for (const c of wanted) before.delete(c.label);
  for (const label of missingBelow(pair)) if (!before.has(label)) return false;
  return true;
}
