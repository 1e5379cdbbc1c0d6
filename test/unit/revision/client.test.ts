/**
 * The client side of 「リビジョンと比較…」 (client/src/revision.ts) with a stand-in `vscode`
 * module and a stand-in git extension: the file at HEAD is sent to keiyaku/compareRevision, the
 * side-by-side diff opens, the report webview gets the server's HTML with its own CSP and link
 * script, a link opens the old revision at its line, and clearRevision clears and closes.
 */
import * as assert from 'node:assert/strict';
import Module from 'node:module';
import * as path from 'node:path';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

class Uri {
  constructor(
    readonly scheme: string,
    readonly path: string,
    readonly query = '',
  ) {}
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return `${this.scheme}://${this.path}${this.query ? `?${this.query}` : ''}`;
  }
  static file(p: string): Uri {
    return new Uri('file', p);
  }
  static joinPath(u: Uri, ...parts: string[]): Uri {
    return new Uri(u.scheme, path.posix.join(u.path, ...parts));
  }
}

function fakeVscode() {
  const calls: { method: string; args: unknown[] }[] = [];
  const commands = new Map<string, (...a: unknown[]) => unknown>();
  const picks: ((items: Any[]) => Any)[] = [];
  let panel: Any;
  let onMessage: ((m: unknown) => void) | undefined;
  const doc = { uri: Uri.file('/work/contract.keiyaku'), version: 3 };
  const repo = {
    rootUri: Uri.file('/work'),
    show: async (ref: string, p: string) => {
      calls.push({ method: 'git.show', args: [ref, p] });
      return '第1条 甲は、乙に業務を委託する。\n';
    },
    log: async () => [{ hash: 'abcdef1234567', message: 'rev 2\n\nbody', authorName: 'A' }],
  };
  const git = { getRepository: () => repo, toGitUri: (u: Uri, ref: string) => new Uri('git', u.path, ref) };
  const vscode = {
    Uri,
    ViewColumn: { One: 1, Beside: -2 },
    ProgressLocation: { Window: 10 },
    Range: class {
      constructor(
        readonly a: number,
        readonly b: number,
        readonly c: number,
        readonly d: number,
      ) {}
    },
    CancellationTokenSource: class {
      token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) };
      cancel() {}
      dispose() {}
    },
    l10n: { t: (m: string, ...a: unknown[]) => m.replace(/\{(\d+)\}/g, (_, i) => String(a[Number(i)])) },
    extensions: { getExtension: (id: string) => (id === 'vscode.git' ? { isActive: true, exports: { getAPI: () => git } } : undefined) },
    commands: {
      registerCommand: (id: string, f: (...a: unknown[]) => unknown) => {
        commands.set(id, f);
        return { dispose() {} };
      },
      executeCommand: async (...args: unknown[]) => void calls.push({ method: 'executeCommand', args }),
    },
    workspace: {
      asRelativePath: (u: Uri) => path.basename(u.path),
      // "Another file…": its bytes, and the text VS Code makes of them with its encoding settings
      files: new Map<string, { bytes: Uint8Array; asVscodeReads: string | Error }>(),
      fs: { readFile: async (u: Uri) => vscode.workspace.files.get(u.path)?.bytes ?? new Uint8Array() },
      openTextDocument: async (u: Uri) => {
        calls.push({ method: 'openTextDocument', args: [u.path] });
        const read = vscode.workspace.files.get(u.path)?.asVscodeReads ?? '';
        if (read instanceof Error) throw read;
        return { getText: () => read };
      },
    },
    window: {
      activeTextEditor: { document: doc, viewColumn: 1 } as Any,
      showQuickPick: async (items: Any[]) => (picks.shift() ?? (() => undefined))(items),
      showInformationMessage: async (m: string) => void calls.push({ method: 'info', args: [m] }),
      showErrorMessage: async (m: string) => void calls.push({ method: 'error', args: [m] }),
      setStatusBarMessage: (m: string) => void calls.push({ method: 'status', args: [m] }),
      withProgress: async (_o: unknown, f: () => Promise<unknown>) => f(),
      showOpenDialog: async () => (vscode.workspace.files.size ? [Uri.file([...vscode.workspace.files.keys()][0])] : undefined),
      showTextDocument: async (...args: unknown[]) => void calls.push({ method: 'showTextDocument', args }),
      createWebviewPanel: (...args: unknown[]) => {
        calls.push({ method: 'createWebviewPanel', args });
        panel = {
          title: args[1],
          disposed: false,
          webview: { html: '', onDidReceiveMessage: (f: (m: unknown) => void) => void (onMessage = f) },
          onDidDispose: () => ({ dispose() {} }),
          reveal() {},
          dispose() {
            this.disposed = true;
          },
        };
        return panel;
      },
    },
  };
  return { vscode, calls, commands, picks, doc, panel: () => panel, message: (m: unknown) => onMessage?.(m) };
}

describe('client: revision comparison commands (stand-in vscode)', function () {
  const fake = fakeVscode();
  const mod = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const originalLoad = mod._load;
  let revision: typeof import('../../../client/src/revision');

  before(function () {
    mod._load = function (request: string, ...rest: unknown[]) {
      return request === 'vscode' ? fake.vscode : originalLoad.call(this, request, ...rest);
    };
    const file = require.resolve('../../../client/src/revision');
    delete require.cache[file];
    revision = require(file);
  });
  after(function () {
    mod._load = originalLoad;
  });

  const requests: { method: string; params: Any }[] = [];
  const client = {
    isRunning: () => true,
    warn: () => undefined,
    sendRequest: async (method: string, params: Any) => {
      requests.push({ method, params });
      if (method !== 'keiyaku/compareRevision') return null;
      return {
        report: { summary: { equivalent: false, weakened: 1 }, changes: [{}, {}] },
        html:
          '<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src data:">' +
          '</head><body><a href="x#L4" data-side="old" data-line="4">旧</a></body></html>',
        markdown: '',
        diagnostics: [],
        version: 3,
      };
    },
  };

  it('webviewHtml: its own CSP with a nonce, and the link script', function () {
    const html = revision.webviewHtml('<html><head><meta http-equiv="Content-Security-Policy" content="default-src \'none\'"></head><body></body></html>');
    const nonce = /script-src 'nonce-([A-Za-z0-9]+)'/.exec(html)?.[1];
    assert.ok(nonce, html);
    assert.match(html, new RegExp(`<script nonce="${nonce}">const vscode = acquireVsCodeApi\\(\\);`));
    assert.equal(html.match(/Content-Security-Policy/g)?.length, 1);
  });

  it('compares with the file at HEAD: request, side-by-side diff, report view; a link opens the old revision; clear', async function () {
    const context = { subscriptions: [] as unknown[] };
    revision.registerRevisionCommands(context as Any, () => client as Any);
    assert.deepEqual([...fake.commands.keys()].sort(), ['keiyakuLint.clearRevision', 'keiyakuLint.compareRevision']);

    fake.picks.push((items) => items.find((i: Any) => i.choice === 'head'));
    const ok = await fake.commands.get('keiyakuLint.compareRevision')!();
    assert.equal(ok, true, JSON.stringify(fake.calls));

    assert.deepEqual(fake.calls.find((c) => c.method === 'git.show')?.args, ['HEAD', '/work/contract.keiyaku']);
    const req = requests.find((r) => r.method === 'keiyaku/compareRevision')!;
    assert.equal(req.params.uri, 'file:///work/contract.keiyaku');
    assert.equal(req.params.otherText, '第1条 甲は、乙に業務を委託する。\n');
    assert.equal(req.params.otherLabel, 'HEAD:contract.keiyaku');
    assert.equal(req.params.otherUri, 'git:///work/contract.keiyaku?HEAD');

    const diff = fake.calls.find((c) => c.method === 'executeCommand' && c.args[0] === 'vscode.diff');
    assert.ok(diff, 'the side-by-side diff opens');
    assert.equal(String(diff.args[1]), 'git:///work/contract.keiyaku?HEAD');
    assert.equal(String(diff.args[2]), 'file:///work/contract.keiyaku');

    const html: string = fake.panel().webview.html;
    assert.match(html, /script-src 'nonce-/);
    assert.match(html, /acquireVsCodeApi/);

    fake.message({ side: 'old', line: 4 });
    await new Promise((r) => setImmediate(r));
    const shown = fake.calls.find((c) => c.method === 'showTextDocument');
    assert.ok(shown);
    assert.equal(String(shown.args[0]), 'git:///work/contract.keiyaku?HEAD');
    assert.equal((shown.args[1] as Any).selection.a, 3);

    await fake.commands.get('keiyakuLint.clearRevision')!();
    assert.deepEqual(
      requests.filter((r) => r.method === 'keiyaku/clearRevision').map((r) => r.params),
      [{ uri: 'file:///work/contract.keiyaku' }],
    );
    assert.equal(fake.panel().disposed, true);
  });

  it('another commit: picked from the file’s log', async function () {
    requests.length = 0;
    fake.picks.push((items) => items.find((i: Any) => i.choice === 'commit'));
    fake.picks.push((items) => items[0]);
    assert.equal(await fake.commands.get('keiyakuLint.compareRevision')!(), true);
    assert.equal(requests[0].params.otherLabel, 'abcdef1:contract.keiyaku');
  });

  it('another file: UTF-8 read as it is; another encoding as VS Code reads it; undecodable text refused', async function () {
    const files = fake.vscode.workspace.files;
    const old = '第1条 甲は、乙に業務を委託する。\n';
    const compareWith = async (bytes: Uint8Array, asVscodeReads: string | Error): Promise<unknown> => {
      requests.length = 0;
      files.clear();
      files.set('/work/old.txt', { bytes, asVscodeReads });
      fake.picks.push((items) => items.find((i: Any) => i.choice === 'file'));
      return fake.commands.get('keiyakuLint.compareRevision')!();
    };
    assert.equal(await compareWith(new TextEncoder().encode(old), new Error('not used')), true);
    assert.equal(requests[0].params.otherText, old);
    assert.equal(requests[0].params.otherLabel, 'old.txt');
    // Shift_JIS bytes (not UTF-8): the text VS Code decoded with the user's encoding settings
    const sjis = new Uint8Array([0x91, 0xe6, 0x31, 0x8f, 0xf0, 0x0a]);
    assert.equal(await compareWith(sjis, old), true);
    assert.equal(requests[0].params.otherText, old);
    // VS Code could not decode it either (U+FFFD), or could not open it: an error, no comparison
    for (const asRead of ['\uFFFD1\uFFFD\n', new Error('binary')]) {
      fake.calls.length = 0;
      assert.equal(await compareWith(sjis, asRead), false);
      assert.equal(requests.length, 0);
      assert.ok(fake.calls.some((c) => c.method === 'error' && /old\.txt is not UTF-8 text\. Open it with its encoding/.test(String(c.args[0]))), JSON.stringify(fake.calls));
    }
    files.clear();
  });

  it('no editor: says so and does nothing', async function () {
    const saved = fake.vscode.window.activeTextEditor;
    fake.vscode.window.activeTextEditor = undefined;
    try {
      assert.equal(await fake.commands.get('keiyakuLint.compareRevision')!(), false);
      assert.ok(fake.calls.some((c) => c.method === 'info' && c.args[0] === 'Open a contract draft first.'));
    } finally {
      fake.vscode.window.activeTextEditor = saved;
    }
  });
});
