/**
 * Engine figures, in this process: full lint of a document (cold: nothing memoised; warm: tokens
 * and findings memoised), raw kuromoji tokenisation of the same text, and the asynchronous lint's
 * longest synchronous slice.
 *
 * "Cold" runs use a fresh tokenizer object (sharing the built dictionary): its token cache and the
 * memos keyed by it (per-block findings, per-pair comparisons) start empty; the alignment and
 * reference-scan memos, which are not per tokenizer, are cleared too.
 */
import { resetAlignMemo } from '../server/src/engine/align/align';
import { lint, lintSteps } from '../server/src/engine/lint';
import { clearReferenceMemo } from '../server/src/engine/refs/memo';
import { resetScanMemo } from '../server/src/engine/refs/scan';
import { lintAsync } from '../server/src/engine/lintAsync';
import { loadTokenizer, type KuromojiTokenizer } from '../server/src/engine/tokenizer/kuromoji';
import { editPoints } from './lsp';
import { withoutArticle } from './synthetic';
import { median, MiB, now, times } from './stats';

export interface EngineFigures {
  bytes: number;
  chars: number;
  /** Full lint, nothing memoised (ms). */
  lintColdMs: number;
  lintColdMBps: number;
  /** Full lint again, every token and per-block finding memoised (ms). */
  lintWarmMs: number;
  /** Raw kuromoji `tokenize`, line by line, over the same text (ms). */
  tokeniseMs: number;
  /** The engine's tokenizer (lattice.ts; no cache) over the same lines (ms). */
  tokeniseOursMs: number;
  /** lintColdMs / tokeniseMs. */
  ratio: number;
  /** lintAsync, cold token cache: wall time and longest synchronous slice (ms). */
  asyncColdMs: number;
  asyncLongestSliceMs: number;
  /** lintAsync after a one-character edit (ms), and its longest synchronous slice. */
  asyncEditMs: number;
  asyncEditLongestSliceMs: number;
  /**
   * One edit's lint by stage, the slowest first (ms, median over the edits after the first
   * `STAGE_WARMUP`): where an edit's time goes, for the incremental pipeline to take away.
   * Stages: 'parse' (with the line index, directives and forms), 'clause stage' (template,
   * alignment), then each rule (its run, and what it computes on first use: the references for
   * broken-reference, the comparison for the first clause rule).
   */
  editStages: Array<{ stage: string; ms: number }>;
  /**
   * The same for the contract without any article headed `MISSING_HEADING` (a draft that lacks a
   * standard article: missing-article looks for its text in every draft article).
   */
  editStagesMissing: Array<{ stage: string; ms: number }>;
  /** Edits measured for `editStages` (and `editStagesMissing`). */
  editStagesCount: number;
  findings: number;
}

/** The standard article taken out of the contract for `editStagesMissing` (特記事項 第8). */
export const MISSING_HEADING = '生成ＡＩの利用';

/** Edits not counted in `editStages`: the JIT is still compiling the edit's paths. */
const STAGE_WARMUP = 6;

type Raw = { tokenize(text: string): unknown[] };

/** kuromoji's own tokenizer inside ours (shared dictionary; no chunking, no cache). */
function rawKuromoji(t: KuromojiTokenizer): Raw {
  return (t as unknown as { raw: Raw }).raw;
}

/** A tokenizer with nothing memoised for it, and the shared memos cleared. */
function coldTokenizer(base: KuromojiTokenizer): KuromojiTokenizer {
  resetAlignMemo();
  resetScanMemo();
  clearReferenceMemo();
  return base.withOptions({});
}

export async function engineFigures(text: string, runs: number): Promise<EngineFigures> {
  const base = await loadTokenizer();
  let tokenizer = base;
  const settings = { maxChars: 8 * MiB };
  const bytes = Buffer.byteLength(text);
  // JIT warm-up on a small piece, so the first measured run is not also the compiler's.
  lint(text.slice(0, 30_000), { tokenizer, settings });

  let findings = 0;
  const cold = await times(runs, () => {
    tokenizer = coldTokenizer(base);
    findings = lint(text, { tokenizer, settings }).findings.length;
  });
  const warm = await times(runs, () => lint(text, { tokenizer, settings }));

  const raw = rawKuromoji(tokenizer);
  const lines = text.split('\n');
  const tok = await times(runs, () => {
    for (const l of lines) if (l) raw.tokenize(l);
  });

  // the engine's own tokenizer (chunking, offsets, lattice.ts), without its cache
  const ours = base.withOptions({ maxChars: 0 });
  const tokOurs = await times(runs, () => {
    for (const l of lines) if (l) ours.tokenize(l);
  });

  const asyncCold: number[] = [];
  const asyncSlice: number[] = [];
  for (let i = 0; i < runs; i++) {
    tokenizer = coldTokenizer(base);
    const t = now();
    const r = await lintAsync(text, { tokenizer, settings });
    asyncCold.push(now() - t);
    asyncSlice.push(r.stats.longestSliceMs);
  }
  const asyncEdit: number[] = [];
  const asyncEditSlice: number[] = [];
  let doc = text;
  for (let i = 0; i < Math.max(5, runs); i++) {
    const at = Math.floor(((i + 0.5) / Math.max(5, runs)) * doc.length);
    doc = doc.slice(0, at) + 'の' + doc.slice(at);
    const t = now();
    const r = await lintAsync(doc, { tokenizer, settings });
    asyncEdit.push(now() - t);
    asyncEditSlice.push(r.stats.longestSliceMs);
  }
  const edits = STAGE_WARMUP + 24;
  const editStages = editStagesOf(text, edits, tokenizer, settings);
  const editStagesMissing = editStagesOf(withoutArticle(text, MISSING_HEADING), edits, tokenizer, settings);

  const lintColdMs = median(cold);
  const tokeniseMs = median(tok);
  return {
    bytes,
    chars: text.length,
    lintColdMs,
    lintColdMBps: bytes / MiB / (lintColdMs / 1000),
    lintWarmMs: median(warm),
    tokeniseMs,
    tokeniseOursMs: median(tokOurs),
    ratio: lintColdMs / tokeniseMs,
    asyncColdMs: median(asyncCold),
    asyncLongestSliceMs: median(asyncSlice),
    asyncEditMs: median(asyncEdit),
    asyncEditLongestSliceMs: median(asyncEditSlice),
    editStages,
    editStagesMissing,
    editStagesCount: edits - STAGE_WARMUP,
    findings,
  };
}

/**
 * One edit's lint by stage: the bench's own edits (bench/lsp.ts), alternately a character typed
 * and deleted; medians over the edits after the first `STAGE_WARMUP`, the slowest stage first.
 */
function editStagesOf(text: string, edits: number, tokenizer: KuromojiTokenizer, settings: { maxChars: number }): Array<{ stage: string; ms: number }> {
  const stageTimes = new Map<string, number[]>();
  let doc = text;
  lint(doc, { tokenizer, settings });
  for (let i = 0; i < edits; i++) {
    const at = editPoints(doc, edits)[i];
    doc = i % 2 === 0 ? doc.slice(0, at) + 'の' + doc.slice(at) : doc.slice(0, at - 1) + doc.slice(at);
    const steps = lintSteps(doc, { tokenizer, settings });
    let stage = 'parse';
    let t = now();
    const took = new Map<string, number>();
    for (let r = steps.next(); ; r = steps.next()) {
      if (!r.done && r.value.stage === 'parsing') continue;
      const ended = now();
      took.set(stage, (took.get(stage) ?? 0) + ended - t);
      if (r.done) break;
      stage = r.value.stage === 'parsed' ? 'clause stage' : r.value.stage === 'rule' ? `rule ${r.value.ruleId}` : 'rules';
      t = now();
    }
    if (i < STAGE_WARMUP) continue;
    for (const [k, v] of took) {
      const list = stageTimes.get(k);
      if (list) list.push(v);
      else stageTimes.set(k, [v]);
    }
  }
  return [...stageTimes].map(([stage, list]) => ({ stage, ms: median(list) })).sort((a, b) => b.ms - a.ms);
}
