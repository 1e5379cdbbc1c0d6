#!/usr/bin/env node
// npm run fuzz [-- SCALE [ROUNDS]]: the generative tests (test/fuzz.ts), longer and from fresh
// seeds. Each round runs every such test SCALE times as often as `npm test` does (default 20),
// each from a new random seed, and the rounds go on until ROUNDS (default 1; 0: until a failure
// or Ctrl-C). A failure prints its seed: KEIYAKU_FUZZ_SEED=<seed> KEIYAKU_FUZZ_SCALE=<scale>
// npx mocha out/test/<file>.js replays it. Expects `npm run compile` (npm run fuzz does it).
import { spawnSync } from 'node:child_process';
import { constants } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// The tests that draw random cases through test/fuzz.ts.
const FILES = [
  'out/test/unit/property.test.js',
  'out/test/unit/lattice.test.js',
  'out/test/unit/refs/fuzz.test.js',
  'out/test/unit/refs/resolve.test.js',
  'out/test/unit/rules/style-number-width.test.js',
  'out/test/unit/compare.test.js',
  'out/test/unit/normalize.test.js',
  'out/test/unit/tokenizer.test.js',
];

function count(raw, fallback, name, min) {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    console.error(`fuzz: ${name} must be an integer ≥ ${min}, not ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return n;
}

const scale = count(process.argv[2], 20, 'SCALE', 1);
const rounds = count(process.argv[3], 1, 'ROUNDS', 0);
const mocha = path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js');

for (let round = 1; rounds === 0 || round <= rounds; round++) {
  console.log(`fuzz: round ${round}${rounds ? ` of ${rounds}` : ''}, ${scale}× the runs of npm test, random seeds`);
  const r = spawnSync(process.execPath, [mocha, '--no-config', '--timeout', '0', '--reporter', 'dot', ...FILES], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, KEIYAKU_FUZZ_SCALE: String(scale), KEIYAKU_FUZZ_SEED: 'random' },
  });
  if (r.error) {
    console.error(`fuzz: could not run mocha: ${r.error.message}`);
    process.exit(2);
  }
  if (r.status !== 0) process.exit(r.status ?? 128 + (constants.signals[r.signal] ?? 1));
}
