/**
 * Units run on one line: a standard paragraph or item whose line was joined onto the one before
 * (「…従わなければならない。3 乙は、…」, a line break lost, as text pasted from a PDF can lose
 * one). The parser reads the two as one unit, which the alignment pairs with one of the two
 * standard units; the other is missing. missing-paragraph reports the join with a fix that breaks
 * the line (inserting the missing unit would write its text twice), and the clause stage does not
 * compare the joined unit with the standard one it was paired with: a comparison of two units'
 * text with one unit's reports differences that are not there and fixes that move the pairing.
 * Engine code: imports nothing from vscode or the LSP libraries.
 */
import { allPairs, type Alignment, type UnitPair } from '../align/align';
import { bigramProfile, containment, FOUND_SHARE, normalizeForCompare } from '../align/normalize';
import { bodiesText } from '../model/walk';
import type { Unit } from '../model/types';

export interface Joined {
  /** The draft unit holding both texts: a sibling paired with another standard unit, or the parent (its own text). */
  host: Unit;
  /** Where the number that begins the second unit stands, and that number. */
  at: number;
  marker: string;
}

export interface JoinedUnits {
  /** Missing standard unit → where it is joined. */
  byCanonical: Map<Unit, Joined>;
  /** The draft units holding a joined one. */
  hosts: Set<Unit>;
}

/** A sentence end, then a paragraph or item number and a blank (group 1): 「…ならない。3 乙は、…」. */
const RUN_ON_NUMBER = /[。．][ \t\u3000]*((?:[0-9０-９]{1,3}|[（(][0-9０-９]{1,3}[）)])[ \u3000])/g;

const memo = new WeakMap<Alignment, JoinedUnits>();

/**
 * The joined units of a draft (`text`, aligned as `alignment`): for every standard paragraph or
 * item missing under an aligned parent, the draft unit where, after a sentence end, a number
 * begins a unit, and the stretch that cut leaves holds the missing unit's text and little else
 * (≥ FOUND_SHARE each way). Only missing units are looked for, so a
 * draft whose units all pair costs one walk of the pairs. Memoised per alignment.
 */
export function joinedUnits(text: string, alignment: Alignment): JoinedUnits {
  const hit = memo.get(alignment);
  if (hit) return hit;
  const out: JoinedUnits = { byCanonical: new Map(), hosts: new Set() };
  for (const parent of allPairs(alignment)) {
    if (!parent.draft || !parent.canonical) continue;
    for (const p of parent.children) {
      if (p.draft || !p.canonical || p.canonical.kind === 'subitem') continue;
      const j = joinedIn(text, p.canonical, parent, alignment);
      if (!j) continue;
      out.byCanonical.set(p.canonical, j);
      out.hosts.add(j.host);
    }
  }
  memo.set(alignment, out);
  return out;
}

function joinedIn(text: string, c: Unit, parent: UnitPair, alignment: Alignment): Joined | null {
  const t = normalizeForCompare(bodiesText(c), alignment.canonicalParties);
  if (t.length < 8) return null;
  const hosts: { unit: Unit; from: number; to: number }[] = [];
  for (const s of parent.children) if (s.draft && s.canonical) hosts.push({ unit: s.draft, from: s.draft.number?.span.end ?? s.draft.span.start, to: s.draft.span.end });
  const own = parent.draft?.body;
  if (parent.draft && own) hosts.push({ unit: parent.draft, from: own.span.start, to: own.span.end });
  let cp: ReturnType<typeof bigramProfile> | null = null;
  for (const h of hosts) {
    const cuts = runOnNumbersIn(text, h.from, h.to);
    if (cuts.length === 0) continue;
    cp ??= bigramProfile(t);
    // the stretch between two cuts (or a cut and an end) that is the unit: it holds the unit's
    // text and little else (a stretch that still runs two units together, 「…あらか2 乙は…」
    // with no sentence end between them, would be no better once cut)
    for (let k = 0; k <= cuts.length; k++) {
      const from = k === 0 ? h.from : cuts[k - 1].at + cuts[k - 1].marker.length;
      const to = k === cuts.length ? h.to : cuts[k].at;
      const part = normalizeForCompare(text.slice(from, to), alignment.draftParties);
      if (part.length < 8) continue;
      const pp = bigramProfile(part);
      if (containment(cp, pp) < FOUND_SHARE || containment(pp, cp) < FOUND_SHARE) continue;
      return { host: h.unit, ...cuts[k === 0 ? 0 : k - 1] };
    }
  }
  return null;
}

/** The numbers after a sentence end in [from, to) that begin a unit, with text after them. */
function runOnNumbersIn(text: string, from: number, to: number): { at: number; marker: string }[] {
  const out: { at: number; marker: string }[] = [];
  // (on the slice: a search of the whole text would run past `to` to the next match)
  for (const m of text.slice(from, to).matchAll(RUN_ON_NUMBER)) {
    const at = from + m.index! + m[0].length - m[1].length;
    if (at + m[1].length < to) out.push({ at, marker: m[1].trim() });
  }
  return out;
}
