import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { capHeapGrowth, capYoungGeneration, HEAP_GROWING_PERCENT, YOUNG_GENERATION_CAP, YoungGenerationCap } from '../../server/src/lsp/heap';

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

describe('server young-generation cap (lsp/heap.ts)', () => {
  const MiB = 1024 * 1024;

  /** A cap over a scripted sequence of young-generation sizes, recording the flags it sets. */
  const scripted = (sizes: number[]): { cap: YoungGenerationCap; flags: string[] } => {
    const flags: string[] = [];
    let i = 0;
    const cap = new YoungGenerationCap(16 * MiB, () => sizes[Math.min(i++, sizes.length - 1)], (f) => flags.push(f));
    return { cap, flags };
  };

  it('stops growth at the cap, lets the young generation grow again below it, and sets a flag only when the factor changes', () => {
    const { cap, flags } = scripted([2 * MiB, 8 * MiB, 16 * MiB, 16 * MiB, 32 * MiB, 4 * MiB, 2 * MiB]);
    assert.deepEqual([cap.check(), cap.check(), cap.check(), cap.check(), cap.check(), cap.check(), cap.check()], [2, 2, 1, 1, 1, 2, 2]);
    assert.deepEqual(flags, ['--semi-space-growth-factor=2', '--semi-space-growth-factor=1', '--semi-space-growth-factor=2']);
  });

  it('is left to a client that starts the server with its own young-generation setting (command line or NODE_OPTIONS)', () => {
    const observed: Array<() => void> = [];
    const run = (execArgv: string[], nodeOptions: string): { result: YoungGenerationCap | null; flags: string[] } => {
      const { cap, flags } = scripted([2 * MiB]);
      return { result: capYoungGeneration(execArgv, nodeOptions, (f) => observed.push(f), cap), flags };
    };
    for (const [argv, opts] of [
      [['--max-semi-space-size=8'], ''],
      [['--max_semi_space_size', '8'], ''],
      [['--min-semi-space-size=4'], ''],
      [[], '--semi-space-growth-factor=4'],
    ] as Array<[string[], string]>) {
      assert.deepEqual(run(argv, opts), { result: null, flags: [] }, `${argv.join(' ')} ${opts}`);
    }
    assert.equal(observed.length, 0);
    const applied = run(['--inspect'], '--max-old-space-size=4096');
    assert.ok(applied.result);
    assert.deepEqual(applied.flags, ['--semi-space-growth-factor=2']);
    // checked again after every collection
    assert.equal(observed.length, 1);
    observed[0]();
    assert.equal(applied.flags.length, 1, 'same size, same factor: no new flag');
  });

  it('holds a real process that allocates in steps (as the server lints) at the cap, where V8 alone doubles it', function () {
    this.timeout(60_000);
    // A ring of objects that survive several scavenges, allocated 5,000 at a time between turns of
    // the event loop: V8 grows the young generation to its maximum unless the cap stops it.
    const script = `
      const v8 = require('v8');
      if (process.argv[1] === 'cap') require(${JSON.stringify(require.resolve('../../server/src/lsp/heap'))}).capYoungGeneration([], '');
      const ring = new Array(300000); let k = 0, max = 0;
      (async () => {
        for (let r = 0; r < 400; r++) {
          for (let i = 0; i < 5000; i++) { ring[k] = { a: i, b: 'x' + i, c: [i] }; k = (k + 1) % ring.length; }
          await new Promise((res) => setImmediate(res));
          max = Math.max(max, v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size);
        }
        process.stdout.write(String(max));
      })();`;
    const maxOf = (mode: string): number => {
      // V8's maximum set explicitly (2 × 16 MiB, its default on 64-bit machines with a few GB), so
      // that the test does not depend on this machine's memory; the cap is started with an empty
      // command line of its own, so the flag does not make it step aside
      const r = spawnSync(process.execPath, ['--max-semi-space-size=16', '-e', script, mode], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
      assert.equal(r.status, 0, r.stderr);
      return Number(r.stdout);
    };
    const capped = maxOf('cap');
    const free = maxOf('none');
    assert.ok(free > YOUNG_GENERATION_CAP, `without the cap the young generation grows past it (${free / MiB} MiB)`);
    assert.ok(capped <= YOUNG_GENERATION_CAP, `with the cap it stays at ${YOUNG_GENERATION_CAP / MiB} MiB or below (${capped / MiB} MiB)`);
  });
});
