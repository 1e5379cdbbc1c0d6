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
import * as v8 from 'v8';

export const HEAP_GROWING_PERCENT = 50;

/**
 * Applies the cap unless the process was started with a growth setting of its own. `setFlags`
 * is V8's (tests pass their own, so as not to change their process's collector).
 */
export function capHeapGrowth(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions = process.env.NODE_OPTIONS ?? '',
  setFlags: (flags: string) => void = v8.setFlagsFromString,
): boolean {
  const own = (s: string): boolean => /--heap[-_]growing[-_]percent\b/.test(s);
  if (execArgv.some(own) || own(nodeOptions)) return false;
  setFlags(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
