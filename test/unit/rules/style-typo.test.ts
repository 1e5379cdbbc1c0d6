import { loadTokenizer } from '../../../server/src/engine/tokenizer/kuromoji';
import type { Tokenizer } from '../../../server/src/engine/tokenizer/types';
import { ruleTester } from './style-util';

describe('style/typo', function () {
  this.timeout(60_000);
  let tokenizer: Tokenizer;
  before(async () => {
    tokenizer = await loadTokenizer();
  });

  ruleTester('style/typo', () => tokenizer, {
    valid: [
      { name: 'ものとする', text: '第1条 本契約は、期間満了後も有効に存続するものとする。\n' },
      { name: '「もの…とする」 (a regex for も…とする would misfire)', text: '第1条 対象は、甲が指定するもの又は乙が保有するものとする。\n' },
      { name: '「…をもととする」「…をもとに」', text: '第1条 委託料は、別表の単価をもととし、実績をもとに精算する。\n' },
      { name: 'することができる (not rewritten to できる)', text: '第1条 甲は、乙に対し、報告を求めることができる。\n' },
      { name: 'causative + ことができる with に', text: '第1条 甲は、その職員に、乙の事務所を検査させることができる。\n' },
      { name: 'passive without ことができる', text: '第1条 乙は、開示を求められた場合は、直ちに甲に通知しなければならない。\n' },
      { name: 'なければならない / 行う', text: '第1条 乙は、これを行い、又は行わせなければならない。\n' },
      { name: '「Aに…を遵守させ」', text: '第1条 乙は、再委託をする場合は、再委託先にこの特約を遵守させなければならない。\n' },
      { name: 'the subject itself with は, no second topic', text: '第1条 乙はこの特約を従業者に遵守させなければならない。\n' },
      { name: 'に対し before the object', text: '第1条 乙は、再委託先に対し、この特約を遵守させるものとする。\n' },
      { name: 'the recipient with に', text: '第1条 乙が、甲の承認を得て再委託先の事業者に資料を提供した場合は、乙がこれを回収する。\n' },
      { name: 'a non-party object of 提供 (技術者を提供する)', text: '第1条 乙は、本業務に必要な技術者を提供する。\n' },
      { name: '開示 of a party name is fine (委託先を開示する)', text: '第1条 乙は、甲の求めに応じ、再委託先を開示する。\n' },
      { name: 'quoted text is skipped', text: '第1条 旧規程中「有効に存続するもとする」とあるのは、「有効に存続する」と読み替える。\n' },
    ],
    invalid: [
      {
        name: 'もとする → ものとする (特記事項 第19)',
        text: '第1条 本契約は、期間満了後も有効に存続するもとする。\n',
        errors: [{ messageId: 'mo-tosuru', line: 0, character: 22, text: 'もとする', safe: true, level: 'warning' }],
        output: '第1条 本契約は、期間満了後も有効に存続するものとする。\n',
      },
      {
        name: '「…によるもとする」「…行うもとし、」',
        text: '第1条 乙は、これを行うもとし、甲が別に指示したときは当該方法によるもとする。\n',
        errors: [
          { messageId: 'mo-tosuru', line: 0, character: 12, text: 'もとし', safe: true },
          { messageId: 'mo-tosuru', line: 0, character: 34, text: 'もとする', safe: true },
        ],
        output: '第1条 乙は、これを行うものとし、甲が別に指示したときは当該方法によるものとする。\n',
      },
      {
        name: 'もとする split by a PDF-wrapped line with a blank line between: the fix keeps the lines',
        text: '第1条 本契約は、有効に存続するも\n\nとする。\n',
        errors: [{ messageId: 'mo-tosuru', line: 0, character: 16, text: 'も\n\nとする', safe: true }],
        output: '第1条 本契約は、有効に存続するもの\n\nとする。\n',
      },
      {
        name: 'ものとすする / しなければならなない / しなけばならない',
        text: '第1条 乙は、これを行うものとすする。\n2 乙は、これを返還しなければならなない。\n3 乙は、これを保管しなけばならない。\n',
        errors: [
          { messageId: 'misspelled', line: 0, character: 12, text: 'ものとすする', safe: true },
          { messageId: 'misspelled', line: 1, character: 11, text: 'なければならなない', safe: true },
          { messageId: 'misspelled', line: 2, character: 11, text: 'なけばならない', safe: true },
        ],
        output: '第1条 乙は、これを行うものとする。\n2 乙は、これを返還しなければならない。\n3 乙は、これを保管しなければならない。\n',
      },
      {
        name: 'passive + ことができる: 求められることができる → 求めることができる (特約条項 第8条)',
        text: '第1条 甲は、報告を求められることができる。\n',
        errors: [{ messageId: 'passive-permission', line: 0, character: 10, text: '求められることができる', safe: false }],
        output: '第1条 甲は、報告を求めることができる。\n',
      },
      {
        name: 'passive of a サ変 verb: 実施されることができる → 実施することができる',
        text: '第1条 乙は、業務を実施されることができる。\n',
        errors: [{ messageId: 'passive-permission', line: 0, character: 12, text: 'されることができる', safe: false }],
        output: '第1条 乙は、業務を実施することができる。\n',
      },
      {
        name: 'ねばならない → なければならない (サ変 and 五段)',
        text: '第1条 乙は、これを通知せねばならない。\n2 乙は、資料を返さねばならない。\n',
        errors: [
          { messageId: 'nebanaranai', line: 0, character: 12, text: 'せねば', safe: true },
          { messageId: 'nebanaranai', line: 1, character: 10, text: 'ねば', safe: true },
        ],
        output: '第1条 乙は、これを通知しなければならない。\n2 乙は、資料を返さなければならない。\n',
      },
      {
        name: '行なう → 行う (and its conjugations)',
        text: '第1条 乙は、これを行なう。\n2 乙は、発信を行なってはならない。\n',
        errors: [
          { messageId: 'okurigana', line: 0, character: 10, text: '行なう', safe: true },
          { messageId: 'okurigana', line: 1, character: 8, text: '行なっ', safe: true },
        ],
        output: '第1条 乙は、これを行う。\n2 乙は、発信を行ってはならない。\n',
      },
      {
        name: '「事業者は…遵守させなければならない」 → 「事業者に…」 (特約条項 第4条)',
        text: '第1条 乙は、再委託をする場合は、再委託先の事業者はこの特約を遵守させなければならない。\n',
        errors: [{ messageId: 'causative-ha', line: 0, character: 22, text: '事業者はこの特約を遵守させ', safe: false }],
        output: '第1条 乙は、再委託をする場合は、再委託先の事業者にこの特約を遵守させなければならない。\n',
      },
      {
        name: '「事業者を提供した」 → 「事業者に提供した」 (特約条項 第7条)',
        text: '第1条 乙が、甲の承認を得て再委託先の事業者を提供した場合は、乙がこれを回収する。\n',
        errors: [{ messageId: 'recipient-wo', line: 0, character: 19, text: '事業者を提供し', safe: false }],
        output: '第1条 乙が、甲の承認を得て再委託先の事業者に提供した場合は、乙がこれを回収する。\n',
      },
    ],
  });
});
