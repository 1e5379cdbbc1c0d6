#!/usr/bin/env node
// npm start: build dist/ if anything changed, then lint the bundled samples with the CLI.
// The CLI exits 1 when it reports findings at error level, which is the point of the demo, so
// 0 and 1 both count as success here; any other code (2: usage or I/O error) is passed on.
import { spawnSync } from 'node:child_process';
import { constants } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function run(args) {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.error) {
    console.error(`start: could not run node ${args.join(' ')}: ${r.error.message}`);
    return 2;
  }
  // Killed by a signal: report it the way a shell would (128 + signal number).
  if (r.status === null) return 128 + (constants.signals[r.signal] ?? 1);
  return r.status;
}

const build = run(['esbuild.mjs', '--if-needed']);
if (build !== 0) process.exit(build);

const lint = run(['dist/cli.js', 'samples/']);
process.exit(lint === 0 || lint === 1 ? 0 : lint);
