/**
 * The compare view's text and the insert-standard-article edit over stdio:
 * `keiyaku/canonicalText` arranges the canonical text in the draft's order and numbering so that
 * a line diff against the draft lines up; `keiyaku/insertArticleEdit` inserts a canonical
 * article where it belongs (optionally renumbering the later ones), tied to the version.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { lint } from '../../server/src/engine/lint';
import { parseDocument } from '../../server/src/engine/model/parser';
import type { CanonicalTextResult } from '../../server/src/lsp/canonical';
import { applyTextEdits, documentEdit, EDITOR_CAPS } from './editor-helpers';
import { fileUri, PUSH_CAPS, requireBundledServer, ROOT, TestClient } from './helpers';

/** 第10 deleted, 第11–第20 renumbered; the survival clause (now 第 18) keeps the slip 「もとする」. */
const RENUMBERED = fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'dev-cases', 'dev-02-tokki-renumbered.txt'), 'utf8');

describe('standard view and insert standard article (stdio)', function () {
  this.timeout(60_000);
  let client: TestClient | undefined;
  const uri = fileUri('renumbered.keiyaku');

  before(function () {
    requireBundledServer();
  });

  beforeEach(async function () {
    client = new TestClient();
    await client.initialize(EDITOR_CAPS);
    await client.open(uri, RENUMBERED);
  });

  afterEach(function () {
    client?.dispose();
    client = undefined;
  });

  it('arranges the canonical text in the draft’s order and numbering: matching lines as the draft writes them, the missing 第 10 at its place', async function () {
    const r = await client!.connection.sendRequest<CanonicalTextResult>('keiyaku/canonicalText', { uri });
    assert.strictEqual(r.template, 'tokki');
    const view = r.text.split('\n');
    const draft = RENUMBERED.split('\n');
    const at = draft.indexOf('（再委託等に係る連帯責任）'); // where 第 10 was
    assert.strictEqual(view[at], '（再委託等に当たっての留意事項）');
    assert.ok(view[at + 1].startsWith('第 10 受注者は、発注者の書面による承諾を得て業務の全部又は一部'), view[at + 1]);
    // up to the annexes, every other line is the draft's own line, except the survival clause
    const annex = draft.indexOf('別紙');
    const differing: number[] = [];
    for (let i = 0; i < annex; i++) {
      const v = i < at ? view[i] : view[i + 2];
      if (v !== draft[i]) differing.push(i);
    }
    const slip = draft.findIndex((l) => l.includes('存続するもとする'));
    assert.deepStrictEqual(differing, [slip]);
    assert.strictEqual(view[0], '別記'); // the standard's own cover line
    // the standard as the draft should write it: its references in the draft's numbering (the draft's are stale), the slip corrected
    assert.ok(view[slip + 2].includes('ただし、第 11（機密データの返還等）、第 12（再委託等の相手方からの回収等）、第 13（報告等。'), view[slip + 2]);
    assert.ok(view[slip + 2].includes('及び第 17（損害賠償）'), view[slip + 2]);
    assert.ok(view[slip + 2].endsWith('存続するものとする。'), view[slip + 2]);
    // the template's own text and its articles, with their place in the draft
    assert.ok(r.original?.startsWith('別記\n情報セキュリティに関する特記事項\n'));
    assert.strictEqual(r.articles?.length, 20);
    assert.deepStrictEqual(
      r.articles?.slice(8, 12).map((a) => [a.label, a.ref, a.draftRef ?? null]),
      [
        ['第9', '第９', '第９'],
        ['第10', '第 10', null],
        ['第11', '第 11', '第 10'],
        ['第12', '第 12', '第 11'],
      ],
    );
    assert.deepStrictEqual(r.annexes?.map((a) => a.label), ['別紙', '別記様式']);
  });

  it('computes the edit inserting a standard article where it belongs, with or without renumbering', async function () {
    const edit = await client!.connection.sendRequest<WorkspaceEdit>('keiyaku/insertArticleEdit', { uri, label: '第10', version: 1 });
    const change = documentEdit(edit, uri);
    assert.strictEqual(change.textDocument.version, 1);
    const inserted = applyTextEdits(RENUMBERED, change.edits);
    const lines = inserted.split('\n');
    const at = lines.indexOf('（再委託等に当たっての留意事項）');
    assert.ok(lines[at - 1].startsWith('第９ 受注者は、機密データを取り扱う従事者に対し'), lines[at - 1]);
    assert.ok(lines[at + 1].startsWith('第 10 受注者は、発注者の書面による承諾を得て'));
    assert.ok(lines[at + 3].startsWith('第 10 受注者は、再委託等の相手方の行為について'), 'the later articles keep their numbers');

    const renumbered = await client!.connection.sendRequest<WorkspaceEdit>('keiyaku/insertArticleEdit', { uri, label: '第10', renumber: true, version: 1 });
    const out = applyTextEdits(RENUMBERED, documentEdit(renumbered, uri).edits);
    const doc = parseDocument(out);
    assert.deepStrictEqual(
      doc.articles.map((a) => a.number?.value[0]),
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    // the survival clause names its articles by their headings: they are right again after the insertion
    assert.ok(out.includes('第 19 本特記事項の効力は本件業務に係る契約期間の満了まで有効とする。ただし、第 12（機密データの返還等）、第 13（再委託等の相手方からの回収等）、第 14（報告等。'));
    // 「前項まで」 for the articles before 第 17 is a note the standard itself gets
    const problems = (t: string) => lint(t, { only: ['missing-article', 'numbering', 'broken-reference'] }).findings.filter((f) => f.messageId !== 'paragraph-as-article');
    assert.ok(problems(RENUMBERED).length >= 2);
    assert.deepStrictEqual(problems(out).map((f) => `${f.ruleId}:${f.messageId}`), []);
  });

  it('answers null for another version, an unknown label or a document without a standard', async function () {
    const c = client!;
    assert.strictEqual(await c.connection.sendRequest('keiyaku/insertArticleEdit', { uri, label: '第10', version: 2 }), null);
    assert.strictEqual(await c.connection.sendRequest('keiyaku/insertArticleEdit', { uri, label: '第99', version: 1 }), null);
    assert.strictEqual(await c.connection.sendRequest('keiyaku/insertArticleEdit', { uri: fileUri('unknown.keiyaku'), label: '第10' }), null);
    const none = fileUri('none.keiyaku');
    await c.open(none, 'keiyaku-lint: template=none\n第1条 甲は、乙に通知する。\n第2条 乙は、甲に通知する。\n');
    assert.strictEqual(await c.connection.sendRequest('keiyaku/insertArticleEdit', { uri: none, label: '第1条' }), null);
    assert.strictEqual(await c.connection.sendRequest('keiyaku/canonicalText', { uri: none }), null);
  });

  it('gives plain text edits to a client without versioned edits', async function () {
    client!.dispose();
    client = new TestClient();
    await client.initialize({ ...PUSH_CAPS, workspace: {} });
    await client.open(uri, RENUMBERED);
    const edit = await client.connection.sendRequest<WorkspaceEdit>('keiyaku/insertArticleEdit', { uri, label: '第10' });
    assert.strictEqual(edit.documentChanges, undefined);
    assert.ok(applyTextEdits(RENUMBERED, edit.changes![uri]).includes('（再委託等に当たっての留意事項）\n第 10 受注者は、発注者の書面による承諾'));
  });
});
