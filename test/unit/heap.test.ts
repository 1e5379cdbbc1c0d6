import * as assert from 'node:assert/strict';
import { capHeapGrowth, HEAP_GROWING_PERCENT } from '../../server/src/lsp/heap';

describe('server heap growth cap (lsp/heap.ts)', () => {
  it("is left to a client that starts the server with its own --heap-growing-percent (command line or NODE_OPTIONS)", () => {
    assert.equal(capHeapGrowth(['--heap-growing-percent=30'], ''), false);
    assert.equal(capHeapGrowth(['--heap_growing_percent', '30'], ''), false);
    assert.equal(capHeapGrowth([], '--max-old-space-size=4096 --heap-growing-percent=30'), false);
  });

  it('is applied otherwise', () => {
    assert.equal(HEAP_GROWING_PERCENT > 0 && HEAP_GROWING_PERCENT <= 100, true);
    assert.equal(capHeapGrowth(['--inspect'], '--max-old-space-size=4096'), true);
  });
});
