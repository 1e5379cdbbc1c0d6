/**
 * The document structure editors show (engine/outline.ts): outline names, details and spans,
 * folding spans, and the unit under an offset.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from '../../server/src/engine/model/parser';
import { documentOutline, foldingSpans, unitAt, unitExtent, type OutlineNode } from '../../server/src/engine/outline';

const FIX = path.resolve(__dirname, '../../../test/fixtures');
const SEED = readFileSync(path.join(FIX, 'seeds/004_5803deb95195d81e.txt'), 'utf8');

describe('outline (document symbols, folding, unit at a position)', function () {
  const doc = parseDocument(SEED);
  const outline = documentOutline(doc);
  const slice = (s: { start: number; end: number }) => SEED.slice(s.start, s.end);

  it('lists the articles as written with their headings, then 別紙 and 別記様式 with their sections', function () {
    assert.deepEqual(
      outline.map((n) => n.name),
      ['第１', '第２', '第３', '第４', '第５', '第６', '第７', '第８', '第９', '第 10', '第 11', '第 12', '第 13', '第 14', '第 15', '第 16', '第 17', '第 18', '第 19', '第 20', '別紙', '別記様式'],
    );
    assert.equal(outline[0].detail, '総則');
    assert.equal(outline[4].detail, '機密データの保存等に係る届出');
    assert.equal(outline[20].detail, '受託者向け情報セキュリティ遵守事項');
    // An article of one unnumbered paragraph has no children; 第８ and 第 14 list their paragraphs.
    assert.deepEqual(outline[0].children, []);
    assert.deepEqual(outline[7].children.map((c) => c.name), ['第1項', '第2項', '第3項']);
    assert.deepEqual(outline[13].children.map((c) => c.name), ['第1項', '第2項', '第3項']);
    const annex = outline[20];
    assert.deepEqual(annex.children.map((c) => c.name), ['１', '２', '３', '４', '５', '６', '７', '８', '９']);
    assert.equal(annex.children[1].detail, '機密データの管理・保管及び持出');
    assert.deepEqual(annex.children[1].children.map((c) => `${c.name} ${c.detail}`), ['(1) 管理・保管', '(2) 持出']);
    assert.equal(outline[21].children.at(-1)?.name, '注記事項');
  });

  it('spans each unit from its heading line to its last character, and selects its number', function () {
    const first = outline[0];
    assert.ok(slice(first.span).startsWith('（総則）'), slice(first.span).slice(0, 10));
    assert.ok(slice(first.span).endsWith('本特記事項を遵守しなければならない。'), slice(first.span).slice(-20));
    assert.equal(slice(first.selectionSpan), '第１');
    assert.equal(slice(outline[9].selectionSpan), '第 10');
    // A span always contains its selection and its children.
    const check = (n: OutlineNode): void => {
      assert.ok(n.span.start <= n.selectionSpan.start && n.selectionSpan.end <= n.span.end, n.name);
      for (const c of n.children) {
        assert.ok(n.span.start <= c.span.start && c.span.end <= n.span.end, `${n.name} > ${c.name}`);
        check(c);
      }
    };
    outline.forEach(check);
  });

  it('folds every article, annex and annex section, never an empty range', function () {
    const spans = foldingSpans(doc);
    const articles = doc.articles.map((a) => unitExtent(SEED, a));
    for (const a of articles) assert.ok(spans.some((s) => s.start === a.start && s.end === a.end));
    const annexSections = doc.annexes.flatMap((a) => a.children).filter((u) => u.kind === 'annexSection');
    assert.ok(annexSections.length >= 9);
    for (const u of annexSections) {
      const e = unitExtent(SEED, u);
      assert.ok(spans.some((s) => s.start === e.start && s.end === e.end), u.label);
    }
    assert.ok(spans.every((s) => s.end > s.start));
    // in document order
    for (let i = 1; i < spans.length; i++) assert.ok(spans[i - 1].start <= spans[i].start);
  });

  it('finds the article on its number line, the paragraph in its text, the article in its unnumbered text', function () {
    assert.equal(unitAt(doc, SEED.indexOf('第５ 受注者はあらかじめ'))?.label, '第5');
    assert.equal(unitAt(doc, SEED.indexOf('（機密データの保存等に係る届出）') + 2)?.label, '第5');
    // the second line of 第５'s text: still the article (its only paragraph has no number)
    assert.equal(unitAt(doc, SEED.indexOf('インストレージ等のクラウドサービスを使用'))?.label, '第5');
    assert.equal(unitAt(doc, SEED.indexOf('生成ＡＩ等を利用して作成した納品成果物'))?.label, '第8第2項');
    assert.equal(unitAt(doc, SEED.indexOf('(1) 管理・保管') + 1)?.label, '別紙2(1)');
    assert.equal(unitAt(doc, 0), null);
  });

  it('nests articles under chapters', function () {
    const text = '第1章 総則\n第1条 甲は、乙に対し、情報を提供する。\n第2条 乙は、情報を管理する。\n第2章 雑則\n第3条 甲及び乙は、協議する。\n';
    const o = documentOutline(parseDocument(text));
    assert.deepEqual(
      o.map((n) => [n.kind, n.name, n.children.map((c) => c.name)]),
      [
        ['chapter', '第1章', ['第1条', '第2条']],
        ['chapter', '第2章', ['第3条']],
      ],
    );
  });
});
