/**
 * Aligns a draft's units with a reference document's (the canonical template, or an older
 * revision), whatever the numbering: articles inserted, deleted, renumbered or reordered; digit
 * width, 第N vs 第N条, reflow and party names do not matter. The result is a tree of pairs
 * that every feature uses (clause rules, hover, compare view, quick fixes, revision diff).
 */
import type { ParsedDocument, Unit, UnitKind } from '../model/types';
import type { Parties } from '../templates';
import { normalizeForCompare, similarity } from './normalize';

export interface UnitPair {
  /** The reference (canonical) unit, or null for a draft unit with no counterpart. */
  canonical: Unit | null;
  /** The draft unit, or null for a reference unit missing from the draft. */
  draft: Unit | null;
  /** Similarity of the pair (0..1); 0 for unpaired units. */
  score: number;
  children: UnitPair[];
}

export interface Alignment {
  /** Top-level pairs (articles and annexes) in draft order, missing ones at their place. */
  pairs: UnitPair[];
  /** Draft unit → canonical unit. */
  toCanonical: Map<Unit, Unit>;
  /** Canonical unit → draft unit. */
  toDraft: Map<Unit, Unit>;
  canonicalParties: Parties;
  draftParties: Parties;
}

interface Side {
  parties: Parties;
}

/** Full text of a unit (heading, body and every descendant's body), normalised. */
function unitText(u: Unit, side: Side, memo: Map<Unit, string>): string {
  const hit = memo.get(u);
  if (hit !== undefined) return hit;
  const parts: string[] = [];
  const walk = (x: Unit): void => {
    if (x.body) parts.push(x.body.text);
    for (const c of x.children) walk(c);
  };
  walk(u);
  const t = normalizeForCompare(parts.join(''), side.parties);
  memo.set(u, t);
  return t;
}

function headingText(u: Unit): string {
  return (u.heading?.text ?? '').normalize('NFKC').replace(/\s/g, '');
}

const COMPATIBLE: Record<UnitKind, readonly UnitKind[]> = {
  part: ['part'],
  chapter: ['chapter'],
  division: ['division'],
  article: ['article'],
  paragraph: ['paragraph', 'item'],
  item: ['item', 'paragraph'],
  subitem: ['subitem', 'item'],
  annex: ['annex'],
  annexSection: ['annexSection'],
  annexSubsection: ['annexSubsection', 'item', 'subitem'],
};

const THRESHOLD = 0.42;

/**
 * Pairs two lists of sibling units by greatest similarity first (a global greedy matching, which
 * handles reordering), then keeps the pairs. Position breaks near-ties, so that two similar
 * items (イ and ウ of a list) pair in order.
 */
function matchSiblings(
  canon: Unit[],
  draft: Unit[],
  cs: Side,
  ds: Side,
  cm: Map<Unit, string>,
  dm: Map<Unit, string>,
): Map<Unit, { unit: Unit; score: number }> {
  const cands: { c: number; d: number; score: number }[] = [];
  for (let i = 0; i < canon.length; i++) {
    const c = canon[i];
    const ct = unitText(c, cs, cm);
    const ch = headingText(c);
    for (let j = 0; j < draft.length; j++) {
      const d = draft[j];
      if (!COMPATIBLE[c.kind].includes(d.kind)) continue;
      const dt = unitText(d, ds, dm);
      const dh = headingText(d);
      let score = similarity(ct, dt);
      if (ch && dh) score = ch === dh ? Math.min(1, score * 0.6 + 0.4 + 0.05) : score * 0.6 + similarity(ch, dh) * 0.4;
      else if (!ct && !dt) score = ch === dh ? 1 : 0;
      // near-ties go to the pair at the same relative position
      const rel = 1 - Math.abs(i / Math.max(1, canon.length) - j / Math.max(1, draft.length));
      score += rel * 0.02;
      if (score >= THRESHOLD) cands.push({ c: i, d: j, score });
    }
  }
  cands.sort((a, b) => b.score - a.score);
  const usedC = new Set<number>();
  const usedD = new Set<number>();
  const out = new Map<Unit, { unit: Unit; score: number }>();
  for (const k of cands) {
    if (usedC.has(k.c) || usedD.has(k.d)) continue;
    usedC.add(k.c);
    usedD.add(k.d);
    out.set(draft[k.d], { unit: canon[k.c], score: Math.min(1, k.score) });
  }
  return out;
}

/**
 * Orders pairs: draft units in draft order; each unpaired canonical unit goes right after the
 * draft unit paired with its canonical predecessor (or first, when it has none).
 */
function arrange(canon: Unit[], draft: Unit[], matched: Map<Unit, { unit: Unit; score: number }>): UnitPair[] {
  const pairs: UnitPair[] = draft.map((d) => {
    const m = matched.get(d);
    return { canonical: m?.unit ?? null, draft: d, score: m?.score ?? 0, children: [] };
  });
  const pairedCanon = new Set([...matched.values()].map((m) => m.unit));
  for (let i = 0; i < canon.length; i++) {
    const c = canon[i];
    if (pairedCanon.has(c)) continue;
    // place after the pair holding the nearest earlier canonical unit that is present
    let at = 0;
    for (let k = i - 1; k >= 0; k--) {
      const idx = pairs.findIndex((p) => p.canonical === canon[k]);
      if (idx >= 0) {
        at = idx + 1;
        break;
      }
    }
    pairs.splice(at, 0, { canonical: c, draft: null, score: 0, children: [] });
  }
  return pairs;
}

function alignChildren(pair: UnitPair, cs: Side, ds: Side, cm: Map<Unit, string>, dm: Map<Unit, string>, al: Alignment): void {
  const c = pair.canonical;
  const d = pair.draft;
  if (!c || !d) return;
  const matched = matchSiblings(c.children, d.children, cs, ds, cm, dm);
  pair.children = arrange(c.children, d.children, matched);
  for (const p of pair.children) {
    if (p.canonical && p.draft) {
      al.toCanonical.set(p.draft, p.canonical);
      al.toDraft.set(p.canonical, p.draft);
      alignChildren(p, cs, ds, cm, dm, al);
    }
  }
}

/** Aligns two parsed documents. `canonicalParties`/`draftParties` say who is who on each side. */
export function alignDocuments(
  canonical: ParsedDocument,
  draft: ParsedDocument,
  canonicalParties: Parties,
  draftParties: Parties,
): Alignment {
  const cs: Side = { parties: canonicalParties };
  const ds: Side = { parties: draftParties };
  const cm = new Map<Unit, string>();
  const dm = new Map<Unit, string>();
  const al: Alignment = { pairs: [], toCanonical: new Map(), toDraft: new Map(), canonicalParties, draftParties };

  const artMatch = matchSiblings(canonical.articles, draft.articles, cs, ds, cm, dm);
  const annexMatch = matchSiblings(canonical.annexes, draft.annexes, cs, ds, cm, dm);
  al.pairs = [...arrange(canonical.articles, draft.articles, artMatch), ...arrange(canonical.annexes, draft.annexes, annexMatch)];
  for (const p of al.pairs) {
    if (p.canonical && p.draft) {
      al.toCanonical.set(p.draft, p.canonical);
      al.toDraft.set(p.canonical, p.draft);
      alignChildren(p, cs, ds, cm, dm, al);
    }
  }
  return al;
}

/** Every pair in the tree, depth first. */
export function allPairs(al: Alignment): UnitPair[] {
  const out: UnitPair[] = [];
  const walk = (p: UnitPair): void => {
    out.push(p);
    for (const c of p.children) walk(c);
  };
  for (const p of al.pairs) walk(p);
  return out;
}
