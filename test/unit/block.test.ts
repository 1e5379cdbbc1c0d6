import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { appendBlock, BlockBuilder, blockOffset, blockSpan, concatBlocks, sliceBlock, subBlock } from '../../server/src/engine/text/block';
import { fuzzParameters } from '../fuzz';

describe('text blocks (text/block.ts)', () => {
  const source = '第1条 甲は、\n  乙に対し、Data\nBase を提供する。';

  it('joins source slices into one text and maps every character back to the source', () => {
    const b = new BlockBuilder();
    b.append('甲は、', 4);
    b.append('乙に対し、Data', 10);
    b.appendSynthetic(' ', 20);
    b.append('Base を提供する。', 20);
    const block = b.build()!;
    assert.equal(block.text, '甲は、乙に対し、Data Base を提供する。');
    assert.deepEqual(block.span, { start: 4, end: source.length });
    for (let i = 0; i < block.text.length; i++) {
      const at = blockOffset(block, i);
      if (i === 12) assert.equal(at, 20, 'the synthetic space maps to where it was inserted');
      else assert.equal(source[at], block.text[i], `character ${i}`);
    }
    assert.deepEqual(blockSpan(block, 3, 8), { start: 10, end: 15 });
  });

  it('hands its segments to the block once: building again starts over, and later appends do not reach the block', () => {
    const b = new BlockBuilder();
    b.append('甲は、', 4);
    const first = b.build()!;
    const segs = first.segs.map((g) => ({ ...g }));
    assert.equal(b.build(), null, 'nothing appended since');
    // contiguous with the first block's only segment: an append would have extended it in place
    b.append('乙', 7);
    const second = b.build()!;
    assert.deepEqual(first.segs, segs, 'the first block is left as it was built');
    assert.equal(first.text, '甲は、');
    assert.deepEqual(second, { text: '乙', segs: [{ textStart: 0, srcStart: 7, length: 1 }], span: { start: 7, end: 8 } });
  });

  it('cuts a slice of the source and a part of a block', () => {
    const whole = sliceBlock(source, 0, 7)!;
    assert.equal(whole.text, '第1条 甲は、');
    const part = subBlock(whole, 4, 6)!;
    assert.equal(part.text, '甲は');
    assert.deepEqual(part.span, { start: 4, end: 6 });
    assert.equal(sliceBlock(source, 3, 3), null);
  });

  it('appends a block to another in place, as concatBlocks joins them into a new one', () => {
    const parts = [sliceBlock(source, 4, 7)!, sliceBlock(source, 10, 20)!, sliceBlock(source, 21, source.length)!];
    const joined = parts.reduce<ReturnType<typeof concatBlocks>>((a, b) => concatBlocks(a, b), null)!;
    const first = sliceBlock(source, 4, 7)!;
    let grown = appendBlock(null, first);
    assert.equal(grown, first, 'nothing to append to: the block itself');
    grown = appendBlock(grown, parts[1]);
    grown = appendBlock(grown, parts[2]);
    assert.equal(appendBlock(grown, null), grown);
    assert.equal(grown, first, 'the first block, grown');
    assert.deepEqual({ ...grown! }, { ...joined });
    for (let i = 0; i < joined.text.length; i++) assert.equal(blockOffset(grown!, i), blockOffset(joined, i));
    assert.deepEqual(parts[1], sliceBlock(source, 10, 20), 'the appended blocks are left as they were');
  });

  it('a block joined against the source order (a revision\'s split or merge of a damaged draft) spans what it covers, forwards', () => {
    const later = sliceBlock(source, 20, 30)!;
    const earlier = sliceBlock(source, 2, 8)!;
    const joined = concatBlocks(later, earlier)!;
    assert.deepEqual(joined.span, { start: 2, end: 30 });
    // within one piece, as before; across the join, both pieces' characters
    assert.deepEqual(blockSpan(joined, 1, 4), { start: 21, end: 24 });
    assert.deepEqual(blockSpan(joined, 11, 14), { start: 3, end: 6 });
    assert.deepEqual(blockSpan(joined, 8, 12), { start: 2, end: 30 });
    assert.deepEqual(blockSpan(joined, 9, 16), { start: 2, end: 30 });
  });

  it('maps every range of a block of many pieces, synthetic or not, as a character-by-character model does (fast-check)', () => {
    // the model: each block character's source offset and whether it is synthetic, one by one
    const piece = fc.record({ synthetic: fc.boolean(), length: fc.integer({ min: 1, max: 4 }), gap: fc.integer({ min: 0, max: 3 }) });
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 60 }), fc.nat(), fc.nat(), (pieces, x, y) => {
        const b = new BlockBuilder();
        const at: number[] = [];
        const synthetic: boolean[] = [];
        let src = 0;
        for (const p of pieces) {
          src += p.gap;
          if (p.synthetic) {
            b.appendSynthetic(' '.repeat(p.length), src);
            for (let k = 0; k < p.length; k++) at.push(src), synthetic.push(true);
          } else {
            b.append('x'.repeat(p.length), src);
            for (let k = 0; k < p.length; k++) at.push(src + k), synthetic.push(false);
            src += p.length;
          }
        }
        const block = b.build()!;
        const n = block.text.length;
        const start = x % n;
        const end = start + (y % (n - start + 1));
        const span = blockSpan(block, start, end);
        assert.equal(span.start, start < n ? at[start] : block.span.end);
        if (end > start) assert.equal(span.end, synthetic[end - 1] ? at[end - 1] : at[end - 1] + 1);
        else assert.equal(span.end, span.start);
      }),
      fuzzParameters(200, 0xb10c),
    );
  });
});
