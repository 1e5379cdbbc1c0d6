/**
 * The style rules on real text: the published seeds (read RAW, as published, from
 * /work/shared/seeds — PDF-extracted 004 with wrapped lines and blank lines between them), the dev
 * cases, and long correct legal text written for this test (the false-alarm measurement).
 */
import * as assert from 'node:assert/strict';
import { loadTokenizer } from '../../../server/src/engine/tokenizer/kuromoji';
import type { Tokenizer } from '../../../server/src/engine/tokenizer/types';
import { applyFixes, describeFindings, fixture, runStyle, sharedFile, STYLE_RULES } from './style-util';

type Row = [rule: string, messageId: string, line: number, character: number, text: string];

function rows(text: string, tokenizer: Tokenizer): Row[] {
  const r = runStyle(text, tokenizer);
  return r.findings.map((f) => {
    const p = r.analysis.lines.positionAt(f.span.start);
    return [f.ruleId, f.messageId, p.line, p.character, text.slice(f.span.start, f.span.end)];
  });
}

/** The seeds' own slips (drafting-rules §7), positions 0-based. */
const SEED_000_SLIPS: Row[] = [
  // 第4条 「再委託先の事業者はこの特約条項を遵守させなければならない」: the causative needs に
  ['style/typo', 'causative-ha', 22, 33, '事業者はこの特約条項を遵守させ'],
  // 第5条第4項 「前項に定めるものの他」: ほか
  ['style/notation', 'hoka', 32, 38, '他'],
  // 第7条 「再委託先の事業者を提供した場合」: the recipient takes に
  ['style/typo', 'recipient-wo', 42, 40, '事業者を提供し'],
  // 第8条 「報告を求められることができる」: passive + ことができる
  ['style/typo', 'passive-permission', 46, 48, '求められることができる'],
  // 第9条 「困難な場合にあつては」: small っ
  ['style/notation', 'small-tsu', 54, 60, 'あつて'],
  // 第11条 「前条までに定めるものの他」: ほか
  ['style/notation', 'hoka', 62, 38, '他'],
];

const SEED_004_SLIPS: Row[] = [
  // figures: 平成17 年法律第 86 号, 第 12/13/14/18 in 第19, 60 分 … among full-width ones (one finding)
  ['style/number-width', 'figures-to-full', 61, 0, '17'],
  // numbering: 第 10 … 第 20 half-width after 第１ … 第９ and the full-width items (one finding)
  ['style/number-width', 'numbering-to-full', 95, 2, '10'],
  // 第19 「有効に存続するも／とする」, wrapped across a blank line
  ['style/typo', 'mo-tosuru', 189, 44, 'も\n\nとする'],
  // 別紙 3(2) and 9(3) 「この限りではない」
  ['style/notation', 'kagiri', 265, 0, 'この限りではない'],
  // 別紙 8(3)ウ 「発信を行なってはならない」
  ['style/typo', 'okurigana', 435, 14, '行なっ'],
  ['style/notation', 'kagiri', 463, 24, 'この限りではない'],
];

describe('style rules on the published seeds, the dev cases and long correct text', function () {
  this.timeout(120_000);
  let tokenizer: Tokenizer;
  before(async () => {
    tokenizer = await loadTokenizer();
  });

  describe('the raw published seeds (/work/shared/seeds): their real slips are found, nothing else', () => {
    it('000 情報セキュリティに関する特約条項: 第4条 遵守させ, 第7条 事業者を提供, 第8条 求められることができる, 第9条 あつて (+ ものの他 ×2)', function () {
      const text = sharedFile('seeds/000_b184c2786e903c99.txt');
      assert.ok(text !== null, 'the seeds and dev cases are in test/fixtures');
      assert.deepEqual(rows(text, tokenizer), SEED_000_SLIPS);
    });

    it('004 情報セキュリティに関する特記事項 (PDF text): 第19 もとする across wrapped lines, この限りではない ×2, 行なって, mixed digit widths', function () {
      const text = sharedFile('seeds/004_5803deb95195d81e.txt');
      assert.ok(text !== null, 'the seeds and dev cases are in test/fixtures');
      assert.deepEqual(rows(text, tokenizer), SEED_004_SLIPS);
    });

    it('the もとする fix on the raw seed inserts の after も and keeps the wrapped lines', function () {
      const text = sharedFile('seeds/004_5803deb95195d81e.txt');
      assert.ok(text !== null, 'the seeds and dev cases are in test/fixtures');
      const r = runStyle(text, tokenizer, ['style/typo']);
      const f = r.findings.find((x) => x.messageId === 'mo-tosuru');
      assert.ok(f?.fixes?.[0].safe);
      const fixed = applyFixes(text, [f]);
      assert.ok(fixed.includes('有効に存続するもの\n\nとする。'), 'fixed text');
      assert.equal(fixed.length, text.length + 1);
      assert.equal(runStyle(fixed, tokenizer, ['style/typo']).findings.filter((x) => x.messageId === 'mo-tosuru').length, 0);
    });

    it('applying every safe fix leaves no finding with a safe fix (seeds)', function () {
      for (const name of ['seeds/000_b184c2786e903c99.txt', 'seeds/004_5803deb95195d81e.txt']) {
        const text = sharedFile(name);
        assert.ok(text !== null, 'the seeds and dev cases are in test/fixtures');
        const once = applyFixes(text, runStyle(text, tokenizer).findings, true);
        const again = runStyle(once, tokenizer).findings.filter((f) => f.fixes?.[0]?.safe);
        assert.equal(again.length, 0, `${name}:\n${again.map((f) => `${f.ruleId}:${f.messageId}`).join('\n')}`);
      }
    });
  });

  describe('dev cases', () => {
    it('dev-06-tokki-style: 且つ (line 8), 若しくは without 又は (line 10), もとする (line 29) are found at their lines', function () {
      const text = sharedFile('dev-cases/dev-06-tokki-style.txt');
      const spec = sharedFile('dev-cases/dev-06-tokki-style.json');
      assert.ok(text !== null && spec !== null, 'the seeds and dev cases are in test/fixtures');
      const expect = (JSON.parse(spec) as { expect: Array<{ rule: string; line: number }> }).expect;
      assert.ok(expect.length >= 3);
      const found = rows(text, tokenizer);
      for (const e of expect) {
        // the .json lines are 1-based
        assert.ok(
          found.some(([rule, , line]) => rule === e.rule && line === e.line - 1),
          `${e.rule} at line ${e.line} not found in:\n${found.join('\n')}`,
        );
      }
      assert.deepEqual(
        found.filter(([, , line]) => [7, 9, 28].includes(line)),
        [
          ['style/notation', 'kana-conjunction', 7, 89, '且つ'],
          ['style/conjunction', 'moshikuha-without-mataha', 9, 19, '若しくは'],
          ['style/typo', 'mo-tosuru', 28, 62, 'もとする'],
        ],
      );
    });

    it('dev-07-tokki-canonical (特記事項 as published): only its known slips', function () {
      const text = sharedFile('dev-cases/dev-07-tokki-canonical.txt');
      assert.ok(text !== null, 'the seeds and dev cases are in test/fixtures');
      assert.deepEqual(rows(text, tokenizer), [
        ['style/number-width', 'figures-to-full', 15, 43, '17'], // 平成17 年 … among full-width figures
        ['style/number-width', 'numbering-to-full', 24, 2, '10'], // 第 10 … 第 20 after 第１ … 第９
        ['style/typo', 'mo-tosuru', 45, 138, 'もとする'], // 第19 存続するもとする
        ['style/notation', 'kagiri', 61, 122, 'この限りではない'], // 別紙 3(2)
        ['style/typo', 'okurigana', 109, 55, '行なっ'], // 別紙 8(3)ウ
        ['style/notation', 'kagiri', 117, 105, 'この限りではない'], // 別紙 9(3)
      ]);
    });

    it('dev-08-tokuyaku-canonical (特約条項 as published): only its known slips', function () {
      const text = sharedFile('dev-cases/dev-08-tokuyaku-canonical.txt');
      assert.ok(text !== null, 'the seeds and dev cases are in test/fixtures');
      assert.deepEqual(rows(text, tokenizer), [
        ['style/typo', 'causative-ha', 10, 33, '事業者はこの特約条項を遵守させ'], // 第4条
        ['style/notation', 'hoka', 15, 38, '他'], // 第5条第4項 ものの他
        ['style/typo', 'recipient-wo', 20, 40, '事業者を提供し'], // 第7条
        ['style/typo', 'passive-permission', 22, 48, '求められることができる'], // 第8条
        ['style/notation', 'small-tsu', 26, 60, 'あつて'], // 第9条
        ['style/notation', 'hoka', 30, 38, '他'], // 第11条 ものの他
      ]);
    });
  });

  describe('false alarms on long correct legal text (fixtures written for this test)', () => {
    for (const name of ['statute-correct.txt', 'contract-correct.txt']) {
      it(`${name}: zero findings of any level from the style rules`, () => {
        const text = fixture(name);
        assert.ok(text.length > 2000, `${name} is long (${text.length} characters)`);
        const r = runStyle(text, tokenizer);
        assert.equal(r.findings.length, 0, describeFindings(r));
      });
    }

    it('the statute-style fixture exercises the correct forms the rules must not flag', () => {
      const text = fixture('statute-correct.txt');
      assert.ok(text.length >= 4500, `several thousand characters (${text.length})`);
      for (const form of [
        '、若しくは加工し、又は', // 「A、B若しくはC又はD」 with verbs
        '滅失若しくはき損又は', // 「A、B若しくはC又はD」
        'その他の',
        'その他人の',
        '直ちにその旨を委託者に報告し、その後速やかに',
        'があつて', // inside a quotation of the old rule
        'することができる',
        '及び',
        '並びに',
        '場合において、委託者から指示があったときは',
        'もののほか',
        '除くほか',
        'ただし、',
        'この限りでない。',
        '再委託先にこの規程を遵守させなければならない',
        '再委託先に機密情報を提供した',
        '必要かつ適切',
        '（以下単に「記録」という。）',
        '報告を求められたときは',
        '検査させることができる',
      ]) {
        assert.ok(text.includes(form), `fixture contains ${form}`);
      }
      const longest = Math.max(...text.split('。').map((s) => s.length));
      assert.ok(longest > 150, `a long sentence (${longest} characters)`);
    });

    it('every style rule runs on the fixtures (the zero is not a rule that never ran)', () => {
      const r = runStyle(fixture('statute-correct.txt'), tokenizer);
      assert.deepEqual(r.pendingRules, []);
      assert.equal(r.findings.filter((f) => f.messageId === 'internal-error').length, 0);
      // the same text with slips injected is flagged by every rule
      const broken = fixture('statute-correct.txt')
        .replace('滅失若しくはき損又は', '滅失若しくはき損若しくは') // conjunction (both 若しくは, no 又は in that sentence)
        .replace('必要かつ適切', '必要且つ適切') // notation
        .replace('を行うものとする。', 'を行うもとする。') // typo
        .replace('廃棄の日から１４日以内', '廃棄の日から14日以内') // number-width
        .replace('事故が発生した場合において、委託者から指示があったときは', '事故が発生したときにおいて、委託者から指示があった場合は') // condition
        .replace('（以下「従事者」という。）', '（以下「従事者」という）'); // definition
      const hit = new Set(runStyle(broken, tokenizer).findings.map((f) => f.ruleId));
      assert.deepEqual([...hit].sort(), [...STYLE_RULES].sort());
    });
  });
});
