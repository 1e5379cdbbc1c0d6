/**
 * Edits that editors offer around findings, computed on the text alone:
 *  - fix all: the fixes of many findings as one set of non-overlapping edits (every safe fix, or
 *    every fix of one rule);
 *  - ignore here: a `keiyaku-lint-disable-next-line RULE` line before the finding's line (or the
 *    rule added to the directive already there);
 *  - insert and renumber: an inserted article numbered to fit, every later article moved down
 *    one and every reference to them rewritten (renumber.ts);
 *  - insert a standard article or annex where the alignment says it belongs.
 *
 * Engine code: imports nothing from `vscode` or the LSP libraries.
 */
import type { Alignment, UnitPair } from './align/align';
import type { ClauseStage } from './clause/stage';
import { readDirectives } from './directives';
import type { Finding, Fix, TextEdit } from './findings';
import { parseDocument } from './model/parser';
import type { ParsedDocument, Unit } from './model/types';
import { renumber } from './renumber';
import { insertionPoint } from './rules/clause/place';
import type { RuleContext } from './rules/types';
import { renderCanonical } from './standard-view';
import { LineIndex } from './text/lines';

// ---------------------------------------------------------------------------------------------
// Fix all

/** A fix whose edits are well formed and do not overlap one another; edits sorted. */
function wellFormed(fix: Fix, textLength: number): Fix | undefined {
  if (fix.edits.length === 0) return undefined;
  const edits = [...fix.edits].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  let prevEnd = -1;
  for (const e of edits) {
    if (e.span.start < 0 || e.span.end < e.span.start || e.span.end > textLength || e.span.start < prevEnd) return undefined;
    prevEnd = e.span.end;
  }
  return { ...fix, edits };
}

export interface CombinedFixes {
  /** Non-overlapping edits against the text, in order. */
  edits: TextEdit[];
  /** Findings whose fix is among the edits. */
  applied: Finding[];
  /** Findings with a fix left out (it overlapped one taken before it). */
  skipped: Finding[];
}

/**
 * One fix per finding — the first safe one (`which: 'safe'`) or the first one (`'first'`) —
 * combined into non-overlapping edits, earlier findings first. Two fixes clash when their
 * ranges meet or touch (both insert at one point, or one ends where the other starts): the
 * later one is left for another run, as ESLint does. Fixes that change nothing are left out.
 */
export function combineFixes(text: string, findings: readonly Finding[], which: 'safe' | 'first'): CombinedFixes {
  const candidates: { f: Finding; fix: Fix }[] = [];
  for (const f of findings) {
    const list = which === 'safe' ? (f.fixes ?? []).filter((x) => x.safe) : (f.fixes ?? []).slice(0, 1);
    for (const fix of list) {
      const ok = wellFormed(fix, text.length);
      if (!ok) continue;
      if (ok.edits.every((e) => text.slice(e.span.start, e.span.end) === e.newText)) continue;
      candidates.push({ f, fix: ok });
      break;
    }
  }
  candidates.sort((a, b) => a.fix.edits[0].span.start - b.fix.edits[0].span.start);
  const chosen: TextEdit[] = [];
  const applied: Finding[] = [];
  const skipped: Finding[] = [];
  for (const c of candidates) {
    const clash = c.fix.edits.some((e) => chosen.some((x) => e.span.start <= x.span.end && x.span.start <= e.span.end));
    if (clash) {
      skipped.push(c.f);
      continue;
    }
    chosen.push(...c.fix.edits);
    applied.push(c.f);
  }
  chosen.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  return { edits: chosen, applied, skipped };
}

/** Applies non-overlapping edits (any order). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start || b.span.end - a.span.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Ignore here

export type DirectiveStyle = 'plain' | 'html';

const NEXT_LINE_RE = /keiyaku-lint-disable-next-line\s+([\w/-]+(?:[\s,]+[\w/-]+)*)/;

/**
 * The edit that makes findings of `ruleId` on `line` (0-based) ignored: a directive line
 * `keiyaku-lint-disable-next-line RULE` inserted before it, indented like it (or, in Markdown,
 * the same inside an HTML comment); when the line before already is such a directive, the rule is
 * added to it.
 */
export function disableNextLineEdit(text: string, line: number, ruleId: string, style: DirectiveStyle = 'plain'): TextEdit {
  const lines = new LineIndex(text);
  const l = Math.max(0, Math.min(line, lines.lineCount - 1));
  if (l > 0) {
    const prev = lines.lineText(l - 1);
    const m = NEXT_LINE_RE.exec(prev);
    if (m) {
      const listed = m[1].split(/[\s,]+/);
      const at = lines.starts[l - 1] + m.index + m[0].length;
      if (listed.includes(ruleId)) return { span: { start: at, end: at }, newText: '' };
      return { span: { start: at, end: at }, newText: `, ${ruleId}` };
    }
  }
  const start = lines.starts[l];
  const indent = /^[ \t\u3000]*/.exec(lines.lineText(l))?.[0] ?? '';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const directive = `keiyaku-lint-disable-next-line ${ruleId}`;
  return { span: { start, end: start }, newText: `${indent}${style === 'html' ? `<!-- ${directive} -->` : directive}${eol}` };
}

// ---------------------------------------------------------------------------------------------
// Insert and renumber

/**
 * An article inserted by `insert` (a pure insertion holding one article, numbered to follow
 * the article before it), with every article after it moved down by one and every reference to
 * them rewritten, in the draft's number style. Returns the edits against the ORIGINAL text (the
 * insertion first), or null when the insertion holds no article or nothing else would change.
 * References written inside the inserted text are left as written.
 */
export function insertAndRenumber(text: string, insert: TextEdit): TextEdit[] | null {
  if (insert.span.start !== insert.span.end) return null;
  const at = insert.span.start;
  const len = insert.newText.length;
  const next = text.slice(0, at) + insert.newText + text.slice(at);
  const directives = readDirectives(next, new LineIndex(next));
  const doc = parseDocument(next, { ignore: directives.spans });
  const inserted = doc.articles.find((a) => a.number && a.number.span.start >= at && a.number.span.start < at + len);
  if (!inserted?.number) return null;
  // The inserted article must not take the place of the one it pushes down: give it a number no
  // reference can name, so that references to the old numbers keep resolving to the old articles.
  const ownNumber = { ...inserted.number.span };
  inserted.number.value = [-1];
  const r = renumber(doc, { paragraphs: false, items: false });
  let ownText = insert.newText;
  const outside: TextEdit[] = [];
  const local: TextEdit[] = [];
  for (const e of r.edits) {
    if (e.span.end <= at) outside.push(e);
    else if (e.span.start >= at + len) outside.push({ span: { start: e.span.start - len, end: e.span.end - len }, newText: e.newText });
    else if (e.span.start >= ownNumber.start && e.span.end <= ownNumber.end) local.push({ span: { start: e.span.start - at, end: e.span.end - at }, newText: e.newText });
    // other edits inside the inserted text (its references) or across its edges: left out
  }
  if (outside.length === 0) return null;
  ownText = applyEdits(ownText, local);
  return [{ span: { start: at, end: at }, newText: ownText }, ...outside];
}

// ---------------------------------------------------------------------------------------------
// Insert a standard article

export interface StandardInsertion {
  /** The canonical unit inserted. */
  canonical: Unit;
  /** The insertion (a pure insertion). */
  edit: TextEdit;
  /** Whether the draft already has a counterpart of the unit (the new one goes right after it). */
  present: boolean;
}

function previousDraftArticle(pairs: readonly UnitPair[], i: number): Unit | null {
  for (let k = i - 1; k >= 0; k--) if (pairs[k].draft?.kind === 'article') return pairs[k].draft;
  return null;
}

/** The canonical top-level units (articles, then annexes) of a template, with the draft unit each is aligned with. */
export function standardUnits(stage: ClauseStage | undefined): { canonical: Unit; draft: Unit | null }[] {
  const t = stage?.template;
  if (!t) return [];
  const al: Alignment | null = stage?.alignment ?? null;
  return [...t.doc.articles, ...t.doc.annexes].map((c) => ({ canonical: c, draft: al?.toDraft.get(c) ?? null }));
}

/**
 * Where and how a canonical article (or annex) named by its template label (「第3条」, 「第14」,
 * 「別紙」) goes into the draft: where the alignment puts it (after the draft's counterpart of the
 * canonical article before it), numbered to follow the draft article before it, written in the
 * draft's conventions. Null when the label names no top-level unit of the template.
 */
export function insertStandardUnit(doc: ParsedDocument, stage: ClauseStage | undefined, lines: LineIndex, label: string): StandardInsertion | null {
  const template = stage?.template;
  if (!template) return null;
  const c = [...template.doc.articles, ...template.doc.annexes].find((u) => u.label === label);
  if (!c) return null;
  const alignment = stage?.alignment ?? null;
  const draftParties = alignment?.draftParties ?? template.parties;
  let pairs: UnitPair[] = alignment?.pairs ?? [];
  let i = pairs.findIndex((p) => p.canonical === c);
  const present = i >= 0 && pairs[i].draft !== null;
  if (i < 0 || present) {
    // Already in the draft (or nothing aligned): right after its counterpart, else at the end.
    const after = i >= 0 ? i + 1 : pairs.length;
    pairs = [...pairs.slice(0, after), { canonical: c, draft: null, score: 0, children: [] }, ...pairs.slice(after)];
    i = after;
  }
  const ctx = { doc, analysis: { lines } } as unknown as RuleContext;
  const place = insertionPoint(ctx, pairs, i);
  const prev = previousDraftArticle(pairs, i);
  const number = c.kind === 'article' ? [prev?.number ? prev.number.value[0] + 1 : 1] : undefined;
  const body = renderCanonical(template, alignment, c, { conventions: doc.conventions, parties: draftParties }, number).join('\n');
  let newText = place.before + body + place.after;
  if (doc.text.includes('\r\n')) newText = newText.replace(/\r?\n/g, '\r\n');
  return { canonical: c, present, edit: { span: { start: place.insertAt, end: place.insertAt }, newText } };
}
