/**
 * keiyaku-lint — the command line.
 *
 *   keiyaku-lint [options] FILE|DIR... | -
 *   keiyaku-lint outline [--full] FILE | -
 *   keiyaku-lint diff [--format stylish|json|markdown|html] [-o FILE] OLD NEW   (cli/diff.ts)
 *   keiyaku-lint renumber [--write | -o FILE] FILE                              (cli/renumber.ts)
 *
 * Exit codes: 0 clean (no errors, warnings within --max-warnings); 1 errors found or too many
 * warnings; 2 usage error, or some file could not be read (the others are still linted).
 * Nothing but the report goes to standard output (with --stdin --fix: the fixed text, the report
 * going to standard error). No network, no telemetry.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding } from '../engine/findings';
import { formatMessage, resolveLocale, type Locale } from '../engine/i18n/messages';
import { lint, type LintResult } from '../engine/lint';
import { parseDocument } from '../engine/model/parser';
import { setReferenceMemo } from '../engine/refs/memo';
import type { LintSettings } from '../engine/settings';
import { LineIndex } from '../engine/text/lines';
import { defaultCacheRoot } from '../engine/tokenizer/dictionaryCache';
import { loadTokenizer } from '../engine/tokenizer/kuromoji';
import type { Tokenizer } from '../engine/tokenizer/types';
import { parseArgs, type CliOptions } from './args';
import { fixText } from './fix';
import {
  decodeBytes,
  encodeText,
  expandTargets,
  formatSize,
  readFileBytes,
  readTextFile,
  type Encoding,
  type InputProblem,
  type Target,
} from './input';
import { readStream, type CliIO } from './io';
import { runDiff } from './diff';
import { runRenumber } from './renumber';
import { buildOutline, formatOutline } from './outline';
import { buildReport, formatJson, templateIdOf, type FileReport } from './report';
import { formatSarif } from './sarif';
import { formatStylish } from './stylish';

export type { CliIO } from './io';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

const BUILTIN_TEMPLATES = new Set(['auto', 'tokuyaku', 'tokki', 'none']);
const STDIN_NAME = '<stdin>';

/** The directory holding package.json (and docs/rules): the repository, or the installed package. */
export function packageRoot(from: string = __dirname): string | null {
  let dir = from;
  let fallback: string | null = null;
  for (let i = 0; i < 8; i++) {
    const pkg = path.join(dir, 'package.json');
    try {
      const json = JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string };
      if (json.name === 'keiyaku-lint') {
        if (fs.existsSync(path.join(dir, 'docs'))) return dir;
        fallback ??= dir;
      }
    } catch {
      // not here
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return fallback;
}

export function packageVersion(): string {
  const root = packageRoot();
  if (!root) return '0.0.0';
  try {
    return (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Locale from the environment, POSIX order: LC_ALL, LC_MESSAGES, LANG; Japanese otherwise. */
export function localeFromEnv(env: Record<string, string | undefined>): Locale {
  const v = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((x) => x !== undefined && x !== '');
  return resolveLocale(v);
}

function defaultIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    readStdin: (limit) => readStream(process.stdin, limit),
    env: process.env,
    cwd: process.cwd(),
    loadTokenizer: ({ cacheDir }) => {
      const dicPath = process.env.KEIYAKU_LINT_DICT;
      // The cache's outcome is not reported: any failure falls back to the *.dat.gz, silently.
      return loadTokenizer(dicPath ? { dicPath, cacheDir } : { cacheDir });
    },
  };
}

/** One file to lint: its bytes came from disk or standard input. */
interface Source {
  /** Absolute path, or "<stdin>" (or the --stdin-filename). */
  filePath: string;
  /** As shown to the user. */
  display: string;
  /** Null for standard input. */
  diskPath: string | null;
}

/**
 * Runs the CLI. Resolves to the exit code; never rejects and never calls process.exit, so that
 * tests can run it in process with their own streams.
 */
export async function main(argv: readonly string[], partialIO: Partial<CliIO> = {}): Promise<number> {
  const io: CliIO = { ...defaultIO(), ...partialIO };
  // `keiyaku-lint diff OLD NEW`: its own options and exit codes (cli/diff.ts).
  if (argv[0] === 'diff') return runDiff(argv.slice(1), io);
  // `keiyaku-lint renumber FILE`: renumber articles and rewrite references (cli/renumber.ts).
  if (argv[0] === 'renumber') return runRenumber(argv.slice(1), io);
  const parsed = parseArgs(argv);
  const locale: Locale = parsed.options.locale ?? localeFromEnv(io.env);
  const t = (key: string, data?: Record<string, string | number>): string => formatMessage(locale, key, data);
  const err = (line: string): void => {
    io.stderr.write(`keiyaku-lint: ${line}\n`);
  };

  if (parsed.error) {
    err(t(parsed.error.key, parsed.error.data));
    io.stderr.write(t('cli:usage-hint') + '\n');
    return EXIT_ERROR;
  }
  const options = parsed.options;
  if (options.help) {
    io.stdout.write(t('cli:help', { version: packageVersion() }) + '\n');
    return EXIT_OK;
  }
  if (options.version) {
    io.stdout.write(`${packageVersion()}\n`);
    return EXIT_OK;
  }

  try {
    return options.command === 'outline' ? await runOutline(options, io, locale, err) : await runLint(options, io, locale, err);
  } catch (e) {
    err(t('cli:internal-error', { error: e instanceof Error ? (e.stack ?? e.message) : String(e) }));
    return EXIT_ERROR;
  }
}

type ReadOutcome = { ok: true; text: string; encoding: Encoding } | { ok: false; problem: InputProblem };

async function readSource(src: Source, options: CliOptions, io: CliIO): Promise<ReadOutcome> {
  let bytes: Buffer;
  if (src.diskPath === null) {
    try {
      bytes = await io.readStdin(options.maxSize);
    } catch (e) {
      return { ok: false, problem: { key: 'cli:file-unreadable', data: { file: src.display, reason: String(e) } } };
    }
    if (bytes.length > options.maxSize) {
      // Reading stopped at the limit: the real size is unknown.
      return { ok: false, problem: { key: 'cli:too-large-stdin', data: { file: src.display, limit: formatSize(options.maxSize) } } };
    }
  } else {
    const r = readFileBytes(src.diskPath, src.display, options.maxSize);
    if (!r.ok) return r;
    bytes = r.bytes;
  }
  return decodeBytes(bytes, src.display, options.encoding);
}

function stdinSource(options: CliOptions, cwd: string): Source {
  if (options.stdinFilename) {
    return { filePath: path.resolve(cwd, options.stdinFilename), display: options.stdinFilename, diskPath: null };
  }
  return { filePath: STDIN_NAME, display: STDIN_NAME, diskPath: null };
}

/** A canonical text given as --template PATH, handed to the engine as a custom template. */
interface CustomTemplate {
  id: string;
  name: string;
  text: string;
}

type TemplateOutcome = { ok: true; template: string; custom?: CustomTemplate } | { ok: false; problem: InputProblem };

/**
 * --template: a built-in id; a path to a canonical text (read like a draft — UTF-8, or refused
 * with the same clear messages — and passed as the custom template `file:ABSOLUTE-PATH`); or any
 * other id, passed through (the engine reports an unknown one).
 */
function resolveTemplate(value: string, options: CliOptions, cwd: string): TemplateOutcome {
  if (BUILTIN_TEMPLATES.has(value)) return { ok: true, template: value };
  const abs = path.resolve(cwd, value);
  const looksLikePath = /[\\/]/.test(value) || /\.(txt|md|keiyaku)$/i.test(value);
  let isFile = false;
  try {
    isFile = fs.statSync(abs).isFile();
  } catch {
    isFile = false;
  }
  if (!isFile) {
    if (looksLikePath || fs.existsSync(abs)) return { ok: false, problem: { key: 'cli:template-not-found', data: { template: value } } };
    return { ok: true, template: value };
  }
  const decoded = readTextFile(abs, value, options.maxSize);
  if (!decoded.ok) return decoded;
  const id = `file:${abs}`;
  return { ok: true, template: id, custom: { id, name: path.basename(abs), text: decoded.text } };
}

function useColor(options: CliOptions, io: CliIO, toTerminal: boolean): boolean {
  if (options.color !== undefined) return options.color;
  if (!toTerminal) return false;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return io.stdout.isTTY === true;
}

async function writeOutput(file: string, content: string, cwd: string): Promise<string | null> {
  const abs = path.resolve(cwd, file);
  try {
    await fs.promises.mkdir(path.dirname(abs), { recursive: true });
    await fs.promises.writeFile(abs, content, 'utf8');
    return null;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? String(e);
  }
}

async function runOutline(options: CliOptions, io: CliIO, locale: Locale, err: (s: string) => void): Promise<number> {
  const t = (key: string, data?: Record<string, string | number>): string => formatMessage(locale, key, data);
  let src: Source;
  if (options.stdin) {
    src = stdinSource(options, io.cwd);
  } else {
    const targets = expandTargets(options.files, io.cwd);
    const target = targets[0];
    if (target?.kind === 'problem') {
      err(t(target.problem.key, target.problem.data));
      return EXIT_ERROR;
    }
    // outline takes one file: a directory expands to several.
    if (!target || targets.length !== 1) {
      err(t('cli:outline-args'));
      return EXIT_ERROR;
    }
    src = { filePath: target.path, display: target.display, diskPath: target.path };
  }
  const read = await readSource(src, options, io);
  if (!read.ok) {
    err(t(read.problem.key, read.problem.data));
    return EXIT_ERROR;
  }
  const doc = parseDocument(read.text, { maxChars: options.maxSize });
  const out = formatOutline(buildOutline(doc, src.filePath, { locale, full: options.full }));
  if (options.outputFile) {
    const failure = await writeOutput(options.outputFile, out, io.cwd);
    if (failure) {
      err(t('cli:output-failed', { file: options.outputFile, reason: failure }));
      return EXIT_ERROR;
    }
  } else {
    io.stdout.write(out);
  }
  return EXIT_OK;
}

async function runLint(options: CliOptions, io: CliIO, locale: Locale, err: (s: string) => void): Promise<number> {
  const t = (key: string, data?: Record<string, string | number>): string => formatMessage(locale, key, data);
  let ioFailure = false;
  const notifications: { message: string; filePath?: string }[] = [];
  const problem = (p: InputProblem, filePath?: string): void => {
    ioFailure = true;
    const message = t(p.key, p.data);
    err(message);
    notifications.push({ message, filePath });
  };

  // Settings shared by every file.
  const settings: Partial<LintSettings> & { customTemplates?: CustomTemplate[] } = { maxChars: options.maxSize };
  if (options.template !== undefined) {
    const r = resolveTemplate(options.template, options, io.cwd);
    if (!r.ok) {
      err(t(r.problem.key, r.problem.data));
      io.stderr.write(t('cli:usage-hint') + '\n');
      return EXIT_ERROR;
    }
    settings.template = r.template;
    if (r.custom) settings.customTemplates = [r.custom];
  }
  if (Object.keys(options.rules).length > 0) settings.rules = { ...options.rules };

  // What to lint.
  const sources: Source[] = [];
  if (options.stdin) {
    sources.push(stdinSource(options, io.cwd));
  } else {
    for (const target of expandTargets(options.files, io.cwd) as Target[]) {
      if (target.kind === 'problem') problem(target.problem);
      else sources.push({ filePath: target.path, display: target.display, diskPath: target.path });
    }
  }

  // The tokenizer: loaded once, on the first file that is actually linted.
  let tokenizerPromise: Promise<Tokenizer | null> | null = null;
  let tokenizerWarned = false;
  const getTokenizer = (): Promise<Tokenizer | null> => {
    if (!options.tokenizer) return Promise.resolve(null);
    if (tokenizerPromise) return tokenizerPromise;
    // The dictionary cache: --cache-dir, else $KEIYAKU_LINT_CACHE_DIR, else the user cache directory.
    const cacheDir = !options.dictCache ? null : options.cacheDir !== undefined ? path.resolve(io.cwd, options.cacheDir) : defaultCacheRoot(io.env);
    tokenizerPromise = io.loadTokenizer({ cacheDir }).then(
      (tk) => {
        if (!tk) {
          err(t('cli:tokenizer-unavailable', { reason: '-' }));
          tokenizerWarned = true;
        }
        return tk;
      },
      (e: unknown) => {
        err(t('cli:tokenizer-unavailable', { reason: e instanceof Error ? e.message : String(e) }));
        tokenizerWarned = true;
        return null;
      },
    );
    return tokenizerPromise;
  };

  const reports: FileReport[] = [];
  const displayOf = new Map<string, string>();
  let allErrors = 0;
  let allWarnings = 0;
  let fixedCount = 0;
  let stdinFixedText: string | null = null;
  const pending = new Set<string>();

  /** Lints one source and adds its report (and, with --fix, writes the fixed file). */
  const lintSource = async (src: Source): Promise<void> => {
    const read = await readSource(src, options, io);
    if (!read.ok) {
      problem(read.problem, src.diskPath ?? undefined);
      return;
    }
    const tokenizer = await getTokenizer();
    const lintOptions = { settings, tokenizer };

    // Memoised so that the fix loop's last lint serves as the report's lint.
    let last: { text: string; result: LintResult } | null = null;
    const lintText = (text: string): LintResult => {
      if (last && last.text === text) return last.result;
      const result = lint(text, lintOptions);
      last = { text, result };
      return result;
    };

    let text = read.text;
    let output: string | undefined;
    if (options.fix || options.fixDryRun) {
      const outcome = fixText(text, (x) => lintText(x).findings);
      if (outcome.fixed > 0) {
        fixedCount += outcome.fixed;
        if (options.fixDryRun) {
          output = outcome.text;
        } else if (src.diskPath !== null) {
          const bytes = encodeText(outcome.text, read.encoding);
          if (!bytes) {
            problem({ key: 'cli:fix-cannot-encode', data: { file: src.display, encoding: read.encoding.name } }, src.diskPath);
          } else {
            try {
              fs.writeFileSync(src.diskPath, bytes);
            } catch (e) {
              problem({ key: 'cli:write-failed', data: { file: src.display, reason: (e as NodeJS.ErrnoException).code ?? String(e) } }, src.diskPath);
            }
          }
        }
        // The report describes the text as it now is (or would be, for a dry run).
        text = outcome.text;
      }
      if (src.diskPath === null && options.fix) stdinFixedText = outcome.text;
    }

    const result = lintText(text);
    for (const r of result.pendingRules) pending.add(r);
    const findings: Finding[] = result.findings;
    for (const f of findings) {
      if (f.level === 'error') allErrors++;
      else if (f.level === 'warning') allWarnings++;
    }
    const report = buildReport(locale, src.filePath, templateIdOf(result.analysis), findings, new LineIndex(text), options.quiet);
    if (output !== undefined) report.output = output;
    reports.push(report);
    displayOf.set(src.filePath, src.display);
  };

  // Unless fixing, each file is linted once: the reference memo (refs/memo.ts), kept for an
  // editor's re-lints after an edit, would only cost time (~15 % of resolving a large draft's
  // references). The block memo stays: drafts of the same template share blocks.
  const referenceMemoWas = setReferenceMemo(options.fix || options.fixDryRun);
  try {
    for (const src of sources) await lintSource(src);
  } finally {
    setReferenceMemo(referenceMemoWas);
  }

  if (pending.size > 0 && options.tokenizer && !tokenizerWarned) {
    err(t('cli:rules-pending', { rules: [...pending].join(', ') }));
  }

  // The report.
  let out: string;
  const toStderr = stdinFixedText !== null && !options.outputFile;
  if (options.format === 'json') {
    out = formatJson(reports);
  } else if (options.format === 'sarif') {
    out = formatSarif(reports, { locale, version: packageVersion(), packageRoot: packageRoot(), notifications });
  } else {
    const toTerminal = !options.outputFile && !toStderr;
    out = formatStylish(reports, {
      locale,
      color: useColor(options, io, toTerminal),
      displayPath: (r) => displayOf.get(r.filePath) ?? r.filePath,
      fixed: options.fix || options.fixDryRun ? { count: fixedCount, dryRun: options.fixDryRun } : undefined,
    });
  }
  if (stdinFixedText !== null) io.stdout.write(stdinFixedText);
  if (options.outputFile) {
    const failure = await writeOutput(options.outputFile, out, io.cwd);
    if (failure) {
      err(t('cli:output-failed', { file: options.outputFile, reason: failure }));
      ioFailure = true;
    }
  } else if (out !== '') {
    (toStderr ? io.stderr : io.stdout).write(out);
  }

  if (ioFailure) return EXIT_ERROR;
  if (allErrors > 0) return EXIT_FINDINGS;
  if (options.maxWarnings >= 0 && allWarnings > options.maxWarnings) {
    err(t('cli:too-many-warnings', { count: allWarnings, max: options.maxWarnings }));
    return EXIT_FINDINGS;
  }
  return EXIT_OK;
}

if (require.main === module) {
  // `keiyaku-lint … | head`: a closed pipe ends the run quietly instead of crashing.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? EXIT_OK);
      throw e;
    });
  }
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`keiyaku-lint: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = EXIT_ERROR;
    },
  );
}
