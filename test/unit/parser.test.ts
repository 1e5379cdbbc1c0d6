import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseDocument, parseSteps } from '../../server/src/engine/model/parser';
import { syntheticContract } from '../../bench/synthetic';
import type { ParsedDocument, Unit } from '../../server/src/engine/model/types';
import { blockSpan } from '../../server/src/engine/text/block';

const FIX = path.resolve(__dirname, '../../../test/fixtures');
const read = (p: string): string => readFileSync(path.join(FIX, p), 'utf8');
const SEED_000 = 'seeds/000_b184c2786e903c99.txt';
const SEED_004 = 'seeds/004_5803deb95195d81e.txt';

function paragraphs(a: Unit): Unit[] {
  return a.children.filter((c) => c.kind === 'paragraph');
}

function checkTokuyaku(doc: ParsedDocument): void {
  assert.equal(doc.title?.block.text, '情報セキュリティに関する特約条項');
  assert.equal(doc.articles.length, 11);
  assert.deepEqual(
    doc.articles.map((a) => a.number?.value[0]),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
  );
  assert.equal(doc.articles[0].heading?.text, '総則');
  assert.equal(doc.articles[10].heading?.text, '情報セキュリティの確保');
  assert.deepEqual(
    doc.articles.map((a) => paragraphs(a).length),
    [1, 3, 1, 1, 5, 1, 1, 3, 1, 1, 1],
  );
}

function checkTokki(doc: ParsedDocument, jo = ''): void {
  assert.equal(doc.title?.block.text, '情報セキュリティに関する特記事項');
  assert.equal(doc.articles.length, 20);
  assert.deepEqual(
    doc.articles.map((a) => a.number?.value[0]),
    Array.from({ length: 20 }, (_, i) => i + 1),
  );
  assert.equal(doc.articles[0].heading?.text, '総則');
  assert.equal(doc.articles[19].heading?.text, '協議事項');
  const a8 = doc.articles[7];
  assert.equal(paragraphs(a8).length, 3, '第８ has three numbered sub-units');
  assert.match(a8.body?.text ?? '', /次の事項を遵守しなければならない。$/);
  const a14 = doc.articles[13];
  assert.deepEqual(paragraphs(a14).map((p) => p.number?.value[0]), [1, 2, 3]);
  assert.equal(paragraphs(a14)[0].label, `第14${jo}第1項`);
  assert.match(paragraphs(a14)[0].body?.text ?? '', /^発注者は、必要があると認めるときは/);
  // 第７: 「会社法（平成」 / 「17 年法律第 86 号）」 — that 17 is not a paragraph number
  const a7 = doc.articles[6];
  assert.equal(paragraphs(a7).length, 1);
  assert.match(paragraphs(a7)[0].body?.text.normalize('NFKC').replace(/\s/g, '') ?? '', /会社法\(平成17年法律第86号\)第2条第3号の2/);

  assert.deepEqual(
    doc.annexes.map((a) => a.label),
    ['別紙', '別記様式'],
  );
  const annex = doc.annexes[0];
  assert.equal(annex.heading?.text, '受託者向け情報セキュリティ遵守事項');
  assert.deepEqual(
    annex.children.map((s) => s.number?.value[0]),
    [1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
  assert.deepEqual(
    annex.children.map((s) => s.children.filter((c) => c.kind === 'annexSubsection').length),
    [0, 2, 3, 2, 2, 3, 3, 3, 3],
  );
  const s81 = annex.children[7].children[0];
  assert.equal(s81.heading?.text.replace(/\s/g, ''), 'ノートPC等のモバイル端末の社外利用');
  assert.deepEqual(
    s81.children.map((c) => c.number?.raw),
    ['ア', 'イ', 'ウ', 'エ', 'オ', 'カ'],
  );
  const form = doc.annexes[1];
  assert.equal(form.heading?.text.replace(/\s/g, '').slice(0, 16), '機密データの保存等に関する届出書');
  assert.deepEqual(
    form.children.filter((c) => c.number).map((c) => c.number?.value[0]),
    [1, 2, 3, 4, 5, 6],
  );
}

describe('parser: the canonical seeds', () => {
  it('parses seed 000 (特約条項): 11 articles, headings, paragraph counts', () => {
    checkTokuyaku(parseDocument(read(SEED_000)));
  });

  it('parses the PDF-wrapped seed 004 (特記事項): 20 articles, 別紙 1–9 with (n) and ア–カ, 別記様式 1–6', () => {
    const doc = parseDocument(read(SEED_004));
    checkTokki(doc);
    assert.deepEqual(doc.problems, []);
  });

  it('gives the same trees for the cleaned one-paragraph-per-line texts', () => {
    checkTokki(parseDocument(read('dev-cases/dev-07-tokki-canonical.txt')));
    checkTokuyaku(parseDocument(read('dev-cases/dev-08-tokuyaku-canonical.txt')));
  });

  it('gives the same tree with half-width digits and 第N条 numbering (dev-04)', () => {
    const doc = parseDocument(read('dev-cases/dev-04-tokki-benign.txt'));
    checkTokki(doc, '条');
    assert.equal(doc.conventions.articleJo, true);
    assert.equal(doc.conventions.digits, 'half');
    assert.equal(doc.articles[13].label, '第14条');
  });

  it('a PDF-wrapped unit whose last words were cut off ends before the next number in its sequence (fuzz seed 1393870450)', () => {
    const text = read(SEED_004).replace('発注\n\n者に明示して納品すること。 \n', '発注\n');
    const a8 = parseDocument(text).articles[7];
    assert.deepEqual(
      paragraphs(a8).map((p) => [p.number?.value[0], p.body?.text.slice(0, 8)]),
      [
        [1, '受注者は、本業務'],
        [2, '生成ＡＩ等を利用'],
        [3, '利用する生成ＡＩ'],
      ],
    );
    // a wrapped line that starts with another number still goes on the line above (第７: 「平成」 / 「17 年」)
    assert.match(paragraphs(parseDocument(text).articles[6])[0].body?.text ?? '', /会社法（平成17 ?年法律第 ?86 ?号）/);
    // and so does the next number when it is a figure (２ 日以内) or written otherwise (2 with ２ before it)
    for (const figure of ['２ 日以内に使', '2 生成ＡＩ等を使']) {
      const wrapped = read(SEED_004).replace('生成ＡＩ等を使\n\n用すること。', `生成ＡＩ等を使\n\n${figure}用すること。`);
      const first = paragraphs(parseDocument(wrapped).articles[7]);
      assert.equal(first.length, 3, figure);
      assert.match(first[0].body?.text ?? '', new RegExp(`生成ＡＩ等を使${figure}用すること。$`), figure);
    }
  });

  it('a PDF-wrapped sentence whose end was lost does not take in the next article\'s （見出し） (fuzz seed 619151698)', () => {
    // 第16's last line cut after 「当該情報セキュリティインシ」 and followed by a full-width line of other text
    const text = read(SEED_004).replace('デントを公表することができるものとする。 \n', 'には、本件業務の履行のために必要な範囲において行うものとし、作成等の途上で生成される\n');
    assert.notEqual(text, read(SEED_004));
    const doc = parseDocument(text);
    const [a16, a17] = [doc.articles[15], doc.articles[16]];
    assert.equal(a17.heading?.text, '情報セキュリティの確保');
    assert.equal(text.slice(a17.heading!.span.start, a17.heading!.span.end).trim(), '（情報セキュリティの確保）');
    const body16 = paragraphs(a16)[0].body!.text;
    assert.match(body16, /作成等の途上で生成される$/);
    assert.doesNotMatch(body16, /情報セキュリティの確保/);
    // a line of one （…） inside running text, before a line that starts with 第N but not the next
    // article's number, still goes on the line above
    const inside = read(SEED_004).replace('第三者（会社法（平成\n\n17 年法律第 86 号）', '第三者（会社法\n\n（平成17 年法律第 86 号）\n\n');
    assert.notEqual(inside, read(SEED_004));
    assert.match(paragraphs(parseDocument(inside).articles[6])[0].body?.text ?? '', /第三者（会社法（平成17 年法律第 86 号）$/);
  });

  it('a line of one number in brackets is an item (or an annex part) whose text is on the next line, not a heading', () => {
    const doc = parseDocument('第１条 受注者は、次の事項を守る。\n(1)\n従事者の教育を行うこと。\n（２）\n報告すること。\n（見出し）\n第２条 発注者は、確認する。\n別紙\n１ 趣旨\n(1)\n管理すること。\n');
    assert.deepEqual(
      doc.articles[0].children[0].children.map((u) => [u.kind, u.number?.value[0], u.body?.text]),
      [
        ['item', 1, '従事者の教育を行うこと。'],
        ['item', 2, '報告すること。'],
      ],
    );
    assert.equal(doc.articles[1].heading?.text, '見出し');
    const part = doc.annexes[0].children[0].children[0];
    assert.deepEqual([part.kind, part.number?.value[0], part.body?.text ?? part.heading?.text], ['annexSubsection', 1, '管理すること。']);
  });

  it('ア or 二 alone on its line is an item whose text is on the next line where it starts its sequence or goes on with it', () => {
    const doc = parseDocument('第１条 受注者は、次の事項を守る。\n一 教育を行うこと。\n二\n報告すること。\n２ 乙は、次のとおりとする。\nア 宛先を確認すること。\nイ\n送付先を確認すること。\n第２条 発注者は、確認する。\nス\n');
    const [p1, p2] = paragraphs(doc.articles[0]);
    assert.deepEqual(p1.children.map((u) => [u.kind, u.number?.value[0], u.body?.text]), [
      ['item', 1, '教育を行うこと。'],
      ['item', 2, '報告すること。'],
    ]);
    assert.deepEqual(p2.children.map((u) => [u.kind, u.number?.value[0], u.body?.text]), [
      ['subitem', 1, '宛先を確認すること。'],
      ['subitem', 2, '送付先を確認すること。'],
    ]);
    // not where it would not go on with its sequence: 「ス」 after 第２条 is text
    assert.equal(paragraphs(doc.articles[1])[0].body?.text, '発注者は、確認する。ス');
  });

  it('maps joined PDF lines back to the original characters', () => {
    const text = read(SEED_004);
    const doc = parseDocument(text);
    const p = paragraphs(doc.articles[6])[0];
    const body = p.body!;
    const i = body.text.indexOf('17');
    const span = blockSpan(body, i, i + 2);
    assert.equal(text.slice(span.start, span.end), '17');
    const j = body.text.indexOf('会社法（平成17');
    const s2 = blockSpan(body, j, j + '会社法（平成17'.length);
    // the span crosses the line break of the PDF text
    assert.ok(text.slice(s2.start, s2.end).includes('\n'));
    assert.equal(text.slice(s2.start, s2.end).replace(/\s/g, ''), '会社法（平成17');
  });

  it('records conventions: 第N without 条, full-width single digits (第９, 第 10), a space inside 「第 10」', () => {
    const doc = parseDocument(read(SEED_004));
    assert.equal(doc.conventions.articleJo, false);
    assert.equal(doc.conventions.digits, 'full-single');
    assert.equal(doc.conventions.spaceInNumber, true);
    assert.equal(doc.articles[9].number?.raw, '第 10');
  });
});

describe('parser: numbering forms', () => {
  it('reads branch numbers, kanji numerals and 條', () => {
    const doc = parseDocument('第一条 甲は、乙に通知する。\n第三条の二 乙は、甲に報告する。\n第十二條 甲は、乙に通知する。\n第3条の2 乙は、甲に通知する。\n');
    assert.deepEqual(
      doc.articles.map((a) => a.number?.value),
      [[1], [3, 2], [12], [3, 2]],
    );
    assert.equal(doc.articles[1].label, '第3条の2');
    assert.equal(doc.articles[0].number?.style, 'kanji');
  });

  it('takes the heading on the line before, right after the number, or on the next line', () => {
    const doc = parseDocument('（目的）\n第1条 この契約は目的を定める。\n第2条（定義） この契約で用いる語を定める。\n第3条\n（期間）\nこの契約の期間は一年とする。\n');
    assert.deepEqual(
      doc.articles.map((a) => a.heading?.text),
      ['目的', '定義', '期間'],
    );
    assert.equal(paragraphs(doc.articles[1])[0].body?.text, 'この契約で用いる語を定める。');
  });

  it('reads a heading line joined with its article’s number line (「(総則)第1条 この特約は…」), and not an item that begins with a reference', () => {
    const text = '(総則)第1条 この特約は、本契約と一体をなす。\n（目的）第２ この特記事項は目的を定める。\n(1)第3条の規定により、乙は報告する。\n';
    const doc = parseDocument(text);
    assert.deepEqual(
      doc.articles.map((a) => `${a.number?.raw} ${a.heading?.text} ${paragraphs(a)[0].body?.text}`),
      ['第1条 総則 この特約は、本契約と一体をなす。', '第２ 目的 この特記事項は目的を定める。'],
    );
    // 「(1)第3条の規定により…」 is an item of 第２, not a third article
    assert.equal(doc.articles[1].span.end, text.length - 1);
    // every span on the user's characters: the heading's text inside its brackets, the article from its heading
    const [a] = doc.articles;
    assert.equal(text.slice(a.heading!.span.start, a.heading!.span.end), '(総則)');
    assert.equal(text.slice(a.heading!.block!.span.start, a.heading!.block!.span.end), '総則');
    assert.equal(a.span.start, 0);
    assert.equal(text.slice(a.number!.span.start, a.number!.span.end), '第1条');
  });

  it('reads paragraphs, 号 items (一 / (1) / ①) and イロハ / アイウ sub-items', () => {
    const text = [
      '第1条 甲は、次に掲げる措置を講じなければならない。',
      '一 暗号化',
      '二 次に掲げる管理',
      'イ 施錠',
      'ロ 入退室の記録',
      '2 乙は、次の事項を守る。',
      '(1) 持出しの禁止',
      '(2) 複製の禁止',
      '3 前二項の規定は、この契約の終了後も適用する。',
    ].join('\n');
    const doc = parseDocument(text);
    const a = doc.articles[0];
    const ps = paragraphs(a);
    assert.equal(ps.length, 3);
    assert.deepEqual(
      ps[0].children.map((c) => [c.kind, c.number?.value[0]]),
      [
        ['item', 1],
        ['item', 2],
      ],
    );
    const sub = ps[0].children[1].children;
    assert.deepEqual(
      sub.map((c) => [c.kind, c.number?.style, c.number?.value[0], c.label]),
      [
        ['subitem', 'iroha', 1, '第1条第1項第2号イ'],
        ['subitem', 'iroha', 2, '第1条第1項第2号ロ'],
      ],
    );
    assert.deepEqual(
      ps[1].children.map((c) => c.label),
      ['第1条第2項第1号', '第1条第2項第2号'],
    );
  });

  it('reads chapters and sections and keeps articles inside them', () => {
    const doc = parseDocument('第一章 総則\n第一条 目的を定める。\n第二章 義務\n第一節 通則\n第二条 義務を定める。\n');
    assert.equal(doc.units[0].kind, 'chapter');
    assert.equal(doc.units[0].heading?.text, '総則');
    assert.equal(doc.articles.length, 2);
    assert.equal(doc.units[1].children[0].kind, 'division');
    assert.equal(doc.units[1].children[0].children[0], doc.articles[1]);
  });

  it('accepts a space inside the number and full-width digits', () => {
    const doc = parseDocument('第 １ 甲は通知する。\n第 ２ 乙は報告する。\n');
    assert.deepEqual(
      doc.articles.map((a) => a.number?.value[0]),
      [1, 2],
    );
  });

  it('does not take words such as 第三者 for article numbers', () => {
    const doc = parseDocument('第1条 乙は、\n第三者に提供してはならない。\n');
    assert.equal(doc.articles.length, 1);
  });

  it('maps a heading written in brackets (【注記事項】) onto its own characters, not onto the end of its line', () => {
    const text = '第1条 甲は、乙に委託する。\n別紙\n遵守事項\n１ 趣旨\nこの遵守事項は、細則を定める。\n【注記事項】\nア 確認すること。\n';
    const doc = parseDocument(text);
    const find = (us: Unit[]): Unit | undefined => {
      for (const u of us) {
        if (u.heading?.text === '注記事項') return u;
        const c = find(u.children);
        if (c) return c;
      }
      return undefined;
    };
    const u = find(doc.units);
    assert.ok(u?.heading?.block, 'the bracketed heading has a block');
    const b = u.heading.block;
    const span = blockSpan(b, 0, b.text.length);
    assert.equal(text.slice(span.start, span.end), '注記事項');
    assert.equal(text.slice(u.heading.span.start, u.heading.span.end), '【注記事項】');
  });

  it('keeps form lines (□ 有, （住所）) as text of their section', () => {
    const doc = parseDocument(read(SEED_004));
    const form = doc.annexes[1];
    const s3 = form.children[2];
    assert.match(s3.body?.text ?? '', /□ 有/);
    assert.match(s3.body?.text ?? '', /（利用契約先の情報）/);
  });

  it('keeps cover and signature text apart from the articles', () => {
    const doc = parseDocument('業務委託契約書\n令和8年4月1日\n第1条 甲は乙に委託する。\n第2条 乙は受託する。\n以上\n甲 住所 東京都\n乙 住所 大阪府\n');
    assert.equal(doc.title?.block.text, '業務委託契約書');
    assert.deepEqual(
      doc.free.map((f) => f.role),
      ['cover', 'signature', 'signature', 'signature'],
    );
    assert.equal(paragraphs(doc.articles[1])[0].body?.text, '乙は受託する。');
  });
});

describe('parser: bad input never throws', () => {
  it('reports empty, binary and too-large input as problems', () => {
    assert.equal(parseDocument('').problems[0].code, 'empty');
    assert.equal(parseDocument('  \n\u3000\n').problems[0].code, 'empty');
    assert.equal(parseDocument('abc\u0000def').problems[0].code, 'binary');
    assert.equal(parseDocument('x'.repeat(100), { maxChars: 10 }).problems[0].code, 'too-large');
    assert.equal(parseDocument('これは契約書ではない。\n').problems[0].code, 'no-articles');
  });

  it('survives malformed numbering and random text', () => {
    const samples = [
      '第\n第条\n第0条\n第99999999999999999999条 x\n（\n(\n２\n(1)\nア\n別紙\n別紙\n',
      '第1条 a\n第1条 b\n第3条 c\n第2条 d\n５ e\n',
      Array.from({ length: 2000 }, (_, i) => String.fromCharCode(0x20 + ((i * 7919) % 0x3000))).join(''),
    ];
    for (const s of samples) {
      const doc = parseDocument(s);
      for (const a of doc.articles) {
        assert.ok(a.span.start >= 0 && a.span.end <= s.length);
      }
    }
  });

  it('parses 5 MB of text in bounded time without throwing', () => {
    const base = read(SEED_004);
    let big = '';
    while (big.length < 5_000_000) big += base;
    const doc = parseDocument(big);
    assert.ok(doc.articles.length > 4000);
  });
});

describe('parser: in steps (parseSteps)', () => {
  function drive(text: string, opts = {}): { pauses: number; doc: ParsedDocument } {
    const steps = parseSteps(text, opts);
    let pauses = 0;
    for (let s = steps.next(); ; s = steps.next()) {
      if (s.done) return { pauses, doc: s.value };
      pauses++;
    }
  }

  it('pauses between its passes and every few thousand lines, and makes the same document', () => {
    const text = syntheticContract(400 * 1024);
    const lines = text.split('\n').length;
    const { pauses, doc } = drive(text);
    assert.ok(pauses >= 3 + Math.floor(lines / 4096) - 1, `${pauses} pauses for ${lines} lines`);
    assert.deepEqual(doc, parseDocument(text));
  });

  it('bad input: no pause, the same problems', () => {
    for (const text of ['', '   \n', 'a\u0000b', 'x'.repeat(50)]) {
      const { pauses, doc } = drive(text, { maxChars: 10 });
      assert.equal(pauses, 0, JSON.stringify(text));
      assert.deepEqual(doc, parseDocument(text, { maxChars: 10 }));
    }
  });
});

