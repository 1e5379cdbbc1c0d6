/**
 * Splits text into chunks that kuromoji can tokenise independently.
 *
 * kuromoji builds one Viterbi lattice per sentence (it splits only after 、 and 。), and building
 * it is O(L²) in the length L of a run without those marks (a 3,200-char run takes ~180 ms;
 * unknown-word grouping of a long same-class run is quadratic too). So:
 *   1. a chunk ends after every 、 and 。 — exactly where kuromoji itself splits, so for ordinary
 *      text (runs under the cap) the tokens are identical to kuromoji's own `tokenize`;
 *   2. a run that still exceeds `maxRun` UTF-16 units is cut in the second half of the allowed
 *      window at the best point: after ，．！？｡､ (score 5), after a run of whitespace (4),
 *      hiragana → kanji/katakana (3, e.g. after a particle), a symbol boundary (2), another class
 *      change (1); never kanji → hiragana (okurigana such as 講|ずる) unless nothing else exists;
 *      failing all that, at the limit itself.
 * Whitespace is NOT a break point below the cap: Viterbi is global over a sentence, and cutting a
 * hard-wrapped line ("…等 \nの…") changed tokens on both sides of the break in a real seed.
 * A run of foreign characters (`foreignAt`: controls, private use, 𐀀 …) is a chunk of its own.
 * A chunk never splits a surrogate pair. Chunks are contiguous and cover the whole input.
 */

/** Default cap on a chunk without a safe break (UTF-16 units). */
export const DEFAULT_MAX_RUN = 256;

/** A chunk as half-open UTF-16 offsets into the input. */
export interface Chunk {
  start: number;
  end: number;
}

export type CharClass = 'space' | 'hiragana' | 'katakana' | 'kanji' | 'digit' | 'alpha' | 'other';

/** Marks after which a chunk always ends: kuromoji's own split marks, nothing more. */
const BREAK_AFTER = new Set([
  0x3001, // 、
  0x3002, // 。
]);

/** Marks after which a too-long run is best cut. */
const PREFERRED_CUT_AFTER = new Set([
  0xff0c, // ，
  0xff0e, // ．
  0xff01, // ！
  0xff1f, // ？
  0xff61, // ｡
  0xff64, // ､
]);

export function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

export function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function isSpace(code: number): boolean {
  return (
    code === 0x20 ||
    code === 0x3000 ||
    (code >= 0x09 && code <= 0x0d) ||
    code === 0xa0 ||
    code === 0x85 ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0xfeff
  );
}

/** A coarse character class of the UTF-16 unit at `code` (surrogate halves count as kanji). */
export function charClass(code: number): CharClass {
  if (isSpace(code)) return 'space';
  if ((code >= 0x3041 && code <= 0x309f) || code === 0x30fc) return 'hiragana';
  if ((code >= 0x30a0 && code <= 0x30ff) || (code >= 0x31f0 && code <= 0x31ff) || (code >= 0xff66 && code <= 0xff9f)) {
    return 'katakana';
  }
  if (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    code === 0x3005 || // 々
    code === 0x3006 || // 〆
    code === 0x3007 || // 〇
    code === 0x30f6 || // ヶ
    isHighSurrogate(code) ||
    isLowSurrogate(code)
  ) {
    return 'kanji';
  }
  if ((code >= 0x30 && code <= 0x39) || (code >= 0xff10 && code <= 0xff19)) return 'digit';
  if (
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0xff21 && code <= 0xff3a) ||
    (code >= 0xff41 && code <= 0xff5a) ||
    (code >= 0xc0 && code <= 0x24f)
  ) {
    return 'alpha';
  }
  return 'other';
}

/**
 * The length (1 or 2 UTF-16 units) of a foreign character at `i`, or 0: a character that is no
 * part of any Japanese word — a control character other than whitespace, private use (the glyphs
 * of a PDF's symbol fonts), U+FFFD and the non-characters, a lone surrogate, and a supplementary
 * character outside the CJK ideograph planes (U+20000–U+3FFFF: 𠮷 is a kanji, 𐀀 or an emoji is
 * not). kuromoji's Viterbi search is global over a chunk, and an unknown character changes how it
 * cuts the words around it (「𐀀𐀀受託者向け情報…遵守事項」 became 𐀀𐀀受託者向/け/…/遵守事項 instead of
 * 受託/者/向け/…/遵守/事項): each run of them is tokenised apart, so the words beside it are cut as
 * they would be without it.
 */
export function foreignAt(text: string, i: number): number {
  if (i >= text.length) return 0;
  const c = text.charCodeAt(i);
  if (isHighSurrogate(c)) {
    const d = text.charCodeAt(i + 1);
    if (!isLowSurrogate(d)) return 1;
    const cp = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
    return cp >= 0x20000 && cp <= 0x3ffff ? 0 : 2;
  }
  if (isLowSurrogate(c)) return i > 0 && isHighSurrogate(text.charCodeAt(i - 1)) ? 0 : 1;
  if (c < 0x20) return c >= 0x09 && c <= 0x0d ? 0 : 1;
  if (c >= 0x7f && c <= 0x9f) return 1;
  if (c >= 0xe000 && c <= 0xf8ff) return 1;
  return c >= 0xfffd ? 1 : 0;
}

/** How good a cut between the units at `b - 1` and `b` is; 0 = avoid, -1 = no boundary. */
function cutScore(text: string, b: number): number {
  const before = text.charCodeAt(b - 1);
  if (PREFERRED_CUT_AFTER.has(before)) return 5;
  const a = charClass(before);
  const c = charClass(text.charCodeAt(b));
  if (a === c) return -1;
  if (a === 'space') return 4; // after a run of whitespace
  if (a === 'kanji' && c === 'hiragana') return 0; // okurigana: 講|ずる, 求|められる
  if (a === 'hiragana' && (c === 'kanji' || c === 'katakana')) return 3; // particle | content word
  if (a === 'other' || c === 'other' || c === 'space') return 2; // brackets, symbols
  return 1;
}

/** Where to end a chunk that starts at `start` and cannot extend past `limit` (> start + 1). */
function capBreak(text: string, start: number, limit: number): number {
  const floor = start + Math.max(1, Math.floor((limit - start) / 2));
  let best = -1;
  let bestScore = -1;
  for (let b = limit; b > floor; b--) {
    const score = cutScore(text, b);
    if (score > bestScore) {
      best = b;
      bestScore = score;
      if (score === 5) break;
    }
  }
  if (best < 0) {
    best = limit;
    if (isHighSurrogate(text.charCodeAt(best - 1)) && isLowSurrogate(text.charCodeAt(best))) best--;
  }
  return best;
}

/**
 * Splits `text` into contiguous chunks, each at most `maxRun` (≥ 2) UTF-16 units long. Empty input
 * gives [].
 */
export function splitIntoChunks(text: string, maxRun: number = DEFAULT_MAX_RUN): Chunk[] {
  const max = Math.max(2, Math.floor(maxRun));
  const chunks: Chunk[] = [];
  const n = text.length;
  let start = 0;
  let i = 0;
  while (i < n) {
    const code = text.charCodeAt(i);
    if (i + 1 - start > max) {
      // The run from `start` is too long: cut it within [start, start + max].
      const end = capBreak(text, start, start + max);
      chunks.push({ start, end });
      start = i = end;
      continue;
    }
    const f = foreignAt(text, i);
    if (f > 0) {
      // a run of foreign characters is a chunk of its own (see `foreignAt`)
      if (i > start) chunks.push({ start, end: i });
      let j = i + f;
      for (let g = foreignAt(text, j); g > 0 && j + g - i <= max; g = foreignAt(text, j)) j += g;
      chunks.push({ start: i, end: j });
      start = i = j;
      continue;
    }
    if (BREAK_AFTER.has(code)) {
      chunks.push({ start, end: i + 1 });
      start = i + 1;
    }
    i++;
  }
  if (start < n) chunks.push({ start, end: n });
  return chunks;
}
