import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { lint } from '../../../server/src/engine/lint';
import { parseDocument } from '../../../server/src/engine/model/parser';
import type { ParsedDocument } from '../../../server/src/engine/model/types';
import { resolveReferences } from '../../../server/src/engine/refs/resolve';
import type { Reference } from '../../../server/src/engine/refs/types';
import type { Finding } from '../../../server/src/engine/findings';

export const FIX = path.resolve(__dirname, '../../../../test/fixtures/refs');
export const read = (name: string): string => readFileSync(path.join(FIX, name), 'utf8');

export function refsOf(text: string): { doc: ParsedDocument; refs: Reference[] } {
  const doc = parseDocument(text);
  return { doc, refs: resolveReferences(doc).all };
}

/** The references whose written text is `t`, in order. */
export function byText(refs: Reference[], t: string): Reference[] {
  return refs.filter((r) => r.text === t);
}

export function labels(r: Reference | undefined): string[] {
  return r ? r.targets.map((u) => u.label) : [];
}

/** broken-reference findings; `template` defaults to auto (the tokki/tokuyaku seeds get their template). */
export function brokenRefs(text: string, template = 'auto'): Finding[] {
  return lint(text, { only: ['broken-reference'], settings: { template } }).findings;
}

/** 1-based line of an offset. */
export function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/** Applies edits (non-overlapping) to a text. */
export function applyEdits(text: string, edits: { span: { start: number; end: number }; newText: string }[]): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

/** Replaces exactly one occurrence (throws when there is none or several). */
export function replaceOnce(text: string, from: string, to: string): string {
  const i = text.indexOf(from);
  if (i < 0 || text.indexOf(from, i + 1) >= 0) throw new Error(`not exactly one "${from}"`);
  return text.slice(0, i) + to + text.slice(i + from.length);
}
