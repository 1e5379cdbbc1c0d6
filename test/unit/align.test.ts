/**
 * The aligner (server/src/engine/align/align.ts) on long sibling lists: past its pair budget it
 * scores each unpaired unit only against those at about the same place on the other side, and
 * the order of pairs with units missing from the draft.
 */
import * as assert from 'node:assert/strict';
import { alignDocuments, PAIR_BUDGET, type Alignment } from '../../server/src/engine/align/align';
import { parseDocument } from '../../server/src/engine/model/parser';
import { detectParties } from '../../server/src/engine/templates';

const NOUNS = ['資料', '情報', '記録', '報告書', '端末', '媒体', '設備', '契約書', '計画', '手順書', '台帳', '帳簿', '図面', '証明書', '名簿', '写真', '鍵'];
const PLACES = ['本社', '支店', '倉庫', '事務所', '作業場', '会議室', '書庫', '電算室', '受付', '保管庫', '現場', '研究所', '出張所'];
const VERBS = ['提出する', '返還する', '保管する', '廃棄する', '複写しない', '持ち出さない', '報告する', '点検する', '記録する', '管理する', '送付する'];

/** Article i's body: distinct for every i below 2,431 (17 × 13 × 11), alike in shape. */
function body(i: number): string {
  return `乙は、${PLACES[(i * 7) % 13]}にある${NOUNS[i % 17]}を、甲の指示に従い${VERBS[(i * 3) % 11]}。`;
}

function contract(bodies: string[]): string {
  return bodies.map((b, i) => `第${i + 1}条 ${b}`).join('\n') + '\n';
}

function align(a: string, b: string, budget?: number): Alignment {
  return alignDocuments(parseDocument(a), parseDocument(b), detectParties(a), detectParties(b), budget);
}

/** canonical label → draft label for every top-level pair, '-' for none. */
function shape(al: Alignment): string[] {
  return al.pairs.map((p) => `${p.canonical?.label ?? '-'}→${p.draft?.label ?? '-'}`);
}

describe('aligner: long sibling lists', function () {
  const N = 600;
  const old = Array.from({ length: N }, (_, i) => body(i));

  it('past the pair budget, local changes pair exactly as when every pair is scored', function () {
    // every third article reworded, three inserted and two deleted here and there
    const edited = old.map((b, i) => (i % 3 === 1 ? b.replace('甲の指示に従い', '甲の書面による指示に従い、直ちに') : b));
    edited.splice(400, 1);
    edited.splice(250, 0, '乙は、甲の承認を得て再委託することができる。');
    edited.splice(120, 1);
    edited.splice(60, 0, '乙は、作業の記録を毎月甲に報告する。', '乙は、従事者の名簿を甲に提出する。');
    const a = contract(old);
    const b = contract(edited);
    const open = Math.ceil(N / 3);
    // the full scoring stays within the default budget; 1,000 forces the window
    assert.ok(open * open <= PAIR_BUDGET);
    const full = shape(align(a, b));
    const windowed = shape(align(a, b, 1000));
    assert.deepEqual(windowed, full);
    // and the full scoring pairs what it should: each reworded article with its old self
    assert.ok(full.includes('第2条→第2条'));
    assert.ok(full.includes('第599条→第600条'), full.slice(-3).join(' '));
    assert.deepEqual(full.filter((s) => s.startsWith('-')), ['-→第61条', '-→第62条', '-→第252条']);
    assert.deepEqual(full.filter((s) => s.endsWith('-')), ['第121条→-', '第401条→-']);
  });

  it('past the pair budget, a changed unit moved farther than the window is removed and added, not paired', function () {
    // every third article reworded (200 unpaired on each side), and the reworded 第11条 moved to the end
    const edited = old.map((b, i) => (i % 3 === 1 ? b.replace('甲の指示に従い', '甲の書面による指示に従い、直ちに') : b));
    const [eleventh] = edited.splice(10, 1);
    edited.push(eleventh);
    const a = contract(old);
    const b = contract(edited);
    assert.ok(shape(align(a, b)).includes('第11条→第600条'));
    // 64 unpaired units either side of the same place: the 4th of 200 is not compared with the 200th
    const windowed = shape(align(a, b, 1000));
    assert.ok(windowed.includes('第11条→-'), windowed.slice(8, 14).join(' '));
    assert.ok(windowed.includes('-→第600条'));
    // everything else pairs as before
    assert.deepEqual(
      windowed.filter((s) => !s.includes('-')),
      shape(align(a, b)).filter((s) => s !== '第11条→第600条'),
    );
  });

  it('units missing from the draft follow their predecessor in the reference, or come first', function () {
    const a = contract(old.slice(0, 8));
    // 第1条 and 第5条–第6条 deleted, 第8条 moved before 第3条
    const b = contract([old[1], old[7], old[2], old[3], old[6]]);
    assert.deepEqual(shape(align(a, b)), [
      '第1条→-',
      '第2条→第1条',
      '第8条→第2条',
      '第3条→第3条',
      '第4条→第4条',
      '第5条→-',
      '第6条→-',
      '第7条→第5条',
    ]);
  });
});
