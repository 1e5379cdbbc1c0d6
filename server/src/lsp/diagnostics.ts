/**
 * Findings → LSP diagnostics. Ranges are computed from the finding's span over the ORIGINAL
 * text (LineIndex, UTF-16 — LSP's default position encoding), so a diagnostic underlines the
 * user's own characters, whatever the parser normalised.
 */
import * as path from 'path';
import { pathToFileURL } from 'url';
import {
  Diagnostic,
  DiagnosticRelatedInformation,
  DiagnosticSeverity,
  Location,
  Range,
} from 'vscode-languageserver';
import type { Finding, Level } from '../engine/findings';
import { findingMessage, formatMessage, ruleMessageKey, type Locale } from '../engine/i18n/messages';
import type { Span } from '../engine/model/types';
import { ruleDocsPath } from '../engine/rules/registry';
import type { LineIndex } from '../engine/text/lines';

export const SOURCE = 'keiyaku-lint';

/**
 * What a diagnostic carries (`Diagnostic.data`): its rule, the canonical reference and the document
 * version it was computed for. Not its fixes: code actions are answered from the server's cache of
 * the findings (codeActions.ts `findingFor`), so the edits of every fix need not cross the protocol
 * with every publication (a document-wide number-width finding alone carries ~1,000 edits).
 */
export interface DiagnosticData {
  ruleId: string;
  ref?: string;
  /** The document version the diagnostic (and its fixes) were computed for. */
  version: number;
}

export interface MappingContext {
  uri: string;
  version: number;
  locale: Locale;
  lines: LineIndex;
  /** Root of the extension (holds docs/rules/…). */
  docsRoot: string;
  /** Whether the client renders relatedInformation. */
  relatedInformation: boolean;
}

export function severityOf(level: Level): DiagnosticSeverity {
  switch (level) {
    case 'error':
      return DiagnosticSeverity.Error;
    case 'warning':
      return DiagnosticSeverity.Warning;
    case 'information':
      return DiagnosticSeverity.Information;
    case 'hint':
      return DiagnosticSeverity.Hint;
  }
}

export function rangeOf(lines: LineIndex, span: Span): Range {
  return { start: lines.positionAt(span.start), end: lines.positionAt(span.end) };
}

const docsUris = new Map<string, string>();

/** file: URI of a rule's docs page inside the extension (docs/rules/ID.md); computed once per rule. */
export function ruleDocsUri(docsRoot: string, ruleId: string): string {
  const key = `${docsRoot}\u0000${ruleId}`;
  let uri = docsUris.get(key);
  if (uri === undefined) {
    uri = pathToFileURL(path.resolve(docsRoot, ruleDocsPath(ruleId))).toString();
    if (docsUris.size > 1000) docsUris.clear();
    docsUris.set(key, uri);
  }
  return uri;
}

/** The message shown for a finding: the rule's message, then the canonical wording if any. */
export function diagnosticMessage(locale: Locale, f: Finding): string {
  const message = findingMessage(locale, f);
  if (f.canonical === undefined || f.canonical === '') return message;
  return `${message}\n${formatMessage(locale, 'server:canonical', { text: f.canonical })}`;
}

/**
 * Most related locations one diagnostic lists; past them, one entry says how many more there are.
 * A document-wide finding (number-width over a whole contract) can have a thousand: no one reads
 * them in a hover or the Problems view, and every publication would carry them all (~300 KB for a
 * 1 MB contract). The finding's message gives the count, and its fix still covers every place.
 */
export const MAX_RELATED = 50;

export function toDiagnostic(f: Finding, ctx: MappingContext): Diagnostic {
  const range = rangeOf(ctx.lines, f.span);
  const data: DiagnosticData = { ruleId: f.ruleId, ref: f.ref, version: ctx.version };
  const diagnostic: Diagnostic = {
    range,
    severity: severityOf(f.level),
    code: f.ruleId,
    codeDescription: { href: ruleDocsUri(ctx.docsRoot, f.ruleId) },
    source: SOURCE,
    message: diagnosticMessage(ctx.locale, f),
    data,
  };
  if (ctx.relatedInformation && f.related && f.related.length > 0) {
    const related: DiagnosticRelatedInformation[] = [];
    let more = 0;
    for (const r of f.related) {
      if (!r.span) continue;
      if (related.length === MAX_RELATED) {
        more++;
        continue;
      }
      related.push({
        location: Location.create(ctx.uri, rangeOf(ctx.lines, r.span)),
        message: formatMessage(ctx.locale, ruleMessageKey(f.ruleId, r.messageId), r.data ?? {}),
      });
    }
    if (more > 0) related.push({ location: Location.create(ctx.uri, range), message: formatMessage(ctx.locale, 'server:related-more', { count: more }) });
    if (related.length > 0) diagnostic.relatedInformation = related;
  }
  return diagnostic;
}

export function toDiagnostics(findings: readonly Finding[], ctx: MappingContext): Diagnostic[] {
  return findings.map((f) => toDiagnostic(f, ctx));
}

export interface LevelCounts {
  error: number;
  warning: number;
  information: number;
  hint: number;
}

export function countLevels(findings: readonly Finding[]): LevelCounts {
  const counts: LevelCounts = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const f of findings) counts[f.level]++;
  return counts;
}

export function sameRange(a: Range, b: Range): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}
