/**
 * The style rules' shared helpers (rules/style/text.ts) against simple models.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { tokensIn } from '../../../server/src/engine/rules/style/text';
import type { Token } from '../../../server/src/engine/tokenizer/types';
import { fuzzParameters } from '../../fuzz';

describe('style text helpers (rules/style/text.ts)', () => {
  it('tokensIn gives the tokens that start in the range, as filtering them one by one does (fast-check)', () => {
    const lengths = fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 80 });
    fc.assert(
      fc.property(lengths, fc.integer({ min: -2, max: 300 }), fc.integer({ min: 0, max: 300 }), (ls, from, width) => {
        let at = 0;
        const tokens = ls.map((n) => {
          const t = { surface: 'x'.repeat(n), start: at, end: at + n } as unknown as Token;
          at += n;
          return t;
        });
        const range = { start: from, end: from + width };
        assert.deepEqual(
          tokensIn(tokens, range),
          tokens.filter((t) => t.start >= range.start && t.start < range.end),
        );
      }),
      fuzzParameters(300, 0x7e57),
    );
  });
});
