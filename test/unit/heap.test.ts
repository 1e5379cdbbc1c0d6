import * as assert from 'node:assert/strict';
import { capHeapGrowth, HEAP_GROWING_PERCENT } from '../../server/src/lsp/heap';

describe('server heap growth cap (lsp/heap.ts)', () => {
  /** The flags capHeapGrowth sets, recorded instead of set on this process. */
  const recorded = (execArgv: string[], nodeOptions: string): { applied: boolean; flags: string[] } => {
    const flags: string[] = [];
    const applied = capHeapGrowth(execArgv, nodeOptions, (f) => flags.push(f));
    return { applied, flags };
  };

  it('is left to a client that starts the server with its own --heap-growing-percent (command line or NODE_OPTIONS)', () => {
    assert.deepEqual(recorded(['--heap-growing-percent=30'], ''), { applied: false, flags: [] });
    assert.deepEqual(recorded(['--heap_growing_percent', '30'], ''), { applied: false, flags: [] });
    assert.deepEqual(recorded([], '--max-old-space-size=4096 --heap-growing-percent=30'), { applied: false, flags: [] });
  });

  it('is applied otherwise, as the flag V8 reads at each collection', () => {
    assert.ok(HEAP_GROWING_PERCENT > 0 && HEAP_GROWING_PERCENT <= 100);
    assert.deepEqual(recorded(['--inspect'], '--max-old-space-size=4096'), { applied: true, flags: [`--heap-growing-percent=${HEAP_GROWING_PERCENT}`] });
  });
});
