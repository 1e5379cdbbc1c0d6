import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as kuromoji from 'kuromoji';
import { CompactFeatures, compactFeatures, type TokenInfoDictionaryLike } from '../../server/src/engine/tokenizer/features';

// kuromoji's own byte buffer (its decoder is the reference)
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ByteBuffer = require('kuromoji/src/util/ByteBuffer.js') as new (arg: Uint8Array | number) => {
  buffer: Uint8Array;
  position: number;
  getString(index: number): string;
  putShort(v: number): void;
  putInt(v: number): void;
  put(b: number): void;
  getInt(index: number): number;
  shrink(): Uint8Array;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const TokenInfoDictionary = require('kuromoji/src/dict/TokenInfoDictionary.js') as new () => TokenInfoDictionaryLike & {
  dictionary: InstanceType<typeof ByteBuffer>;
  pos_buffer: InstanceType<typeof ByteBuffer>;
};

const DICT = path.join(path.dirname(require.resolve('kuromoji/package.json')), 'dict');

/**
 * A token-info dictionary written as kuromoji writes one: per word, a 10-byte entry pointing at
 * a NUL-terminated line of raw bytes (so that lines kuromoji's writer would never produce —
 * lone surrogates, stray bytes — can be tried as well).
 */
function dictionaryOf(lines: readonly Uint8Array[]): InstanceType<typeof TokenInfoDictionary> {
  const d = new TokenInfoDictionary();
  d.dictionary = new ByteBuffer(16);
  d.pos_buffer = new ByteBuffer(16);
  for (const bytes of lines) {
    d.dictionary.putShort(1);
    d.dictionary.putShort(2);
    d.dictionary.putShort(3);
    d.dictionary.putInt(d.pos_buffer.position);
    for (const b of bytes) d.pos_buffer.put(b);
    d.pos_buffer.put(0);
  }
  d.dictionary.shrink();
  d.pos_buffer.shrink();
  return d;
}

const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));

/** Every entry's features, kuromoji's way and from the compact form, side by side. */
async function bothWays(d: InstanceType<typeof TokenInfoDictionary>, entries: number): Promise<{ before: string[]; after: string[]; features: CompactFeatures }> {
  const file = await compactFeatures(d.dictionary.buffer, d.pos_buffer);
  assert.ok(file, 'compacted');
  const before: string[] = [];
  for (let i = 0; i < entries; i++) before.push(d.getFeatures(String(i * 10)));
  const features = CompactFeatures.read(file);
  features.install(d, new ByteBuffer(new Uint8Array(0)));
  assert.equal(d.pos_buffer.buffer.length, 0, "kuromoji's line buffer let go");
  const after: string[] = [];
  for (let i = 0; i < entries; i++) after.push(d.getFeatures(String(i * 10)));
  return { before, after, features };
}

describe('compact word features (tokenizer/features.ts)', function () {
  this.timeout(120_000);

  it("answers every word of kuromoji's IPADIC exactly as kuromoji does, in a third of the memory", async () => {
    const raw = await new Promise<{ token_info_dictionary: InstanceType<typeof TokenInfoDictionary> }>((resolve, reject) =>
      kuromoji.builder({ dicPath: DICT }).build((err, t) => (err ? reject(err) : resolve(t as never))),
    );
    const d = raw.token_info_dictionary;
    const posBytes = d.pos_buffer.buffer.length;
    // kuromoji's buffers are padded: the words are the entries up to the last line's
    let lines = 0;
    for (let i = 0; i < posBytes; i++) if (d.pos_buffer.buffer[i] === 0 && i > 0 && d.pos_buffer.buffer[i - 1] !== 0) lines++;
    assert.ok(lines > 390_000, `${lines} lines`);
    const { before, after, features } = await bothWays(d, lines);
    assert.equal(features.lineCount, lines);
    for (let i = 0; i < lines; i++) if (before[i] !== after[i]) assert.equal(after[i], before[i], `word entry ${i * 10}`);
    assert.ok(features.byteLength < 13 * 1024 * 1024, `${features.byteLength} bytes`);
    // kuromoji's argument handling: the id read through parseInt
    assert.equal(d.getFeatures('abc'), '');
    assert.equal(d.getFeatures(10), before[1]);
    assert.equal(d.getFeatures('20.7'), before[2]);
  });

  it('round-trips lines of any shape: kana, Latin-1, wide and astral characters, empty fields, lone surrogates, other field counts', async () => {
    const lines = [
      utf8('やぼったい,形容詞,自立,*,*,形容詞・アウオ段,基本形,やぼったい,ヤボッタイ,ヤボッタイ'),
      utf8('契約,名詞,サ変接続,*,*,*,*,契約,ケイヤク,ケーヤク'),
      utf8('ABC,名詞,固有名詞,組織,*,*,*,*,,'), // empty reading and pronunciation, Latin base
      utf8('é,記号,一般,*,*,*,*,é,Ｅ,Ｅ'),
      utf8('𠮷野,名詞,固有名詞,地域,一般,*,*,𠮷野,ヨシノ,ヨシノ'), // a surrogate pair
      utf8('ー,名詞,一般,*,*,*,*,ー,ー,ー'), // U+30FC inside the kana run
      utf8('ゔ,名詞,一般,*,*,*,*,ゔ,ヴ,ヴ'),
      utf8('a,b'), // two fields: kept whole
      utf8('1,2,3,4,5,6,7,8,9,10,11'), // eleven fields: kept whole
      utf8(',,,,,,,,,'), // ten empty fields
      new Uint8Array([0xed, 0xa0, 0x80, 0x2c, 0x41]), // kuromoji decodes ED A0 80 to a lone U+D800
      new Uint8Array([0xc0, 0x80, 0x2c, 0x42]), // and C0 80 to U+0000
      new Uint8Array([0xff, 0x41]), // a stray byte: whatever kuromoji makes of it
    ];
    const d = dictionaryOf(lines);
    const { before, after } = await bothWays(d, lines.length);
    assert.deepEqual(after, before);
    assert.ok(before[10].includes('\ud800'), 'a lone surrogate was tried');
    assert.ok(before[11].includes('\u0000'), 'a NUL character was tried');
  });

  it('refuses a dictionary whose word entries point inside a line (not kuromoji\'s layout)', async () => {
    const d = dictionaryOf([utf8('契約,名詞,サ変接続,*,*,*,*,契約,ケイヤク,ケーヤク')]);
    d.dictionary.buffer[6] = 3; // the entry's line pointer: 0 → 3
    assert.equal(await compactFeatures(d.dictionary.buffer, d.pos_buffer), null);
  });

  it('pauses while it compacts, every few thousand lines', async () => {
    const lines = Array.from({ length: 10_000 }, (_, i) => utf8(`語${i},名詞,一般,*,*,*,*,語${i},ゴ,ゴ`));
    const d = dictionaryOf(lines);
    let pauses = 0;
    const file = await compactFeatures(d.dictionary.buffer, d.pos_buffer, async () => {
      pauses++;
    });
    assert.ok(file);
    assert.equal(pauses, 2);
  });

  it('a damaged file: refused when the checks can tell, and never a throw from a lookup', async () => {
    const d = dictionaryOf(['契約,名詞,サ変接続,*,*,*,*,契約,ケイヤク,ケーヤク', 'を,助詞,格助詞,一般,*,*,*,を,ヲ,ヲ', 'a,b'].map(utf8));
    const file = (await compactFeatures(d.dictionary.buffer, d.pos_buffer))!;
    const spoilt = (f: (b: Uint8Array) => void): Uint8Array => {
      const b = file.slice();
      f(b);
      return b;
    };
    assert.throws(() => CompactFeatures.read(file.subarray(0, 10)), /too short/);
    assert.throws(() => CompactFeatures.read(spoilt((b) => (b[0] = 0))), /not a KFT1 file/);
    assert.throws(() => CompactFeatures.read(file.subarray(0, file.length - 1)), /sizes do not match/);
    assert.throws(() => CompactFeatures.read(spoilt((b) => (b[24 + 4] = 0))), /damaged index/); // the second line's start → 0
    // Data bytes flipped one at a time: the lookups answer a string, or '' for what cannot be read.
    const n = CompactFeatures.read(file).lineCount;
    for (let at = 24 + 8 * n; at < file.length; at++) {
      for (const v of [0x00, 0x41, 0xbf, 0xfd, 0xfe, 0xff]) {
        let f: CompactFeatures;
        try {
          f = CompactFeatures.read(spoilt((b) => (b[at] = v)));
        } catch {
          continue; // the table's checks caught it
        }
        for (const start of [0, 1, 2, 1000]) assert.equal(typeof f.lineAt(start), 'string');
      }
    }
    // Where no line starts: ''
    assert.equal(CompactFeatures.read(file).lineAt(5), '');
  });
});
