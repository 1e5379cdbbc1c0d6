/**
 * Revision comparison in the language server.
 *
 *   keiyaku/compareRevision {uri, otherText, otherLabel, otherUri?} → CompareRevisionResult
 *   keiyaku/clearRevision {uri} → null
 *
 * The open document is the newer revision (B), `otherText` the older one (A: another file, the
 * file at git HEAD or another commit). The answer carries the engine's report, the report rendered
 * as Markdown and as HTML (in the server's language, with links to both places), and the
 * diagnostics: one per substantive change, on the open document, under the source
 * `keiyaku-lint (revision)`. They are published too, and follow the document's edits until
 * keiyaku/clearRevision (or its closing):
 *  - a pull client (VS Code) keeps pushed and pulled diagnostics apart: they are pushed as they are;
 *  - a push client has one set per document: the server adds them to its lint diagnostics
 *    (`extraDiagnostics`, `tag`), and `republish` has it push again.
 */
import type { Connection, Diagnostic, TextDocuments } from 'vscode-languageserver/node';
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { formatMessage, type Locale } from '../engine/i18n/messages';
import type { Span } from '../engine/model/types';
import { diffRevisions } from '../engine/revision/diff';
import { formatRevisionHtml, formatRevisionMarkdown } from '../engine/revision/report';
import { wordMessage } from '../engine/revision/report/common';
import type { RevisionReport, UnitChange } from '../engine/revision/types';
import { LineIndex } from '../engine/text/lines';
import type { Tokenizer } from '../engine/tokenizer/types';

export const COMPARE_REVISION_REQUEST = 'keiyaku/compareRevision';
export const CLEAR_REVISION_REQUEST = 'keiyaku/clearRevision';
export const REVISION_SOURCE = 'keiyaku-lint (revision)';

export interface CompareRevisionParams {
  /** The open document: the newer revision. */
  uri: string;
  /** The older revision's text. */
  otherText: string;
  /** How to name it: "HEAD", "a1b2c3d", "draft-v2.txt". */
  otherLabel: string;
  /** Where it can be opened (a file URI, a git: URI), for the report's links. */
  otherUri?: string;
}

export interface CompareRevisionResult {
  report: RevisionReport;
  markdown: string;
  html: string;
  diagnostics: Diagnostic[];
  /** Document version compared. */
  version: number;
}

export interface ClearRevisionParams {
  uri: string;
}

export interface RevisionDeps {
  documents: TextDocuments<TextDocument>;
  locale: () => Locale;
  /** The server's tokenizer (waits for it while it loads; null when it cannot load). */
  tokenizer: () => Promise<Tokenizer | null>;
  /** True when the client pulls the lint diagnostics (then revision ones are pushed apart). */
  pullMode: () => boolean;
  /** Push mode: have the server publish the document's diagnostics again (with `extraDiagnostics`). */
  republish: (uri: string) => void;
  log: { info(s: string): void; error(s: string): void };
}

export interface RevisionHook {
  /** Push mode: the revision diagnostics to publish with the lint ones. */
  extraDiagnostics(uri: string): Diagnostic[];
  /** Changes whenever those diagnostics change (part of the server's "already pushed" check). */
  tag(uri: string): string;
}

interface Comparison {
  params: CompareRevisionParams;
  diagnostics: Diagnostic[];
  gen: number;
  timer?: NodeJS.Timeout;
}

/** How long after an edit the comparison is made again. */
const REFRESH_DELAY_MS = 600;

function rangeOf(lines: LineIndex, s: Span): Diagnostic['range'] {
  // A zero-width place is shown on the character before it (or after, at the start).
  let { start, end } = s;
  if (end <= start) {
    if (start > 0) start -= 1;
    end = Math.min(lines.text.length, start + 1);
  }
  return lines.toRange({ start, end });
}

/** One diagnostic per substantive change: each classified wording change, each unit added, removed, moved, split or merged. */
export function revisionDiagnostics(report: RevisionReport, text: string, other: string, locale: Locale): Diagnostic[] {
  const lines = new LineIndex(text);
  const out: Diagnostic[] = [];
  const t = (key: string, data: Record<string, string | number>): string => formatMessage(locale, key, data);
  const unitDiag = (c: UnitChange, message: string): void => {
    out.push({
      range: rangeOf(lines, c.anchor),
      severity: DiagnosticSeverity.Information,
      source: REVISION_SOURCE,
      code: `revision/${c.kind}`,
      message,
      data: { change: c.id },
    });
  };
  for (const c of report.changes) {
    const oldLabels = [c.old, ...(c.kind === 'merged' ? c.related : [])].filter((u) => u).map((u) => u!.label).join('・');
    if (c.kind === 'added') unitDiag(c, t('diff:diag-added', { label: c.new!.label, other }));
    else if (c.kind === 'removed') unitDiag(c, t('diff:diag-removed', { label: c.old!.label, other }));
    else if (c.kind === 'moved') unitDiag(c, t('diff:diag-moved', { label: c.old!.label, other }));
    else if (c.kind === 'split') unitDiag(c, t('diff:diag-split', { label: c.old!.label, other }));
    else if (c.kind === 'merged') unitDiag(c, t('diff:diag-merged', { labels: oldLabels, other }));
    for (const w of c.wording) {
      out.push({
        range: rangeOf(lines, w.newSpan ?? c.anchor),
        severity: w.direction === 'weakened' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information,
        source: REVISION_SOURCE,
        code: `revision/${w.scale}`,
        message: t('diff:diag-word', { other, message: wordMessage({ locale }, w) }),
        data: { change: c.id, direction: w.direction },
      });
    }
  }
  return out;
}

export function registerRevision(connection: Connection, deps: RevisionDeps): RevisionHook {
  const state = new Map<string, Comparison>();
  let gen = 0;

  const publish = (uri: string, diagnostics: Diagnostic[]): void => {
    if (deps.pullMode()) {
      connection.sendDiagnostics({ uri, diagnostics }).catch(() => undefined);
    } else {
      deps.republish(uri);
    }
  };

  const compare = async (params: CompareRevisionParams): Promise<CompareRevisionResult | null> => {
    const doc = deps.documents.get(params.uri);
    if (!doc) return null;
    const tokenizer = await deps.tokenizer();
    const locale = deps.locale();
    const text = doc.getText();
    const t0 = performance.now();
    const report = diffRevisions(params.otherText, text, { tokenizer, oldName: params.otherLabel, newName: nameOf(params.uri) });
    const links = {
      locale,
      oldLink: params.otherUri ? (line: number) => `${params.otherUri}#L${line}` : undefined,
      newLink: (line: number) => `${params.uri}#L${line}`,
    };
    const diagnostics = report.error ? [] : revisionDiagnostics(report, text, params.otherLabel, locale);
    deps.log.info(
      `compareRevision ${params.uri} v${doc.version} with ${params.otherLabel}: ${report.changes.length} changes, ` +
        `${report.summary.weakened} weakened, ${report.renumbering.length} renumbering runs in ${(performance.now() - t0).toFixed(1)} ms`,
    );
    return {
      report,
      markdown: formatRevisionMarkdown(report, links),
      html: formatRevisionHtml(report, links),
      diagnostics,
      version: doc.version,
    };
  };

  connection.onRequest(COMPARE_REVISION_REQUEST, async (params: CompareRevisionParams): Promise<CompareRevisionResult | null> => {
    try {
      if (typeof params?.uri !== 'string' || typeof params.otherText !== 'string') return null;
      const result = await compare({ ...params, otherLabel: params.otherLabel || 'A' });
      if (!result) return null;
      const prev = state.get(params.uri);
      if (prev?.timer) clearTimeout(prev.timer);
      state.set(params.uri, { params, diagnostics: result.diagnostics, gen: ++gen });
      publish(params.uri, result.diagnostics);
      return result;
    } catch (e) {
      deps.log.error(`${COMPARE_REVISION_REQUEST} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return null;
    }
  });

  const clear = (uri: string): void => {
    const st = state.get(uri);
    if (!st) return;
    if (st.timer) clearTimeout(st.timer);
    state.delete(uri);
    gen++;
    publish(uri, []);
  };

  connection.onRequest(CLEAR_REVISION_REQUEST, (params: ClearRevisionParams): null => {
    if (typeof params?.uri === 'string') clear(params.uri);
    return null;
  });

  // The comparison follows the document's edits.
  deps.documents.onDidChangeContent((e) => {
    const st = state.get(e.document.uri);
    if (!st) return;
    if (st.timer) clearTimeout(st.timer);
    st.timer = setTimeout(() => {
      st.timer = undefined;
      void compare(st.params).then(
        (r) => {
          if (!r || state.get(st.params.uri) !== st) return;
          st.diagnostics = r.diagnostics;
          st.gen = ++gen;
          publish(st.params.uri, r.diagnostics);
        },
        (err: unknown) => deps.log.error(`revision refresh failed: ${String(err)}`),
      );
    }, REFRESH_DELAY_MS);
  });
  deps.documents.onDidClose((e) => {
    const st = state.get(e.document.uri);
    if (!st) return;
    if (st.timer) clearTimeout(st.timer);
    state.delete(e.document.uri);
    if (deps.pullMode()) connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] }).catch(() => undefined);
  });

  return {
    extraDiagnostics: (uri) => (deps.pullMode() ? [] : (state.get(uri)?.diagnostics ?? [])),
    tag: (uri) => {
      const st = state.get(uri);
      return st ? `+rev${st.gen}` : '';
    },
  };
}

function nameOf(uri: string): string {
  const last = uri.split('/').pop() ?? uri;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}
