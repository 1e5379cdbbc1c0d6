/**
 * Code actions for Keiyaku Lint diagnostics, in vscode-eslint's order:
 *   1. the finding's fixes (the first one preferred); for missing-article also
 *      「挿入して以降の条を繰り下げる」 (insert, then move every later article down one and rewrite
 *      the references to them);
 *      On numbering and broken-reference findings, also 「条番号を振り直して参照を更新」: every article
 *      (and paragraph and item) renumbered in sequence and every reference rewritten, as one edit
 *      (engine/renumber.ts);
 *   2. "fix all RULE problems" — the first fix of every finding of the rule, when it has several;
 *   3. "ignore RULE on this line" — a `keiyaku-lint-disable-next-line RULE` line before it (in an
 *      HTML comment in Markdown), a directive the CLI honours too;
 *   4. "show documentation for RULE" (a server command, so that any LSP client can run it);
 *   5. "fix all auto-fixable problems" — every safe fix of the document;
 * and the `source.fixAll.keiyaku` action (fix on save: `editor.codeActionsOnSave`) with every
 * safe fix, non-overlapping.
 *
 * Every edit is a `documentChanges` TextDocumentEdit carrying the version the findings were
 * computed for. A request about another version than the document's current one (the user typed
 * since the diagnostics were computed) gets no edit at all: a stale fix is refused, never applied
 * to moved text.
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
import { combineFixes, disableNextLineEdit, insertAndRenumber, type DirectiveStyle } from '../engine/edits';
import type { Finding, TextEdit as EngineEdit } from '../engine/findings';
import { formatMessage, ruleMessageKey, type Locale } from '../engine/i18n/messages';
import { renumber } from '../engine/renumber';
import type { LineIndex } from '../engine/text/lines';
import { rangeOf, sameRange, SOURCE } from './diagnostics';

/** Server-side command: opens the docs page of a rule (argument: the rule id). */
export const SHOW_DOCS_COMMAND = 'keiyakuLint.server.showRuleDocumentation';
/** Server-side command: applies every safe fix (argument: { uri, version }). */
export const FIX_ALL_COMMAND = 'keiyakuLint.server.fixAll';
/** Code action kind of "fix all auto-fixable problems" (editor.codeActionsOnSave). */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.keiyaku`;

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
  /** The document's current version: a cache of another version gets no edit. */
  currentVersion: number;
  only?: string[];
  /** The document's language: Markdown gets its directives in an HTML comment. */
  languageId?: string;
}

/** Whether `kind` is requested by an `only` filter (kinds are hierarchical: 'quickfix.x' ⊂ 'quickfix'). */
function admits(only: string[] | undefined, kind: string): boolean {
  if (!only || only.length === 0) return true;
  return only.some((k) => k === '' || k === kind || kind.startsWith(`${k}.`));
}

/** Whether a requested `only` filter admits quick fixes. */
export function wantsQuickFix(only: string[] | undefined): boolean {
  return admits(only, CodeActionKind.QuickFix);
}

/** Whether a requested `only` filter admits the fix-all source action (it must be asked for: it is never offered unasked). */
export function wantsFixAll(only: string[] | undefined): boolean {
  return !!only && only.length > 0 && admits(only, FIX_ALL_KIND);
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

function directiveStyle(languageId: string | undefined): DirectiveStyle {
  return languageId === 'markdown' ? 'html' : 'plain';
}

/** Every safe fix of the cached findings as one edit (null when there is none, or the cache is stale). */
export function fixAllEdit(cache: CachedFindings, opts: Pick<CodeActionOptions, 'documentChanges' | 'currentVersion'>): { edit: WorkspaceEdit; count: number } | null {
  if (cache.version !== opts.currentVersion) return null;
  const all = combineFixes(cache.lines.text, cache.findings, 'safe');
  if (all.edits.length === 0) return null;
  const edit = workspaceEdit(cache, all.edits, opts);
  return edit ? { edit, count: all.applied.length } : null;
}

export function codeActionsFor(cache: CachedFindings, requested: readonly Diagnostic[], opts: CodeActionOptions): CodeAction[] {
  const out: CodeAction[] = [];
  const current = cache.version === opts.currentVersion;
  const text = cache.lines.text;

  if (wantsQuickFix(opts.only)) {
    const fixes: CodeAction[] = [];
    const fixAllRule: CodeAction[] = [];
    const ignores: CodeAction[] = [];
    const docs: CodeAction[] = [];
    const rulesDone = new Set<string>();
    const ignoreDone = new Set<string>();
    let anySafe = false;
    let renumberOffered = false;
    for (const d of requested) {
      if (d.source !== SOURCE || typeof d.code !== 'string') continue;
      const ruleId = d.code;
      const finding = current ? findingFor(cache, d) : undefined;
      if (finding) {
        (finding.fixes ?? []).forEach((fix, i) => {
          if (fix.safe) anySafe = true;
          const edit = workspaceEdit(cache, fix.edits, opts);
          if (!edit) return;
          fixes.push({
            title: formatMessage(opts.locale, ruleMessageKey(ruleId, fix.titleId), fix.data ?? {}),
            kind: CodeActionKind.QuickFix,
            diagnostics: [d],
            isPreferred: i === 0,
            edit,
          });
          if (i === 0 && ruleId === 'missing-article' && fix.edits.length === 1) {
            const more = insertAndRenumber(text, fix.edits[0]);
            const renumbered = more ? workspaceEdit(cache, more, opts) : undefined;
            if (renumbered) {
              fixes.push({
                title: formatMessage(opts.locale, 'server:insert-renumber', fix.data ?? {}),
                kind: CodeActionKind.QuickFix,
                diagnostics: [d],
                edit: renumbered,
              });
            }
          }
        });
        if (!renumberOffered && (ruleId === 'numbering' || ruleId === 'broken-reference')) {
          renumberOffered = true;
          const r = renumber(text);
          const edit = r.edits.length ? workspaceEdit(cache, r.edits, opts) : undefined;
          if (edit) {
            fixes.push({
              title: formatMessage(opts.locale, 'server:renumber-all', { units: r.renumbered.length, refs: r.rewritten.length }),
              kind: CodeActionKind.QuickFix,
              diagnostics: [d],
              edit,
            });
          }
        }
        if (!rulesDone.has(ruleId)) {
          const ofRule = cache.findings.filter((f) => f.ruleId === ruleId && (f.fixes?.length ?? 0) > 0);
          if (ofRule.length > 1) {
            const all = combineFixes(text, ofRule, 'first');
            const edit = all.applied.length > 1 ? workspaceEdit(cache, all.edits, opts) : undefined;
            if (edit) {
              fixAllRule.push({
                title: formatMessage(opts.locale, 'server:fix-all-rule', { rule: ruleId, count: all.applied.length }),
                kind: CodeActionKind.QuickFix,
                diagnostics: [d],
                edit,
              });
            }
          }
        }
        const line = cache.lines.positionAt(finding.span.start).line;
        const key = `${ruleId}@${line}`;
        if (!ignoreDone.has(key)) {
          ignoreDone.add(key);
          const e = disableNextLineEdit(text, line, ruleId, directiveStyle(opts.languageId));
          const edit = e.newText === '' ? undefined : workspaceEdit(cache, [e], opts);
          if (edit) {
            ignores.push({
              title: formatMessage(opts.locale, 'server:ignore-line', { rule: ruleId }),
              kind: CodeActionKind.QuickFix,
              diagnostics: [d],
              edit,
            });
          }
        }
      }
      if (!rulesDone.has(ruleId)) {
        rulesDone.add(ruleId);
        const title = formatMessage(opts.locale, 'server:show-docs', { rule: ruleId });
        docs.push({
          title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          command: Command.create(title, SHOW_DOCS_COMMAND, ruleId),
        });
      }
    }
    out.push(...fixes, ...fixAllRule, ...ignores, ...docs);
    if (anySafe) {
      const all = fixAllEdit(cache, opts);
      if (all) {
        out.push({ title: formatMessage(opts.locale, 'server:fix-all-safe', { count: all.count }), kind: CodeActionKind.QuickFix, edit: all.edit });
      }
    }
  }

  if (wantsFixAll(opts.only)) {
    const all = fixAllEdit(cache, opts);
    if (all) out.push({ title: formatMessage(opts.locale, 'server:fix-all-safe', { count: all.count }), kind: FIX_ALL_KIND, edit: all.edit });
  }
  return out;
}

function workspaceEdit(
  cache: CachedFindings,
  edits: readonly EngineEdit[],
  opts: Pick<CodeActionOptions, 'documentChanges' | 'currentVersion'>,
): WorkspaceEdit | undefined {
  // Never an edit for another version than the document's: the client would apply it to moved text.
  if (cache.version !== opts.currentVersion) return undefined;
  const textEdits = edits.map((e) => TextEdit.replace(rangeOf(cache.lines, e.span), e.newText));
  if (opts.documentChanges) {
    return { documentChanges: [TextDocumentEdit.create({ uri: cache.uri, version: cache.version }, textEdits)] };
  }
  return { changes: { [cache.uri]: textEdits } };
}
