/**
 * Navigation and views over stdio: document symbols (the outline of the seed 004 draft, a
 * PDF-extracted 特記事項), folding ranges, go to definition / find references / document links
 * on 「第５により」, hover (a reference's target, an article's canonical text with the
 * differences marked) and the code lenses per article, in Japanese and English.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type {
  CodeLens,
  DocumentLink,
  DocumentSymbol,
  FoldingRange,
  Hover,
  InitializeResult,
  Location,
  LocationLink,
  MarkupContent,
  SymbolInformation,
} from 'vscode-languageserver-protocol/node';
import { correctedTokuyaku, EDITOR_CAPS } from './editor-helpers';
import { fileUri, PULL_CAPS, requireBundledServer, ROOT, TestClient, textAt } from './helpers';

const FIX = path.join(ROOT, 'test', 'fixtures');
const SEED = fs.readFileSync(path.join(FIX, 'seeds', '004_5803deb95195d81e.txt'), 'utf8');
const REDLINE = fs.readFileSync(path.join(FIX, 'dev-cases', 'dev-01-tokki-redline.txt'), 'utf8');

/** 0-based line and character of the k-th occurrence of `s` in `text`. */
function pos(text: string, s: string, k = 0, plus = 0): { line: number; character: number } {
  let i = -1;
  for (let n = 0; n <= k; n++) i = text.indexOf(s, i + 1);
  assert.ok(i >= 0, `${s} not found`);
  i += plus;
  const before = text.slice(0, i);
  const line = before.split('\n').length - 1;
  return { line, character: i - (before.lastIndexOf('\n') + 1) };
}

function lineOf(text: string, s: string, k = 0): number {
  return pos(text, s, k).line;
}

function markdown(h: Hover | null): string {
  assert.ok(h, 'a hover');
  return (h.contents as MarkupContent).value;
}

describe('navigation and views (stdio)', function () {
  this.timeout(60_000);
  let client: TestClient | undefined;

  before(function () {
    requireBundledServer();
  });

  afterEach(function () {
    client?.dispose();
    client = undefined;
  });

  const request = <T>(method: string, params: unknown): Promise<T> => client!.connection.sendRequest<T>(method, params);

  it('advertises hover, definition, references, links, symbols, folding and code lenses', async function () {
    client = new TestClient();
    const init: InitializeResult = await client.initialize(EDITOR_CAPS);
    const c = init.capabilities;
    assert.strictEqual(c.hoverProvider, true);
    assert.strictEqual(c.definitionProvider, true);
    assert.strictEqual(c.referencesProvider, true);
    assert.deepStrictEqual(c.documentLinkProvider, { resolveProvider: false });
    assert.deepStrictEqual(c.documentSymbolProvider, { label: 'Keiyaku Lint' });
    assert.strictEqual(c.foldingRangeProvider, true);
    assert.deepStrictEqual(c.codeLensProvider, { resolveProvider: false });
  });

  describe('outline, folding and references of the seed 004 draft', function () {
    const uri = fileUri('seed-004.keiyaku');

    beforeEach(async function () {
      client = new TestClient();
      await client.initialize(EDITOR_CAPS, { locale: 'ja' });
      await client.open(uri, SEED);
    });

    it('gives the document symbols: 条 with their headings and 項, 別紙 and 別記様式 with their sections', async function () {
      const syms = await request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
      assert.deepStrictEqual(
        syms.map((s) => `${s.name}:${s.detail}`),
        [
          '第１:総則',
          '第２:基本的事項',
          '第３:安全管理措置',
          '第４:作成、複製又は加工',
          '第５:機密データの保存等に係る届出',
          '第６:機密データの持出等の禁止',
          '第７:目的外利用・提供の禁止',
          '第８:生成ＡＩの利用',
          '第９:教育の実施',
          '第 10:再委託等に当たっての留意事項',
          '第 11:再委託等に係る連帯責任',
          '第 12:機密データの返還等',
          '第 13:再委託等の相手方からの回収等',
          '第 14:報告等',
          '第 15:立ち入り検査',
          '第 16:情報セキュリティインシデント発生時の公表',
          '第 17:情報セキュリティの確保',
          '第 18:損害賠償',
          '第 19:存続期間',
          '第 20:協議事項',
          '別紙:受託者向け情報セキュリティ遵守事項',
          '別記様式:機密データの保存等に関する届出書',
        ],
      );
      assert.deepStrictEqual(syms[7].children?.map((c) => c.name), ['第1項', '第2項', '第3項']);
      assert.ok(syms[7].children?.[1].detail?.startsWith('生成ＡＩ等を利用して作成した納品成果物'));
      assert.deepStrictEqual(syms[20].children?.map((c) => `${c.name} ${c.detail}`).slice(0, 3), ['１ 趣旨', '２ 機密データの管理・保管及び持出', '３ クラウドサービスの利用']);
      assert.deepStrictEqual(syms[20].children?.[1].children?.map((c) => c.name), ['(1)', '(2)']);
      // kinds: article Class, paragraph Field, annex Module
      assert.deepStrictEqual([syms[0].kind, syms[7].children?.[0].kind, syms[20].kind], [5, 8, 2]);
      // the range starts at the heading line, the selection is the number as written
      assert.strictEqual(syms[4].range.start.line, lineOf(SEED, '（機密データの保存等に係る届出）'));
      assert.strictEqual(textAt(SEED, syms[4].selectionRange), '第５');
      assert.strictEqual(textAt(SEED, syms[9].selectionRange), '第 10');
    });

    it('gives flat symbols to a client without hierarchical ones', async function () {
      client!.dispose();
      client = new TestClient();
      await client.initialize(PULL_CAPS);
      await client.open(uri, SEED);
      const syms = await request<SymbolInformation[]>('textDocument/documentSymbol', { textDocument: { uri } });
      assert.strictEqual(syms[0].name, '第１ 総則');
      assert.ok(syms.some((s) => s.name.startsWith('第2項') && s.containerName === '第８'));
      assert.ok(syms.every((s) => s.location.uri === uri));
    });

    it('folds each article from its heading line to its last line, and each annex section', async function () {
      const folds = await request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
      const has = (start: number, end: number) => folds.some((f) => f.startLine === start && f.endLine === end);
      assert.ok(has(lineOf(SEED, '（総則）'), lineOf(SEED, '機密情報取扱特記事項と合わせて本特記事項を遵守')), JSON.stringify(folds.slice(0, 3)));
      assert.ok(has(lineOf(SEED, '（報告等）'), lineOf(SEED, '直ちに発注者にその旨を報告し')));
      assert.ok(has(lineOf(SEED, '２ 機密データの管理・保管及び持出'), lineOf(SEED, 'の安全管理措置を講じること。')));
      // 20 articles, 2 annexes, their sections and sub-sections
      assert.ok(folds.length >= 20 + 2 + 9 + 6, String(folds.length));
      assert.ok(folds.every((f) => f.endLine > f.startLine && f.kind === 'region'));
    });

    it('goes from 「第５により」 to 第５, finds the references to 第５, links them', async function () {
      const at = pos(SEED, '５により'); // the 第 is at the end of the line before (a PDF line break)
      const links = await request<LocationLink[]>('textDocument/definition', { textDocument: { uri }, position: at });
      assert.strictEqual(links.length, 1);
      assert.strictEqual(links[0].targetUri, uri);
      assert.strictEqual(textAt(SEED, links[0].targetSelectionRange), '第５');
      assert.strictEqual(links[0].targetRange.start.line, lineOf(SEED, '（機密データの保存等に係る届出）'));
      assert.strictEqual(textAt(SEED, links[0].originSelectionRange!).replace(/\s/g, ''), '第５');
      // on a word that is no reference: nothing
      assert.strictEqual(await request('textDocument/definition', { textDocument: { uri }, position: pos(SEED, '受注者はあらかじめ') }), null);

      // find references on 第５'s number line: 第６'s, 第 17's 「前項まで」 (第１–第 16) and the one in 別紙
      const article = pos(SEED, '第５ 受注者はあらかじめ');
      const refs = await request<Location[]>('textDocument/references', { textDocument: { uri }, position: article, context: { includeDeclaration: false } });
      assert.deepStrictEqual(
        refs.map((r) => r.range.start.line),
        [links[0].originSelectionRange!.start.line, lineOf(SEED, '前項までに定めるもののほか'), lineOf(SEED, '特記事項第５（機密データの保存等に係')],
      );
      assert.strictEqual(textAt(SEED, refs[1].range), '前項まで');
      const withDecl = await request<Location[]>('textDocument/references', { textDocument: { uri }, position: at, context: { includeDeclaration: true } });
      assert.strictEqual(textAt(SEED, withDecl[0].range), '第５');
      assert.strictEqual(withDecl.length, refs.length + 1);

      const docLinks = await request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri } });
      const toFive = docLinks.filter((l) => l.target === `${uri}#L${lineOf(SEED, '第５ 受注者はあらかじめ') + 1}`);
      assert.strictEqual(toFive.length, 2, JSON.stringify(docLinks.map((l) => l.target)));
      assert.strictEqual(toFive[0].tooltip, '第５（機密データの保存等に係る届出） へ移動');
    });

    it('shows the target of a reference on hover', async function () {
      const h = markdown(await request<Hover>('textDocument/hover', { textDocument: { uri }, position: pos(SEED, '５により') }));
      assert.ok(h.startsWith('**第５（機密データの保存等に係る届出）**\n\n受注者はあらかじめ、業務の遂行において'), h);
    });
  });

  describe('hover and code lenses against the standard', function () {
    it('marks the differences of a paragraph from the standard, word by word, in Japanese and English', async function () {
      for (const locale of ['ja', 'en']) {
        client?.dispose();
        client = new TestClient();
        await client.initialize(EDITOR_CAPS, { locale });
        const uri = fileUri(`redline-${locale}.keiyaku`);
        await client.open(uri, REDLINE);
        await client.pull(uri);
        await client.waitFor('workspace/codeLens/refresh', () => true, { since: 0, timeoutMs: 30_000 });
        // 第 14's third paragraph: 直ちに weakened to 速やかに
        const h = markdown(await request<Hover>('textDocument/hover', { textDocument: { uri }, position: pos(REDLINE, '速やかに発注者にその旨を報告し', 0, 2) }));
        const lines = h.split('\n\n');
        if (locale === 'ja') {
          assert.strictEqual(lines[0], '**標準文（情報セキュリティに関する特記事項 第14第3項）**');
          assert.ok(h.includes('標準との相違（~~取り消し線~~: 標準にあって案にない語、**太字**: 案で加えた語）'), h);
        } else {
          assert.strictEqual(lines[0], '**Standard text (情報セキュリティに関する特記事項 第14第3項)**');
          assert.ok(h.includes('Differences from the standard (~~struck through~~'), h);
        }
        // the canonical text, then the marked differences
        assert.ok(lines[1].startsWith('３ 受注者は、') && lines[1].includes('直ちに発注者にその旨を報告し'), lines[1]);
        assert.ok(h.includes('~~直ちに~~**速やかに**発注者にその旨を報告し'), h);
        // an article that matches
        const same = markdown(await request<Hover>('textDocument/hover', { textDocument: { uri }, position: pos(REDLINE, '第５ 受注者はあらかじめ') }));
        assert.ok(same.includes(locale === 'ja' ? '標準と一致しています。' : 'Matches the standard.'), same);
      }
    });

    it('gives each article a code lens: matching, differences counted, not in the standard (and comparing until the dictionary is ready)', async function () {
      // an article the standard lacks, after 第 20 (before the annexes)
      const at = REDLINE.indexOf('\n別紙');
      assert.ok(at > 0);
      const draft = `${REDLINE.slice(0, at)}\n（反社会的勢力の排除）\n第 21 受注者は、反社会的勢力と一切の関係を持ってはならない。${REDLINE.slice(at)}`;
      for (const locale of ['ja', 'en'] as const) {
        client?.dispose();
        client = new TestClient();
        await client.initialize(EDITOR_CAPS, { locale });
        const uri = fileUri(`lens-${locale}.keiyaku`);
        await client.open(uri, draft);
        const early = await request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
        const title = (lenses: CodeLens[], line: number) => lenses.find((l) => l.range.start.line === line)?.command?.title;
        const l14 = lineOf(draft, '（報告等）');
        assert.strictEqual(title(early, l14), locale === 'ja' ? '標準と比較中…' : 'Comparing with the standard…');
        assert.strictEqual(title(early, lineOf(draft, '（総則）')), locale === 'ja' ? '標準と一致' : 'Matches the standard');

        await client.waitFor('workspace/codeLens/refresh', () => true, { since: 0, timeoutMs: 30_000 });
        const lenses = await request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
        assert.strictEqual(lenses.length, 21 + 2); // 20 articles, the extra one, 別紙 and 別記様式
        const expect = (heading: string, ja: string, en: string) => assert.strictEqual(title(lenses, lineOf(draft, heading)), locale === 'ja' ? ja : en, heading);
        expect('（総則）', '標準と一致', 'Matches the standard');
        expect('（生成ＡＩの利用）', '相違 1 件', '1 difference'); // its paragraph ２ is missing
        expect('（再委託等に係る連帯責任）', '相違 1 件', '1 difference'); // 連帯して dropped
        expect('（報告等）', '相違 1 件', '1 difference'); // 直ちに → 速やかに
        expect('（反社会的勢力の排除）', '標準にない条項', 'Not in the standard');
        const lens = lenses.find((l) => l.range.start.line === l14)!;
        assert.deepStrictEqual(lens.command?.command, 'keiyakuLint.compareWithStandard');
        assert.deepStrictEqual(lens.command?.arguments, [uri, l14]);
      }
    });

    it('has no hover or lens for a document without a standard', async function () {
      client = new TestClient();
      await client.initialize(EDITOR_CAPS);
      const uri = fileUri('none.keiyaku');
      const text = correctedTokuyaku().replace('情報セキュリティに関する特約条項', 'keiyaku-lint: template=none');
      await client.open(uri, text);
      assert.deepStrictEqual(await request('textDocument/codeLens', { textDocument: { uri } }), []);
      assert.strictEqual(await request('textDocument/hover', { textDocument: { uri }, position: pos(text, '第2条') }), null);
      // the outline does not need one
      const syms = await request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
      assert.strictEqual(syms.length, 11);
    });
  });
});
