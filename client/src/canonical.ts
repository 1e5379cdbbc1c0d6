/**
 * Commands that need the canonical text from the server (`keiyaku/canonicalText`):
 * "Compare with Standard Text" (a diff editor) and "Insert Standard Article…" (a quick pick).
 * When the server does not answer the request, both say so instead of failing silently.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CanonicalTextRequest, type CanonicalTextResult } from './protocol';
import { templateLabel } from './status';

export const CANONICAL_SCHEME = 'keiyaku-canonical';
const REQUEST_TIMEOUT_MS = 10_000;

/** Serves the canonical texts shown on the left of the diff editor (read-only). */
export class CanonicalContentProvider implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  set(uri: vscode.Uri, text: string): void {
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function notAvailable(): void {
  void vscode.window.showInformationMessage(vscode.l10n.t('This feature is not available yet.'));
}

/** Asks the server for the canonical text of `document`; undefined when it cannot answer. */
async function requestCanonical(
  client: LanguageClient | undefined,
  document: vscode.TextDocument,
): Promise<CanonicalTextResult | null | undefined> {
  if (client === undefined || !client.isRunning()) return undefined;
  const cancel = new vscode.CancellationTokenSource();
  const timer = setTimeout(() => cancel.cancel(), REQUEST_TIMEOUT_MS);
  try {
    return await client.sendRequest(CanonicalTextRequest, { uri: document.uri.toString() }, cancel.token);
  } catch (err) {
    client.warn(`keiyaku/canonicalText failed: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  } finally {
    clearTimeout(timer);
    cancel.dispose();
  }
}

function activeDocument(): vscode.TextEditor | undefined {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a contract draft first.'));
  }
  return editor;
}

/** Opens a diff editor: canonical text (left) against the draft (right). Returns whether it did. */
export async function compareWithStandard(
  client: LanguageClient | undefined,
  provider: CanonicalContentProvider,
): Promise<boolean> {
  const editor = activeDocument();
  if (editor === undefined) return false;
  const result = await requestCanonical(client, editor.document);
  if (result === undefined) {
    notAvailable();
    return false;
  }
  if (result === null) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('No standard text applies to this document. Choose one with “Select Template”.'),
    );
    return false;
  }
  const name = result.name ?? templateLabel(result.template);
  // .keiyaku: the standard text gets the contract grammar (its scheme is not linted).
  const left = vscode.Uri.from({ scheme: CANONICAL_SCHEME, path: `/${result.template}.keiyaku`, query: editor.document.uri.toString() });
  provider.set(left, result.text);
  const title = vscode.l10n.t('{0} ↔ {1}', name, vscode.workspace.asRelativePath(editor.document.uri));
  await vscode.commands.executeCommand('vscode.diff', left, editor.document.uri, title);
  return true;
}

/** Lets the user pick a canonical article and inserts it at the cursor. Returns whether it did. */
export async function insertStandardArticle(client: LanguageClient | undefined): Promise<boolean> {
  const editor = activeDocument();
  if (editor === undefined) return false;
  const result = await requestCanonical(client, editor.document);
  if (result === undefined || (result !== null && (result.articles === undefined || result.articles.length === 0))) {
    notAvailable();
    return false;
  }
  if (result === null) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('No standard text applies to this document. Choose one with “Select Template”.'),
    );
    return false;
  }
  const picked = await vscode.window.showQuickPick(
    (result.articles ?? []).map((a) => ({
      label: a.ref,
      description: a.heading,
      detail: a.text.replace(/\s+/g, ' ').slice(0, 120),
      article: a,
    })),
    { placeHolder: vscode.l10n.t('Standard article to insert'), matchOnDescription: true, matchOnDetail: true },
  );
  if (picked === undefined) return false;
  const eol = editor.document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
  const text = picked.article.text.replace(/\r?\n/g, eol);
  const position = editor.selection.active;
  const atLineStart = position.character === 0;
  return editor.edit((b) => b.insert(position, (atLineStart ? '' : eol) + text + (text.endsWith(eol) ? '' : eol)));
}
