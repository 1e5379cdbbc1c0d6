/**
 * Helpers for the editor-feature tests over stdio (code actions, navigation, the standard
 * view): client capabilities as VS Code has them, and applying LSP edits to a text.
 */
import * as assert from 'assert';
import type { ClientCapabilities, CodeAction, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { TOKUYAKU_TEXT } from '../../server/src/engine/templates/data/tokuyaku';
import { getTemplate } from '../../server/src/engine/templates';
import { PULL_CAPS, PUSH_CAPS } from './helpers';

/** What VS Code announces for the features these tests use (pull diagnostics). */
export const EDITOR_CAPS: ClientCapabilities = {
  textDocument: {
    ...PULL_CAPS.textDocument,
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    definition: { linkSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
  },
  workspace: { ...PULL_CAPS.workspace, codeLens: { refreshSupport: true }, applyEdit: true },
};

/** A push client (diagnostics published) with the same editor features. */
export const EDITOR_PUSH_CAPS: ClientCapabilities = {
  textDocument: { ...PUSH_CAPS.textDocument, documentSymbol: { hierarchicalDocumentSymbolSupport: true }, definition: { linkSupport: true } },
  workspace: { ...PUSH_CAPS.workspace, codeLens: { refreshSupport: true }, applyEdit: true },
};

function offsetAt(text: string, p: { line: number; character: number }): number {
  let o = 0;
  for (let l = 0; l < p.line; l++) {
    const nl = text.indexOf('\n', o);
    if (nl < 0) return text.length;
    o = nl + 1;
  }
  return o + p.character;
}

/** Applies LSP text edits (non-overlapping, any order) to `text`. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const spans = edits
    .map((e) => ({ start: offsetAt(text, e.range.start), end: offsetAt(text, e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const s of spans) out = out.slice(0, s.start) + s.newText + out.slice(s.end);
  return out;
}

/** The single versioned document edit of a WorkspaceEdit (asserting its shape). */
export function documentEdit(edit: WorkspaceEdit | undefined, uri: string): TextDocumentEdit {
  assert.ok(edit?.documentChanges && edit.documentChanges.length === 1, JSON.stringify(edit));
  const change = edit.documentChanges[0] as TextDocumentEdit;
  assert.strictEqual(change.textDocument.uri, uri);
  return change;
}

export function titles(actions: readonly CodeAction[]): string[] {
  return actions.map((a) => a.title);
}

/** The 特約条項 with its errata corrected. */
export function correctedTokuyaku(): string {
  let t = TOKUYAKU_TEXT;
  for (const e of getTemplate('tokuyaku')!.errata) t = t.split(e.wrong).join(e.right);
  return t;
}

/** Article `n` (heading line and text) taken out of `text`, the later articles renumbered. */
export function withoutArticle(text: string, n: number): string {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.startsWith(`第${n}条`));
  lines.splice(i - 1, 2);
  return lines.join('\n').replace(/^第(\d+)条/gm, (m, k: string) => (Number(k) > n ? `第${Number(k) - 1}条` : m));
}
