/**
 * Aligns a draft's units with a reference document's (the canonical template, or an older
 * revision), whatever the numbering: articles inserted, deleted, renumbered or reordered; digit
 * width, 第N vs 第N条, reflow and party names do not matter. The result is a tree of pairs
 * that every feature uses (clause rules, hover, compare view, quick fixes, revision diff).
 */
import type { ParsedDocument, Unit, UnitKind } from '../model/types';
import type { Parties } from '../templates';
import { runToEnd } from '../steps';
import { detach } from '../text/detach';
import { intern, keptKey } from '../text/intern';
import { CharBoundedLru, TaggedLru } from '../tokenizer/lru';
import { diffKeys } from './compare';
import { bigramProfile, normalizeForCompare, profileSimilarity, similarity, type BigramProfile } from './normalize';

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

/** A unit as the scoring sees it: its normalised full text, and that text's bigram profile. */
class UnitKey {
  private p: BigramProfile | null = null;
  constructor(
    readonly text: string,
    /** The party tag it was normalised with. */
    readonly tag: string,
  ) {}

  /**
   * Computed on first use and kept: read for reference units (a template's lists live as long as
   * the template); a draft unit's is made per score row instead (`scoreRow`).
   */
  get profile(): BigramProfile {
    return (this.p ??= bigramProfile(this.text));
  }
}

/**
 * Normalised full text of a unit and its bigram profile, memoised per unit object (for the party
 * tag it was last asked with): canonical units live as long as their template, so their profiles
 * are computed once per process.
 */
const keyMemo = new WeakMap<Unit, UnitKey>();

/** The party names as one memo key part (normalised texts depend on them). */
export function partyTag(parties: Parties): string {
  return `${parties.a}/${parties.b}`;
}

function unitKey(u: Unit, side: Side): UnitKey {
  const tag = partyTag(side.parties);
  const hit = keyMemo.get(u);
  if (hit && hit.tag === tag) return hit;
  const k = keyByContent(u, side, tag);
  keyMemo.set(u, k);
  return k;
}

/**
 * Unit keys by content, across parses. A re-parse after an edit makes new Unit objects, and
 * building each one's key again meant joining every unit's full text (an article's is the text of
 * all its paragraphs, then again for the document's every level) and hashing it to intern it. A
 * unit's key depends only on its own body text, its children's keys and the party tag, so a leaf
 * is found by its body text and a parent under its first child's key, by its own text and its
 * children's keys (compared by identity): an unchanged unit gets the very key object it had,
 * and only the edited unit and those above it are joined again.
 * Bounded by the leaves' texts; a parent's entry lives as long as its first child's key.
 */
const leafKeys = new CharBoundedLru<UnitKey>(4_000_000);

interface ParentEntry {
  own: string;
  children: UnitKey[];
  key: UnitKey;
}

const parentKeys = new WeakMap<UnitKey, ParentEntry[]>();
/** Parents kept under one first child (the same paragraph opening several articles). */
const PARENTS_PER_CHILD = 8;

function keyByContent(u: Unit, side: Side, tag: string): UnitKey {
  const ownRaw = u.body ? u.body.text : '';
  if (u.children.length === 0) {
    const hit = leafKeys.get(ownRaw);
    if (hit && hit.tag === tag) return hit;
    const k = new UnitKey(intern(u.body ? normalizedBody(ownRaw, side.parties) : ''), tag);
    leafKeys.set(ownRaw, k);
    return k;
  }
  const children = u.children.map((c) => unitKey(c, side));
  let entries = parentKeys.get(children[0]);
  if (entries) {
    for (const e of entries) {
      if (e.key.tag === tag && e.own === ownRaw && sameKeys(e.children, children)) return e.key;
    }
  } else parentKeys.set(children[0], (entries = []));
  const own = u.body ? normalizedBody(ownRaw, side.parties) : '';
  const k = new UnitKey(intern(own + children.map((c) => c.text).join('')), tag);
  if (entries.length >= PARENTS_PER_CHILD) entries.shift();
  entries.push({ own: keptKey(ownRaw), children, key: k });
  return k;
}

function sameKeys(a: readonly UnitKey[], b: readonly UnitKey[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Normalised body texts by raw text, per party tag: a re-parse after an edit makes new Unit
 * objects, but only the edited paragraphs have new text. Bounded by the raw texts' length.
 */
const normMemo = new TaggedLru<string>(4_000_000);

function normalizedBody(text: string, parties: Parties): string {
  const lru = normMemo.of(partyTag(parties));
  const hit = lru.get(text);
  if (hit !== undefined) return hit;
  const norm = normalizeForCompare(text, parties);
  lru.set(text, norm);
  return norm;
}


/**
 * Similarity of a reference unit to a draft unit, without the position tie-breaker. `dp`: the
 * draft unit's profile, made by the caller for the row and not kept on its key: draft keys live
 * on across edits (`keyByContent`), and kept profiles of a whole draft are memory no later edit
 * reads (rows are memoised by text).
 */
function pairScore(ck: UnitKey, ch: string, dk: UnitKey, dp: () => BigramProfile, dh: string): number {
  let score = ck.text === dk.text ? (ck.text ? 1 : 0) : profileSimilarity(ck.profile, dp());
  if (ch && dh) score = ch === dh ? Math.min(1, score * 0.6 + 0.4 + 0.05) : score * 0.6 + similarity(ch, dh) * 0.4;
  else if (!ck.text && !dk.text) score = ch === dh ? 1 : 0;
  return score;
}

/** A list of reference siblings as the scoring sees them; one object per list and party tag. */
interface CanonKeys {
  keys: UnitKey[];
  heads: string[];
}

const canonKeysMemo = new WeakMap<readonly Unit[], Map<string, CanonKeys>>();

function canonKeys(canon: readonly Unit[], cs: Side): CanonKeys {
  const tag = partyTag(cs.parties);
  let byTag = canonKeysMemo.get(canon);
  if (!byTag) canonKeysMemo.set(canon, (byTag = new Map()));
  let k = byTag.get(tag);
  if (!k) byTag.set(tag, (k = { keys: canon.map((c) => unitKey(c, cs)), heads: canon.map(headingText) }));
  return k;
}

/**
 * A draft unit's scores against every unit of a reference sibling list (`pairScore`, by index),
 * memoised by the draft unit's normalised text, the list and the draft heading: after an edit, a
 * large draft's unchanged units are not compared again with every reference unit, and each is
 * looked up once per list instead of once per pair. Reference lists of a template live as long
 * as the template; least recently used draft texts go first.
 */
const rowMemo = new CharBoundedLru<WeakMap<CanonKeys, Map<string, Float64Array>>>(8_000_000);

function scoreRow(ck: CanonKeys, dk: UnitKey, dh: string): Float64Array {
  let byList = rowMemo.get(dk.text);
  if (!byList) rowMemo.set(dk.text, (byList = new WeakMap()));
  let byHeading = byList.get(ck);
  if (!byHeading) byList.set(ck, (byHeading = new Map()));
  let row = byHeading.get(dh);
  if (row) return row;
  row = new Float64Array(ck.keys.length);
  let profile: BigramProfile | null = null;
  const dp = (): BigramProfile => (profile ??= bigramProfile(dk.text));
  for (let i = 0; i < row.length; i++) row[i] = pairScore(ck.keys[i], ck.heads[i], dk, dp, dh);
  byHeading.set(detach(dh), row); // a heading cut from the draft must not keep the draft alive
  return row;
}

/** Forgets the memoised normalised texts and scores (tests and benchmarks compare with a cold start). */
export function resetAlignMemo(): void {
  normMemo.clear();
  rowMemo.clear();
}

/** Headings as compared: NFKC, no whitespace (memoised by raw heading). */
const headingMemo = new CharBoundedLru<string>(400_000);

function headingText(u: Unit): string {
  const raw = u.heading?.text ?? '';
  let h = headingMemo.get(raw);
  if (h === undefined) {
    h = raw.normalize('NFKC').replace(/\s/g, '');
    // detached: unchanged by the normalisation, it is the raw heading, a slice of the document
    headingMemo.set(raw, detach(h));
  }
  return h;
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
 * Pair scores one sibling list may compute, after its exact pairs. Within it, every unpaired
 * reference unit is scored against every unpaired draft unit (a contract's lists, and a draft's
 * thousands of articles against a template's dozen, stay far below it). Beyond it — two revisions
 * of thousands of articles that mostly changed — each reference unit is scored only against the
 * draft units at about the same place among the unpaired ones (`MIN_WINDOW` or more either side):
 * every unit compared with every other was minutes and gigabytes (20,000 articles, 124 s, 1.9 GB;
 * 15,000 annexes crashed Node with an array past its largest size). A unit moved farther than the
 * window in such a list is then reported removed and added, not moved.
 */
export const PAIR_BUDGET = 1_000_000;
const MIN_WINDOW = 64;
/**
 * Past the budget, the candidates kept per reference unit (its best-scored): the greedy matching
 * reads each unit's candidates best first, and every window's candidates together made one sort
 * of about a million pairs — the longest pause of a large revision compare.
 */
const WINDOW_CANDIDATES = 16;

/**
 * Keeps, of the candidates from index `first` on, the `keep` best-scored (on equal scores the
 * first found), in the order they were found.
 */
function keepBest(candC: number[], candD: number[], candS: number[], first: number, keep: number): void {
  const n = candS.length - first;
  if (n <= keep) return;
  const best = Array.from({ length: n }, (_, k) => first + k)
    .sort((a, b) => candS[b] - candS[a] || a - b)
    .slice(0, keep)
    .sort((a, b) => a - b);
  best.forEach((k, x) => {
    candC[first + x] = candC[k];
    candD[first + x] = candD[k];
    candS[first + x] = candS[k];
  });
  candC.length = candD.length = candS.length = first + keep;
}

/** Pair scores computed between two pauses of the alignment's steps. */
const SCORES_PER_STEP = 4096;

/**
 * Pairs two lists of sibling units by greatest similarity first (a global greedy matching, which
 * handles reordering), then keeps the pairs. Position breaks near-ties, so that two similar
 * items (イ and ウ of a list) pair in order. `budget`: see PAIR_BUDGET (tests lower it). Pauses
 * after about every SCORES_PER_STEP scores (a long list's few thousand are milliseconds).
 */
function* matchSiblings(
  canon: Unit[],
  draft: Unit[],
  cs: Side,
  ds: Side,
  budget = PAIR_BUDGET,
): Generator<void, Map<Unit, { unit: Unit; score: number }>, void> {
  const out = new Map<Unit, { unit: Unit; score: number }>();
  const usedC = new Uint8Array(canon.length);
  const usedD = new Uint8Array(draft.length);
  if (canon.length + draft.length > SCORES_PER_STEP / 8) {
    // a long list's keys (its units' normalised texts) are made a few hundred at a time first
    for (let i = 0; i < canon.length; i++) if (unitKey(canon[i], cs) && i % 512 === 511) yield;
    for (let j = 0; j < draft.length; j++) if (unitKey(draft[j], ds) && j % 512 === 511) yield;
  }
  const ck = canonKeys(canon, cs);
  const dKeys = draft.map((d) => unitKey(d, ds));
  const dHeads = draft.map(headingText);
  // Unchanged units first (the common case): same text and heading pair at once. Where several
  // units share a text (runs of 削除 articles, identical items), which pairs with which is a
  // matter of place: those at the same place counted from either end of the lists pair first,
  // then those of shared texts along a longest common subsequence of the lists' texts, so that a
  // unit changed, inserted or deleted among identical siblings is found where it was, not at the
  // end of the run. The others pair with the first unused unit of their text (a list of many
  // units of one text is read from its first unused entry on: entries used stay used).
  const alike = (i: number, j: number): boolean =>
    !!dKeys[j].text && ck.keys[i].text === dKeys[j].text && ck.heads[i] === dHeads[j] && COMPATIBLE[canon[i].kind].includes(draft[j].kind);
  const pairExact = (i: number, j: number): void => {
    usedC[i] = 1;
    usedD[j] = 1;
    out.set(draft[j], { unit: canon[i], score: 1 });
  };
  const ends = Math.min(canon.length, draft.length);
  let head = 0;
  for (; head < ends && alike(head, head); head++) pairExact(head, head);
  for (let t = 1; head + t <= ends && alike(canon.length - t, draft.length - t); t++) pairExact(canon.length - t, draft.length - t);
  interface Same {
    list: number[];
    from: number;
    /** Unused units of this text and heading on each side. */
    inCanon: number;
    inDraft: number;
    id: string;
  }
  const exact = new Map<string, Map<string, Same>>();
  let groups = 0;
  canon.forEach((_c, i) => {
    const text = ck.keys[i].text;
    let byHeading = exact.get(text);
    if (!byHeading) exact.set(text, (byHeading = new Map()));
    let same = byHeading.get(ck.heads[i]);
    if (!same) byHeading.set(ck.heads[i], (same = { list: [], from: 0, inCanon: 0, inDraft: 0, id: String(++groups) }));
    same.list.push(i);
    if (!usedC[i]) same.inCanon++;
  });
  const sameOf = (j: number): Same | undefined => (dKeys[j].text ? exact.get(dKeys[j].text)?.get(dHeads[j]) : undefined);
  for (let j = 0; j < draft.length; j++) {
    const same = usedD[j] ? undefined : sameOf(j);
    if (same) same.inDraft++;
  }
  const sameOfC = (i: number): Same => exact.get(ck.keys[i].text)!.get(ck.heads[i])!;
  const inBoth = (same: Same | undefined): same is Same => !!same && same.inCanon > 0 && same.inDraft > 0;
  let ambiguous = false;
  for (const byHeading of exact.values()) for (const same of byHeading.values()) if (inBoth(same) && same.inCanon + same.inDraft > 2) ambiguous = true;
  if (ambiguous) {
    // the unused units between the ends, by text: a unit with no counterpart matches nothing
    const restC: number[] = [];
    const restD: number[] = [];
    for (let i = 0; i < canon.length; i++) if (!usedC[i]) restC.push(i);
    for (let j = 0; j < draft.length; j++) if (!usedD[j]) restD.push(j);
    const idC = restC.map((i) => (inBoth(sameOfC(i)) && ck.keys[i].text ? sameOfC(i).id : `c${i}`));
    const idD = restD.map((j) => {
      const same = sameOf(j);
      return inBoth(same) ? same.id : `d${j}`;
    });
    // (past the diff's size limit it matches nothing: the first-unused pass below pairs them)
    const { matchA } = diffKeys(idC, idD, true);
    for (let a = 0; a < matchA.length; a++) {
      const b = matchA[a];
      if (b >= 0 && COMPATIBLE[canon[restC[a]].kind].includes(draft[restD[b]].kind)) pairExact(restC[a], restD[b]);
    }
    yield;
  }
  draft.forEach((d, j) => {
    if (usedD[j]) return;
    const same = sameOf(j);
    if (!same) return;
    while (same.from < same.list.length && usedC[same.list[same.from]]) same.from++;
    let i: number | undefined;
    for (let k = same.from; k < same.list.length; k++) {
      const x = same.list[k];
      if (!usedC[x] && COMPATIBLE[canon[x].kind].includes(d.kind)) {
        i = x;
        break;
      }
    }
    if (i !== undefined) pairExact(i, j);
  });
  // the units left unpaired, listed once: after the exact pairs of a long list, a few
  const openC: number[] = [];
  const openD: number[] = [];
  for (let i = 0; i < canon.length; i++) if (!usedC[i]) openC.push(i);
  for (let j = 0; j < draft.length; j++) if (!usedD[j]) openD.push(j);
  if (!openC.length || !openD.length) return out;
  // Candidate pairs as three parallel lists of numbers (a large draft has tens of thousands, once
  // per lint: no object each), in the order they are found: canonical unit, then draft unit.
  const candC: number[] = [];
  const candD: number[] = [];
  const candS: number[] = [];
  const cn = Math.max(1, canon.length);
  const dn = Math.max(1, draft.length);
  const consider = (i: number, j: number, score: number): void => {
    // near-ties go to the pair at the same relative position
    score += (1 - Math.abs(i / cn - j / dn)) * 0.02;
    if (score >= THRESHOLD) {
      candC.push(i);
      candD.push(j);
      candS.push(score);
    }
  };
  let work = 0;
  if (openC.length * openD.length <= budget) {
    // per draft unit, once: its scores against the whole list (memoised across lints)
    const rows: (Float64Array | null)[] = new Array(draft.length).fill(null);
    for (const j of openD) {
      rows[j] = scoreRow(ck, dKeys[j], dHeads[j]);
      if ((work += canon.length) >= SCORES_PER_STEP) {
        work = 0;
        yield;
      }
    }
    for (const i of openC) {
      const compatible = COMPATIBLE[canon[i].kind];
      for (const j of openD) {
        const kind = draft[j].kind;
        if (kind !== compatible[0] && !compatible.includes(kind)) continue;
        consider(i, j, rows[j]![i]);
      }
      if ((work += openD.length) >= SCORES_PER_STEP * 8) {
        work = 0;
        yield;
      }
    }
  } else {
    // over the budget: a window of the unpaired draft units around the same relative place
    const half = Math.max(MIN_WINDOW, Math.floor(budget / (2 * openC.length)));
    const profiles: (BigramProfile | null)[] = new Array(draft.length).fill(null);
    for (let a = 0; a < openC.length; a++) {
      const i = openC[a];
      const compatible = COMPATIBLE[canon[i].kind];
      const center = Math.round((a * openD.length) / openC.length);
      const hi = Math.min(openD.length - 1, center + half);
      const first = candS.length;
      for (let b = Math.max(0, center - half); b <= hi; b++) {
        const j = openD[b];
        const kind = draft[j].kind;
        if (kind !== compatible[0] && !compatible.includes(kind)) continue;
        const dp = (): BigramProfile => (profiles[j] ??= bigramProfile(dKeys[j].text));
        consider(i, j, pairScore(ck.keys[i], ck.heads[i], dKeys[j], dp, dHeads[j]));
      }
      keepBest(candC, candD, candS, first, WINDOW_CANDIDATES);
      if ((work += 2 * half + 1) >= SCORES_PER_STEP) {
        work = 0;
        yield;
      }
    }
  }
  if (candS.length > SCORES_PER_STEP) yield;
  // greatest score first; equal scores in the order found (as a stable sort of the pairs would)
  const order = Array.from(candS.keys()).sort((a, b) => candS[b] - candS[a] || a - b);
  for (const k of order) {
    const i = candC[k];
    const j = candD[k];
    if (usedC[i] || usedD[j]) continue;
    usedC[i] = 1;
    usedD[j] = 1;
    out.set(draft[j], { unit: canon[i], score: Math.min(1, candS[k]) });
  }
  return out;
}

/**
 * Pairs the annexes that the scoring left apart but that have one name on both sides: an annex
 * (「別記様式」) the only one of its name in each document, neither paired. Its text may be too
 * damaged to score (its title line deleted, a stray 第N cutting it short), but it is that annex:
 * compared, its differences are reported and restored; left apart, the standard annex was
 * reported missing and its insertion wrote it a second time. Changes `matched`.
 */
function pairAnnexesByName(canon: Unit[], draft: Unit[], matched: Map<Unit, { unit: Unit; score: number }>): void {
  if (matched.size === Math.min(canon.length, draft.length)) return;
  const pairedC = new Set<Unit>();
  for (const m of matched.values()) pairedC.add(m.unit);
  // label → the one unit of that label, or null when there are several (linear: a revision
  // compare aligns two drafts of thousands of annexes)
  const byLabel = (list: Unit[]): Map<string, Unit | null> => {
    const out = new Map<string, Unit | null>();
    for (const u of list) out.set(u.label, out.has(u.label) ? null : u);
    return out;
  };
  const canonBy = byLabel(canon);
  const draftBy = byLabel(draft);
  for (const c of canon) {
    if (pairedC.has(c) || canonBy.get(c.label) !== c) continue;
    const d = draftBy.get(c.label);
    if (!d || matched.has(d) || d.kind !== c.kind) continue;
    matched.set(d, { unit: c, score: 0 });
  }
}

/**
 * Orders pairs: draft units in draft order; each unpaired canonical unit goes right after its
 * canonical predecessor (after the draft unit paired with it, or after the predecessor itself
 * when that is unpaired too), or first when it has none.
 */
function arrange(canon: Unit[], draft: Unit[], matched: Map<Unit, { unit: Unit; score: number }>): UnitPair[] {
  const index = new Map<Unit, number>();
  canon.forEach((c, i) => index.set(c, i));
  const paired = new Uint8Array(canon.length);
  for (const m of matched.values()) paired[index.get(m.unit)!] = 1;
  const pairs: UnitPair[] = [];
  // the run of unpaired canonical units after canon[i] (from its start when i is -1)
  const followers = (i: number): void => {
    for (let k = i + 1; k < canon.length && !paired[k]; k++) pairs.push({ canonical: canon[k], draft: null, score: 0, children: [] });
  };
  followers(-1);
  for (const d of draft) {
    const m = matched.get(d);
    pairs.push({ canonical: m?.unit ?? null, draft: d, score: m?.score ?? 0, children: [] });
    if (m) followers(index.get(m.unit)!);
  }
  return pairs;
}

function* alignChildren(pair: UnitPair, cs: Side, ds: Side, al: Alignment, budget = PAIR_BUDGET): Generator<void, void, void> {
  const c = pair.canonical;
  const d = pair.draft;
  if (!c || !d) return;
  const matched = yield* matchSiblings(c.children, d.children, cs, ds, budget);
  pair.children = arrange(c.children, d.children, matched);
  for (const p of pair.children) {
    if (p.canonical && p.draft) {
      al.toCanonical.set(p.draft, p.canonical);
      al.toDraft.set(p.canonical, p.draft);
      yield* alignChildren(p, cs, ds, al, budget);
    }
  }
}

/**
 * Aligns two parsed documents. `canonicalParties`/`draftParties` say who is who on each side;
 * `pairBudget` bounds each sibling list's scoring (PAIR_BUDGET; tests lower it).
 */
export function alignDocuments(
  canonical: ParsedDocument,
  draft: ParsedDocument,
  canonicalParties: Parties,
  draftParties: Parties,
  pairBudget = PAIR_BUDGET,
): Alignment {
  return runToEnd(alignSteps(canonical, draft, canonicalParties, draftParties, pairBudget));
}

/**
 * `alignDocuments` as steps, for a caller that must not hold the event loop (the revision
 * compare in the language server): pauses after about every few thousand pair scores and after
 * each top-level pair's subtree. The same alignment.
 */
export function* alignSteps(
  canonical: ParsedDocument,
  draft: ParsedDocument,
  canonicalParties: Parties,
  draftParties: Parties,
  pairBudget = PAIR_BUDGET,
): Generator<void, Alignment, void> {
  const cs: Side = { parties: canonicalParties };
  const ds: Side = { parties: draftParties };
  const al: Alignment = { pairs: [], toCanonical: new Map(), toDraft: new Map(), canonicalParties, draftParties };

  const artMatch = yield* matchSiblings(canonical.articles, draft.articles, cs, ds, pairBudget);
  const annexMatch = yield* matchSiblings(canonical.annexes, draft.annexes, cs, ds, pairBudget);
  pairAnnexesByName(canonical.annexes, draft.annexes, annexMatch);
  al.pairs = [...arrange(canonical.articles, draft.articles, artMatch), ...arrange(canonical.annexes, draft.annexes, annexMatch)];
  yield;
  for (const p of al.pairs) {
    if (p.canonical && p.draft) {
      al.toCanonical.set(p.draft, p.canonical);
      al.toDraft.set(p.canonical, p.draft);
      yield* alignChildren(p, cs, ds, al, pairBudget);
      yield;
    }
  }
  return al;
}

/**
 * The pair tree of one canonical unit and one draft unit, aligned below them as `alignDocuments`
 * aligns the children of a top-level pair (a quick fix checks with it what its text becomes).
 */
export function alignPair(canonical: Unit, draft: Unit, canonicalParties: Parties, draftParties: Parties): UnitPair {
  const al: Alignment = { pairs: [], toCanonical: new Map(), toDraft: new Map(), canonicalParties, draftParties };
  const pair: UnitPair = { canonical, draft, score: 0, children: [] };
  runToEnd(alignChildren(pair, { parties: canonicalParties }, { parties: draftParties }, al));
  return pair;
}

/**
 * Fills, a few draft units at a time, the memos that `alignDocuments` reads for the top-level
 * units (normalised texts, headings, pair scores), yielding after every `every` draft units: the
 * asynchronous lint runs it first so that the first alignment of a large draft (thousands of
 * articles against the template's) does not hold the event loop in one piece. It computes what
 * the alignment would compute, so the alignment is unchanged.
 */
export function* warmAlignment(
  canonical: ParsedDocument,
  draft: ParsedDocument,
  canonicalParties: Parties,
  draftParties: Parties,
  every = 32,
): Generator<void, void, void> {
  const cs: Side = { parties: canonicalParties };
  const ds: Side = { parties: draftParties };
  let n = 0;
  for (const [canon, drafts] of [
    [canonical.articles, draft.articles],
    [canonical.annexes, draft.annexes],
  ] as const) {
    const ck = canonKeys(canon, cs);
    for (const d of drafts) {
      scoreRow(ck, unitKey(d, ds), headingText(d));
      if (++n % every === 0) yield;
    }
  }
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
