/**
 * 「リビジョンと比較…」 (keiyakuLint.compareRevision): compares the active document (the newer
 * revision) with another file, or with the file at git HEAD or another commit (through the
 * built-in git extension's API). The server (`keiyaku/compareRevision`) answers with the report
 * and publishes the diagnostics (source `keiyaku-lint (revision)`); this side shows the report in
 * a webview whose links open both places, and the side-by-side diff. keiyakuLint.clearRevision
 * (`keiyaku/clearRevision`) removes the diagnostics and closes the report.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

export const COMPARE_REVISION_REQUEST = 'keiyaku/compareRevision';
export const CLEAR_REVISION_REQUEST = 'keiyaku/clearRevision';

interface CompareRevisionResult {
  report: { summary: { equivalent: boolean; weakened: number }; changes: unknown[]; error?: unknown };
  html: string;
  markdown: string;
  diagnostics: unknown[];
  version: number;
}

/** The parts of the built-in git extension's API (vscode.git, API version 1) used here. */
interface GitCommit {
  hash: string;
  message: string;
  authorDate?: Date;
  authorName?: string;
}
interface GitRepository {
  rootUri: vscode.Uri;
  show(ref: string, path: string): Promise<string>;
  log(options?: { maxEntries?: number; path?: string }): Promise<GitCommit[]>;
}
interface GitApi {
  getRepository(uri: vscode.Uri): GitRepository | null;
  toGitUri(uri: vscode.Uri, ref: string): vscode.Uri;
}

interface Other {
  text: string;
  label: string;
  uri: vscode.Uri;
}

const REQUEST_TIMEOUT_MS = 60_000;

async function gitApi(): Promise<GitApi | undefined> {
  const ext = vscode.extensions.getExtension<{ getAPI(version: 1): GitApi }>('vscode.git');
  if (ext === undefined) return undefined;
  try {
    const exports = ext.isActive ? ext.exports : await ext.activate();
    return exports.getAPI(1);
  } catch {
    return undefined;
  }
}

type Choice = 'file' | 'head' | 'commit';

async function pickOther(document: vscode.TextDocument): Promise<Other | undefined> {
  const git = document.uri.scheme === 'file' ? await gitApi() : undefined;
  const repo = git?.getRepository(document.uri) ?? null;
  const items: (vscode.QuickPickItem & { choice: Choice })[] = [
    { choice: 'file', label: vscode.l10n.t('Another file…'), description: vscode.l10n.t('An earlier revision saved as a file') },
  ];
  if (repo !== null) {
    items.unshift(
      { choice: 'head', label: vscode.l10n.t('Version at HEAD'), description: vscode.l10n.t('The last committed version of this file') },
      { choice: 'commit', label: vscode.l10n.t('Version at another commit…'), description: vscode.l10n.t('Pick a commit that changed this file') },
    );
  }
  const picked = await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Compare this document with…') });
  if (picked === undefined) return undefined;

  if (picked.choice === 'file') {
    const uris = await vscode.window.showOpenDialog({
      canSelectMany: false,
      defaultUri: vscode.Uri.joinPath(document.uri, '..'),
      openLabel: vscode.l10n.t('Compare'),
      filters: { [vscode.l10n.t('Contracts')]: ['txt', 'md', 'keiyaku'], '*': ['*'] },
    });
    const uri = uris?.[0];
    if (uri === undefined) return undefined;
    const bytes = await vscode.workspace.fs.readFile(uri);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      // another encoding (an old revision kept in Shift_JIS): the text as VS Code reads it — the
      // encoding it was reopened with, files.encoding or files.autoGuessEncoding — unless that
      // still has characters it could not decode
      text = await vscode.workspace.openTextDocument(uri).then(
        (d) => d.getText(),
        () => '',
      );
      if (text === '' || text.includes('\uFFFD')) {
        void vscode.window.showErrorMessage(
          vscode.l10n.t(
            '{0} is not UTF-8 text. Open it with its encoding (Reopen with Encoding, or the setting files.autoGuessEncoding), then compare again.',
            vscode.workspace.asRelativePath(uri),
          ),
        );
        return undefined;
      }
    }
    return { text, label: vscode.workspace.asRelativePath(uri), uri };
  }

  if (!git || repo === null) return undefined;
  let ref = 'HEAD';
  let label = 'HEAD';
  if (picked.choice === 'commit') {
    const commits = await repo.log({ maxEntries: 50, path: document.uri.fsPath });
    const c = await vscode.window.showQuickPick(
      commits.map((x) => ({
        label: x.message.split('\n')[0],
        description: x.hash.slice(0, 7),
        detail: [x.authorName, x.authorDate?.toLocaleString()].filter(Boolean).join(' · '),
        hash: x.hash,
      })),
      { placeHolder: vscode.l10n.t('Commit to compare with'), matchOnDescription: true },
    );
    if (c === undefined) return undefined;
    ref = c.hash;
    label = c.hash.slice(0, 7);
  }
  try {
    const text = await repo.show(ref, document.uri.fsPath);
    const name = vscode.workspace.asRelativePath(document.uri);
    return { text, label: `${label}:${name}`, uri: git.toGitUri(document.uri, ref) };
  } catch (err) {
    void vscode.window.showErrorMessage(
      vscode.l10n.t('The file is not in {0}: {1}', label, err instanceof Error ? err.message : String(err)),
    );
    return undefined;
  }
}

/** The report view: the server's HTML report, whose place links open the two revisions. */
class ReportView {
  private panel: vscode.WebviewPanel | undefined;
  private target: { other: vscode.Uri; current: vscode.Uri } | undefined;

  show(result: CompareRevisionResult, other: Other, current: vscode.Uri): void {
    this.target = { other: other.uri, current };
    const title = vscode.l10n.t('Revision: {0} ↔ {1}', other.label, vscode.workspace.asRelativePath(current));
    if (this.panel === undefined) {
      this.panel = vscode.window.createWebviewPanel('keiyakuLint.revision', title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
        enableScripts: true,
        enableFindWidget: true,
        localResourceRoots: [],
      });
      this.panel.onDidDispose(() => (this.panel = undefined));
      this.panel.webview.onDidReceiveMessage((m: { side?: string; line?: number }) => void this.open(m));
    } else {
      this.panel.title = title;
      this.panel.reveal(vscode.ViewColumn.Beside, true);
    }
    this.panel.webview.html = webviewHtml(result.html);
  }

  private async open(m: { side?: string; line?: number }): Promise<void> {
    if (this.target === undefined || typeof m.line !== 'number') return;
    const uri = m.side === 'old' ? this.target.other : this.target.current;
    const line = Math.max(0, m.line - 1);
    await vscode.window.showTextDocument(uri, {
      viewColumn: vscode.ViewColumn.One,
      selection: new vscode.Range(line, 0, line, 0),
      preview: m.side === 'old',
    });
  }

  dispose(): void {
    this.panel?.dispose();
    this.panel = undefined;
  }
}

/** The report in a webview: its own CSP with a nonce for the one script that routes the links. */
export function webviewHtml(html: string): string {
  const nonce = Array.from({ length: 24 }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(Math.random() * 62)]).join('');
  const csp = `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'nonce-${nonce}'`;
  const script =
    `<script nonce="${nonce}">const vscode = acquireVsCodeApi();` +
    `document.addEventListener('click', (e) => { const a = e.target.closest && e.target.closest('a[data-side]');` +
    ` if (!a) return; e.preventDefault(); vscode.postMessage({ side: a.dataset.side, line: Number(a.dataset.line) }); });</script>`;
  return html
    .replace(/<meta http-equiv="Content-Security-Policy" content="[^"]*">/, `<meta http-equiv="Content-Security-Policy" content="${csp}">`)
    .replace('</body>', `${script}\n</body>`);
}

export class RevisionComparison implements vscode.Disposable {
  private readonly view = new ReportView();
  /** Documents with a comparison shown (their diagnostics come from the server). */
  private readonly compared = new Set<string>();

  constructor(private readonly client: () => LanguageClient | undefined) {}

  async compare(): Promise<boolean> {
    const editor = vscode.window.activeTextEditor;
    if (editor === undefined) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a contract draft first.'));
      return false;
    }
    const lc = this.client();
    if (lc === undefined || !lc.isRunning()) {
      void vscode.window.showInformationMessage(vscode.l10n.t('This feature is not available yet.'));
      return false;
    }
    const document = editor.document;
    const other = await pickOther(document);
    if (other === undefined) return false;

    const cancel = new vscode.CancellationTokenSource();
    const timer = setTimeout(() => cancel.cancel(), REQUEST_TIMEOUT_MS);
    let result: CompareRevisionResult | null;
    try {
      result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Comparing revisions…') },
        () =>
          lc.sendRequest<CompareRevisionResult | null>(
            COMPARE_REVISION_REQUEST,
            { uri: document.uri.toString(), otherText: other.text, otherLabel: other.label, otherUri: other.uri.toString() },
            cancel.token,
          ),
      );
    } catch (err) {
      lc.warn(`${COMPARE_REVISION_REQUEST} failed: ${err instanceof Error ? err.message : String(err)}`);
      result = null;
    } finally {
      clearTimeout(timer);
      cancel.dispose();
    }
    if (result === null) {
      void vscode.window.showErrorMessage(vscode.l10n.t('The revisions could not be compared.'));
      return false;
    }
    this.compared.add(document.uri.toString());
    // The side-by-side diff in the editor's column, the report beside it.
    const title = vscode.l10n.t('{0} ↔ {1}', other.label, vscode.workspace.asRelativePath(document.uri));
    await vscode.commands.executeCommand('vscode.diff', other.uri, document.uri, title, { viewColumn: editor.viewColumn });
    this.view.show(result, other, document.uri);
    const s = result.report.summary;
    void vscode.window.setStatusBarMessage(
      s.equivalent
        ? vscode.l10n.t('Revisions are equivalent: no substantive change.')
        : vscode.l10n.t('{0} changes, {1} weakened.', result.report.changes.length, s.weakened),
      8000,
    );
    return true;
  }

  /** Removes the revision diagnostics (of every compared document) and closes the report. */
  async clear(): Promise<void> {
    const lc = this.client();
    const uris = [...this.compared];
    this.compared.clear();
    this.view.dispose();
    if (lc === undefined || !lc.isRunning()) return;
    await Promise.all(uris.map((uri) => lc.sendRequest(CLEAR_REVISION_REQUEST, { uri }).catch(() => null)));
  }

  dispose(): void {
    this.view.dispose();
  }
}

/** Registers keiyakuLint.compareRevision and keiyakuLint.clearRevision. */
export function registerRevisionCommands(context: vscode.ExtensionContext, client: () => LanguageClient | undefined): RevisionComparison {
  const rc = new RevisionComparison(client);
  context.subscriptions.push(
    rc,
    vscode.commands.registerCommand('keiyakuLint.compareRevision', () => rc.compare()),
    vscode.commands.registerCommand('keiyakuLint.clearRevision', () => rc.clear()),
  );
  return rc;
}
