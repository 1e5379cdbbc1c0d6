/**
 * Keiyaku Lint's VS Code client: starts the bundled language server (dist/server.js), forwards the
 * keiyakuLint settings, and adds the commands and the language status item. All analysis happens
 * in the server; this file imports only `vscode` and `vscode-languageclient`.
 */
import * as vscode from 'vscode';
import {
  LanguageClient,
  State,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { CANONICAL_SCHEME, CanonicalContentProvider, compareWithStandard, followDrafts, insertStandardArticle } from './canonical';
import { insertForm } from './form';
import { FIX_ALL_KIND, StatusNotification } from './protocol';
import { registerRevisionCommands } from './revision';
import { KeiyakuStatus, templateLabel } from './status';

const CLIENT_ID = 'keiyakuLint'; // also the prefix of the trace setting: keiyakuLint.trace.server
const BUILT_IN_TEMPLATES = ['auto', 'tokuyaku', 'tokki', 'none'] as const;

let client: LanguageClient | undefined;

/** What activate returns: lets the @vscode/test-electron suite wait for the server. */
export interface KeiyakuLintApi {
  /** Resolves once the language server has started (rejects if it could not). */
  ready: Promise<void>;
}

export function activate(context: vscode.ExtensionContext): KeiyakuLintApi {
  const output = vscode.window.createOutputChannel('Keiyaku Lint', { log: true });
  const status = new KeiyakuStatus();
  const canonical = new CanonicalContentProvider();
  context.subscriptions.push(
    output,
    status,
    canonical,
    vscode.workspace.registerTextDocumentContentProvider(CANONICAL_SCHEME, canonical),
    followDrafts(() => client, canonical),
  );

  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', '--inspect=6011'] },
    },
  };
  const documentSelector = ['keiyaku', 'plaintext', 'markdown'].flatMap((language) => [
    { scheme: 'file', language },
    { scheme: 'untitled', language },
  ]);
  const clientOptions: LanguageClientOptions = {
    documentSelector,
    synchronize: { configurationSection: 'keiyakuLint' },
    // Where the server keeps kuromoji's dictionary decompressed (public data only, no document
    // text); without global storage (not in VS Code ≥ 1.48), the server's default.
    initializationOptions: { keiyakuLint: { cacheDir: context.globalStorageUri?.fsPath } },
    outputChannel: output,
    traceOutputChannel: output,
  };

  const lc = new LanguageClient(CLIENT_ID, 'Keiyaku Lint', serverOptions, clientOptions);
  client = lc;
  context.subscriptions.push(
    lc.onNotification(StatusNotification, (params) => status.update(params)),
    lc.onDidChangeState((e) => {
      if (e.newState === State.Stopped) status.stopped();
      else if (e.newState === State.Starting) status.starting();
      else status.running();
    }),
  );

  const register = (id: string, run: (...args: unknown[]) => unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(`keiyakuLint.${id}`, run));

  register('restartServer', async () => {
    output.info('Restarting the language server.');
    try {
      if (lc.isRunning()) await lc.restart();
      else await lc.start();
    } catch (err) {
      reportStartFailure(output, err);
    }
  });
  register('showOutput', () => output.show(true));
  register('selectTemplate', () => selectTemplate());
  // (uri, line) when run from an article's code lens
  register('compareWithStandard', (target, line) => compareWithStandard(client, canonical, target, line));
  register('insertStandardArticle', () => insertStandardArticle(client));
  register('fixAll', () => fixAll(lc));
  // keiyakuLint.compareRevision 「リビジョンと比較…」 and keiyakuLint.clearRevision (revision.ts)
  registerRevisionCommands(context, () => client);
  register('insertForm', () => insertForm(client));

  const ready = lc.start();
  ready.catch((err) => reportStartFailure(output, err));
  return { ready };
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  if (c !== undefined && c.needsStop()) await c.stop();
}

function reportStartFailure(output: vscode.LogOutputChannel, err: unknown): void {
  output.error(`The language server could not start: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  void vscode.window
    .showErrorMessage(vscode.l10n.t('Keiyaku Lint: the language server could not start.'), vscode.l10n.t('Show Output'))
    .then((choice) => {
      if (choice !== undefined) output.show(true);
    });
}

/** Quick pick of the templates (built-in and keiyakuLint.customTemplates); writes keiyakuLint.template. */
async function selectTemplate(): Promise<string | undefined> {
  const resource = vscode.window.activeTextEditor?.document.uri;
  const config = vscode.workspace.getConfiguration('keiyakuLint', resource);
  const current = config.get<string>('template', 'auto');
  const descriptions: Record<(typeof BUILT_IN_TEMPLATES)[number], string> = {
    auto: vscode.l10n.t('Detect from the document'),
    tokuyaku: vscode.l10n.t('Information security special provisions (甲/乙, 第1条…)'),
    tokki: vscode.l10n.t('Information security special terms (発注者/受注者, 第１…)'),
    none: vscode.l10n.t('Structure, reference and notation checks only'),
  };
  const labels: Record<(typeof BUILT_IN_TEMPLATES)[number], string> = {
    auto: vscode.l10n.t('Automatic'),
    tokuyaku: templateLabel('tokuyaku'),
    tokki: templateLabel('tokki'),
    none: templateLabel(null),
  };
  type Item = vscode.QuickPickItem & { id: string };
  const items: Item[] = BUILT_IN_TEMPLATES.map((id) => ({ id, label: labels[id], description: descriptions[id] }));
  const custom = config.get<Array<{ id?: string; name?: string; path?: string }>>('customTemplates', []);
  for (const t of custom) {
    if (typeof t.id !== 'string' || t.id === '') continue;
    items.push({ id: t.id, label: t.name ?? t.id, description: t.path });
  }
  for (const item of items) {
    if (item.id === current) item.detail = vscode.l10n.t('Current');
  }
  const picked = await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Template to compare drafts with') });
  if (picked === undefined) return undefined;

  // Write where the setting is already defined, else to the workspace (or globally without one).
  const inspect = config.inspect<string>('template');
  const target =
    inspect?.workspaceFolderValue !== undefined
      ? vscode.ConfigurationTarget.WorkspaceFolder
      : inspect?.workspaceValue !== undefined || vscode.workspace.workspaceFolders !== undefined
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
  await config.update('template', picked.id, target);
  return picked.id;
}

/**
 * Applies every safe fix of the active document: through the server's own fix-all command when
 * it offers one, else through the `source.fixAll.keiyaku` code action.
 */
async function fixAll(lc: LanguageClient): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a contract draft first.'));
    return;
  }
  const commands = lc.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
  const serverCommand = commands.find((c) => /fixAll$/i.test(c) && c !== 'keiyakuLint.fixAll');
  if (serverCommand !== undefined) {
    const { document } = editor;
    await vscode.commands.executeCommand(serverCommand, { uri: document.uri.toString(), version: document.version });
    return;
  }
  await vscode.commands.executeCommand('editor.action.sourceAction', { kind: FIX_ALL_KIND, apply: 'first' });
}
