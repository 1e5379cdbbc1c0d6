/**
 * `keiyaku-lint diff OLD NEW [--format stylish|json|markdown|html] [-o FILE]`: what changed in
 * substance between two revisions, clause by clause (engine: server/src/engine/revision/).
 *
 * Exit codes: 0 the revisions are equivalent (reflow, digit width, renumbering at most);
 * 1 substantive changes; 2 usage error, unreadable input, or a revision with no articles.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatMessage, resolveLocale, type Locale } from '../engine/i18n/messages';
import { diffRevisions } from '../engine/revision/diff';
import { formatRevision, REVISION_FORMATS, type RevisionFormat } from '../engine/revision/report';
import { defaultCacheRoot } from '../engine/tokenizer/dictionaryCache';
import type { Tokenizer } from '../engine/tokenizer/types';
import { DEFAULT_MAX_SIZE, parseInputOption, splitOption } from './args';
import { readTextFile } from './input';
import type { CliIO } from './io';

export const DIFF_EQUIVALENT = 0;
export const DIFF_CHANGED = 1;
export const DIFF_ERROR = 2;

export interface DiffCliOptions {
  files: string[];
  format: RevisionFormat;
  outputFile?: string;
  locale?: Locale;
  encoding?: string;
  /** The encoding of OLD or of NEW alone (an old revision kept in Shift_JIS, a new one in UTF-8). */
  oldEncoding?: string;
  newEncoding?: string;
  maxSize: number;
  color?: boolean;
  help: boolean;
}

type Parsed = { options: DiffCliOptions; error?: undefined } | { options: DiffCliOptions; error: { key: string; data?: Record<string, string | number> } };

const SHORT: Record<string, string> = { f: 'format', o: 'output-file', h: 'help' };
const VALUED = new Set(['format', 'output-file', 'locale', 'encoding', 'old-encoding', 'new-encoding', 'max-size']);

export function parseDiffArgs(argv: readonly string[]): Parsed {
  const o: DiffCliOptions = { files: [], format: 'stylish', maxSize: DEFAULT_MAX_SIZE, help: false };
  const fail = (key: string, data?: Record<string, string | number>): Parsed => ({ options: o, error: { key, data } });
  let rest = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (rest || arg === '-' || !arg.startsWith('-')) {
      o.files.push(arg);
      continue;
    }
    if (arg === '--') {
      rest = true;
      continue;
    }
    const split = splitOption(arg, SHORT);
    if (!split) return fail('diff:unknown-option', { option: arg });
    const name = split.name;
    let value = split.inline;
    if (name === 'help') {
      o.help = true;
      continue;
    }
    if (name === 'color' || name === 'no-color') {
      o.color = name === 'color';
      continue;
    }
    if (!VALUED.has(name)) return fail('diff:unknown-option', { option: arg.split('=')[0] });
    if (value === undefined) {
      if (i + 1 >= argv.length) return fail('diff:missing-value', { option: `--${name}` });
      value = argv[++i];
    }
    switch (name) {
      case 'format': {
        const f = value.toLowerCase() === 'md' ? 'markdown' : value.toLowerCase();
        if (!(REVISION_FORMATS as readonly string[]).includes(f)) return fail('diff:bad-format', { value, formats: REVISION_FORMATS.join(', ') });
        o.format = f as RevisionFormat;
        break;
      }
      case 'output-file':
        if (!value) return fail('diff:missing-value', { option: '--output-file' });
        o.outputFile = value;
        break;
      case 'old-encoding':
      case 'new-encoding': {
        const r = parseInputOption('encoding', value);
        if ('error' in r) return fail(r.error.key, r.error.data);
        if ('encoding' in r) o[name === 'old-encoding' ? 'oldEncoding' : 'newEncoding'] = r.encoding;
        break;
      }
      case 'encoding':
      case 'max-size':
      case 'locale': {
        const r = parseInputOption(name, value);
        if ('error' in r) return fail(r.error.key, r.error.data);
        Object.assign(o, r);
        break;
      }
    }
  }
  if (o.help) return { options: o };
  if (o.files.length !== 2 || o.files.includes('-')) return fail('diff:args');
  return { options: o };
}

function localeOf(env: Record<string, string | undefined>): Locale {
  return resolveLocale([env.LC_ALL, env.LC_MESSAGES, env.LANG].find((x) => x !== undefined && x !== ''));
}

function useColor(o: DiffCliOptions, io: CliIO): boolean {
  if (o.color !== undefined) return o.color;
  if (o.outputFile) return false;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return io.stdout.isTTY === true;
}

/** Runs `keiyaku-lint diff …` (argv without the word diff). Resolves to the exit code; never rejects. */
export async function runDiff(argv: readonly string[], io: CliIO): Promise<number> {
  const parsed = parseDiffArgs(argv);
  const locale = parsed.options.locale ?? localeOf(io.env);
  const t = (key: string, data?: Record<string, string | number>): string => formatMessage(locale, key, data);
  const err = (line: string): void => void io.stderr.write(`keiyaku-lint diff: ${line}\n`);
  if (parsed.error) {
    err(t(parsed.error.key, parsed.error.data));
    io.stderr.write(t('diff:usage-hint') + '\n');
    return DIFF_ERROR;
  }
  const o = parsed.options;
  if (o.help) {
    io.stdout.write(t('diff:help') + '\n');
    return DIFF_EQUIVALENT;
  }
  try {
    const texts: string[] = [];
    for (const [i, f] of o.files.entries()) {
      const abs = path.resolve(io.cwd, f);
      const decoded = readTextFile(abs, f, o.maxSize, (i === 0 ? o.oldEncoding : o.newEncoding) ?? o.encoding);
      if (!decoded.ok) {
        err(t(decoded.problem.key, decoded.problem.data));
        // one revision in another encoding than the other: each can be named
        if (decoded.problem.key.startsWith('cli:not-utf8') || decoded.problem.key === 'cli:decode-failed') err(t('diff:encoding-hint'));
        return DIFF_ERROR;
      }
      texts.push(decoded.text);
    }

    let tokenizer: Tokenizer | null = null;
    try {
      tokenizer = await io.loadTokenizer({ cacheDir: defaultCacheRoot(io.env) });
      if (!tokenizer) err(t('cli:tokenizer-unavailable', { reason: '-' }));
    } catch (e) {
      err(t('cli:tokenizer-unavailable', { reason: e instanceof Error ? e.message : String(e) }));
    }

    const report = diffRevisions(texts[0], texts[1], { tokenizer, oldName: o.files[0], newName: o.files[1], maxChars: o.maxSize });

    // Links to both places: relative to the report (Markdown), file URLs (HTML, for local reading).
    const base = o.outputFile ? path.dirname(path.resolve(io.cwd, o.outputFile)) : io.cwd;
    const link = (file: string) => (line: number): string => {
      const abs = path.resolve(io.cwd, file);
      if (o.format === 'html') return `${pathToFileURL(abs).href}#L${line}`;
      return `${path.relative(base, abs).split(path.sep).join('/')}#L${line}`;
    };
    const out = formatRevision(report, o.format, {
      locale,
      color: useColor(o, io),
      oldLink: link(o.files[0]),
      newLink: link(o.files[1]),
    });
    if (o.outputFile) {
      const abs = path.resolve(io.cwd, o.outputFile);
      try {
        await fs.promises.mkdir(path.dirname(abs), { recursive: true });
        await fs.promises.writeFile(abs, out, 'utf8');
      } catch (e) {
        err(t('cli:output-failed', { file: o.outputFile, reason: (e as NodeJS.ErrnoException).code ?? String(e) }));
        return DIFF_ERROR;
      }
    } else {
      io.stdout.write(out);
    }
    if (report.error) {
      err(t(report.error.key, report.error.data));
      return DIFF_ERROR;
    }
    return report.summary.equivalent ? DIFF_EQUIVALENT : DIFF_CHANGED;
  } catch (e) {
    err(t('cli:internal-error', { error: e instanceof Error ? (e.stack ?? e.message) : String(e) }));
    return DIFF_ERROR;
  }
}
