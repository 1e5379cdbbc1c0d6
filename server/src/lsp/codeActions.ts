/**
 * Code actions for Keiyaku Lint diagnostics (basic set; fix-all, disable-comments and
 * fix-on-save come later):
 *   1. one quick fix per fix of the finding, the first one preferred;
 *   2. "show documentation for RULE" (a server command, so any LSP client can run it).
 *
 * Every edit is a `documentChanges` TextDocumentEdit carrying the version the finding was
 * computed for: a client refuses a stale fix instead of applying it to moved text.
 */
import {
  CodeAction,
  CodeActionKind,
  Command,
  Diagnostic,
  TextDocumentEdit,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver';
import type { Finding } from '../engine/findings';
import { formatMessage, ruleMessageKey, type Locale } from '../engine/i18n/messages';
import type { LineIndex } from '../engine/text/lines';
import { rangeOf, sameRange, SOURCE } from './diagnostics';

/** Server-side command: opens the docs page of a rule (argument: the rule id). */
export const SHOW_DOCS_COMMAND = 'keiyakuLint.server.showRuleDocumentation';

/** A lint result as cached for one document version. */
export interface CachedFindings {
  uri: string;
  version: number;
  lines: LineIndex;
  /** Findings and the diagnostics made of them, index for index. */
  findings: readonly Finding[];
  diagnostics: readonly Diagnostic[];
}

export interface CodeActionOptions {
  locale: Locale;
  /** Client supports WorkspaceEdit.documentChanges (versioned edits). */
  documentChanges: boolean;
  /** The document's current version (edits without versions are offered only when current). */
  currentVersion: number;
  only?: string[];
}

/** Whether a requested `only` filter admits quick fixes (kinds are hierarchical: 'quickfix.x' ⊂ 'quickfix'). */
export function wantsQuickFix(only: string[] | undefined): boolean {
  if (!only || only.length === 0) return true;
  return only.some((k) => k === '' || k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${k}.`));
}

/** The finding a client diagnostic stands for: same rule, same range, same message. */
export function findingFor(cache: CachedFindings, d: Diagnostic): Finding | undefined {
  if (d.source !== SOURCE) return undefined;
  for (let i = 0; i < cache.diagnostics.length; i++) {
    const c = cache.diagnostics[i];
    if (c.code === d.code && sameRange(c.range, d.range) && c.message === d.message) return cache.findings[i];
  }
  return undefined;
}

export function codeActionsFor(
  cache: CachedFindings,
  requested: readonly Diagnostic[],
  opts: CodeActionOptions,
): CodeAction[] {
  if (!wantsQuickFix(opts.only)) return [];
  const fixes: CodeAction[] = [];
  const docs: CodeAction[] = [];
  const docsFor = new Set<string>();
  for (const d of requested) {
    if (d.source !== SOURCE || typeof d.code !== 'string') continue;
    const ruleId = d.code;
    const finding = findingFor(cache, d);
    if (finding?.fixes) {
      finding.fixes.forEach((fix, i) => {
        const edit = workspaceEdit(cache, fix.edits, opts);
        if (!edit) return;
        fixes.push({
          title: formatMessage(opts.locale, ruleMessageKey(ruleId, fix.titleId), fix.data ?? {}),
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          isPreferred: i === 0,
          edit,
        });
      });
    }
    if (!docsFor.has(ruleId)) {
      docsFor.add(ruleId);
      const title = formatMessage(opts.locale, 'server:show-docs', { rule: ruleId });
      docs.push({
        title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        command: Command.create(title, SHOW_DOCS_COMMAND, ruleId),
      });
    }
  }
  return [...fixes, ...docs];
}

function workspaceEdit(
  cache: CachedFindings,
  edits: readonly { span: { start: number; end: number }; newText: string }[],
  opts: CodeActionOptions,
): WorkspaceEdit | undefined {
  const textEdits = edits.map((e) => TextEdit.replace(rangeOf(cache.lines, e.span), e.newText));
  if (opts.documentChanges) {
    return { documentChanges: [TextDocumentEdit.create({ uri: cache.uri, version: cache.version }, textEdits)] };
  }
  // A client without versioned edits cannot refuse a stale fix: offer fixes of the current version only.
  if (cache.version !== opts.currentVersion) return undefined;
  return { changes: { [cache.uri]: textEdits } };
}
