/**
 * The keiyakuLint.* settings as the server honours them (issue 5 §4), over stdio: rule levels
 * (one level for all, or a map), run onSave in pull mode, the delay, languages, trace.server.
 * (template and customTemplates: server.test.ts.)
 */
import * as assert from 'assert';
import type { DocumentDiagnosticReport, FullDocumentDiagnosticReport, LogMessageParams } from 'vscode-languageserver-protocol/node';
import type { StatusParams } from '../../server/src/lsp/protocol';
import { correctedTokuyaku, withoutArticle } from './editor-helpers';
import { fileUri, PULL_CAPS, PUSH_CAPS, requireBundledServer, TestClient } from './helpers';

/** 第2条 missing (the numbering rule reports 第3条). */
const GAP = '第1条 甲は、乙に対し、情報を提供する。\n第3条 乙は、情報を管理しなければならない。\n';
/** The 特約条項 without 第3条, with a full-width paragraph number: missing-article and style/number-width. */
const TOKU = withoutArticle(correctedTokuyaku(), 3).replace('\n2 乙は、前項のネットワーク', '\n２ 乙は、前項のネットワーク');

const CONFIG_CAPS = { ...PUSH_CAPS, workspace: { ...PUSH_CAPS.workspace, configuration: true } };
const PULL_CONFIG_CAPS = { ...PULL_CAPS, workspace: { ...PULL_CAPS.workspace, configuration: true } };

function full(r: DocumentDiagnosticReport): FullDocumentDiagnosticReport {
  assert.strictEqual(r.kind, 'full', JSON.stringify(r));
  return r as FullDocumentDiagnosticReport;
}

describe('settings honoured by the server (stdio)', function () {
  this.timeout(60_000);
  let client: TestClient | undefined;

  before(function () {
    requireBundledServer();
  });

  afterEach(function () {
    client?.dispose();
    client = undefined;
  });

  it('rules: one level for every rule', async function () {
    client = new TestClient();
    await client.initialize(PUSH_CAPS, { initializationOptions: { keiyakuLint: { rules: 'hint' } } });
    const uri = fileUri('all-hint.keiyaku');
    await client.open(uri, TOKU);
    const p = await client.waitForDiagnostics(uri);
    assert.ok(p.diagnostics.length >= 2, JSON.stringify(p.diagnostics.map((d) => d.code)));
    assert.deepStrictEqual([...new Set(p.diagnostics.map((d) => d.severity))], [4]);

    client.dispose();
    client = new TestClient();
    await client.initialize(PUSH_CAPS, { initializationOptions: { keiyakuLint: { rules: 'off' } } });
    await client.open(uri, TOKU);
    assert.deepStrictEqual((await client.waitForDiagnostics(uri)).diagnostics, []);
  });

  it('rules: a map of rule id → level, other rules at their defaults', async function () {
    client = new TestClient();
    const uri = fileUri('map.keiyaku');
    client.configuration = { [uri]: { rules: { 'style/number-width': 'error', 'missing-article': 'off' } } };
    await client.initialize(CONFIG_CAPS);
    await client.open(uri, TOKU);
    const p = await client.waitForDiagnostics(uri);
    assert.deepStrictEqual(
      p.diagnostics.filter((d) => d.code === 'style/number-width').map((d) => d.severity),
      [1],
    );
    assert.ok(!p.diagnostics.some((d) => d.code === 'missing-article'));
    // without the map: missing-article at its default level (warning), number-width at its own (information)
    client.configuration = {};
    const since = client.received.length;
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const q = await client.waitForDiagnostics(uri, () => true, { since });
    assert.deepStrictEqual(q.diagnostics.filter((d) => d.code === 'missing-article').map((d) => d.severity), [2]);
    assert.deepStrictEqual(q.diagnostics.filter((d) => d.code === 'style/number-width').map((d) => d.severity), [3]);
  });

  it('run onSave with a pull client: edits are linted at the next save', async function () {
    client = new TestClient();
    const uri = fileUri('pull-onsave.keiyaku');
    client.configuration = { [uri]: { run: 'onSave', delayMs: 0 } };
    await client.initialize(PULL_CONFIG_CAPS);
    await client.open(uri, GAP);
    const first = full(await client.pull(uri));
    assert.ok(first.items.some((d) => d.code === 'numbering'));
    await client.replaceAll(uri, 2, GAP.replace('第3条', '第2条'));
    // the editor's own requests (hover, code lenses) analyse the unsaved text: the diagnostics must not follow it
    await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } });
    await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 1 } });
    const unsaved = await client.pull(uri, first.resultId);
    assert.strictEqual(unsaved.kind, 'unchanged');
    const since = client.received.length;
    await client.save(uri);
    await client.waitFor('workspace/diagnostic/refresh', () => true, { since });
    const saved = full(await client.pull(uri, first.resultId));
    assert.ok(!saved.items.some((d) => d.code === 'numbering'), JSON.stringify(saved.items));
  });

  it('delayMs: a change is linted no sooner than the delay after it (push and pull)', async function () {
    const delayMs = 1200;
    client = new TestClient();
    await client.initialize(PUSH_CAPS, { initializationOptions: { keiyakuLint: { delayMs } } });
    const uri = fileUri('delay-push.keiyaku');
    await client.open(uri, GAP);
    await client.waitForDiagnostics(uri, (p) => p.version === 1); // opening is linted at once
    const t0 = performance.now();
    await client.replaceAll(uri, 2, GAP.replace('第3条', '第2条'));
    const p = await client.waitForDiagnostics(uri, (q) => q.version === 2);
    assert.ok(performance.now() - t0 >= delayMs - 50, `published after ${(performance.now() - t0).toFixed(0)} ms`);
    assert.ok(!p.diagnostics.some((d) => d.code === 'numbering'));

    client.dispose();
    client = new TestClient();
    const pullUri = fileUri('delay-pull.keiyaku');
    client.configuration = { [pullUri]: { delayMs } };
    await client.initialize(PULL_CONFIG_CAPS);
    await client.open(pullUri, GAP);
    await client.pull(pullUri);
    const t1 = performance.now();
    await client.replaceAll(pullUri, 2, GAP.replace('第3条', '第2条'));
    const r = full(await client.pull(pullUri));
    assert.ok(performance.now() - t1 >= delayMs - 50, `answered after ${(performance.now() - t1).toFixed(0)} ms`);
    assert.ok(!r.items.some((d) => d.code === 'numbering'));
  });

  it('languages: a listed language is linted whatever its text, an unlisted one only when it looks like a contract', async function () {
    client = new TestClient();
    const listed = fileUri('memo.md');
    const unlisted = fileUri('memo.txt');
    const one = '第1条 甲は、乙に通知する。\n'; // one article line: not sniffed as a contract
    client.configuration = { '*': { languages: ['keiyaku', 'markdown'] } };
    await client.initialize(PULL_CONFIG_CAPS);
    await client.open(listed, one, 'markdown');
    await client.open(unlisted, one, 'plaintext');
    await client.pull(listed);
    await client.pull(unlisted);
    const status = (uri: string) => client!.of<StatusParams>('keiyaku/status').filter((s) => s.uri === uri).at(-1);
    assert.strictEqual(status(listed)?.linted, true);
    assert.strictEqual(status(unlisted)?.linted, false);
  });

  it('trace.server: document text in the log only when tracing', async function () {
    const secret = '極秘の取引条件';
    const text = `${GAP}${secret}\n`;
    for (const trace of ['off', 'verbose']) {
      client?.dispose();
      client = new TestClient();
      const uri = fileUri(`trace-${trace}.keiyaku`);
      client.configuration = { [uri]: { trace: { server: trace } } };
      await client.initialize(CONFIG_CAPS);
      await client.open(uri, text);
      await client.waitForDiagnostics(uri);
      await client.connection.sendRequest('shutdown');
      const logs = client.of<LogMessageParams>('window/logMessage').map((l) => l.message);
      const leaked = logs.some((l) => l.includes('第3条'));
      assert.strictEqual(leaked, trace === 'verbose', logs.join('\n'));
    }
  });
});
