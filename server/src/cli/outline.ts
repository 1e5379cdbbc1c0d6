/**
 * `keiyaku-lint outline FILE`: the document tree as JSON, for people and for acceptance tests.
 * Every node carries its kind, label, number, heading, (start of its) body text, 1-based line
 * range and children; then the free text, the parse problems and a small summary.
 */
import { catalogues, formatMessage, type Locale } from '../engine/i18n/messages';
import type { FreeText, ParsedDocument, Span, TextBlock, Unit } from '../engine/model/types';
import { LineIndex } from '../engine/text/lines';

export const OUTLINE_TEXT_LIMIT = 80;

export interface OutlineOptions {
  locale: Locale;
  /** Full body text instead of the first 80 characters. */
  full: boolean;
}

export interface OutlineLines {
  /** 1-based, inclusive. */
  start: number;
  end: number;
}

export interface OutlineUnit {
  kind: Unit['kind'];
  label: string;
  number: { value: number[]; raw: string; style: string; jo?: boolean } | null;
  heading: string | null;
  text: string | null;
  lines: OutlineLines;
  children: OutlineUnit[];
}

export interface Outline {
  filePath: string;
  title: string | null;
  units: OutlineUnit[];
  free: { role: FreeText['role']; text: string; lines: OutlineLines }[];
  problems: { code: string; message: string; line: number; column: number; data?: Record<string, string | number> }[];
  conventions: ParsedDocument['conventions'];
  summary: { articles: number; annexes: number; units: number; problems: number };
}

function lineRange(span: Span, lines: LineIndex): OutlineLines {
  const start = lines.positionAt(span.start).line + 1;
  // A span that ends just after a line break ends on the line before.
  const end = lines.positionAt(Math.max(span.start, span.end - 1)).line + 1;
  return { start, end };
}

function blockText(b: TextBlock | null, full: boolean): string | null {
  if (!b) return null;
  if (full || b.text.length <= OUTLINE_TEXT_LIMIT) return b.text;
  // Do not cut a surrogate pair in half.
  let cut = OUTLINE_TEXT_LIMIT;
  const c = b.text.charCodeAt(cut - 1);
  if (c >= 0xd800 && c <= 0xdbff) cut--;
  return b.text.slice(0, cut) + '…';
}

function problemMessage(locale: Locale, code: string, data: Record<string, string | number> | undefined): string {
  for (const key of [`parse:${code}`, `input:${code}`]) {
    if (catalogues[locale][key] !== undefined || catalogues.ja[key] !== undefined) return formatMessage(locale, key, data);
  }
  return code;
}

export function buildOutline(doc: ParsedDocument, filePath: string, opts: OutlineOptions): Outline {
  const lines = new LineIndex(doc.text);
  let count = 0;
  const unit = (u: Unit): OutlineUnit => {
    count++;
    return {
      kind: u.kind,
      label: u.label,
      number: u.number
        ? {
            value: u.number.value,
            raw: u.number.raw,
            style: u.number.style,
            ...(u.number.jo !== undefined ? { jo: u.number.jo } : {}),
          }
        : null,
      heading: u.heading ? u.heading.text : null,
      text: blockText(u.body, opts.full),
      lines: lineRange(u.span, lines),
      children: u.children.map(unit),
    };
  };
  const units = doc.units.map(unit);
  return {
    filePath,
    title: doc.title ? doc.title.block.text : null,
    units,
    free: doc.free.map((f) => ({ role: f.role, text: blockText(f.block, opts.full) ?? '', lines: lineRange(f.block.span, lines) })),
    problems: doc.problems.map((p) => {
      const pos = lines.positionAt(p.span.start);
      return {
        code: p.code,
        message: problemMessage(opts.locale, p.code, p.data),
        line: pos.line + 1,
        column: pos.character + 1,
        ...(p.data ? { data: p.data } : {}),
      };
    }),
    conventions: doc.conventions,
    summary: { articles: doc.articles.length, annexes: doc.annexes.length, units: count, problems: doc.problems.length },
  };
}

export function formatOutline(o: Outline): string {
  return JSON.stringify(o, null, 2) + '\n';
}
