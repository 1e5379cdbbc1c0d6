import * as assert from 'node:assert/strict';
import { loadTokenizer } from '../../../server/src/engine/tokenizer/kuromoji';
import type { Tokenizer } from '../../../server/src/engine/tokenizer/types';
import { applyFixes, ruleTester, runStyle } from './style-util';

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
});
