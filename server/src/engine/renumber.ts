/**
 * Renumbering: articles (and paragraphs and items where needed) numbered in sequence, and every
 * internal reference rewritten to follow its unit — lists, ranges, references written with a
 * heading in brackets, the ranges of a table of contents — as ONE set of edits.
 *
 * References whose written heading names another article (条ズレ: the articles were renumbered
 * and the references were not) are moved to the article with that heading. The draft's own way
 * of writing numbers is kept: digit width (１２ / 12 / 十二), 第N or 第N条, and the habit of a
 * blank in two-digit numbers (「第９」, 「第 10」). Relative references (前条, 前項, 前各号…) keep
 * their meaning because renumbering never changes the order of units.
 *
 * Pure: text in, edits and the new text out. Engine code: no vscode or LSP imports.
 */
import type { TextEdit } from './findings';
import { parseDocument } from './model/parser';
import type { ParsedDocument, Span, Unit } from './model/types';
import { numberEdits, numberHabits, unitNumberComponent, writeNumber } from './refs/format';
import { getReferences, itemsOf, paragraphNumber, paragraphsOf } from './refs/resolve';
import type { RefComponent, Reference } from './refs/types';

export interface RenumberOptions {
  /** Make branch articles (第3条の2) main articles of their own (default false: they stay branches of the renumbered base). */
  flattenBranches?: boolean;
  /** Renumber the paragraphs (２, ３…) of each article (default true). */
  paragraphs?: boolean;
  /** Renumber the items (一, 二… / (1), (2)…) of each paragraph (default true). */
  items?: boolean;
  /** Move references whose written heading names another article to that article (default true). */
  fixShifted?: boolean;
}

export interface RenumberResult {
  /** Non-overlapping edits against the original text, in order. */
  edits: TextEdit[];
  /** The text with the edits applied. */
  text: string;
  /** Units whose number changed. */
  renumbered: { label: string; from: string; to: string; span: Span }[];
  /** References rewritten (number changed or 条ズレ corrected). */
  rewritten: Reference[];
  /** Internal references that name no unit: left as written. */
  unresolved: Reference[];
}

/** Sequence numbers for a list of siblings; branches stay branches unless flattened. */
function sequence(units: Unit[], flatten: boolean): Map<Unit, number[]> {
  const out = new Map<Unit, number[]>();
  let main = 0;
  let branch = 1;
  for (const u of units) {
    const v = u.number?.value;
    if (v && v.length > 1 && !flatten && main > 0) {
      if (v.length === 2) branch++;
      out.set(u, [main, branch, ...v.slice(2)]);
    } else {
      main++;
      branch = 1;
      out.set(u, [main]);
    }
  }
  return out;
}

function eq(a: number[] | undefined, b: number[] | undefined): boolean {
  return !!a && !!b && a.length === b.length && a.every((v, i) => v === b[i]);
}

export function renumber(input: string | ParsedDocument, options: RenumberOptions = {}): RenumberResult {
  const doc = typeof input === 'string' ? parseDocument(input) : input;
  const text = doc.text;
  const conv = numberHabits(doc);
  const flatten = options.flattenBranches ?? false;
  const doParagraphs = options.paragraphs ?? true;
  const doItems = options.items ?? true;
  const fixShifted = options.fixShifted ?? true;

  // 1. the new number of every unit
  const newValue = new Map<Unit, number[]>(sequence(doc.articles, flatten));
  for (const a of doc.articles) {
    const paras = paragraphsOf(a);
    if (doParagraphs) paras.forEach((p, i) => newValue.set(p, [i + 1]));
    if (doItems) {
      const hosts: Unit[] = [a, ...paras];
      for (const h of hosts) {
        const items = h.children.filter((c) => c.kind === 'item');
        for (const [u, v] of sequence(items, flatten)) newValue.set(u, v);
      }
    }
  }
  const valueOf = (u: Unit): number[] | undefined => {
    if (newValue.has(u)) return newValue.get(u);
    if (u.kind === 'paragraph') return [paragraphNumber(u)];
    return u.number?.value;
  };

  const edits: TextEdit[] = [];
  const renumbered: RenumberResult['renumbered'] = [];

  // 2. the units' own numbers
  for (const [u, v] of newValue) {
    const num = u.number;
    if (!num || eq(num.value, v)) continue;
    const comp = unitNumberComponent(num);
    let unitEdits: TextEdit[];
    if (comp) unitEdits = numberEdits(text, comp, v, conv);
    else unitEdits = [{ span: num.span, newText: writeNumber(v[0], num.style, conv) }];
    if (!unitEdits.length) continue;
    edits.push(...unitEdits);
    renumbered.push({ label: u.label, from: num.raw, to: applyEdits(text, num.span, unitEdits), span: num.span });
  }

  // 3. the references
  const refs = getReferences(doc);
  const rewritten: Reference[] = [];
  const unresolved: Reference[] = [];
  for (const r of refs.all) {
    if (r.kind === 'external') continue;
    const numbered = r.components.filter((c) => c.form === 'number' && !c.inherited && (c.level === 'article' || c.level === 'paragraph' || c.level === 'item'));
    if (!numbered.length) continue;
    const shifted = fixShifted && r.proposal ? r.proposal : null;
    if (r.unresolved && !shifted) {
      unresolved.push(r);
      continue;
    }
    const refEdits: TextEdit[] = [];
    // walk down the chain: the intended unit at each level
    let article: Unit | undefined;
    let paragraph: Unit | undefined;
    for (const c of r.components) {
      let intended: Unit | undefined = c.unit;
      if (c.level === 'article') {
        intended = shifted ?? c.unit;
        article = intended;
      } else if (c.level === 'paragraph') {
        if (shifted && article && c.form === 'number') intended = paragraphsOf(article).find((p) => paragraphNumber(p) === c.value?.[0]);
        paragraph = intended;
      } else if (c.level === 'item') {
        if (shifted && c.form === 'number') {
          const host = paragraph ?? article;
          intended = host ? itemsOf(host).items.find((x) => eq(x.number?.value, c.value)) : undefined;
        }
      }
      if (!numbered.includes(c) || !intended) continue;
      const v = valueOf(intended);
      if (!v || eq(v, c.value)) continue;
      refEdits.push(...numberEdits(text, c as RefComponent, v, conv));
    }
    if (refEdits.length) {
      edits.push(...refEdits);
      rewritten.push(r);
    }
  }

  // 4. one consistent set of edits
  const sorted = dedupe(edits);
  renumbered.sort((a, b) => a.span.start - b.span.start);
  return { edits: sorted, text: applyAll(text, sorted), renumbered, rewritten, unresolved };
}

function dedupe(edits: TextEdit[]): TextEdit[] {
  const sorted = [...edits].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  const out: TextEdit[] = [];
  for (const e of sorted) {
    const last = out[out.length - 1];
    if (last && last.span.start === e.span.start && last.span.end === e.span.end && last.newText === e.newText) continue;
    if (last && e.span.start < last.span.end) continue; // overlapping: keep the first
    out.push(e);
  }
  return out;
}

/** Applies non-overlapping edits sorted by position. */
export function applyAll(text: string, edits: TextEdit[]): string {
  let out = '';
  let at = 0;
  for (const e of edits) {
    out += text.slice(at, e.span.start) + e.newText;
    at = e.span.end;
  }
  return out + text.slice(at);
}

function applyEdits(text: string, span: Span, edits: TextEdit[]): string {
  const start = Math.min(span.start, ...edits.map((e) => e.span.start));
  const end = Math.max(span.end, ...edits.map((e) => e.span.end));
  const local = edits
    .map((e) => ({ span: { start: e.span.start - start, end: e.span.end - start }, newText: e.newText }))
    .sort((a, b) => a.span.start - b.span.start);
  return applyAll(text.slice(start, end), local);
}
