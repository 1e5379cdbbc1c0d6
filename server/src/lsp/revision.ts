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
 *  - a pull client (VS Code) keeps pushed and pulled diagnostics apart: they are pushed as they are,
 *    with the version they were computed for;
 *  - a push client has one set per document: the server adds them to its lint diagnostics of the
 *    same version (`extraDiagnostics`, `tag`), and `republish` has it push again. Until the
 *    comparison is made again after an edit, they follow the edit (`followEdit`): those after it
 *    move with the text, those it touches are left out.
 * The comparison runs in slices (engine/revision/diff.ts `diffRevisionsAsync`): requests and edits
 * are handled meanwhile. An edit made during it does not stop a requested one (its answer names
 * the version compared) but has its diagnostics computed again for the new text; a comparison
 * made again after edits is given up at the next edit.
 */
import type { CancellationToken, Connection, Diagnostic, TextDocuments } from 'vscode-languageserver/node';
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import type { TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { formatMessage, type Locale } from '../engine/i18n/messages';
import type { Span } from '../engine/model/types';
import { diffRevisionsAsync } from '../engine/revision/diff';
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
  /**
   * Push mode: the revision diagnostics to publish with the lint ones of `version` — none when
   * they were computed for another version (their places would be wrong; the comparison is being
   * made again).
   */
  extraDiagnostics(uri: string, version: number): Diagnostic[];
  /** Changes whenever those diagnostics change (part of the server's "already pushed" check). */
  tag(uri: string): string;
  /**
   * One change of an edit, before it is applied to `doc` (the text it applies to); `version` is the
   * edit's. Push mode: the diagnostics after the change move with the text, those it touches are
   * dropped, and they are then those of `version`.
   */
  followEdit(doc: TextDocument, change: TextDocumentContentChangeEvent, version: number): void;
}

interface Comparison {
  params: CompareRevisionParams;
  diagnostics: Diagnostic[];
  /** The document version the diagnostics were computed for, or moved to by `followEdit`. */
  version: number;
  /**
   * Push mode, after an edit: each diagnostic's place in the text of `version` (offsets), its range
   * made from them when next published (`extraDiagnostics`).
   */
  moved?: { diagnostic: Diagnostic; span: Span }[];
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

  const publish = (uri: string, diagnostics: Diagnostic[], version?: number): void => {
    if (deps.pullMode()) {
      connection.sendDiagnostics({ uri, version, diagnostics }).catch(() => undefined);
    } else {
      deps.republish(uri);
    }
  };

  /**
   * Compares the open document as it is now with `params.otherText`, in slices (other requests
   * and the lint of edits go on meanwhile): null when the document is not open or `isCancelled`
   * turned true on the way.
   */
  const compare = async (params: CompareRevisionParams, isCancelled: () => boolean): Promise<CompareRevisionResult | null> => {
    const doc = deps.documents.get(params.uri);
    if (!doc) return null;
    const tokenizer = await deps.tokenizer();
    if (isCancelled()) return null;
    const locale = deps.locale();
    const text = doc.getText();
    const version = doc.version;
    const t0 = performance.now();
    const report = await diffRevisionsAsync(params.otherText, text, {
      tokenizer,
      oldName: params.otherLabel,
      newName: nameOf(params.uri),
      isCancelled,
    });
    if (!report) {
      deps.log.info(`compareRevision ${params.uri} v${version} with ${params.otherLabel}: cancelled after ${(performance.now() - t0).toFixed(1)} ms`);
      return null;
    }
    const links = {
      locale,
      oldLink: params.otherUri ? (line: number) => `${params.otherUri}#L${line}` : undefined,
      newLink: (line: number) => `${params.uri}#L${line}`,
    };
    const diagnostics = report.error ? [] : revisionDiagnostics(report, text, params.otherLabel, locale);
    deps.log.info(
      `compareRevision ${params.uri} v${version} with ${params.otherLabel}: ${report.changes.length} changes, ` +
        `${report.summary.weakened} weakened, ${report.renumbering.length} renumbering runs in ${(performance.now() - t0).toFixed(1)} ms`,
    );
    return {
      report,
      markdown: formatRevisionMarkdown(report, links),
      html: formatRevisionHtml(report, links),
      diagnostics,
      version,
    };
  };

  /** Whether the document is still at `version` (a comparison of an older text must not be published). */
  const current = (uri: string, version: number): boolean => deps.documents.get(uri)?.version === version;

  /** The comparison of `st` made again after the document changed (REFRESH_DELAY_MS after the last edit). */
  const scheduleRefresh = (st: Comparison): void => {
    if (st.timer) clearTimeout(st.timer);
    st.timer = setTimeout(() => {
      st.timer = undefined;
      const uri = st.params.uri;
      const version = deps.documents.get(uri)?.version;
      // given up at the next edit (which schedules its own) or when the comparison is replaced or cleared
      const stale = (): boolean => state.get(uri) !== st || !current(uri, version ?? -1);
      void compare(st.params, stale).then(
        (r) => {
          if (!r || stale()) return;
          st.diagnostics = r.diagnostics;
          st.moved = undefined;
          st.version = r.version;
          st.gen = ++gen;
          publish(uri, r.diagnostics, r.version);
        },
        (err: unknown) => deps.log.error(`revision refresh failed: ${String(err)}`),
      );
    }, REFRESH_DELAY_MS);
  };

  connection.onRequest(COMPARE_REVISION_REQUEST, async (params: CompareRevisionParams, token: CancellationToken): Promise<CompareRevisionResult | null> => {
    try {
      if (typeof params?.uri !== 'string' || typeof params.otherText !== 'string') return null;
      // the document's edits meanwhile do not stop it: the answer is for the version it names
      const result = await compare({ ...params, otherLabel: params.otherLabel || 'A' }, () => token.isCancellationRequested);
      if (!result) return null;
      if (!deps.documents.get(params.uri)) return result; // closed meanwhile: nothing to follow
      const prev = state.get(params.uri);
      if (prev?.timer) clearTimeout(prev.timer);
      const st: Comparison = { params, diagnostics: result.diagnostics, version: result.version, gen: ++gen };
      state.set(params.uri, st);
      if (current(params.uri, result.version)) publish(params.uri, result.diagnostics, result.version);
      else {
        // edited while it ran: its places are those of an older text, so none are shown (push mode:
        // extraDiagnostics) until the new text is compared
        publish(params.uri, []);
        scheduleRefresh(st);
      }
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
    if (st) scheduleRefresh(st);
  });
  deps.documents.onDidClose((e) => {
    const st = state.get(e.document.uri);
    if (!st) return;
    if (st.timer) clearTimeout(st.timer);
    state.delete(e.document.uri);
    if (deps.pullMode()) connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] }).catch(() => undefined);
  });

  return {
    extraDiagnostics: (uri, version) => {
      const st = state.get(uri);
      if (deps.pullMode() || !st || st.version !== version) return [];
      if (st.moved) {
        const doc = deps.documents.get(uri);
        if (!doc || doc.version !== version) return [];
        st.diagnostics = st.moved.map(({ diagnostic, span }) => ({ ...diagnostic, range: { start: doc.positionAt(span.start), end: doc.positionAt(span.end) } }));
        st.moved = undefined;
      }
      return st.diagnostics;
    },
    followEdit: (doc, change, version) => {
      const st = state.get(doc.uri);
      if (!st || deps.pullMode()) return;
      // a change that follows another of the same edit applies to the text the other left
      if (st.version !== doc.version && st.version !== version) return;
      const places = st.moved ?? st.diagnostics.map((diagnostic) => ({ diagnostic, span: { start: doc.offsetAt(diagnostic.range.start), end: doc.offsetAt(diagnostic.range.end) } }));
      st.moved = 'range' in change ? moveThrough(places, doc.offsetAt(change.range.start), doc.offsetAt(change.range.end), change.text.length) : [];
      st.version = version;
      st.gen = ++gen;
    },
    tag: (uri) => {
      const st = state.get(uri);
      return st ? `+rev${st.gen}` : '';
    },
  };
}

/**
 * Places after an edit that replaced [start, end) with `length` characters: those before it stay
 * (text typed right after a place is not in it), those after it move (nor is text typed right
 * before it), those it touches are dropped (what they said is no longer known).
 * Exported for tests.
 */
export function moveThrough<T extends { span: Span }>(places: readonly T[], start: number, end: number, length: number): T[] {
  const delta = length - (end - start);
  const out: T[] = [];
  for (const p of places) {
    const { start: a, end: b } = p.span;
    if (b <= start) out.push(p);
    else if (a >= end) out.push(delta === 0 ? p : { ...p, span: { start: a + delta, end: b + delta } });
  }
  return out;
}

function nameOf(uri: string): string {
  const last = uri.split('/').pop() ?? uri;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}
