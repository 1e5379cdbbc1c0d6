/** Walking the document tree. */
import { sliceBlock } from '../text/block';
import type { ParsedDocument, TextBlock, Unit } from './types';

/** Every unit of a document in document order: chapters, articles and their descendants, annexes. */
export function allUnits(doc: ParsedDocument): Unit[] {
  const out: Unit[] = [];
  const walk = (u: Unit): void => {
    out.push(u);
    for (const c of u.children) walk(c);
  };
  for (const u of doc.units) walk(u);
  return out;
}

/** The bodies of a unit and of all its descendants, joined in order (no numbers, no headings). */
export function bodiesText(u: Unit): string {
  const parts: string[] = [];
  const walk = (x: Unit): void => {
    if (x.body) parts.push(x.body.text);
    x.children.forEach(walk);
  };
  walk(u);
  return parts.join('');
}

const headingBlocks = new WeakMap<Unit, TextBlock | null>();

/**
 * A unit's heading text (without its brackets) as a block over the source, or null when it has
 * none. Made once per unit of a parse: the style rules and the reference resolver both read it.
 */
export function headingBlock(doc: ParsedDocument, u: Unit): TextBlock | null {
  // most units (paragraphs, items) have no heading: no memo entry for them
  if (!u.heading || u.heading.text.length === 0) return null;
  let b = headingBlocks.get(u);
  if (b === undefined) {
    b = makeHeadingBlock(doc.text, u);
    headingBlocks.set(u, b);
  }
  return b;
}

function makeHeadingBlock(source: string, u: Unit): TextBlock | null {
  const h = u.heading;
  if (!h || h.text.length === 0) return null;
  // the first place of the text inside the heading's span (no slice of the span to search in)
  const at = source.indexOf(h.text, h.span.start);
  if (at < 0 || at + h.text.length > h.span.end) return null;
  return sliceBlock(source, at, at + h.text.length);
}
