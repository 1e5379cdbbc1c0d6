import { loadTokenizer } from '../../../server/src/engine/tokenizer/kuromoji';
import type { Tokenizer } from '../../../server/src/engine/tokenizer/types';
import { ruleTester } from './style-util';

describe('style/conjunction', function () {
  this.timeout(60_000);
  let tokenizer: Tokenizer;
  before(async () => {
    tokenizer = await loadTokenizer();
  });

  ruleTester('style/conjunction', () => tokenizer, {
    valid: [
      { name: '「A、B若しくはC又はD」', text: '第1条 乙は、資料、データ若しくは記録又は媒体を返還する。\n' },
      { name: '及び below 並びに', text: '第1条 甲及び乙は、資料及び記録並びに媒体を保管する。\n' },
      { name: 'one 及び, one 又は', text: '第1条 甲及び乙は、資料又は記録を返還する。\n' },
      { name: 'the verb 及ぶ is not a conjunction', text: '第1条 この契約の効力は第三者に及び、乙はその責任を負う。\n' },
      {
        name: '若しくは inside a quotation (citing another text) is not counted',
        text: '第1条 旧規程中「資料若しくは記録」とあるのは、「資料」と読み替える。\n',
      },
      {
        name: '又は inside parentheses of the same sentence counts',
        text: '第1条 乙は、資料（写し若しくは複製又はこれらの抜粋を含む。以下同じ。）を返還する。\n',
      },
      { name: 'list nested through の: 「甲及び乙の代表者及び従業員」', text: '第1条 甲及び乙の代表者及び従業員は、これを遵守する。\n' },
      {
        name: 'two 又は in different clauses',
        text: '第1条 乙は、違反が発生した場合、又は発生するおそれがある場合は、甲又は甲の指定する者に報告する。\n',
      },
      {
        name: 'statute-style long sentence',
        text:
          '第1条 受託者は、機密情報を、委託業務の遂行以外の目的のために利用し、若しくは加工し、又は第三者に提供してはならない。' +
          'ただし、あらかじめ委託者の書面による承諾を得た場合は、この限りでない。\n',
      },
      { name: 'kana conjunctions under keiyakuLint.style = off', text: '第1条 甲および乙は、資料またはデータを返還する。\n', settings: { style: 'off' } },
      { name: 'no conjunction at all', text: '第1条 乙は、資料を返還する。\n' },
    ],
    invalid: [
      {
        name: '若しくは without 又は (one level of choice)',
        text: '第1条 乙は、資料若しくは記録を返還する。\n',
        errors: [{ messageId: 'moshikuha-without-mataha', line: 0, character: 9, text: '若しくは', safe: false }],
        output: '第1条 乙は、資料又は記録を返還する。\n',
      },
      {
        name: 'the check is per sentence: 又は in the previous sentence does not count',
        text: '第1条 甲又は乙は、これを行う。乙は、資料若しくは記録を返す。\n',
        errors: [{ messageId: 'moshikuha-without-mataha', line: 0, character: 21, text: '若しくは', safe: false }],
        output: '第1条 甲又は乙は、これを行う。乙は、資料又は記録を返す。\n',
      },
      {
        name: 'two 若しくは without 又は: reported once, no single fix',
        text: '第1条 乙は、資料若しくは記録若しくは媒体を返還する。\n',
        errors: [{ messageId: 'moshikuha-without-mataha', line: 0, character: 9, text: '若しくは' }],
      },
      {
        name: '並びに without 及び',
        text: '第1条 乙は、資料並びに記録を返還する。\n',
        errors: [{ messageId: 'narabini-without-oyobi', line: 0, character: 9, text: '並びに', safe: false }],
        output: '第1条 乙は、資料及び記録を返還する。\n',
      },
      {
        name: '「A及びB及びC」 → 「A、B及びC」',
        text: '第1条 乙は、資料及び記録及び媒体を返還する。\n',
        errors: [{ messageId: 'repeated', line: 0, character: 9, text: '及び', safe: true }],
        output: '第1条 乙は、資料、記録及び媒体を返還する。\n',
      },
      {
        name: 'a chain of four: one finding, all but the last become 、',
        text: '第1条 甲及び乙及び丙及び丁は、誠実に協議する。\n',
        errors: [{ messageId: 'repeated', line: 0, character: 5, text: '及び', safe: true }],
        output: '第1条 甲、乙、丙及び丁は、誠実に協議する。\n',
      },
      {
        name: '「A又はB又はC」 → 「A、B又はC」',
        text: '第1条 甲又は乙又は丙は、これを行うことができる。\n',
        errors: [{ messageId: 'repeated', line: 0, character: 5, text: '又は', safe: true }],
        output: '第1条 甲、乙又は丙は、これを行うことができる。\n',
      },
      {
        name: '「A又はB若しくはC又はD」 → 「A、B若しくはC又はD」',
        text: '第1条 乙は、資料又は記録若しくは媒体又は機器を返還する。\n',
        errors: [{ messageId: 'mataha-moshikuha-mataha', line: 0, character: 9, text: '又は', safe: false }],
        output: '第1条 乙は、資料、記録若しくは媒体又は機器を返還する。\n',
      },
      {
        name: 'kana および / または → 及び / 又は',
        text: '第1条 甲および乙は、資料またはデータを返還する。\n',
        errors: [
          { messageId: 'kana', line: 0, character: 5, text: 'および', safe: true },
          { messageId: 'kana', line: 0, character: 13, text: 'または', safe: true },
        ],
        output: '第1条 甲及び乙は、資料又はデータを返還する。\n',
      },
      {
        name: 'kana ならびに / もしくは',
        text: '第1条 乙は、資料及び記録ならびに媒体を保管し、これを複写もしくは複製してはならない。ただし、甲又は丙が認めた場合は、この限りでない。\n',
        errors: [
          { messageId: 'kana', line: 0, character: 13, text: 'ならびに', safe: true },
          { messageId: 'kana', line: 0, character: 29, text: 'もしくは', safe: true },
          { messageId: 'moshikuha-without-mataha', line: 0, character: 29, text: 'もしくは', safe: false },
        ],
        // the 若しくは→又は fix (a longer edit at the same place) wins over the kana fix
        output: '第1条 乙は、資料及び記録並びに媒体を保管し、これを複写又は複製してはならない。ただし、甲又は丙が認めた場合は、この限りでない。\n',
      },
      {
        name: 'a kana conjunction split by a wrapped line: the span covers both lines, the fix keeps the break',
        text: '第1条 甲およ\nび乙は、これを行う。\n',
        errors: [{ messageId: 'kana', line: 0, character: 5, text: 'およ\nび', safe: true }],
        output: '第1条 甲及\nび乙は、これを行う。\n',
      },
    ],
  });
});
