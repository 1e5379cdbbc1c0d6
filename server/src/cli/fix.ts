/**
 * --fix: apply the findings' safe fixes, as ESLint does — non-overlapping fixes in one pass,
 * then lint again and repeat (at most MAX_PASSES) until no safe fix is left or the text stops changing.
 */
import type { Finding, Fix, TextEdit } from '../engine/findings';

export const MAX_PASSES = 10;

export interface FixOutcome {
  /** The text after every pass. */
  text: string;
  /** Number of fixes applied over all passes. */
  fixed: number;
  passes: number;
}

/** The first safe fix of a finding, if any, with well-formed, non-overlapping edits. */
export function safeFix(f: Finding, textLength: number): Fix | undefined {
  for (const fix of f.fixes ?? []) {
    if (!fix.safe || fix.edits.length === 0) continue;
    const edits = [...fix.edits].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
    let ok = true;
    let prevEnd = -1;
    for (const e of edits) {
      if (e.span.start < 0 || e.span.end < e.span.start || e.span.end > textLength || e.span.start < prevEnd) ok = false;
      prevEnd = e.span.end;
    }
    if (ok) return { ...fix, edits };
  }
  return undefined;
}

/**
 * Applies as many of the findings' safe fixes as do not overlap (earlier findings first).
 * Two edits overlap when their ranges intersect or when both insert at the same point, or
 * when one ends where the next starts (left for the next pass, as ESLint does).
 */
export function applyOnePass(text: string, findings: readonly Finding[]): { text: string; applied: number } {
  const chosen: TextEdit[] = [];
  let applied = 0;
  const candidates = findings
    .map((f) => safeFix(f, text.length))
    .filter((x): x is Fix => x !== undefined)
    .sort((a, b) => a.edits[0].span.start - b.edits[0].span.start);
  for (const fix of candidates) {
    const clashes = fix.edits.some((e) => chosen.some((c) => e.span.start <= c.span.end && c.span.start <= e.span.end));
    if (clashes) continue;
    // A fix that changes nothing would loop forever; skip it.
    if (fix.edits.every((e) => text.slice(e.span.start, e.span.end) === e.newText)) continue;
    chosen.push(...fix.edits);
    applied++;
  }
  if (applied === 0) return { text, applied: 0 };
  chosen.sort((a, b) => b.span.start - a.span.start);
  let out = text;
  for (const e of chosen) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return { text: out, applied };
}

/** Lints and fixes repeatedly. `lintText` returns the findings of a text. */
export function fixText(text: string, lintText: (t: string) => readonly Finding[]): FixOutcome {
  let current = text;
  let fixed = 0;
  let passes = 0;
  const seen = new Set<string>([current]);
  while (passes < MAX_PASSES) {
    const { text: next, applied } = applyOnePass(current, lintText(current));
    passes++;
    if (applied === 0 || next === current) break;
    fixed += applied;
    current = next;
    // Fixes that undo each other: stop rather than oscillate.
    if (seen.has(current)) break;
    seen.add(current);
  }
  return { text: current, fixed, passes };
}
