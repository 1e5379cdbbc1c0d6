/**
 * Commands that need the canonical text from the server:
 *  - 「標準文と比較」 (keiyakuLint.compareWithStandard): VS Code's diff editor between a read-only
 *    virtual document (scheme `keiyaku-standard`) holding the canonical text arranged in the
 *    draft's order and numbering (`keiyaku/canonicalText`) and the draft itself. The virtual
 *    document follows the draft's edits. The code lenses run it with (uri, line) to open the
 *    diff at an article.
 *  - 「標準条項を挿入…」 (keiyakuLint.insertStandardArticle): a quick pick of the canonical
 *    articles and annexes; the server computes the edit (`keiyaku/insertArticleEdit`: the right
 *    place, numbered to fit, the later articles moved down and the references to them rewritten),
 *    tied to the document version.
 * When the server does not answer, both say so instead of failing silently.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CanonicalTextRequest, InsertArticleEditRequest, type CanonicalArticle, type CanonicalTextResult } from './protocol';
import { templateLabel } from './status';

export const CANONICAL_SCHEME = 'keiyaku-standard';
const REQUEST_TIMEOUT_MS = 10_000;
/** How long the standard view waits after the draft's last edit before it follows it. */
const FOLLOW_DELAY_MS = 800;

/** Serves the canonical texts shown on the left of the diff editor (read-only). */
export class CanonicalContentProvider implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  set(uri: vscode.Uri, text: string): void {
    const key = uri.toString();
    if (this.texts.get(key) === text) return;
    this.texts.set(key, text);
    this.changed.fire(uri);
  }

  has(uri: vscode.Uri): boolean {
    return this.texts.has(uri.toString());
  }

  /** Standard views (URIs) of a draft. */
  viewsOf(draft: vscode.Uri): vscode.Uri[] {
    const q = draft.toString();
    return [...this.texts.keys()].map((k) => vscode.Uri.parse(k)).filter((u) => u.query === q);
  }

  forget(uri: vscode.Uri): void {
    this.texts.delete(uri.toString());
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

function noTemplate(): void {
  void vscode.window.showInformationMessage(
    vscode.l10n.t('No standard text applies to this document. Choose one with “Select Template”.'),
  );
}

async function withTimeout<T>(client: LanguageClient, what: string, run: (token: vscode.CancellationToken) => Promise<T>): Promise<T | undefined> {
  const cancel = new vscode.CancellationTokenSource();
  const timer = setTimeout(() => cancel.cancel(), REQUEST_TIMEOUT_MS);
  try {
    return await run(cancel.token);
  } catch (err) {
    client.warn(`${what} failed: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  } finally {
    clearTimeout(timer);
    cancel.dispose();
  }
}

/** Asks the server for the canonical text of `document`; undefined when it cannot answer. */
async function requestCanonical(
  client: LanguageClient | undefined,
  document: vscode.TextDocument,
): Promise<CanonicalTextResult | null | undefined> {
  if (client === undefined || !client.isRunning()) return undefined;
  return withTimeout(client, 'keiyaku/canonicalText', (token) =>
    client.sendRequest(CanonicalTextRequest, { uri: document.uri.toString() }, token),
  );
}

function activeDocument(): vscode.TextEditor | undefined {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a contract draft first.'));
  }
  return editor;
}

/** The virtual document of a draft's standard text (.keiyaku: it gets the contract grammar; its scheme is not linted). */
export function standardUri(template: string, draft: vscode.Uri): vscode.Uri {
  return vscode.Uri.from({ scheme: CANONICAL_SCHEME, path: `/${template}.keiyaku`, query: draft.toString() });
}

function isUri(v: unknown): v is vscode.Uri {
  return typeof v === 'object' && v !== null && typeof (v as { scheme?: unknown }).scheme === 'string' && typeof (v as { toString?: unknown }).toString === 'function';
}

/**
 * Opens a diff editor: the canonical text in the draft's order (left) against the draft
 * (right), at `line` of the draft when given. Returns whether it did.
 */
export async function compareWithStandard(
  client: LanguageClient | undefined,
  provider: CanonicalContentProvider,
  target?: unknown,
  line?: unknown,
): Promise<boolean> {
  let document: vscode.TextDocument | undefined;
  // A URI (string or vscode.Uri) when run from a code lens; nothing from the command palette.
  const wanted = typeof target === 'string' ? target : isUri(target) ? target.toString() : undefined;
  if (wanted !== undefined) document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === wanted);
  document ??= activeDocument()?.document;
  if (document === undefined) return false;
  const result = await requestCanonical(client, document);
  if (result === undefined) {
    notAvailable();
    return false;
  }
  if (result === null) {
    noTemplate();
    return false;
  }
  const name = result.name ?? templateLabel(result.template);
  const left = standardUri(result.template, document.uri);
  provider.set(left, result.text);
  const title = vscode.l10n.t('{0} ↔ {1}', name, vscode.workspace.asRelativePath(document.uri));
  const options: vscode.TextDocumentShowOptions = {};
  if (typeof line === 'number' && line >= 0) options.selection = new vscode.Range(line, 0, line, 0);
  await vscode.commands.executeCommand('vscode.diff', left, document.uri, title, options);
  return true;
}

/**
 * Keeps open standard views in step with their drafts: after an edit (and a pause), the view is
 * asked for again — the arrangement follows the draft's order and numbering.
 */
export function followDrafts(getClient: () => LanguageClient | undefined, provider: CanonicalContentProvider): vscode.Disposable {
  const timers = new Map<string, NodeJS.Timeout>();
  const refresh = async (document: vscode.TextDocument): Promise<void> => {
    const views = provider.viewsOf(document.uri);
    if (views.length === 0) return;
    const result = await requestCanonical(getClient(), document);
    if (!result) return;
    for (const v of views) {
      if (v.path === `/${result.template}.keiyaku`) provider.set(v, result.text);
    }
  };
  const subs = [
    vscode.workspace.onDidChangeTextDocument((e) => {
      const key = e.document.uri.toString();
      if (e.document.uri.scheme === CANONICAL_SCHEME || provider.viewsOf(e.document.uri).length === 0) return;
      clearTimeout(timers.get(key));
      timers.set(
        key,
        setTimeout(() => {
          timers.delete(key);
          void refresh(e.document);
        }, FOLLOW_DELAY_MS),
      );
    }),
    vscode.workspace.onDidCloseTextDocument((d) => {
      if (d.uri.scheme === CANONICAL_SCHEME) provider.forget(d.uri);
    }),
  ];
  return new vscode.Disposable(() => {
    for (const t of timers.values()) clearTimeout(t);
    for (const s of subs) s.dispose();
  });
}

type ArticleItem = vscode.QuickPickItem & { article: CanonicalArticle };

/** Lets the user pick a canonical article and inserts it where it belongs. Returns whether it did. */
export async function insertStandardArticle(client: LanguageClient | undefined): Promise<boolean> {
  const editor = activeDocument();
  if (editor === undefined) return false;
  const result = await requestCanonical(client, editor.document);
  const units = [...(result?.articles ?? []), ...(result?.annexes ?? [])];
  if (result === undefined || client === undefined || (result !== null && units.length === 0)) {
    notAvailable();
    return false;
  }
  if (result === null) {
    noTemplate();
    return false;
  }
  const items: ArticleItem[] = units.map((a) => ({
    label: a.heading ? `${a.ref}（${a.heading}）` : a.ref,
    description: a.draftRef !== undefined ? vscode.l10n.t('In the draft as {0}', a.draftRef) : vscode.l10n.t('Not in the draft'),
    detail: a.text.replace(/\s+/g, ' ').slice(0, 120),
    article: a,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    placeHolder: vscode.l10n.t('Standard article to insert'),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (picked === undefined) return false;
  const document = editor.document;
  const label = picked.article.label ?? picked.article.ref;
  const edit = await withTimeout(client, 'keiyaku/insertArticleEdit', (token) =>
    client.sendRequest(InsertArticleEditRequest, { uri: document.uri.toString(), label, renumber: true, version: document.version }, token),
  );
  if (edit === undefined) {
    notAvailable();
    return false;
  }
  if (edit === null) {
    void vscode.window.showInformationMessage(vscode.l10n.t('The document changed; try again.'));
    return false;
  }
  const applied = await vscode.workspace.applyEdit(await client.protocol2CodeConverter.asWorkspaceEdit(edit));
  if (applied) {
    // Show the inserted article.
    const first = edit.documentChanges?.[0];
    const range = first && 'edits' in first ? first.edits[0]?.range : edit.changes?.[document.uri.toString()]?.[0]?.range;
    if (range) editor.revealRange(new vscode.Range(range.start.line, 0, range.start.line, 0), vscode.TextEditorRevealType.InCenter);
  }
  return applied;
}
