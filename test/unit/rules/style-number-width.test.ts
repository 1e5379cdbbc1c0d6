import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { digitRuns } from '../../../server/src/engine/rules/style/number-width';
import { loadTokenizer } from '../../../server/src/engine/tokenizer/kuromoji';
import type { Tokenizer } from '../../../server/src/engine/tokenizer/types';
import { applyFixes, ruleTester, runStyle } from './style-util';
import { fuzzParameters } from '../../fuzz';

describe('style/number-width', function () {
  this.timeout(60_000);
  let tokenizer: Tokenizer;
  before(async () => {
    tokenizer = await loadTokenizer();
  });

  ruleTester('style/number-width', () => tokenizer, {
    valid: [
      { name: 'all half-width', text: '第1条 乙は、30日以内に報告する。\n2 乙は、60分以内に通知する。\n第2条 乙は、これを行う。\n' },
      { name: 'all full-width', text: '第１ 乙は、３０日以内に報告する。\n２ 乙は、６０分以内に通知する。\n第２ 乙は、これを行う。\n' },
      {
        name: 'bare numbers full-width over (1) half-width: two groups, each consistent',
        text: '第１ 甲は、次の事項を行う。\n(1) 報告\n(2) 通知\n第２ 乙は、これを行う。\n',
      },
      { name: 'digits in Latin identifiers are not figures', text: '第１ 乙は、ISO/IEC27001 の認証を取得し、USB3.0 の媒体及び Wi-Fi 6 の機器を使用しない。\n' },
      {
        name: 'the signature block (addresses) is not counted',
        text: '第1条 乙は、30日以内に報告する。\n第2条 乙は、これを行う。\n\n2025年3月25日\n\n甲　東京都千代田区丸の内一丁目１番１号\n　　株式会社東西商事\n',
      },
      { name: 'kanji numerals have no width', text: '第一条 乙は、三十日以内に報告する。\n２ 乙は、これを行う。\n' },
    ],
    invalid: [
      {
        name: 'one half-width article number among full-width ones',
        text: '第１ 甲は、これを行う。\n第２ 乙は、これを行う。\n第3 丙は、これを行う。\n',
        errors: [{ messageId: 'numbering-to-full', line: 2, character: 1, text: '3', safe: true, level: 'information' }],
        output: '第１ 甲は、これを行う。\n第２ 乙は、これを行う。\n第３ 丙は、これを行う。\n',
      },
      {
        name: 'one full-width figure among half-width ones',
        text: '第1条 乙は、30日以内に報告し、６０分以内に通知し、10日以内に返還する。\n',
        errors: [{ messageId: 'figures-to-half', line: 0, character: 17, text: '６０', safe: true }],
        output: '第1条 乙は、30日以内に報告し、60分以内に通知し、10日以内に返還する。\n',
      },
      {
        name: 'a number mixing both widths',
        text: '第1条 乙は、1０日以内に報告する。\n',
        errors: [{ messageId: 'mixed-run', line: 0, character: 7, text: '1０', safe: true }],
        output: '第1条 乙は、10日以内に報告する。\n',
      },
    ],
  });

  it('reports a mixing group once, lists the other runs as related, and fixes them all (特記事項: 第１…第９, 第 10…)', () => {
    const text = '第１ 甲は、これを行う。\n第２ 乙は、これを行う。\n第 10 丙は、これを行う。\n第 11 丁は、これを行う。\n第３ 戊は、これを行う。\n';
    const r = runStyle(text, tokenizer, ['style/number-width']);
    assert.equal(r.findings.length, 1);
    const f = r.findings[0];
    assert.equal(f.messageId, 'numbering-to-full');
    assert.deepEqual(r.analysis.lines.positionAt(f.span.start), { line: 2, character: 2 });
    assert.deepEqual(f.data, { found: '10', expected: '１０', count: 2, half: 2, full: 3 });
    assert.deepEqual(
      (f.related ?? []).map((x) => x.span && text.slice(x.span.start, x.span.end)),
      ['11'],
    );
    assert.equal(applyFixes(text, r.findings), text.replace('第 10', '第 １０').replace('第 11', '第 １１'));
  });

  describe('digitRuns (one pass over character codes)', function () {
    /** The definition, as regular expressions: what the character loop must find. */
    function byRegExp(text: string, ignore: { start: number; end: number }[] = []): ReturnType<typeof digitRuns> {
      const ident = /[A-Za-z0-9Ａ-Ｚａ-ｚ０-９/_\-.:]/;
      const letter = /[A-Za-zＡ-Ｚａ-ｚ]/;
      const out: ReturnType<typeof digitRuns> = [];
      for (const m of text.matchAll(/[0-9０-９]+/g)) {
        const start = m.index ?? 0;
        const end = start + m[0].length;
        if (ignore.some((s) => start < s.end && end > s.start)) continue;
        let s = start;
        while (s > 0 && ident.test(text[s - 1])) s--;
        let e = end;
        while (e < text.length && ident.test(text[e])) e++;
        if (letter.test(text.slice(s, e))) continue;
        if (s === start && start >= 2 && text[start - 1] === ' ' && letter.test(text[start - 2])) continue;
        const half = /[0-9]/.test(m[0]);
        const full = /[０-９]/.test(m[0]);
        out.push({ start, end, text: m[0], width: half && full ? 'mixed' : half ? 'half' : 'full' });
      }
      return out;
    }

    it('finds what the regular expressions find: seeds, dev cases and identifiers', function () {
      const root = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures');
      const texts = ['seeds', 'dev-cases'].flatMap((d) => fs.readdirSync(path.join(root, d)).map((f) => fs.readFileSync(path.join(root, d, f), 'utf8')));
      texts.push('ISO/IEC27001 と USB3.0、Wi-Fi 6、PC-9801、Ｗｉ-Ｆｉ ６、第１0条、1２３、a1 1b _9 9: /1/', '1', '１', '', 'x 1', ' 1');
      assert.ok(texts.length > 5);
      for (const t of texts) assert.deepEqual(digitRuns(t), byRegExp(t));
      const t = texts[0];
      const ignore = [{ start: 10, end: 400 }, { start: 900, end: 901 }];
      assert.deepEqual(digitRuns(t, ignore), byRegExp(t, ignore));
    });

    it('finds what the regular expressions find on random text', function () {
      const alphabet = fc.constantFrom(...'0123456789０１２３４５６７８９aZｚＡ/_-.: 第条、\n𠮷'.split(''), '\ud800');
      fc.assert(
        fc.property(fc.array(alphabet, { maxLength: 40 }), (chars) => {
          const t = chars.join('');
          assert.deepEqual(digitRuns(t), byRegExp(t));
        }),
        fuzzParameters(3000, 36),
      );
    });
  });
});
