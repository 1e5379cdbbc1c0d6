/** Building and mapping TextBlocks (logical text joined from source lines). */
import type { BlockSegment, Span, TextBlock } from '../model/types';
import { intern } from './intern';

/** Accumulates source slices into one logical text with its offset map; `build` hands them over once. */
export class BlockBuilder {
  private text = '';
  private segs: BlockSegment[] = [];

  get length(): number {
    return this.text.length;
  }

  /** Appends source[srcStart, srcStart + s.length) — `s` must equal that slice. */
  append(s: string, srcStart: number): void {
    if (s.length === 0) return;
    const last = this.segs[this.segs.length - 1];
    if (last && last.length > 0 && last.srcStart + last.length === srcStart && last.textStart + last.length === this.text.length) {
      last.length += s.length;
    } else {
      this.segs.push({ textStart: this.text.length, srcStart, length: s.length });
    }
    this.text += s;
  }

  /** Appends text that has no source (e.g. a space joining two Latin words across a line break). */
  appendSynthetic(s: string, atSrc: number): void {
    if (s.length === 0) return;
    // Synthetic characters map to the source offset where they were inserted, with zero width.
    this.segs.push({ textStart: this.text.length, srcStart: atSrc, length: -s.length });
    this.text += s;
  }

  /**
   * The block (null when nothing was appended). The builder starts over empty: its segments now
   * belong to the block (one parse makes ~20,000 blocks; copying them was garbage on every edit).
   */
  build(): TextBlock | null {
    if (this.text.length === 0) return null;
    const segs = this.segs;
    const text = this.text;
    this.segs = [];
    this.text = '';
    const first = segs[0];
    const last = segs[segs.length - 1];
    return {
      // a block's text must not keep the document it was cut from alive (memos keep block texts),
      // and the same text after an edit is the same string object (fast memo lookups)
      text: intern(text),
      segs,
      span: { start: first.srcStart, end: last.srcStart + Math.max(0, last.length) },
    };
  }
}

function segLength(g: BlockSegment): number {
  return Math.abs(g.length);
}

/** Index of the segment holding logical position i (0 ≤ i < text.length): a binary search. */
function segmentAt(segs: readonly BlockSegment[], i: number): number {
  let lo = 0;
  let hi = segs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segs[mid].textStart <= i) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Source offset of logical position i (0 ≤ i ≤ text.length). */
export function blockOffset(block: TextBlock, i: number): number {
  const segs = block.segs;
  if (i <= 0) return segs[0].srcStart;
  if (i >= block.text.length) return block.span.end;
  const g = segs[segmentAt(segs, i)];
  if (g.length < 0) return g.srcStart; // synthetic
  return g.srcStart + (i - g.textStart);
}

/** Source span of logical range [start, end). The end maps just past the last character. */
export function blockSpan(block: TextBlock, start: number, end: number): Span {
  const s = blockOffset(block, start);
  if (end <= start) return { start: s, end: s };
  const e = blockOffset(block, end - 1);
  // end - 1 is a real character (or synthetic): map past it.
  const last = isSynthetic(block, end - 1) ? e : e + 1;
  if (s <= last) return { start: s, end: last };
  // A block joined from units out of their source order (a revision's split or merge of a
  // damaged draft) runs backwards across a join: the span covers every piece of the range.
  let lo = Math.min(s, last);
  let hi = Math.max(s, last);
  const segs = block.segs;
  for (let k = segmentAt(segs, start); k < segs.length && segs[k].textStart < end; k++) {
    const g = segs[k];
    if (g.length < 0) continue;
    const from = g.srcStart + Math.max(0, start - g.textStart);
    const to = g.srcStart + Math.min(g.length, end - g.textStart);
    lo = Math.min(lo, from);
    hi = Math.max(hi, to);
  }
  return { start: lo, end: hi };
}

function isSynthetic(block: TextBlock, i: number): boolean {
  if (i < 0 || i >= block.text.length) return false;
  const g = block.segs[segmentAt(block.segs, i)];
  return g.length < 0 && i < g.textStart + segLength(g);
}

/** A block covering one contiguous source slice. */
export function sliceBlock(source: string, start: number, end: number): TextBlock | null {
  const b = new BlockBuilder();
  b.append(source.slice(start, end), start);
  return b.build();
}

/** Sub-block of logical range [start, end), keeping the mapping. */
export function subBlock(block: TextBlock, start: number, end: number): TextBlock | null {
  const b = new BlockBuilder();
  for (const g of block.segs) {
    const len = segLength(g);
    const gs = Math.max(start, g.textStart);
    const ge = Math.min(end, g.textStart + len);
    if (gs >= ge) continue;
    const piece = block.text.slice(gs, ge);
    if (g.length < 0) b.appendSynthetic(piece, g.srcStart);
    else b.append(piece, g.srcStart + (gs - g.textStart));
  }
  return b.build();
}

/**
 * Appends `b` to `a` in place (no separator) and returns `a` (`b` when `a` is null): for a block
 * still being put together that nothing else holds — the parser's unit bodies, which take the
 * lines without a number of their own one by one. `concatBlocks` copies `a`: thousands of such
 * lines joined that way were quadratic.
 */
export function appendBlock(a: TextBlock | null, b: TextBlock | null): TextBlock | null {
  if (!a) return b;
  if (!b) return a;
  const base = a.text.length;
  for (const g of b.segs) a.segs.push({ textStart: g.textStart + base, srcStart: g.srcStart, length: g.length });
  a.text += b.text;
  a.span = { start: a.span.start, end: b.span.end };
  return a;
}

/** Concatenates two blocks (no separator), keeping both mappings. */
export function concatBlocks(a: TextBlock | null, b: TextBlock | null): TextBlock | null {
  if (!a) return b;
  if (!b) return a;
  const segs = [...a.segs.map((g) => ({ ...g }))];
  for (const g of b.segs) segs.push({ textStart: g.textStart + a.text.length, srcStart: g.srcStart, length: g.length });
  // (the span covers both whatever their order: blocks of a damaged draft's units joined in
  // document order of the units can lie the other way round)
  return { text: a.text + b.text, segs, span: { start: Math.min(a.span.start, b.span.start), end: Math.max(a.span.end, b.span.end) } };
}
