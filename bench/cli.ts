/**
 * Command-line comparison: `node dist/cli.js FILE` against textlint with
 * textlint-rule-preset-ja-technical-writing (`textlint --no-textlintrc --preset … FILE`), each a
 * fresh process, timed from spawn to exit, with its peak RSS (bench/maxrss-hook.ts).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { median, now } from './stats';

export interface CliRun {
  ms: number;
  peakMiB: number;
  status: number | null;
}

export interface CliFigures {
  file: string;
  bytes: number;
  runs: number;
  ms: number;
  peakMiB: number;
  /** Set when the tool could not run (not installed, crashed, timed out). */
  note?: string;
}

const HOOK = path.join(__dirname, 'maxrss-hook.js');

function run(args: string[], cwd: string, timeoutMs: number, env: Record<string, string> = {}): CliRun & { stderr: string; timedOut: boolean } {
  const rssFile = path.join(os.tmpdir(), `keiyaku-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const t = now();
  const r = spawnSync(process.execPath, ['--require', HOOK, ...args], {
    cwd,
    env: { ...process.env, ...env, BENCH_MAXRSS_FILE: rssFile, NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = now() - t;
  let peakMiB = NaN;
  try {
    peakMiB = Number(fs.readFileSync(rssFile, 'utf8')) / 1024;
    fs.rmSync(rssFile, { force: true });
  } catch {
    // no figure
  }
  const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  return { ms, peakMiB, status: r.status, stderr: r.stderr ?? String(r.error ?? ''), timedOut };
}

function measure(
  label: string,
  file: string,
  runs: number,
  args: (file: string) => string[],
  cwd: string,
  okStatus: (s: number | null) => boolean,
  timeoutMs: number,
  env: Record<string, string> = {},
): CliFigures {
  const ms: number[] = [];
  const rss: number[] = [];
  const bytes = fs.statSync(file).size;
  for (let i = 0; i < runs; i++) {
    const r = run(args(file), cwd, timeoutMs, env);
    if (r.timedOut) return { file, bytes, runs: i, ms: NaN, peakMiB: NaN, note: `${label}: no result within ${Math.round(timeoutMs / 1000)} s` };
    if (!okStatus(r.status)) return { file, bytes, runs: i, ms: NaN, peakMiB: NaN, note: `${label} failed (exit ${r.status}): ${r.stderr.trim().split('\n').slice(-3).join(' / ')}` };
    ms.push(r.ms);
    rss.push(r.peakMiB);
  }
  return { file, bytes, runs, ms: median(ms), peakMiB: median(rss) };
}

/**
 * keiyaku-lint's CLI (exit 0 or 1: findings are not a failure), with its dictionary cache in
 * `cacheDir` (KEIYAKU_LINT_CACHE_DIR; '' for none). Warm it first (`warmCliCache`) to measure the
 * later starts, which are every start but the first.
 */
export function keiyakuCli(root: string, file: string, runs: number, cacheDir: string, timeoutMs = 600_000): CliFigures {
  const args = (f: string) => [path.join(root, 'dist', 'cli.js'), '-f', 'json', f];
  return measure('keiyaku-lint', file, runs, args, root, (s) => s === 0 || s === 1, timeoutMs, { KEIYAKU_LINT_CACHE_DIR: cacheDir });
}

/**
 * `keiyaku-lint diff OLD NEW -f json` (exit 0 equivalent or 1 changed; 2 is an error), with the
 * dictionary cache as `keiyakuCli`.
 */
export function keiyakuDiffCli(root: string, oldFile: string, newFile: string, runs: number, cacheDir: string, timeoutMs = 600_000): CliFigures {
  const args = (f: string) => [path.join(root, 'dist', 'cli.js'), 'diff', '-f', 'json', f, newFile];
  return measure('keiyaku-lint diff', oldFile, runs, args, root, (s) => s === 0 || s === 1, timeoutMs, { KEIYAKU_LINT_CACHE_DIR: cacheDir });
}

/** One unmeasured run of the CLI, which writes its dictionary cache into `cacheDir`; false if it failed. */
export function warmCliCache(root: string, file: string, cacheDir: string): boolean {
  const r = run([path.join(root, 'dist', 'cli.js'), '-f', 'json', file], root, 120_000, { KEIYAKU_LINT_CACHE_DIR: cacheDir });
  return (r.status === 0 || r.status === 1) && fs.existsSync(cacheDir) && fs.readdirSync(cacheDir).some((n) => n.startsWith('kuromoji-'));
}

/** Where textlint and the preset are, or why not. */
export function textlintAvailable(root: string): { bin: string } | { note: string } {
  const bin = path.join(root, 'node_modules', 'textlint', 'bin', 'textlint.js');
  if (!fs.existsSync(bin)) return { note: 'textlint is not installed (npm install: devDependency textlint); row skipped' };
  if (!fs.existsSync(path.join(root, 'node_modules', 'textlint-rule-preset-ja-technical-writing'))) {
    return { note: 'textlint-rule-preset-ja-technical-writing is not installed; row skipped' };
  }
  return { bin };
}

/** textlint + preset-ja-technical-writing (exit 0 or 1: errors found are not a failure). */
export function textlintCli(root: string, bin: string, file: string, runs: number, timeoutMs: number): CliFigures {
  return measure(
    'textlint',
    file,
    runs,
    (f) => [bin, '--no-textlintrc', '--preset', 'textlint-rule-preset-ja-technical-writing', '--format', 'json', f],
    root,
    (s) => s === 0 || s === 1,
    timeoutMs,
  );
}
