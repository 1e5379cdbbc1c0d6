/**
 * The default report, after ESLint's "stylish": files with problems, one line per problem
 * (`line:col  level  message  ruleId`, columns aligned by display width so that Japanese text lines
 * up), the canonical wording indented under its problem, and a summary in the user's language.
 */
import { formatMessage, type Locale } from '../engine/i18n/messages';
import type { Level } from '../engine/findings';
import type { FileReport } from './report';
import { totals } from './report';

export interface StylishOptions {
  locale: Locale;
  color: boolean;
  /** Shown instead of FileReport.filePath (paths relative to the working directory). */
  displayPath?: (r: FileReport) => string;
  /** Fixes applied (--fix) or applicable (--fix-dry-run), for the footer. */
  fixed?: { count: number; dryRun: boolean };
}

const ANSI = {
  reset: '\x1b[0m',
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  underline: '\x1b[4m',
  red: '\x1b[31m',
  yellow: '\x1b[33m',
  blue: '\x1b[34m',
  green: '\x1b[32m',
  gray: '\x1b[90m',
};

/** Terminal columns of a string: East Asian wide and full-width characters take two. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || (c >= 0x7f && c < 0xa0)) continue;
    if ((c >= 0x300 && c <= 0x36f) || c === 0x200b || c === 0xfe0f) continue; // combining, zero width
    w += isWide(c) ? 2 : 1;
  }
  return w;
}

function isWide(c: number): boolean {
  return (
    (c >= 0x1100 && c <= 0x115f) ||
    (c >= 0x2e80 && c <= 0x303e) ||
    (c >= 0x3041 && c <= 0x33ff) ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0xa000 && c <= 0xa4cf) ||
    (c >= 0xac00 && c <= 0xd7a3) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xfe30 && c <= 0xfe4f) ||
    (c >= 0xff00 && c <= 0xff60) ||
    (c >= 0xffe0 && c <= 0xffe6) ||
    (c >= 0x1f300 && c <= 0x1f64f) ||
    (c >= 0x1f900 && c <= 0x1f9ff) ||
    (c >= 0x20000 && c <= 0x3fffd)
  );
}

/** Messages wider than this (terminal columns) are not used to align the rule-id column. */
const MAX_ALIGNED_MESSAGE = 72;

function padEnd(s: string, width: number): string {
  const w = displayWidth(s);
  return w >= width ? s : s + ' '.repeat(width - w);
}

function levelLabel(locale: Locale, level: Level): string {
  return formatMessage(locale, `cli:level-${level}`);
}

/** Keeps a message on one line of the report (a message never spans report lines). */
function oneLine(s: string): string {
  return s.replace(/\r\n|\r|\n/g, ' ');
}

export function formatStylish(reports: readonly FileReport[], opts: StylishOptions): string {
  const { locale } = opts;
  const c = (code: keyof typeof ANSI, s: string): string => (opts.color ? ANSI[code] + s + ANSI.reset : s);
  const levelColor = (l: Level): keyof typeof ANSI => (l === 'error' ? 'red' : l === 'warning' ? 'yellow' : l === 'information' ? 'blue' : 'gray');
  let out = '';
  for (const r of reports) {
    if (r.messages.length === 0) continue;
    out += '\n' + c('underline', opts.displayPath ? opts.displayPath(r) : r.filePath) + '\n';
    const rows = r.messages.map((m) => ({
      pos: `${m.line}:${m.column}`,
      level: levelLabel(locale, m.level),
      message: oneLine(m.message),
      m,
    }));
    const wPos = Math.max(...rows.map((x) => displayWidth(x.pos)));
    const wLevel = Math.max(...rows.map((x) => displayWidth(x.level)));
    // Rule ids line up after messages of ordinary length; a very long message does not push
    // every other row's rule id far to the right.
    const widths = rows.map((x) => displayWidth(x.message));
    const wMsg = Math.max(0, ...widths.filter((w) => w <= MAX_ALIGNED_MESSAGE));
    for (const x of rows) {
      out +=
        '  ' +
        c('dim', padEnd(x.pos, wPos)) +
        '  ' +
        c(levelColor(x.m.level), padEnd(x.level, wLevel)) +
        '  ' +
        padEnd(x.message, wMsg) +
        '  ' +
        c('dim', x.m.ruleId) +
        '\n';
      if (x.m.canonical !== undefined) {
        const key = x.m.ref !== undefined ? 'cli:canonical-ref' : 'cli:canonical';
        const line = formatMessage(locale, key, { ref: x.m.ref ?? '', text: oneLine(x.m.canonical) });
        out += ' '.repeat(2 + wPos + 2) + c('green', line) + '\n';
      }
    }
  }
  const t = totals(reports);
  const problems = t.errorCount + t.warningCount + t.infoCount;
  if (problems > 0) {
    const n = (count: number, one: string, many: string): string =>
      formatMessage(locale, count === 1 ? one : many, { count });
    const summary = formatMessage(locale, 'cli:summary', {
      problems: n(problems, 'cli:count-problem', 'cli:count-problems'),
      errors: n(t.errorCount, 'cli:count-error', 'cli:count-errors'),
      warnings: n(t.warningCount, 'cli:count-warning', 'cli:count-warnings'),
      infos: n(t.infoCount, 'cli:count-info', 'cli:count-infos'),
    });
    const color = t.errorCount > 0 ? 'red' : t.warningCount > 0 ? 'yellow' : 'blue';
    out += '\n' + c('bold', c(color, '✖ ' + summary)) + '\n';
    if ((t.fixableErrorCount > 0 || t.fixableWarningCount > 0) && !opts.fixed) {
      out +=
        c(
          color,
          '  ' +
            formatMessage(locale, 'cli:fixable', {
              errors: n(t.fixableErrorCount, 'cli:count-error', 'cli:count-errors'),
              warnings: n(t.fixableWarningCount, 'cli:count-warning', 'cli:count-warnings'),
            }),
        ) + '\n';
    }
  }
  if (opts.fixed && opts.fixed.count > 0) {
    const key = opts.fixed.dryRun ? 'cli:fix-dry-run-summary' : 'cli:fix-summary';
    out += (problems > 0 ? '' : '\n') + c('green', formatMessage(locale, key, { count: opts.fixed.count })) + '\n';
  }
  return out;
}
