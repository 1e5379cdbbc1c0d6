import * as assert from 'node:assert/strict';
import { blankFormText } from '../../../server/src/engine/form/blank';
import { findingMessage } from '../../../server/src/engine/i18n/messages';
import { lint } from '../../../server/src/engine/lint';
import { ruleById } from '../../../server/src/engine/rules/registry';
import { SEED, edit, fixture, fixtureNames, formFindings, type Seen } from './helpers';

/** Findings as [messageId, level, text of the span] — the text is what the finding points at. */
function brief(seen: Seen[]): [string, string, string][] {
  return seen.map((s) => [s.id, s.level, s.text.replace(/[ \t]*(?:\r\n|\n)\s*/g, ' ')]);
}

const BLANK = blankFormText();

/** The blank form with the header filled in. */
function withHeader(text = BLANK): string {
  let t = edit(text, '年　月　日', '令和６年４月１日');
  t = edit(t, '（住所）', '（住所）東京都千代田区霞が関一丁目１番１号');
  t = edit(t, '（氏名又は法人名等）', '（氏名又は法人名等）株式会社サンプル');
  return t;
}

/** Marks option `option` (有, 無, 日本国内のみ…) of entry `n`. */
function mark(text: string, n: string, option: string, with_ = '☑'): string {
  return edit(text, `□ ${option}`, `${with_} ${option}`, n);
}

/** A complete, consistent answer: 国内のみ, 3 無, 5 無, 6 無; the samples deleted. */
function complete(): string {
  let t = withHeader();
  t = edit(t, '例 USBメモリ、社内PC内ストレージ、外付けハードディスク', '社内ファイルサーバ');
  t = edit(t, '例 米国、システム管理に関するログ情報を保管\n', '');
  t = mark(t, '２ 機密', '日本国内のみ');
  t = mark(t, '３ オンライン', '無');
  t = mark(t, '５ 生成', '無');
  t = mark(t, '６ 再委託', '無');
  return t;
}

describe('form-completeness', function () {
  it('is registered as a form rule that needs neither tokens nor a template', function () {
    const rule = ruleById('form-completeness');
    assert.ok(rule);
    assert.equal(rule.meta.category, 'form');
    assert.deepEqual(rule.meta.needs, {});
    assert.equal(rule.meta.defaultLevel, 'warning');
  });

  describe('the blank template: no findings', function () {
    it('seed 004 (PDF layout)', function () {
      assert.deepEqual(formFindings(SEED()), []);
    });
    for (const name of fixtureNames('dev-cases')) {
      it(`dev-cases/${name}`, function () {
        assert.deepEqual(formFindings(fixture(`dev-cases/${name}`)), []);
      });
    }
    it('blankFormText (LF, CRLF, without 別記様式)', function () {
      assert.deepEqual(formFindings(BLANK), []);
      assert.deepEqual(formFindings(blankFormText({ eol: '\r\n' })), []);
      assert.deepEqual(formFindings(blankFormText({ annexHeading: false })), []);
    });
    it('the contract name and date of the opening sentence do not count as filled in', function () {
      const t = edit(BLANK, '年 月 日付け「道路賠償責任保険」', '令和６年４月１日付け「庁舎清掃業務」');
      assert.deepEqual(formFindings(t), []);
    });
  });

  describe('valid filled-in forms: no findings', function () {
    for (const name of ['valid-clean.txt', 'valid-pdf.txt']) {
      it(`forms/${name}`, function () {
        assert.deepEqual(formFindings(fixture(`forms/${name}`)), []);
      });
    }
    it('a complete answer built from the blank form', function () {
      assert.deepEqual(formFindings(complete()), []);
    });
    it('a filled-in form after the articles of the 特記事項', function () {
      const contract = fixture('dev-cases/dev-07-tokki-canonical.txt');
      const text = contract.slice(0, contract.indexOf('機密データの保存等に関する届出書')) + fixture('forms/valid-clean.txt');
      assert.deepEqual(formFindings(text), []);
    });
  });

  describe('invalid filled-in forms', function () {
    it('forms/invalid-clean.txt (clean layout)', function () {
      assert.deepEqual(brief(formFindings(fixture('forms/invalid-clean.txt'))), [
        ['empty-date', 'warning', '令和６年　月　日'],
        ['empty-field', 'warning', '（氏名又は法人名等）'],
        ['sample-left', 'information', '例 USBメモリ、社内PC内ストレージ、外付けハードディスク'],
        ['no-choice', 'warning', '□ 日本国内のみ'],
        ['missing-detail', 'warning', 'イ 利用契約先の名称：'],
        ['multiple-choices', 'warning', '✓ 有'],
        ['missing-detail', 'warning', 'ウ 生成ＡＩを利用する業務及び作業の具体的内容'],
        ['missing-detail', 'warning', '（再委託先等に委託する具体的な業務内容）'],
      ]);
    });

    it('forms/invalid-pdf.txt (PDF layout)', function () {
      const seen = formFindings(fixture('forms/invalid-pdf.txt'));
      assert.deepEqual(brief(seen), [
        ['empty-date', 'warning', '年    月    日'],
        ['empty-field', 'warning', '（住所）'],
        ['sample-left', 'information', '例 USBメモリ、社内PC内ストレージ、外付けハ ードディスク'],
        ['sample-left', 'information', '例 米国、システム管理に関するログ情報を保 管'],
        ['missing-detail', 'warning', '（日本国外に保存する機密データの概要）'],
        ['certification-without-cloud', 'information', '■ 有'],
        ['multiple-choices', 'warning', '☑ 有'],
        ['no-choice', 'warning', '□ 有'],
      ]);
      assert.deepEqual(
        seen.map((s) => s.line),
        [7, 11, 27, 43, 55, 103, 127, 163],
      );
    });
  });

  describe('what is reported once anything is filled in', function () {
    it('only the header filled in: every unanswered choice (４ waits for ３)', function () {
      const seen = formFindings(withHeader());
      assert.deepEqual(
        seen.map((s) => [s.id, s.data.entry]),
        [
          ['sample-left', undefined],
          ['sample-left', undefined],
          ['no-choice', '２ 機密データを記憶する記録媒体等の物理的な所在地等'],
          ['no-choice', '３ オンラインストレージ等のクラウドサービスの利用の有無'],
          ['no-choice', '５ 生成ＡＩの利用の有無'],
          ['no-choice', '６ 再委託等の有無'],
        ],
      );
    });

    it('a single mark is enough to check the header', function () {
      const seen = formFindings(mark(BLANK, '６ 再委託', '無'));
      assert.deepEqual(
        seen.filter((s) => s.id.startsWith('empty-')).map((s) => [s.id, s.text]),
        [
          ['empty-date', '年　月　日'],
          ['empty-field', '（住所）'],
          ['empty-field', '（氏名又は法人名等）'],
        ],
      );
    });

    it('日本国外 asks for 国名 and 概要', function () {
      let t = edit(complete(), '☑ 日本国内のみ', '□ 日本国内のみ');
      t = mark(t, '２ 機密', '日本国外（全部又は一部）', '■');
      assert.deepEqual(brief(formFindings(t)), [
        ['missing-detail', 'warning', '（国名）'],
        ['missing-detail', 'warning', '（日本国外に保存する機密データの概要）'],
      ]);
      const filled = edit(edit(t, '（国名）', '（国名）米国'), '（日本国外に保存する機密データの概要）', '（日本国外に保存する機密データの概要）\n操作ログ');
      assert.deepEqual(formFindings(filled), []);
    });

    it('３ 有 asks for ア–ウ for each service; a set without a label is reported at the set', function () {
      let t = edit(complete(), '☑ 無', '□ 無', '３ オンライン');
      t = mark(t, '３ オンライン', '有');
      t = mark(t, '４ 利用', '有');
      t = edit(t, '（第三者認証の名称：           ）', '（第三者認証の名称：ISMAP）');
      t = edit(t, 'ア サービス名称', 'ア サービス名称 Box');
      t = edit(t, 'イ 利用契約先の名称', 'イ 利用契約先の名称 株式会社Box Japan');
      t = edit(t, 'ウ 機密データの物理的保存先に係る情報等', 'ウ 機密データの物理的保存先に係る情報等 日本\nア サービス名称 AWS');
      const seen = formFindings(t);
      assert.deepEqual(
        seen.map((s) => [s.id, s.text, s.data.field]),
        [
          ['missing-detail', 'ア サービス名称', 'イ 利用契約先の名称'],
          ['missing-detail', 'ア サービス名称', 'ウ 機密データの物理的保存先に係る情報等'],
        ],
      );
    });

    it('４ 有 asks for 第三者認証の名称; the field is the whole bracket', function () {
      let t = edit(complete(), '☑ 無', '□ 無', '３ オンライン');
      t = mark(t, '３ オンライン', '有');
      t = edit(t, 'ア サービス名称', 'ア サービス名称：Box');
      t = edit(t, 'イ 利用契約先の名称', 'イ 利用契約先の名称：Box Japan');
      t = edit(t, 'ウ 機密データの物理的保存先に係る情報等', 'ウ 機密データの物理的保存先に係る情報等：日本');
      assert.deepEqual(brief(formFindings(t)), [['no-choice', 'warning', '□ 有']]);
      t = mark(t, '４ 利用', '有');
      assert.deepEqual(brief(formFindings(t)), [['missing-detail', 'warning', '（第三者認証の名称：           ）']]);
    });

    it('５ 有 asks for ア–ウ; ６ 有 asks for 名称 and 業務内容, also when their labels were deleted', function () {
      let t = edit(complete(), '☑ 無', '□ 無', '５ 生成');
      t = mark(t, '５ 生成', '有');
      t = edit(t, 'イ サービス提供事業者', 'イ サービス提供事業者 OpenAI');
      t = edit(t, '☑ 無', '□ 無', '６ 再委託');
      t = mark(t, '６ 再委託', '有', 'レ');
      t = edit(t, '（再委託先等の名称）\n（再委託先等に委託する具体的な業務内容）\n', '');
      assert.deepEqual(
        formFindings(t).map((s) => [s.id, s.text, s.data.field]),
        [
          ['missing-detail', 'ア 利用サービス名', 'ア 利用サービス名'],
          ['missing-detail', 'ウ 生成ＡＩを利用する業務及び作業の具体的内容', 'ウ 生成ＡＩを利用する業務及び作業の具体的内容'],
          ['missing-detail', 'レ 有', '再委託先等の名称'],
          ['missing-detail', 'レ 有', '再委託先等に委託する具体的な業務内容'],
        ],
      );
    });

    it('４ answered while ３ is 無: information, and ４ is not checked further', function () {
      const t = mark(complete(), '４ 利用', '無');
      assert.deepEqual(brief(formFindings(t)), [['certification-without-cloud', 'information', '☑ 無']]);
      const both = mark(mark(complete(), '４ 利用', '無'), '４ 利用', '有');
      assert.deepEqual(brief(formFindings(both)), [['certification-without-cloud', 'information', '☑ 有']]);
    });

    it('two marks: reported at the first, the other as related information', function () {
      const t = mark(complete(), '２ 機密', '日本国外（全部又は一部）');
      const f = lint(t, { only: ['form-completeness'] }).findings;
      assert.equal(f.length, 1);
      assert.equal(f[0].messageId, 'multiple-choices');
      assert.equal(f[0].data.options, '日本国内のみ／日本国外（全部又は一部）');
      assert.equal(t.slice(f[0].span.start, f[0].span.end), '☑ 日本国内のみ');
      assert.deepEqual(
        f[0].related?.map((r) => t.slice(r.span!.start, r.span!.end)),
        ['☑ 日本国外（全部又は一部）'],
      );
    });

    it('the sample left in place next to an answer (information)', function () {
      const t = edit(complete(), '社内ファイルサーバ', '例 USBメモリ、社内PC内ストレージ、外付けハードディスク\n社内ファイルサーバ');
      assert.deepEqual(brief(formFindings(t)), [
        ['sample-left', 'information', '例 USBメモリ、社内PC内ストレージ、外付けハードディスク'],
      ]);
    });

    it('an incomplete date', function () {
      const t = edit(complete(), '令和６年４月１日', '令和６年４月　日');
      assert.deepEqual(brief(formFindings(t)), [['empty-date', 'warning', '令和６年４月　日']]);
    });
  });

  describe('configuration and directives', function () {
    it('the configured level applies to every finding; off turns the rule off', function () {
      const text = fixture('forms/invalid-pdf.txt');
      const levels = new Set(formFindings(text, { rules: { 'form-completeness': 'error' } }).map((s) => s.level));
      assert.deepEqual([...levels], ['error']);
      assert.deepEqual(formFindings(text, { rules: { 'form-completeness': 'off' } }), []);
    });

    it('keiyaku-lint-disable-next-line form-completeness silences one field; the directive line is no value', function () {
      const t = edit(withHeader(mark(BLANK, '６ 再委託', '無')), '（住所）東京都千代田区霞が関一丁目１番１号', '# keiyaku-lint-disable-next-line form-completeness\n（住所）');
      const seen = formFindings(t);
      assert.ok(!seen.some((s) => s.text === '（住所）'), 'the 住所 finding is silenced');
      assert.ok(seen.some((s) => s.id === 'no-choice'), 'the others remain');
    });
  });

  describe('messages', function () {
    it('render in Japanese and English with every placeholder filled', function () {
      const text = fixture('forms/invalid-pdf.txt');
      const findings = lint(text, { only: ['form-completeness'] }).findings;
      const ids = new Set(findings.map((f) => f.messageId));
      assert.ok(ids.size >= 6);
      for (const f of findings) {
        for (const locale of ['ja', 'en'] as const) {
          const m = findingMessage(locale, f);
          assert.ok(!/\{\w+\}/.test(m), `${locale} ${f.messageId}: ${m}`);
          assert.ok(!m.startsWith('form-completeness:'), `${locale} ${f.messageId}: no catalogue entry`);
        }
      }
      const noChoice = findings.find((f) => f.messageId === 'no-choice')!;
      assert.equal(findingMessage('ja', noChoice), '「６ 再委託等の有無」の選択肢（有／無）のいずれにも印がありません。');
      assert.equal(findingMessage('en', noChoice), 'No option of “６ 再委託等の有無” (有／無) is marked.');
    });
  });
});
