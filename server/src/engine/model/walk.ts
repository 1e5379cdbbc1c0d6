/** Walking the document tree. */
import type { ParsedDocument, Unit } from './types';

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
