import * as assert from 'node:assert/strict';
import { blankFormText } from '../../../server/src/engine/form/blank';
import { filledFormSpans, recogniseForms, type NotificationForm } from '../../../server/src/engine/form/recognise';
import { ADDRESS_LABELS, CLOSING_NOTE, ENTRIES, FORM_TITLE, NAME_LABELS, NOTES_HEADING } from '../../../server/src/engine/form/spec';
import { normalise } from '../../../server/src/engine/form/stream';
import { readDirectives } from '../../../server/src/engine/directives';
import { TOKKI_TEXT } from '../../../server/src/engine/templates/data/tokki';
import { LineIndex } from '../../../server/src/engine/text/lines';
import { SEED, edit, fixture, fixtureNames, formPart } from './helpers';

function only(text: string): NotificationForm {
  const forms = recogniseForms(text);
  assert.equal(forms.length, 1, `expected one form, found ${forms.length}`);
  return forms[0];
}

function slice(text: string, span: { start: number; end: number }): string {
  return text.slice(span.start, span.end);
}

function entry(f: NotificationForm, n: number) {
  const e = f.entries.find((x) => x.number === n);
  assert.ok(e, `entry ${n} not recognised`);
  return e;
}

function fieldValues(f: NotificationForm, n: number): [string, number, string][] {
  return entry(f, n).fields.map((x) => [x.key, x.group, x.value.text]);
}

function marked(f: NotificationForm, n: number): string[] {
  return entry(f, n)
    .options.filter((o) => o.marked)
    .map((o) => o.key);
}

describe('form: spec and blank form', function () {
  const formN = normalise(formPart(TOKKI_TEXT));

  it('every printed word of the spec is in the published form (templates/data/tokki.ts)', function () {
    const words: string[] = [FORM_TITLE, CLOSING_NOTE, NOTES_HEADING, ADDRESS_LABELS[0], NAME_LABELS[0]];
    for (const e of ENTRIES) {
      words.push(e.heading, ...e.notes, ...(e.sample ? [e.sample] : []), ...(e.groupHeadings ?? []));
      for (const o of e.options) words.push(o.text);
      for (const f of e.fields) words.push(f.label, f.printed);
    }
    for (const w of words) assert.ok(formN.includes(normalise(w)), `not in the published form: ${w}`);
  });

  it('blankFormText is the published form from 別記様式 to the last note, one line per field', function () {
    const t = blankFormText();
    assert.ok(t.startsWith('別記様式\n機密データの保存等に関する届出書\n'));
    assert.ok(t.endsWith('当該再委託先等もこの届出書を提出する必要があります。\n'));
    assert.equal(t, formPart(TOKKI_TEXT).replace(/\s*$/, '\n'));
    assert.ok(blankFormText({ annexHeading: false }).startsWith('機密データの保存等に関する届出書\n'));
    const crlf = blankFormText({ eol: '\r\n' });
    assert.ok(!/[^\r]\n/.test(crlf) && crlf.endsWith('\r\n'));
  });

  it('the blank form is recognised as a form with nothing filled in', function () {
    for (const t of [blankFormText(), blankFormText({ eol: '\r\n' }), blankFormText({ annexHeading: false })]) {
      const f = only(t);
      assert.equal(f.filled, false);
      assert.deepEqual(
        f.entries.map((e) => [e.number, e.options.length, e.fields.length, e.samples.length]),
        [
          [1, 0, 0, 1],
          [2, 2, 2, 1],
          [3, 2, 3, 0],
          [4, 2, 1, 0],
          [5, 2, 3, 0],
          [6, 2, 2, 0],
        ],
      );
      assert.equal(slice(t, f.titleSpan), FORM_TITLE);
      assert.ok(f.date && f.date.empty && !f.date.complete);
      assert.equal(slice(t, f.address!.span), '（住所）');
      assert.equal(slice(t, f.name!.span), '（氏名又は法人名等）');
      assert.equal(slice(t, entry(f, 4).fields[0].span), '（第三者認証の名称：           ）');
    }
  });
});

describe('form: recognising the blank template in its layouts', function () {
  it('seed 004 (PDF-extracted layout: wrapped cells, blank lines): one blank form, all entries', function () {
    const text = SEED();
    const f = only(text);
    assert.equal(f.filled, false);
    assert.deepEqual(
      f.entries.map((e) => e.number),
      [1, 2, 3, 4, 5, 6],
    );
    assert.equal(slice(text, entry(f, 4).headingSpan).replace(/\s+/g, ''), '４利用するオンラインストレージ等のクラウドサービスの第三者認証の情報');
    assert.equal(slice(text, entry(f, 5).fields[2].span).replace(/\s+/g, ''), 'ウ生成ＡＩを利用する業務及び作業の具体的内容');
    assert.deepEqual(
      entry(f, 1).samples.map((s) => s.text),
      ['例 USBメモリ、社内PC内ストレージ、外付けハードディスク'],
    );
    assert.deepEqual(
      entry(f, 2).samples.map((s) => s.text),
      ['例 米国、システム管理に関するログ情報を保管'],
    );
    for (const e of f.entries) assert.deepEqual([e.value.text, e.other.text], ['', ''], `entry ${e.number}`);
  });

  for (const name of fixtureNames('dev-cases')) {
    it(`dev-cases/${name}: ${name.includes('tokuyaku') ? 'no form' : 'one blank form (glued layout)'}`, function () {
      const text = fixture(`dev-cases/${name}`);
      const forms = recogniseForms(text);
      if (name.includes('tokuyaku')) {
        assert.equal(forms.length, 0);
        return;
      }
      assert.equal(forms.length, 1);
      assert.equal(forms[0].filled, false);
      assert.equal(forms[0].entries.length, 6);
      assert.deepEqual(
        forms[0].entries.map((e) => e.options.length),
        [0, 2, 2, 2, 2, 2],
      );
    });
  }

  it('a title quoted in running text, or without the entries, is no form', function () {
    assert.deepEqual(recogniseForms('第５ 受注者は、\n「機密データの保存等に関する届出書」により届け出る。\n'), []);
    assert.deepEqual(recogniseForms('機密データの保存等に関する届出書\n令和６年４月１日\n（住所）東京都\n'), []);
  });
});

describe('form: reading a filled-in form', function () {
  it('clean layout: header, values after labels (same line, colon), services in sets, nested brackets', function () {
    const text = fixture('forms/valid-clean.txt');
    const f = only(text);
    assert.equal(f.filled, true);
    assert.ok(f.date?.complete);
    assert.equal(slice(text, f.date!.span), '令和６年４月１日');
    assert.equal(f.address?.value.text, '東京都千代田区霞が関一丁目２番３号');
    assert.equal(f.name?.value.text, '株式会社サンプル情報システム　代表取締役　山田太郎');
    assert.equal(entry(f, 1).value.text, '社内ファイルサーバ、業務用ノートPC内ストレージ');
    assert.deepEqual(marked(f, 2), ['domestic']);
    assert.deepEqual(marked(f, 3), ['yes']);
    assert.deepEqual(fieldValues(f, 3), [
      ['service', 0, 'Microsoft 365'],
      ['contractor', 0, '日本マイクロソフト株式会社'],
      ['storage-location', 0, '日本国内のデータセンター（東日本・西日本リージョン）'],
      ['service', 1, 'Box'],
      ['contractor', 1, '株式会社Box Japan'],
      ['storage-location', 1, '日本国内（東京・大阪リージョン）'],
    ]);
    assert.deepEqual(fieldValues(f, 4), [
      ['certification', 0, 'ISO/IEC 27001、ISO/IEC 27017（Microsoft 365）'],
      ['certification', 1, 'ISMAP（Box）'],
    ]);
    assert.deepEqual(marked(f, 5), ['no']);
    assert.deepEqual(marked(f, 6), ['yes']);
    assert.deepEqual(fieldValues(f, 6), [
      ['subcontractor', 0, '株式会社データ入力センター'],
      ['subcontracted-work', 0, '紙の申請書のデータ入力（氏名・住所を含む。）'],
    ]);
    for (const e of f.entries) assert.deepEqual(e.samples, [], `entry ${e.number}`);
  });

  it('PDF layout: values on the lines after the label, wrapped values joined, marks ■ レ ●', function () {
    const text = fixture('forms/valid-pdf.txt');
    const f = only(text);
    assert.equal(f.filled, true);
    assert.equal(f.date?.complete, true);
    assert.equal(f.address?.value.text, '東京都港区芝公園四丁目５番６号');
    assert.equal(f.name?.value.text, '株式会社サンプル 代表取締役 山田太郎');
    assert.equal(entry(f, 1).value.text, '社内ファイルサーバ、外付けハードディスク（暗号化済み）');
    assert.deepEqual(marked(f, 2), ['abroad']);
    assert.deepEqual(fieldValues(f, 2), [
      ['country', 0, '米国'],
      ['overseas-data', 0, 'システム運用ログ（個人情報を含まない。）'],
    ]);
    assert.deepEqual(marked(f, 3), ['no']);
    assert.deepEqual(marked(f, 4), []);
    assert.deepEqual(marked(f, 5), ['yes']);
    assert.deepEqual(fieldValues(f, 5), [
      ['ai-service', 0, 'ChatGPT Enterprise'],
      ['ai-provider', 0, 'OpenAI, L.L.C.'],
      ['ai-work', 0, '議事録の要約（機密データは入力しない。）'],
    ]);
    assert.deepEqual(marked(f, 6), ['no']);
    // Value spans are the user's characters.
    const country = entry(f, 2).fields[0];
    assert.deepEqual(
      country.value.spans.map((s) => slice(text, s)),
      ['米国'],
    );
  });

  it('glued layout (lines run together, as in the dev cases): date after the title, marks after the sample', function () {
    let text = fixture('dev-cases/dev-07-tokki-canonical.txt');
    text = edit(text, '届出書年    月    日', '届出書令和６年４月１日');
    text = edit(text, '保管□ 日本国内のみ□ 日本国外', '保管☑ 日本国内のみ□ 日本国外');
    text = edit(text, '内容□ 無', '内容☑ 無');
    const f = only(text);
    assert.equal(f.filled, true);
    assert.equal(slice(text, f.date!.span), '令和６年４月１日');
    assert.deepEqual(marked(f, 2), ['domestic']);
    assert.deepEqual(marked(f, 5), ['no']);
    assert.equal(entry(f, 2).samples.length, 1);
  });

  it('a form after the articles of a contract, and two forms in one text', function () {
    const contract = fixture('dev-cases/dev-07-tokki-canonical.txt');
    const filled = fixture('forms/valid-clean.txt');
    const text = contract + filled;
    const forms = recogniseForms(text);
    assert.deepEqual(
      forms.map((f) => f.filled),
      [false, true],
    );
    assert.equal(slice(text, forms[1].titleSpan), FORM_TITLE);
    assert.deepEqual(filledFormSpans(text), [forms[1].span]);
  });

  it('CRLF, Markdown bullets and full-width/half-width variants read the same', function () {
    let text = blankFormText({ eol: '\r\n' });
    text = edit(text, '年　月　日', '2024年4月1日');
    text = edit(text, '□ 有', '- [x] 有', '３ オンライン');
    text = edit(text, '□ 無', '- [ ] 無', '３ オンライン');
    text = edit(text, 'ア サービス名称', 'ア　サービス名称：ｂｏｘ');
    const f = only(text);
    assert.equal(f.date?.complete, true);
    assert.deepEqual(marked(f, 3), ['yes']);
    assert.equal(entry(f, 3).fields[0].value.text, 'ｂｏｘ');
    assert.ok(!entry(f, 3).fields[0].value.text.includes('\r'));
  });

  it('marks: at the start (☑ ■ ✓ ✔ レ ● ○ [x]), after the words (□ 有 ✓); ○○有限会社 is no choice', function () {
    for (const mark of ['☑', '■', '✓', '✔', 'レ', '●', '○', '[x]', '☒', '✓□']) {
      const text = edit(blankFormText(), '□ 有', `${mark} 有`, '６ 再委託');
      assert.deepEqual(marked(only(text), 6), ['yes'], mark);
    }
    const trailing = edit(blankFormText(), '□ 有', '□ 有 ✓', '６ 再委託');
    assert.deepEqual(marked(only(trailing), 6), ['yes']);
    const company = edit(blankFormText(), '（再委託先等の名称）', '（再委託先等の名称）\n○○有限会社', '６ 再委託');
    const f = only(company);
    assert.deepEqual(marked(f, 6), []);
    assert.equal(entry(f, 6).options.length, 2);
    assert.equal(entry(f, 6).fields[0].value.text, '○○有限会社');
  });

  it('an option written without its box counts as chosen when it stands alone', function () {
    const alone = edit(edit(blankFormText(), '□ 有\n', '', '５ 生成'), '□ 無', '無', '５ 生成');
    assert.deepEqual(marked(only(alone), 5), ['no']);
    const both = edit(edit(blankFormText(), '□ 有', '有', '５ 生成'), '□ 無', '無', '５ 生成');
    const f = only(both);
    assert.equal(entry(f, 5).options.length, 2);
    assert.deepEqual(marked(f, 5), []);
  });

  it('directive lines inside the form are not values', function () {
    const text = edit(blankFormText(), '（住所）\n', '（住所）\n<!-- keiyaku-lint-disable-next-line form-completeness -->\n');
    const lines = new LineIndex(text);
    const f = recogniseForms(text, { ignore: readDirectives(text, lines).spans, lines })[0];
    assert.equal(f.filled, false);
    assert.equal(f.address?.value.text, '');
  });

  it('a date with an era only, or with digits only', function () {
    const era = only(edit(blankFormText(), '年　月　日', '令和　年　月　日'));
    assert.deepEqual([era.date?.empty, era.date?.complete, era.filled], [true, false, false]);
    const part = only(edit(blankFormText(), '年　月　日', '令和６年　月　日'));
    assert.deepEqual([part.date?.empty, part.date?.complete, part.filled], [false, false, true]);
    const digits = only(edit(blankFormText(), '年　月　日', '2024/04/01'));
    assert.deepEqual([digits.date?.empty, digits.date?.complete], [false, true]);
  });
});
