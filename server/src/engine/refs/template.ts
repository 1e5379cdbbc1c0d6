/**
 * Template-aware reference check — the HOOK for the aligner.
 *
 * A reference that in the canonical text points to unit X must, in the draft, point to the draft
 * unit aligned with X (the survival clause 第19 lists 返還等, 回収等, 報告等 and 損害賠償 by number:
 * after a renumbering without a heading written, only the template can tell the number is stale).
 *
 * The resolver knows nothing of templates; whoever aligns the draft with its canonical text
 * supplies a `ReferenceTemplate` (canonical document + mapping canonical label → draft unit):
 * clause/stage.ts `referenceTemplateOf` makes it from the alignment (or a caller sets
 * `analysis.referenceTemplate`); the broken-reference rule then calls `checkAgainstTemplate`. Nothing here depends on how the alignment is computed.
 */
import type { ParsedDocument, Unit } from '../model/types';
import { getReferences } from './resolve';
import type { DocumentReferences, Reference } from './types';

export interface ReferenceTemplate {
  /** The canonical text, parsed. */
  canonical: ParsedDocument;
  /** The draft unit aligned with the canonical unit of this label (e.g. "第12", "第14第1項"); undefined when dropped. */
  draftUnitFor(canonicalLabel: string): Unit | undefined;
}


export interface TemplateMismatch {
  /** The draft reference. */
  ref: Reference;
  /** The draft unit it should point to (aligned with the canonical target). */
  expected: Unit;
  /** The canonical reference it corresponds to. */
  canonicalRef: Reference;
  canonicalTarget: Unit;
}

function shape(r: Reference): string {
  return r.components
    .filter((c) => !c.inherited)
    .map((c) => `${c.level}:${c.form}`)
    .join('/');
}

function normHeading(s: string | undefined): string {
  return (s ?? '').normalize('NFKC').replace(/[\s\u3000]/g, '');
}

/**
 * Pairs the references of each canonical unit with those of the aligned draft unit (same heading
 * written, else same shape, in order — but where the draft unit holds more of that shape, the one
 * pointing at the expected unit first) and returns the draft references whose target is not the
 * draft unit aligned with the canonical target.
 */
export function checkAgainstTemplate(draft: DocumentReferences, tpl: ReferenceTemplate): TemplateMismatch[] {
  return templateExpectations(draft, tpl).filter(pointsElsewhere);
}

/** Whether a paired draft reference names another unit than the one expected. */
export function pointsElsewhere(m: TemplateMismatch): boolean {
  const targets = m.ref.targets;
  return targets.length === 1 ? targets[0] !== m.expected : !targets.includes(m.expected);
}

/** References by the unit whose text holds them, in document order. */
function groupBySource(refs: readonly Reference[]): Map<Unit, Reference[]> {
  const out = new Map<Unit, Reference[]>();
  for (const r of refs) {
    if (!r.source) continue;
    const list = out.get(r.source);
    if (list) list.push(r);
    else out.set(r.source, [r]);
  }
  return out;
}

/**
 * Every draft reference paired with a canonical one (as `checkAgainstTemplate` pairs them) and
 * the draft unit it should point to, whether or not it does: a fix that renumbers a reference
 * must not lead it elsewhere than there.
 */
export function templateExpectations(draft: DocumentReferences, tpl: ReferenceTemplate): TemplateMismatch[] {
  const out: TemplateMismatch[] = [];
  const canonical = getReferences(tpl.canonical);
  const bySource = groupBySource(draft.all);
  /** How many references of a shape a unit holds (a canonical or a draft one). */
  const shapes = new Map<Unit, Map<string, number>>();
  const shapeCount = (u: Unit, refs: readonly Reference[], sh: string): number => {
    let m = shapes.get(u);
    if (!m) {
      m = new Map();
      for (const r of refs) if (r.kind !== 'external') m.set(shape(r), (m.get(shape(r)) ?? 0) + 1);
      shapes.set(u, m);
    }
    return m.get(sh) ?? 0;
  };
  const canonicalBySource = groupBySource(canonical.all);
  const used = new Set<Reference>();
  for (const cr of canonical.all) {
    if (cr.kind === 'external' || !cr.source || cr.targets.length !== 1) continue;
    const target = cr.targets[0];
    const ds = tpl.draftUnitFor(cr.source.label);
    if (!ds) continue;
    const candidates = (bySource.get(ds) ?? []).filter((r) => !used.has(r) && r.kind !== 'external');
    const heading = normHeading(cr.headingWritten?.text);
    const expected = tpl.draftUnitFor(target.label);
    const sh = shape(cr);
    const sameShape = candidates.filter((r) => shape(r) === sh && !(r.headingWritten && heading));
    // The draft unit holds more references of this shape than the canonical one: one was added,
    // and it must not take the place of the one that still points where the standard's does.
    const added = shapeCount(ds, bySource.get(ds) ?? [], sh) > shapeCount(cr.source, canonicalBySource.get(cr.source) ?? [], sh);
    const dr =
      (heading && candidates.find((r) => normHeading(r.headingWritten?.text) === heading)) ||
      (added && expected && sameShape.find((r) => r.targets.includes(expected))) ||
      sameShape[0];
    if (!dr) continue;
    used.add(dr);
    if (!expected) continue; // the target was dropped: dropped-requirement / missing-article say so
    out.push({ ref: dr, expected, canonicalRef: cr, canonicalTarget: target });
  }
  return out;
}
