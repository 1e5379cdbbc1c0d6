/** Command-line arguments → options. Never throws: a bad argument is a usage error (exit 2). */
import type { LevelSetting } from '../engine/findings';
import type { Locale } from '../engine/i18n/messages';
import { RULES, ruleById } from '../engine/rules/registry';

export type Format = 'stylish' | 'json' | 'sarif';
export const FORMATS: readonly Format[] = ['stylish', 'json', 'sarif'];

export interface CliOptions {
  command: 'lint' | 'outline';
  /** Files and directories, as given. */
  files: string[];
  /** Read standard input (`-` or `--stdin`). */
  stdin: boolean;
  stdinFilename?: string;
  format: Format;
  template?: string;
  outputFile?: string;
  locale?: Locale;
  /** --rule ID=LEVEL, in order (a later one wins). */
  rules: Record<string, LevelSetting>;
  /** Exit 1 when there are more warnings than this; -1: no limit. */
  maxWarnings: number;
  fix: boolean;
  fixDryRun: boolean;
  encoding?: string;
  /** undefined: colours on a terminal only. */
  color?: boolean;
  /** Files larger than this many bytes are not linted. */
  maxSize: number;
  /** Report errors only. */
  quiet: boolean;
  /** outline: full body text instead of the first 80 characters. */
  full: boolean;
  /** false: do not load the tokenizer (structural rules only). */
  tokenizer: boolean;
  /** false (--no-dict-cache): kuromoji reads its *.dat.gz, no decompressed-dictionary cache. */
  dictCache: boolean;
  /** --cache-dir: root of the dictionary cache instead of the default (engine/tokenizer/dictionaryCache.ts). */
  cacheDir?: string;
  help: boolean;
  version: boolean;
}

export interface UsageError {
  /** Catalogue key (cli:…). */
  key: string;
  data?: Record<string, string | number>;
}

export type ParseResult = { options: CliOptions; error?: undefined } | { options: Partial<CliOptions>; error: UsageError };

export const DEFAULT_MAX_SIZE = 2 * 1024 * 1024;

const LEVEL_ALIASES: Record<string, LevelSetting> = {
  error: 'error',
  warning: 'warning',
  warn: 'warning',
  information: 'information',
  info: 'information',
  hint: 'hint',
  off: 'off',
};

/** Options that take a value: long name → short alias. */
const VALUE_OPTIONS = new Map<string, string | undefined>([
  ['format', 'f'],
  ['template', 't'],
  ['output-file', 'o'],
  ['locale', undefined],
  ['rule', undefined],
  ['max-warnings', undefined],
  ['encoding', undefined],
  ['max-size', undefined],
  ['stdin-filename', undefined],
  ['cache-dir', undefined],
]);

const FLAG_OPTIONS = new Set([
  'fix',
  'fix-dry-run',
  'color',
  'no-color',
  'quiet',
  'full',
  'no-tokenizer',
  'no-dict-cache',
  'stdin',
  'help',
  'version',
]);

const SHORT: Record<string, string> = { f: 'format', t: 'template', o: 'output-file', h: 'help', v: 'version', q: 'quiet' };

/** Parses a size such as 2097152, 512k, 2MB, 1.5MiB into bytes; null when malformed. */
export function parseSize(s: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?$/i.exec(s.trim());
  if (!m) return null;
  const unit = (m[2] ?? 'b').toLowerCase();
  const mult = unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 ** 2 : unit.startsWith('g') ? 1024 ** 3 : 1;
  const n = Math.floor(Number(m[1]) * mult);
  return Number.isFinite(n) && n > 0 ? n : null;
}

export function parseArgs(argv: readonly string[]): ParseResult {
  const o: CliOptions = {
    command: 'lint',
    files: [],
    stdin: false,
    format: 'stylish',
    rules: {},
    maxWarnings: -1,
    fix: false,
    fixDryRun: false,
    maxSize: DEFAULT_MAX_SIZE,
    quiet: false,
    full: false,
    tokenizer: true,
    dictCache: true,
    help: false,
    version: false,
  };
  const fail = (key: string, data?: Record<string, string | number>): ParseResult => ({ options: o, error: { key, data } });
  const positional: string[] = [];
  let endOfOptions = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (endOfOptions || arg === '-' || !arg.startsWith('-')) {
      positional.push(arg);
      continue;
    }
    if (arg === '--') {
      endOfOptions = true;
      continue;
    }
    const split = splitOption(arg, SHORT);
    if (!split) return fail('cli:unknown-option', { option: arg });
    const { name, inline } = split;
    if (FLAG_OPTIONS.has(name)) {
      if (inline !== undefined) return fail('cli:unexpected-value', { option: `--${name}` });
      switch (name) {
        case 'fix':
          o.fix = true;
          break;
        case 'fix-dry-run':
          o.fixDryRun = true;
          break;
        case 'color':
          o.color = true;
          break;
        case 'no-color':
          o.color = false;
          break;
        case 'quiet':
          o.quiet = true;
          break;
        case 'full':
          o.full = true;
          break;
        case 'no-tokenizer':
          o.tokenizer = false;
          break;
        case 'no-dict-cache':
          o.dictCache = false;
          break;
        case 'stdin':
          o.stdin = true;
          break;
        case 'help':
          o.help = true;
          break;
        case 'version':
          o.version = true;
          break;
      }
      continue;
    }
    if (!VALUE_OPTIONS.has(name)) return fail('cli:unknown-option', { option: arg.split('=')[0] });
    let value = inline;
    if (value === undefined) {
      if (i + 1 >= argv.length) return fail('cli:missing-value', { option: `--${name}` });
      value = argv[++i];
    }
    switch (name) {
      case 'format': {
        const f = value.toLowerCase();
        if (!(FORMATS as readonly string[]).includes(f)) return fail('cli:bad-format', { value, formats: FORMATS.join(', ') });
        o.format = f as Format;
        break;
      }
      case 'template':
        if (value.trim() === '') return fail('cli:missing-value', { option: '--template' });
        o.template = value;
        break;
      case 'output-file':
        if (value === '') return fail('cli:missing-value', { option: '--output-file' });
        o.outputFile = value;
        break;
      case 'rule': {
        const m = /^\s*([^=:\s]+)\s*[=:]\s*(\S+)\s*$/.exec(value);
        if (!m) return fail('cli:bad-rule', { value });
        const level = LEVEL_ALIASES[m[2].toLowerCase()];
        if (!level) return fail('cli:bad-level', { value: m[2], levels: 'error, warning, information, hint, off' });
        if (!ruleById(m[1])) return fail('cli:unknown-rule', { rule: m[1], rules: RULES.map((r) => r.id).join(', ') });
        o.rules[m[1]] = level;
        break;
      }
      case 'max-warnings': {
        if (!/^-?\d+$/.test(value.trim()) || Number(value) < -1) return fail('cli:bad-number', { option: '--max-warnings', value });
        o.maxWarnings = Number(value);
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
      case 'stdin-filename':
        o.stdinFilename = value;
        break;
      case 'cache-dir':
        if (value.trim() === '') return fail('cli:missing-value', { option: '--cache-dir' });
        o.cacheDir = value;
        break;
    }
  }

  if (o.help || o.version) return { options: o };

  if (positional[0] === 'outline') {
    o.command = 'outline';
    positional.shift();
  }
  for (const p of positional) {
    if (p === '-') o.stdin = true;
    else o.files.push(p);
  }
  if (o.command === 'outline') {
    const n = o.files.length + (o.stdin ? 1 : 0);
    if (n !== 1) return fail('cli:outline-args');
    if (o.fix || o.fixDryRun) return fail('cli:outline-fix');
  } else {
    if (o.files.length === 0 && !o.stdin) return fail('cli:no-input');
  }
  if (o.stdin && o.files.length > 0) return fail('cli:stdin-and-files');
  if (o.fix && o.fixDryRun) return fail('cli:fix-and-dry-run');
  if (o.cacheDir !== undefined && !o.dictCache) return fail('cli:cache-dir-and-no-dict-cache');
  return { options: o };
}

/**
 * The options every subcommand that reads files shares (lint, diff): --encoding (a label
 * TextDecoder knows), --max-size (512KB, 5MB…) and --locale (ja…, en…).
 */
export function parseInputOption(
  name: 'encoding' | 'max-size' | 'locale',
  value: string,
): { encoding: string } | { maxSize: number } | { locale: Locale } | { error: { key: string; data: Record<string, string> } } {
  if (name === 'locale') {
    const l = value.toLowerCase();
    if (l.startsWith('ja')) return { locale: 'ja' };
    if (l.startsWith('en')) return { locale: 'en' };
    return { error: { key: 'cli:bad-locale', data: { value } } };
  }
  if (name === 'encoding') {
    try {
      // Validates the label (RangeError for an unknown one).
      new TextDecoder(value);
    } catch {
      return { error: { key: 'cli:bad-encoding', data: { value } } };
    }
    return { encoding: value };
  }
  const n = parseSize(value);
  return n === null ? { error: { key: 'cli:bad-size', data: { value } } } : { maxSize: n };
}

/**
 * Splits one option argument: `--name`, `--name=value`, `-x`, `-xvalue` or `-x=value` (short
 * letters mapped through `short`). Null for an unknown short letter. Shared by every subcommand.
 */
export function splitOption(arg: string, short: Record<string, string>): { name: string; inline?: string } | null {
  if (arg.startsWith('--')) {
    const eq = arg.indexOf('=');
    return eq >= 0 ? { name: arg.slice(2, eq), inline: arg.slice(eq + 1) } : { name: arg.slice(2) };
  }
  const long = short[arg[1]];
  if (!long) return null;
  const rest = arg.slice(2);
  return rest === '' ? { name: long } : { name: long, inline: rest.startsWith('=') ? rest.slice(1) : rest };
}
