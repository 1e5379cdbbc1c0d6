/**
 * How long the generative tests run, and from which seed.
 *
 * `npm test` runs every property-based test with its own fixed seed and few runs: the suite is
 * reproducible and takes seconds. `npm run fuzz` (scripts/fuzz.mjs) runs the same tests longer
 * from fresh seeds, to look for inputs the fixed seeds never reach:
 *
 *   KEIYAKU_FUZZ_SCALE   multiplies every test's number of runs (default 1)
 *   KEIYAKU_FUZZ_SEED    a number: that seed for every test; 'random': a new seed per test
 *                        (default: each test's own fixed seed)
 *
 * A failure names its seed (fast-check prints it with the shrunk counterexample; the others put it
 * in the assertion message): KEIYAKU_FUZZ_SEED=<seed> with the same scale replays it.
 */
import type { Parameters } from 'fast-check';

/** The multiplier of every test's runs (at least 1). */
export function fuzzScale(): number {
  const raw = process.env.KEIYAKU_FUZZ_SCALE;
  const n = raw === undefined || raw === '' ? 1 : Number(raw);
  if (!Number.isFinite(n) || n < 1) throw new Error(`KEIYAKU_FUZZ_SCALE must be a number ≥ 1, not ${JSON.stringify(raw)}`);
  return Math.floor(n);
}

/** The seed a test runs from: its own, or the one KEIYAKU_FUZZ_SEED asks for. */
export function fuzzSeed(own: number): number {
  const raw = process.env.KEIYAKU_FUZZ_SEED;
  if (raw === undefined || raw === '') return own;
  if (raw === 'random') return Math.floor(Math.random() * 0x7fffffff);
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new Error(`KEIYAKU_FUZZ_SEED must be an integer or 'random', not ${JSON.stringify(raw)}`);
  return n;
}

/** How many times a loop of `runs` random cases runs. */
export function fuzzRuns(runs: number): number {
  return runs * fuzzScale();
}

/** fast-check's parameters for a property: `runs` (scaled) from `seed` (or the one asked for). */
export function fuzzParameters<T>(runs: number, seed: number): Parameters<T> {
  return { numRuns: fuzzRuns(runs), seed: fuzzSeed(seed) };
}
