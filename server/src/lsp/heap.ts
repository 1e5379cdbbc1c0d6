/**
 * How far the server lets V8's heap grow between full collections.
 *
 * Every lint builds a new analysis (document model, alignment, references, findings: tens of MB
 * for a 1 MB contract) that outlives the young generation and dies at the next lint. V8 lets the
 * old generation grow up to ~4× what survived the last full collection before it collects again,
 * so a server editing a 1 MB contract peaked at ~370–400 MiB while its live heap was ~60 MB.
 * Capping the growth factor at 1.5 (`--heap-growing-percent=50`) brought the bench's session
 * (open 1 MB, 51 edits) to ~255–280 MiB; 2 (100) to ~275–305; neither cost edit time
 * measurably on this machine, where edit medians of one build vary ±40 % between runs (bench/,
 * README "Speed"). Before the first full collection V8 grows the heap to its initial limit
 * whatever this says.
 *
 * The flag is read by V8 each time it sets the next collection's limit, so setting it after
 * start-up takes effect (unlike --max-old-space-size, fixed when the heap is made). A client that
 * starts the server with its own --heap-growing-percent keeps it. V8 reports a flag it does not
 * know on stderr, never on stdout (the protocol's channel with --stdio).
 */
import { PerformanceObserver } from 'perf_hooks';
import * as v8 from 'v8';

export const HEAP_GROWING_PERCENT = 50;

/** Whether the process was started with a V8 flag matching `flag` (command line or NODE_OPTIONS). */
function startedWith(flag: RegExp, execArgv: readonly string[], nodeOptions: string): boolean {
  return execArgv.some((a) => flag.test(a)) || flag.test(nodeOptions);
}

/**
 * Applies the cap unless the process was started with a growth setting of its own. `setFlags`
 * is V8's (tests pass their own, so as not to change their process's collector).
 */
export function capHeapGrowth(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions = process.env.NODE_OPTIONS ?? '',
  setFlags: (flags: string) => void = v8.setFlagsFromString,
): boolean {
  if (startedWith(/--heap[-_]growing[-_]percent\b/, execArgv, nodeOptions)) return false;
  setFlags(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}

/**
 * How large the server lets V8's young generation grow (both semi-spaces, bytes).
 *
 * V8 grows the young generation up to 2 × 16 MiB when much of what it allocates survives a
 * scavenge, which a 1 MB contract's lint does. At 2 × 8 MiB the bench session's peak RSS went
 * from 239–269 MiB (median ~252) to 228–253 MiB (median ~237), which meets the 250 MiB target;
 * it costs collection time (the collector's share of the server's CPU samples: ~24 → ~36 ms per
 * edit on the 1 MB contract, README "Speed"). --max-semi-space-size would say this, but V8 reads
 * it only when the heap is made, so a server started by a client that does not pass it
 * (`node dist/server.js --stdio`) could not use it. V8 reads --semi-space-growth-factor each time
 * it considers growing, so the server holds the factor at 1 (no growth) while the young
 * generation is at its cap or above, and puts back V8's 2 below it (V8 shrinks the young
 * generation when the process idles; it must be able to grow again). The check runs after each
 * collection, so it holds while the work comes in slices, as the server's lint does; one
 * synchronous burst that keeps tens of MB alive can outgrow it before the next check.
 */
export const YOUNG_GENERATION_CAP = 16 * 1024 * 1024;

/** The young generation's current size (both semi-spaces), as V8 reports it. */
function youngGenerationSize(): number {
  return v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
}

/**
 * Keeps the young generation at or below `cap`: after each collection, `check` sets the growth
 * factor for the next one. The size reader and the flag setter are parameters (tests pass
 * their own, so as not to change their process's collector).
 */
export class YoungGenerationCap {
  private factor: 1 | 2 | null = null;

  constructor(
    readonly cap: number,
    private readonly size: () => number = youngGenerationSize,
    private readonly setFlags: (flags: string) => void = v8.setFlagsFromString,
  ) {}

  /** Applies the factor for the young generation's size now; returns it. */
  check(): 1 | 2 {
    const factor = this.size() >= this.cap ? 1 : 2;
    if (factor !== this.factor) {
      this.setFlags(`--semi-space-growth-factor=${factor}`);
      this.factor = factor;
    }
    return factor;
  }
}

/**
 * Starts the young-generation cap, checked after every garbage collection, unless the process was
 * started with a young-generation setting of its own. Returns the cap, or null when left alone.
 */
export function capYoungGeneration(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions = process.env.NODE_OPTIONS ?? '',
  observe: (onGc: () => void) => void = observeGc,
  cap: YoungGenerationCap = new YoungGenerationCap(YOUNG_GENERATION_CAP),
): YoungGenerationCap | null {
  if (startedWith(/--(max|min)[-_]semi[-_]space[-_]size\b|--semi[-_]space[-_]growth[-_]factor\b/, execArgv, nodeOptions)) return null;
  cap.check();
  observe(() => cap.check());
  return cap;
}

/** Calls `onGc` after each collection (perf_hooks delivers the entries shortly after, not inside it). */
function observeGc(onGc: () => void): void {
  new PerformanceObserver(() => onGc()).observe({ entryTypes: ['gc'] });
}
