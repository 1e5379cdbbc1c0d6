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
