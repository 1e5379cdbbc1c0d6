/**
 * kuromoji's word features (tid_pos.dat), kept compact: ~12 MiB in memory instead of ~34 MiB.
 *
 * kuromoji keeps, for each of IPADIC's 392,126 words, one UTF-8 line, NUL-terminated:
 *
 *   surface,pos,pos1,pos2,pos3,ctype,cform,base,reading,pronunciation
 *
 * and answers `getFeatures(id)` by decoding the line its word entry (tid.dat) points at. The six
 * middle fields take only ~670 distinct values, the readings are katakana and the base form or
 * the pronunciation often repeats another field. The compact form (the dictionary cache's
 * `tid_pos.kfeat`, written once per machine, dictionaryCache.ts):
 *
 *   header   6 × u32 LE: magic "KFT1", line count n, POS table count, POS table bytes, data bytes, 0
 *   starts   n × i32: where each line starts in kuromoji's tid_pos.dat (the word entries' pointers)
 *   records  n × i32: where each line's record starts in `data`
 *   table    the distinct middle parts, as fields (below)
 *   data     per line: u16 LE index into the table, then the fields surface, base, reading,
 *            pronunciation; or u16 0xFFFF and the whole line as one field (any other shape)
 *
 * A field is a run of UTF-16 code units, ended by 0x00: 0x01–0xBE is the kana U+3041–U+30FE, 0xFD
 * then one byte a unit below U+0100, 0xFF then two bytes (LE) any other unit. A field that is just
 * 0xFE means "the same as" the surface (for the base form) or the reading (for the pronunciation).
 * Code units, not code points: any string round-trips, lone surrogates included.
 *
 * Exact by construction: each line is read with kuromoji's own decoder, and a line whose record
 * does not decode back to it is stored whole. `getFeatures` answers, for every word entry, the
 * very string kuromoji answers (test/unit/features.test.ts compares all 392,126).
 *
 * Engine code: imports nothing from vscode or the LSP libraries.
 */

const MAGIC = 0x3154464b; // "KFT1" little-endian
const HEADER_BYTES = 24;
const RAW = 0xffff;
const SAME = 0xfe;
const LATIN = 0xfd;
const WIDE = 0xff;
const KANA_BASE = 0x3040;
const KANA_LAST = 0x30fe;

/** kuromoji's ByteBuffer, as far as reading a NUL-terminated line goes. */
interface KuromojiByteBuffer {
  buffer: Uint8Array;
  getString(index: number): string;
}

/** The part of kuromoji's TokenInfoDictionary read and replaced here. */
export interface TokenInfoDictionaryLike {
  dictionary: { getInt(index: number): number };
  pos_buffer: KuromojiByteBuffer;
  getFeatures(id: number | string): string;
}

// ---------------------------------------------------------------------------------------------
// Writing

class Writer {
  bytes = new Uint8Array(1 << 20);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const b = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
    b.set(this.bytes.subarray(0, this.length));
    this.bytes = b;
  }

  byte(b: number): void {
    this.room(1);
    this.bytes[this.length++] = b;
  }

  u16(v: number): void {
    this.room(2);
    this.bytes[this.length++] = v & 0xff;
    this.bytes[this.length++] = v >>> 8;
  }

  field(s: string): void {
    this.room(s.length * 3 + 1);
    const b = this.bytes;
    let n = this.length;
    for (let i = 0; i < s.length; i++) {
      const u = s.charCodeAt(i);
      if (u > KANA_BASE && u <= KANA_LAST) b[n++] = u - KANA_BASE;
      else if (u < 0x100 && u !== 0) {
        b[n++] = LATIN;
        b[n++] = u;
      } else {
        b[n++] = WIDE;
        b[n++] = u & 0xff;
        b[n++] = u >>> 8;
      }
    }
    b[n++] = 0;
    this.length = n;
  }

  same(): void {
    this.byte(SAME);
    this.byte(0);
  }
}

/** Where each NUL-terminated line of kuromoji's tid_pos.dat starts: a non-NUL byte after a NUL (runs of NULs are padding). */
function lineStarts(pos: Uint8Array): Int32Array {
  const starts: number[] = [];
  for (let i = 0; i < pos.length; i++) if (pos[i] !== 0 && (i === 0 || pos[i - 1] === 0)) starts.push(i);
  return Int32Array.from(starts);
}

/**
 * The compact form of kuromoji's word features, built from its loaded tid.dat and tid_pos.dat
 * buffers (`ByteBuffer` is kuromoji's: lines are read with its decoder). Null when the dictionary
 * does not have kuromoji's layout: a word entry that points anywhere but at the start of a line.
 * Pauses (`await pause()`) every few thousand lines, so a server can keep answering meanwhile.
 */
export async function compactFeatures(
  tid: Uint8Array,
  pos: KuromojiByteBuffer,
  pause: () => Promise<void> = () => Promise.resolve(),
): Promise<Uint8Array | null> {
  const starts = lineStarts(pos.buffer);
  const n = starts.length;
  // Every word entry (10 bytes: left, right, cost as int16, then the line's offset as int32) must
  // point at a line start: then getFeatures only ever asks for whole lines.
  const view = new DataView(tid.buffer, tid.byteOffset, tid.byteLength);
  for (let at = 0; at + 10 <= tid.length; at += 10) {
    if (binarySearch(starts, view.getInt32(at + 6, true)) < 0) return null;
  }
  const table = new Map<string, number>();
  const tableWriter = new Writer();
  const data = new Writer();
  const records = new Int32Array(n);
  const list: Uint16Array[] = [];
  for (let i = 0; i < n; i++) {
    if ((i & 4095) === 4095) await pause();
    const line = pos.getString(starts[i]);
    records[i] = data.length;
    const at = data.length;
    if (!encodeLine(data, line, table, tableWriter) || decodeAt(data.bytes, data.length, at, tableUnits(table, list)) !== line) {
      data.length = at;
      data.u16(RAW);
      data.field(line);
    }
  }
  const tableBytes = tableWriter.bytes.subarray(0, tableWriter.length);
  const dataBytes = data.bytes.subarray(0, data.length);
  const out = new Uint8Array(HEADER_BYTES + 8 * n + tableBytes.length + dataBytes.length);
  const h = new DataView(out.buffer);
  h.setUint32(0, MAGIC, true);
  h.setUint32(4, n, true);
  h.setUint32(8, table.size, true);
  h.setUint32(12, tableBytes.length, true);
  h.setUint32(16, dataBytes.length, true);
  for (let i = 0; i < n; i++) {
    h.setInt32(HEADER_BYTES + 4 * i, starts[i], true);
    h.setInt32(HEADER_BYTES + 4 * (n + i), records[i], true);
  }
  out.set(tableBytes, HEADER_BYTES + 8 * n);
  out.set(dataBytes, HEADER_BYTES + 8 * n + tableBytes.length);
  return out;
}

/** The table's entries as code units, by index (grown as the table grows). */
function tableUnits(table: Map<string, number>, list: Uint16Array[]): Uint16Array[] {
  if (list.length === table.size) return list;
  for (const [k, v] of table) {
    if (v < list.length) continue;
    const u = new Uint16Array(k.length);
    for (let i = 0; i < k.length; i++) u[i] = k.charCodeAt(i);
    list[v] = u;
  }
  return list;
}

function encodeLine(w: Writer, line: string, table: Map<string, number>, tableWriter: Writer): boolean {
  const f = line.split(',');
  if (f.length !== 10) return false;
  const middle = f.slice(1, 7).join(',');
  let idx = table.get(middle);
  if (idx === undefined) {
    if (table.size >= RAW) return false;
    idx = table.size;
    table.set(middle, idx);
    tableWriter.field(middle);
  }
  w.u16(idx);
  w.field(f[0]);
  if (f[7] === f[0]) w.same();
  else w.field(f[7]);
  w.field(f[8]);
  if (f[9] === f[8]) w.same();
  else w.field(f[9]);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Reading

/** Decoded code units of the line being read; grown as needed. */
let units = new Uint16Array(512);
let unitCount = 0;

function unit(u: number): void {
  if (unitCount === units.length) {
    const g = new Uint16Array(units.length * 2);
    g.set(units);
    units = g;
  }
  units[unitCount++] = u;
}

const FIELD_DAMAGED = -1;
const FIELD_SAME = -2;

/**
 * Appends the field at `at` to `units`; returns where the next field starts, FIELD_SAME for the
 * "same as" mark (nothing appended), or FIELD_DAMAGED when the data ends inside it or holds a
 * byte that is no unit of this format.
 */
function readField(d: Uint8Array, end: number, at: number): number {
  if (at + 1 < end && d[at] === SAME && d[at + 1] === 0) return FIELD_SAME;
  let i = at;
  for (;;) {
    if (i >= end) return FIELD_DAMAGED;
    const b = d[i++];
    if (b === 0) return i;
    if (b <= KANA_LAST - KANA_BASE) unit(KANA_BASE + b);
    else if (b === LATIN) {
      if (i >= end) return FIELD_DAMAGED;
      unit(d[i++]);
    } else if (b === WIDE) {
      if (i + 1 >= end) return FIELD_DAMAGED;
      unit(d[i] | (d[i + 1] << 8));
      i += 2;
    } else return FIELD_DAMAGED;
  }
}

/** `units[from, to)` appended again. */
function repeatUnits(from: number, to: number): void {
  for (let k = from; k < to; k++) unit(units[k]);
}

/** The string of `units[0, unitCount)`. */
function unitString(): string {
  let s = '';
  // String.fromCharCode over pieces: an argument list has a length limit
  for (let k = 0; k < unitCount; k += 4096) s += String.fromCharCode.apply(null, units.subarray(k, Math.min(unitCount, k + 4096)) as unknown as number[]);
  return s;
}

const COMMA = 0x2c;

/** The line whose record starts at `at`, or null when the record is damaged. */
function decodeAt(d: Uint8Array, end: number, at: number, table: readonly Uint16Array[]): string | null {
  if (at + 2 > end) return null;
  const idx = d[at] | (d[at + 1] << 8);
  unitCount = 0;
  if (idx === RAW) return readField(d, end, at + 2) >= 0 ? unitString() : null;
  const middle = table[idx];
  if (middle === undefined) return null;
  let i = readField(d, end, at + 2); // surface
  if (i < 0) return null;
  const surfaceEnd = unitCount;
  unit(COMMA);
  for (let k = 0; k < middle.length; k++) unit(middle[k]);
  unit(COMMA);
  const base = readField(d, end, i);
  if (base === FIELD_DAMAGED) return null;
  if (base === FIELD_SAME) {
    repeatUnits(0, surfaceEnd);
    i += 2;
  } else i = base;
  unit(COMMA);
  const readingStart = unitCount;
  i = readField(d, end, i);
  if (i < 0) return null;
  const readingEnd = unitCount;
  unit(COMMA);
  const pron = readField(d, end, i);
  if (pron === FIELD_DAMAGED) return null;
  if (pron === FIELD_SAME) repeatUnits(readingStart, readingEnd);
  return unitString();
}

/** A field read on its own (the table's entries), as code units; null when damaged. */
function fieldUnits(d: Uint8Array, end: number, at: number): { units: Uint16Array; next: number } | null {
  unitCount = 0;
  const next = readField(d, end, at);
  if (next < 0) return null;
  return { units: units.slice(0, unitCount), next };
}

function binarySearch(a: Int32Array, v: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const x = a[mid];
    if (x === v) return mid;
    if (x < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The features of kuromoji's words, read from the compact form. */
export class CompactFeatures {
  private constructor(
    private readonly starts: Int32Array,
    private readonly records: Int32Array,
    private readonly table: readonly Uint16Array[],
    private readonly data: Uint8Array,
  ) {}

  /** Bytes held (for the log and the tests). */
  get byteLength(): number {
    return this.starts.byteLength + this.records.byteLength + this.data.byteLength;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /**
   * Reads the compact form (a copy of nothing: the arrays are views of `file`'s buffer when it is
   * 4-byte aligned). Throws on a file that is not one, or is damaged where a check can tell.
   */
  static read(file: Uint8Array): CompactFeatures {
    if (file.byteLength < HEADER_BYTES) throw new Error('word features: file too short');
    const aligned = file.byteOffset % 4 === 0 ? file : file.slice();
    const h = new DataView(aligned.buffer, aligned.byteOffset, aligned.byteLength);
    if (h.getUint32(0, true) !== MAGIC) throw new Error('word features: not a KFT1 file');
    const n = h.getUint32(4, true);
    const tableCount = h.getUint32(8, true);
    const tableBytes = h.getUint32(12, true);
    const dataBytes = h.getUint32(16, true);
    if (HEADER_BYTES + 8 * n + tableBytes + dataBytes !== aligned.byteLength) throw new Error('word features: sizes do not match the file');
    const little = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
    const ints = (at: number, count: number): Int32Array => {
      if (little) return new Int32Array(aligned.buffer, aligned.byteOffset + at, count);
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = h.getInt32(at + 4 * i, true);
      return out;
    };
    const starts = ints(HEADER_BYTES, n);
    const records = ints(HEADER_BYTES + 4 * n, n);
    for (let i = 0; i < n; i++) {
      if ((i > 0 && starts[i] <= starts[i - 1]) || records[i] < 0 || records[i] >= dataBytes) throw new Error('word features: damaged index');
    }
    const tableAt = HEADER_BYTES + 8 * n;
    const table: Uint16Array[] = [];
    let at = tableAt;
    for (let i = 0; i < tableCount; i++) {
      const f = fieldUnits(aligned, tableAt + tableBytes, at);
      if (!f) throw new Error('word features: damaged table');
      table.push(f.units);
      at = f.next;
    }
    if (at !== tableAt + tableBytes) throw new Error('word features: damaged table');
    return new CompactFeatures(starts, records, table, aligned.subarray(tableAt + tableBytes));
  }

  /** The line kuromoji's tid_pos.dat holds at byte `posId`; '' where no line starts there. */
  lineAt(posId: number): string {
    const i = binarySearch(this.starts, posId);
    if (i < 0) return '';
    return decodeAt(this.data, this.data.length, this.records[i], this.table) ?? '';
  }

  /**
   * Makes kuromoji's token-info dictionary answer `getFeatures` from here, and lets go of its
   * tid_pos.dat buffer. Same argument handling as kuromoji's method.
   */
  install(dict: TokenInfoDictionaryLike, emptyBuffer: KuromojiByteBuffer): void {
    const store = this; // eslint-disable-line @typescript-eslint/no-this-alias
    dict.getFeatures = function (this: TokenInfoDictionaryLike, id: number | string): string {
      const tokenInfoId = parseInt(id as string); // as kuromoji: a number is read through its string
      if (Number.isNaN(tokenInfoId)) return '';
      return store.lineAt(this.dictionary.getInt(tokenInfoId + 6));
    };
    dict.pos_buffer = emptyBuffer;
  }
}
