/**
 * Computations that can pause are written once, as generators of steps (the parser, the reference
 * resolver, the clause comparison, the lint itself): the asynchronous lint drives them and yields
 * to the event loop between steps, everyone else runs them in one piece with `runToEnd`.
 *
 * Engine code: imports nothing from vscode or the LSP libraries.
 */

/** Runs `steps` to its end and returns its value. */
export function runToEnd<T>(steps: Generator<unknown, T, void>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

export interface SliceOptions {
  /** Longest stretch of synchronous work between two yields, when it can be cut (ms); default 15. */
  sliceMs?: number;
  /** How to yield to the event loop (default: setImmediate). */
  pause?: () => Promise<void>;
  /** Asked after each yield: true stops the work. */
  isCancelled?: () => boolean;
}

export interface SliceStats {
  /** Times the work yielded to the event loop. */
  yields: number;
  /** Longest synchronous stretch between two yields (ms): a step that cannot be cut. */
  longestSliceMs: number;
}

export const DEFAULT_SLICE_MS = 15;

export function setImmediatePause(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Runs `steps` to its end, yielding to the event loop whenever the current slice has run
 * `sliceMs` or more: its value, or null when `isCancelled()` turned true at a yield (the steps
 * are then closed). `stats`, when given, is filled in.
 */
export async function runInSlices<T>(
  steps: Generator<unknown, T, void>,
  options: SliceOptions = {},
  stats: SliceStats = { yields: 0, longestSliceMs: 0 },
): Promise<{ value: T } | null> {
  const sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
  const pause = options.pause ?? setImmediatePause;
  const isCancelled = options.isCancelled ?? (() => false);
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    const elapsed = performance.now() - sliceStart;
    if (step.done || elapsed >= sliceMs) stats.longestSliceMs = Math.max(stats.longestSliceMs, elapsed);
    if (step.done) return { value: step.value };
    if (elapsed < sliceMs) continue;
    stats.yields++;
    await pause();
    if (isCancelled()) {
      steps.return(undefined as never);
      return null;
    }
    sliceStart = performance.now();
  }
}
