/**
 * References for the editor: what is under the cursor, where it leads, what points to a unit.
 * Go to definition, find references, hover and document links are thin wrappers around these.
 * Engine code: no vscode or LSP imports; spans are offsets into the original text.
 */
import type { ParsedDocument, Unit } from '../model/types';
import { getReferences } from './resolve';
import { rangeCovers, type RefComponent, type Reference } from './types';

export { getReferences, resolveReferences } from './resolve';
export type { DocumentReferences, RefComponent, RefKind, RefLevel, Reference, UnresolvedReason } from './types';

function contains(span: { start: number; end: number }, offset: number): boolean {
  return span.start <= offset && offset < span.end;
}

/** The reference written at `offset` (the innermost one when brackets nest), if any. */
export function referenceAt(doc: ParsedDocument, offset: number): Reference | undefined {
  let best: Reference | undefined;
  for (const r of getReferences(doc).all) {
    if (r.span.start > offset) break;
    const inHeading = r.headingWritten && contains(r.headingWritten.span, offset);
    if (contains(r.span, offset) || inHeading) {
      if (!best || r.span.end - r.span.start <= best.span.end - best.span.start) best = r;
    }
  }
  return best;
}

/** The component of a reference at `offset`: 「第3条」 of 「第3条第2項」 when the cursor is on 第3条. */
export function componentAt(ref: Reference, offset: number): RefComponent | undefined {
  return ref.components.find((c) => !c.inherited && contains(c.span, offset));
}

/**
 * Where the reference at `offset` leads: the unit of the component under the cursor (第3条 of
 * 第3条第2項), else the reference's targets (several for 前各項, 各号, 前条まで).
 */
export function definitionAt(doc: ParsedDocument, offset: number): Unit[] {
  const r = referenceAt(doc, offset);
  if (!r || r.kind === 'external') return [];
  const c = componentAt(r, offset);
  const last = r.components[r.components.length - 1];
  if (c && c !== last && c.unit) return [c.unit];
  return r.targets;
}

function isWithin(u: Unit, container: Unit): boolean {
  if (u === container) return true;
  return container.children.some((c) => isWithin(u, c));
}

/**
 * The references that lead to `unit`: naming it, naming a unit inside it when `inside` is set
 * (第3条第2項 refers into 第3条), or covering it with a range (第2条から第4条まで).
 */
export function referencesTo(doc: ParsedDocument, unit: Unit, options: { inside?: boolean; ranges?: boolean } = {}): Reference[] {
  const inside = options.inside ?? true;
  const ranges = options.ranges ?? true;
  return getReferences(doc).all.filter((r) => {
    if (r.kind === 'external') return false;
    if (r.targets.includes(unit)) return true;
    if (inside && r.targets.some((t) => isWithin(t, unit))) return true;
    if (inside && r.components.some((c) => !c.inherited && c.unit === unit)) return true;
    if (ranges && r.range && r.range.role === 'start' && rangeCovers(r.range, unit)) return true;
    return false;
  });
}
