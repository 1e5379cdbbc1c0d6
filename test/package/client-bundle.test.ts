/**
 * The bundled client (dist/client.js) outside VS Code: loaded with a stand-in `vscode` module, it
 * must activate, start the bundled server (dist/server.js) over IPC, register its commands, show
 * its language status, restart the server and stop it on deactivate. The full behaviour inside
 * VS Code is the @vscode/test-electron suite (test/vscode), which needs a VS Code download.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import Module from 'module';
import * as os from 'os';
import * as path from 'path';

const repo = path.resolve(__dirname, '..', '..', '..');

/** Anything-goes stand-in for the parts of the VS Code API the test does not look at. */
function stub(name: string): any {
  const target = function () {};
  return new Proxy(target, {
    get(t, p) {
      if (p === 'then' || typeof p === 'symbol') return p === Symbol.iterator ? function* () {} : undefined;
      if (p === 'dispose') return () => {};
      if (p === 'prototype') return t.prototype;
      return stub(`${name}.${p}`);
    },
    set: () => true,
    apply: () => stub(`${name}()`),
    construct: (_t, args, newTarget) => Reflect.construct(function () {}, args, newTarget),
  });
}

function withFallback<T extends object>(name: string, known: T): T {
  return new Proxy(known, { get: (t, p) => (p in t ? (t as any)[p] : typeof p === 'symbol' ? undefined : stub(`${name}.${p}`)) });
}

const noDispose = { dispose() {} };

class EventEmitter<T> {
  private listeners: Array<(e: T) => void> = [];
  event = (f: (e: T) => void) => {
    this.listeners.push(f);
    return noDispose;
  };
  fire(e: T) {
    for (const f of this.listeners) f(e);
  }
  dispose() {}
}

class Disposable {
  constructor(private readonly f?: () => void) {}
  static from(...ds: Array<{ dispose(): unknown }>) {
    return new Disposable(() => ds.forEach((d) => d.dispose()));
  }
  dispose() {
    this.f?.();
  }
}

interface StatusItem {
  id: string;
  text?: string;
  busy?: boolean;
  selector: unknown;
}

function fakeVscode() {
  const commands = new Map<string, (...args: unknown[]) => unknown>();
  const statusItems: StatusItem[] = [];
  const output: string[] = [];
  const messages: string[] = [];
  const channel = new Proxy(
    { name: 'Keiyaku Lint' },
    {
      get: (t, p) =>
        p === 'name' ? t.name : p === 'then' ? undefined : (...a: unknown[]) => void output.push(`${String(p)} ${a.join(' ')}`),
    },
  );
  const api = withFallback('vscode', {
    version: '1.90.0',
    env: withFallback('env', { language: 'ja', appName: 'stand-in', machineId: 'test' }),
    EventEmitter,
    Disposable,
    LanguageStatusSeverity: { Information: 0, Warning: 1, Error: 2 },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    EndOfLine: { LF: 1, CRLF: 2 },
    l10n: { t: (m: string, ...a: unknown[]) => m.replace(/\{(\d+)\}/g, (_, i) => String(a[Number(i)])) },
    commands: withFallback('commands', {
      registerCommand: (id: string, f: (...args: unknown[]) => unknown) => {
        commands.set(id, f);
        return noDispose;
      },
      executeCommand: async () => undefined,
    }),
    window: withFallback('window', {
      activeTextEditor: undefined,
      createOutputChannel: () => channel,
      onDidChangeActiveTextEditor: () => noDispose,
      showInformationMessage: async (m: string) => void messages.push(m),
      showErrorMessage: async (m: string) => void messages.push(m),
    }),
    languages: withFallback('languages', {
      createLanguageStatusItem: (id: string, selector: unknown) => {
        const item: StatusItem & { dispose(): void } = { id, selector, dispose() {} };
        statusItems.push(item);
        return item;
      },
    }),
    workspace: withFallback('workspace', {
      workspaceFolders: undefined,
      textDocuments: [],
      getConfiguration: () => ({ get: (_k: string, d: unknown) => d, inspect: () => ({}), update: async () => {}, has: () => false }),
      onDidCloseTextDocument: () => noDispose,
      registerTextDocumentContentProvider: () => noDispose,
    }),
  });
  return { api, commands, statusItems, output, messages };
}

describe('bundled client (dist/client.js) with a stand-in vscode module', function () {
  this.timeout(60_000);
  const fake = fakeVscode();
  const mod = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const originalLoad = mod._load;
  let extension: { activate(ctx: unknown): { ready: Promise<void> }; deactivate(): Promise<void> };

  before(function () {
    const bundle = path.join(repo, 'dist', 'client.js');
    assert.ok(fs.existsSync(bundle), 'dist/client.js is missing: run `npm run build` first');
    assert.ok(fs.existsSync(path.join(repo, 'dist', 'server.js')), 'dist/server.js is missing: run `npm run build` first');
    mod._load = function (request: string, ...rest: unknown[]) {
      return request === 'vscode' ? fake.api : originalLoad.call(this, request, ...rest);
    };
    delete require.cache[bundle];
    extension = require(bundle);
  });

  after(function () {
    mod._load = originalLoad;
  });

  it('activates, starts the bundled server over IPC, restarts it and stops it', async function () {
    const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'keiyaku-global-storage-'));
    const context = {
      subscriptions: [] as unknown[],
      asAbsolutePath: (p: string) => path.join(repo, p),
      extensionPath: repo,
      globalStorageUri: { fsPath: storage, scheme: 'file' },
    };
    const { ready } = extension.activate(context);
    let stopped = false;
    try {
    await ready;

    const ids = [...fake.commands.keys()].filter((id) => !id.startsWith('keiyakuLint.server.'));
    assert.deepStrictEqual(ids.sort(), [
      'keiyakuLint.clearRevision',
      'keiyakuLint.compareRevision',
      'keiyakuLint.compareWithStandard',
      'keiyakuLint.fixAll',
      'keiyakuLint.insertForm',
      'keiyakuLint.insertStandardArticle',
      'keiyakuLint.restartServer',
      'keiyakuLint.selectTemplate',
      'keiyakuLint.showOutput',
    ]);
    const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
    assert.deepStrictEqual(
      manifest.contributes.commands.map((c: { command: string }) => c.command).sort(),
      ids.sort(),
      'package.json contributes exactly the commands the client registers',
    );

    assert.strictEqual(fake.statusItems.length, 1);
    assert.strictEqual(fake.statusItems[0].busy, false, 'the status item stops spinning once the server runs');
    assert.ok(fake.output.some((l) => /initialize/.test(l)), `server log reached the output channel: ${fake.output.join('\n')}`);

    // No editor: the compare command says so and reports that it did nothing.
    assert.strictEqual(await fake.commands.get('keiyakuLint.compareWithStandard')!(), false);
    assert.ok(fake.messages.includes('Open a contract draft first.'), fake.messages.join('\n'));

    await fake.commands.get('keiyakuLint.restartServer')!();
    assert.strictEqual(fake.statusItems[0].busy, false);
    await extension.deactivate();
    stopped = true;
    assert.strictEqual(fake.statusItems[0].text, 'Keiyaku Lint: stopped');
    } finally {
      // a failed assertion must not leave the server running: mocha would wait for it forever
      if (!stopped) await extension.deactivate();
      fs.rmSync(storage, { recursive: true, force: true });
    }
  });
});
