import * as assert from 'node:assert/strict';
import { loadTokenizer } from '../../../server/src/engine/tokenizer/kuromoji';
import type { Tokenizer } from '../../../server/src/engine/tokenizer/types';
import { ruleTester, runStyle } from './style-util';

describe('style/notation', function () {
  this.timeout(60_000);
  let tokenizer: Tokenizer;
  before(async () => {
    tokenizer = await loadTokenizer();
  });

  ruleTester('style/notation', () => tokenizer, {
    valid: [
      { name: '「その他」 (read そのた) is left alone', text: '第1条 乙は、資料その他の物件及びその他甲が指定するものを返還する。\n' },
      { name: 'ほか in kana', text: '第1条 前条に定めるもののほか、乙は、これを除くほか、そのほかの措置を講ずる。\n' },
      { name: '「甲の他の財産」 reads た: not ほか', text: '第1条 乙は、甲の他の財産を使用してはならない。\n' },
      {
        name: 'kana conjunctions and kanji adverbs as 公用文 writes them',
        text: '第1条 乙は、あらかじめ必要かつ適正な措置を講じ、直ちに既に提供を受けた全ての資料を返還する。ただし、甲が認めた場合は、この限りでない。なお、費用は乙の負担とする。\n',
      },
      { name: '「…に従って」 is the verb, not the conjunction 従って', text: '第1条 乙は、甲の指示に従って、これを行う。\n' },
      { name: 'かつて (formerly) keeps its つ', text: '第1条 乙は、かつて甲が定めた基準に従う。\n' },
      {
        name: 'a quotation citing an old law keeps its large つ',
        text: '第1条 旧法第五条中「緊急の必要があつて報告することができないとき」とあるのは、「緊急の必要があるとき」と読み替える。\n',
      },
      {
        name: 'a proviso inside parentheses begins after the bracket',
        text: '第1条 乙は、資料（ただし、甲が指定したものに限る場合は、この限りでない。）を返還する。\n',
      },
      { name: 'か月 after digits', text: '第1条 乙は、3か月以内に報告する。\n' },
      { name: 'one comma style (，) throughout', text: '第1条 甲は，これを行う。\n2 乙は，これを承諾する。\n' },
      { name: 'keiyakuLint.style = off turns the rule off', text: '第1条 乙は、予め必要且つ適正な管理を行う。\n', settings: { style: 'off' } },
    ],
    invalid: [
      {
        name: '且つ → かつ',
        text: '第1条 乙は、必要且つ適正な管理を行う。\n',
        errors: [{ messageId: 'kana-conjunction', line: 0, character: 9, text: '且つ', safe: true, level: 'information' }],
        output: '第1条 乙は、必要かつ適正な管理を行う。\n',
      },
      {
        name: '但し → ただし (and the sentence still begins with the proviso)',
        text: '第1条 乙は、これを行う。但し、甲が認めた場合は、この限りでない。\n',
        errors: [{ messageId: 'kana-conjunction', line: 0, character: 13, text: '但し', safe: true }],
        output: '第1条 乙は、これを行う。ただし、甲が認めた場合は、この限りでない。\n',
      },
      {
        name: '尚、 → なお、; the conjunction 従って、 → したがって、 (the verb stays)',
        text: '第1条 乙は、甲の指示に従って、これを行う。従って、費用は乙の負担とする。尚、詳細は別に定める。\n',
        errors: [
          { messageId: 'kana-conjunction', line: 0, character: 22, text: '従って', safe: true },
          { messageId: 'kana-conjunction', line: 0, character: 37, text: '尚', safe: true },
        ],
        output: '第1条 乙は、甲の指示に従って、これを行う。したがって、費用は乙の負担とする。なお、詳細は別に定める。\n',
      },
      {
        name: '予め → あらかじめ',
        text: '第1条 乙は、予め甲に通知する。\n',
        errors: [{ messageId: 'kana-adverb', line: 0, character: 7, text: '予め', safe: true }],
        output: '第1条 乙は、あらかじめ甲に通知する。\n',
      },
      {
        name: 'ただちに / すべて → 直ちに / 全て',
        text: '第1条 乙は、ただちにすべての資料を返還する。\n',
        errors: [
          { messageId: 'kanji-adverb', line: 0, character: 7, text: 'ただちに', safe: true },
          { messageId: 'kanji-adverb', line: 0, character: 11, text: 'すべて', safe: true },
        ],
        output: '第1条 乙は、直ちに全ての資料を返還する。\n',
      },
      {
        name: '「もののほか」「除くほか」「そのほかの」 written 他/外',
        text: '第1条 前条に定めるものの他、乙は、これを除く外、その外の措置を講ずる。\n',
        errors: [
          { messageId: 'hoka', line: 0, character: 13, text: '他', safe: true },
          { messageId: 'hoka', line: 0, character: 23, text: '外', safe: true },
          { messageId: 'hoka', line: 0, character: 27, text: '外', safe: true },
        ],
        output: '第1条 前条に定めるもののほか、乙は、これを除くほか、そのほかの措置を講ずる。\n',
      },
      {
        name: 'large つ: あつて → あって (特約条項 第9条), 従つて → 従って',
        text: '第1条 検査が困難な場合にあつては、乙が甲の指示に従つて行う。\n',
        errors: [
          { messageId: 'small-tsu', line: 0, character: 13, text: 'あつて', safe: true },
          { messageId: 'small-tsu', line: 0, character: 25, text: '従つて', safe: true },
        ],
        output: '第1条 検査が困難な場合にあっては、乙が甲の指示に従って行う。\n',
      },
      {
        name: 'large つ across a wrapped line: the span covers both lines, the fix only the つ',
        text: '第1条 検査が困難な場合にあ\nつては、乙が行う。\n',
        errors: [{ messageId: 'small-tsu', line: 0, character: 13, text: 'あ\nつて', safe: true }],
        output: '第1条 検査が困難な場合にあ\nっては、乙が行う。\n',
      },
      {
        name: 'この限りではない → この限りでない',
        text: '第1条 乙は、これを行う。ただし、甲が認めた場合は、この限りではない。\n',
        errors: [{ messageId: 'kagiri', line: 0, character: 26, text: 'この限りではない', safe: true }],
        output: '第1条 乙は、これを行う。ただし、甲が認めた場合は、この限りでない。\n',
      },
      {
        name: 'この限りでない in a sentence that does not begin with ただし',
        text: '第1条 乙は、これを行う。甲が認めた場合は、この限りでない。\n',
        errors: [{ messageId: 'kagiri-tadashi', line: 0, character: 22, text: 'この限りでない' }],
      },
      {
        name: 'ヶ月 → か月',
        text: '第1条 乙は、3ヶ月以内に報告し、六ヵ月ごとに更新する。\n',
        errors: [
          { messageId: 'kagetsu', line: 0, character: 8, text: 'ヶ月', safe: true },
          { messageId: 'kagetsu', line: 0, character: 18, text: 'ヵ月', safe: true },
        ],
        output: '第1条 乙は、3か月以内に報告し、六か月ごとに更新する。\n',
      },
      {
        name: 'mixed comma styles: the minority is reported',
        text: '第1条 甲は、これを行う。\n2 乙は，これを承諾し、甲に通知する。\n',
        errors: [{ messageId: 'comma-style', line: 1, character: 4, text: '，', safe: true }],
        output: '第1条 甲は、これを行う。\n2 乙は、これを承諾し、甲に通知する。\n',
      },
      {
        name: 'mixed comma styles, ， the majority: every 、 is reported, in document order',
        text: '第1条 甲は，これを行い，乙は、承諾する。\n2 乙は，これを承諾し，甲に通知し、報告する。\n',
        errors: [
          { messageId: 'comma-style', line: 0, character: 15, text: '、', safe: true },
          { messageId: 'comma-style', line: 1, character: 17, text: '、', safe: true },
        ],
        output: '第1条 甲は，これを行い，乙は，承諾する。\n2 乙は，これを承諾し，甲に通知し，報告する。\n',
      },
    ],
  });

  it('tells how many commas of each style the document has', () => {
    const r = runStyle('第1条 甲は，これを行い，乙は、承諾する。\n2 乙は，これを承諾し，甲に通知し、報告する。\n', tokenizer, ['style/notation']);
    const commas = r.findings.filter((f) => f.messageId === 'comma-style');
    assert.deepEqual(
      commas.map((f) => f.data),
      [
        { found: '、', expected: '，', count: 4, minority: 2 },
        { found: '、', expected: '，', count: 4, minority: 2 },
      ],
    );
  });
});
