/**
 * The compact target map (tokenizer/targetMap.ts): the same map as kuromoji's own loader, read by
 * the same rules, and the same tokens from a dictionary built with it.
 */
import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as kuromoji from 'kuromoji';
import { installCompactTargetMap, readTargetMap, uninstallCompactTargetMap } from '../../server/src/engine/tokenizer/targetMap';

const FIX = path.resolve(__dirname, '../../../test/fixtures');
const DICT = path.join(path.dirname(require.resolve('kuromoji/package.json')), 'dict');

// eslint-disable-next-line @typescript-eslint/no-require-imports
const TokenInfoDictionary = require('kuromoji/src/dict/TokenInfoDictionary.js') as new () => {
  loadTargetMap(bytes: Uint8Array): unknown;
  target_map: Record<number, number[]>;
};

function ints(...xs: number[]): Uint8Array {
  const b = new Uint8Array(xs.length * 4);
  const v = new DataView(b.buffer);
  xs.forEach((x, i) => v.setInt32(i * 4, x, true));
  return b;
}

function build(): Promise<kuromoji.Tokenizer<kuromoji.IpadicFeatures>> {
  return new Promise((resolve, reject) => kuromoji.builder({ dicPath: DICT }).build((e, t) => (e ? reject(e) : resolve(t))));
}

describe('compact target map', function () {
  this.timeout(120_000);

  it('reads what kuromoji reads: repeated keys appended, reads past the end give 0, padding skipped', () => {
    // count, key 3 → [7, 8], key 1 → [5], key 3 again → [9], zero padding, then a record cut short
    const body = ints(3, 3, 2, 7, 8, 1, 1, 5, 3, 1, 9, 0, 0, 0, 0);
    const cut = new Uint8Array(body.length + 10);
    cut.set(body);
    new DataView(cut.buffer).setInt32(body.length, 6, true); // key 6
    new DataView(cut.buffer).setInt32(body.length + 4, 2, true); // two values, but only 2 bytes left
    cut[body.length + 8] = 4;
    for (const bytes of [body, cut]) {
      const stock = new TokenInfoDictionary();
      stock.loadTargetMap(bytes);
      const mine = readTargetMap(bytes);
      const keys = Object.keys(stock.target_map).map(Number);
      assert.deepEqual(
        keys.map((k) => [k, mine[k]]),
        keys.map((k) => [k, stock.target_map[k]]),
      );
      assert.equal(mine.filter((x) => x !== undefined).length, keys.length, 'no extra keys');
    }
  });

  it('equals kuromoji’s map for the real tid_map.dat', () => {
    const bytes = new Uint8Array(zlib.gunzipSync(readFileSync(path.join(DICT, 'tid_map.dat.gz'))));
    const stock = new TokenInfoDictionary();
    stock.loadTargetMap(bytes);
    const mine = readTargetMap(bytes);
    let n = 0;
    for (const k of Object.keys(stock.target_map)) {
      assert.deepEqual(mine[Number(k)], stock.target_map[Number(k)], `key ${k}`);
      n++;
    }
    assert.equal(mine.filter((x) => x !== undefined).length, n);
    assert.ok(n > 300_000);
  });

  it('gives the same tokens as the stock loader on every fixture', async () => {
    uninstallCompactTargetMap();
    const stock = await build();
    installCompactTargetMap();
    const compact = await build();
    let lines = 0;
    for (const dir of ['seeds', 'dev-cases', 'style']) {
      for (const f of readdirSync(path.join(FIX, dir)).filter((x) => x.endsWith('.txt'))) {
        for (const line of readFileSync(path.join(FIX, dir, f), 'utf8').split('\n')) {
          assert.deepEqual(compact.tokenize(line), stock.tokenize(line), `${dir}/${f}: ${line}`);
          lines++;
        }
      }
    }
    assert.ok(lines > 500);
  });
});
