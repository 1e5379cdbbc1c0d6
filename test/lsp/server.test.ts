/**
 * The language server over stdio: the bundled dist/server.js, spawned with --stdio and driven
 * as an editor would drive it (build first: `node esbuild.mjs`; `npm test` does).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import type {
  CodeAction,
  Diagnostic,
  FullDocumentDiagnosticReport,
  PublishDiagnosticsParams,
  ShowMessageParams,
  LogMessageParams,
  TextDocumentEdit,
} from 'vscode-languageserver-protocol/node';
import { lint } from '../../server/src/engine/lint';
import { findingMessage } from '../../server/src/engine/i18n/messages';
import { LineIndex } from '../../server/src/engine/text/lines';
import type { StatusParams } from '../../server/src/lsp/protocol';
import { TOKEN_CACHE_KEEP_CHARS } from '../../server/src/lsp/server';
import { syntheticContract } from '../../bench/synthetic';
import { fileUri, PULL_CAPS, PUSH_CAPS, requireBundledServer, ROOT, SERVER, TestClient, textAt } from './helpers';

/** Article 2 is missing: the numbering rule reports 第3条. */
const DRAFT = '第1条 甲は、乙に対し、情報を提供する。\n第3条 乙は、情報を管理しなければならない。\n';
const GAP_LINE = 1;
/** Not a contract: no title with 特約条項/特記事項, no article lines. */
const NOTES = '買い物メモ\n第1回の打合せで決まったこと。\n牛乳と卵\n';
/** A plaintext contract: recognised by its title line. */
const TITLED = '情報セキュリティに関する特約条項\n\n第1条 甲は、乙に対し、情報を提供する。\n第3条 乙は、情報を管理しなければならない。\n';

function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return [...ds].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/**
 * What the numbering rule finds in `text`, as comparable strings (code@range). Other rules come
 * and go as the engine grows; numbering is the one these tests pin down.
 */
function expectedNumbering(text: string): string[] {
  const r = lint(text, { tokenizer: null, only: ['numbering'] });
  const lines = new LineIndex(text);
  return r.findings.map((f) => {
    const s = lines.positionAt(f.span.start);
    const e = lines.positionAt(f.span.end);
    return `${f.ruleId}@${s.line}:${s.character}-${e.line}:${e.character}`;
  });
}

function numberingOf(ds: readonly Diagnostic[]): Diagnostic[] {
  return sortDiagnostics(ds.filter((d) => d.code === 'numbering'));
}

/** The numbering finding of DRAFT, from the engine itself. */
function draftGap() {
  return lint(DRAFT, { only: ['numbering'] }).findings[0];
}

function countsOf(ds: readonly Diagnostic[]): StatusParams['counts'] {
  const c = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const d of ds) c[(['error', 'warning', 'information', 'hint'] as const)[(d.severity ?? 1) - 1]]++;
  return c;
}

function keyOf(d: Diagnostic): string {
  return `${String(d.code)}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;
}

describe('language server (stdio)', function () {
  this.timeout(30_000);
  let client: TestClient | undefined;

  before(function () {
    requireBundledServer();
  });

  afterEach(function () {
    client?.dispose();
    client = undefined;
  });

  describe('push mode (client without pull diagnostics)', function () {
    it('answers initialize without a diagnostic provider and publishes versioned diagnostics on open', async function () {
      client = new TestClient();
      const init = await client.initialize(PUSH_CAPS);
      assert.strictEqual(init.capabilities.diagnosticProvider, undefined);
      assert.deepStrictEqual(init.capabilities.textDocumentSync, {
        openClose: true,
        change: 2, // incremental
        save: { includeText: false },
      });

      const uri = fileUri('push.keiyaku');
      await client.open(uri, DRAFT, 'keiyaku', 1);
      const p = await client.waitForDiagnostics(uri);
      assert.strictEqual(p.version, 1);
      const gap = p.diagnostics.find((d) => d.code === 'numbering');
      assert.ok(gap, `no numbering diagnostic in ${JSON.stringify(p.diagnostics)}`);
      assert.strictEqual(gap.range.start.line, GAP_LINE);
      assert.strictEqual(textAt(DRAFT, gap.range), '第3条');
      assert.strictEqual(gap.source, 'keiyaku-lint');
      assert.strictEqual(gap.severity, 2); // warning, the rule's default
      const href = gap.codeDescription?.href ?? '';
      assert.ok(href.startsWith('file:///'), href);
      assert.strictEqual(fileURLToPath(href), path.join(ROOT, 'docs', 'rules', 'numbering.md'));
      // Japanese by default (no locale in initialize).
      assert.match(gap.message, /[\u3040-\u30ff]/);
      assert.strictEqual(gap.message, findingMessage('ja', draftGap()));
      // the rule and version only: fixes are answered from the server's cache, not carried along
      assert.deepStrictEqual(gap.data, { ruleId: 'numbering', version: 1 });
    });

    it('debounces rapid edits: the last diagnostics match the final text and carry its version', async function () {
      client = new TestClient();
      await client.initialize(PUSH_CAPS);
      const uri = fileUri('rapid.keiyaku');
      let text = DRAFT;
      await client.open(uri, text, 'keiyaku', 1);
      await client.waitForDiagnostics(uri, (p) => p.version === 1);

      // Five quick edits, incremental: renumber the second article 3 → 4 → 5 → 2 → 6 → 2.
      const numbers = ['4', '5', '2', '6', '2'];
      let version = 1;
      for (const n of numbers) {
        version++;
        const lines = text.split('\n');
        lines[1] = `第${n}条` + lines[1].slice(3);
        text = lines.join('\n');
        await client.edit(uri, version, { start: { line: 1, character: 1 }, end: { line: 1, character: 2 } }, n);
      }
      const since = client.received.length;
      const final = await client.waitForDiagnostics(uri, (p) => p.version === version, { since: 0 });
      assert.deepStrictEqual(numberingOf(final.diagnostics), []); // 第1条, 第2条: nothing to report
      assert.deepStrictEqual(expectedNumbering(text), []);

      // Then one more edit that reintroduces a gap; its diagnostics must point at it.
      version++;
      await client.edit(uri, version, { start: { line: 1, character: 1 }, end: { line: 1, character: 2 } }, '9');
      text = text.replace('第2条', '第9条');
      const again = await client.waitForDiagnostics(uri, (p) => p.version === version, { since });
      const gaps = numberingOf(again.diagnostics);
      assert.deepStrictEqual(gaps.map(keyOf), expectedNumbering(text));
      assert.strictEqual(textAt(text, gaps[0].range), '第9条');

      // Never a publication older than one already made, and none for the intermediate versions
      // (they were superseded within the debounce delay).
      const versions = client.published(uri).map((p) => p.version ?? -1);
      for (let i = 1; i < versions.length; i++) assert.ok(versions[i] >= versions[i - 1], `versions went back: ${versions}`);
      assert.deepStrictEqual(versions.filter((v) => v > 1 && v < 6), [], `intermediate versions published: ${versions}`);
    });

    it('gives no diagnostics to a plaintext note, but lints a plaintext contract', async function () {
      client = new TestClient();
      await client.initialize(PUSH_CAPS);
      const notes = fileUri('notes.txt');
      const contract = fileUri('contract.txt');
      const md = fileUri('contract.md');
      await client.open(notes, NOTES, 'plaintext');
      await client.open(contract, TITLED, 'plaintext');
      await client.open(md, DRAFT, 'markdown'); // two article lines
      const p = await client.waitForDiagnostics(contract);
      assert.ok(p.diagnostics.some((d) => d.code === 'numbering'));
      const m = await client.waitForDiagnostics(md);
      assert.ok(m.diagnostics.some((d) => d.code === 'numbering'));
      // The note was opened first; with equal delays it would have been published first.
      assert.deepStrictEqual(client.published(notes), []);
      // And its status says it is not linted.
      const status = client.of<StatusParams>('keiyaku/status').filter((s) => s.uri === notes);
      assert.ok(status.length > 0 && status.every((s) => !s.linted && s.template === null && s.counts.warning === 0));
    });

    it('lints any language listed in keiyakuLint.languages (initializationOptions)', async function () {
      client = new TestClient();
      await client.initialize(PUSH_CAPS, { initializationOptions: { settings: { keiyakuLint: { languages: ['keiyaku', 'plaintext'] } } } });
      const uri = fileUri('gap-note.txt');
      await client.open(uri, '第1条 甲は、乙に対し、情報を提供する。\n', 'plaintext');
      const p = await client.waitForDiagnostics(uri);
      assert.strictEqual(p.version, 1); // linted (nothing to report, but published)
      const other = fileUri('other.js');
      await client.open(other, DRAFT, 'javascript');
      await client.open(fileUri('marker.keiyaku'), DRAFT);
      await client.waitForDiagnostics(fileUri('marker.keiyaku'));
      assert.deepStrictEqual(client.published(other), []);
    });

    it('honours run = onSave: edits are linted when saved', async function () {
      client = new TestClient();
      await client.initialize(PUSH_CAPS, { initializationOptions: { keiyakuLint: { run: 'onSave', delayMs: 0 } } });
      const uri = fileUri('onsave.keiyaku');
      await client.open(uri, DRAFT);
      await client.waitForDiagnostics(uri, (p) => p.version === 1); // opening is linted
      const fixed = DRAFT.replace('第3条', '第2条');
      await client.replaceAll(uri, 2, fixed);
      // Not linted on change: save a marker document and wait for it to prove the server got there.
      const marker = fileUri('onsave-marker.keiyaku');
      await client.open(marker, DRAFT);
      await client.waitForDiagnostics(marker);
      assert.deepStrictEqual(client.published(uri).map((p) => p.version), [1]);
      await client.save(uri);
      const p = await client.waitForDiagnostics(uri, (q) => q.version === 2);
      assert.deepStrictEqual(numberingOf(p.diagnostics), []);
    });

    it('re-lints on didChangeConfiguration, with settings from workspace/configuration per document', async function () {
      client = new TestClient();
      const uri = fileUri('config.keiyaku');
      client.configuration = { [uri]: { rules: { numbering: 'error' } } };
      await client.initialize({ ...PUSH_CAPS, workspace: { ...PUSH_CAPS.workspace, configuration: true } });
      await client.open(uri, DRAFT);
      const first = await client.waitForDiagnostics(uri);
      assert.strictEqual(numberingOf(first.diagnostics)[0]?.severity, 1); // error, from the setting
      const asked = client.of<{ items: { scopeUri?: string; section?: string }[] }>('workspace/configuration');
      assert.ok(asked.some((a) => a.items.some((i) => i.scopeUri === uri && i.section === 'keiyakuLint')));

      client.configuration = { [uri]: { rules: { numbering: 'off' } } };
      const since = client.received.length;
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      const second = await client.waitForDiagnostics(uri, () => true, { since });
      assert.deepStrictEqual(numberingOf(second.diagnostics), []);
      assert.ok(second.diagnostics.length < first.diagnostics.length);
      assert.strictEqual(second.version, 1);
    });

    it('offers a versioned quick fix and the rule documentation as code actions', async function () {
      client = new TestClient();
      await client.initialize(PUSH_CAPS, { locale: 'en' });
      const uri = fileUri('actions.keiyaku');
      await client.open(uri, DRAFT);
      const p = await client.waitForDiagnostics(uri);
      const gap = p.diagnostics.find((d) => d.code === 'numbering')!;
      const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: gap.range,
        context: { diagnostics: [gap] },
      });
      const fix = actions.find((a) => a.edit);
      assert.ok(fix, JSON.stringify(actions));
      assert.strictEqual(fix.kind, 'quickfix');
      assert.strictEqual(fix.isPreferred, true);
      assert.strictEqual(fix.title, 'Change the number to “第2条”');
      const change = fix.edit!.documentChanges![0] as TextDocumentEdit;
      assert.deepStrictEqual(change.textDocument, { uri, version: 1 });
      assert.deepStrictEqual(change.edits, [{ range: gap.range, newText: '第2条' }]);
      const docs = actions.find((a) => a.command);
      assert.ok(docs);
      assert.strictEqual(docs.title, 'Show documentation for numbering');
      assert.deepStrictEqual(docs.command!.arguments, ['numbering']);
      const init = await client.connection.sendRequest<null>('workspace/executeCommand', {
        command: docs.command!.command,
        arguments: ['numbering'],
      });
      assert.strictEqual(init, null);
      // Without window.showDocument support the location is shown as a message.
      const shown = await client.waitFor<ShowMessageParams>('window/showMessage', () => true, { since: 0 });
      assert.ok(shown.message.includes('docs/rules/numbering.md'), shown.message);

      // An edit makes the cached result stale: only the docs action is offered for old diagnostics
      // that no longer match, never an edit for the wrong version.
      await client.replaceAll(uri, 2, `\n${DRAFT}`);
      await client.waitForDiagnostics(uri, (q) => q.version === 2);
      const stale = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: gap.range,
        context: { diagnostics: [gap] },
      });
      assert.deepStrictEqual(stale.filter((a) => a.edit), []);
    });

    it('exits with code 0 after shutdown and exit, and with 1 after exit alone', async function () {
      client = new TestClient();
      await client.initialize(PUSH_CAPS);
      await client.open(fileUri('bye.keiyaku'), DRAFT);
      assert.strictEqual(await client.shutdownAndExit(), 0);
      client.dispose();

      client = new TestClient();
      await client.initialize(PUSH_CAPS);
      await client.connection.sendNotification('exit');
      assert.strictEqual(await client.waitForExit(), 1);
    });
  });

  describe('pull mode (client with textDocument/diagnostic)', function () {
    it('registers a diagnostic provider and answers pulls, in English when asked', async function () {
      client = new TestClient();
      const init = await client.initialize(PULL_CAPS, { locale: 'en-US' });
      assert.deepStrictEqual(init.capabilities.diagnosticProvider, {
        identifier: 'keiyaku-lint',
        interFileDependencies: false,
        workspaceDiagnostics: false,
      });
      const uri = fileUri('pull.keiyaku');
      await client.open(uri, DRAFT);
      const report = (await client.pull(uri)) as FullDocumentDiagnosticReport;
      assert.strictEqual(report.kind, 'full');
      const gap = report.items.find((d) => d.code === 'numbering');
      assert.ok(gap);
      assert.strictEqual(textAt(DRAFT, gap.range), '第3条');
      assert.strictEqual(gap.message, findingMessage('en', draftGap()));
      assert.doesNotMatch(gap.message, /[\u3040-\u309f]/); // no hiragana: English text
      assert.ok(gap.codeDescription?.href.endsWith('/docs/rules/numbering.md'));

      // Same version, same settings: `unchanged`.
      const again = await client.pull(uri, report.resultId);
      assert.deepStrictEqual(again, { kind: 'unchanged', resultId: report.resultId });
      // A pull client gets no pushed diagnostics.
      assert.deepStrictEqual(client.of('textDocument/publishDiagnostics'), []);
    });

    it('works over node-ipc, the transport the VS Code client uses', async function () {
      client = new TestClient({ transport: 'ipc' });
      const init = await client.initialize(PULL_CAPS);
      assert.ok(init.capabilities.diagnosticProvider);
      const uri = fileUri('ipc.keiyaku');
      await client.open(uri, DRAFT);
      const report = (await client.pull(uri)) as FullDocumentDiagnosticReport;
      assert.strictEqual(textAt(DRAFT, numberingOf(report.items)[0].range), '第3条');
      assert.strictEqual(await client.shutdownAndExit(), 0);
    });

    it('answers an empty report for a non-contract and for an unknown document', async function () {
      client = new TestClient();
      await client.initialize(PULL_CAPS);
      const notes = fileUri('notes.md');
      await client.open(notes, NOTES, 'markdown');
      assert.deepStrictEqual((await client.pull(notes)) as FullDocumentDiagnosticReport, {
        kind: 'full',
        resultId: (await client.pull(notes) as FullDocumentDiagnosticReport).resultId,
        items: [],
      });
      const unknown = (await client.pull(fileUri('never-opened.keiyaku'))) as FullDocumentDiagnosticReport;
      assert.deepStrictEqual(unknown.items, []);
    });

    it('after rapid edits, a pull reports the final text', async function () {
      client = new TestClient();
      await client.initialize(PULL_CAPS, { initializationOptions: { keiyakuLint: { delayMs: 50 } } });
      const uri = fileUri('pull-rapid.keiyaku');
      await client.open(uri, DRAFT);
      const first = client.pull(uri); // in flight while the edits arrive
      let text = DRAFT;
      for (let v = 2; v <= 6; v++) {
        const n = String(v + 2); // 第4条 … 第8条
        text = text.replace(/第\d条 乙/, `第${n}条 乙`);
        await client.edit(uri, v, { start: { line: 1, character: 1 }, end: { line: 1, character: 2 } }, n);
      }
      await first.catch(() => undefined); // may answer for an older version or be cancelled
      const last = (await client.pull(uri)) as FullDocumentDiagnosticReport;
      const gaps = numberingOf(last.items);
      assert.deepStrictEqual(gaps.map(keyOf), expectedNumbering(text));
      assert.strictEqual(textAt(text, gaps[0].range), '第8条');
      assert.strictEqual((gaps[0].data as { version: number }).version, 6);
    });

    it('honours cancellation of a pending pull', async function () {
      client = new TestClient();
      await client.initialize(PULL_CAPS, { initializationOptions: { keiyakuLint: { delayMs: 2000 } } });
      const uri = fileUri('cancel.keiyaku');
      await client.open(uri, DRAFT);
      await client.edit(uri, 2, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, ' ');
      // The server waits delayMs after an edit; cancel the request meanwhile.
      const { CancellationTokenSource } = await import('vscode-languageserver-protocol/node');
      const cts = new CancellationTokenSource();
      const started = performance.now();
      const pending = client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } }, cts.token);
      setTimeout(() => cts.cancel(), 50);
      await assert.rejects(pending, (e: { code?: number }) => e.code === -32800); // RequestCancelled
      assert.ok(performance.now() - started < 1500, 'the cancelled pull was not answered early');
    });
  });

  describe('templates', function () {
    it('reports the chosen template in keiyaku/status and answers keiyaku/canonicalText', async function () {
      client = new TestClient();
      await client.initialize(PULL_CAPS);
      const uri = fileUri('titled.keiyaku');
      await client.open(uri, TITLED);
      await client.pull(uri);
      const st = await client.waitFor<StatusParams>('keiyaku/status', (s) => s.uri === uri, { since: 0 });
      assert.strictEqual(st.template, 'tokuyaku');
      const canonical = await client.connection.sendRequest<{
        template: string;
        name?: string;
        text: string;
        articles?: { ref: string; heading?: string; text: string }[];
      } | null>('keiyaku/canonicalText', { uri });
      assert.ok(canonical);
      assert.strictEqual(canonical.template, 'tokuyaku');
      assert.strictEqual(canonical.name, '情報セキュリティに関する特約条項');
      assert.strictEqual(canonical.articles?.length, 11);
      assert.strictEqual(canonical.articles?.[0].ref, '第1条');
      assert.strictEqual(canonical.articles?.[0].heading, '総則');
      assert.match(canonical.articles?.[0].text ?? '', /^\(総則\)\n第1条 /);
      // The errata are corrected (the published text has 「定めるものの他」).
      assert.ok(!canonical.text.includes('定めるものの他') && canonical.text.includes('定めるもののほか'));
      // Not a contract: no canonical text.
      const notes = fileUri('notes-canon.txt');
      await client.open(notes, NOTES, 'plaintext');
      assert.strictEqual(await client.connection.sendRequest('keiyaku/canonicalText', { uri: notes }), null);
    });

    it('reads keiyakuLint.customTemplates relative to the workspace folder, and says when one is unreadable', async function () {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keiyaku-ws-'));
      try {
        fs.mkdirSync(path.join(dir, 'templates'));
        fs.writeFileSync(path.join(dir, 'templates', 'ours.txt'), '\ufeff当社標準条項\n第1条 甲は、乙に対し、情報を提供する。\n第2条 乙は、情報を管理しなければならない。\n');
        const folder = pathToFileURL(dir).toString();
        const uri = pathToFileURL(path.join(dir, 'draft.keiyaku')).toString();
        client = new TestClient();
        client.configuration = {
          [uri]: {
            template: 'ours',
            customTemplates: [
              { id: 'ours', name: '当社標準', path: 'templates/ours.txt' },
              { id: 'gone', path: 'templates/missing.txt' },
            ],
          },
        };
        await client.initialize(
          { ...PUSH_CAPS, workspace: { ...PUSH_CAPS.workspace, configuration: true } },
          { locale: 'en', workspaceFolders: [{ uri: folder, name: 'ws' }] },
        );
        await client.open(uri, DRAFT);
        await client.waitForDiagnostics(uri);
        const st = await client.waitFor<StatusParams>('keiyaku/status', (s) => s.uri === uri, { since: 0 });
        assert.strictEqual(st.template, 'ours');
        const warn = await client.waitFor<ShowMessageParams>('window/showMessage', () => true, { since: 0 });
        assert.strictEqual(warn.type, 2); // Warning
        assert.ok(warn.message.includes('gone') && warn.message.includes('missing.txt'), warn.message);
        const canonical = await client.connection.sendRequest<{ template: string; name?: string; articles?: unknown[] }>(
          'keiyaku/canonicalText',
          { uri },
        );
        assert.deepStrictEqual([canonical.template, canonical.name, canonical.articles?.length], ['ours', '当社標準', 2]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('tokenizer', function () {
    it('serves structural diagnostics before the tokenizer is ready, then refreshes (pull) and reports status', async function () {
      client = new TestClient();
      await client.initialize(PULL_CAPS);
      const uri = fileUri('tok.keiyaku');
      await client.open(uri, DRAFT);
      const report = (await client.pull(uri)) as FullDocumentDiagnosticReport;
      assert.ok(report.items.some((d) => d.code === 'numbering'));
      const s1 = await client.waitFor<StatusParams>('keiyaku/status', (s) => s.uri === uri, { since: 0 });
      assert.strictEqual(s1.tokenizer, 'loading');
      assert.strictEqual(s1.linted, true);
      assert.deepStrictEqual(s1.counts, countsOf(report.items));
      assert.ok(s1.counts.warning >= 1);
      await client.waitFor('workspace/diagnostic/refresh', () => true, { since: 0, timeoutMs: 20_000 });
      const again = (await client.pull(uri, report.resultId)) as FullDocumentDiagnosticReport;
      assert.strictEqual(again.kind, 'full'); // new tokenizer → a new result
      const s2 = await client.waitFor<StatusParams>('keiyaku/status', (s) => s.uri === uri && s.tokenizer === 'ready', { since: 0 });
      assert.strictEqual(s2.version, 1);
    });

    it('re-publishes open documents when the tokenizer is ready (push)', async function () {
      client = new TestClient();
      await client.initialize(PUSH_CAPS);
      const uri = fileUri('tok-push.keiyaku');
      await client.open(uri, DRAFT);
      await client.waitForDiagnostics(uri);
      await client.waitFor<StatusParams>('keiyaku/status', (s) => s.uri === uri && s.tokenizer === 'ready', { since: 0, timeoutMs: 20_000 });
      await client.waitFor(
        'textDocument/publishDiagnostics',
        () => client!.published(uri).length >= 2,
        { since: 0 },
      );
      const all = client.published(uri);
      assert.ok(all.length >= 2 && all.every((p) => p.version === 1));
    });

    it('keeps serving structural rules with one localized error when the dictionary is missing', async function () {
      // The bundle alone, without dist/dict next to it and no node_modules above it.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keiyaku-nodict-'));
      fs.copyFileSync(SERVER, path.join(dir, 'server.js'));
      try {
        client = new TestClient({ serverPath: path.join(dir, 'server.js'), cwd: dir });
        await client.initialize(PUSH_CAPS, { locale: 'ja' });
        const a = fileUri('nodict-a.keiyaku');
        const b = fileUri('nodict-b.keiyaku');
        await client.open(a, DRAFT);
        const pa = await client.waitForDiagnostics(a);
        assert.ok(pa.diagnostics.some((d) => d.code === 'numbering'));
        const shown = await client.waitFor<ShowMessageParams>('window/showMessage', () => true, { since: 0 });
        assert.strictEqual(shown.type, 1); // Error
        assert.match(shown.message, /辞書/);
        await client.open(b, DRAFT);
        const pb = await client.waitForDiagnostics(b);
        assert.ok(pb.diagnostics.some((d) => d.code === 'numbering'));
        const st = await client.waitFor<StatusParams>('keiyaku/status', (s) => s.uri === b, { since: 0 });
        assert.strictEqual(st.tokenizer, 'failed');
        assert.strictEqual(client.of('window/showMessage').length, 1);
        assert.strictEqual(await client.shutdownAndExit(), 0);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('logging and robustness', function () {
    it('logs counts and timings but no document text unless tracing', async function () {
      const secret = '秘密保持の対象となる極秘案件';
      const text = `${DRAFT}${secret}\n`;
      client = new TestClient();
      await client.initialize(PUSH_CAPS);
      const uri = fileUri('secret.keiyaku');
      await client.open(uri, text);
      await client.waitForDiagnostics(uri);
      await client.connection.sendRequest('shutdown');
      const logs = client.of<LogMessageParams>('window/logMessage').map((l) => l.message);
      assert.ok(logs.some((l) => /lint .* v1: .*findings.* ms/.test(l)), logs.join('\n'));
      for (const l of logs) {
        assert.ok(!l.includes(secret) && !l.includes('甲は'), `document text in the log: ${l}`);
      }
      assert.ok(!client.stderr.join('').includes(secret));

      client.dispose();
      client = new TestClient();
      await client.initialize(PUSH_CAPS, { trace: 'verbose' });
      await client.open(uri, text);
      await client.waitForDiagnostics(uri);
      await client.connection.sendRequest('shutdown');
      const traced = client.of<LogMessageParams>('window/logMessage').map((l) => l.message);
      assert.ok(traced.some((l) => l.includes('第3条')), traced.join('\n'));
    });

    it('keeps the findings between edits, not the whole document\'s tokens', async function () {
      this.timeout(120_000);
      const text = syntheticContract(600 * 1024);
      assert.ok(text.length > 2 * TOKEN_CACHE_KEEP_CHARS, `${text.length} chars`);
      const c = new TestClient();
      client = c;
      await c.initialize(PUSH_CAPS, { initializationOptions: { keiyakuLint: { delayMs: 0 } } });
      const uri = fileUri('big.keiyaku');
      await c.open(uri, text);
      const kept = async (): Promise<number[]> => {
        await c.waitFor<LogMessageParams>('window/logMessage', (l) => /tokens kept for/.test(l.message), { since: 0, timeoutMs: 100_000 });
        return c
          .of<LogMessageParams>('window/logMessage')
          .map((l) => /tokens kept for (\d+) chars/.exec(l.message))
          .filter((m): m is RegExpExecArray => m !== null)
          .map((m) => Number(m[1]));
      };
      const after = await kept();
      assert.ok(after.length >= 1 && after.every((n) => n <= TOKEN_CACHE_KEEP_CHARS), after.join(', '));
      await c.connection.sendRequest('shutdown');
    });

    it('survives odd input and requests for unknown documents', async function () {
      client = new TestClient();
      await client.initialize(PUSH_CAPS);
      const odd = fileUri('odd.keiyaku');
      await client.open(odd, '\u0000\u0001\ud800第\n第１\n第一条の\n\r\n\r第 ');
      await client.waitForDiagnostics(odd);
      const none = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri: fileUri('unknown.keiyaku') },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics: [] },
      });
      assert.deepStrictEqual(none, []);
      // Still serving.
      const uri = fileUri('after-odd.keiyaku');
      await client.open(uri, DRAFT);
      const p: PublishDiagnosticsParams = await client.waitForDiagnostics(uri);
      assert.strictEqual(numberingOf(p.diagnostics).length, 1);
      assert.strictEqual(await client.shutdownAndExit(), 0);
    });
  });
});
