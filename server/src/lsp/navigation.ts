/**
 * Navigation and views over one document, as LSP values: the outline (document symbols),
 * folding ranges, go to definition / find references / document links on the references a
 * draft writes (第５により, 前項, 別紙…), the hover (an article's or paragraph's canonical text with
 * the differences marked; a reference's target text) and the code lenses per article
 * (「標準と一致」, 「相違 N 件」, 「標準にない条項」).
 *
 * Pure functions of the parsed document (and, for hover and lenses, of the lint result); the
 * registration with the connection is in editor.ts.
 */
import {
  CodeLens,
  DocumentLink,
  DocumentSymbol,
  FoldingRange,
  FoldingRangeKind,
  Hover,
  Location,
  LocationLink,
  MarkupKind,
  Position,
  Range,
  SymbolInformation,
  SymbolKind,
} from 'vscode-languageserver';
import type { Analysis } from '../engine/analysis';
import { formatMessage, type Locale } from '../engine/i18n/messages';
import type { ParsedDocument, Span, Unit, UnitKind } from '../engine/model/types';
import { documentOutline, foldingSpans, unitAt, unitExtent, type OutlineNode } from '../engine/outline';
import { definitionAt, getReferences, referenceAt as refAt, referencesTo, type Reference } from '../engine/refs';
import { articleStatuses, compareWithStandard, type DiffSegment } from '../engine/standard-view';
import type { LineIndex } from '../engine/text/lines';
import type { Tokenizer } from '../engine/tokenizer/types';
import { rangeOf } from './diagnostics';

/** The client command a code lens runs: opens the compare view at the article (arguments: uri, line). */
export const COMPARE_COMMAND = 'keiyakuLint.compareWithStandard';

export interface DocView {
  uri: string;
  doc: ParsedDocument;
  lines: LineIndex;
}

// ---------------------------------------------------------------------------------------------
// Outline and folding

const SYMBOL_KIND: Record<UnitKind, SymbolKind> = {
  part: SymbolKind.Package,
  chapter: SymbolKind.Namespace,
  division: SymbolKind.Namespace,
  article: SymbolKind.Class,
  paragraph: SymbolKind.Field,
  item: SymbolKind.EnumMember,
  subitem: SymbolKind.EnumMember,
  annex: SymbolKind.Module,
  annexSection: SymbolKind.Class,
  annexSubsection: SymbolKind.Field,
};

export function documentSymbols(v: DocView): DocumentSymbol[] {
  const toSymbol = (n: OutlineNode): DocumentSymbol => ({
    name: n.name,
    detail: n.detail,
    kind: SYMBOL_KIND[n.kind],
    range: rangeOf(v.lines, n.span),
    selectionRange: rangeOf(v.lines, n.selectionSpan),
    children: n.children.map(toSymbol),
  });
  return documentOutline(v.doc).map(toSymbol);
}

/** The flat form, for clients without hierarchical symbols. */
export function symbolInformation(v: DocView): SymbolInformation[] {
  const out: SymbolInformation[] = [];
  const walk = (s: DocumentSymbol, container?: string): void => {
    out.push({ name: s.detail ? `${s.name} ${s.detail}` : s.name, kind: s.kind, location: Location.create(v.uri, s.range), containerName: container });
    for (const c of s.children ?? []) walk(c, s.name);
  };
  for (const s of documentSymbols(v)) walk(s);
  return out;
}

export function foldingRanges(v: DocView): FoldingRange[] {
  const out: FoldingRange[] = [];
  const seen = new Set<string>();
  for (const s of foldingSpans(v.doc)) {
    const start = v.lines.positionAt(s.start).line;
    const end = v.lines.positionAt(s.end).line;
    const key = `${start}:${end}`;
    if (end <= start || seen.has(key)) continue;
    seen.add(key);
    out.push({ startLine: start, endLine: end, kind: FoldingRangeKind.Region });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// References

/** The internal reference written at `offset` (the innermost one; its written heading included); external citations are not. */
export function referenceAt(doc: ParsedDocument, offset: number): Reference | null {
  const r = refAt(doc, offset);
  return r && r.kind !== 'external' ? r : null;
}

/** What to select at a unit: its number (or heading). */
function selectionSpan(u: Unit): Span {
  return u.number?.span ?? u.heading?.span ?? { start: u.span.start, end: u.span.start };
}

export function definition(v: DocView, pos: Position, linkSupport: boolean): Location[] | LocationLink[] | null {
  const offset = v.lines.offsetAt(pos);
  const r = referenceAt(v.doc, offset);
  // The unit of the component under the cursor (第3条 of 第3条第2項), else the reference's targets.
  const targets = r ? definitionAt(v.doc, offset) : [];
  if (!r || targets.length === 0) return null;
  if (linkSupport) {
    const origin = rangeOf(v.lines, r.span);
    return targets.map((t) => LocationLink.create(v.uri, rangeOf(v.lines, unitExtent(v.doc.text, t)), rangeOf(v.lines, selectionSpan(t)), origin));
  }
  return targets.map((t) => Location.create(v.uri, rangeOf(v.lines, selectionSpan(t))));
}

/**
 * Every reference to the unit at the position (on a reference: to its target; elsewhere: to the
 * article or paragraph the position is in), references to its paragraphs and items included.
 */
export function references(v: DocView, pos: Position, includeDeclaration: boolean): Location[] {
  const offset = v.lines.offsetAt(pos);
  const r = referenceAt(v.doc, offset);
  const targets = r ? definitionAt(v.doc, offset) : [unitAt(v.doc, offset)].filter((u): u is Unit => u !== null);
  if (targets.length === 0) return [];
  const out: Location[] = [];
  if (includeDeclaration) for (const t of targets) out.push(Location.create(v.uri, rangeOf(v.lines, selectionSpan(t))));
  const found = new Set<Reference>();
  for (const t of targets) for (const ref of referencesTo(v.doc, t)) found.add(ref);
  for (const ref of [...found].sort((a, b) => a.span.start - b.span.start)) out.push(Location.create(v.uri, rangeOf(v.lines, ref.span)));
  return out;
}

export function documentLinks(v: DocView, locale: Locale): DocumentLink[] {
  const out: DocumentLink[] = [];
  for (const r of getReferences(v.doc).all) {
    if (r.kind === 'external' || r.targets.length === 0) continue;
    const t = r.targets[0];
    const line = v.lines.positionAt(selectionSpan(t).start).line;
    out.push({
      range: rangeOf(v.lines, r.span),
      target: `${v.uri.replace(/#.*$/, '')}#L${line + 1}`,
      tooltip: formatMessage(locale, 'server:link-tooltip', { ref: unitTitle(t) }),
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Hover

const MAX_HOVER_CHARS = 1200;

/** Markdown-escapes text (the characters that would start emphasis, code, links or HTML). */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_~[\]<>#|]/g, (c) => `\\${c}`);
}

function unitTitle(u: Unit): string {
  const num = u.number?.raw.trim() || u.label;
  return u.heading?.text ? `${num}（${u.heading.text}）` : num;
}

function unitTextOf(u: Unit): string {
  const own = u.body?.text ?? '';
  const kids = u.children.map((c) => [c.number?.raw ?? '', unitTextOf(c)].filter(Boolean).join(' '));
  return [own, ...kids].filter(Boolean).join('\n');
}

function clip(s: string): string {
  return s.length > MAX_HOVER_CHARS ? `${s.slice(0, MAX_HOVER_CHARS)}…` : s;
}

function lines(s: string): string {
  return s
    .split('\n')
    .map((l) => escapeMarkdown(l))
    .join('  \n');
}

/** Diff segments as Markdown: ~~deleted~~ (in the standard, not in the draft), **inserted** (added in the draft). */
export function markSegments(segs: readonly DiffSegment[]): string {
  const mark = (t: string, op: DiffSegment['op']): string => {
    if (!t.trim() || op === 'same') return t;
    // emphasis does not run across line breaks: mark each line, keeping the blanks around it outside
    const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(t)!;
    return `${m[1]}${op === 'del' ? `~~${m[2]}~~` : `**${m[2]}**`}${m[3]}`;
  };
  return segs
    .map((x) =>
      escapeMarkdown(x.text)
        .split('\n')
        .map((line) => mark(line, x.op))
        .join('  \n'),
    )
    .join('');
}

export interface HoverInput extends DocView {
  analysis: Analysis | null;
  tokenizer: Tokenizer | null;
  locale: Locale;
}

export function hover(v: HoverInput, pos: Position): Hover | null {
  const offset = v.lines.offsetAt(pos);
  const r = referenceAt(v.doc, offset);
  if (r) return referenceHover(v, r);
  const u = unitAt(v.doc, offset);
  if (!u || u.kind === 'part' || u.kind === 'chapter' || u.kind === 'division') return null;
  return unitHover(v, u);
}

function referenceHover(v: HoverInput, r: Reference): Hover {
  const range = rangeOf(v.lines, r.span);
  if (r.targets.length === 0) {
    return { range, contents: { kind: MarkupKind.Markdown, value: escapeMarkdown(formatMessage(v.locale, 'server:hover-unresolved', { ref: r.text })) } };
  }
  const parts = r.targets.slice(0, 3).map((t) => `**${escapeMarkdown(unitTitle(t))}**\n\n${lines(clip(unitTextOf(t)))}`);
  if (r.targets.length > 3) parts.push(escapeMarkdown(formatMessage(v.locale, 'server:hover-more', { count: r.targets.length - 3 })));
  return { range, contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n---\n\n') } };
}

function unitHover(v: HoverInput, u: Unit): Hover | null {
  const stage = v.analysis?.clause;
  const template = stage?.template;
  if (!template || !stage?.alignment) return null;
  const range = rangeOf(v.lines, unitExtent(v.doc.text, u));
  const cmp = compareWithStandard(v.doc, stage, u, v.tokenizer);
  if (!cmp) {
    if (u.kind !== 'article' && u.kind !== 'annex') return null;
    return { range, contents: { kind: MarkupKind.Markdown, value: escapeMarkdown(formatMessage(v.locale, 'server:hover-not-in-standard', { template: template.name })) } };
  }
  const ref = cmp.canonical.kind === 'article' || cmp.canonical.kind === 'annex' ? cmp.canonical.number?.raw.trim() || cmp.canonical.label : cmp.canonical.label;
  const head = `**${escapeMarkdown(formatMessage(v.locale, 'server:hover-standard', { template: template.name, ref }))}**`;
  const out: string[] = [head];
  if (cmp.identical) {
    out.push(escapeMarkdown(formatMessage(v.locale, 'server:hover-identical')));
    out.push(lines(clip(cmp.canonicalText)));
    return { range, contents: { kind: MarkupKind.Markdown, value: out.join('\n\n') } };
  }
  out.push(lines(clip(cmp.canonicalText)));
  out.push('---');
  // The legend is Markdown from the catalogue (it shows the marks it explains).
  out.push(formatMessage(v.locale, 'server:hover-differences'));
  if (cmp.granularity === 'char') out.push(`*${escapeMarkdown(formatMessage(v.locale, 'server:hover-char-diff'))}*`);
  let budget = MAX_HOVER_CHARS * 2;
  for (const b of cmp.blocks) {
    const changed = (segs: readonly DiffSegment[] | undefined) => !!segs && segs.some((x) => x.op !== 'same' && x.text.trim() !== '');
    if (!b.whole && !changed(b.heading) && !changed(b.segments)) continue; // only what differs
    if (budget <= 0) {
      out.push('…');
      break;
    }
    const heading = changed(b.heading) ? `（${markSegments(b.heading ?? [])}）  \n` : '';
    const body = markSegments(b.segments);
    const num = b.number && !b.whole ? `${escapeMarkdown(b.number)} ` : '';
    const text = `${heading}${num}${body}`;
    budget -= text.length;
    out.push(text);
  }
  return { range, contents: { kind: MarkupKind.Markdown, value: out.join('\n\n') } };
}

// ---------------------------------------------------------------------------------------------
// Code lenses

export function codeLenses(v: DocView, analysis: Analysis | null, locale: Locale): CodeLens[] {
  if (!analysis) return [];
  const out: CodeLens[] = [];
  for (const s of articleStatuses(analysis)) {
    const start = unitExtent(v.doc.text, s.unit).start;
    const line = v.lines.positionAt(start).line;
    const range: Range = { start: { line, character: 0 }, end: { line, character: 0 } };
    let title: string;
    switch (s.status) {
      case 'match':
        title = formatMessage(locale, 'server:lens-match');
        break;
      case 'extra':
        title = formatMessage(locale, 'server:lens-extra');
        break;
      case 'pending':
        title = formatMessage(locale, 'server:lens-pending');
        break;
      default:
        title = formatMessage(locale, s.count === 1 ? 'server:lens-differs-one' : 'server:lens-differs', { count: s.count });
    }
    out.push({ range, command: { title, command: COMPARE_COMMAND, arguments: [v.uri, line] } });
  }
  return out;
}
