/**
 * Normalisation for comparison: NFKC, no white space, okurigana variants folded, party names
 * mapped to their role. Used for similarity scores and as token comparison keys; findings are
 * always mapped back to the original characters.
 */
import type { Parties } from '../templates';

/** Role markers: the ordering party and the contractor, whatever the document calls them. */
export const ROLE_A = '\u24B6'; // Ⓐ
export const ROLE_B = '\u24B7'; // Ⓑ

const OKURIGANA: readonly [RegExp, string][] = [
  [/取り扱/g, '取扱'],
  [/取扱い/g, '取扱'],
  [/立ち入/g, '立入'],
  [/申し込/g, '申込'],
  [/打ち合わせ/g, '打合せ'],
  [/行な/g, '行'],
  [/引き渡/g, '引渡'],
  [/受け取/g, '受取'],
  [/持ち出/g, '持出'],
  [/持ち込/g, '持込'],
  [/書き換/g, '書換'],
  [/問い合わせ/g, '問合せ'],
  [/手続き/g, '手続'],
  [/届け出/g, '届出'],
  // notation variants (公用文): reported by style/notation, not as a change of wording
  [/且つ/g, 'かつ'],
  [/但し/g, 'ただし'],
  [/予め/g, 'あらかじめ'],
  [/即ち/g, 'すなわち'],
  [/および/g, '及び'],
  [/または/g, '又は'],
  [/もしくは/g, '若しくは'],
  [/ならびに/g, '並びに'],
  [/ただちに/g, '直ちに'],
  [/すみやかに/g, '速やかに'],
  [/この限りではない/g, 'この限りでない'],
];

/**
 * Any of the patterns, in one test: a string with none of them is returned as it is. (The
 * replacements only run on a string that has at least one, so their order still decides.)
 */
const ANY_OKURIGANA = new RegExp(OKURIGANA.map(([re]) => re.source).join('|'));

export function foldOkurigana(s: string): string {
  if (!ANY_OKURIGANA.test(s)) return s;
  let out = s;
  for (const [re, to] of OKURIGANA) out = out.replace(re, to);
  return out;
}

/** Party words of a document, longest first so that 発注者 is matched before 発注. */
export function partyPattern(p: Parties): RegExp {
  const words = [p.a, p.b].sort((x, y) => y.length - x.length).map(escape);
  return new RegExp(words.join('|'), 'g');
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function roleOf(word: string, p: Parties): string | null {
  if (word === p.a) return ROLE_A;
  if (word === p.b) return ROLE_B;
  return null;
}

/** Text for similarity: NFKC, no blanks, okurigana folded, parties as roles. */
export function normalizeForCompare(s: string, parties: Parties | null): string {
  let t = s.normalize('NFKC').replace(/\s+/g, '');
  t = foldOkurigana(t);
  if (parties) t = t.replace(partyPattern(parties), (w) => roleOf(w, parties) ?? w);
  return t;
}

/**
 * Character-bigram counts of a string, for repeated similarity computations: the distinct bigrams
 * (two UTF-16 units packed in one 32-bit number) in ascending order and their counts, so that two
 * profiles are compared by one merge over typed arrays (no hashing).
 */
export interface BigramProfile {
  keys: Uint32Array;
  counts: Uint32Array;
  /** Number of bigrams (length - 1). */
  total: number;
}

export function bigramProfile(s: string): BigramProfile {
  const total = Math.max(0, s.length - 1);
  const all = new Uint32Array(total);
  for (let i = 0; i < total; i++) all[i] = ((s.charCodeAt(i) << 16) | s.charCodeAt(i + 1)) >>> 0;
  all.sort();
  let distinct = 0;
  for (let i = 0; i < total; i++) if (i === 0 || all[i] !== all[i - 1]) distinct++;
  const keys = new Uint32Array(distinct);
  const counts = new Uint32Array(distinct);
  let k = -1;
  for (let i = 0; i < total; i++) {
    if (i === 0 || all[i] !== all[i - 1]) keys[++k] = all[i];
    counts[k]++;
  }
  return { keys, counts, total };
}

/** Sum over the bigrams of min(count in a, count in b). */
function sharedBigrams(a: BigramProfile, b: BigramProfile): number {
  const ak = a.keys;
  const bk = b.keys;
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < ak.length && j < bk.length) {
    const x = ak[i];
    const y = bk[j];
    if (x === y) {
      shared += Math.min(a.counts[i], b.counts[j]);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return shared;
}

/** Dice coefficient of two bigram profiles (0..1). */
export function profileSimilarity(a: BigramProfile, b: BigramProfile): number {
  if (a.total === 0 || b.total === 0) return a.total === b.total ? 1 : 0;
  return (2 * sharedBigrams(a, b)) / (a.total + b.total);
}

/**
 * Share of a standard unit's text (`containment`) a draft unit must hold for the text to count as
 * standing there: an article merged into another, a paragraph read as another article's, two
 * units run on one line.
 */
export const FOUND_SHARE = 0.85;

/** Share of `part`'s bigrams found in `whole` (0..1): how far a unit's text is contained in another's. */
export function containment(part: BigramProfile, whole: BigramProfile): number {
  if (part.total === 0) return 0;
  return sharedBigrams(part, whole) / part.total;
}

/** Scratch for `similarity`: the first string's bigrams, and which of them are already matched. */
const SHORT = 128;
const scratchGrams = new Uint32Array(SHORT);
const scratchUsed = new Uint8Array(SHORT);

/**
 * Dice coefficient of character bigrams (0..1), counting a bigram that occurs several times as
 * often as both strings have it. Short strings (headings, compared for every candidate pair) are
 * compared without allocating; longer ones through their profiles.
 */
export function similarity(a: string, b: string): number {
  if (a === b) return a.length ? 1 : 0;
  if (a.length < 2 || b.length < 2) return 0;
  const na = a.length - 1;
  const nb = b.length - 1;
  if (na > SHORT) return profileSimilarity(bigramProfile(a), bigramProfile(b));
  for (let i = 0; i < na; i++) {
    scratchGrams[i] = ((a.charCodeAt(i) << 16) | a.charCodeAt(i + 1)) >>> 0;
    scratchUsed[i] = 0;
  }
  let shared = 0;
  for (let j = 0; j < nb; j++) {
    const g = ((b.charCodeAt(j) << 16) | b.charCodeAt(j + 1)) >>> 0;
    for (let i = 0; i < na; i++) {
      if (scratchUsed[i] === 0 && scratchGrams[i] === g) {
        scratchUsed[i] = 1;
        shared++;
        break;
      }
    }
  }
  return (2 * shared) / (na + nb);
}

/**
 * The parties a draft uses in place of the template's. A draft of the 特約条項 may write
 * 発注者/受注者 for 甲/乙 (and the 特記事項 甲/乙 for 発注者/受注者): the substitution alone is
 * not a deviation.
 */
export function draftParties(text: string, template: Parties): Parties {
  const n = (w: string): number => (w ? text.split(w).length - 1 : 0);
  const alt: Parties = template.a === '甲' ? { a: '発注者', b: '受注者' } : { a: '甲', b: '乙' };
  return n(alt.a) + n(alt.b) > n(template.a) + n(template.b) ? alt : template;
}
