/**
 * Tokenizer benchmark: build time and RSS, tokenisation throughput, cache-hit speed-up, memory
 * held per cached character.
 *
 *   npx tsc -p . && node --expose-gc out/bench/tokenizer.bench.js [seed.txt]
 *
 * Run it in a fresh process: the first figures are the cold build. Times are the best of several
 * runs; check `uptime` — other processes on a shared machine inflate them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadTokenizer } from '../server/src/engine/tokenizer/kuromoji';

const MiB = 1024 * 1024;
const seedPath = process.argv[2] ?? path.resolve(__dirname, '../../test/fixtures/seeds/004_5803deb95195d81e.txt');

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function ms(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e6;
}

/**
 * Best (minimum) wall time of `fn` over `runs` runs (ms): the least disturbed by other processes
 * on a shared machine.
 */
function best(runs: number, fn: () => void): number {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    fn();
    min = Math.min(min, ms(t));
  }
  return min;
}

async function main(): Promise<void> {
  const rss0 = process.memoryUsage().rss;
  const t0 = process.hrtime.bigint();
  const tokenizer = await loadTokenizer();
  const buildMs = ms(t0);
  gc();
  const rssBuilt = process.memoryUsage().rss;

  const seed = fs.readFileSync(seedPath, 'utf8');
  const seedBytes = Buffer.byteLength(seed);
  const reps = Math.ceil(MiB / seedBytes);
  const big = seed.repeat(reps);
  const bigBytes = Buffer.byteLength(big);

  const uncached = tokenizer.withOptions({ maxChars: 0 });
  uncached.tokenize(seed); // warm the JIT
  const seedMs = best(7, () => uncached.tokenize(seed));
  const seedTokens = uncached.tokenize(seed).length;
  const bigMs = best(3, () => uncached.tokenize(big));

  // Cache: a miss, then hits, on the seed.
  const cached = tokenizer.withOptions({});
  const missMs = best(1, () => cached.tokenize(seed));
  const hitMs = best(1001, () => cached.tokenize(seed));

  // Memory held per cached character: fill a cache with the 1 MB string's paragraphs.
  const paragraphs = big.split(/\n/).map((p, i) => `${i}:${p}`);
  const filler = tokenizer.withOptions({});
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  for (const p of paragraphs) filler.tokenize(p);
  gc();
  const heapPerChar = (process.memoryUsage().heapUsed - heap0) / filler.cacheStats().size;

  const rows: Array<[string, string]> = [
    ['build (loadTokenizer, first call)', `${buildMs.toFixed(0)} ms`],
    ['RSS before / after build (after gc)', `${(rss0 / MiB).toFixed(0)} / ${(rssBuilt / MiB).toFixed(0)} MiB`],
    [`seed ${path.basename(seedPath)} (${seedBytes} B, ${seed.length} chars, ${seedTokens} tokens)`,
      `${seedMs.toFixed(1)} ms = ${(seed.length / seedMs).toFixed(0)} chars/ms, ${(seedBytes / MiB / (seedMs / 1000)).toFixed(2)} MB/s`],
    [`1 MB string (seed ×${reps}: ${bigBytes} B, ${big.length} chars)`,
      `${bigMs.toFixed(0)} ms = ${(big.length / bigMs).toFixed(0)} chars/ms, ${(bigBytes / MiB / (bigMs / 1000)).toFixed(2)} MB/s`],
    ['cache miss / hit on the seed (best of 1 / 1001)', `${missMs.toFixed(2)} ms / ${(hitMs * 1000).toFixed(2)} µs (×${(missMs / hitMs).toFixed(0)})`],
    ['heap held per cached char', `${heapPerChar.toFixed(0)} B (2 M-char bound ≈ ${((heapPerChar * 2e6) / MiB).toFixed(0)} MiB)`],
    ['RSS at end', `${(process.memoryUsage().rss / MiB).toFixed(0)} MiB`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
