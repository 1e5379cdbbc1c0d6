/** The hover's Markdown (lsp/navigation.ts): escaping and diff marks that survive line breaks. */
import * as assert from 'assert';
import { escapeMarkdown, markSegments } from '../../server/src/lsp/navigation';

describe('hover Markdown', function () {
  it('escapes what Markdown would read as emphasis, code, links or HTML', function () {
    assert.strictEqual(escapeMarkdown('a*b_c~d`e[f]<g>#h|i\\'), 'a\\*b\\_c\\~d\\`e\\[f\\]\\<g\\>\\#h\\|i\\\\');
    assert.strictEqual(escapeMarkdown('第５（機密データ）'), '第５（機密データ）');
  });

  it('marks deletions ~~struck~~ and insertions **bold**, line by line, blanks outside the marks', function () {
    assert.strictEqual(
      markSegments([
        { op: 'same', text: '乙は、' },
        { op: 'del', text: '直ちに' },
        { op: 'ins', text: '速やかに' },
        { op: 'same', text: '報告する。' },
      ]),
      '乙は、~~直ちに~~**速やかに**報告する。',
    );
    assert.strictEqual(markSegments([{ op: 'del', text: '（総則）\n第1条 この特約は、 ' }]), '~~（総則）~~  \n~~第1条 この特約は、~~ ');
    assert.strictEqual(markSegments([{ op: 'ins', text: '*' }]), '**\\***');
    assert.strictEqual(markSegments([{ op: 'ins', text: ' ' }]), ' ');
  });
});
