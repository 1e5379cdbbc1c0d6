/**
 * kuromoji start-up through the engine's dictionary cache (server/src/engine/tokenizer/
 * dictionaryCache.ts), the shipped code path: `loadTokenizer` of out/…/kuromoji.js in fresh
 * processes, in three states —
 *
 *   stock  no cache (cacheDir null): kuromoji gunzips its 12 *.dat.gz itself;
 *   first  an empty cache root: gunzipped in memory, built, then the cache written in the background;
 *   later  the cache present: the decompressed, trimmed files read as they are.
 *
 * For each: time from process start (performance.now(), Node's own start-up included) to a built
 * tokenizer, RSS then, peak RSS of the process (the first start's background write included),
 * and for the first start the time until the cache was written. The tokens must be the same in
 * all three on every input.
 *
 *   node out/bench/run.js --only dictionary
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { median } from './stats';

export type DictionaryMode = 'stock' | 'first' | 'later';

export interface DictionaryStart {
  /** Process start → tokenizer built (ms). */
  readyMs: number;
  /** RSS when the tokenizer is built (MiB). */
  rssMiB: number;
  /** Peak RSS of the process up to its exit (MiB). */
  peakMiB: number;
  /** Process start → the cache written (first start only; ms). */
  cacheWrittenMs?: number;
  /** The cache's status (engine DictionaryCacheStatus.state). */
  state: string;
  digest: string;
}

export interface DictionaryFigures {
  gzMiB: number;
  /** Size of the cache directory (decompressed, trimmed). */
  cacheMiB: number;
  modes: Record<DictionaryMode, DictionaryStart>;
  /** Whether the three give the same tokens on every input. */
  identical: boolean;
}

/** The child: loadTokenizer with the given cache root ('' = none), then tokenises the inputs. */
function childSource(kuromojiJs: string): string {
  return `
const [cacheRoot, inputsFile] = process.argv.slice(2);
const fs = require('fs');
const { loadTokenizer } = require(${JSON.stringify(kuromojiJs)});
const { selfPeakRssKiB } = require(${JSON.stringify(path.join(__dirname, 'stats.js'))});
let status;
let cacheWrittenMs;
let reported;
const told = new Promise((resolve) => (reported = resolve));
loadTokenizer({ cacheDir: cacheRoot || null, onDictionaryCache: (s) => { status = s; cacheWrittenMs = performance.now(); reported(); } }).then(async (tok) => {
  const readyMs = performance.now();
  const rssMiB = process.memoryUsage().rss / 1048576;
  // Tokenising blocks the event loop: let a first start write its cache undisturbed first.
  await told;
  const inputs = JSON.parse(fs.readFileSync(inputsFile, 'utf8'));
  const h = require('crypto').createHash('sha1');
  for (const text of inputs) for (const line of text.split('\\n')) h.update(JSON.stringify(tok.tokenize(line)));
  const digest = h.digest('hex');
  process.on('exit', () => {
    const peakMiB = selfPeakRssKiB() / 1024;
    console.log(JSON.stringify({ readyMs, rssMiB, peakMiB, cacheWrittenMs: status && status.state === 'created' ? cacheWrittenMs : undefined, state: status ? status.state : 'none', digest }));
  });
}, (err) => { console.error(String(err)); process.exit(1); });
`;
}

function dirMiB(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    n += e.isDirectory() ? dirMiB(p) * 1024 * 1024 : fs.statSync(p).size;
  }
  return n / (1024 * 1024);
}

export function dictionaryFigures(root: string, inputs: string[], runs: number): DictionaryFigures {
  const src = path.join(root, 'node_modules', 'kuromoji', 'dict');
  const kuromojiJs = path.join(root, 'out', 'server', 'src', 'engine', 'tokenizer', 'kuromoji.js');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keiyaku-dict-'));
  try {
    const inputsFile = path.join(tmp, 'inputs.json');
    fs.writeFileSync(inputsFile, JSON.stringify(inputs));
    const child = path.join(tmp, 'child.js');
    fs.writeFileSync(child, childSource(kuromojiJs));
    const once = (cacheRoot: string): DictionaryStart => {
      const r = spawnSync(process.execPath, [child, cacheRoot, inputsFile], { cwd: root, encoding: 'utf8', timeout: 300_000 });
      if (r.status !== 0) throw new Error(`dictionary bench child failed: ${r.stderr}`);
      return JSON.parse(r.stdout) as DictionaryStart;
    };
    const summarise = (out: DictionaryStart[], mode: DictionaryMode, expected: string): DictionaryStart => {
      const bad = out.find((o) => o.state !== expected);
      if (bad) throw new Error(`dictionary bench (${mode}): cache state ${bad.state}, expected ${expected}`);
      const written = out.map((o) => o.cacheWrittenMs).filter((x): x is number => x !== undefined);
      return {
        readyMs: median(out.map((o) => o.readyMs)),
        rssMiB: median(out.map((o) => o.rssMiB)),
        peakMiB: median(out.map((o) => o.peakMiB)),
        cacheWrittenMs: written.length ? median(written) : undefined,
        state: expected,
        digest: out.every((o) => o.digest === out[0].digest) ? out[0].digest : 'differs between runs',
      };
    };
    const stock: DictionaryStart[] = [];
    const first: DictionaryStart[] = [];
    const later: DictionaryStart[] = [];
    const cacheRoot = path.join(tmp, 'cache');
    // Interleaved, so that a burst of load on the shared machine hits every mode alike.
    for (let i = 0; i < runs; i++) {
      stock.push(once(''));
      fs.rmSync(cacheRoot, { recursive: true, force: true });
      first.push(once(cacheRoot));
      later.push(once(cacheRoot));
    }
    const modes = {
      stock: summarise(stock, 'stock', 'disabled'),
      first: summarise(first, 'first', 'created'),
      later: summarise(later, 'later', 'used'),
    };
    let gz = 0;
    for (const f of fs.readdirSync(src)) gz += fs.statSync(path.join(src, f)).size;
    return {
      gzMiB: gz / (1024 * 1024),
      cacheMiB: dirMiB(cacheRoot),
      modes,
      identical: modes.first.digest === modes.stock.digest && modes.later.digest === modes.stock.digest,
    };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
