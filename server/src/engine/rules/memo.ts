/**
 * Findings that survive an edit: a memo of what a rule reported for one text block, kept across
 * lints and replayed, shifted, when the same block comes back — in the same document after an
 * edit elsewhere, or anywhere else.
 *
 *   memoBlock(ctx, 'style/typo', '', block, (c) => checkBlock(c, block));
 *
 * (the style rules go through style/text.ts `checkStyleBlocks` (`memoBlocks`), lintAsync runs
 * them ahead through `styleBlockSteps` (`memoBlockSteps`) and the token warm-up asks
 * `styleMemoChecker` (`memoChecker`): one key for all three).
 *
 * Exact by construction, under one contract the caller keeps: what `run` reports depends only on
 * the block (its logical text and how it maps onto the source), the `context` string, the
 * settings and the tokenizer — never on other parts of the document. The key holds all of them:
 *   - the block's text and its layout: its segments relative to its start (so every source offset
 *     the rule computes through the block moves by the same amount as the block);
 *   - the rule id and `context` (anything else the rule reads: the block's kind …);
 *   - the settings, serialised once per analysis;
 *   - the tokenizer: one memo per tokenizer object (another dictionary or chunking, another memo).
 * A run whose reports reach outside the block's source span is not memoised (it is run again next
 * time); a cancelled run is not memoised either.
 *
 * The memo is bounded by the total length of the block texts it holds (second-chance LRU, tokenizer/lru.ts), like
 * the token cache; with it the token cache no longer has to hold the whole document's tokens for
 * a fast re-lint: an unchanged block is answered without being tokenised.
 *
 * Engine code: imports nothing from vscode or the LSP libraries.
 */
import type { Analysis } from '../analysis';
import type { Fix, RelatedInfo } from '../findings';
import type { Span, TextBlock } from '../model/types';
import { CharBoundedLru } from '../tokenizer/lru';
import type { Tokenizer } from '../tokenizer/types';
import type { Report, RuleContext } from './types';

/** Default bound of each memo: total length of its block keys (UTF-16 units). */
export const DEFAULT_MEMO_MAX_CHARS = 4_000_000;

/** A memoised run: its reports with every span relative to the block's start. */
type Entry = Map<string, readonly Report[]>;

const stores = new WeakMap<Tokenizer, CharBoundedLru<Entry>>();
/** Blocks without a tokenizer (structural rules before it is ready) share this memo. */
let untokenised: CharBoundedLru<Entry> | null = null;
let maxChars = DEFAULT_MEMO_MAX_CHARS;

function storeFor(tokenizer: Tokenizer | null): CharBoundedLru<Entry> | null {
  if (maxChars === 0) return null;
  if (!tokenizer) return (untokenised ??= new CharBoundedLru<Entry>(maxChars));
  let s = stores.get(tokenizer);
  if (!s) {
    s = new CharBoundedLru<Entry>(maxChars);
    stores.set(tokenizer, s);
  }
  return s;
}

/**
 * Changes the bound of the memos created from now on and of the block-free one (0 turns the
 * memo off: every run is run). For tests and front ends that want to trade memory for speed.
 */
export function setBlockMemoMaxChars(chars: number): void {
  maxChars = Number.isFinite(chars) && chars > 0 ? Math.floor(chars) : 0;
  untokenised = null;
}

/** Hit and miss counters of the memo of a tokenizer (tests, benchmarks). */
export function blockMemoStats(tokenizer: Tokenizer | null): { hits: number; misses: number; entries: number } {
  const s = tokenizer ? stores.get(tokenizer) : untokenised;
  const st = s?.stats();
  return { hits: (st?.hits ?? 0) + ((s && replayedInPlace.get(s)) ?? 0), misses: st?.misses ?? 0, entries: st?.entries ?? 0 };
}

const layouts = new WeakMap<TextBlock, string>();

/**
 * How a block's text maps onto the source, relative to its start (its segments and span length).
 * Memos are keyed by the block's text (the outer, bounded map) and then by this layout: blocks
 * with equal text and layout map every offset alike, up to where they start.
 */
export function blockLayout(block: TextBlock): string {
  const base = block.span.start;
  const only = block.segs.length === 1 ? block.segs[0] : null;
  if (only && only.textStart === 0 && only.srcStart === base && only.length === block.text.length && block.span.end - base === only.length) {
    // the common case, checked in constant time (no memo): the text is the source itself
    return '=';
  }
  let k = layouts.get(block);
  if (k !== undefined) return k;
  k = `${block.span.end - base}`;
  for (const s of block.segs) k += `,${s.textStart}:${s.srcStart - base}:${s.length}`;
  layouts.set(block, k);
  return k;
}

/** Each distinct settings object, serialised, gets a short id (keys stay short). */
const settingsIds = new Map<string, number>();
const settingsKeys = new WeakMap<Analysis, number>();

function settingsKey(analysis: Analysis): number {
  let k = settingsKeys.get(analysis);
  if (k === undefined) {
    const json = JSON.stringify(analysis.settings) ?? '';
    k = settingsIds.get(json);
    if (k === undefined) {
      // ids are never reused, even after the map is cleared: an old memo entry cannot match new settings
      if (settingsIds.size >= 1000) settingsIds.clear();
      k = nextSettingsId++;
      settingsIds.set(json, k);
    }
    settingsKeys.set(analysis, k);
  }
  return k;
}
let nextSettingsId = 1;

/** The key's tail for a rule, context and settings, and the whole key for the common '=' layout. */
interface Tail {
  tail: string;
  plain: string;
}

/**
 * Per analysis, rule and context: the key's tail (built once per analysis, not once per block:
 * ~20 k blocks per MB per rule). The tails themselves are kept across analyses, one object per
 * distinct tail, so that the memo's inner maps compare keys by pointer after an edit.
 */
const tails = new WeakMap<Analysis, Map<string, Map<string, Tail>>>();
const keptTails = new Map<string, Tail>();

function tailFor(analysis: Analysis, ruleId: string, context: string): Tail {
  let byRule = tails.get(analysis);
  if (!byRule) tails.set(analysis, (byRule = new Map()));
  let byContext = byRule.get(ruleId);
  if (!byContext) byRule.set(ruleId, (byContext = new Map()));
  let t = byContext.get(context);
  if (!t) {
    const tail = `\u0000${ruleId}\u0000${context}\u0000${settingsKey(analysis)}`;
    t = keptTails.get(tail);
    if (!t) {
      if (keptTails.size >= 10_000) keptTails.clear(); // contexts are few; bounded all the same
      keptTails.set(tail, (t = { tail, plain: `=${tail}` }));
    }
    byContext.set(context, t);
  }
  return t;
}

function keyWith(t: Tail, block: TextBlock): string {
  const layout = blockLayout(block);
  return layout === '=' ? t.plain : layout + t.tail;
}

/**
 * Whether a memoised run of `ruleId` over each item exists (the token warm-up skips such items),
 * as a function of the item's index in `items` — the list the rule will run over (`memoBlocks`).
 * The store and the key's tail are looked up once; the items the rule's last run holds before and
 * after an edit are answered without a lookup.
 */
export function memoChecker<B>(
  analysis: Analysis,
  ruleId: string,
  context: string,
  items: readonly B[],
  blockOf: (item: B) => TextBlock,
): (index: number) => boolean {
  const store = storeFor(analysis.tokenizer);
  if (!store) return () => false;
  const t = tailFor(analysis, ruleId, context);
  const list = blockListOf(items, blockOf);
  const known = lastRunReports(store, t, list);
  return (i) => {
    if (known(i)) return true;
    const block = list.blocks[i];
    return store.peek(block.text)?.has(keyWith(t, block)) ?? false;
  };
}

/**
 * Runs `run` over `block` with a context whose reports are recorded, or replays the reports of an
 * earlier run of the same rule over an identical block (see the file comment for the contract).
 */
export function memoBlock(
  ctx: RuleContext,
  ruleId: string,
  context: string,
  block: TextBlock,
  run: (ctx: RuleContext) => void,
): void {
  const store = storeFor(ctx.analysis.tokenizer);
  if (!store) {
    run(ctx);
    return;
  }
  memoRun(ctx, store, tailFor(ctx.analysis, ruleId, context), block, run, callRun);
}

function callRun(ctx: RuleContext, run: (ctx: RuleContext) => void): void {
  run(ctx);
}

/** A rule's run over a list of blocks: `check(ctx, item)` for each item, whose block is `blockOf(item)`. */
export interface BlockRun<B> {
  ruleId: string;
  /** See `memoBlock`. */
  context: string;
  /**
   * Not changed afterwards: the blocks of a list are read once per list object (`blockListOf`);
   * a document's style blocks are one array per parse.
   */
  items: readonly B[];
  blockOf: (item: B) => TextBlock;
  check: (ctx: RuleContext, item: B) => void;
}

/**
 * `memoBlock` over every item of the run, in order. The store and the key's tail are looked up
 * once, not once per block, and no closure is made per block. Stops when cancelled.
 */
export function memoBlocks<B>(ctx: RuleContext, run: BlockRun<B>): void {
  // a plain loop, not the steps below run to their end: this runs for every rule on every edit
  const store = storeFor(ctx.analysis.tokenizer);
  if (!store) {
    for (const item of run.items) {
      if (ctx.isCancelled()) return;
      run.check(ctx, item);
    }
    return;
  }
  const t = tailFor(ctx.analysis, run.ruleId, run.context);
  const items = run.items;
  const n = items.length;
  const list = blockListOf(items, run.blockOf);
  const blocks = list.blocks;
  // The blocks before and after an edit are the last run's: their reports are replayed from it
  // without a lookup per block (the same reports the memo holds for them, by its contract).
  const knownAt = lastRunReports(store, t, list);
  const reportsOf = new Array<readonly Report[] | null>(n);
  let replayed = 0;
  for (let i = 0; i < n; i++) {
    if (ctx.isCancelled()) {
      countReplays(store, replayed);
      return;
    }
    const block = blocks[i];
    const known = knownAt(i);
    if (known) {
      for (const r of known) ctx.report(shiftReport(r, block.span.start));
      reportsOf[i] = known;
      replayed++;
    } else {
      reportsOf[i] = memoRun(ctx, store, t, block, items[i], run.check);
    }
  }
  let byTail = lastRuns.get(store);
  if (!byTail) lastRuns.set(store, (byTail = new Map()));
  byTail.set(t, { keys: list.keys, reports: reportsOf });
  countReplays(store, replayed);
}

function countReplays(store: CharBoundedLru<Entry>, n: number): void {
  if (n > 0) replayedInPlace.set(store, (replayedInPlace.get(store) ?? 0) + n);
}

/**
 * The blocks of a run's item list, with their texts and layouts: made once per list (the style
 * rules all run over the same list of a document) and shared by the runs over it.
 */
interface BlockList {
  /** The blocks themselves; not kept by a last run (they belong to their parse). */
  blocks: TextBlock[];
  keys: BlockKeys;
}

/** What a last run keeps of its blocks: their texts (interned, detached) and layouts. */
interface BlockKeys {
  texts: string[];
  layouts: string[];
}

const blockLists = new WeakMap<readonly unknown[], BlockList>();

function blockListOf<B>(items: readonly B[], blockOf: (item: B) => TextBlock): BlockList {
  let list = blockLists.get(items);
  if (!list) {
    const n = items.length;
    list = { blocks: new Array<TextBlock>(n), keys: { texts: new Array<string>(n), layouts: new Array<string>(n) } };
    for (let i = 0; i < n; i++) {
      const b = blockOf(items[i]);
      list.blocks[i] = b;
      list.keys.texts[i] = b.text;
      list.keys.layouts[i] = blockLayout(b);
    }
    blockLists.set(items, list);
  }
  return list;
}

/**
 * A rule's last run over a document (per memo and key tail): its block list, and the reports
 * memoised for each block (spans relative to the block; null when its run was not memoised).
 * One per rule and context: a second document linted in turn replaces it, and is looked up in the
 * memo block by block as before.
 */
interface LastRun {
  keys: BlockKeys;
  reports: Array<readonly Report[] | null>;
}

const lastRuns = new WeakMap<CharBoundedLru<Entry>, Map<Tail, LastRun>>();
/** Blocks replayed from a last run, per memo (counted as the memo's hits in `blockMemoStats`). */
const replayedInPlace = new WeakMap<CharBoundedLru<Entry>, number>();

/**
 * The reports the rule's last run memoised for item i of `list`, when item i is one of that run's
 * blocks (before or after an edit); null otherwise.
 */
function lastRunReports(store: CharBoundedLru<Entry>, t: Tail, list: BlockList): (i: number) => readonly Report[] | null {
  const last = lastRuns.get(store)?.get(t);
  if (!last) return () => null;
  const kept = keptRange(last.keys, list.keys);
  return (i) => {
    const j = kept.lastIndex(i);
    return j >= 0 ? last.reports[j] : null;
  };
}

/** Where the blocks of a list are those of an earlier list: a common prefix and suffix. */
interface KeptRange {
  /** Index in the earlier list of block i of the later one, or -1 for a block in between. */
  lastIndex(i: number): number;
}

/** Per earlier list, per later list: computed once per lint, whichever rule asks first. */
const keptRanges = new WeakMap<BlockKeys, WeakMap<BlockKeys, KeptRange>>();

function keptRange(before: BlockKeys, now: BlockKeys): KeptRange {
  let byNow = keptRanges.get(before);
  if (!byNow) keptRanges.set(before, (byNow = new WeakMap()));
  let r = byNow.get(now);
  if (!r) {
    const n = now.texts.length;
    const m = before.texts.length;
    // texts are interned (text/intern.ts): an unchanged block's is the very string of the last run
    const same = (j: number, i: number): boolean => before.texts[j] === now.texts[i] && before.layouts[j] === now.layouts[i];
    let p = 0;
    while (p < n && p < m && same(p, p)) p++;
    let q = 0;
    while (q < n - p && q < m - p && same(m - 1 - q, n - 1 - q)) q++;
    r = { lastIndex: (i) => (i < p ? i : i >= n - q ? i - n + m : -1) };
    byNow.set(now, r);
  }
  return r;
}

/**
 * The run's checks ahead, as steps, for a caller that must not hold the event loop
 * (engine/lintAsync.ts): only the blocks without memoised reports are run, their reports memoised
 * (and passed to `ctx`), with a pause after each. Nothing when the memo is off: the rule would run
 * every block again anyway.
 */
export function* memoBlockSteps<B>(ctx: RuleContext, run: BlockRun<B>): Generator<void, void, void> {
  const store = storeFor(ctx.analysis.tokenizer);
  if (!store) return;
  const t = tailFor(ctx.analysis, run.ruleId, run.context);
  for (const item of run.items) {
    if (ctx.isCancelled()) return;
    const block = run.blockOf(item);
    if (store.peek(block.text)?.has(keyWith(t, block))) continue;
    memoRun(ctx, store, t, block, item, run.check);
    yield;
  }
}

/** Runs or replays one block (see `memoBlock`); returns its reports relative to the block, null when they are not memoised. */
function memoRun<B>(
  ctx: RuleContext,
  store: CharBoundedLru<Entry>,
  t: Tail,
  block: TextBlock,
  item: B,
  check: (ctx: RuleContext, item: B) => void,
): readonly Report[] | null {
  const key = block.text;
  const rk = keyWith(t, block);
  const entry = store.get(key);
  const hit = entry?.get(rk);
  if (hit) {
    for (const r of hit) ctx.report(shiftReport(r, block.span.start));
    return hit;
  }
  const recorded: Report[] = [];
  check(
    {
      doc: ctx.doc,
      analysis: ctx.analysis,
      isCancelled: ctx.isCancelled,
      report(r) {
        recorded.push(r);
        ctx.report(r);
      },
    },
    item,
  );
  if (ctx.isCancelled()) return null;
  const relative = relativeReports(recorded, block.span);
  if (!relative) return null;
  if (entry) entry.set(rk, relative);
  else store.set(key, new Map([[rk, relative]]));
  return relative;
}

// ---------------------------------------------------------------------------------------------
// Moving reports between absolute offsets and offsets relative to a block

/** Whether `s` (absent counts as inside) lies within `within`. Shared with the clause stage's pair memo. */
export function spanWithin(s: Span | undefined, within: Span): boolean {
  return !s || (s.start >= within.start && s.end <= within.end);
}

/** The reports with spans relative to `within.start`, or null when one reaches outside it. */
function relativeReports(reports: readonly Report[], within: Span): Report[] | null {
  const out: Report[] = [];
  for (const r of reports) {
    if (!spanWithin(r.span, within)) return null;
    if (r.fixes && !r.fixes.every((f) => f.edits.every((e) => spanWithin(e.span, within)))) return null;
    if (r.related && !r.related.every((x) => spanWithin(x.span, within))) return null;
    out.push(shiftReport(r, -within.start));
  }
  return out;
}

/** `s` moved by `by`. Shared with the clause stage's pair memo. */
export function shiftSpan(s: Span, by: number): Span {
  return { start: s.start + by, end: s.end + by };
}

/** A copy of the report with every span moved by `by` (the other fields are shared, read-only). */
export function shiftReport(r: Report, by: number): Report {
  const out: Report = { ...r, span: shiftSpan(r.span, by) };
  if (r.fixes) out.fixes = r.fixes.map((f): Fix => ({ ...f, edits: f.edits.map((e) => ({ ...e, span: shiftSpan(e.span, by) })) }));
  if (r.related) out.related = r.related.map((x): RelatedInfo => (x.span ? { ...x, span: shiftSpan(x.span, by) } : x));
  return out;
}
