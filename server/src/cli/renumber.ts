/**
 * keiyaku-lint renumber [--write | -o FILE] [--flatten-branches] [--encoding ENC] FILE
 *
 * Renumbers the articles (and their paragraphs and items) in sequence and rewrites every
 * internal reference (lists, ranges, headings written with them, the table of contents, 条ズレ)
 * in the document's own number style (engine/renumber.ts). Prints the renumbered document, or
 * writes it back with --write / to another file with -o. A summary of what changed goes to
 * standard error. Exit 0 done (changed or not), 2 usage or I/O error.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatMessage, resolveLocale, type Locale } from '../engine/i18n/messages';
import { renumber } from '../engine/renumber';
import { DEFAULT_MAX_SIZE, parseInputOption } from './args';
import { encodeText, readTextFile } from './input';
import type { CliIO } from './io';

const OK = 0;
const ERROR = 2;

interface RenumberCliOptions {
  file?: string;
  write: boolean;
  output?: string;
  flattenBranches: boolean;
  encoding?: string;
  locale?: Locale;
  help: boolean;
}

type Parsed = { options: RenumberCliOptions; error?: undefined } | { options?: undefined; error: { key: string; data?: Record<string, string> } };

export function parseRenumberArgs(argv: readonly string[]): Parsed {
  const o: RenumberCliOptions = { write: false, flattenBranches: false, help: false };
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string | undefined => argv[++i];
    if (a === '-h' || a === '--help') o.help = true;
    else if (a === '-w' || a === '--write') o.write = true;
    else if (a === '--flatten-branches') o.flattenBranches = true;
    else if (a === '-o' || a === '--output-file') {
      const v = value();
      if (!v) return { error: { key: 'renumber:missing-value', data: { option: a } } };
      o.output = v;
    } else if (a === '--encoding') {
      const r = parseInputOption('encoding', value() ?? '');
      if ('error' in r) return { error: r.error };
      if ('encoding' in r) o.encoding = r.encoding;
    } else if (a === '--locale') {
      o.locale = resolveLocale(value());
    } else if (a.startsWith('-') && a !== '-') return { error: { key: 'renumber:unknown-option', data: { option: a } } };
    else files.push(a);
  }
  if (o.help) return { options: o };
  if (files.length !== 1 || files[0] === '-') return { error: { key: 'renumber:args' } };
  if (o.write && o.output) return { error: { key: 'renumber:write-and-output' } };
  o.file = files[0];
  return { options: o };
}

/** Runs `keiyaku-lint renumber …` (argv without the word renumber). Never rejects. */
export async function runRenumber(argv: readonly string[], io: CliIO): Promise<number> {
  const parsed = parseRenumberArgs(argv);
  const locale = parsed.options?.locale ?? resolveLocale([io.env.LC_ALL, io.env.LC_MESSAGES, io.env.LANG].find((x) => x));
  const t = (key: string, data?: Record<string, string | number>): string => formatMessage(locale, key, data);
  const err = (line: string): void => void io.stderr.write(`keiyaku-lint renumber: ${line}\n`);
  if (parsed.error) {
    err(t(parsed.error.key, parsed.error.data));
    return ERROR;
  }
  const o = parsed.options;
  if (o.help) {
    io.stdout.write(t('renumber:help') + '\n');
    return OK;
  }
  const file = o.file as string;
  const abs = path.resolve(io.cwd, file);
  const decoded = readTextFile(abs, file, DEFAULT_MAX_SIZE, o.encoding);
  if (!decoded.ok) {
    err(t(decoded.problem.key, decoded.problem.data));
    return ERROR;
  }
  const result = renumber(decoded.text, { flattenBranches: o.flattenBranches });
  err(t('renumber:summary', { units: result.renumbered.length, refs: result.rewritten.length, unresolved: result.unresolved.length }));
  if (!o.write && !o.output) {
    io.stdout.write(result.text);
    return OK;
  }
  const target = o.write ? abs : path.resolve(io.cwd, o.output as string);
  const bytes = encodeText(result.text, decoded.encoding);
  if (!bytes) {
    err(t('renumber:cannot-encode', { encoding: decoded.encoding.name }));
    return ERROR;
  }
  try {
    await fs.promises.writeFile(target, bytes);
  } catch (e) {
    err(t('cli:output-failed', { file: o.write ? file : (o.output as string), reason: (e as NodeJS.ErrnoException).code ?? String(e) }));
    return ERROR;
  }
  return OK;
}
