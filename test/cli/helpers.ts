/** Shared helpers for the CLI tests: run `main` in process with captured streams, temporary files. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main, type CliIO } from '../../server/src/cli/main';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const SEED_000 = path.join(ROOT, 'test/fixtures/seeds/000_b184c2786e903c99.txt');
export const SEED_004 = path.join(ROOT, 'test/fixtures/seeds/004_5803deb95195d81e.txt');

/** 「第1条 …。\n第3条 …。」: article 2 is missing (a numbering finding at line 2). */
export const GAP_DRAFT = '第1条 甲は、乙に通知する。\n第3条 乙は、甲に報告する。\n';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class Capture {
  text = '';
  constructor(readonly isTTY = false) {}
  write(s: string): boolean {
    this.text += s;
    return true;
  }
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  stdin?: string | Buffer;
  tty?: boolean;
  loadTokenizer?: CliIO['loadTokenizer'];
}

/**
 * Runs the CLI in process. The environment is empty unless given (so LANG does not leak in), but
 * for KEIYAKU_LINT_CACHE_DIR='' (no dictionary cache written under the home directory) unless the
 * test sets it.
 */
export async function run(argv: string[], opts: RunOptions = {}): Promise<RunResult> {
  const stdout = new Capture(opts.tty ?? false);
  const stderr = new Capture(opts.tty ?? false);
  const io: Partial<CliIO> = {
    stdout,
    stderr,
    env: { KEIYAKU_LINT_CACHE_DIR: '', ...opts.env },
    cwd: opts.cwd ?? process.cwd(),
    readStdin: async () => (opts.stdin === undefined ? Buffer.alloc(0) : Buffer.from(opts.stdin)),
  };
  if (opts.loadTokenizer) io.loadTokenizer = opts.loadTokenizer;
  const code = await main(argv, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** A fresh temporary directory, removed by `cleanup`. */
export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'keiyaku-cli-'));
}

export function cleanup(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export function write(dir: string, name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
}

// eslint-disable-next-line no-control-regex
export const ANSI_RE = /\x1b\[[0-9;]*m/;
