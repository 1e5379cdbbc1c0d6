/**
 * Code actions over stdio: their order and titles (Japanese and English), fix all of a rule,
 * ignore here, the documentation, insert-and-renumber for missing-article, fix all auto-fixable
 * (quick fix, `source.fixAll.keiyaku` and the server command), and stale versions refused.
 */
import * as assert from 'assert';
import type { ApplyWorkspaceEditParams, CodeAction, Diagnostic, InitializeResult, PublishDiagnosticsParams, TextEdit } from 'vscode-languageserver-protocol/node';
import { formatMessage, ruleMessageKey } from '../../server/src/engine/i18n/messages';
import type { Fix } from '../../server/src/engine/findings';
import { lint } from '../../server/src/engine/lint';
import { LineIndex } from '../../server/src/engine/text/lines';
import { loadTokenizer } from '../../server/src/engine/tokenizer/kuromoji';
import { rangeOf, sameRange } from '../../server/src/lsp/diagnostics';
import { parseDocument } from '../../server/src/engine/model/parser';
import type { StatusParams } from '../../server/src/lsp/protocol';
import { applyTextEdits, correctedTokuyaku, documentEdit, EDITOR_PUSH_CAPS, titles, withoutArticle } from './editor-helpers';
import { fileUri, requireBundledServer, TestClient } from './helpers';

/**
 * The 特約条項 without 第3条 (later articles renumbered; the last one cites 第4条第1項), a paragraph
 * number in full-width digits and a full-width figure: missing-article and two style/number-width
 * findings with safe fixes, all without the tokenizer.
 */
const DRAFT = withoutArticle(correctedTokuyaku(), 3)
  .replace('\n2 乙は、前項のネットワーク', '\n２ 乙は、前項のネットワーク')
  .replace('業務完了後直ちに', '業務完了後３０日以内に直ちに')
  .replace('乙はこれに従わなければならない。', '乙はこれに従わなければならない。なお、第4条第1項の規定を準用する。');

/**
 * The fixes of the finding behind a published diagnostic, from the engine's own lint of the same
 * text with a tokenizer (diagnostics do not carry their fixes: the server answers from its cache).
 */
async function engineFixes(text: string, d: Diagnostic): Promise<Array<Fix & { ranged: TextEdit[] }>> {
  const lines = new LineIndex(text);
  const r = lint(text, { tokenizer: await loadTokenizer() });
  const f = r.findings.find((x) => x.ruleId === d.code && sameRange(rangeOf(lines, x.span), d.range));
  assert.ok(f, `no engine finding for ${String(d.code)} at ${JSON.stringify(d.range)}`);
  return (f.fixes ?? []).map((fix) => ({ ...fix, ranged: fix.edits.map((e) => ({ range: rangeOf(lines, e.span), newText: e.newText })) }));
}

async function codeActions(client: TestClient, uri: string, d: Diagnostic, only?: string[]): Promise<CodeAction[]> {
  return client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: d.range,
    context: { diagnostics: [d], only },
  });
}

/** Opens `text` and waits for the diagnostics computed once the tokenizer is ready (they no longer change). */
async function openSettled(client: TestClient, uri: string, text = DRAFT): Promise<PublishDiagnosticsParams> {
  await client.open(uri, text);
  const ready = await client.waitFor<StatusParams>('keiyaku/status', (s) => s.uri === uri && s.tokenizer === 'ready', { since: 0, timeoutMs: 30_000 });
  const at = client.received.findIndex((r) => r.params === ready);
  return client.waitForDiagnostics(uri, () => true, { since: at });
}

describe('code actions (stdio)', function () {
  this.timeout(60_000);
  let client: TestClient | undefined;

  before(function () {
    requireBundledServer();
    // the fixture gives what the tests below expect
    const r = lint(DRAFT, { only: ['missing-article', 'style/number-width'] });
    assert.deepStrictEqual(r.findings.map((f) => f.ruleId), ['missing-article', 'style/number-width', 'style/number-width']);
  });

  afterEach(function () {
    client?.dispose();
    client = undefined;
  });

  it('advertises quick fixes and source.fixAll.keiyaku, and the fix-all command', async function () {
    client = new TestClient();
    const init: InitializeResult = await client.initialize(EDITOR_PUSH_CAPS);
    assert.deepStrictEqual(init.capabilities.codeActionProvider, { codeActionKinds: ['quickfix', 'source.fixAll.keiyaku'] });
    assert.deepStrictEqual(init.capabilities.executeCommandProvider?.commands, ['keiyakuLint.server.showRuleDocumentation', 'keiyakuLint.server.fixAll']);
  });

  for (const locale of ['ja', 'en'] as const) {
    it(`orders the actions as vscode-eslint does: fix, fix all of the rule, ignore here, documentation, fix all auto-fixable (${locale})`, async function () {
      client = new TestClient();
      await client.initialize(EDITOR_PUSH_CAPS, { locale });
      const uri = fileUri(`order-${locale}.keiyaku`);
      const p = await openSettled(client, uri);
      const width = p.diagnostics.filter((d) => d.code === 'style/number-width');
      assert.strictEqual(width.length, 2, JSON.stringify(p.diagnostics.map((d) => d.code)));
      const d = width[0];
      const actions = await codeActions(client, uri, d);
      const fix = (await engineFixes(DRAFT, d))[0];
      const expected =
        locale === 'ja'
          ? [
              formatMessage('ja', ruleMessageKey('style/number-width', fix.titleId), fix.data ?? {}),
              'style/number-width の問題をすべて修正（2 件）',
              'この行の style/number-width を無視（keiyaku-lint-disable-next-line）',
              'style/number-width のドキュメントを表示',
              '自動修正可能な問題をすべて修正',
            ]
          : [
              formatMessage('en', ruleMessageKey('style/number-width', fix.titleId), fix.data ?? {}),
              'Fix all style/number-width problems (2)',
              'Ignore style/number-width on this line (keiyaku-lint-disable-next-line)',
              'Show documentation for style/number-width',
              'Fix all auto-fixable problems',
            ];
      assert.deepStrictEqual(titles(actions), expected);
      assert.deepStrictEqual(
        actions.map((a) => [a.kind, a.isPreferred === true, a.edit !== undefined, a.command?.command ?? null]),
        [
          ['quickfix', true, true, null],
          ['quickfix', false, true, null],
          ['quickfix', false, true, null],
          ['quickfix', false, false, 'keiyakuLint.server.showRuleDocumentation'],
          ['quickfix', false, true, null],
        ],
      );
      // every edit is tied to the version the diagnostics were computed for
      for (const a of actions.filter((x) => x.edit)) assert.strictEqual(documentEdit(a.edit, uri).textDocument.version, 1);

      // fix all of the rule: both numbers written in half-width digits
      const all = applyTextEdits(DRAFT, documentEdit(actions[1].edit, uri).edits);
      assert.ok(all.includes('\n2 乙は、前項のネットワーク') && all.includes('業務完了後30日以内に'), all);
      assert.deepStrictEqual(lint(all, { only: ['style/number-width'] }).findings, []);

      // ignore here: the directive line before the finding's line; the finding is gone, nothing else changes
      const ignored = applyTextEdits(DRAFT, documentEdit(actions[2].edit, uri).edits);
      const line = d.range.start.line;
      assert.strictEqual(ignored.split('\n')[line], 'keiyaku-lint-disable-next-line style/number-width');
      const before = lint(DRAFT, { only: ['style/number-width', 'missing-article', 'numbering'] }).findings.length;
      const after = lint(ignored, { only: ['style/number-width', 'missing-article', 'numbering'] }).findings;
      assert.strictEqual(after.length, before - 1);
      assert.ok(!after.some((f) => f.ruleId === 'style/number-width' && f.messageId === 'numbering-to-half'));
    });
  }

  it('offers 「挿入して以降の条を繰り下げる」 for a missing article: inserted, later articles and references renumbered', async function () {
    client = new TestClient();
    await client.initialize(EDITOR_PUSH_CAPS, { locale: 'ja' });
    const uri = fileUri('missing.keiyaku');
    const p = await openSettled(client, uri);
    const d = p.diagnostics.find((x) => x.code === 'missing-article');
    assert.ok(d);
    const actions = await codeActions(client, uri, d);
    assert.deepStrictEqual(titles(actions), [
      '標準の第3条（従事者への教育）を挿入',
      '挿入して以降の条を繰り下げる',
      'この行の missing-article を無視（keiyaku-lint-disable-next-line）',
      'missing-article のドキュメントを表示',
    ]);
    assert.strictEqual(actions[0].isPreferred, true);
    const inserted = applyTextEdits(DRAFT, documentEdit(actions[0].edit, uri).edits);
    assert.deepStrictEqual(
      parseDocument(inserted).articles.map((a) => a.number?.raw),
      ['第1条', '第2条', '第3条', '第3条', '第4条', '第5条', '第6条', '第7条', '第8条', '第9条', '第10条'],
    );
    const renumbered = applyTextEdits(DRAFT, documentEdit(actions[1].edit, uri).edits);
    const doc = parseDocument(renumbered);
    assert.deepStrictEqual(doc.articles.map((a) => a.number?.raw), ['第1条', '第2条', '第3条', '第4条', '第5条', '第6条', '第7条', '第8条', '第9条', '第10条', '第11条']);
    assert.strictEqual(doc.articles[2].heading?.text, '従事者への教育');
    assert.strictEqual(doc.articles[3].heading?.text, '再委託時の特約条項遵守');
    assert.ok(renumbered.includes('なお、第5条第1項の規定を準用する。'), 'the reference follows the article it names');
    assert.deepStrictEqual(lint(renumbered, { only: ['missing-article', 'numbering'] }).findings, []);
  });

  it('applies every safe fix with source.fixAll.keiyaku and with the fix-all command; never for another version', async function () {
    client = new TestClient();
    const applied: ApplyWorkspaceEditParams[] = [];
    client.connection.onRequest('workspace/applyEdit', (params: ApplyWorkspaceEditParams) => {
      applied.push(params);
      return { applied: true };
    });
    await client.initialize(EDITOR_PUSH_CAPS, { locale: 'en' });
    const uri = fileUri('fixall.keiyaku');
    const p = await openSettled(client, uri);
    const safeEdits = new Set<string>();
    for (const d of p.diagnostics) {
      for (const f of await engineFixes(DRAFT, d)) if (f.safe) for (const e of f.ranged) safeEdits.add(JSON.stringify(e));
    }
    const [source] = await codeActions(client, uri, p.diagnostics[0], ['source.fixAll']);
    assert.strictEqual(source.kind, 'source.fixAll.keiyaku');
    assert.strictEqual(source.title, 'Fix all auto-fixable problems');
    const change = documentEdit(source.edit, uri);
    assert.strictEqual(change.textDocument.version, 1);
    // only safe fixes, at least the two number-width ones
    for (const e of change.edits) assert.ok(safeEdits.has(JSON.stringify(e)), `not a safe fix: ${JSON.stringify(e)}`);
    const fixed = applyTextEdits(DRAFT, change.edits);
    assert.ok(fixed.includes('\n2 乙は、前項のネットワーク') && fixed.includes('業務完了後30日以内に'));
    assert.ok(fixed.includes('(再委託時の特約条項遵守)\n第3条'), 'the missing article (not a safe fix) is not inserted');
    // not offered unasked
    assert.deepStrictEqual((await codeActions(client, uri, p.diagnostics[0], ['quickfix'])).filter((a) => a.kind === 'source.fixAll.keiyaku'), []);

    // the server command: refused for another version, applied for this one
    const refused = await client.connection.sendRequest('workspace/executeCommand', { command: 'keiyakuLint.server.fixAll', arguments: [{ uri, version: 7 }] });
    assert.deepStrictEqual(refused, { applied: false, count: 0 });
    assert.strictEqual(applied.length, 0);
    const done = await client.connection.sendRequest<{ applied: boolean; count: number }>('workspace/executeCommand', {
      command: 'keiyakuLint.server.fixAll',
      arguments: [{ uri, version: 1 }],
    });
    assert.strictEqual(done.applied, true);
    assert.ok(done.count >= 2);
    assert.strictEqual(applied.length, 1);
    assert.deepStrictEqual(documentEdit(applied[0].edit, uri), change);
  });

  it('refuses a stale request: no edit when the document changed since the diagnostics', async function () {
    client = new TestClient();
    // a long delay: the edit below is not linted during the test, the cached findings stay those of version 1
    await client.initialize(EDITOR_PUSH_CAPS, { initializationOptions: { keiyakuLint: { delayMs: 10_000 } } });
    const uri = fileUri('stale.keiyaku');
    await client.open(uri, DRAFT);
    const p = await client.waitForDiagnostics(uri, (q) => q.version === 1);
    const d = p.diagnostics.find((x) => x.code === 'style/number-width');
    assert.ok(d);
    const current = await codeActions(client, uri, d);
    assert.ok(current.some((a) => a.edit), 'edits offered for the current version');
    // an edit after the last line: the diagnostic's range still matches its finding
    const lines = DRAFT.split('\n');
    await client.edit(uri, 2, { start: { line: lines.length - 1, character: 0 }, end: { line: lines.length - 1, character: 0 } }, '附則\n');
    const stale = await codeActions(client, uri, d);
    assert.deepStrictEqual(stale.filter((a) => a.edit), []);
    assert.deepStrictEqual(titles(stale), ['style/number-width のドキュメントを表示']);
  });
});
