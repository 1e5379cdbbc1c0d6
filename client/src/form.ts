/**
 * 「届出書を挿入」 / "Insert notification form" (keiyakuLint.insertForm): inserts the blank 別記様式
 * 「機密データの保存等に関する届出書」 at the cursor. The text comes from the server
 * (`keiyaku/blankForm`), which takes it from the published 特記事項; this file imports only
 * `vscode` and `vscode-languageclient`.
 */
import * as vscode from 'vscode';
import { RequestType, type LanguageClient } from 'vscode-languageclient/node';

export interface BlankFormParams {
  uri: string;
}

export interface BlankFormResult {
  /** The blank form, one line per field, ending with a line break (the document's own). */
  text: string;
}

/** Must match server/src/lsp/form.ts. */
export const BlankFormRequest = new RequestType<BlankFormParams, BlankFormResult | null, void>('keiyaku/blankForm');

const REQUEST_TIMEOUT_MS = 10_000;

async function requestBlankForm(client: LanguageClient | undefined, document: vscode.TextDocument): Promise<BlankFormResult | undefined> {
  if (client === undefined || !client.isRunning()) return undefined;
  const cancel = new vscode.CancellationTokenSource();
  const timer = setTimeout(() => cancel.cancel(), REQUEST_TIMEOUT_MS);
  try {
    return (await client.sendRequest(BlankFormRequest, { uri: document.uri.toString() }, cancel.token)) ?? undefined;
  } catch (err) {
    client.warn(`keiyaku/blankForm failed: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  } finally {
    clearTimeout(timer);
    cancel.dispose();
  }
}

/** Inserts the blank notification form at the cursor (on a line of its own). Returns whether it did. */
export async function insertForm(client: LanguageClient | undefined): Promise<boolean> {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a contract draft first.'));
    return false;
  }
  const result = await requestBlankForm(client, editor.document);
  if (result === undefined || result.text === '') {
    void vscode.window.showInformationMessage(vscode.l10n.t('This feature is not available yet.'));
    return false;
  }
  const eol = editor.document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
  const text = result.text.replace(/\r?\n/g, eol);
  const position = editor.selection.active;
  const atLineStart = position.character === 0;
  return editor.edit((b) => b.insert(position, (atLineStart ? '' : eol) + text));
}
