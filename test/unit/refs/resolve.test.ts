import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseDocument } from '../../../server/src/engine/model/parser';
import type { ParsedDocument } from '../../../server/src/engine/model/types';
import { getReferences, MAX_LISTED_TARGETS, resolveReferences, selfNamesOf } from '../../../server/src/engine/refs/resolve';
import { renumber } from '../../../server/src/engine/renumber';
import { rangeUnits } from '../../../server/src/engine/refs/types';
import { byText, labels, read, refsOf } from './helpers';
import { fuzzParameters } from '../../fuzz';

const JO = [
  '（目的）',
  '第1条　この契約は、業務の委託について定める。',
  '（定義）',
  '第2条　この契約において、次の各号に掲げる用語の意義は、当該各号に定めるところによる。',
  '一　機密情報　第１条に規定する業務に関する情報をいう。',
  '二　従事者　業務に従事する者をいう。',
  '三　前二号に掲げるもののほか、甲が指定するもの',
  '２　前項第二号の従事者には、第 3 条第2項の者を含む。',
  '３　前各項の規定は、次条に定める場合には適用しない。',
  '（適用除外）',
  '第2条の2　前条第1項第三号及び第二号の規定は、同条第２項の場合には、適用しない。',
  '（秘密保持）',
  '第3条　乙は、機密情報を第三者に開示してはならない。第1回の報告の前も同様とする。',
  '２　乙は、前項の規定にかかわらず、同項の承諾を得た者に限り開示することができる。',
  '３　第1条から第2条の2までの規定及び本条の規定は、事前条件を定めるものではない。',
  '（報告）',
  '第三十六条　乙は、前条第一項に定める事項を報告しなければならない。',
  '第三十六条の二　前条及び第三十六条の規定は、第３６条の２の場合にも適用する。',
  '',
].join('\n');

describe('refs: resolver', () => {
  it('resolves absolute references in any digit width, with kanji numerals, branches and blanks', () => {
    const { refs } = refsOf(JO);
    assert.deepEqual(labels(byText(refs, '第１条')[0]), ['第1条']);
    assert.deepEqual(labels(byText(refs, '第 3 条第2項')[0]), ['第3条第2項']);
    assert.deepEqual(labels(byText(refs, '第三十六条')[0]), ['第36条']);
    assert.deepEqual(labels(byText(refs, '第３６条の２')[0]), ['第36条の2']);
    const r = byText(refs, '第１条')[0];
    assert.equal(r.kind, 'absolute');
    assert.equal(JO.slice(r.span.start, r.span.end), '第１条');
  });

  it('resolves 第N条第M項第K号 chains and inherits the article in lists', () => {
    const { refs } = refsOf(JO);
    const chain = byText(refs, '前条第1項第三号')[0];
    assert.deepEqual(labels(chain), ['第2条第1項第3号']);
    assert.equal(chain.kind, 'relative');
    // 「前条第1項第三号及び第二号」: 第二号 is an item of the same paragraph
    assert.deepEqual(labels(byText(refs, '第二号')[0]), ['第2条第1項第2号']);
    assert.ok(byText(refs, '第二号')[0].components.some((c) => c.inherited && c.level === 'paragraph'));
    // 同条 is the article just mentioned (第2条), not the current one
    assert.deepEqual(labels(byText(refs, '同条第２項')[0]), ['第2条第2項']);
  });

  it('resolves relative references: 前条 次条 前項 同項 前各項 前二号 各号 本条 前項第二号', () => {
    const { refs } = refsOf(JO);
    assert.deepEqual(labels(byText(refs, '前二号')[0]), ['第2条第1項第1号', '第2条第1項第2号']);
    assert.deepEqual(labels(byText(refs, '前項第二号')[0]), ['第2条第1項第2号']);
    assert.deepEqual(labels(byText(refs, '前各項')[0]), ['第2条第1項', '第2条第2項']);
    assert.deepEqual(labels(byText(refs, '次条')[0]), ['第2条の2']);
    assert.deepEqual(labels(byText(refs, '各号')[0]), ['第2条第1項第1号', '第2条第1項第2号', '第2条第1項第3号']);
    assert.deepEqual(labels(byText(refs, '前項')[0]), ['第3条第1項']);
    assert.deepEqual(labels(byText(refs, '同項')[0]), ['第3条第1項']);
    assert.deepEqual(labels(byText(refs, '本条')[0]), ['第3条']);
    assert.deepEqual(labels(byText(refs, '前条第一項')[0]), ['第3条第1項']);
    assert.deepEqual(labels(byText(refs, '前条')[0]), ['第36条']);
  });

  it('resolves ranges to every unit between the ends', () => {
    const { refs } = refsOf(JO);
    const start = byText(refs, '第1条')[0];
    const end = byText(refs, '第2条の2')[0];
    assert.equal(start.range?.role, 'start');
    assert.equal(end.range?.role, 'end');
    assert.deepEqual(
      end.range && rangeUnits(end.range).map((u) => u.label),
      ['第1条', '第2条', '第2条の2'],
    );
    assert.equal(start.group, end.group);
  });

  it('前各条 and 各号 list at most MAX_LISTED_TARGETS units, the nearest, noted: thousands of articles citing 前各条 do not hold millions of targets', () => {
    const n = MAX_LISTED_TARGETS + 50;
    const lines: string[] = [];
    for (let i = 1; i <= n; i++) lines.push(`第${i}条 前各条の規定は、乙に準用する。`);
    const { refs } = refsOf(lines.join('\n') + '\n');
    const prev = byText(refs, '前各条');
    assert.equal(prev.length, n);
    // article 10: all nine before it, no note
    assert.deepEqual(labels(prev[9]), Array.from({ length: 9 }, (_, k) => `第${k + 1}条`));
    assert.equal(prev[9].note, undefined);
    // the last article: the MAX_LISTED_TARGETS articles right before it
    const last = prev[n - 1];
    assert.equal(last.targets.length, MAX_LISTED_TARGETS);
    assert.deepEqual([labels(last)[0], labels(last)[MAX_LISTED_TARGETS - 1]], [`第${n - MAX_LISTED_TARGETS}条`, `第${n - 1}条`]);
    assert.equal(last.note, 'targets-capped');
    // 各号 of an article with more items than that: the first ones
    const items = Array.from({ length: n }, (_, k) => `${k + 1} 乙は、報告する。`);
    const each = refsOf(`第1条 甲は、次の各号に掲げる事項を行う。\n${items.join('\n')}\n`).refs.find((r) => r.text.endsWith('各号'));
    assert.ok(each);
    assert.equal(each.targets.length, MAX_LISTED_TARGETS);
    assert.equal(each.note, 'targets-capped');
  });

  it('does not take words for references: 第三者, 第1回, 事前条件, 目次, 当事者', () => {
    const { refs } = refsOf(JO);
    assert.equal(refs.filter((r) => /第三者|第1回|前条件/.test(r.text)).length, 0);
    const doc = parseDocument('第1条　甲及び乙は、第三者、第一次産業、第2四半期、日本国、基本条件、共同事業及び目次について定める。\n');
    assert.equal(resolveReferences(doc).all.length, 0);
  });

  it('resolves 第N documents: 第14第1項, a heading written with the reference, lists with a qualifying bracket', () => {
    const text = read('dev-07-tokki-canonical.txt');
    const { refs } = refsOf(text);
    const survival = refs.filter((r) => r.sourceArticle?.label === '第19');
    assert.deepEqual(
      survival.map((r) => `${r.text}→${labels(r).join(',')}`),
      ['第 12→第12', '第 13→第13', '第 14→第14', '第１項→第14第1項', '第 18→第18'],
    );
    assert.deepEqual(
      survival.map((r) => r.headingWritten?.text ?? null),
      ['機密データの返還等', '再委託等の相手方からの回収等', '報告等', null, '損害賠償'],
    );
    assert.ok(survival.every((r) => r.headingWritten === undefined || r.headingWritten.matches === true));
    // 第１項 is qualified by 第 14 and names 第14's first numbered paragraph
    const first = survival[3];
    assert.equal(refs[first.qualifies ?? -1].text, '第 14');
    assert.equal(new Set(survival.filter((r) => r.qualifies === undefined).map((r) => r.group)).size, 1);
  });

  it('reads 前項 in the first paragraph of a 第N as the previous articles (with a note)', () => {
    const { refs } = refsOf(read('dev-07-tokki-canonical.txt'));
    const r = byText(refs, '前項まで')[0];
    assert.equal(r.note, 'paragraph-as-article');
    assert.equal(r.targets.length, 16);
    assert.equal(r.targets[15].label, '第16');
    const bare = refsOf('第１　甲は、乙に通知する。\n第２　乙は、前項の通知を受けたときは、直ちに回答する。\n').refs;
    assert.deepEqual(labels(bare[0]), ['第1']);
    assert.equal(bare[0].note, 'paragraph-as-article');
  });

  it('resolves annexes and references from the annex to the main text', () => {
    const text = read('dev-07-tokki-canonical.txt');
    const { refs } = refsOf(text);
    const annex = byText(refs, '別紙「受託者向け情報セキュリティ遵守事項」');
    assert.equal(annex.length, 3);
    assert.ok(annex.every((r) => r.targets[0]?.kind === 'annex' && r.annexTitle?.matches === true));
    assert.deepEqual(labels(byText(refs, '別記様式')[0]), ['別記様式']);
    const fromAnnex = byText(refs, '第６')[0];
    assert.equal(fromAnnex.kind, 'absolute');
    assert.deepEqual(labels(fromAnnex), ['第6']);
    assert.equal(fromAnnex.headingWritten?.matches, true);
    assert.equal(fromAnnex.source?.label, '別紙2(2)');
  });

  it('recognises external citations and does not resolve them', () => {
    const { refs } = refsOf(read('dev-07-tokki-canonical.txt'));
    const ext = refs.filter((r) => r.kind === 'external').map((r) => r.text);
    assert.deepEqual(ext.slice(0, 4), ['第１章第１', '第 86 号', '第２条第３号の２', '同条第４号の２']);
    assert.ok(refs.filter((r) => r.kind === 'external').every((r) => r.targets.length === 0 && !r.unresolved));
    const law = refsOf(
      '第1条　この規程は、法第2条第1項及び個人情報の保護に関する法律施行令第5条に基づく。令和6年4月1日付け第123号の通知による。\n第2条　前条の規定による。\n',
    ).refs;
    assert.deepEqual(
      law.map((r) => `${r.text}:${r.kind}`),
      ['第2条第1項:external', '第5条:external', '第123号:external', '前条:relative'],
    );
  });

  it('resolves 附則第N条 and 前条 / 次条 among the articles of the 附則', () => {
    const text = [
      '第一条　この規程は、目的を定める。',
      '第二条　前条の規定は、附則第二条の場合には適用しない。',
      '',
      '　　　附　則',
      '',
      '（施行期日）',
      '第一条　この規程は、令和八年四月一日から施行する。',
      '（経過措置）',
      '第二条　前条の規定にかかわらず、第二条の規定は、次条に定める日から適用する。',
      '',
    ].join('\n');
    const { refs } = refsOf(text);
    assert.deepEqual(
      refs.map((r) => `${r.text}→${labels(r).join(',')}${r.unresolved ? ` (${r.unresolved})` : ''}`),
      ['前条→第1条', '第二条→附則第2条', '前条→附則第1条', '第二条→第2条', '次条→ (no-next)'],
    );
    assert.deepEqual(renumber(text).edits, []);
  });

  it('maps spans to the original characters of PDF-wrapped text', () => {
    const text = read('seed-004-tokki.txt');
    const { refs } = refsOf(text);
    const wrapped = refs.find((r) => r.text === '第５' && text.slice(r.span.start, r.span.end).includes('\n'));
    assert.ok(wrapped, 'the 「第\\n５」 split by the PDF line break is found');
    assert.equal(text.slice(wrapped.span.start, wrapped.span.end).replace(/\s/g, ''), '第５');
    for (const r of refs) {
      assert.equal(text.slice(r.span.start, r.span.end).replace(/[\s]/g, ''), r.text.replace(/[\s]/g, ''));
    }
    assert.equal(refs.filter((r) => r.kind !== 'external' && r.unresolved).length, 0);
  });

  it('is computed once per parsed document', () => {
    const doc = parseDocument(read('seed-000-tokuyaku.txt'));
    assert.equal(getReferences(doc), getReferences(doc));
    const r = getReferences(doc).all;
    assert.deepEqual(
      r.map((x) => `${x.text}→${labels(x).join(',')}`),
      [
        '前項→第5条第1項',
        '第1項→第5条第1項',
        '第1項→第5条第1項',
        '前項→第5条第3項',
        '前項まで→第5条第1項,第5条第2項,第5条第3項,第5条第4項',
        '前条まで→第1条,第2条,第3条,第4条,第5条,第6条,第7条,第8条,第9条,第10条',
      ],
    );
  });
});

describe('selfNamesOf (the names a document cites itself by)', function () {
  /** The definition: the whole text flattened (white space removed), then one global match. */
  function byFlattening(title: string, text: string): string[] {
    const names: string[] = [];
    const t = title.replace(/[\s\u3000]/g, '');
    if (!t) return names;
    names.push(t);
    if (t.endsWith('書')) names.push(t.slice(0, -1));
    const flat = text.replace(/[\s\u3000]/g, '');
    const re = /（以下「([^「」]{1,20})」という。?）/g;
    for (let m = re.exec(flat); m; m = re.exec(flat)) {
      const before = flat.slice(Math.max(0, m.index - t.length - 2), m.index);
      if (before.endsWith(t) || before.endsWith(`この${m[1]}`) || before.endsWith(`本${m[1]}`)) names.push(m[1]);
    }
    return names;
  }
  const docOf = (title: string, text: string) => ({ title: title ? { block: { text: title } } : null, text }) as unknown as ParsedDocument;

  it('finds the title and the abbreviations defined for it, through PDF line breaks', function () {
    const text = '情報セキュリティに関する特記事項\n第１ この情報セキュリティに関する特記\n事項（以下「本\n特記事項」と\u3000いう。）は、…。\n契約書（以下「本契約」という。）\n';
    const doc = parseDocument(text);
    assert.deepEqual(selfNamesOf(doc), ['情報セキュリティに関する特記事項', '本特記事項']);
    assert.deepEqual(selfNamesOf(doc), byFlattening(doc.title?.block.text ?? '', text));
  });

  it('reads exactly as far back as the longest form needs (この + name, title + 2)', function () {
    for (const [title, text, want] of [
      ['契約書', 'この本契約（以下「本契約」という。）', ['契約書', '契約', '本契約']],
      ['契約書', 'の本契約（以下「本契約」という。）', ['契約書', '契約']],
      ['契約書', '本本契約（以下「本契約」という。）', ['契約書', '契約', '本契約']],
      ['契約書', 'この\n本契\u3000約（以下「本契約」という）', ['契約書', '契約', '本契約']],
    ] as const) {
      assert.deepEqual(selfNamesOf(docOf(title, text)), want, text);
      assert.deepEqual(byFlattening(title, text), want, text);
    }
  });

  it('finds what flattening the whole text finds, on random text', function () {
    const piece = fc.constantFrom('（', '）', '以下', '「', '」', 'という', '。', '本', 'この', '特記事項', '契約書', '契約', 'ア', ' ', '\n', '\u3000', '\t', '𠮷');
    fc.assert(
      fc.property(fc.constantFrom('特記事項', '契約書', '本 特記事項', ''), fc.array(piece, { maxLength: 60 }), (title, pieces) => {
        const text = pieces.join('');
        assert.deepEqual(selfNamesOf(docOf(title, text)), byFlattening(title, text));
      }),
      fuzzParameters(3000, 21),
    );
  });
});

