/**
 * Keiyaku Lint inside a real VS Code (run by test/vscode/run.ts with @vscode/test-electron; the
 * workspace is test/vscode/fixtures/workspace). Tests wait for real events (diagnostics changing,
 * the server starting), never for fixed sleeps.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'keiyaku-lint.keiyaku-lint';
const EVENT_TIMEOUT_MS = 45_000;

interface KeiyakuLintApi {
  ready: Promise<void>;
}

function fixtureUri(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder !== undefined, 'the test workspace (test/vscode/fixtures/workspace) is not open');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** Resolves with check()'s first defined value, re-checking whenever `event` fires. */
function waitFor<T>(event: vscode.Event<unknown>, check: () => T | undefined, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const first = check();
    if (first !== undefined) {
      resolve(first);
      return;
    }
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out after ${EVENT_TIMEOUT_MS} ms waiting for ${what}`));
    }, EVENT_TIMEOUT_MS);
    const sub = event(() => {
      const value = check();
      if (value !== undefined) {
        clearTimeout(timer);
        sub.dispose();
        resolve(value);
      }
    });
  });
}

function ruleOf(d: vscode.Diagnostic): string | undefined {
  const code = d.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

function diagnosticsWith(uri: vscode.Uri, rule: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => ruleOf(d) === rule);
}

describe('Keiyaku Lint in VS Code', function () {
  this.timeout(120_000);
  const draft = fixtureUri('draft.keiyaku');
  let document: vscode.TextDocument;

  before(async function () {
    document = await vscode.workspace.openTextDocument(draft);
    await vscode.window.showTextDocument(document);
  });

  after(async function () {
    // Leave the fixture as it is on disk.
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('activates on a .keiyaku document and starts the language server', async function () {
    assert.strictEqual(document.languageId, 'keiyaku');
    const extension = vscode.extensions.getExtension<KeiyakuLintApi>(EXTENSION_ID);
    assert.ok(extension !== undefined, `${EXTENSION_ID} is not installed in the test instance`);
    const api = await extension.activate();
    await api.ready;
    assert.ok(extension.isActive);
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['restartServer', 'showOutput', 'selectTemplate', 'compareWithStandard', 'insertStandardArticle', 'fixAll']) {
      assert.ok(commands.includes(`keiyakuLint.${id}`), `command keiyakuLint.${id} is not registered`);
    }
  });

  it('shows diagnostics on the fixture draft (weakened deadline in 第8条第2項)', async function () {
    const found = await waitFor(
      vscode.languages.onDidChangeDiagnostics,
      () => {
        const ds = diagnosticsWith(draft, 'weakened-deadline');
        return ds.length > 0 ? ds : undefined;
      },
      'a weakened-deadline diagnostic',
    );
    const d = found[0];
    assert.strictEqual(document.getText(d.range), '遅滞なく');
    assert.ok(d.severity <= vscode.DiagnosticSeverity.Warning, 'reported as a warning or an error');
    assert.ok(diagnosticsWith(draft, 'added-exception').length > 0, 'the added 但し sentence of 第5条第2項 is reported');
  });

  it('applies a quick fix and the diagnostic goes away', async function () {
    const [target] = await waitFor(
      vscode.languages.onDidChangeDiagnostics,
      () => {
        const ds = diagnosticsWith(draft, 'weakened-deadline');
        return ds.length > 0 ? ds : undefined;
      },
      'a weakened-deadline diagnostic',
    );
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      draft,
      target.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const fix = actions.find(
      (a) => a.isPreferred === true && a.edit !== undefined && (a.diagnostics ?? []).some((d) => ruleOf(d) === 'weakened-deadline'),
    );
    assert.ok(fix !== undefined, `no preferred quick fix for weakened-deadline among: ${actions.map((a) => a.title).join(' | ')}`);
    const before = document.getText();
    assert.ok(await vscode.workspace.applyEdit(fix.edit!), 'the quick fix edit was refused');
    if (fix.command !== undefined) await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
    assert.notStrictEqual(document.getText(), before);
    assert.strictEqual(document.getText(target.range), '速やかに');
    await waitFor(
      vscode.languages.onDidChangeDiagnostics,
      () => (diagnosticsWith(draft, 'weakened-deadline').length === 0 ? true : undefined),
      'the weakened-deadline diagnostic to disappear',
    );
  });

  it('compares the draft with the standard text in a diff editor', async function () {
    await vscode.window.showTextDocument(document);
    const opened = await vscode.commands.executeCommand<boolean>('keiyakuLint.compareWithStandard');
    assert.strictEqual(opened, true, 'the server did not answer keiyaku/canonicalText');
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab !== undefined && tab.input instanceof vscode.TabInputTextDiff, 'the active tab is not a diff editor');
    const input = tab.input as vscode.TabInputTextDiff;
    assert.strictEqual(input.original.scheme, 'keiyaku-standard');
    assert.strictEqual(input.modified.toString(), draft.toString());
    const canonical = await vscode.workspace.openTextDocument(input.original);
    assert.match(canonical.getText(), /第1条/);
    assert.match(canonical.getText(), /速やかに甲にその旨を報告し/);
  });
});
