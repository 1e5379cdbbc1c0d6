/** Where a missing unit goes: before the next present sibling, else after the previous one. */
import type { UnitPair } from '../../align/align';
import { bigramProfile, containment, normalizeForCompare, type BigramProfile } from '../../align/normalize';
import type { Parties } from '../../templates';
import { bodiesText } from '../../model/walk';
import type { Span, Unit } from '../../model/types';
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

/** Share of a standard unit's text found in one draft article for it to count as moved there. */
const FOUND = 0.85;

const draftProfiles = new WeakMap<Unit, BigramProfile>();

/**
 * The draft article that holds a standard unit's text although the alignment did not pair them:
 * articles merged into one, or an article split in two (its paragraphs moved to a new article).
 */
export function foundElsewhere(ctx: RuleContext, c: Unit, canonical: Parties, draft: Parties): Unit | null {
  const text = normalizeForCompare(bodiesText(c), canonical);
  if (text.length < 8) return null;
  const cp = bigramProfile(text);
  for (const d of ctx.doc.articles) {
    let dp = draftProfiles.get(d);
    if (!dp) draftProfiles.set(d, (dp = bigramProfile(normalizeForCompare(bodiesText(d), draft))));
    if (containment(cp, dp) >= FOUND) return d;
  }
  return null;
}
