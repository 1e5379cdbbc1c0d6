/**
 * Lint benchmark: the engine end to end on the published seed (22 KB) and on a ~1 MB synthetic
 * contract built from the templates (renumbered articles, annexes, references).
 *
 *   npm run bench            (prints one table, writes bench/results/lint.json)
 *
 * Each figure is the median of several runs: this 2-core machine is noisy, so quote medians.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lint } from '../server/src/engine/lint';
import { TOKKI_TEXT } from '../server/src/engine/templates/data/tokki';
import { loadTokenizer } from '../server/src/engine/tokenizer/kuromoji';

const ROOT = path.resolve(__dirname, '../..');
const MiB = 1024 * 1024;

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** A large contract: the 特記事項 repeated with renumbered articles and small edits. */
export function syntheticContract(targetBytes: number): string {
  const parts: string[] = [];
  let n = 0;
  let size = 0;
  let copy = 0;
  const body = TOKKI_TEXT.split('\n');
  while (size < targetBytes) {
    copy++;
    for (const line of body) {
      let l = line;
      const m = /^第\s*([０-９0-9]+)/.exec(l);
      if (m) {
        n++;
        l = l.replace(/^第\s*[０-９0-9]+/, `第${n}`);
      }
      if (copy % 3 === 0) l = l.replace('直ちに', '速やかに');
      parts.push(l);
      size += Buffer.byteLength(l) + 1;
    }
  }
  return parts.join('\n');
}

async function main(): Promise<void> {
  const rows: { what: string; value: string }[] = [];
  const results: Record<string, number> = {};
  const seed = fs.readFileSync(path.join(ROOT, 'test/fixtures/seeds/004_5803deb95195d81e.txt'), 'utf8');

  // structural lint before the tokenizer exists
  const structural: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t = now();
    lint(seed, { tokenizer: null });
    structural.push(now() - t);
  }
  results.structuralSeedMs = median(structural);
  rows.push({ what: 'structural lint of seed 004 (no tokenizer)', value: `${results.structuralSeedMs.toFixed(1)} ms` });

  const t0 = now();
  const tokenizer = await loadTokenizer();
  results.tokenizerBuildMs = now() - t0;
  results.rssAfterBuildMiB = process.memoryUsage().rss / MiB;
  rows.push({ what: 'tokenizer build (once per process)', value: `${results.tokenizerBuildMs.toFixed(0)} ms, RSS ${results.rssAfterBuildMiB.toFixed(0)} MiB` });

  const cold: number[] = [];
  for (let i = 0; i < 5; i++) {
    tokenizer.clearCache();
    const t = now();
    lint(seed, { tokenizer });
    cold.push(now() - t);
  }
  results.seedColdMs = median(cold);
  rows.push({ what: 'full lint of seed 004 (22 KB), cold token cache', value: `${results.seedColdMs.toFixed(0)} ms` });

  const tokOnly: number[] = [];
  for (let i = 0; i < 5; i++) {
    tokenizer.clearCache();
    const t = now();
    const r = lint(seed, { tokenizer: null });
    const blocks = [r.document.title?.block, ...r.document.free.map((f) => f.block)];
    const walk = (u: (typeof r.document.units)[number]): void => {
      blocks.push(u.body ?? undefined);
      u.children.forEach(walk);
    };
    r.document.units.forEach(walk);
    for (const b of blocks) if (b) tokenizer.tokenize(b.text);
    tokOnly.push(now() - t);
  }
  results.seedTokeniseMs = median(tokOnly);
  rows.push({ what: 'parse + tokenise every paragraph of seed 004 (cold)', value: `${results.seedTokeniseMs.toFixed(0)} ms` });

  const edits: number[] = [];
  for (let i = 0; i < 21; i++) {
    // a one-character edit in a different paragraph each time, token cache warm
    const lines = seed.split('\n');
    const k = 20 + ((i * 37) % (lines.length - 40));
    lines[k] = lines[k] + (i % 2 ? '。' : '、');
    const text = lines.join('\n');
    const t = now();
    lint(text, { tokenizer });
    edits.push(now() - t);
  }
  results.seedEditMs = median(edits);
  rows.push({ what: 're-lint of seed 004 after a one-character edit', value: `${results.seedEditMs.toFixed(1)} ms` });

  const big = syntheticContract(1024 * 1024);
  const bigBytes = Buffer.byteLength(big);
  const bigRuns: number[] = [];
  for (let i = 0; i < 3; i++) {
    tokenizer.clearCache();
    const t = now();
    const r = lint(big, { tokenizer, settings: { maxChars: 4 * MiB } });
    bigRuns.push(now() - t);
    if (i === 0) results.bigFindings = r.findings.length;
  }
  results.bigColdMs = median(bigRuns);
  results.bigMBps = bigBytes / MiB / (results.bigColdMs / 1000);
  results.peakRssMiB = process.memoryUsage().rss / MiB;
  rows.push({ what: `full lint of a ${(bigBytes / MiB).toFixed(2)} MB synthetic contract, cold cache`, value: `${results.bigColdMs.toFixed(0)} ms (${results.bigMBps.toFixed(2)} MB/s)` });
  rows.push({ what: 'RSS at the end', value: `${results.peakRssMiB.toFixed(0)} MiB` });

  const w = Math.max(...rows.map((r) => r.what.length));
  for (const r of rows) console.log(`${r.what.padEnd(w)}  ${r.value}`);
  const out = path.join(ROOT, 'bench/results');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'lint.json'), JSON.stringify({ date: new Date().toISOString(), results }, null, 2));
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
