/** Numbers as Japanese legal text writes them: 12, １２, 十二, 二十三, 百一, ①, ア, イ/ロ. */
import type { NumberStyle } from '../model/types';

const KANJI_DIGITS: Record<string, number> = {
  〇: 0, 零: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};
const KANJI_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

export const KANJI_NUMERAL_CHARS = '〇零一二三四五六七八九十百千';
export const DIGIT_CLASS = '0-9０-９';
/** A regex source matching one number written in digits (either width) or kanji. */
export const NUMBER_SRC = `[${DIGIT_CLASS}]+|[${KANJI_NUMERAL_CHARS}]+`;

/**
 * An article's number as it begins the article's line — 第11条, 第 11, 第3条の2 — and then a
 * space or its heading's bracket; group 1 is the number as written.
 */
export const ARTICLE_START_RE = new RegExp(`^(第[\\s\\u3000]*(?:${NUMBER_SRC})(?:[\\s\\u3000]*[条條](?:の(?:${NUMBER_SRC}))*)?)[\\s\\u3000（(]`);

/**
 * An annex's marker at a text's start, read as a heading, not as a mention: 「別記様式」 then its
 * title (「別記様式機密データの…」 once line breaks are dropped), not 「別紙に定める…」 or 「別紙「…」」.
 */
export const ANNEX_START_RE = new RegExp(`^(?:別記様式|別紙|別記|別表)(?:${NUMBER_SRC})?(?![をはにのがでともへや「『（(、。）)」』]|$)`);

/** Katakana in 五十音 order (ア, イ, ウ…) and in いろは order (イ, ロ, ハ…). */
export const AIUEO = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン';
export const IROHA = 'イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス';

export const CIRCLED = '①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳';

/** Converts full-width digits to half-width. */
export function toHalfWidthDigits(s: string): string {
  return s.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

export function toFullWidthDigits(s: string): string {
  return s.replace(/[0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

/** Value of a kanji numeral (一, 十二, 二十三, 百五, 千二百三十四, 一〇 positional); NaN if malformed. */
export function kanjiToNumber(s: string): number {
  if (!s) return NaN;
  if (/^[〇零一二三四五六七八九]+$/.test(s) && s.length > 1) {
    // positional: 一〇 = 10
    let v = 0;
    for (const c of s) v = v * 10 + KANJI_DIGITS[c];
    return v;
  }
  let total = 0;
  let current = -1;
  for (const c of s) {
    if (c in KANJI_DIGITS) {
      if (current >= 0) return NaN; // two digits in a row: 二三
      current = KANJI_DIGITS[c];
    } else if (c in KANJI_UNITS) {
      total += (current < 0 ? 1 : current) * KANJI_UNITS[c];
      current = -1;
    } else return NaN;
  }
  if (current >= 0) total += current;
  return total;
}

export function numberToKanji(n: number): string {
  if (!Number.isInteger(n) || n < 0) return String(n);
  if (n === 0) return '〇';
  const digits = '〇一二三四五六七八九';
  let out = '';
  const parts: [number, string][] = [
    [1000, '千'],
    [100, '百'],
    [10, '十'],
  ];
  let rest = n;
  if (rest >= 10000) return String(n);
  for (const [unit, ch] of parts) {
    const q = Math.floor(rest / unit);
    if (q > 0) out += (q === 1 ? '' : digits[q]) + ch;
    rest %= unit;
  }
  if (rest > 0) out += digits[rest];
  return out;
}

/** Value and style of a number written in digits or kanji; null when it is neither. */
export function parseNumeral(s: string): { value: number; style: NumberStyle } | null {
  const t = s.replace(/[\s\u3000]/g, '');
  if (!t) return null;
  if (/^[0-9]+$/.test(t)) return { value: parseInt(t, 10), style: 'arabic-half' };
  if (/^[０-９]+$/.test(t)) return { value: parseInt(toHalfWidthDigits(t), 10), style: 'arabic-full' };
  if (/^[0-9０-９]+$/.test(t)) return { value: parseInt(toHalfWidthDigits(t), 10), style: 'mixed' };
  if (new RegExp(`^[${KANJI_NUMERAL_CHARS}]+$`).test(t)) {
    const v = kanjiToNumber(t);
    return Number.isNaN(v) ? null : { value: v, style: 'kanji' };
  }
  return null;
}

/** Writes n in a style (used by fixes and renumbering, following the draft's conventions). */
export function formatNumeral(n: number, style: NumberStyle): string {
  switch (style) {
    case 'arabic-full':
      return toFullWidthDigits(String(n));
    case 'kanji':
      return numberToKanji(n);
    case 'paren-half':
      return `(${n})`;
    case 'paren-full':
      return `（${toFullWidthDigits(String(n))}）`;
    case 'circled':
      return n >= 1 && n <= 20 ? CIRCLED[n - 1] : `(${n})`;
    case 'katakana':
      return AIUEO[n - 1] ?? String(n);
    case 'iroha':
      return IROHA[n - 1] ?? String(n);
    default:
      return String(n);
  }
}

/** Digits of a number in a document's convention (see DocumentConventions.digits). */
export function conventionDigits(n: number, digits: 'half' | 'full' | 'kanji' | 'full-single'): string {
  if (digits === 'kanji') return numberToKanji(n);
  if (digits === 'full' || (digits === 'full-single' && n < 10)) return toFullWidthDigits(String(n));
  return String(n);
}
