import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/engine/lint';
import { renumber } from '../../../server/src/engine/renumber';
import { applyEdits, brokenRefs, read, replaceOnce } from './helpers';

function checkEdits(text: string, r: ReturnType<typeof renumber>): void {
  for (let i = 1; i < r.edits.length; i++) assert.ok(r.edits[i - 1].span.end <= r.edits[i].span.start, 'edits do not overlap');
  assert.equal(applyEdits(text, r.edits), r.text);
}

describe('renumber', () => {
  it('a new article inserted after 第５, later ones renumbered, references not updated: gives the hand-made text', () => {
    const text = read('tokki-inserted-stale.txt');
    const r = renumber(text);
    checkEdits(text, r);
    assert.equal(r.text, read('tokki-inserted-expected.txt'));
    assert.deepEqual(r.renumbered, []);
    assert.deepEqual(
      r.rewritten.map((x) => x.text),
      ['第 12', '第 13', '第 14', '第 18', '第６', '第９'],
    );
  });

  it('the same insertion written as a second 第６ (later numbers untouched): renumbers and follows every reference', () => {
    const text = read('tokki-inserted-duplicate.txt');
    const r = renumber(text);
    checkEdits(text, r);
    assert.equal(r.text, read('tokki-inserted-expected.txt'));
    assert.equal(r.renumbered.length, 15);
    assert.deepEqual(r.renumbered.slice(2, 5).map((x) => `${x.from}→${x.to}`), ['第８→第９', '第９→第 10', '第 10→第 11']);
  });

  it('the insertion written as 第５の２: kept as a branch by default, made 第６ with flattenBranches', () => {
    const text = read('tokki-inserted-branch.txt');
    assert.deepEqual(renumber(text).edits, []);
    const r = renumber(text, { flattenBranches: true });
    checkEdits(text, r);
    assert.equal(r.text, read('tokki-inserted-expected.txt'));
  });

  it('dev-02: repairs the survival list; deleting 第10 and renumbering gives the same text', () => {
    const text = read('dev-02-tokki-renumbered.txt');
    const r = renumber(text);
    checkEdits(text, r);
    const line = r.text.split('\n')[43];
    assert.ok(line.includes('ただし、第 11（機密データの返還等）、第 12（再委託等の相手方からの回収等）、第 13（報告等。ただし、第１項の規定を除く。）及び第 17（損害賠償）の規定'), line);
    assert.deepEqual(brokenRefs(r.text).filter((f) => f.level !== 'hint'), []);
    // the canonical with 第10 removed and nothing renumbered
    const canonical = read('dev-07-tokki-canonical.txt');
    const start = canonical.indexOf('（再委託等に当たっての留意事項）');
    const end = canonical.indexOf('（再委託等に係る連帯責任）');
    const deleted = canonical.slice(0, start) + canonical.slice(end);
    const d = renumber(deleted);
    checkEdits(deleted, d);
    assert.equal(d.text, r.text);
    assert.deepEqual(d.renumbered.map((x) => `${x.from}→${x.to}`).slice(0, 2), ['第 11→第 10', '第 12→第 11']);
  });

  it('a statute with 第四条 deleted: kanji numbers, branch articles, the table of contents and every reference follow', () => {
    const text = read('statute-without-4.txt');
    const r = renumber(text);
    checkEdits(text, r);
    assert.equal(r.text, read('statute-without-4-expected.txt'));
    assert.equal(r.renumbered.length, 60); // 第五条 to 第六十二条 and the two branch articles
    assert.ok(r.renumbered.some((x) => x.from === '第三十六条の二' && x.to === '第三十五条の二'));
    assert.deepEqual(r.unresolved, []);
    assert.deepEqual(lint(r.text, { only: ['broken-reference', 'numbering'] }).findings, []);
  });

  it('is idempotent', () => {
    for (const name of ['tokki-inserted-expected.txt', 'statute.txt', 'seed-004-tokki.txt', 'seed-000-tokuyaku.txt', 'dev-07-tokki-canonical.txt']) {
      assert.deepEqual(renumber(read(name)).edits, [], name);
    }
  });

  it('renumbers paragraphs and items where needed and the references to them', () => {
    const text = [
      '第1条　甲は、次に掲げる事項を乙に通知する。',
      '一　名称',
      '三　所在地',
      '四　第三号に掲げる所在地の変更',
      '２　乙は、前項第四号の通知を受けたときは、第4項の手続をとる。',
      '４　乙は、前項の手続の後、第三号の届出をする。',
      '第2条　第1条第4項及び同条第1項第四号の規定は、第２条の２に準用する。',
      '第２条の２　前条の規定による。',
      '',
    ].join('\n');
    const r = renumber(text);
    checkEdits(text, r);
    assert.equal(
      r.text,
      [
        '第1条　甲は、次に掲げる事項を乙に通知する。',
        '一　名称',
        '二　所在地',
        '三　第二号に掲げる所在地の変更',
        '２　乙は、前項第三号の通知を受けたときは、第3項の手続をとる。',
        '３　乙は、前項の手続の後、第二号の届出をする。',
        '第2条　第1条第3項及び同条第1項第三号の規定は、第２条の２に準用する。',
        '第２条の２　前条の規定による。',
        '',
      ].join('\n'),
    );
    // 三 → 二, 四 → 三, ４ → ３; 「第三号」 in the last paragraph names the item written 三 (now 二)
    assert.deepEqual(r.renumbered.map((x) => `${x.from}→${x.to}`), ['三→二', '四→三', '４→３']);
  });

  it('keeps the draft style: 第N条, half-width digits, no blank', () => {
    const text = '第1条　甲は、第3条の規定に従う。\n第3条　乙は、第1条及び第4条の規定に従う。\n第4条　第3条の規定による。\n';
    const r = renumber(text);
    assert.equal(r.text, '第1条　甲は、第2条の規定に従う。\n第2条　乙は、第1条及び第3条の規定に従う。\n第3条　第2条の規定による。\n');
    const broken = replaceOnce(text, '第4条の規定', '第9条の規定');
    assert.deepEqual(renumber(broken).unresolved.map((x) => x.text), ['第9条']);
  });
});
