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
  /**
   * The draft unit aligned with this unit of `canonical`; undefined when dropped. (By the unit,
   * not its label: a damaged document can carry one label twice — two 第九条 — and an older
   * revision standing for the template is such a document.)
   */
  draftUnitFor(canonicalUnit: Unit): Unit | undefined;
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
  for (const r of refs) if (r.source) push(out, r.source, r);
  return out;
}

/**
 * The not yet paired references of some lists, first first: each list is read from where the last
 * read stopped (a reference once paired stays paired), so pairing thousands of references in one
 * unit is not quadratic.
 */
class Unpaired {
  readonly used = new Set<Reference>();
  private readonly at = new Map<readonly Reference[], number>();

  first(list: readonly Reference[] | undefined): Reference | undefined {
    if (!list) return undefined;
    let i = this.at.get(list) ?? 0;
    while (i < list.length && this.used.has(list[i])) i++;
    this.at.set(list, i);
    return list[i];
  }
}

/** One draft unit's references (not external) in order, by heading written, by shape, by shape and target. */
interface UnitRefs {
  all: Reference[];
  byHeading: Map<string, Reference[]>;
  /** Key: shape, then '\u0000' and 'bare' for those written without a heading. */
  byShape: Map<string, Reference[]>;
  byShapeTarget: Map<string, Map<Unit, Reference[]>>;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

function indexUnitRefs(refs: readonly Reference[], shapeOf: (r: Reference) => string): UnitRefs {
  const out: UnitRefs = { all: [], byHeading: new Map(), byShape: new Map(), byShapeTarget: new Map() };
  for (const r of refs) {
    if (r.kind === 'external') continue;
    out.all.push(r);
    push(out.byHeading, normHeading(r.headingWritten?.text), r);
    const keys = r.headingWritten ? [shapeOf(r)] : [shapeOf(r), `${shapeOf(r)}\u0000bare`];
    for (const k of keys) {
      push(out.byShape, k, r);
      let t = out.byShapeTarget.get(k);
      if (!t) out.byShapeTarget.set(k, (t = new Map()));
      for (const u of new Set(r.targets)) push(t, u, r);
    }
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
  const shapes = new Map<Reference, string>();
  const shapeOf = (r: Reference): string => {
    let s = shapes.get(r);
    if (s === undefined) shapes.set(r, (s = shape(r)));
    return s;
  };
  const bySource = groupBySource(draft.all);
  const indexed = new Map<Unit, UnitRefs>();
  const refsOf = (u: Unit): UnitRefs => {
    let x = indexed.get(u);
    if (!x) indexed.set(u, (x = indexUnitRefs(bySource.get(u) ?? [], shapeOf)));
    return x;
  };
  /** How many references of a shape a unit holds (a canonical or a draft one). */
  const counts = new Map<Unit, Map<string, number>>();
  const shapeCount = (u: Unit, refs: readonly Reference[], sh: string): number => {
    let m = counts.get(u);
    if (!m) {
      m = new Map();
      for (const r of refs) if (r.kind !== 'external') m.set(shapeOf(r), (m.get(shapeOf(r)) ?? 0) + 1);
      counts.set(u, m);
    }
    return m.get(sh) ?? 0;
  };
  const canonicalBySource = groupBySource(canonical.all);
  const unpaired = new Unpaired();
  for (const cr of canonical.all) {
    // A canonical reference that names nothing (a standard has none; an older revision standing
    // for the template can: 「第４」 left in an article renumbered 第0) still takes its draft
    // counterpart, so that no later reference of its shape is paired with that one.
    const resolves = cr.targets.length === 1;
    if (cr.kind === 'external' || !cr.source || (!resolves && cr.targets.length > 0)) continue;
    const target = resolves ? cr.targets[0] : undefined;
    const ds = tpl.draftUnitFor(cr.source);
    if (!ds) continue;
    const refs = refsOf(ds);
    const heading = normHeading(cr.headingWritten?.text);
    const expected = target && tpl.draftUnitFor(target);
    const sh = shapeOf(cr);
    // same shape: written without a heading, when the canonical one has one
    const key = heading ? `${sh}\u0000bare` : sh;
    // The draft unit holds more references of this shape than the canonical one: one was added,
    // and it must not take the place of the one that still points where the standard's does.
    const added = shapeCount(ds, refs.all, sh) > shapeCount(cr.source, canonicalBySource.get(cr.source) ?? [], sh);
    const dr =
      (heading && unpaired.first(refs.byHeading.get(heading))) ||
      (added && expected && unpaired.first(refs.byShapeTarget.get(key)?.get(expected))) ||
      unpaired.first(refs.byShape.get(key));
    if (!dr) continue;
    unpaired.used.add(dr);
    if (!target || !expected) continue; // the target was dropped: dropped-requirement / missing-article say so
    out.push({ ref: dr, expected, canonicalRef: cr, canonicalTarget: target });
  }
  return out;
}
