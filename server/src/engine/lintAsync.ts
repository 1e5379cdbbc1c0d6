/**
 * The lint of lint.ts, run so that it never holds the event loop for long: for the language
 * server, where a new edit must be able to cancel the analysis of the previous version and other
 * requests must keep being answered while a large document is analysed.
 *
 *   const result = await lintAsync(text, { tokenizer, settings, isCancelled });
 *
 * It drives `lintSteps` and, at the 'prepared' pause (document parsed, template chosen, units
 * aligned), first tokenises every block the token rules will read — in slices of about `sliceMs`,
 * yielding to the event loop between slices and stopping as soon as `isCancelled()` turns true —
 * so that the token cache is warm and the rules that follow are all cache hits. Between lint
 * stages and rules it yields again whenever the current slice has run past `sliceMs`. Before a
 * rule runs, what the rule would compute in one piece over the whole document — the references,
 * the clause comparison, its check of every style block — is computed ahead in steps (`runAhead`),
 * so that the longest piece of work is one article or one block, not one rule.
 * After an edit only the changed paragraphs miss the cache: the warm-up is then a few
 * milliseconds.
 *
 * The findings are exactly those of `lint` on the same input (the same code computes them).
 * Engine code: imports nothing from vscode or the LSP libraries.
 */
import { allPairs, warmAlignment } from './align/align';
import { draftParties } from './align/normalize';
import { comparedBlock, correctedBlock, pairNeedsNoTokens, warmDeviations } from './clause/stage';
import { configuredLevel, lintSteps, type LintOptions, type LintPause, type LintResult } from './lint';
import { warmReferences } from './refs/resolve';
import { RULES } from './rules/registry';
import { styleBlocks, styleBlockSteps, styleMemoChecker, type StyleBlock } from './rules/style/text';
import type { Rule } from './rules/types';
import { DEFAULT_SLICE_MS, setImmediatePause, type SliceOptions } from './steps';
import { chooseTemplate } from './templates';
import type { Tokenizer } from './tokenizer/types';

export interface AsyncLintOptions extends LintOptions, Omit<SliceOptions, 'isCancelled'> {}

export interface AsyncLintStats {
  /** Strings handed to the tokenizer during the warm-up (cache hits included). */
  warmed: number;
  /** Their total length (UTF-16 units). */
  warmedChars: number;
  /** Times lintAsync yielded to the event loop. */
  yields: number;
  /** Longest synchronous stretch between two yields (ms): a rule or stage that cannot be cut. */
  longestSliceMs: number;
  /** What that stretch ended in: 'parsing', 'alignment', 'clause stage', 'token warm-up', 'rule ID', 'ahead of ID'. */
  longestSliceAt: string;
  /** Time spent in the warm-up (ms, wall clock, yields included). */
  warmupMs: number;
}

export interface AsyncLintResult extends LintResult {
  stats: AsyncLintStats;
}

/**
 * The texts the token rules will tokenise in this lint, in document order, without repeats:
 * every style block (when a style rule that needs tokens runs) and both sides of every aligned
 * pair (when a clause rule that needs tokens runs) — except the blocks and pairs whose findings
 * are memoised from an earlier lint (rules/memo.ts, the clause stage's pair memo): the rules will
 * not tokenise those. Exported for tests.
 */
export function tokenDemand(pause: LintPause, options: LintOptions = {}): string[] {
  return demand(pause, options).texts;
}

interface Demand {
  /** What the token rules will tokenise (see `tokenDemand`). */
  texts: string[];
  /** Per style rule (by id): the style blocks whose reports are not memoised. */
  unmemoised: Map<string, StyleBlock[]>;
}

function demand(pause: LintPause, options: LintOptions): Demand {
  const { document, analysis } = pause;
  const unmemoised = new Map<string, StyleBlock[]>();
  if (!analysis.tokenizer) return { texts: [], unmemoised };
  const analysable = !document.problems.some((p) => p.code === 'binary' || p.code === 'too-large');
  if (!analysable) return { texts: [], unmemoised };
  const styleRules: string[] = [];
  let clause = false;
  for (const rule of RULES) {
    if (!rule.meta.needs.tokens) continue;
    if (options.only && !options.only.includes(rule.id)) continue;
    if (configuredLevel(rule, analysis.settings) === 'off') continue;
    if (rule.meta.category === 'clause') clause = true;
    else styleRules.push(rule.id);
  }
  const seen = new Set<string>();
  const out: string[] = [];
  const add = (text: string | undefined): void => {
    if (!text || seen.has(text)) return;
    seen.add(text);
    out.push(text);
  };
  const blocks = styleRules.length > 0 ? styleBlocks(document) : [];
  const checks = styleRules.map((id) => {
    const pending: StyleBlock[] = [];
    unmemoised.set(id, pending);
    return { memoised: styleMemoChecker(analysis, id, blocks), pending };
  });
  if (checks.length > 0) {
    for (let i = 0; i < blocks.length; i++) {
      const sb = blocks[i];
      let memoised = true;
      for (const c of checks) {
        if (c.memoised(i)) continue;
        memoised = false;
        c.pending.push(sb);
      }
      if (!memoised) add(sb.block.text);
    }
  }
  const alignment = analysis.clause?.alignment;
  if (clause && alignment) {
    for (const pair of allPairs(alignment)) {
      if (!pair.canonical || !pair.draft) continue;
      if (pairNeedsNoTokens(analysis, pair)) continue;
      add(comparedBlock(pair.draft)?.text);
      const cb = comparedBlock(pair.canonical);
      add(cb?.text);
      // the erratum-corrected wording, compared too when the draft differs (clause/stage.ts)
      const template = analysis.clause?.template;
      if (cb && template) add(correctedBlock(template, pair.canonical, cb)?.text);
    }
  }
  return { texts: out, unmemoised };
}

/** `lint`, yielding to the event loop about every `sliceMs` (see the file comment). */
export async function lintAsync(text: string, options: AsyncLintOptions = {}): Promise<AsyncLintResult> {
  const sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
  const pause = options.pause ?? setImmediatePause;
  const isCancelled = options.isCancelled ?? (() => false);
  const stats: AsyncLintStats = { warmed: 0, warmedChars: 0, yields: 0, longestSliceMs: 0, longestSliceAt: '', warmupMs: 0 };
  let sliceStart = performance.now();
  /** What the work just done was (for `longestSliceAt`). */
  let doing = 'parsing';
  const sliceEnds = (elapsed: number): void => {
    if (elapsed <= stats.longestSliceMs) return;
    stats.longestSliceMs = elapsed;
    stats.longestSliceAt = doing;
  };

  /** Yields when the current slice is over; true when the lint has been cancelled meanwhile. */
  const breathe = async (): Promise<boolean> => {
    const elapsed = performance.now() - sliceStart;
    if (elapsed < sliceMs) return false;
    sliceEnds(elapsed);
    stats.yields++;
    await pause();
    sliceStart = performance.now();
    return isCancelled();
  };

  const steps = lintSteps(text, options);
  let last: LintPause | undefined;
  /** The style blocks each style rule has no memoised reports for (known at 'prepared'). */
  let unmemoised = new Map<string, StyleBlock[]>();
  const cancelledResult = (): AsyncLintResult => {
    steps.return(undefined as never);
    return { document: last!.document, analysis: last!.analysis, findings: [], pendingRules: [], cancelled: true, stats };
  };

  /** The rule whose check the next step runs (the one its pause was before). */
  let ruleToRun: string | undefined;
  for (;;) {
    const step = steps.next();
    // what that step did: the rest of the parse, the clause stage, or the check of the rule paused before
    doing = ruleToRun ? `rule ${ruleToRun}` : step.done ? 'rules' : step.value.stage === 'prepared' ? 'clause stage' : 'parsing';
    ruleToRun = undefined;
    if (step.done) {
      sliceEnds(performance.now() - sliceStart);
      return { ...step.value, stats };
    }
    if (step.value.stage === 'parsing') {
      // no document to return yet: yield to the event loop, but stop only once it is parsed
      await breathe();
      continue;
    }
    last = step.value;
    if (last.stage === 'parsed' && last.document.articles.length + last.document.annexes.length > WARM_ALIGNMENT_FROM) {
      if (await breathe()) return cancelledResult();
      doing = 'alignment';
      if (await warmAlignmentIn(last, breathe)) return cancelledResult();
    }
    if (last.stage === 'prepared' && options.tokenizer) {
      if (await breathe()) return cancelledResult();
      doing = 'token warm-up';
      const t0 = performance.now();
      const d = demand(last, options);
      unmemoised = d.unmemoised;
      const cancelled = await warmUp(options.tokenizer, d.texts, stats, breathe, isCancelled);
      stats.warmupMs = performance.now() - t0;
      if (cancelled) return cancelledResult();
    }
    if (last.stage === 'rule') {
      const rule = RULES.find((r) => r.id === last!.ruleId);
      if (rule) {
        if (await breathe()) return cancelledResult();
        doing = `ahead of ${rule.id}`;
        if (await runAhead(rule, last, unmemoised.get(rule.id), breathe, isCancelled)) return cancelledResult();
      }
      ruleToRun = last.ruleId;
    }
    if (await breathe()) return cancelledResult();
  }
}

/**
 * Before a rule runs: what it will read that takes long on a large document, computed here in
 * steps with pauses between — the references, the clause comparison, its checks of the style
 * blocks it has no memoised reports for (`blocks`; memoised now, so that the rule replays them).
 * The rule's findings are the same: it reads the very results (cached per document and analysis)
 * or replays the very reports (rules/memo.ts). True when the lint was cancelled meanwhile.
 */
async function runAhead(
  rule: Rule,
  pause: LintPause,
  blocks: readonly StyleBlock[] | undefined,
  breathe: () => Promise<boolean>,
  isCancelled: () => boolean,
): Promise<boolean> {
  const { document, analysis } = pause;
  const steps: Array<Generator<void, void, void>> = [];
  if (rule.meta.needs.references) steps.push(warmReferences(document));
  if (rule.meta.needs.comparison) steps.push(warmDeviations(analysis));
  if (rule.checkBlock && blocks && blocks.length > 0) {
    steps.push(styleBlockSteps({ doc: document, analysis, report: () => undefined, isCancelled }, rule.id, blocks, rule.checkBlock));
  }
  for (const s of steps) {
    for (let r = s.next(); !r.done; r = s.next()) if (await breathe()) return true;
  }
  return false;
}

/** Top-level units from which the alignment is prepared in slices (below, it takes milliseconds). */
const WARM_ALIGNMENT_FROM = 100;

/** The template the clause stage will choose, and the alignment memos filled for it in slices. */
async function warmAlignmentIn(pause: LintPause, breathe: () => Promise<boolean>): Promise<boolean> {
  const { document, analysis } = pause;
  const { settings, directives } = analysis;
  const template = chooseTemplate(document, settings.template, directives.template, settings.customTemplates ?? []).template;
  if (!template) return false;
  for (const _ of warmAlignment(template.doc, document, template.parties, draftParties(document.text, template.parties))) {
    if (await breathe()) return true;
  }
  return false;
}

async function warmUp(
  tokenizer: Tokenizer,
  texts: readonly string[],
  stats: AsyncLintStats,
  breathe: () => Promise<boolean>,
  isCancelled: () => boolean,
): Promise<boolean> {
  if (isCancelled()) return true;
  for (const t of texts) {
    tokenizer.tokenize(t);
    stats.warmed++;
    stats.warmedChars += t.length;
    if (await breathe()) return true;
  }
  return false;
}
