import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { lint } from '../../../server/src/engine/lint';
import { parseDocument } from '../../../server/src/engine/model/parser';
import { resolveReferences } from '../../../server/src/engine/refs/resolve';
import { renumber } from '../../../server/src/engine/renumber';
import { fuzzParameters } from '../../fuzz';

const PIECES = [
  '第', '条', '項', '号', 'の', '２', '2', '十', '三', '一', ' ', '　', '\n', '（', '）', '(', ')', '、', '及び', 'から', 'まで',
  '前', '次', '同', '本', '各', '別紙', '「', '」', '別記様式', '特記事項', '法', '第1条　', '第２　', '２　', '一　', 'イ　',
  '（見出し）', '目次', '附則', '第一章　', '甲は、', '。',
];

describe('refs: never throws, spans stay in the text', () => {
  it('on random reference-like text', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 120 }), (parts) => {
        const text = parts.join('');
        const doc = parseDocument(text);
        for (const r of resolveReferences(doc).all) {
          assert.ok(r.span.start >= 0 && r.span.end <= text.length && r.span.start <= r.span.end);
          for (const c of r.components) assert.ok(c.span.end <= text.length);
        }
        const rn = renumber(doc);
        for (let i = 1; i < rn.edits.length; i++) assert.ok(rn.edits[i - 1].span.end <= rn.edits[i].span.start);
        const f = lint(text, { only: ['broken-reference'] }).findings;
        assert.ok(f.every((x) => x.messageId !== 'internal-error'));
      }),
      fuzzParameters(400, 4),
    );
  });
});
