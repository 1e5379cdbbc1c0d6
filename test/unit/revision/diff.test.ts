/**
 * The revision diff engine (server/src/engine/revision/): revisions made from the seeds and a
 * statute-style law, and small cases for each kind of change and each scale.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { revisedEveryThirdLine } from '../../../bench/adversarial';
import { syntheticContract } from '../../../bench/synthetic';
import { diffRevisions, diffRevisionsAsync } from '../../../server/src/engine/revision/diff';
import type { RevisionReport, UnitChange } from '../../../server/src/engine/revision/types';
import { loadTokenizer } from '../../../server/src/engine/tokenizer/kuromoji';
import type { Tokenizer } from '../../../server/src/engine/tokenizer/types';

const REV = path.resolve(__dirname, '../../../../test/fixtures/revisions');
const read = (name: string): string => readFileSync(path.join(REV, name), 'utf8');

let tokenizer: Tokenizer;

before(async function () {
  this.timeout(60000);
  tokenizer = await loadTokenizer();
});

function diff(a: string, b: string): RevisionReport {
  return diffRevisions(a, b, { tokenizer, oldName: 'A', newName: 'B' });
}

/** kind, labels (old → new) and wording directions: what a reviewer reads. */
function brief(c: UnitChange): string {
  const labels = c.kind === 'added' ? c.new?.label : c.kind === 'removed' ? c.old?.label : `${c.old?.label}→${c.new?.label}`;
  const words = c.wording.map((w) => `${w.direction}:${w.scale}`).join(',');
  return `${c.kind} ${labels}${words ? ` [${words}]` : ''}`;
}

function runs(r: RevisionReport): string[] {
  return r.renumbering.map((x) => {
    const first = x.units[0];
    const last = x.units[x.units.length - 1];
    return `${first.old.label}..${last.old.label}→${first.new.label}..${last.new.label}`;
  });
}

describe('revision diff: seeds', function () {
  it('特約条項: an added article, the renumbering once, a weakened deadline — exactly those', function () {
    const r = diff(read('tokuyaku-a.txt'), read('tokuyaku-b.txt'));
    assert.deepEqual(r.changes.map(brief), ['added 第5条', 'changed 第6条第1項→第7条第1項 [weakened:deadline]']);
    assert.deepEqual(runs(r), ['第5条..第11条→第6条..第12条']);
    assert.equal(r.renumbering[0].delta, 1);
    const w = r.changes[1].wording[0];
    assert.equal(w.messageId, 'deadline-weaker');
    assert.deepEqual([w.oldText, w.newText], ['直ちに', '速やかに']);
    assert.equal(read('tokuyaku-b.txt').slice(w.newSpan!.start, w.newSpan!.end), '速やかに');
    assert.equal(read('tokuyaku-a.txt').slice(w.oldSpan!.start, w.oldSpan!.end), '直ちに');
    assert.deepEqual(r.weakenings, [{ change: r.changes[1].id, index: 0 }]);
    const s = r.summary;
    assert.deepEqual([s.added, s.removed, s.changed, s.renumbered, s.renumberRuns, s.weakened, s.equivalent], [1, 0, 1, 7, 1, 1, false]);
  });

  it('特記事項 (22 KB, PDF wrapped): added 第6, 第6–第20 renumbered once, 第15第2項 weakened; reflow and digit width ignored', function () {
    const r = diff(read('tokki-a.txt'), read('tokki-b.txt'));
    assert.deepEqual(r.changes.map(brief), ['added 第6', 'changed 第14第2項→第15第2項 [weakened:deadline]']);
    assert.deepEqual(runs(r), ['第6..第20→第7..第21']);
    assert.deepEqual([r.changes[1].wording[0].oldText, r.changes[1].wording[0].newText], ['直ちに', '遅滞なく']);
    // the changed words are marked in both texts
    assert.deepEqual(r.changes[1].oldSegments?.filter((x) => x.changed).map((x) => x.text), ['直ちに']);
    assert.deepEqual(r.changes[1].newSegments?.filter((x) => x.changed).map((x) => x.text), ['遅滞なく']);
  });

  it('reflow and digit width alone: equivalent, nothing listed', function () {
    const r = diff(read('tokki-a.txt'), read('tokki-reflow.txt'));
    assert.deepEqual(r.changes, []);
    assert.deepEqual(r.renumbering, []);
    assert.equal(r.summary.equivalent, true);
  });

  it('thousands of identical articles, one deleted: one removal, nothing else', function () {
    // identical siblings pair in order from a shared list; the greedy pass sees the unpaired only
    const same = '第1条 甲は乙に通知する。';
    const oldText = Array.from({ length: 3000 }, () => same).join('\n') + '\n';
    const lines = oldText.split('\n');
    lines.splice(1500, 1);
    const r = diffRevisions(oldText, lines.join('\n'));
    assert.deepEqual(r.changes.map((c) => c.kind), ['removed']);
    assert.equal(r.summary.removed, 1);
    assert.deepEqual(r.renumbering, []);
  });

  it('thousands of identical articles, two changed: two changes where they were, nothing moved', function () {
    const same = '第1条 甲は乙に通知する。';
    const lines = Array.from({ length: 3000 }, () => same);
    const edited = [...lines];
    edited[700] = '第1条 乙は甲に通知する。';
    edited[1500] = '第1条 甲は乙に直ちに通知する。';
    const r = diffRevisions(lines.join('\n'), edited.join('\n'));
    assert.deepEqual(r.changes.map((c) => c.kind), ['changed', 'changed']);
    const lineOf = (c: UnitChange): number => edited.join('\n').slice(0, c.anchor.start).split('\n').length - 1;
    assert.deepEqual(r.changes.map(lineOf), [700, 1500]);
  });

  it('runs of 削除 articles: an article revived, deleted or inserted among them is found where it was', function () {
    const arts = (xs: string[]): string => xs.map((b, i) => `第${i + 1}条 ${b}`).join('\n') + '\n';
    const A = ['甲は、乙に業務を委託する。', '削除', '削除', '削除', '削除', '削除', '乙は、甲に報告する。', '削除', '削除', '甲は、費用を負担する。'];
    const revived = [...A];
    revived[3] = '乙は、秘密を保持する。';
    revived[8] = '甲は、検査する。';
    assert.deepEqual(diffRevisions(arts(A), arts(revived)).changes.map(brief), ['changed 第4条→第4条 [neutral:wording]', 'changed 第9条→第9条 [neutral:wording]']);
    const deleted = A.filter((_, i) => i !== 3);
    // one of three identical articles went: which one cannot be told, and nothing else changed
    assert.deepEqual(diffRevisions(arts(A), arts(deleted)).changes.map((c) => c.kind), ['removed']);
    const inserted = [...A.slice(0, 3), '削除', ...A.slice(3)];
    assert.deepEqual(diffRevisions(arts(A), arts(inserted)).changes.map((c) => c.kind), ['added']);
  });

  it('renumbering alone: one run, no change, equivalent', function () {
    const r = diff(read('tokuyaku-gap.txt'), read('tokuyaku-a.txt'));
    assert.deepEqual(r.changes, []);
    assert.deepEqual(runs(r), ['第6条..第12条→第5条..第11条']);
    assert.equal(r.summary.equivalent, true);
  });

  it('a reference left at its old number after a renumbering is reported as retargeted', function () {
    // 第20 (the old 第19) still cites 第 12（機密データの返還等）, now 第13.
    const stale = read('tokki-b.txt').replace(/第 13（(\s*)機密/, '第 12（$1機密');
    assert.notEqual(stale, read('tokki-b.txt'));
    const r = diff(read('tokki-a.txt'), stale);
    const c = r.changes.find((x) => x.wording.some((w) => w.scale === 'reference'));
    assert.ok(c, r.changes.map(brief).join('\n'));
    assert.equal(c.new?.label, '第20第1項');
    const w = c.wording.find((x) => x.scale === 'reference')!;
    assert.equal(w.messageId, 'reference-retargeted');
    assert.equal(w.data.expected, '第13');
    assert.match(stale.slice(w.newSpan!.start, w.newSpan!.end), /^第 12/);
  });
});

describe('revision diff: in slices (diffRevisionsAsync)', function () {
  const a = syntheticContract(200 * 1024);
  const b = revisedEveryThirdLine(a);
  const comparable = (r: RevisionReport): RevisionReport => ({ ...r, elapsedMs: 0 });

  it('gives the report diffRevisions gives, yielding between slices', async function () {
    const stats = { yields: 0, longestSliceMs: 0 };
    const sliced = await diffRevisionsAsync(a, b, { tokenizer, sliceMs: 0 }, stats);
    assert.ok(sliced);
    assert.ok(sliced.changes.length > 100, `${sliced.changes.length} changes`);
    // with no time allowed per slice it yields at every pause: parsing, references, alignment, pairs
    assert.ok(stats.yields > sliced.changes.length, `${stats.yields} yields`);
    assert.deepEqual(comparable(sliced), comparable(diff(a, b)));
  });

  it('stops when cancelled and resolves to null', async function () {
    let pauses = 0;
    const r = await diffRevisionsAsync(a, b, { tokenizer, sliceMs: 0, isCancelled: () => ++pauses >= 3 });
    assert.equal(r, null);
    assert.equal(pauses, 3);
  });
});

describe('revision diff: found by the revision property (test/unit/property.test.ts)', function () {
  const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures');
  const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');

  it('a revision compared with itself reports nothing, though an article number is written twice (seed 1327932121)', function () {
    // two 第九条: a reference's target was looked up by label, and 「前項」 of the second one read as retargeted
    const statute = fixture('style/statute-correct.txt');
    const line = statute.split('\n').find((l) => l.startsWith('第九条　'))!;
    const text = statute.replace(line, `${line}\n${line}`);
    assert.deepEqual(diff(text, text).changes.map(brief), []);
  });

  it('a revision compared with itself reports nothing, though a reference names nothing (seed 64448377)', function () {
    // 「第４」 left after 第0 names no article: it no longer pairs with nothing, so 「第３」 after it
    // is not paired with it (and read as retargeted)
    const text = fixture('dev-cases/dev-06-tokki-style.txt').replace('\n第４ 受注者が、機密データを作成', '\n第0 第４ 受注者が、機密データを作成');
    assert.deepEqual(diff(text, text).changes.map(brief), []);
  });

  it('the places of a joined unit\'s wording run forwards in the source (seeds 1001031985, 1646545771)', function () {
    // dev-02 with the 届出書's lines moved about: 【注記事項】 takes in its neighbours (merged); seed
    // 004 with an item's heading cut and run into its body (rewritten, compared flat): the joined
    // text runs backwards in the source across a join, and so did the places of its hunks and of
    // the comparer's findings
    const cases: [string, string][] = [
      ['dev-cases/dev-02-tokki-renumbered.txt', 'dev-02-garbled-form.txt'],
      ['seeds/004_5803deb95195d81e.txt', 'seed-004-garbled-item.txt'],
    ];
    for (const [from, to] of cases) {
      const a = fixture(from);
      const b = read(to);
      const r = diff(a, b);
      assert.ok(r.changes.some((c) => c.wording.length > 0), r.changes.map(brief).join('\n'));
      for (const c of r.changes) {
        for (const w of c.wording) {
          if (w.oldSpan) assert.ok(w.oldSpan.start <= w.oldSpan.end && w.oldSpan.end <= a.length, `${to}: ${brief(c)} ${JSON.stringify(w.oldSpan)}`);
          if (w.newSpan) assert.ok(w.newSpan.start <= w.newSpan.end && w.newSpan.end <= b.length, `${to}: ${brief(c)} ${JSON.stringify(w.newSpan)}`);
        }
      }
    }
  });
});

describe('revision diff: long and wrapped paragraphs', function () {
  it('a line removed from a hand-wrapped paragraph is one change with its places in both revisions', function () {
    const oldText = '第1条 甲は、次のとおりとする。\n2 乙は、事故が発生したときは、\n直ちに発注者にその旨を報告し、\n発注者の指示に従わなければならない。\n第2条 甲は、確認する。\n';
    const newText = oldText.replace('\n直ちに発注者にその旨を報告し、', '');
    const r = diff(oldText, newText);
    // the words' caret sits at the end of the line above the place: the same change, not a second one
    assert.deepEqual(r.changes.map(brief), ['changed 第1条第2項→第1条第2項 [weakened:deadline]']);
    const [w] = r.changes[0].wording;
    assert.ok(w.oldSpan);
    assert.equal(oldText.slice(w.oldSpan.start, w.oldSpan.end), '直ちに発注者にその旨を報告し、');
  });

  it('a paragraph of thousands of lines: each change found where it is, not one change for the middle', function () {
    // ~15,000 tokens on each side: past the table of the LCS (Myers' diff)
    const lines = Array.from({ length: 3000 }, (_, i) => `甲は乙に第${i + 1}号の書類を通知し、`);
    const oldText = `第1条 ${lines.join('\n')}\n以上とする。\n第2条 甲は、確認する。\n`;
    const edited = [...lines];
    edited[500] = edited[500].replace('乙に', '丙に');
    edited[2000] = edited[2000].replace('通知し', '報告し');
    const newText = `第1条 ${edited.join('\n')}\n以上とする。\n第2条 甲は、確認する。\n`;
    const r = diff(oldText, newText);
    assert.deepEqual(r.changes.map(brief), ['changed 第1条第1項→第1条第1項 [neutral:wording,neutral:wording]']);
    assert.deepEqual(
      r.changes[0].wording.map((w) => [w.oldText, w.newText]),
      [
        ['乙', '丙'],
        ['通知', '報告'],
      ],
    );
  });
});

describe('revision diff: statute-style law', function () {
  it('names exactly the amended units: 第36条の2 and 第5章の2 inserted, 第12条第2項 reworded, an item deleted', function () {
    const r = diff(read('statute-a.txt'), read('statute-b.txt'));
    assert.deepEqual(
      r.changes.map((c) => `${c.kind} ${(c.new ?? c.old)?.label}`),
      ['removed 第2条第3項第3号', 'changed 第12条第2項', 'added 第36条の2', 'added 第5章の2'],
    );
    // the chapter holds its articles; they are not listed again
    assert.deepEqual(r.changes[3].related.map((u) => u.label), ['第36条の3', '第36条の4']);
    assert.equal(r.changes[3].new?.number, '第五章の二');
    // the items after the deleted one, renumbered once; the reference to one of them followed it
    assert.deepEqual(runs(r), ['第2条第3項第4号..第2条第3項第5号→第2条第3項第3号..第2条第3項第4号']);
    const reworded = r.changes[1];
    assert.equal(reworded.direction, 'mixed');
    assert.deepEqual(
      reworded.wording.map((w) => `${w.direction}:${w.messageId}`),
      ['strengthened:requirement-widened', 'weakened:deadline-weaker', 'weakened:requirement-list-member-dropped', 'weakened:obligation-weaker'],
    );
    assert.equal(r.summary.weakened, 3);
    assert.equal(r.weakenings.length, 3);
  });
});

describe('revision diff: kinds of change', function () {
  const five = [
    '第1条 甲は、乙に対し、本契約に基づく業務を委託し、乙はこれを受託する。',
    '第2条 乙は、業務の遂行に当たり、関係法令を遵守しなければならない。',
    '第3条 乙は、業務上知り得た秘密を第三者に漏らしてはならない。',
    '第4条 乙は、業務の進捗状況について、毎月末日までに甲に書面で報告しなければならない。',
    '第5条 甲は、乙の報告を受けたときは、その内容を確認し、必要な指示をすることができる。',
  ];
  const body = (line: string): string => line.replace(/^第\d+条 /, '');
  const numbered = (bodies: string[]): string => bodies.map((b, i) => `第${i + 1}条 ${b}`).join('\n') + '\n';

  it('moved: two articles swapped', function () {
    const b = five.map(body);
    [b[1], b[2]] = [b[2], b[1]];
    const r = diff(five.join('\n'), numbered(b));
    assert.deepEqual(r.changes.map(brief), ['moved 第3条→第2条']);
    assert.equal(r.changes[0].renumbered, true);
    assert.equal(r.summary.moved, 1);
    assert.equal(r.summary.equivalent, false);
  });

  it('split and merged: an article divided in two, and back', function () {
    const a = [
      '第1条 甲は、乙に対し、本契約に基づく業務を委託し、乙はこれを受託する。',
      '第2条 乙は、業務の遂行に当たり、関係法令を遵守しなければならない。',
      '2 乙は、業務上知り得た秘密を第三者に漏らしてはならない。本契約の終了後においても同様とする。',
      '3 乙は、業務の進捗状況について、毎月末日までに甲に書面で報告しなければならない。',
      '第3条 甲は、乙の報告を受けたときは、その内容を確認し、必要な指示をすることができる。',
    ].join('\n');
    const b = [
      '第1条 甲は、乙に対し、本契約に基づく業務を委託し、乙はこれを受託する。',
      '第2条 乙は、業務の遂行に当たり、関係法令を遵守しなければならない。',
      '第3条 乙は、業務上知り得た秘密を第三者に漏らしてはならない。本契約の終了後においても同様とする。',
      '2 乙は、業務の進捗状況について、毎月末日までに甲に書面で報告しなければならない。',
      '第4条 甲は、乙の報告を受けたときは、その内容を確認し、必要な指示をすることができる。',
    ].join('\n');
    const split = diff(a, b);
    assert.deepEqual(split.changes.map((c) => c.kind), ['split']);
    const parts = [split.changes[0].new!, ...split.changes[0].related].map((u) => u.label).sort();
    assert.deepEqual([split.changes[0].old?.label, parts], ['第2条', ['第2条', '第3条']]);
    assert.deepEqual(split.changes[0].wording, [], 'no words changed');
    assert.deepEqual(runs(split), ['第3条..第3条→第4条..第4条']);

    const merged = diff(b, a);
    assert.deepEqual(merged.changes.map((c) => c.kind), ['merged']);
    const from = [merged.changes[0].old!, ...merged.changes[0].related].map((u) => u.label).sort();
    assert.deepEqual([from, merged.changes[0].new?.label], [['第2条', '第3条'], '第2条']);
  });

  it('added and removed paragraphs inside a kept article', function () {
    const a = '第1条 乙は、秘密を保持しなければならない。\n2 乙は、資料を返還しなければならない。\n第2条 甲は、報酬を支払う。\n';
    const b = '第1条 乙は、秘密を保持しなければならない。\n2 乙は、従事者に秘密を保持させなければならない。\n3 乙は、資料を返還しなければならない。\n第2条 甲は、報酬を支払う。\n';
    const r = diff(a, b);
    assert.deepEqual(r.changes.map(brief), ['added 第1条第2項']);
    assert.deepEqual(runs(r), ['第1条第2項..第1条第2項→第1条第3項..第1条第3項']);
  });

  it('a heading changed', function () {
    const r = diff('（秘密保持）\n第1条 乙は、秘密を保持しなければならない。\n', '（秘密の保持）\n第1条 乙は、秘密を保持しなければならない。\n');
    assert.deepEqual(r.changes.map(brief), ['changed 第1条→第1条 [neutral:heading]']);
    assert.deepEqual([r.changes[0].wording[0].oldText, r.changes[0].wording[0].newText], ['秘密保持', '秘密の保持']);
  });
});

describe('revision diff: scales', function () {
  const pair = (a: string, b: string): UnitChange => {
    const r = diff(`第1条 甲は、乙に業務を委託する。\n第2条 ${a}\n`, `第1条 甲は、乙に業務を委託する。\n第2条 ${b}\n`);
    assert.equal(r.changes.length, 1, r.changes.map(brief).join('\n'));
    return r.changes[0];
  };
  const words = (c: UnitChange): string[] => c.wording.map((w) => `${w.direction}:${w.messageId}`);

  it('deadline weakened and strengthened; an explicit limit lengthened', function () {
    assert.deepEqual(words(pair('乙は、直ちに甲に報告しなければならない。', '乙は、遅滞なく甲に報告しなければならない。')), ['weakened:deadline-weaker']);
    assert.deepEqual(words(pair('乙は、遅滞なく甲に報告しなければならない。', '乙は、直ちに甲に報告しなければならない。')), ['strengthened:deadline-strengthened']);
    assert.deepEqual(words(pair('乙は、60分以内に甲に報告しなければならない。', '乙は、24時間以内に甲に報告しなければならない。')), ['weakened:deadline-limit-lengthened']);
  });

  it('obligation weakened and strengthened; a hedge added and removed', function () {
    assert.deepEqual(words(pair('乙は、教育を実施しなければならない。', '乙は、教育を実施するよう努めるものとする。')), ['weakened:obligation-weaker']);
    assert.deepEqual(words(pair('乙は、教育を実施するものとする。', '乙は、教育を実施しなければならない。')), ['strengthened:obligation-strengthened']);
    assert.deepEqual(words(pair('乙は、秘密を漏らしてはならない。', '乙は、原則として、秘密を漏らしてはならない。')), ['weakened:obligation-hedge']);
    assert.deepEqual(words(pair('乙は、原則として、秘密を漏らしてはならない。', '乙は、秘密を漏らしてはならない。')), ['strengthened:hedge-removed']);
  });

  it('requirement dropped and added; exception added and removed', function () {
    assert.deepEqual(words(pair('乙は、甲に書面で報告しなければならない。', '乙は、甲に報告しなければならない。')), ['weakened:requirement-dropped']);
    assert.deepEqual(words(pair('乙は、甲に報告しなければならない。', '乙は、甲に書面で報告しなければならない。')), ['strengthened:requirement-added']);
    assert.deepEqual(
      words(pair('乙は、資料を返還しなければならない。', '乙は、資料を返還しなければならない。ただし、甲が認めた場合はこの限りでない。')),
      ['weakened:exception-added'],
    );
    const removed = pair('乙は、資料を返還しなければならない。ただし、甲が認めた場合はこの限りでない。', '乙は、資料を返還しなければならない。');
    assert.deepEqual(words(removed), ['strengthened:exception-removed']);
    assert.equal(removed.wording[0].oldText, 'ただし、甲が認めた場合はこの限りでない。', 'the whole sentence, not a cut through it');
  });

  it('party swapped; parties renamed throughout is no change', function () {
    assert.deepEqual(words(pair('甲は、乙が違反したときは、契約を解除することができる。', '乙は、甲が違反したときは、契約を解除することができる。')), ['neutral:party-swapped']);
    const a = '第1条 甲は、乙に業務を委託する。\n第2条 乙は、甲に報告しなければならない。\n';
    const b = '第1条 発注者は、受注者に業務を委託する。\n第2条 受注者は、発注者に報告しなければならない。\n';
    assert.deepEqual(diff(a, b).changes, []);
  });

  it('words deleted are one change however kuromoji reads the words beside them, and the new text is cut at their place', function () {
    // 「関わりの|ない」 a noun, 「関わりの|が」 the verb 関わる: the draft's の matched the second の,
    // and the deletion read as 「関わりのない不特定多数」 → 「関わり」 and 「者」 deleted
    const c = pair('乙は、本件業務と関わりのない不特定多数の者が利用する場所において業務を行わない。', '乙は、本件業務と関わりのが利用する場所において業務を行わない。');
    assert.deepEqual(
      c.wording.map((w) => `${w.messageId} 「${w.oldText}」→「${w.newText}」`),
      ['text-removed 「ない不特定多数の者」→「」'],
    );
    // nothing is marked on the new side, but its text is cut where the words were: a shortened
    // excerpt keeps the words on both sides of the place
    assert.deepEqual(c.newSegments, [
      { text: '乙は、本件業務と関わりの', changed: false },
      { text: 'が利用する場所において業務を行わない。', changed: false },
    ]);
  });

  it('other wording: neutral', function () {
    assert.deepEqual(words(pair('乙は、月報を提出しなければならない。', '乙は、週報を提出しなければならない。')), ['neutral:text-changed']);
  });
});

describe('revision diff: input', function () {
  it('a revision with no articles is an error, not an empty report', function () {
    const r = diff('第1条 甲は、乙に業務を委託する。\n', 'ただの文章です。\n');
    assert.equal(r.error?.key, 'diff:error-no-articles');
    assert.equal(r.error?.data.file, 'B');
    assert.equal(r.summary.equivalent, false);
    assert.equal(diff('', '第1条 甲は、乙に業務を委託する。\n').error?.key, 'diff:error-empty');
  });

  it('works without kuromoji (coarser wording, same structure)', function () {
    const r = diffRevisions(read('tokuyaku-a.txt'), read('tokuyaku-b.txt'), { tokenizer: null });
    assert.deepEqual(r.changes.map((c) => `${c.kind} ${(c.new ?? c.old)?.label}`), ['added 第5条', 'changed 第7条第1項']);
    assert.deepEqual(runs(r), ['第5条..第11条→第6条..第12条']);
  });
});
