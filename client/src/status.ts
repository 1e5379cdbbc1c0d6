/**
 * The language status item: the template in use, the finding counts of the active document and
 * the tokenizer's state (「辞書を読み込み中…」), fed by the server's `keiyaku/status` notification.
 */
import * as vscode from 'vscode';
import type { StatusParams } from './protocol';

/** Languages the item is shown for once the server has reported on the document. */
const CONTRACT_LANGUAGE = 'keiyaku';
const GLOB_SPECIAL = /[*?[\]{}]/;

export class KeiyakuStatus implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private readonly byUri = new Map<string, StatusParams>();
  private readonly disposables: vscode.Disposable[] = [];
  private tokenizer: StatusParams['tokenizer'] | undefined;

  constructor() {
    this.item = vscode.languages.createLanguageStatusItem('keiyakuLint.status', { language: CONTRACT_LANGUAGE });
    this.item.name = 'Keiyaku Lint';
    this.item.command = { command: 'keiyakuLint.selectTemplate', title: vscode.l10n.t('Select Template') };
    this.starting();
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (this.byUri.delete(doc.uri.toString())) this.updateSelector();
      }),
    );
  }

  /** Before the server has said anything. */
  starting(): void {
    this.byUri.clear();
    this.tokenizer = undefined;
    this.item.text = vscode.l10n.t('Keiyaku Lint: starting…');
    this.item.detail = undefined;
    this.item.busy = true;
    this.item.severity = vscode.LanguageStatusSeverity.Information;
    this.updateSelector();
  }

  /** The server is up; until it reports on a document, show the last known state. */
  running(): void {
    this.render();
  }

  stopped(): void {
    this.item.text = vscode.l10n.t('Keiyaku Lint: stopped');
    this.item.detail = vscode.l10n.t('The language server is not running. Use “Restart Server”.');
    this.item.busy = false;
    this.item.severity = vscode.LanguageStatusSeverity.Error;
    this.item.command = { command: 'keiyakuLint.restartServer', title: vscode.l10n.t('Restart Server') };
  }

  update(params: StatusParams): void {
    this.tokenizer = params.tokenizer;
    const known = this.byUri.has(params.uri);
    this.byUri.set(params.uri, params);
    if (!known) this.updateSelector();
    this.render();
  }

  private render(): void {
    const active = vscode.window.activeTextEditor?.document.uri.toString();
    const status = active === undefined ? undefined : this.byUri.get(active);
    const tokenizer = status?.tokenizer ?? this.tokenizer;
    this.item.command = { command: 'keiyakuLint.selectTemplate', title: vscode.l10n.t('Select Template') };
    this.item.severity = vscode.LanguageStatusSeverity.Information;
    this.item.busy = tokenizer === 'loading';

    const template = status === undefined ? undefined : templateLabel(status.template);
    const counts =
      status === undefined || status.linted === false
        ? undefined
        : vscode.l10n.t('Errors: {0}, warnings: {1}, information: {2}, hints: {3}', status.counts.error, status.counts.warning, status.counts.information, status.counts.hint);
    if (tokenizer === 'loading') {
      // 「辞書を読み込み中…」: the structural findings are there already
      this.item.text = vscode.l10n.t('Loading dictionary…');
      this.item.detail = [template, counts].filter((x) => x !== undefined).join(' — ') || undefined;
      return;
    }
    if (tokenizer === 'failed') {
      this.item.severity = vscode.LanguageStatusSeverity.Warning;
      this.item.text = template ?? vscode.l10n.t('Keiyaku Lint');
      this.item.detail = vscode.l10n.t('The dictionary could not be loaded: word-level checks are off. See the output.');
      this.item.command = { command: 'keiyakuLint.showOutput', title: vscode.l10n.t('Show Output') };
      return;
    }
    if (status === undefined) {
      this.item.text = vscode.l10n.t('Keiyaku Lint');
      this.item.detail = tokenizer === 'ready' ? vscode.l10n.t('Ready') : undefined;
      return;
    }
    if (status.linted === false) {
      this.item.text = vscode.l10n.t('Keiyaku Lint');
      this.item.detail = vscode.l10n.t('Not linted: the document does not look like a contract, or its language is not in keiyakuLint.languages.');
      return;
    }
    this.item.text = template ?? vscode.l10n.t('Keiyaku Lint');
    this.item.detail = counts;
  }

  /**
   * Always shown for the keiyaku language; for plain text and Markdown only on the documents the
   * server has reported on (it decides whether they look like a contract).
   */
  private updateSelector(): void {
    const filters: vscode.DocumentFilter[] = [{ language: CONTRACT_LANGUAGE }];
    for (const [uri, status] of this.byUri) {
      if (!(status.linted ?? (status.template !== null || total(status) > 0))) continue;
      const parsed = vscode.Uri.parse(uri);
      if (GLOB_SPECIAL.test(parsed.fsPath)) continue;
      filters.push({ scheme: parsed.scheme, pattern: parsed.fsPath });
    }
    this.item.selector = filters;
  }

  dispose(): void {
    this.item.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function total(s: StatusParams): number {
  return s.counts.error + s.counts.warning + s.counts.information + s.counts.hint;
}

/** The localized name of a template id; custom ids are shown as they are. */
export function templateLabel(template: string | null): string {
  switch (template) {
    case null:
      return vscode.l10n.t('No template');
    case 'tokuyaku':
      return vscode.l10n.t('Special Provisions (特約条項)');
    case 'tokki':
      return vscode.l10n.t('Special Terms (特記事項)');
    default:
      return template;
  }
}
