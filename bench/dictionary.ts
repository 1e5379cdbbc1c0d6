/**
 * Experiment (not shipped): kuromoji start-up from a pre-decompressed dictionary.
 *
 * kuromoji reads its 12 *.dat.gz files (17 MiB) and gunzips them on every start. Overriding its
 * loader's `loadArrayBuffer` (no fork) to read files decompressed once beforehand skips that; with
 * the trailing zero padding of each file trimmed (to a multiple of 4 bytes) the buffers are smaller
 * still. This measures, each in fresh processes: the stock loader, the decompressed files, and the
 * trimmed ones — time from process start to a built tokenizer, RSS — and checks that the tokens
 * are the same on every fixture and on random text.
 *
 *   node out/bench/run.js --only dictionary
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { median } from './stats';

export interface DictionaryFigures {
  gzMiB: number;
  rawMiB: number;
  trimmedMiB: number;
  /** One-off decompression (and trimming) of the 12 files (ms). */
  prepareMs: number;
  modes: Record<'stock' | 'raw' | 'trimmed', { readyMs: number; rssMiB: number; digest: string }>;
  /** Whether the three give the same tokens on every input. */
  identical: boolean;
}

/** The child: builds kuromoji (stock, or through the overridden loader) and tokenises the inputs. */
const CHILD = `
const t0 = performance.now();
const [mode, dir, inputsFile] = process.argv.slice(2);
const fs = require('fs');
const kuromoji = require('kuromoji');
if (mode !== 'stock') {
  const Loader = require('kuromoji/src/loader/NodeDictionaryLoader.js');
  Loader.prototype.loadArrayBuffer = function (file, cb) {
    fs.readFile(file.replace(/\\.gz$/, ''), (err, buf) => {
      if (err) return cb(err);
      cb(null, buf.byteOffset === 0 && buf.buffer.byteLength === buf.length ? buf.buffer : buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
    });
  };
}
kuromoji.builder({ dicPath: dir }).build((err, tok) => {
  if (err) { console.error(String(err)); process.exit(1); }
  const readyMs = performance.now() - t0;
  const rssMiB = process.memoryUsage().rss / 1048576;
  const inputs = JSON.parse(fs.readFileSync(inputsFile, 'utf8'));
  const h = require('crypto').createHash('sha1');
  for (const text of inputs) for (const line of text.split('\\n')) h.update(JSON.stringify(tok.tokenize(line)));
  console.log(JSON.stringify({ readyMs, rssMiB, digest: h.digest('hex') }));
});
`;

export function dictionaryFigures(root: string, inputs: string[], runs: number): DictionaryFigures {
  const src = path.join(root, 'node_modules', 'kuromoji', 'dict');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keiyaku-dict-'));
  try {
    const raw = path.join(tmp, 'raw');
    const trimmed = path.join(tmp, 'trimmed');
    fs.mkdirSync(raw);
    fs.mkdirSync(trimmed);
    let gz = 0;
    let rawBytes = 0;
    let trimmedBytes = 0;
    const t0 = performance.now();
    for (const f of fs.readdirSync(src)) {
      const packed = fs.readFileSync(path.join(src, f));
      gz += packed.length;
      const data = zlib.gunzipSync(packed);
      const name = f.replace(/\.gz$/, '');
      fs.writeFileSync(path.join(raw, name), data);
      let end = data.length;
      while (end > 0 && data[end - 1] === 0) end--;
      end = Math.min(data.length, Math.ceil(end / 4) * 4);
      fs.writeFileSync(path.join(trimmed, name), data.subarray(0, end));
      rawBytes += data.length;
      trimmedBytes += end;
    }
    const prepareMs = performance.now() - t0;
    const inputsFile = path.join(tmp, 'inputs.json');
    fs.writeFileSync(inputsFile, JSON.stringify(inputs));
    const child = path.join(tmp, 'child.js');
    fs.writeFileSync(child, CHILD);
    const measure = (mode: string, dir: string) => {
      const out: Array<{ readyMs: number; rssMiB: number; digest: string }> = [];
      for (let i = 0; i < runs; i++) {
        const r = spawnSync(process.execPath, [child, mode, dir, inputsFile], {
          cwd: root,
          env: { ...process.env, NODE_PATH: path.join(root, 'node_modules') },
          encoding: 'utf8',
          timeout: 300_000,
        });
        if (r.status !== 0) throw new Error(`dictionary experiment (${mode}) failed: ${r.stderr}`);
        out.push(JSON.parse(r.stdout));
      }
      return { readyMs: median(out.map((o) => o.readyMs)), rssMiB: median(out.map((o) => o.rssMiB)), digest: out[0].digest };
    };
    const modes = { stock: measure('stock', src), raw: measure('raw', raw), trimmed: measure('trimmed', trimmed) };
    const MiB = 1024 * 1024;
    return {
      gzMiB: gz / MiB,
      rawMiB: rawBytes / MiB,
      trimmedMiB: trimmedBytes / MiB,
      prepareMs,
      modes,
      identical: modes.raw.digest === modes.stock.digest && modes.trimmed.digest === modes.stock.digest,
    };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
