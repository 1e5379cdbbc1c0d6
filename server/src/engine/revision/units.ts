/** Small helpers over units for the revision report: references, full text, similarity. */
import { bigramProfile, containment as profileContainment, normalizeForCompare, profileSimilarity } from '../align/normalize';
import type { ParsedDocument, Unit } from '../model/types';
import { LineIndex } from '../text/lines';
import type { Parties } from '../templates';
import type { UnitRef } from './types';

/** The label of a unit, with chapters written 第5章の2 (the parser's label says 第5の2章). */
export function displayLabel(u: Unit): string {
  if ((u.kind === 'chapter' || u.kind === 'part' || u.kind === 'division') && u.number) {
    const [main, ...branch] = u.number.value;
    const word = u.kind === 'chapter' ? '章' : u.kind === 'part' ? '編' : '節';
    return `第${main}${word}${branch.map((b) => `の${b}`).join('')}`;
  }
  return u.label;
}

/**
 * Logical text of a unit and all its descendants, in document order, one line per unit that has
 * text (similarity ignores the line breaks; reports show them).
 */
export function fullText(u: Unit): string {
  const parts: string[] = [];
  const walk = (x: Unit): void => {
    if (x.body) parts.push(x.number && x.kind !== 'article' && !CONTAINER_KINDS.has(x.kind) ? `${x.number.raw}　${x.body.text}` : x.body.text);
    for (const c of x.children) walk(c);
  };
  walk(u);
  return parts.join('\n');
}

const CONTAINER_KINDS = new Set(['part', 'chapter', 'division']);

export class RefMaker {
  private readonly lines: LineIndex;
  private readonly memo = new Map<Unit, UnitRef>();

  constructor(readonly doc: ParsedDocument) {
    this.lines = new LineIndex(doc.text);
  }

  ref(u: Unit): UnitRef {
    const hit = this.memo.get(u);
    if (hit) return hit;
    const start = this.lines.positionAt(u.span.start).line + 1;
    const end = this.lines.positionAt(Math.max(u.span.start, u.span.end - 1)).line + 1;
    const r: UnitRef = {
      kind: u.kind,
      label: displayLabel(u),
      number: u.number?.raw ?? null,
      heading: u.heading?.text ?? null,
      span: { start: u.span.start, end: u.span.end },
      line: start,
      endLine: end,
      text: fullText(u),
    };
    this.memo.set(u, r);
    return r;
  }
}

/** The unit's own number for renumbering: its value (an implicit first paragraph is 1). */
export function ownNumber(u: Unit): string {
  if (u.number) return u.number.value.join('.');
  return u.kind === 'paragraph' ? '1' : '';
}

/** Normalised full text (NFKC, no blanks, parties as roles) for similarity. */
export function normFull(u: Unit | Unit[], parties: Parties): string {
  const list = Array.isArray(u) ? u : [u];
  return normalizeForCompare(list.map(fullText).join(''), parties);
}

export function dice(a: string, b: string): number {
  return profileSimilarity(bigramProfile(a), bigramProfile(b));
}

/** Share of `part`'s character bigrams found in `whole` (0..1). */
export function containment(part: string, whole: string): number {
  return profileContainment(bigramProfile(part), bigramProfile(whole));
}

/** Indices of a longest strictly increasing subsequence (patience sorting). */
export function longestIncreasing(xs: readonly number[]): Set<number> {
  const tails: number[] = [];
  const prev = new Array<number>(xs.length).fill(-1);
  for (let i = 0; i < xs.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (xs[tails[mid]] < xs[i]) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1];
    tails[lo] = i;
  }
  const keep = new Set<number>();
  for (let k = tails.length ? tails[tails.length - 1] : -1; k >= 0; k = prev[k]) keep.add(k);
  return keep;
}
