import { loadTokenizer } from '../../../server/src/engine/tokenizer/kuromoji';
import type { Tokenizer } from '../../../server/src/engine/tokenizer/types';
import { ruleTester } from './style-util';

describe('style/condition', function () {
  this.timeout(60_000);
  let tokenizer: Tokenizer;
  before(async () => {
    tokenizer = await loadTokenizer();
  });

  ruleTester('style/condition', () => tokenizer, {
    valid: [
      { name: '「…場合において、…ときは」', text: '第1条 乙が違反した場合において、甲が必要と認めるときは、甲は本契約を解除することができる。\n' },
      { name: 'とき for a single condition', text: '第1条 乙が違反したときは、甲は本契約を解除することができる。\n' },
      { name: '時 for a point in time', text: '第1条 乙は、違反を知った時から七日以内に、開示を受けた時点の状態で、契約締結時の資料を返還する。\n' },
      {
        name: '「直ちに…、その後速やかに…」',
        text: '第1条 乙は、事故が発生した場合には、直ちに甲に報告し、その後速やかに報告書を提出しなければならない。\n',
      },
      { name: 'quoted text is skipped', text: '第1条 旧規程中「違反した時は」とあるのは、「違反したときは」と読み替える。\n' },
    ],
    invalid: [
      {
        name: 'reversed nesting: 「…ときにおいて、…場合は」',
        text: '第1条 乙が違反したときにおいて、甲が必要と認める場合は、甲は本契約を解除することができる。\n',
        errors: [{ messageId: 'reversed', line: 0, character: 10, text: 'ときにおいて、甲が必要と認める場合', safe: false, level: 'warning' }],
        output: '第1条 乙が違反した場合において、甲が必要と認めるときは、甲は本契約を解除することができる。\n',
      },
      {
        name: '時 for a condition → とき',
        text: '第1条 乙が違反した時は、甲は本契約を解除することができる。\n2 甲が請求した時には、乙は報告する。\n',
        errors: [
          { messageId: 'toki-kanji', line: 0, character: 10, text: '時', safe: true, level: 'information' },
          { messageId: 'toki-kanji', line: 1, character: 8, text: '時', safe: true, level: 'information' },
        ],
        output: '第1条 乙が違反したときは、甲は本契約を解除することができる。\n2 甲が請求したときには、乙は報告する。\n',
      },
    ],
  });
});
