/**
 * The compact target map (tokenizer/targetMap.ts): the same map as kuromoji's own loader, read by
 * the same rules, and the same tokens from a dictionary built with it.
 */
import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as kuromoji from 'kuromoji';
import {
  compactFromIndexable,
  compactTargetMap,
  installCompactTargetMap,
  readTargetMap,
  uninstallCompactTargetMap,
  type CompactTargetMap,
} from '../../server/src/engine/tokenizer/targetMap';

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

/** A dictionary whose map kuromoji's own loader read (whatever other tests installed). */
function stockDictionary(bytes: Uint8Array): InstanceType<typeof TokenInfoDictionary> {
  const was = uninstallCompactTargetMap();
  try {
    const d = new TokenInfoDictionary();
    d.loadTargetMap(bytes);
    return d;
  } finally {
    if (was) installCompactTargetMap();
  }
}

/** The compact map as kuromoji's: key → plain array of ids. */
function asRecord(map: CompactTargetMap): Record<number, number[]> {
  const out: Record<number, number[]> = {};
  for (const k of map.keys()) out[k] = Array.from(map.get(k) ?? []);
  return out;
}

function build(): Promise<kuromoji.Tokenizer<kuromoji.IpadicFeatures>> {
  return new Promise((resolve, reject) => kuromoji.builder({ dicPath: DICT }).build((e, t) => (e ? reject(e) : resolve(t))));
}

describe('compact target map', function () {
  this.timeout(120_000);

  it('reads what kuromoji reads: repeated keys appended, reads past the end give 0, padding skipped', () => {
    // count, key 3 → [7, 8], key 1 → [5], key 3 again → [9], key -2 → [4], zero padding, then a record cut short
    const body = ints(4, 3, 2, 7, 8, 1, 1, 5, 3, 1, 9, -2, 1, 4, 0, 0, 0, 0);
    const cut = new Uint8Array(body.length + 10);
    cut.set(body);
    new DataView(cut.buffer).setInt32(body.length, 6, true); // key 6
    new DataView(cut.buffer).setInt32(body.length + 4, 2, true); // two values, but only 2 bytes left
    cut[body.length + 8] = 4;
    for (const bytes of [body, cut]) {
      const stock = stockDictionary(bytes);
      const mine = readTargetMap(bytes);
      assert.deepEqual(asRecord(mine), { ...stock.target_map });
      assert.equal(mine.get(2), undefined, 'a key without values is absent');
      assert.deepEqual(asRecord(compactFromIndexable(stock.target_map)!), { ...stock.target_map });
      assert.deepEqual({ ...mine.toArrays() }, { ...stock.target_map });
    }
  });

  it('equals kuromoji’s map for the real tid_map.dat', () => {
    const bytes = new Uint8Array(zlib.gunzipSync(readFileSync(path.join(DICT, 'tid_map.dat.gz'))));
    const stock = stockDictionary(bytes);
    const mine = readTargetMap(bytes);
    let n = 0;
    for (const k of Object.keys(stock.target_map)) {
      assert.deepEqual(Array.from(mine.get(Number(k)) ?? []), stock.target_map[Number(k)], `key ${k}`);
      n++;
    }
    assert.equal([...mine.keys()].length, n);
    assert.ok(n > 300_000);
  });

  it('stands in for kuromoji’s map until its builder reads it, then becomes the arrays', () => {
    installCompactTargetMap();
    const dict = new TokenInfoDictionary();
    dict.loadTargetMap(ints(2, 5, 2, 10, 11, 7, 1, 12));
    const standIn = dict.target_map;
    const compact = compactTargetMap(standIn);
    assert.ok(compact, 'the compact map is found behind the stand-in');
    assert.deepEqual(Array.from(compact.get(5)!), [10, 11]);
    assert.equal(dict.target_map, standIn, 'nothing built before a read');
    assert.deepEqual(dict.target_map[7], [12]);
    assert.notEqual(dict.target_map, standIn, 'the first read puts the arrays in place');
    assert.deepEqual(dict.target_map[5], [10, 11]);
    assert.equal(dict.target_map[6], undefined);
    assert.equal(compactTargetMap(dict.target_map), compact, 'still found behind the arrays');
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
