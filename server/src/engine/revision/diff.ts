/**
 * Compares two revisions of one document, clause by clause.
 *
 *   const report = diffRevisions(oldText, newText, { tokenizer, oldName: 'rev2.txt', newName: 'rev3.txt' });
 *
 * Revision A (older) plays the canonical's part in the engine's aligner (align/align.ts), which
 * pairs units by content whatever their numbers; B (newer) plays the draft's. Each pair is then:
 * renumbered (shown once per run of siblings renumbered alike), moved (out of order against its
 * siblings), split or merged (an added or removed neighbour whose text the pair accounts for),
 * and its own wording compared (revision/wording.ts). Units without a counterpart are added or
 * removed; a chapter whose articles are all new is one added chapter. References whose target
 * changed are found with the reference resolver's template hook (refs/template.ts), A standing
 * for the template.
 *
 * Works with no canonical template at all: any two revisions of a Japanese contract or statute.
 */
import { alignDocuments, alignSteps, type UnitPair } from '../align/align';
import { comparedBlock } from '../clause/stage';
import { parseSteps } from '../model/parser';
import type { ParsedDocument, Span, TextBlock, Unit, UnitKind } from '../model/types';
import { getReferences, warmReferences } from '../refs/resolve';
import { checkAgainstTemplate } from '../refs/template';
import { concatBlocks } from '../text/block';
import { runInSlices, runToEnd, type SliceOptions, type SliceStats } from '../steps';
import { fallbackTokenize } from '../tokenizer/fallback';
import type { Tokenizer } from '../tokenizer/types';
import { detectParties, type Parties } from '../templates';
import type {
  Direction,
  RenumberRun,
  RevisionDocInfo,
  RevisionReport,
  RevisionSummary,
  UnitChange,
  UnitRef,
  WordChange,
} from './types';
import { compactForm, compareWording, SpanSet } from './wording';
import { allUnits } from '../model/walk';
import { containment, dice, displayLabel, longestIncreasing, normFull, ownNumber, RefMaker } from './units';

export interface DiffOptions {
  /** Names shown in the report (file names, "HEAD:draft.txt"…). */
  oldName?: string;
  newName?: string;
  /** kuromoji; without one, a coarse character-class tokenizer (wording changes are coarser). */
  tokenizer?: Tokenizer | null;
  /** Larger texts are not compared. */
  maxChars?: number;
}

const FATAL = new Set(['binary', 'empty', 'too-large']);
const CONTAINERS: ReadonlySet<UnitKind> = new Set(['part', 'chapter', 'division']);

/** Thresholds for split and merge: the pair's text accounts for the neighbour's. */
const SPLIT_MIN_SIMILARITY = 0.75;
const SPLIT_MIN_GAIN = 0.08;
const SPLIT_MIN_CONTAINMENT = 0.75;
/** Below the aligner's threshold, but still the same unit rewritten when in the same place. */
const REWRITE_MIN_SIMILARITY = 0.3;

const coarseTokenizer: Tokenizer = { tokenize: (text) => fallbackTokenize(text) };

function docInfo(doc: ParsedDocument, name: string): RevisionDocInfo {
  const problems = doc.problems.map((p) => p.code).filter((c) => FATAL.has(c));
  if (doc.articles.length + doc.annexes.length === 0 && problems.length === 0) problems.push('no-articles');
  return {
    name,
    title: doc.title?.block.text ?? null,
    chars: doc.text.length,
    articles: doc.articles.length,
    annexes: doc.annexes.length,
    problems,
  };
}

function emptySummary(): RevisionSummary {
  return {
    added: 0,
    removed: 0,
    moved: 0,
    split: 0,
    merged: 0,
    changed: 0,
    renumbered: 0,
    renumberRuns: 0,
    weakened: 0,
    strengthened: 0,
    neutral: 0,
    equivalent: true,
  };
}

function overall(ws: WordChange[]): Direction | 'mixed' | null {
  if (!ws.length) return null;
  const weak = ws.some((w) => w.direction === 'weakened');
  const strong = ws.some((w) => w.direction === 'strengthened');
  return weak && strong ? 'mixed' : weak ? 'weakened' : strong ? 'strengthened' : 'neutral';
}

/** A stand-in document holding some units as its articles, to align them with the aligner. */
function holder(like: ParsedDocument, units: Unit[]): ParsedDocument {
  return { ...like, units, articles: units, annexes: [], free: [], problems: [], title: null };
}

interface Group {
  host: UnitPair;
  /** Units of the other side the host accounts for, besides its own counterpart. */
  extra: Unit[];
}

/** Compares two revisions. Never throws on any input: an unusable one gives `error`. */
export function diffRevisions(oldText: string, newText: string, options: DiffOptions = {}): RevisionReport {
  return runToEnd(diffSteps(oldText, newText, options));
}

/**
 * `diffRevisions` run so that it never holds the event loop for long (the language server: a
 * comparison of two large revisions takes seconds, and edits and other requests must be answered
 * meanwhile): it yields about every `sliceMs`, and stops — resolving to null — as soon as
 * `isCancelled()` turns true. The same report; its `elapsedMs` counts the pauses too.
 */
export async function diffRevisionsAsync(
  oldText: string,
  newText: string,
  options: DiffOptions & SliceOptions = {},
  stats?: SliceStats,
): Promise<RevisionReport | null> {
  const r = await runInSlices(diffSteps(oldText, newText, options), options, stats);
  return r ? r.value : null;
}

/**
 * `diffRevisions` as steps: pauses while each revision is parsed and its references resolved,
 * while they are aligned (align.ts `alignSteps`) and after each pair compared.
 */
export function* diffSteps(oldText: string, newText: string, options: DiffOptions = {}): Generator<void, RevisionReport, void> {
  const t0 = performance.now();
  const A = yield* parseSteps(oldText, { maxChars: options.maxChars });
  const B = yield* parseSteps(newText, { maxChars: options.maxChars });
  const report: RevisionReport = {
    old: docInfo(A, options.oldName ?? 'A'),
    new: docInfo(B, options.newName ?? 'B'),
    summary: emptySummary(),
    changes: [],
    renumbering: [],
    weakenings: [],
    elapsedMs: 0,
  };
  const bad = report.old.problems.length ? report.old : report.new.problems.length ? report.new : null;
  if (bad) {
    report.error = { key: `diff:error-${bad.problems[0]}`, data: { file: bad.name } };
    report.summary.equivalent = false;
    report.elapsedMs = performance.now() - t0;
    return report;
  }
  yield* new Differ(A, B, options.tokenizer ?? coarseTokenizer, report).run();
  report.elapsedMs = performance.now() - t0;
  return report;
}

class Differ {
  private readonly pA: Parties;
  private readonly pB: Parties;
  private readonly refA: RefMaker;
  private readonly refB: RefMaker;
  private readonly changes: UnitChange[] = [];
  private readonly runs: RenumberRun[] = [];
  /** Added and removed units, for chapters to take their articles over. */
  private readonly byUnit = new Map<Unit, UnitChange>();
  /** Reference changes by the B unit whose text holds the reference. */
  private readonly refChanges = new Map<Unit, WordChange[]>();
  private seq = 0;
  /** Set by `run` once each revision's references are resolved. */
  private numbersA = new SpanSet([]);
  private numbersB = new SpanSet([]);

  constructor(
    private readonly A: ParsedDocument,
    private readonly B: ParsedDocument,
    private readonly tokenizer: Tokenizer,
    private readonly report: RevisionReport,
  ) {
    this.pA = detectParties(A.text);
    this.pB = detectParties(B.text);
    this.refA = new RefMaker(A);
    this.refB = new RefMaker(B);
  }

  *run(): Generator<void, void, void> {
    const { A, B } = this;
    yield* warmReferences(A);
    this.numbersA = referenceNumbers(A);
    yield* warmReferences(B);
    this.numbersB = referenceNumbers(B);
    const al = yield* alignSteps(A, B, this.pA, this.pB);
    this.findRetargeted(al.toDraft);
    yield;

    const isAnnex = (p: UnitPair): boolean => (p.canonical ?? p.draft)?.kind === 'annex';
    yield* this.processList(al.pairs.filter((p) => !isAnnex(p)), A.articles, null);
    yield* this.processList(al.pairs.filter(isAnnex), A.annexes, null);
    this.processContainers(al.toDraft);

    const changes = this.changes.sort((x, y) => x.anchor.start - y.anchor.start || order(x) - order(y));
    const s = this.report.summary;
    for (const c of changes) {
      if (c.kind === 'added') s.added++;
      else if (c.kind === 'removed') s.removed++;
      else if (c.kind === 'moved') s.moved++;
      else if (c.kind === 'split') s.split++;
      else if (c.kind === 'merged') s.merged++;
      if (c.wording.length) s.changed++;
      c.wording.forEach((w, i) => {
        s[w.direction]++;
        if (w.direction === 'weakened') this.report.weakenings.push({ change: c.id, index: i });
      });
    }
    const runs = this.runs.sort((x, y) => x.anchor.start - y.anchor.start);
    s.renumberRuns = runs.length;
    s.renumbered = runs.reduce((n, r) => n + r.units.length, 0);
    s.equivalent = !changes.some((c) => c.substantive);
    this.report.changes = changes;
    this.report.renumbering = runs;
  }

  // ------------------------------------------------------------------------------------------

  private id(prefix: string): string {
    return `${prefix}${++this.seq}`;
  }

  /** The first line of a B unit: where a diagnostic about the whole unit goes. */
  private firstLine(u: Unit): Span {
    const text = this.B.text;
    let end = u.span.start;
    while (end < u.span.end && text[end] !== '\n' && text[end] !== '\r') end++;
    return { start: u.span.start, end: Math.max(end, Math.min(u.span.start + 1, text.length)) };
  }

  /**
   * Where a removed unit was, in B: the first line of the B unit after it, else the end of the one
   * before — with none after it, the list's last B unit. `nextDraft[k]`: the first pair from k on
   * with a B unit, pairs.length when none; `lastDraft`: the last pair with one, -1 when none (see
   * processList).
   */
  private anchorForRemoved(pairs: UnitPair[], k: number, parentB: Unit | null, nextDraft: Int32Array, lastDraft: number): Span {
    const after = nextDraft[k + 1];
    if (after < pairs.length) return this.firstLine(pairs[after].draft as Unit);
    if (lastDraft >= 0) {
      const d = pairs[lastDraft].draft as Unit;
      return { start: Math.max(d.span.start, d.span.end - 1), end: d.span.end };
    }
    if (parentB) return this.firstLine(parentB);
    return { start: 0, end: Math.min(1, this.B.text.length) };
  }

  private findRetargeted(toDraft: Map<Unit, Unit>): void {
    const mismatches = checkAgainstTemplate(getReferences(this.B), { canonical: this.A, draftUnitFor: (a) => toDraft.get(a) });
    for (const m of mismatches) {
      const src = m.ref.source;
      if (!src) continue;
      const list = this.refChanges.get(src) ?? [];
      list.push({
        scale: 'reference',
        direction: 'neutral',
        messageId: 'reference-retargeted',
        data: {
          ref: m.ref.text,
          target: m.ref.targets.map(displayLabel).join('、') || '-',
          expected: displayLabel(m.expected),
          old: m.canonicalRef.text,
          new: m.ref.text,
        },
        oldText: m.canonicalRef.text,
        newText: m.ref.text,
        oldSpan: m.canonicalRef.span,
        newSpan: m.ref.span,
      });
      this.refChanges.set(src, list);
    }
  }

  // ------------------------------------------------------------------------------------------
  // One list of sibling pairs

  /** `runs` false: the units regrouped by a split or merge, whose numbers say nothing on their own. */
  private *processList(input: UnitPair[], siblingsA: Unit[], parentB: Unit | null, runs = true): Generator<void, void, void> {
    const { pairs, rewritten } = this.pairGaps(input);
    // Moved: pairs out of A's order (outside a longest run in order).
    const both = pairs.filter((p) => p.canonical && p.draft);
    const place = new Map<Unit, number>();
    siblingsA.forEach((u, i) => place.set(u, i));
    const aIndex = both.map((p) => place.get(p.canonical as Unit) ?? -1);
    const inOrder = longestIncreasing(aIndex);
    const moved = new Set(both.filter((_, i) => !inOrder.has(i)));

    const splits = this.groups(pairs, 'split', moved);
    const merges = this.groups(pairs, 'merge', moved);
    const consumed = new Set<Unit>();
    for (const g of [...splits.values(), ...merges.values()]) for (const u of g.extra) consumed.add(u);

    // per pair, the first pair from it on with a B unit (pairs.length when none): where a removed unit is shown
    const nextDraft = new Int32Array(pairs.length + 1);
    nextDraft[pairs.length] = pairs.length;
    for (let k = pairs.length - 1; k >= 0; k--) nextDraft[k] = pairs[k].draft ? k : nextDraft[k + 1];
    let lastDraft = pairs.length - 1;
    while (lastDraft >= 0 && !pairs[lastDraft].draft) lastDraft--;
    const runCandidates: UnitPair[] = [];
    for (let k = 0; k < pairs.length; k++) {
      const p = pairs[k];
      const c = p.canonical;
      const d = p.draft;
      if (c && d) {
        const split = splits.get(p);
        const merge = merges.get(p);
        if (rewritten.has(p)) {
          this.handleRewritten(p, moved.has(p));
          if (!moved.has(p)) runCandidates.push(p);
        } else if (split || merge) yield* this.handleGroup(p, split ?? (merge as Group), split ? 'split' : 'merged');
        else {
          yield* this.handlePair(p, moved.has(p));
          if (!moved.has(p)) runCandidates.push(p);
        }
        yield;
        continue;
      }
      if (d && !consumed.has(d)) this.push(this.unitOnly(d, 'added', this.firstLine(d)));
      if (c && !consumed.has(c)) this.push(this.unitOnly(c, 'removed', this.anchorForRemoved(pairs, k, parentB, nextDraft, lastDraft)));
    }
    if (runs) this.collectRuns(runCandidates, (p) => [p.canonical as Unit, p.draft as Unit]);
  }

  /**
   * A unit rewritten beyond what the aligner pairs by content: between the same neighbours, one
   * removed and one added unit of the same kind with the same number (or still somewhat alike)
   * are the old and the new wording of one unit, not a deletion and an unrelated insertion.
   */
  private pairGaps(input: UnitPair[]): { pairs: UnitPair[]; rewritten: Set<UnitPair> } {
    const rewritten = new Set<UnitPair>();
    const pairs: UnitPair[] = [];
    let gap: UnitPair[] = [];
    const flush = (): void => {
      const removed = gap.filter((p) => !p.draft);
      const added = gap.filter((p) => !p.canonical);
      const alike = (c: Unit, d: Unit): boolean =>
        c.kind === d.kind && (ownNumber(c) === ownNumber(d) || dice(normFull(c, this.pA), normFull(d, this.pB)) >= REWRITE_MIN_SIMILARITY);
      if (removed.length && removed.length === added.length && removed.every((p, i) => alike(p.canonical as Unit, added[i].draft as Unit))) {
        for (let i = 0; i < added.length; i++) {
          const forced: UnitPair = { canonical: removed[i].canonical, draft: added[i].draft, score: 0, children: [] };
          rewritten.add(forced);
          pairs.push(forced);
        }
      } else pairs.push(...gap);
      gap = [];
    };
    for (const p of input) {
      if (p.canonical && p.draft) {
        flush();
        pairs.push(p);
      } else gap.push(p);
    }
    flush();
    return { pairs, rewritten };
  }

  /** A rewritten unit: its whole text compared at once (its parts did not pair). */
  private handleRewritten(p: UnitPair, moved: boolean): void {
    const c = p.canonical as Unit;
    const d = p.draft as Unit;
    const flat = (u: Unit): Unit => ({ ...u, body: flatBlock(u), children: [] });
    const w = this.wordingOf(flat(c), flat(d), allUnits(holder(this.B, [d])));
    this.pushChanged(c, d, moved, w);
  }

  /**
   * Split (one A unit became its B counterpart plus added neighbours) or merge (one B unit took
   * in removed neighbours of its A counterpart): the neighbour's text is found in the pair's,
   * and the pair's similarity rises when the neighbour joins.
   */
  private groups(pairs: UnitPair[], what: 'split' | 'merge', moved: Set<UnitPair>): Map<UnitPair, Group> {
    const out = new Map<UnitPair, Group>();
    const hostOf = new Map<Unit, Group>();
    const lone = (p: UnitPair): Unit | null => (what === 'split' ? (!p.canonical && p.draft) || null : (!p.draft && p.canonical) || null);
    for (let k = 0; k < pairs.length; k++) {
      const u = lone(pairs[k]);
      if (!u) continue;
      let best: { g: Group; gain: number } | null = null;
      for (const j of [k - 1, k + 1]) {
        const q = pairs[j];
        if (!q) continue;
        let g: Group | undefined;
        if (q.canonical && q.draft && !moved.has(q)) g = out.get(q) ?? { host: q, extra: [] };
        else {
          const other = lone(q);
          g = other ? hostOf.get(other) : undefined;
        }
        if (!g) continue;
        const gain = this.gain(g, u);
        if (gain !== null && (!best || gain > best.gain)) best = { g, gain };
      }
      if (best) {
        const g = best.g;
        // keep the extra units in document order
        g.extra.push(u);
        const ord = (x: Unit): number => x.span.start;
        g.extra.sort((x, y) => ord(x) - ord(y));
        out.set(g.host, g);
        hostOf.set(u, g);
      }
    }
    return out;
  }

  /** How much a neighbour raises the group's similarity, or null when it does not belong. */
  private gain(g: Group, u: Unit): number | null {
    const c = g.host.canonical as Unit;
    const d = g.host.draft as Unit;
    // a split: the draft's pieces grow towards the canonical unit; a merge: the other way round
    const splitting = !this.isCanonicalSide(u);
    const [whole, wholeParties, part, partParties] = splitting ? [c, this.pA, d, this.pB] : [d, this.pB, c, this.pA];
    const ordered = (xs: Unit[]): Unit[] => [...xs].sort((x, y) => x.span.start - y.span.start);
    const target = normFull(whole, wholeParties);
    const s0 = dice(target, normFull(ordered([part, ...g.extra]), partParties));
    const s1 = dice(target, normFull(ordered([part, ...g.extra, u]), partParties));
    if (s1 >= SPLIT_MIN_SIMILARITY && s1 - s0 >= SPLIT_MIN_GAIN && containment(normFull(u, partParties), target) >= SPLIT_MIN_CONTAINMENT) return s1 - s0;
    return null;
  }

  /** Units are distinct objects per parse: a unit of A lies in A's unit tree. */
  private isCanonicalSide(u: Unit): boolean {
    return this.unitsA().has(u);
  }

  private unitsAMemo: Set<Unit> | null = null;
  private unitsA(): Set<Unit> {
    return (this.unitsAMemo ??= new Set(allUnits(this.A)));
  }

  // ------------------------------------------------------------------------------------------
  // Pairs

  private push(c: UnitChange): void {
    this.changes.push(c);
  }

  private unitOnly(u: Unit, kind: 'added' | 'removed', anchor: Span): UnitChange {
    const ref = kind === 'added' ? this.refB.ref(u) : this.refA.ref(u);
    const c: UnitChange = {
      id: this.id('c'),
      kind,
      unitKind: u.kind,
      old: kind === 'removed' ? ref : null,
      new: kind === 'added' ? ref : null,
      renumbered: false,
      related: [],
      wording: [],
      direction: null,
      substantive: true,
      oldSegments: null,
      newSegments: null,
      anchor,
    };
    this.byUnit.set(u, c);
    return c;
  }

  /** Heading of an article or a chapter (other units compare their heading with their text). */
  private headingChange(c: Unit, d: Unit): WordChange[] {
    if (c.kind !== 'article' && !CONTAINERS.has(c.kind)) return [];
    const h = (u: Unit): string => compactForm(u.heading?.text ?? '');
    if (h(c) === h(d)) return [];
    const oldText = c.heading?.text ?? '';
    const newText = d.heading?.text ?? '';
    return [
      {
        scale: 'heading',
        direction: 'neutral',
        messageId: !oldText ? 'heading-added' : !newText ? 'heading-removed' : 'heading-changed',
        data: { old: oldText, new: newText },
        oldText,
        newText,
        oldSpan: c.heading?.span ?? null,
        newSpan: d.heading?.span ?? null,
      },
    ];
  }

  /** A unit present in both revisions whose wording changed, or that moved. */
  private pushChanged(c: Unit, d: Unit, moved: boolean, w: Pick<UnitChange, 'wording' | 'oldSegments' | 'newSegments'>): void {
    this.push({
      id: this.id('c'),
      kind: moved ? 'moved' : 'changed',
      unitKind: d.kind,
      old: this.refA.ref(c),
      new: this.refB.ref(d),
      renumbered: ownNumber(c) !== ownNumber(d),
      related: [],
      ...w,
      direction: overall(w.wording),
      substantive: true,
      anchor: this.firstLine(d),
    });
  }

  private wordingOf(c: Unit, d: Unit, realD: Unit[]): Pick<UnitChange, 'wording' | 'oldSegments' | 'newSegments'> {
    const w = compareWording({
      oldBlock: comparedBlock(c),
      newBlock: comparedBlock(d),
      oldParties: this.pA,
      newParties: this.pB,
      tokenizer: this.tokenizer,
      oldNumbers: this.numbersA,
      newNumbers: this.numbersB,
    });
    const refs = realD.flatMap((u) => this.refChanges.get(u) ?? []);
    const wording = [...this.headingChange(c, d), ...(w?.changes ?? []), ...refs];
    return { wording, oldSegments: w?.oldSegments ?? null, newSegments: w?.newSegments ?? null };
  }

  private *handlePair(p: UnitPair, moved: boolean): Generator<void, void, void> {
    const c = p.canonical as Unit;
    const d = p.draft as Unit;
    const w = this.wordingOf(c, d, [d]);
    if (moved || w.wording.length) {
      this.pushChanged(c, d, moved, w);
    }
    yield* this.processList(p.children, c.children, d);
  }

  /** A split or a merge: the group's units joined on one side, aligned again with the aligner. */
  private *handleGroup(p: UnitPair, g: Group, kind: 'split' | 'merged'): Generator<void, void, void> {
    const c = p.canonical as Unit;
    const d = p.draft as Unit;
    const join = (host: Unit, extra: Unit[]): Unit => {
      const all = [host, ...extra].sort((x, y) => x.span.start - y.span.start);
      let body = null;
      for (const u of all) body = concatBlocks(body, comparedBlock(u) ?? null);
      return { ...host, body, children: all.flatMap((u) => u.children), heading: host.heading };
    };
    const cj = kind === 'merged' ? join(c, g.extra) : c;
    const dj = kind === 'split' ? join(d, g.extra) : d;
    const al = alignDocuments(holder(this.A, [cj]), holder(this.B, [dj]), this.pA, this.pB);
    const top = al.pairs.find((x) => x.canonical && x.draft);
    const realD = kind === 'split' ? [d, ...g.extra] : [d];
    const w = this.wordingOf(cj, dj, realD);
    this.push({
      id: this.id('c'),
      kind,
      unitKind: d.kind,
      old: this.refA.ref(c),
      new: this.refB.ref(d),
      renumbered: false,
      related: g.extra.map((u) => (kind === 'split' ? this.refB.ref(u) : this.refA.ref(u))),
      ...w,
      direction: overall(w.wording),
      substantive: true,
      anchor: this.firstLine(d),
    });
    if (top) yield* this.processList(top.children, cj.children, d, false);
  }

  // ------------------------------------------------------------------------------------------
  // Renumbering

  /** Groups consecutive renumbered siblings with the same shift into runs. */
  private collectRuns<T>(items: T[], units: (x: T) => [Unit, Unit]): void {
    let run: RenumberRun | null = null;
    for (const it of items) {
      const [c, d] = units(it);
      if (ownNumber(c) === ownNumber(d)) {
        run = null;
        continue;
      }
      const cv = c.number?.value ?? [1];
      const dv = d.number?.value ?? [1];
      const delta = cv.length === 1 && dv.length === 1 ? dv[0] - cv[0] : null;
      if (!run || delta === null || run.delta !== delta || run.unitKind !== d.kind) {
        run = { id: this.id('r'), unitKind: d.kind, delta, units: [], anchor: d.number?.span ?? this.firstLine(d) };
        this.runs.push(run);
      }
      run.units.push({ old: this.refA.ref(c), new: this.refB.ref(d) });
    }
  }

  // ------------------------------------------------------------------------------------------
  // Chapters, parts and divisions: paired through the articles they hold

  private processContainers(toDraft: Map<Unit, Unit>): void {
    const conts = (doc: ParsedDocument): Unit[] => allUnits(doc).filter((u) => CONTAINERS.has(u.kind));
    const cA = conts(this.A);
    const cB = conts(this.B);
    if (!cA.length && !cB.length) return;
    const owner = (list: Unit[]): Map<Unit, Unit> => {
      const m = new Map<Unit, Unit>();
      for (const k of list) for (const ch of k.children) if (ch.kind === 'article') m.set(ch, k);
      return m;
    };
    const ownA = owner(cA);
    const ownB = owner(cB);
    const articlesOf = (k: Unit): Unit[] => k.children.filter((x) => x.kind === 'article');

    // votes: B container → A container → articles shared
    const votes = new Map<Unit, Map<Unit, number>>();
    for (const [a, b] of toDraft) {
      if (a.kind !== 'article') continue;
      const ka = ownA.get(a);
      const kb = ownB.get(b);
      if (!ka || !kb || ka.kind !== kb.kind) continue;
      const m = votes.get(kb) ?? new Map<Unit, number>();
      m.set(ka, (m.get(ka) ?? 0) + 1);
      votes.set(kb, m);
    }
    const cands: { a: Unit; b: Unit; n: number }[] = [];
    for (const [b, m] of votes) for (const [a, n] of m) cands.push({ a, b, n });
    // Containers without articles pair on the same kind, heading and number.
    for (const b of cB) {
      if (votes.has(b)) continue;
      const a = cA.find((x) => x.kind === b.kind && !articlesOf(x).length && compactForm(x.heading?.text ?? '') === compactForm(b.heading?.text ?? ''));
      if (a) cands.push({ a, b, n: 0.5 });
    }
    cands.sort((x, y) => y.n - x.n);
    const pairedA = new Map<Unit, Unit>();
    const pairedB = new Map<Unit, Unit>();
    for (const k of cands) {
      if (pairedA.has(k.a) || pairedB.has(k.b)) continue;
      pairedA.set(k.a, k.b);
      pairedB.set(k.b, k.a);
    }

    const runPairs: [Unit, Unit][] = [];
    for (const b of cB) {
      const a = pairedB.get(b);
      if (a) {
        runPairs.push([a, b]);
        const wording = this.headingChange(a, b);
        if (wording.length) {
          this.push({
            id: this.id('c'),
            kind: 'changed',
            unitKind: b.kind,
            old: this.refA.ref(a),
            new: this.refB.ref(b),
            renumbered: ownNumber(a) !== ownNumber(b),
            related: [],
            wording,
            direction: overall(wording),
            substantive: true,
            oldSegments: null,
            newSegments: null,
            anchor: this.firstLine(b),
          });
        }
        continue;
      }
      const change = this.unitOnly(b, 'added', this.firstLine(b));
      change.related = articlesOf(b)
        .filter((x) => this.byUnit.get(x)?.kind === 'added')
        .map((x) => this.refB.ref(x));
      this.absorb(articlesOf(b), 'added');
      this.push(change);
    }
    for (const a of cA) {
      if (pairedA.has(a)) continue;
      const arts = articlesOf(a);
      const removed = arts.filter((x) => this.byUnit.get(x)?.kind === 'removed');
      const anchor = removed.length ? (this.byUnit.get(removed[0]) as UnitChange).anchor : { start: 0, end: Math.min(1, this.B.text.length) };
      const change = this.unitOnly(a, 'removed', anchor);
      change.related = removed.map((x) => this.refA.ref(x));
      this.absorb(arts, 'removed');
      this.push(change);
    }
    this.collectRuns(runPairs, (x) => x);
  }

  /** Drops the added (removed) articles a new (deleted) chapter accounts for. */
  private absorb(units: Unit[], kind: 'added' | 'removed'): void {
    for (const u of units) {
      const c = this.byUnit.get(u);
      if (!c || c.kind !== kind) continue;
      const i = this.changes.indexOf(c);
      if (i >= 0) this.changes.splice(i, 1);
    }
  }
}

/** The text of a unit and all its descendants as one block (mapped to the source). */
function flatBlock(u: Unit): TextBlock | null {
  let out: TextBlock | null = null;
  const walk = (x: Unit): void => {
    out = concatBlocks(out, comparedBlock(x));
    for (const ch of x.children) walk(ch);
  };
  walk(u);
  return out;
}

/** Source spans of the numbers in a document's own references (not 会社法第２条). */
function referenceNumbers(doc: ParsedDocument): SpanSet {
  const spans: Span[] = [];
  for (const r of getReferences(doc).all) {
    if (r.kind === 'external') continue;
    for (const c of r.components) {
      if (c.numSpan) spans.push(c.numSpan);
      for (const b of c.branchSpans ?? []) spans.push(b);
    }
  }
  return new SpanSet(spans);
}

/** Containers before the units they hold when both start at one place. */
function order(c: UnitChange): number {
  return CONTAINERS.has(c.unitKind) ? 0 : 1;
}

export type { RevisionReport } from './types';
export type { UnitRef };
