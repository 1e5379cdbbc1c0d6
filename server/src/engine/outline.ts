/**
 * The structure of a parsed document as editors show it: the outline (章/節, 条/項/号, 別紙 and
 * its sections), folding spans, and the unit under a given offset. Editor-agnostic: spans are
 * offsets into the original text; the language server turns them into LSP ranges.
 *
 * Engine code: imports nothing from `vscode` or the LSP libraries.
 */
import type { ParsedDocument, Span, Unit, UnitKind } from './model/types';
import { paragraphNumber } from './refs/resolve';

export interface OutlineNode {
  unit: Unit;
  kind: UnitKind;
  /** What the outline shows: the number as written (「第１」, 「第3条」, 「２」→「第2項」, 「(1)」, 「別紙」). */
  name: string;
  /** The heading, else the start of the unit's text. */
  detail: string;
  /** The whole unit (heading line included), without the blank lines after it. */
  span: Span;
  /** What to select: the number (or the heading when there is no number). */
  selectionSpan: Span;
  children: OutlineNode[];
}

const DETAIL_CHARS = 30;

/** The unit's span without trailing blanks and line breaks (a unit's span runs up to the next unit). */
export function trimmedSpan(text: string, span: Span): Span {
  let end = span.end;
  while (end > span.start && /\s/.test(text[end - 1])) end--;
  let start = span.start;
  while (start < end && /[ \t\u3000]/.test(text[start])) start++;
  return { start, end: Math.max(start, end) };
}

/** Where the unit begins: its heading when the heading line precedes its number. */
export function unitStart(u: Unit): number {
  const numberStart = u.number?.span.start ?? u.span.start;
  return u.heading && u.heading.span.start < numberStart ? Math.min(u.heading.span.start, u.span.start) : u.span.start;
}

/** The unit's extent, heading line included, without the blank lines after it. */
export function unitExtent(text: string, u: Unit): Span {
  return trimmedSpan(text, { start: unitStart(u), end: u.span.end });
}

/** A paragraph written without a number (the first one of an article), i.e. the article's own text. */
function implicitParagraph(u: Unit): boolean {
  return u.kind === 'paragraph' && u.number === null;
}

function shortText(s: string): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  if (flat.length <= DETAIL_CHARS) return flat;
  let cut = DETAIL_CHARS;
  const c = flat.charCodeAt(cut - 1);
  if (c >= 0xd800 && c <= 0xdbff) cut--;
  return `${flat.slice(0, cut)}…`;
}

function nameOf(u: Unit): string {
  switch (u.kind) {
    case 'paragraph':
      return `第${paragraphNumber(u)}項`;
    case 'annex':
      return u.number?.raw.trim() || u.label;
    default:
      return u.number?.raw.trim() || u.heading?.text || u.label;
  }
}

function detailOf(u: Unit): string {
  if (u.heading?.text) return u.heading.text;
  const body = u.body?.text ?? (u.children[0] && implicitParagraph(u.children[0]) ? u.children[0].body?.text : undefined);
  return body ? shortText(body) : '';
}

/**
 * The outline of a document: top-level units (chapters or articles, then annexes) with their
 * descendants. An article that has only its own (unnumbered) paragraph shows no children; an
 * article with several paragraphs lists them all, the first as 第1項.
 */
export function documentOutline(doc: ParsedDocument): OutlineNode[] {
  const text = doc.text;
  const node = (u: Unit): OutlineNode => {
    const span = unitExtent(text, u);
    const sel = u.number?.span ?? u.heading?.span ?? { start: span.start, end: Math.min(span.end, span.start + 1) };
    let kids = u.children;
    // An article written as one unnumbered paragraph: its items are the article's children.
    if (u.kind === 'article' && kids.length === 1 && implicitParagraph(kids[0])) kids = kids[0].children;
    return {
      unit: u,
      kind: u.kind,
      name: nameOf(u),
      detail: detailOf(u),
      span,
      selectionSpan: { start: Math.max(span.start, sel.start), end: Math.min(span.end, Math.max(sel.end, sel.start)) },
      children: kids.map(node),
    };
  };
  return doc.units.map(node);
}

/** Kinds that fold: chapters and the like, articles, annexes and their sections. */
const FOLDING: ReadonlySet<UnitKind> = new Set(['part', 'chapter', 'division', 'article', 'annex', 'annexSection', 'annexSubsection']);

/** Spans that fold (one per article, annex and annex section; chapters too), in document order. */
export function foldingSpans(doc: ParsedDocument): Span[] {
  const out: Span[] = [];
  const walk = (u: Unit): void => {
    if (FOLDING.has(u.kind)) out.push(unitExtent(doc.text, u));
    for (const c of u.children) walk(c);
  };
  for (const u of doc.units) walk(u);
  return out.sort((a, b) => a.start - b.start || b.end - a.end);
}

/** Every unit containing `offset`, outermost first (chapter → article → paragraph → item …). */
export function unitPathAt(doc: ParsedDocument, offset: number): Unit[] {
  const path: Unit[] = [];
  let level: readonly Unit[] = doc.units;
  for (;;) {
    const hit = level.find((u) => {
      const e = unitExtent(doc.text, u);
      return e.start <= offset && offset <= e.end;
    });
    if (!hit) return path;
    path.push(hit);
    level = hit.children;
  }
}

/**
 * The unit a position is about: on an article's heading or number line, the article; inside a
 * paragraph or item, the innermost one (an article's unnumbered first paragraph counts as the
 * article itself). Null outside every unit.
 */
export function unitAt(doc: ParsedDocument, offset: number): Unit | null {
  const path = unitPathAt(doc, offset);
  if (path.length === 0) return null;
  // Deepest unit that is not a chapter-like container.
  let pick: Unit | null = null;
  for (const u of path) {
    if (u.kind === 'part' || u.kind === 'chapter' || u.kind === 'division') {
      pick = pick ?? u;
      continue;
    }
    pick = u;
    // On the unit's own number or heading: that unit, not a child.
    const head = headLineEnd(doc.text, u);
    if (offset < head) break;
  }
  if (pick && implicitParagraph(pick)) {
    const article = path[path.indexOf(pick) - 1];
    if (article?.kind === 'article') return article;
  }
  return pick;
}

/** End of the line holding the unit's number (heading lines before it included). */
function headLineEnd(text: string, u: Unit): number {
  const from = u.number?.span.end ?? u.heading?.span.end ?? u.span.start;
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl;
}

/** The article holding `u` (u itself when it is one), given the path from unitPathAt. */
export function articleIn(path: readonly Unit[]): Unit | null {
  return path.find((u) => u.kind === 'article') ?? null;
}
