/** Shared helpers of the form tests: fixtures, the blank form in several layouts, findings as text. */
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { lint } from '../../../server/src/engine/lint';
import { LineIndex } from '../../../server/src/engine/text/lines';

export const FIX = path.resolve(__dirname, '../../../../test/fixtures');

export function fixture(rel: string): string {
  return readFileSync(path.join(FIX, rel), 'utf8');
}

export function fixtureNames(dir: string): string[] {
  return readdirSync(path.join(FIX, dir))
    .filter((f) => f.endsWith('.txt'))
    .sort();
}

/** The form part of a text: from the line 別記様式 (or the title) on. */
export function formPart(text: string): string {
  const i = text.search(/^別記様式/m);
  return i >= 0 ? text.slice(i) : text.slice(text.search(/^機密データの保存等に関する届出書/m));
}

/** The seed's 特記事項 with its 別記様式 in the PDF-extracted layout. */
export const SEED = () => fixture('seeds/004_5803deb95195d81e.txt');

export interface Seen {
  id: string;
  level: string;
  /** 1-based line of the finding's start. */
  line: number;
  /** The finding's text (its span in the source). */
  text: string;
  data: Record<string, string | number>;
}

/** form-completeness findings of `text`, as text. */
export function formFindings(text: string, settings = {}): Seen[] {
  const lines = new LineIndex(text);
  return lint(text, { only: ['form-completeness'], settings }).findings.map((f) => ({
    id: f.messageId,
    level: f.level,
    line: lines.positionAt(f.span.start).line + 1,
    text: text.slice(f.span.start, f.span.end),
    data: f.data,
  }));
}

/** Replaces the first occurrence of `from` at or after the line containing `after` (default: anywhere). */
export function edit(text: string, from: string, to: string, after?: string): string {
  const base = after === undefined ? 0 : text.indexOf(after);
  if (base < 0) throw new Error(`edit: anchor not found: ${after}`);
  const i = text.indexOf(from, base);
  if (i < 0) throw new Error(`edit: text not found: ${from}`);
  return text.slice(0, i) + to + text.slice(i + from.length);
}
