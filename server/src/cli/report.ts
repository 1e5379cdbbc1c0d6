/**
 * The per-file report every formatter reads, in ESLint's JSON shape: one object per file with its
 * messages (1-based line/column; columns count UTF-16 code units, as ESLint's do) and counts.
 */
import type { Finding, Level } from '../engine/findings';
import { severityNumber } from '../engine/findings';
import { findingMessage, type Locale } from '../engine/i18n/messages';
import type { LineIndex } from '../engine/text/lines';
import { safeFix } from './fix';

export interface ReportMessage {
  ruleId: string;
  /** 2 error, 1 warning, 0 information or hint. */
  severity: 0 | 1 | 2;
  level: Level;
  message: string;
  messageId: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The canonical unit the finding concerns, e.g. 「第14第2項」. */
  ref?: string;
  /** The canonical wording. */
  canonical?: string;
  /** True when --fix can fix it. */
  fixable?: boolean;
}

export interface FileReport {
  /** Absolute path, or "<stdin>" / the --stdin-filename. */
  filePath: string;
  /** The template the draft was compared with, or null. */
  template: string | null;
  messages: ReportMessage[];
  errorCount: number;
  warningCount: number;
  infoCount: number;
  fixableErrorCount: number;
  fixableWarningCount: number;
  /** --fix-dry-run: the fixed text, when fixes changed it (ESLint's `output`). */
  output?: string;
}

/** Totals over several files. */
export interface Totals {
  errorCount: number;
  warningCount: number;
  infoCount: number;
  fixableErrorCount: number;
  fixableWarningCount: number;
}

/**
 * Id of the template the draft was compared with, or null. Read defensively from the analysis:
 * the clause stage keeps it at `clause.template.id` (older shapes: `template.id`, `template`).
 */
export function templateIdOf(analysis: unknown): string | null {
  const a = analysis as { clause?: { template?: { id?: unknown } | null }; template?: unknown } | null | undefined;
  const fromClause = a?.clause?.template?.id;
  if (typeof fromClause === 'string') return fromClause;
  const t = a?.template;
  if (typeof t === 'string') return t;
  if (t && typeof t === 'object') {
    const id = (t as { id?: unknown }).id;
    if (typeof id === 'string') return id;
  }
  return null;
}

export function toMessage(locale: Locale, f: Finding, lines: LineIndex): ReportMessage {
  const s = lines.positionAt(f.span.start);
  const e = lines.positionAt(f.span.end);
  const m: ReportMessage = {
    ruleId: f.ruleId,
    severity: severityNumber(f.level),
    level: f.level,
    message: findingMessage(locale, f),
    messageId: f.messageId,
    line: s.line + 1,
    column: s.character + 1,
    endLine: e.line + 1,
    endColumn: e.character + 1,
  };
  if (f.ref !== undefined) m.ref = f.ref;
  if (f.canonical !== undefined) m.canonical = f.canonical;
  if (safeFix(f, lines.text.length)) m.fixable = true;
  return m;
}

export function buildReport(
  locale: Locale,
  filePath: string,
  template: string | null,
  findings: readonly Finding[],
  lines: LineIndex,
  quiet = false,
): FileReport {
  const kept = quiet ? findings.filter((f) => f.level === 'error') : findings;
  const messages = kept.map((f) => toMessage(locale, f, lines));
  return withCounts({ filePath, template, messages });
}

export function withCounts(r: { filePath: string; template: string | null; messages: ReportMessage[]; output?: string }): FileReport {
  const out: FileReport = {
    filePath: r.filePath,
    template: r.template,
    messages: r.messages,
    errorCount: 0,
    warningCount: 0,
    infoCount: 0,
    fixableErrorCount: 0,
    fixableWarningCount: 0,
  };
  for (const m of r.messages) {
    if (m.severity === 2) {
      out.errorCount++;
      if (m.fixable) out.fixableErrorCount++;
    } else if (m.severity === 1) {
      out.warningCount++;
      if (m.fixable) out.fixableWarningCount++;
    } else {
      out.infoCount++;
    }
  }
  if (r.output !== undefined) out.output = r.output;
  return out;
}

export function totals(reports: readonly FileReport[]): Totals {
  const t: Totals = { errorCount: 0, warningCount: 0, infoCount: 0, fixableErrorCount: 0, fixableWarningCount: 0 };
  for (const r of reports) {
    t.errorCount += r.errorCount;
    t.warningCount += r.warningCount;
    t.infoCount += r.infoCount;
    t.fixableErrorCount += r.fixableErrorCount;
    t.fixableWarningCount += r.fixableWarningCount;
  }
  return t;
}

export function formatJson(reports: readonly FileReport[]): string {
  return JSON.stringify(reports) + '\n';
}
