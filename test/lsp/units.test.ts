/**
 * The language server's pure parts, without a process: document selection, settings,
 * diagnostics mapping, code actions, custom templates.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Finding } from '../../server/src/engine/findings';
import { LineIndex } from '../../server/src/engine/text/lines';
import { getTemplate } from '../../server/src/engine/templates';
import { canonicalTextOf } from '../../server/src/lsp/canonical';
import { codeActionsFor, SHOW_DOCS_COMMAND, wantsQuickFix } from '../../server/src/lsp/codeActions';
import { baseDirFor, loadCustomTemplates, normalizeCustomTemplates } from '../../server/src/lsp/customTemplates';
import { diagnosticMessage, MAX_RELATED, toDiagnostic, toDiagnostics } from '../../server/src/lsp/diagnostics';
import { looksLikeContract, shouldLint } from '../../server/src/lsp/selection';
import { normalizeSettings, settingsFromInitOptions, toLintSettings } from '../../server/src/lsp/settings';

describe('language server units', function () {
  describe('selection', function () {
    it('recognises contracts by title or by two article lines', function () {
      const yes = [
        '情報セキュリティに関する特約条項\n本文',
        '別記\n\n情報セキュリティに関する特記事項\n',
        '# 情報セキュリティに関する特記事項\n',
        '第1条 甲は…\n第2条 乙は…\n',
        '（総則）\n第１ この特記事項は…\n（基本的事項）\n第２ 受注者は…\n',
        '第一条　甲は\n第二条　乙は\n',
        '第 10 発注者は\n第 11 受注者は\n',
        '第3条の2 甲は\n第4条 乙は\n',
        '## 第1条 (総則)\n## 第2条\n',
      ];
      for (const t of yes) assert.ok(looksLikeContract(t), t);
      const no = [
        '',
        '買い物メモ\n牛乳\n',
        '第1回の打合せ\n第2回の打合せ\n',
        '第1条 甲は…\n',
        '本文中で特記事項に言及するだけの長い文章です。これはタイトルではありません。\n',
        '今期は第2四半期\n第3四半期\n',
        'x\n'.repeat(100) + '情報セキュリティに関する特約条項\n', // a title is near the top
      ];
      for (const t of no) assert.ok(!looksLikeContract(t), t);
    });

    it('always lints keiyaku and listed languages, sniffs plaintext and markdown, ignores the rest', function () {
      const contract = '第1条 甲は\n第2条 乙は\n';
      assert.ok(shouldLint('keiyaku', 'anything', ['keiyaku']));
      assert.ok(shouldLint('keiyaku', 'anything', []));
      assert.ok(shouldLint('plaintext', contract, ['keiyaku']));
      assert.ok(shouldLint('markdown', contract, ['keiyaku']));
      assert.ok(!shouldLint('plaintext', 'メモ', ['keiyaku']));
      assert.ok(shouldLint('plaintext', 'メモ', ['keiyaku', 'plaintext']));
      assert.ok(!shouldLint('javascript', contract, ['keiyaku']));
      assert.ok(shouldLint('latex', 'x', ['latex']));
    });
  });

  describe('settings', function () {
    it('falls back field by field on invalid values', function () {
      const s = normalizeSettings({
        template: 'tokki',
        rules: { numbering: 'error', 'style/notation': 'off', bogus: 'loud' },
        run: 'sometimes',
        delayMs: 99_999,
        languages: ['keiyaku', 3, 'plaintext'],
        style: 'off',
        maxFileSizeKB: -1,
        trace: { server: 'verbose' },
        customTemplates: [{ id: 'a', path: 'a.txt' }, { id: '../bad', path: 'x' }, { id: 'b' }],
      });
      assert.deepStrictEqual(s, {
        template: 'tokki',
        rules: { numbering: 'error', 'style/notation': 'off' },
        run: 'onType',
        delayMs: 10_000,
        languages: ['keiyaku', 'plaintext'],
        style: 'off',
        maxFileSizeKB: 2048,
        customTemplates: [{ id: 'a', name: undefined, path: 'a.txt' }],
        trace: { server: 'verbose' },
      });
      assert.deepStrictEqual(normalizeSettings(null).rules, {});
      assert.strictEqual(normalizeSettings({ rules: 'hint' }).rules, 'hint');
      assert.strictEqual(normalizeSettings({ 'trace.server': 'messages' }).trace.server, 'messages');
    });

    it('maps to the engine settings (KB → characters, defaults equal on both sides)', function () {
      assert.deepStrictEqual(toLintSettings(normalizeSettings({})), {
        template: 'auto',
        rules: {},
        style: 'kobun',
        maxChars: 2 * 1024 * 1024,
      });
      assert.strictEqual(toLintSettings(normalizeSettings({ maxFileSizeKB: 1.5 })).maxChars, 1536);
    });

    it('finds the section in the shapes of initializationOptions', function () {
      const section = { run: 'onSave' };
      assert.strictEqual(settingsFromInitOptions({ settings: { keiyakuLint: section } }), section);
      assert.strictEqual(settingsFromInitOptions({ keiyakuLint: section }), section);
      assert.strictEqual(settingsFromInitOptions(section), section);
      assert.strictEqual(settingsFromInitOptions(undefined), undefined);
    });
  });

  describe('diagnostics and code actions', function () {
    const text = '第1条 甲は、情報を提供する。\n第3条 乙は、𠮷野を管理する。\n';
    const lines = new LineIndex(text);
    const start = text.indexOf('第3条');
    const finding: Finding = {
      ruleId: 'numbering',
      level: 'warning',
      messageId: 'gap',
      data: { number: '第3条', expected: '第2条' },
      span: { start, end: start + 3 },
      ref: '第2条',
      canonical: '乙は、情報を管理しなければならない。',
      fixes: [
        { titleId: 'fix-number', data: { expected: '第2条' }, edits: [{ span: { start, end: start + 3 }, newText: '第2条' }], safe: false },
        { titleId: 'fix-number', data: { expected: '第4条' }, edits: [{ span: { start, end: start + 3 }, newText: '第4条' }], safe: false },
      ],
      related: [{ span: { start: 0, end: 3 }, messageId: 'gap', data: { number: '第1条', expected: '-' } }, { messageId: 'gap' }],
    };
    const ctx = { uri: 'file:///d.keiyaku', version: 7, locale: 'en' as const, lines, docsRoot: '/ext', relatedInformation: true };

    it('maps a finding: range over the original characters, severity, code, href, message with the canonical text, data', function () {
      const d = toDiagnostic(finding, ctx);
      assert.deepStrictEqual(d.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } });
      assert.strictEqual(d.severity, 2);
      assert.strictEqual(d.code, 'numbering');
      assert.strictEqual(d.source, 'keiyaku-lint');
      assert.strictEqual(d.codeDescription?.href, pathToFileURL('/ext/docs/rules/numbering.md').toString());
      assert.strictEqual(d.message.split('\n')[1], 'Standard text: 乙は、情報を管理しなければならない。');
      assert.strictEqual(diagnosticMessage('ja', finding).split('\n')[1], '標準文: 乙は、情報を管理しなければならない。');
      assert.deepStrictEqual(d.relatedInformation?.map((r) => r.location.range.end), [{ line: 0, character: 3 }]);
      // rule, reference and version; not the fixes (code actions read them from the server's cache)
      assert.deepStrictEqual(d.data, { ruleId: 'numbering', ref: '第2条', version: 7 });
      // A character after a surrogate pair: UTF-16 columns.
      const k = text.indexOf('野');
      const d2 = toDiagnostic({ ...finding, span: { start: k, end: k + 1 } }, ctx);
      assert.deepStrictEqual(d2.range.start, { line: 1, character: 9 }); // 𠮷 is two UTF-16 units
    });

    it(`lists at most ${MAX_RELATED} related locations, then one entry with the count of the rest at the diagnostic itself`, function () {
      const many = (n: number): Finding => ({ ...finding, related: Array.from({ length: n }, (_, i) => ({ span: { start: i % 3, end: (i % 3) + 1 }, messageId: 'gap', data: { number: `第${i}条`, expected: '-' } })) });
      assert.strictEqual(toDiagnostic(many(MAX_RELATED), ctx).relatedInformation?.length, MAX_RELATED);
      const d = toDiagnostic(many(MAX_RELATED + 70), ctx);
      const rel = d.relatedInformation ?? [];
      assert.strictEqual(rel.length, MAX_RELATED + 1);
      assert.match(rel[MAX_RELATED - 1].message, new RegExp(`第${MAX_RELATED - 1}条`), 'the first ones, in order');
      assert.deepStrictEqual(rel[MAX_RELATED], { location: { uri: ctx.uri, range: d.range }, message: 'and 70 more places (not listed)' });
      assert.strictEqual(toDiagnostic(many(MAX_RELATED + 70), { ...ctx, locale: 'ja' }).relatedInformation?.[MAX_RELATED].message, 'ほか 70 箇所（一覧は省略）');
    });

    it('gives one quick fix per fix (first preferred, versioned), an ignore action per line and one docs action per rule', function () {
      const diagnostics = toDiagnostics([finding], ctx);
      const cache = { uri: ctx.uri, version: 7, lines, findings: [finding], diagnostics };
      const actions = codeActionsFor(cache, [diagnostics[0], diagnostics[0]], { locale: 'en', documentChanges: true, currentVersion: 7 });
      assert.deepStrictEqual(
        actions.map((a) => [a.title, a.isPreferred ?? false, a.command?.command ?? null]),
        [
          ['Change the number to “第2条”', true, null],
          ['Change the number to “第4条”', false, null],
          ['Renumber articles and update references (1 numbers, 0 references)', false, null],
          ['Change the number to “第2条”', true, null],
          ['Change the number to “第4条”', false, null],
          ['Ignore numbering on this line (keiyaku-lint-disable-next-line)', false, null],
          ['Show documentation for numbering', false, SHOW_DOCS_COMMAND],
        ],
      );
      const edit = actions[0].edit?.documentChanges?.[0];
      assert.deepStrictEqual(edit && 'textDocument' in edit ? edit.textDocument : null, { uri: ctx.uri, version: 7 });
      // Without versioned edits, a fix computed for an older version is not offered.
      const old = codeActionsFor(cache, diagnostics, { locale: 'en', documentChanges: false, currentVersion: 8 });
      assert.deepStrictEqual(old.map((a) => a.title), ['Show documentation for numbering']);
      const now = codeActionsFor(cache, diagnostics, { locale: 'ja', documentChanges: false, currentVersion: 7 });
      assert.ok(now[0].edit?.changes?.[ctx.uri]);
      assert.strictEqual(now[4].title, 'numbering のドキュメントを表示');
      // the renumber action: one edit of the whole document (the 3 of 第3条 becomes 2)
      const renumbered = actions[2].edit?.documentChanges?.[0];
      assert.deepStrictEqual(renumbered && 'edits' in renumbered ? renumbered.edits.map((e) => e.newText) : null, ['2']);
      // A diagnostic from elsewhere, or a different message, is not ours.
      assert.deepStrictEqual(codeActionsFor(cache, [{ ...diagnostics[0], source: 'other' }], { locale: 'en', documentChanges: true, currentVersion: 7 }), []);
      const moved = codeActionsFor(cache, [{ ...diagnostics[0], message: 'old' }], { locale: 'en', documentChanges: true, currentVersion: 7 });
      assert.deepStrictEqual(moved.map((a) => a.command?.command), [SHOW_DOCS_COMMAND]);
    });

    it('filters by the requested kinds', function () {
      assert.ok(wantsQuickFix(undefined));
      assert.ok(wantsQuickFix(['quickfix']));
      assert.ok(wantsQuickFix(['']));
      assert.ok(!wantsQuickFix(['source.fixAll']));
      assert.ok(!wantsQuickFix(['refactor']));
    });
  });

  describe('custom templates and canonical text', function () {
    let dir: string;
    before(function () {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keiyaku-ct-'));
      fs.writeFileSync(path.join(dir, 'ok.txt'), '\ufeff第1条 甲は\n');
      fs.writeFileSync(path.join(dir, 'sjis.txt'), Buffer.from([0x91, 0xe6, 0x31, 0x8f, 0xf0]));
      fs.writeFileSync(path.join(dir, 'bin.txt'), Buffer.from([0x41, 0, 0x42]));
    });
    after(function () {
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('reads UTF-8 text files and explains the others without their contents', async function () {
      const entries = normalizeCustomTemplates([
        { id: 'ok', name: 'OK', path: 'ok.txt' },
        { id: 'sjis', path: 'sjis.txt' },
        { id: 'bin', path: path.join(dir, 'bin.txt') },
        { id: 'none', path: 'none.txt' },
      ]);
      const loaded = await loadCustomTemplates(entries, dir, 1000);
      assert.deepStrictEqual(loaded.sources, [{ id: 'ok', name: 'OK', text: '第1条 甲は\n' }]);
      assert.deepStrictEqual(
        loaded.problems.map((p) => [p.id, p.reason]),
        [
          ['sjis', 'not UTF-8 text'],
          ['bin', 'binary data, not text'],
          ['none', 'ENOENT'],
        ],
      );
      const relativeNoBase = await loadCustomTemplates(entries.slice(0, 1), undefined, 1000);
      assert.strictEqual(relativeNoBase.problems[0].reason, 'relative path without a workspace folder');
    });

    it('resolves against the innermost workspace folder holding the document, else its folder', function () {
      const ws = pathToFileURL('/w').toString();
      const inner = pathToFileURL('/w/sub').toString();
      assert.strictEqual(baseDirFor(pathToFileURL('/w/sub/a.keiyaku').toString(), [ws, inner]), path.resolve('/w/sub'));
      assert.strictEqual(baseDirFor(pathToFileURL('/w/a.keiyaku').toString(), [ws, inner]), path.resolve('/w'));
      assert.strictEqual(baseDirFor(pathToFileURL('/elsewhere/a.keiyaku').toString(), [ws]), path.resolve('/elsewhere'));
      assert.strictEqual(baseDirFor('untitled:Untitled-1', [ws]), path.resolve('/w'));
      assert.strictEqual(baseDirFor('untitled:Untitled-1', []), undefined);
    });

    it('gives the canonical text with its errata corrected, article by article', function () {
      const t = getTemplate('tokki');
      assert.ok(t);
      const c = canonicalTextOf(t);
      assert.strictEqual(c.articles?.length, 20);
      assert.strictEqual(c.articles?.[0].ref, '第１');
      assert.ok(!c.text.includes('存続するもとする') && c.text.includes('存続するものとする'));
      assert.ok(c.articles?.every((a) => c.text.includes(a.text)));
    });
  });
});
