/**
 * Compares an aligned pair of units on kuromoji tokens and classifies each difference on the
 * scales of drafting-rules.md: deadline, obligation, requirement, exception, party, other.
 * Tokens are compared on normalised keys (base forms, NFKC, okurigana folded, parties as roles,
 * article numbers in references masked), so conjugation, digit width and reflow do not count.
 */
import type { Level } from '../findings';
import type { Span, TextBlock } from '../model/types';
import { blockSpan } from '../text/block';
import { followsSentenceEnd } from '../text/lines';
import { ANNEX_START_RE, ARTICLE_START_RE } from '../text/numerals';
import type { Token, Tokenizer } from '../tokenizer/types';
import type { Parties } from '../templates';
import { foldOkurigana, partyPattern, ROLE_A, ROLE_B, roleOf } from './normalize';

export type DeviationType =
  | 'weakened-deadline'
  | 'weakened-obligation'
  | 'dropped-requirement'
  | 'added-exception'
  | 'changed-party'
  | 'altered-text';

export interface Deviation {
  type: DeviationType;
  /** Message id within the rule's catalogue section. */
  messageId: string;
  data: Record<string, string | number>;
  /** Level this deviation asks for (the rule's default otherwise). */
  level?: Level;
  /** Draft characters concerned (original text). */
  span: Span;
  /** Canonical wording of the changed part (or the sentence) shown with the finding. */
  canonical: string;
  /** Edit restoring the canonical wording (or removing the added text). */
  fix?: { span: Span; newText: string; titleId: string; more?: { span: Span; newText: string }[] };
}

/** A token reduced to what comparison needs. */
export interface CToken {
  key: string;
  /** Offsets in the block text. */
  start: number;
  end: number;
  /** Normalised surface (NFKC, roles for parties). */
  norm: string;
  pos: string;
}

export interface Side {
  block: TextBlock;
  tokens: CToken[];
  parties: Parties;
  /**
   * Where the unit's heading ends in the block's text, when the block is a heading followed by
   * the body (an annex item: clause/stage.ts `comparedBlock`); absent when it is all body.
   */
  headingEnd?: number;
  /**
   * Where the heading's line ends in the source, when that is after the heading's text (a closing
   * bracket: 【注記事項】): body text restored under the heading goes after it.
   */
  headingLineEnd?: number;
}

// ---------------------------------------------------------------------------------------------
// Tokens and keys

const KEY_BY_BASE = new Set(['動詞', '形容詞', '助動詞']);

/**
 * The comparison tokens of a block. `cut`: an offset no token spans and no compound is joined
 * across — where a heading ends in a block of heading and body (`Side.headingEnd`), which are
 * written on two lines but tokenised as one text (「…転送サービス」 + 「ファイル交換…」).
 */
export function compareTokens(block: TextBlock, tokenizer: Tokenizer, parties: Parties, cut?: number): CToken[] {
  const text = block.text;
  const raw = tokenizer.tokenize(text);
  // Party words become one token each, whatever kuromoji made of them (発注/者).
  const re = partyPattern(parties);
  const partyAt = new Map<number, number>();
  for (let m = re.exec(text); m; m = re.exec(text)) partyAt.set(m.index, m.index + m[0].length);
  const out: CToken[] = [];
  let skipUntil = -1;
  for (let i = 0; i < raw.length; i++) {
    const t = raw[i];
    if (t.start < skipUntil) {
      // kuromoji may have run the party word into what follows (発注者𐀀𐀀 as one unknown word,
      // or 発注/者𐀀𐀀): the rest of that token is compared as a token of its own, not lost
      if (t.end > skipUntil) {
        pushPlain(out, text.slice(skipUntil, t.end), skipUntil, t.end, t.pos);
        skipUntil = t.end;
      }
      continue;
    }
    const pe = partyAt.get(t.start);
    if (pe !== undefined) {
      const word = text.slice(t.start, pe);
      const role = roleOf(word, parties) ?? word;
      out.push({ key: role, start: t.start, end: pe, norm: role, pos: '名詞' });
      skipUntil = pe;
      if (t.end > pe) {
        pushPlain(out, text.slice(pe, t.end), pe, t.end, t.pos);
        skipUntil = t.end;
      }
      continue;
    }
    if (cut !== undefined && t.start < cut && cut < t.end) {
      pushPlain(out, text.slice(t.start, cut), t.start, cut, t.pos);
      pushPlain(out, text.slice(cut, t.end), cut, t.end, t.pos);
      continue;
    }
    const surface = t.surface.normalize('NFKC');
    if (/^\s*$/.test(surface)) continue;
    // A katakana compound is one word: kuromoji cuts unknown ones by context (クラウドサービス
    // alone, クラ/ウド/サービス before の利用), so the pieces are joined on both sides.
    const last = out[out.length - 1];
    const joinable = last && (cut === undefined || last.end > cut || t.start < cut);
    if (joinable && t.pos === '名詞' && KATAKANA.test(surface) && last.pos === '名詞' && KATAKANA.test(last.norm) && katakanaGap(raw, i, last.end)) {
      last.key += surface;
      last.norm += surface;
      last.end = t.end;
      continue;
    }
    let key: string;
    if (/^[0-9]+$/.test(surface) && (isDai(raw, i) || isNumberedUnitRef(raw, i))) key = '#';
    else if (KEY_BY_BASE.has(t.pos)) key = foldOkurigana((t.base || surface).normalize('NFKC'));
    else key = foldOkurigana(surface);
    out.push({ key, start: t.start, end: t.end, norm: surface, pos: t.pos });
  }
  return out;
}

/** A piece of text compared by its surface (the rest of a token cut short by a party word). */
function pushPlain(out: CToken[], piece: string, start: number, end: number, pos: string): void {
  const norm = piece.normalize('NFKC');
  if (/^\s*$/.test(norm)) return;
  out.push({ key: foldOkurigana(norm), start, end, norm, pos });
}

/** White space within a line. */
const INLINE_SPACE = /^[^\S\r\n]+$/;

/** Katakana and the prolonged sound mark, without the middle dot (a list separator). */
const KATAKANA = /^[\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff]+$/;

/** Only whitespace between the previous kept token (ending at `end`) and raw[i]: compare ignores it. */
function katakanaGap(raw: readonly Token[], i: number, end: number): boolean {
  for (let k = i - 1; k >= 0 && raw[k].end > end; k--) {
    if (!/^\s*$/.test(raw[k].surface)) return false;
  }
  return true;
}

/** 第 before a number (references 第12, 第１項): numbers that renumbering changes. */
function isDai(raw: readonly Token[], i: number): boolean {
  for (let k = i - 1; k >= 0 && k >= i - 2; k--) {
    const s = raw[k].surface.trim();
    if (s === '') continue;
    return s === '第' || s.endsWith('第');
  }
  return false;
}

function isNumberedUnitRef(raw: readonly Token[], i: number): boolean {
  const next = raw[i + 1]?.surface ?? '';
  return /^(条|項|号)/.test(next) && isDai(raw, i);
}

// ---------------------------------------------------------------------------------------------
// Diff

export interface Hunk {
  /** Token ranges [cFrom, cTo) and [dFrom, dTo). */
  cFrom: number;
  cTo: number;
  dFrom: number;
  dTo: number;
}

/** Past this many cells (the product of the two lengths) the table of the LCS is not made. */
const MAX_CELLS = 4_000_000;
/**
 * Past MAX_CELLS, Myers' O(ND) diff runs instead, while the edit script is at most this long and
 * its work (diagonals tried and keys compared) within MYERS_WORK: two long sequences that differ
 * in a few places (the tokens of a paragraph of thousands of lines in two revisions) still get
 * their matches. Its trace takes ~MAX_EDITS² cells.
 */
const MAX_EDITS = 2_000;
const MYERS_WORK = 60_000_000;

/**
 * Longest-common-subsequence diff of two key sequences; hunks between the matches. Among equally
 * long subsequences it skips a key of `a` before one of `b`; `inPlace` skips one of each first
 * when that keeps the subsequence as long (a key replaced, not moved: runs of equal keys then
 * stay matched at the same offsets).
 */
export function diffKeys(a: readonly string[], b: readonly string[], inPlace = false, maxCells = MAX_CELLS): { hunks: Hunk[]; matchA: Int32Array } {
  const n = a.length;
  const m = b.length;
  const matchA = new Int32Array(n).fill(-1);
  // common prefix and suffix first: most aligned paragraphs differ in a few tokens
  let pre = 0;
  while (pre < n && pre < m && a[pre] === b[pre]) {
    matchA[pre] = pre;
    pre++;
  }
  let suf = 0;
  while (suf < n - pre && suf < m - pre && a[n - 1 - suf] === b[m - 1 - suf]) {
    matchA[n - 1 - suf] = m - 1 - suf;
    suf++;
  }
  const an = n - pre - suf;
  const bm = m - pre - suf;
  if (an > 0 && bm > 0) {
    if (an * bm > maxCells) {
      // too large for the table: Myers' diff when the two differ in few places, else one hunk for
      // the middle. Not `inPlace`: among equally long subsequences Myers' drifts along runs of
      // equal keys (a replaced key becomes one removed here and one added further on).
      if (!inPlace) myersMatch(a, b, pre, an, pre, bm, matchA);
    } else {
      const w = bm + 1;
      const dp = new Uint32Array((an + 1) * w);
      for (let i = an - 1; i >= 0; i--) {
        for (let j = bm - 1; j >= 0; j--) {
          dp[i * w + j] =
            a[pre + i] === b[pre + j] ? dp[(i + 1) * w + j + 1] + 1 : Math.max(dp[(i + 1) * w + j], dp[i * w + j + 1]);
        }
      }
      let i = 0;
      let j = 0;
      while (i < an && j < bm) {
        if (a[pre + i] === b[pre + j]) {
          matchA[pre + i] = pre + j;
          i++;
          j++;
        } else if (inPlace && dp[(i + 1) * w + j + 1] === dp[i * w + j]) {
          i++;
          j++;
        } else if (dp[(i + 1) * w + j] >= dp[i * w + j + 1]) i++;
        else j++;
      }
    }
  }
  return { hunks: hunksOf(matchA, m), matchA };
}

/**
 * Myers' greedy O(ND) diff of a[aOff, aOff + an) and b[bOff, bOff + bm): a longest common
 * subsequence, written into `matchA`. False (and `matchA` untouched) when the shortest edit script
 * is longer than MAX_EDITS or the work passes MYERS_WORK. Exported for tests.
 */
export function myersMatch(a: readonly string[], b: readonly string[], aOff: number, an: number, bOff: number, bm: number, matchA: Int32Array): boolean {
  // the script has at least |an - bm| steps
  if (Math.abs(an - bm) > MAX_EDITS) return false;
  const max = Math.min(an + bm, MAX_EDITS);
  const offset = max + 1;
  // v[offset + k]: the furthest x reached on diagonal k (y = x - k)
  const v = new Int32Array(2 * max + 3);
  // trace[d]: v after step d on the diagonals -d..d (index k + d)
  const trace: Int32Array[] = [];
  let work = 0;
  for (let d = 0; d <= max; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      const x0 = x;
      while (x < an && y < bm && a[aOff + x] === b[bOff + y]) {
        x++;
        y++;
      }
      work += 1 + x - x0;
      v[offset + k] = x;
      if (x >= an && y >= bm) {
        trace.push(v.slice(offset - d, offset + d + 1));
        backtrack(trace, d, an, bm, aOff, bOff, matchA);
        return true;
      }
    }
    if (work > MYERS_WORK) return false;
    trace.push(v.slice(offset - d, offset + d + 1));
  }
  return false;
}

/** Walks Myers' trace back from (an, bm) at step `d`, matching the keys along each snake. */
function backtrack(trace: Int32Array[], d: number, an: number, bm: number, aOff: number, bOff: number, matchA: Int32Array): void {
  let x = an;
  let y = bm;
  for (let e = d; e > 0; e--) {
    const prev = trace[e - 1];
    const k = x - y;
    // the step's move, as the forward pass chose it: down (a key of b) or right (a key of a)
    const down = k === -e || (k !== e && prev[k - 1 + e - 1] < prev[k + 1 + e - 1]);
    const pk = down ? k + 1 : k - 1;
    const px = prev[pk + e - 1];
    const py = px - pk;
    // the snake after the move: from (down ? (px, py + 1) : (px + 1, py)) to (x, y)
    const sx = down ? px : px + 1;
    while (x > sx) {
      x--;
      y--;
      matchA[aOff + x] = bOff + y;
    }
    x = px;
    y = py;
  }
  while (x > 0) {
    x--;
    y--;
    matchA[aOff + x] = bOff + y;
  }
}

/** The hunks between the matches of a diff (`matchA[i]`: the b index matched with a[i], or -1). */
/** The hunks between the matches of `matchA` (`m`: the length of the second sequence). */
export function hunksOf(matchA: Int32Array, m: number): Hunk[] {
  const n = matchA.length;
  const hunks: Hunk[] = [];
  let ci = 0;
  let dj = 0;
  while (ci <= n) {
    // advance over matches
    while (ci < n && matchA[ci] === dj) {
      ci++;
      dj++;
    }
    if (ci >= n && dj >= m) break;
    const cFrom = ci;
    const dFrom = dj;
    while (ci < n && matchA[ci] < 0) ci++;
    const dTo = ci < n ? matchA[ci] : m;
    hunks.push({ cFrom, cTo: ci, dFrom, dTo });
    dj = dTo;
    if (ci >= n && dj >= m) break;
  }
  return hunks;
}

/** The longer of a hunk's two sides, in characters. */
function sideLength(x: Hunk, a: readonly CToken[], b: readonly CToken[]): number {
  let c = 0;
  for (let i = x.cFrom; i < x.cTo; i++) c += a[i].end - a[i].start;
  let d = 0;
  for (let j = x.dFrom; j < x.dTo; j++) d += b[j].end - b[j].start;
  return Math.max(c, d);
}

/** Punctuation and symbols only (kuromoji tags a half-width 「(」 as a noun, so its tag does not say). */
const PUNCTUATION = /^[\p{P}\p{S}]+$/u;

/**
 * Drops the matches that only stitch unrelated text together: a run of matched punctuation between
 * two hunks that is no longer (in characters) than what changed on either side of it — the 「（」
 * and 「、」 a replaced sentence shares with the standard one. Left in, they cut one replacement
 * into pieces whose fixes interleave the two texts. (The semantic clean-up of diff-match-patch,
 * on tokens, and only for punctuation: matched words say where a change sits.) Changes `matchA`;
 * returns the hunks. Exported for tests.
 */
export function withoutStitches(matchA: Int32Array, a: readonly CToken[], b: readonly CToken[]): Hunk[] {
  const len = (t: CToken): number => t.end - t.start;
  for (;;) {
    const hunks = hunksOf(matchA, b.length);
    let changed = false;
    for (let k = 0; k + 1 < hunks.length; k++) {
      const h = hunks[k];
      const next = hunks[k + 1];
      // the matched run between h and next: a[h.cTo, next.cFrom)
      let run = 0;
      let words = false;
      for (let i = h.cTo; i < next.cFrom; i++) {
        run += len(a[i]);
        if (!PUNCTUATION.test(a[i].norm)) words = true;
      }
      const shorter = Math.min(sideLength(h, a, b), sideLength(next, a, b));
      // punctuation no longer than the changes beside it; or one particle between two changes at
      // least four times its length: 「この限りで|は|ない」 against 「業務中に|は|データの消去…」 is one
      // change, not two beside a shared は
      const particle = next.cFrom - h.cTo === 1 && a[h.cTo].pos === '助詞';
      if ((!words && run <= shorter) || (particle && 4 * run <= shorter)) {
        for (let i = h.cTo; i < next.cFrom; i++) matchA[i] = -1;
        changed = true;
        break;
      }
    }
    if (!changed) return hunks;
  }
}

/**
 * Puts back together one change that the matching cut in two (the lossless clean-up of
 * diff-match-patch, on tokens). Changes `matchA`. Three steps, repeated while one changes a match:
 *  - a changed hunk whose two sides begin or end with the same characters matches them: kuromoji
 *    may read one surface as two words by its context (「関わりの|ない」 a noun, 「関わりの|が」 the
 *    verb 関わる), so their keys differ although the text is the same;
 *  - a deletion (or an insertion) followed by matched tokens equal to its own first tokens, and then
 *    by another deletion (insertion), is moved past them to join the other: 「関わりのない不特定多数
 *    の者が」 → 「関わりのが」 is one deletion, 「ない不特定多数の者」, not 「のない不特定多数」 and 「者」
 *    beside a matched 「の」. The common subsequence is as long; each piece's fix alone would leave
 *    the other reported at the same place;
 *  - a replacement whose standard side holds a sentence's end, followed by matched tokens that end a
 *    sentence the same way, matches them at the first sentence's end instead: 「返還するものとする。
 *    ただし、…によるものとする。」 → 「返還するのとする。」 is 「もの」 → 「の」 and the whole second
 *    sentence removed, not 「ものとする。ただし、…によるもの」 → 「の」 cut through both sentences.
 * Exported for tests.
 */
export function joinSplitEdits(matchA: Int32Array, a: readonly CToken[], b: readonly CToken[]): void {
  for (let changed = true; changed; ) {
    changed = false;
    const hunks = hunksOf(matchA, b.length);
    for (const h of hunks) {
      if (h.cFrom === h.cTo || h.dFrom === h.dTo) continue;
      let { cFrom, cTo, dFrom, dTo } = h;
      while (cFrom < cTo && dFrom < dTo && a[cFrom].norm === b[dFrom].norm) matchA[cFrom++] = dFrom++;
      while (cFrom < cTo && dFrom < dTo && a[cTo - 1].norm === b[dTo - 1].norm) matchA[--cTo] = --dTo;
      if (cFrom !== h.cFrom || cTo !== h.cTo) changed = true;
    }
    if (changed) continue;
    // (each slide changes only its two hunks and the matches between them: the pass goes on after
    // the next one, which the slide joined)
    for (let k = 0; k + 1 < hunks.length; k++) {
      const h = hunks[k];
      const next = hunks[k + 1];
      const run = next.cFrom - h.cTo; // matched tokens between the two, on either side
      if (h.dFrom === h.dTo && next.dFrom === next.dTo && run <= h.cTo - h.cFrom) {
        // two deletions: a[h.cTo, next.cFrom) matched; slide the first deletion to the right
        let same = true;
        for (let i = 0; i < run && same; i++) same = a[h.cFrom + i].key === a[h.cTo + i].key;
        if (same) {
          for (let i = 0; i < run; i++) {
            matchA[h.cFrom + i] = matchA[h.cTo + i];
            matchA[h.cTo + i] = -1;
          }
          changed = true;
          k++;
        }
      } else if (h.cFrom === h.cTo && next.cFrom === next.cTo && run <= h.dTo - h.dFrom) {
        // two insertions: b[h.dTo, next.dFrom) matched to a[h.cTo, next.cFrom); slide the first
        let same = true;
        for (let i = 0; i < run && same; i++) same = b[h.dFrom + i].key === b[h.dTo + i].key;
        if (same) {
          for (let i = 0; i < run; i++) matchA[h.cTo + i] = h.dFrom + i;
          changed = true;
          k++;
        }
      }
    }
    if (changed) continue;
    for (const h of hunks) {
      if (h.cFrom === h.cTo || h.dFrom === h.dTo) continue;
      // the matched tokens after h up to the first sentence end: a[h.cTo, e]
      let e = h.cTo;
      while (e < a.length && matchA[e] === h.dTo + (e - h.cTo) && a[e].norm !== '。') e++;
      if (e >= a.length || matchA[e] !== h.dTo + (e - h.cTo)) continue;
      const run = e - h.cTo + 1;
      // the first place in h's standard side where the same tokens end a sentence
      let k = h.cFrom;
      for (; k + run <= h.cTo; k++) {
        if (a[k + run - 1].norm !== '。') continue;
        let same = true;
        for (let i = 0; i < run && same; i++) same = a[k + i].key === a[h.cTo + i].key;
        if (same) break;
      }
      if (k + run > h.cTo) continue;
      // (only h and the matches after it up to the sentence end change: the pass goes on)
      for (let i = 0; i < run; i++) {
        matchA[k + i] = matchA[h.cTo + i];
        matchA[h.cTo + i] = -1;
      }
      changed = true;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Scales (drafting-rules.md §1–§3)

interface Urgency {
  word: string;
  rank: number;
  legal: boolean;
  start: number;
  end: number;
}

const URGENCY: readonly { re: RegExp; rank: number; legal: boolean }[] = [
  { re: /直ちに|ただちに|即時に|即座に/g, rank: 3, legal: true },
  { re: /可及的速やかに|速やかに|すみやかに/g, rank: 2, legal: true },
  { re: /遅滞なく/g, rank: 1, legal: true },
  { re: /早急に|迅速に|できる限り早く|できるだけ早く|すぐに|早期に/g, rank: 1.5, legal: false },
  { re: /適宜|随時|適時/g, rank: 0.5, legal: false },
];

function urgencies(text: string, from: number, to: number): Urgency[] {
  const s = text.slice(from, to);
  const out: Urgency[] = [];
  for (const u of URGENCY) {
    u.re.lastIndex = 0;
    for (let m = u.re.exec(s); m; m = u.re.exec(s)) {
      if (out.some((o) => o.start <= from + m!.index && from + m!.index < o.end)) continue;
      out.push({ word: m[0], rank: u.rank, legal: u.legal, start: from + m.index, end: from + m.index + m[0].length });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

interface Limit {
  minutes: number;
  text: string;
  start: number;
  end: number;
}

const LIMIT_RE = /([0-9０-９]+|[〇一二三四五六七八九十百千]+)\s*(分|時間|営業日|日|週間|か月|箇月|ヶ月|ケ月|カ月|年)\s*(以内|まで)/g;
const UNIT_MINUTES: Record<string, number> = {
  分: 1,
  時間: 60,
  日: 1440,
  営業日: 1440 * 1.4,
  週間: 10080,
  か月: 43200,
  箇月: 43200,
  ヶ月: 43200,
  ケ月: 43200,
  カ月: 43200,
  年: 525600,
};

function limits(text: string, from: number, to: number): Limit[] {
  const s = text.slice(from, to);
  const out: Limit[] = [];
  LIMIT_RE.lastIndex = 0;
  for (let m = LIMIT_RE.exec(s); m; m = LIMIT_RE.exec(s)) {
    const n = parseLimitNumber(m[1]);
    if (!Number.isFinite(n)) continue;
    out.push({ minutes: n * UNIT_MINUTES[m[2]], text: m[0], start: from + m.index, end: from + m.index + m[0].length });
  }
  return out;
}

function parseLimitNumber(s: string): number {
  const half = s.normalize('NFKC');
  if (/^[0-9]+$/.test(half)) return parseInt(half, 10);
  // kanji numerals
  const digits: Record<string, number> = { 〇: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
  const units: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
  let total = 0;
  let cur = 0;
  for (const c of s) {
    if (c in digits) cur = digits[c];
    else if (c in units) {
      total += (cur || 1) * units[c];
      cur = 0;
    } else return NaN;
  }
  return total + cur;
}

interface Predicate {
  rank: number;
  kind: 'duty' | 'prohibition' | 'permission';
  text: string;
  start: number;
  end: number;
}

const PREDICATES: readonly { re: RegExp; rank: number; kind: Predicate['kind'] }[] = [
  { re: /ことができる(ものとする)?$/, rank: 0.5, kind: 'permission' },
  { re: /しないよう(に)?努め(なければならない|るものとする|る)$/, rank: 2, kind: 'prohibition' },
  { re: /(て|で)はならない$/, rank: 5, kind: 'prohibition' },
  { re: /(し|行わ|させ)?ないものとする$/, rank: 4, kind: 'prohibition' },
  { re: /ないこと$/, rank: 4.5, kind: 'prohibition' },
  { re: /努めなければならない$/, rank: 3, kind: 'duty' },
  { re: /(よう(に)?)?努めるものとする$|よう(に)?努める$|努める$|努力する(ものとする)?$/, rank: 2, kind: 'duty' },
  { re: /なければならない$/, rank: 5, kind: 'duty' },
  { re: /ものとする$/, rank: 4, kind: 'duty' },
  { re: /望ましい$|配慮する(ものとする)?$/, rank: 1, kind: 'duty' },
  { re: /こと$/, rank: 4.5, kind: 'duty' },
];

function predicateOf(text: string, from: number, to: number): Predicate | null {
  // the sentence without its final 。 and closing brackets
  let end = to;
  while (end > from && /[。．）」』\s]/.test(text[end - 1])) end--;
  const s = text.slice(from, end);
  for (const p of PREDICATES) {
    const m = p.re.exec(s);
    if (m) return { rank: p.rank, kind: p.kind, text: m[0], start: from + m.index, end: from + m.index + m[0].length };
  }
  return null;
}

const HEDGES = /原則として|可能な限り|できる限り|できるだけ|必要に応じ(て)?|合理的な範囲(で|内で|において)?|努力する|可能であれば|差し支えない範囲/g;

const EXCEPTIONS = /ただし|但し|この限りでない|この限りではない|に限る|に限り|を除き|を除く|を除いて|上限|限度|故意又は重大な過失|重大な過失|免責|責任を負わない|例外|場合を除/g;

const REQUIREMENTS = /あらかじめ|予め|書面|承認|承諾|許可|同意|連帯|直接又は間接|一切|同様とする|全部又は一部|常に|必ず|厳重|確実|十分な|万全/g;

const CONJUNCTIONS = new Set(['若しくは', 'もしくは', '又は', 'または', '及び', 'および', '並びに', 'ならびに', '、', '・', 'や']);

function words(re: RegExp, s: string): string[] {
  re.lastIndex = 0;
  return s.match(re) ?? [];
}

function countOf(list: string[], w: string): number {
  return list.filter((x) => x === w || x.replace(/^予め$/, 'あらかじめ') === w).length;
}

// ---------------------------------------------------------------------------------------------
// Sentences

/** The requirement words (あらかじめ, 書面, 承認…) the standard text has more of than the draft's. */
function lostRequirements(canonical: string, draft: string): string[] {
  const c = words(REQUIREMENTS, normalizeSurface(canonical));
  const d = words(REQUIREMENTS, normalizeSurface(draft));
  return c.filter((w) => countOf(c, w) > countOf(d, w));
}

interface Sentence {
  start: number;
  end: number;
}

/** Splits at 。 outside 「」 and （）. */
export function sentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '「' || c === '（' || c === '(' || c === '『') depth++;
    else if ((c === '」' || c === '）' || c === ')' || c === '』') && depth > 0) depth--;
    else if ((c === '。' || c === '．') && depth === 0) {
      out.push({ start, end: i + 1 });
      start = i + 1;
    }
  }
  if (start < text.length && text.slice(start).trim()) out.push({ start, end: text.length });
  return out;
}

function sentenceIndexAt(ss: Sentence[], offset: number): number {
  for (let i = 0; i < ss.length; i++) if (offset < ss[i].end) return i;
  return ss.length - 1;
}

// ---------------------------------------------------------------------------------------------
// Classification

export interface CompareInput {
  canonical: Side;
  draft: Side;
  /** Canonical wording with errata corrected, for fixes. */
  correct: (s: string) => string;
}

/** Maps canonical wording to the draft's party names. */
function toDraftParties(s: string, c: Parties, d: Parties): string {
  if (c.a === d.a && c.b === d.b) return s;
  return s.replace(partyPattern(c), (w) => (w === c.a ? d.a : w === c.b ? d.b : w));
}

/**
 * The matching of two token lists that the comparison reads: the longest common subsequence of
 * their keys, with the changes it cut in two put back together (`joinSplitEdits`). The revision
 * diff takes its hunks from the same matching, so that its report and these deviations agree.
 */
export function matchTokens(a: readonly CToken[], b: readonly CToken[]): Int32Array {
  const { matchA } = diffKeys(
    a.map((t) => t.key),
    b.map((t) => t.key),
  );
  joinSplitEdits(matchA, a, b);
  return matchA;
}

export function compareUnits(input: CompareInput): Deviation[] {
  const { canonical: C, draft: D } = input;
  const ct = C.tokens;
  const dt = D.tokens;
  const matchA = matchTokens(ct, dt);
  const stitched = withoutStitches(matchA, ct, dt);
  const cText = C.block.text;
  const dText = D.block.text;
  /** Canonical wording as a fix writes it: errata corrected, in the draft's party names. */
  const canonical = (s: string): string => toDraftParties(input.correct(s), C.parties, D.parties);
  // The same characters cut into other tokens (kuromoji segments the words next to a character it
  // does not know, such as 𐀀, otherwise: 特約条項 / 特約 条項) are no deviation: restoring them
  // would write what is there.
  const hunks = stitched.filter(
    (h) =>
      h.cTo === h.cFrom ||
      h.dTo === h.dFrom ||
      canonical(cText.slice(ct[h.cFrom].start, ct[h.cTo - 1].end)) !== dText.slice(dt[h.dFrom].start, dt[h.dTo - 1].end),
  );
  if (hunks.length === 0) return [];
  const cSents = sentences(cText);
  const dSents = sentences(dText);
  const out: Deviation[] = [];
  const explained = new Set<Hunk>();

  const dSpan = (from: number, to: number): Span => blockSpan(D.block, from, to);
  /** Where a finding about the draft range is shown: the range, or the character before an empty one. */
  const shownSpan = (r: { start: number; end: number }): Span => (r.start === r.end ? caretSpan(D, r.start) : dSpan(r.start, r.end));
  const cStr = (h: Hunk): string => (h.cTo > h.cFrom ? cText.slice(ct[h.cFrom].start, ct[h.cTo - 1].end) : '');
  const dStr = (h: Hunk): string => (h.dTo > h.dFrom ? dText.slice(dt[h.dFrom].start, dt[h.dTo - 1].end) : '');
  /** The text range of tokens [from, to) of one side; an empty one at the next token (or the end). */
  const sideRange = (toks: readonly { start: number; end: number }[], from: number, to: number): { start: number; end: number } => {
    if (to > from) return { start: toks[from].start, end: toks[to - 1].end };
    const at = from < toks.length ? toks[from].start : toks.length ? toks[toks.length - 1].end : 0;
    return { start: at, end: at };
  };
  const dRange = (h: Hunk): { start: number; end: number } => sideRange(dt, h.dFrom, h.dTo);
  const cRange = (h: Hunk): { start: number; end: number } => sideRange(ct, h.cFrom, h.cTo);
  /**
   * Whether a hunk changes nothing but the words `d` (draft) and `c` (canonical) — a predicate, a
   * deadline word, a limit — or adds draft words only: a hunk that replaces or drops standard
   * words around them (「速やかに甲にその旨を報告し」 become 「直ちに口頭で報告し」) changed more
   * than that word's strength, and is to be reported as changed, not explained by it.
   */
  const confined = (h: Hunk, d: { start: number; end: number }, c: { start: number; end: number }): boolean => {
    if (h.cTo === h.cFrom) return true;
    const dr = dRange(h);
    const cr = cRange(h);
    return dr.start >= d.start && dr.end <= d.end && cr.start >= c.start && cr.end <= c.end;
  };
  /**
   * Restores a whole sentence's changed middle on the characters themselves (common prefix and
   * suffix kept): token keys use base forms, so 「し」 and 「する」 match as tokens but not as text.
   */
  const restoreSentence = (c: Sentence, d: Sentence, titleId: string, keep?: { start: number; end: number }): Deviation['fix'] => {
    // Only the part of the draft sentence that stands for this canonical text is replaced: a start
    // or an end of it whose characters are at least half words matched in other canonical
    // sentences stays (a form's 「□ 有…□ 無」 after a sentence whose 。 was lost is the
    // standard's next sentence, not text to replace) — but never the words the finding is about
    // (`keep`: a weakened 「ことができるものとする」 also matches a later sentence's 「ものとする」).
    const beforeC: { start: number; end: number }[] = [];
    const afterC: { start: number; end: number }[] = [];
    for (let i = 0; i < ct.length; i++) {
      const j = matchA[i];
      if (j < 0 || dt[j].start < d.start || dt[j].end > d.end) continue;
      if (ct[i].start >= c.end) afterC.push(dt[j]);
      else if (ct[i].end <= c.start) beforeC.push(dt[j]);
    }
    const solid = (from: number, to: number, words: readonly { start: number; end: number }[]): boolean => {
      let matched = 0;
      let wordy = 0; // matched characters other than punctuation: a lone 。 says nothing
      for (const w of words) {
        if (w.start < from || w.end > to) continue;
        matched += w.end - w.start;
        wordy += dText.slice(w.start, w.end).replace(/[\s。、．，「」（）()]/g, '').length;
      }
      return wordy >= 2 && 2 * matched >= dText.slice(from, to).replace(/\s/g, '').length;
    };
    let start = d.start;
    let end = d.end;
    afterC.sort((a, b) => a.start - b.start);
    for (const w of afterC) {
      if ((keep && w.start < keep.end) || !solid(w.start, d.end, afterC)) continue;
      end = w.start;
      break;
    }
    beforeC.sort((a, b) => b.end - a.end);
    for (const w of beforeC) {
      if (w.end > end || (keep && w.end > keep.start) || !solid(d.start, w.end, beforeC)) continue;
      start = w.end;
      break;
    }
    while (end > start && /\s/.test(dText[end - 1])) end--;
    if (start >= end) return undefined;
    const e = middleEdit(dText, start, end, canonical(cText.slice(c.start, c.end)));
    return e ? { span: dSpan(e.start, e.end), newText: e.newText, titleId } : undefined;
  };
  const restore = (h: Hunk): { span: Span; newText: string; more?: { span: Span; newText: string }[] } => {
    const r = dRange(h);
    // Body text restored after a heading that has lost its body goes on a line of its own, as in
    // the standard: written on the heading's line it would read as part of the heading.
    const cBody = C.headingEnd;
    if (cBody !== undefined && D.headingEnd === dText.length && r.start === dText.length && h.cTo > h.cFrom) {
      const from = ct[h.cFrom].start;
      const to = ct[h.cTo - 1].end;
      const here = dSpan(r.start, r.end);
      // after the heading's line, past a closing bracket (【注記事項】), not inside it
      const lineEnd = D.headingLineEnd !== undefined && D.headingLineEnd > here.end ? D.headingLineEnd : here.end;
      const below = { start: lineEnd, end: lineEnd };
      if (from < cBody && cBody < to) {
        const head = canonical(cText.slice(from, cBody));
        const body = `\n${canonical(cText.slice(cBody, to))}`;
        return lineEnd === here.end ? { span: here, newText: head + body } : { span: here, newText: head, more: [{ span: below, newText: body }] };
      }
      if (from >= cBody) return { span: below, newText: `\n${canonical(cText.slice(from, to))}` };
    }
    // Words restored before a word the standard writes them apart from (「年　月」) keep that space:
    // comparison skips white space, and 「年月」 would read as one word. The same after them, and
    // before them (年 + 「　月　日」, 月 + 「 日付け「道路」), where the draft has none there.
    const gap =
      h.cTo > h.cFrom && h.cTo < ct.length && (h.dTo === h.dFrom || (r.end < dText.length && !/\s/.test(dText[r.end]))) ? cText.slice(ct[h.cTo - 1].end, ct[h.cTo].start) : '';
    // Text restored where nothing stands goes right after the character before it, where the
    // finding is shown: at a line break of the block that is the end of the line above, not the
    // start of the next (年 on one line of a form, （住所） on the next).
    const at = r.start === r.end && r.start > 0 ? dSpan(r.start - 1, r.start).end : -1;
    const lead = r.start > 0 && h.cFrom > 0 && h.cTo > h.cFrom && !/\s/.test(dText[r.start - 1]) ? cText.slice(ct[h.cFrom - 1].end, ct[h.cFrom].start) : '';
    const newText = (INLINE_SPACE.test(lead) ? lead : '') + canonical(cStr(h)) + (INLINE_SPACE.test(gap) ? gap : '');
    return { span: at >= 0 ? { start: at, end: at } : dSpan(r.start, r.end), newText };
  };
  /**
   * A hunk restored across a neighbouring match whose characters differ from its canonical
   * counterpart: kuromoji can cut the same key out of other characters — in 負わな別記様式い the
   * な matches ない (both 助動詞 ない), and the hunk 別記様式い holds the い that ない lost. The
   * window takes in such neighbours, and only the characters that differ within it are replaced
   * (block-text offsets). A neighbour between two hunks (この特約す: す matched the さ of される,
   * with text lost on both sides) takes the other hunk in too: both hunks then have one and the
   * same edit, which their merged finding keeps once. Null when both neighbours are written as in
   * the standard: the hunk's own tokens are restored then (`restore`).
   */
  const hunkEndingAt = new Map(stitched.map((x) => [`${x.cTo}:${x.dTo}`, x]));
  const hunkStartingAt = new Map(stitched.map((x) => [`${x.cFrom}:${x.dFrom}`, x]));
  const restoreAcross = (h: Hunk): { start: number; end: number; newText: string } | null => {
    const differs = (ci: number, dj: number): boolean => canonical(cText.slice(ct[ci].start, ct[ci].end)) !== dText.slice(dt[dj].start, dt[dj].end);
    const prev = h.cFrom > 0 && h.dFrom > 0 && matchA[h.cFrom - 1] === h.dFrom - 1 && differs(h.cFrom - 1, h.dFrom - 1);
    const next = h.cTo < ct.length && h.dTo < dt.length && matchA[h.cTo] === h.dTo && differs(h.cTo, h.dTo);
    if (!prev && !next) return null;
    const before = prev ? hunkEndingAt.get(`${h.cFrom - 1}:${h.dFrom - 1}`) : undefined;
    const after = next ? hunkStartingAt.get(`${h.cTo + 1}:${h.dTo + 1}`) : undefined;
    const cs = before ? cRange(before).start : prev ? ct[h.cFrom - 1].start : cRange(h).start;
    const ce = after ? cRange(after).end : next ? ct[h.cTo].end : cRange(h).end;
    const ds = before ? dRange(before).start : prev ? dt[h.dFrom - 1].start : dRange(h).start;
    const de = after ? dRange(after).end : next ? dt[h.dTo].end : dRange(h).end;
    return middleEdit(dText, ds, de, canonical(cText.slice(cs, ce)));
  };
  /**
   * The canonical sentence paired with the draft's, widened to every canonical sentence the hunk's
   * canonical side lies in: a draft that lost 「。また、…」 has one sentence where the standard
   * has two, and the hunk restores both.
   */
  const canonicalSentences = (h: Hunk, c: Sentence): Sentence => {
    if (h.cTo <= h.cFrom) return c;
    const first = cSents[sentenceIndexAt(cSents, ct[h.cFrom].start)];
    const last = cSents[sentenceIndexAt(cSents, ct[h.cTo - 1].end - 1)];
    return { start: Math.min(c.start, first?.start ?? c.start), end: Math.max(c.end, last?.end ?? c.end) };
  };
  /**
   * For a draft sentence restored whole because most of it differs: the canonical sentences of
   * every hunk inside it, not only of the one fixed — the draft's garbled words stand for all of
   * them (a body replaced by a line of the 届出書 loses both 「…使用してはならない。」 and its
   * 「ただし、…この限りではない。」; restoring the first alone leaves the second reported anew).
   */
  const garbledSentences = (c: Sentence, d: Sentence): Sentence => {
    let { start, end } = c;
    for (const x of hunks) {
      const r = dRange(x);
      if (x.cTo <= x.cFrom || r.start < d.start || r.end > d.end) continue;
      const w = canonicalSentences(x, c);
      start = Math.min(start, w.start);
      end = Math.max(end, w.end);
    }
    return { start, end };
  };
  /**
   * A draft sentence restored whole as the canonical sentences `c`, widened to the draft sentences
   * where words of `c` are matched beside it: the standard's 「…するものとする。ただし、…この限り
   * でない。」 restored over a garbled first sentence must take in the draft's own 「…この限りではない。」
   * after it, or that is left twice. Punctuation matched there does not count.
   */
  const draftOfGarbled = (c: Sentence, d: Sentence): Sentence => {
    let { start, end } = d;
    for (let i = 0; i < ct.length; i++) {
      const j = matchA[i];
      if (j < 0 || ct[i].start < c.start || ct[i].end > c.end || PUNCTUATION.test(ct[i].norm)) continue;
      if (dt[j].start >= end) end = dSents[sentenceIndexAt(dSents, dt[j].start)]?.end ?? end;
      else if (dt[j].end <= start) start = Math.min(start, dSents[sentenceIndexAt(dSents, dt[j].start)]?.start ?? start);
    }
    return { start, end };
  };
  /**
   * The draft sentence of a hunk, widened to every draft sentence the hunk or its fix lies in, and
   * to the neighbouring sentences paired with the same canonical sentence: a 。 inserted into a
   * sentence (公表す。ることができる, 乙。は、甲の承認を…) makes two where the standard has one,
   * and the fix that removes it is judged against both.
   */
  const draftSentences = (h: Hunk, r: { start: number; end: number }, sentIdx: number, cSentIdx: number): Sentence | undefined => {
    const own = dSents[sentIdx];
    if (!own) return undefined;
    const hr = dRange(h);
    const from = Math.min(r.start, hr.start);
    const to = Math.max(r.end, hr.end);
    let first = Math.min(sentIdx, sentenceIndexAt(dSents, from));
    let last = Math.max(sentIdx, sentenceIndexAt(dSents, Math.max(from, to - 1)));
    while (first > 0 && sentPair.get(first - 1) === cSentIdx) first--;
    while (last + 1 < dSents.length && sentPair.get(last + 1) === cSentIdx) last++;
    return { start: dSents[first].start, end: dSents[last].end };
  };
  /**
   * A hunk's restore, across the neighbouring tokens when they are the same word cut otherwise
   * (`refined`, from `restoreAcross`): a hedge typed into a word, 「関わりのな可能な限りい」, is a hunk
   * 「可能な限りい」 beside 「な」 matched to the standard's 「ない」, and removing the hunk took the 「い」.
   */
  const restoreNear = (h: Hunk, refined = restoreAcross(h)): { span: Span; newText: string; more?: { span: Span; newText: string }[] } =>
    refined ? { span: dSpan(refined.start, refined.end), newText: refined.newText } : restore(h);
  /**
   * `restore(h)`, when it brings the draft sentence closer to the canonical one (or ones: see
   * `canonicalSentences`) character by character; otherwise the sentence's changed middle restored
   * (or no fix). Token hunks can sit beside the characters that differ — kuromoji cuts the words
   * next to an unknown character such as 𐀀 otherwise — and writing the canonical side of such a
   * hunk back would double a character.
   */
  const checkedRestore = (h: Hunk, titleId: string, sentIdx: number, cSentIdx: number | undefined): Deviation['fix'] => {
    const refined = restoreAcross(h);
    const fix = { ...restoreNear(h, refined), titleId };
    if (cSentIdx === undefined) return fix;
    const r = refined ?? dRange(h);
    const d = draftSentences(h, r, sentIdx, cSentIdx);
    const paired = cSents[cSentIdx];
    const c = paired && canonicalSentences(h, paired);
    if (!d || !c || r.start < d.start || r.end > d.end) return fix;
    const want = canonical(cText.slice(c.start, c.end));
    const have = dText.slice(d.start, d.end);
    const after = have.slice(0, r.start - d.start) + fix.newText + have.slice(r.end - d.start);
    const before = charDistance(have, want);
    if (before === null) return fix; // too long to check
    // A changed part of a sentence that differs from the standard in most of its characters (text
    // of two units run together by a lost line) matches it only here and there: a fix of one part
    // moves what the rest matches, and leaves differences where there were none. It is restored
    // whole. (Text only added or only lost is written or removed as it is.)
    const changed = h.cTo > h.cFrom && h.dTo > h.dFrom;
    const whole = (): Deviation['fix'] => {
      const cs = garbledSentences(c, d);
      return restoreSentence(cs, draftOfGarbled(cs, d), titleId);
    };
    if (changed && 2 * before > Math.max(have.length, want.length)) return whole();
    if ((charDistance(after, want) ?? 0) < before) return fix;
    return whole();
  };

  // Sentence pairs, through matched tokens: draft sentence → canonical sentence.
  const sentPair = new Map<number, number>();
  const votes = new Map<string, number>();
  for (let i = 0; i < ct.length; i++) {
    const j = matchA[i];
    if (j < 0) continue;
    const k = `${sentenceIndexAt(dSents, dt[j].start)}:${sentenceIndexAt(cSents, ct[i].start)}`;
    votes.set(k, (votes.get(k) ?? 0) + 1);
  }
  const bestVote = new Map<number, number>();
  for (const [k, v] of votes) {
    const [ds, cs] = k.split(':').map(Number);
    if (v > (bestVote.get(ds) ?? 0)) {
      bestVote.set(ds, v);
      sentPair.set(ds, cs);
    }
  }

  const hunkSentences = (h: Hunk): { ds: number; cs: number | undefined } => {
    const r = dRange(h);
    const ds = sentenceIndexAt(dSents, r.start);
    return { ds, cs: sentPair.get(ds) };
  };

  // 1. Sentence scales: deadlines and obligations, per aligned sentence pair with a difference.
  const touched = new Set<number>();
  for (const h of hunks) touched.add(hunkSentences(h).ds);
  for (const ds of touched) {
    const cs = sentPair.get(ds);
    if (cs === undefined) continue;
    const d = dSents[ds];
    const c = cSents[cs];
    const du = urgencies(dText, d.start, d.end);
    const cu = urgencies(cText, c.start, c.end);
    const inS = (h: Hunk): boolean => hunkSentences(h).ds === ds;
    const sentenceHunks = hunks.filter(inS);
    const explainIn = (from: number, to: number): Hunk[] =>
      sentenceHunks.filter((h) => {
        const r = dRange(h);
        return r.end >= from && r.start <= to;
      });

    // deadline words
    const dWords = du.map((u) => u.word);
    const missing = cu.filter((u) => !dWords.includes(u.word));
    if (missing.length) {
      const cWords = cu.map((u) => u.word);
      const added = du.filter((u) => !cWords.includes(u.word));
      const canonRank = Math.max(...missing.map((u) => u.rank));
      const canonAt = missing.find((u) => u.rank === canonRank);
      const canonWord = canonAt?.word ?? '';
      const repl = added.length ? added.reduce((a, b) => (b.rank > a.rank ? b : a)) : null;
      const hs = repl ? explainIn(repl.start, repl.end) : [];
      if (!repl) {
        // the deadline word was removed
        const removedHunks = sentenceHunks.filter((h) => cStr(h).includes(canonWord));
        const h = removedHunks[0] ?? sentenceHunks[0];
        if (h) {
          const r = dRange(h);
          out.push({
            type: 'weakened-deadline',
            messageId: 'removed',
            data: { canonical: canonWord },
            level: 'error',
            span: shownSpan(r),
            canonical: cText.slice(c.start, c.end),
            fix: { ...restore(h), titleId: 'restore' },
          });
          explained.add(h);
        }
      } else if (repl.rank < canonRank || !repl.legal) {
        out.push({
          type: 'weakened-deadline',
          messageId: repl.legal ? 'weaker' : 'non-legal',
          data: { canonical: canonWord, draft: repl.word },
          level: 'error',
          span: dSpan(repl.start, repl.end),
          canonical: cText.slice(c.start, c.end),
          fix: { span: dSpan(repl.start, repl.end), newText: canonWord, titleId: 'restore-word' },
        });
        // words replaced around the word stay a change of their own (its fix restores them too)
        for (const h of hs) if (confined(h, repl, canonAt ?? repl)) explained.add(h);
      } else if (repl.rank > canonRank && hs.every((h) => confined(h, repl, canonAt ?? repl))) {
        // (not when the words replaced run on past the deadline word: 「速やかに甲にその旨を報告し」
        // become 「直ちに口頭で報告し」 is reported as changed, the stricter word inside it)
        // 速やかに for 遅滞なく: more urgent but less binding (drafting-rules.md §1)
        const softer = canonWord === '遅滞なく' && /速やかに|すみやかに/.test(repl.word);
        out.push({
          type: 'altered-text',
          messageId: softer ? 'urgency-less-binding' : 'strengthened',
          data: { canonical: canonWord, draft: repl.word },
          level: 'information',
          span: dSpan(repl.start, repl.end),
          canonical: cText.slice(c.start, c.end),
        });
        for (const h of hs) explained.add(h);
      }
    }

    // explicit limits
    const dl = limits(dText, d.start, d.end);
    const cl = limits(cText, c.start, c.end);
    cl.forEach((cLim, i) => {
      const dLim = dl[i];
      if (!dLim) {
        const h = sentenceHunks.find((x) => cStr(x).length > 0 && cLim.text.includes(cStr(x).replace(/\s/g, '').slice(0, 1)));
        const target = h ?? sentenceHunks[0];
        if (!target) return;
        const r = dRange(target);
        out.push({
          type: 'weakened-deadline',
          messageId: 'limit-removed',
          data: { canonical: cLim.text },
          level: 'error',
          span: shownSpan(r),
          canonical: cText.slice(c.start, c.end),
          fix: { ...restore(target), titleId: 'restore' },
        });
        explained.add(target);
        return;
      }
      if (dLim.minutes === cLim.minutes) return;
      const hs = explainIn(dLim.start, dLim.end);
      // a shorter limit inside words replaced around it: reported as changed (as a deadline word
      // above); a longer one is reported, and the words around it stay a change of their own
      if (dLim.minutes < cLim.minutes && !hs.every((h) => confined(h, dLim, cLim))) return;
      for (const h of hs) if (confined(h, dLim, cLim)) explained.add(h);
      out.push({
        type: dLim.minutes > cLim.minutes ? 'weakened-deadline' : 'altered-text',
        messageId: dLim.minutes > cLim.minutes ? 'limit-lengthened' : 'strengthened',
        data: { canonical: cLim.text, draft: dLim.text },
        level: dLim.minutes > cLim.minutes ? 'error' : 'information',
        span: dSpan(dLim.start, dLim.end),
        canonical: cText.slice(c.start, c.end),
        fix: dLim.minutes > cLim.minutes ? { span: dSpan(dLim.start, dLim.end), newText: cLim.text, titleId: 'restore-word' } : undefined,
      });
    });

    /**
     * The requirements lost in hunks a sentence-scale finding explains (a hedge, a weaker
     * predicate), reported as dropped-requirement with that finding's fix: explained, they would
     * not be reported at all.
     */
    const droppedUnder = (hs: readonly Hunk[], c: Sentence, fix: Deviation['fix'], prohibition: boolean): void => {
      for (const x of hs) {
        const cs = cStr(x);
        const lost = lostRequirements(cs, dStr(x));
        if (!lost.length) continue;
        out.push({
          type: 'dropped-requirement',
          messageId: 'qualifier',
          data: { dropped: lost[0], canonical: cs },
          level: prohibition ? 'error' : undefined,
          span: shownSpan(dRange(x)),
          canonical: cText.slice(c.start, c.end),
          fix: fix && { ...fix, titleId: 'restore' },
        });
      }
    };

    // obligation strength of the final predicate
    const dp = predicateOf(dText, d.start, d.end);
    const cp = predicateOf(cText, c.start, c.end);
    if (cp && (!dp || dp.text !== cp.text)) {
      const dRank = dp?.rank ?? 0;
      const hs = dp ? explainIn(dp.start, dp.end) : [];
      const holding = sentenceHunks.filter((h) => cStr(h).includes(cp.text.slice(-3)));
      // No predicate left, and the hunk that holds it runs on past the standard sentence's end: the
      // sentence ran into the next one (「…措置をとることができる。この場」 lost between 「情報シス
      // テム」 and 「合において」), or the words of both were replaced (a body swapped with a heading
      // line). The fix restores that hunk (as its altered-text finding's does): restoring this
      // sentence alone wrote its end over the next sentence's words (「合」 of 「この場合」), or left
      // the next sentence missing.
      const runOn = !dp && holding.length === 1 && ct[holding[0].cTo - 1].end > c.end;
      if (dRank < cp.rank && (dp || holding.length > 0)) {
        const at = dp ?? { start: d.end - 1, end: d.end };
        // The fix restores the changed tokens, not only the ending: 「実施するよう努めるものとする」 →
        // 「実施しなければならない」. restoreSentence keeps the draft's predicate out of what it may
        // leave; with none, nothing (the sentence's last character would keep the words of a next
        // sentence run into it from being left).
        const fix: Deviation['fix'] = runOn ? { ...restoreNear(holding[0]), titleId: 'restore' } : restoreSentence(c, d, 'restore', dp ?? undefined);
        out.push({
          type: 'weakened-obligation',
          messageId: cp.kind === 'prohibition' ? 'weaker-prohibition' : 'weaker',
          data: { canonical: cp.text, draft: dp?.text ?? '' },
          level: cp.kind === 'prohibition' ? 'error' : undefined,
          span: dSpan(at.start, at.end),
          canonical: cText.slice(c.start, c.end),
          fix,
        });
        hs.forEach((h) => explained.add(h));
        // a requirement replaced with the predicate: 「あらかじめ再度の届出を行うものとする」 →
        // 「努める」 is one hunk, explained by the predicate, and あらかじめ went with it
        droppedUnder(hs, c, fix, cp.kind === 'prohibition');
      } else if (dp && dRank > cp.rank && hs.every((h) => confined(h, dp, cp))) {
        // Not when a hunk that replaces standard words runs on past the predicate: 「…インシデント
        // を公表することができる」 become 「…インシ／には、…において行う」 changed more than the
        // strength. That hunk is reported as changed, the strength inside it — and fixing a
        // neighbour (the sentence's end) does not turn it into this finding.
        out.push({
          type: 'altered-text',
          messageId: 'strengthened',
          data: { canonical: cp.text, draft: dp.text },
          level: 'information',
          span: dSpan(dp.start, dp.end),
          canonical: cText.slice(c.start, c.end),
        });
        hs.forEach((h) => explained.add(h));
      }
    }

    // hedges added
    const dh = words(HEDGES, dText.slice(d.start, d.end));
    const ch = words(HEDGES, cText.slice(c.start, c.end));
    for (const w of new Set(dh)) {
      if (countOf(dh, w) <= countOf(ch, w)) continue;
      const idx = dText.indexOf(w, d.start);
      const hs = explainIn(idx, idx + w.length);
      if (!hs.length) continue;
      hs.forEach((h) => explained.add(h));
      // every hunk the hedge touches, restored as one: 「厳重に管理し」 become 「必要に応じて管理し」
      // is two hunks (厳重 → 必要, 応じて added), and restoring the first alone gave 「厳重に応じて」
      const h: Hunk =
        hs.length === 1
          ? hs[0]
          : {
              cFrom: Math.min(...hs.map((x) => x.cFrom)),
              cTo: Math.max(...hs.map((x) => x.cTo)),
              dFrom: Math.min(...hs.map((x) => x.dFrom)),
              dTo: Math.max(...hs.map((x) => x.dTo)),
            };
      const added = cStr(h).length === 0;
      const fix = restoreNear(h);
      out.push({
        type: 'weakened-obligation',
        messageId: 'hedge',
        data: { hedge: w },
        level: cp?.kind === 'prohibition' ? 'error' : undefined,
        span: dSpan(idx, idx + w.length),
        canonical: cText.slice(c.start, c.end),
        fix: { ...fix, titleId: added ? 'remove' : 'restore' },
      });
      // A requirement the hedge took the place of is dropped, and said so: 「厳重に管理し」 become
      // 「必要に応じて管理し」 lost 厳重. Its fix is the hedge's (restoring 厳重 alone would leave
      // 「厳重に応じて」).
      droppedUnder(hs, c, { ...fix, titleId: 'restore' }, cp?.kind === 'prohibition');
    }
  }

  // 2. Token hunks: parties, exceptions, requirements, the rest.
  for (const h of hunks) {
    if (explained.has(h)) continue;
    const cs = cStr(h);
    const ds = dStr(h);
    const cKeys = ct.slice(h.cFrom, h.cTo).map((t) => t.key);
    const dKeys = dt.slice(h.dFrom, h.dTo).map((t) => t.key);
    const r = dRange(h);
    const sentIdx = sentenceIndexAt(dSents, r.start);
    const cSentIdx = sentPair.get(sentIdx);
    const cSentence = cSentIdx !== undefined ? cText.slice(cSents[cSentIdx].start, cSents[cSentIdx].end) : cs || cText;

    // parties swapped: the same words but for the roles
    const cRoles = cKeys.filter(isRole);
    const dRoles = dKeys.filter(isRole);
    if (cRoles.length && dRoles.length && cKeys.filter((k) => !isRole(k)).join('') === dKeys.filter((k) => !isRole(k)).join('') && cRoles.join('') !== dRoles.join('')) {
      out.push({
        type: 'changed-party',
        messageId: 'swapped',
        data: { canonical: toDraftParties(cs, C.parties, D.parties), draft: ds },
        level: predicateOf(cText, 0, cText.length)?.kind === 'prohibition' ? 'error' : undefined,
        span: dSpan(r.start, r.end),
        canonical: toDraftParties(cSentence, C.parties, D.parties),
        fix: { ...restore(h), titleId: 'restore' },
      });
      continue;
    }

    // an exception added
    const dEx = words(EXCEPTIONS, normalizeSurface(ds));
    const cEx = words(EXCEPTIONS, normalizeSurface(cs));
    const newEx = dEx.filter((w) => countOf(dEx, w) > countOf(cEx, w));
    if (newEx.length) {
      const pureInsert = cs.length === 0;
      out.push({
        type: 'added-exception',
        messageId: 'added',
        data: { exception: newEx[0], text: ds },
        span: dSpan(r.start, r.end),
        canonical: toDraftParties(cSentence, C.parties, D.parties),
        // (an exception typed into a word, 「係この限りでない。る」: removed across the neighbour
        // whose characters it cut, not with the 「る」 of 「係る」)
        fix: pureInsert ? { ...restoreNear(h), titleId: 'remove' } : { ...restore(h), titleId: 'restore' },
      });
      continue;
    }

    // an exception of the standard removed: stricter than the standard, information only
    const lostEx = cEx.filter((w) => countOf(cEx, w) > countOf(dEx, w));
    if (lostEx.length && dEx.length === 0) {
      out.push({
        type: 'altered-text',
        messageId: 'exception-removed',
        data: { canonical: cs },
        level: 'information',
        span: shownSpan(r),
        canonical: toDraftParties(cSentence, C.parties, D.parties),
        // checked like any restore: a neighbour cut from other characters (ならな: な matched ない)
        fix: checkedRestore(h, 'restore', sentIdx, cSentIdx),
      });
      continue;
    }

    // a requirement dropped: a qualifier, or a member of a list
    const lost = lostRequirements(cs, ds);
    const listMember = cs.length > 0 && isListMemberDrop(ct, h, dKeys);
    if (lost.length || listMember) {
      out.push({
        type: 'dropped-requirement',
        messageId: lost.length ? 'qualifier' : 'list-member',
        data: { dropped: lost.length ? lost[0] : cs.replace(/[、・]$/, ''), canonical: cs },
        level: predicateOf(cText, cSentIdx !== undefined ? cSents[cSentIdx].start : 0, cSentIdx !== undefined ? cSents[cSentIdx].end : cText.length)?.kind === 'prohibition' ? 'error' : undefined,
        span: shownSpan(r),
        canonical: toDraftParties(cSentence, C.parties, D.parties),
        fix: checkedRestore(h, 'restore', sentIdx, cSentIdx),
      });
      continue;
    }

    // a whole canonical sentence dropped
    if (ds.length === 0 && cs.length > 0) {
      out.push({
        type: 'altered-text',
        messageId: 'removed',
        data: { canonical: cs },
        level: 'information',
        span: caretSpan(D, r.start),
        canonical: toDraftParties(cSentence, C.parties, D.parties),
        // kuromoji may cut the draft's characters otherwise (遵守さ２せ: さ/２ and せ as する), so
        // that the "removed" tokens are still there: then the sentence is restored instead
        fix: checkedRestore(h, 'restore', sentIdx, cSentIdx),
      });
      continue;
    }
    // Text added that begins an article or an annex right after a sentence's end (「…ものとする。第11条
    // 甲は、…」, 「…この限りではない。別記様式」): a unit whose line was joined onto the line before.
    // Removing it would lose that unit (missing-article says where it stands): no fix.
    const joinedArticle = cs.length === 0 && (ARTICLE_START_RE.test(ds) || ANNEX_START_RE.test(ds)) && followsSentenceEnd(dText, r.start);
    out.push({
      type: 'altered-text',
      messageId: cs.length === 0 ? 'inserted' : 'changed',
      data: { canonical: cs, draft: ds },
      level: 'information',
      span: dSpan(r.start, r.end),
      canonical: toDraftParties(cSentence, C.parties, D.parties),
      fix: joinedArticle ? undefined : checkedRestore(h, cs.length === 0 ? 'remove' : 'restore', sentIdx, cSentIdx),
    });
  }
  // Heading and body are one compared text but two lines: a fix must neither write the standard's
  // heading and body words on one line (restoring across its heading's end into one line of the
  // draft: a damaged draft paired by what is left of it) nor remove the draft's line between them.
  const cb = C.headingEnd;
  const db = D.headingEnd;
  const joint = cb !== undefined && cb > 0 && cb < cText.length ? canonical(cText.slice(Math.max(0, cb - 2), cb)) + canonical(cText.slice(cb, cb + 2)) : null;
  const gap = db !== undefined && db > 0 && db < dText.length ? { end: dSpan(db - 1, db).end, next: dSpan(db, db + 1).start } : null;
  const joins = (e: { span: Span; newText: string }): boolean =>
    (joint !== null && e.newText.includes(joint)) || (gap !== null && e.span.start < gap.next && e.span.end > gap.end && !e.newText.includes('\n'));
  // Nor may it remove the whole of the draft's heading: the heading's line would be left with its
  // number only, and its body's first line would be read as the heading. A heading the comparison
  // finds added as a whole (the standard's heading words matched in the body below it: a wrong
  // heading above a repeated body) is replaced by the standard's heading instead.
  const dHead = db !== undefined && db > 0 ? dSpan(0, db) : null;
  const cHead = cb !== undefined && cb > 0 ? toDraftParties(cText.slice(0, cb).trim(), C.parties, D.parties) : '';
  const empties = (e: { span: Span; newText: string }): boolean =>
    dHead !== null && e.newText.trim() === '' && e.span.start <= dHead.start && e.span.end >= dHead.end;
  for (const d of out) {
    if (!d.fix) continue;
    if (joins(d.fix) || (d.fix.more ?? []).some(joins)) delete d.fix;
    else if (empties(d.fix) || (d.fix.more ?? []).some(empties)) {
      if (dHead !== null && cHead !== '' && !d.fix.more?.length && d.fix.span.start === dHead.start && d.fix.span.end === dHead.end) {
        // reported as what it is: the standard's heading changed into the draft's
        if (d.messageId === 'inserted') {
          d.messageId = 'changed';
          d.data = { ...d.data, canonical: cHead };
          d.canonical = cHead;
        }
        d.fix = { span: dHead, newText: cHead, titleId: 'restore' };
      } else delete d.fix;
    }
  }
  return mergeAdjacent(out);
}

/**
 * The edit that turns text[start, end) into `want`, its common prefix and suffix left alone
 * (offsets in `text`); null when the two are the same.
 */
function middleEdit(text: string, start: number, end: number, want: string): { start: number; end: number; newText: string } | null {
  const have = text.slice(start, end);
  let p = 0;
  while (p < want.length && p < have.length && want[p] === have[p]) p++;
  let q = 0;
  while (q < want.length - p && q < have.length - p && want[want.length - 1 - q] === have[have.length - 1 - q]) q++;
  if (p + q >= have.length && p + q >= want.length) return null;
  return { start: start + p, end: end - q, newText: want.slice(p, want.length - q) };
}

/**
 * Characters to delete and insert to turn `a` into `b` (their lengths minus twice the longest
 * common subsequence); null when the two are too long to compare here (sentences are short).
 * Exported for tests.
 */
export function charDistance(a: string, b: string): number | null {
  if (a.length * b.length > 250_000) return null;
  // A common prefix and suffix are part of every longest common subsequence: only the middles
  // (where a fix changes a sentence, usually a few characters) need the table.
  let p = 0;
  while (p < a.length && p < b.length && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  let q = 0;
  while (q < a.length - p && q < b.length - p && a.charCodeAt(a.length - 1 - q) === b.charCodeAt(b.length - 1 - q)) q++;
  const an = a.length - p - q;
  const bn = b.length - p - q;
  let prev = new Uint16Array(bn + 1);
  let cur = new Uint16Array(bn + 1);
  for (let i = 1; i <= an; i++) {
    const x = a.charCodeAt(p + i - 1);
    for (let j = 1; j <= bn; j++) {
      cur[j] = x === b.charCodeAt(p + j - 1) ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
    }
    [prev, cur] = [cur, prev];
  }
  return an + bn - 2 * prev[bn];
}

function isRole(k: string): boolean {
  return k === ROLE_A || k === ROLE_B;
}

function normalizeSurface(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, '');
}

/** A zero-width place shown as the character before it (so that editors display it). */
function caretSpan(D: Side, at: number): Span {
  const s = blockSpan(D.block, Math.max(0, at - 1), at);
  return s;
}

/** The deleted canonical tokens sit next to a list conjunction (若しくは, 又は, 及び, 、, ・). */
function isListMemberDrop(ct: CToken[], h: Hunk, dKeys: string[]): boolean {
  if (h.cTo - h.cFrom > 12) return false;
  const del = ct.slice(h.cFrom, h.cTo);
  if (!del.some((t) => t.pos === '名詞')) return false;
  if (dKeys.some((k) => !CONJUNCTIONS.has(k)) && dKeys.length > 0) return false;
  const first = del[0]?.norm;
  const last = del[del.length - 1]?.norm;
  const before = ct[h.cFrom - 1]?.norm;
  const after = ct[h.cTo]?.norm;
  return [first, last, before, after].some((w) => w !== undefined && CONJUNCTIONS.has(w));
}

/**
 * Adjacent findings of the same type in one place read as one: a party swap 「甲は、乙が」→
 * 「乙は、甲が」 is one change, and so are neighbouring wording changes.
 */
function sameEdit(a: { span: Span; newText: string }, b: { span: Span; newText: string }): boolean {
  return a.span.start === b.span.start && a.span.end === b.span.end && a.newText === b.newText;
}

/**
 * Two edits of one fix that cannot both apply in a definite order: they overlap, or one inserts at
 * the start of (or inside) the other's range, or both insert at one place.
 */
function clash(a: Span, b: Span): boolean {
  if (a.start < b.end && b.start < a.end) return true;
  if (a.start === a.end && b.start <= a.start && a.start < Math.max(b.end, b.start + 1)) return true;
  return b.start === b.end && a.start <= b.start && b.start < Math.max(a.end, a.start + 1);
}

function mergeAdjacent(list: Deviation[]): Deviation[] {
  const out: Deviation[] = [];
  for (const d of list.sort((a, b) => a.span.start - b.span.start)) {
    const last = out[out.length - 1];
    const mergeable =
      last &&
      last.type === d.type &&
      (d.type === 'altered-text' || d.type === 'changed-party') &&
      last.messageId === d.messageId &&
      d.span.start - last.span.end <= (d.type === 'changed-party' ? 12 : 2) &&
      last.canonical === d.canonical;
    if (mergeable) {
      last.span = { start: last.span.start, end: Math.max(last.span.end, d.span.end) };
      if (d.type === 'changed-party') {
        last.data = { ...last.data, canonical: `${last.data.canonical}…${d.data.canonical}`, draft: `${last.data.draft}…${d.data.draft}` };
      }
      if (last.fix && d.fix) {
        const have = [last.fix, ...(last.fix.more ?? [])];
        const add = [d.fix, ...(d.fix.more ?? [])].filter((e) => !have.some((h) => sameEdit(h, e)));
        // two deviations restored by one sentence-wide edit share it; edits that overlap otherwise
        // cannot be applied together: no fix then
        if (add.some((e) => have.some((h) => clash(e.span, h.span)))) last.fix = undefined;
        else if (add.length > 0) last.fix.more = [...(last.fix.more ?? []), ...add.map((e) => ({ span: e.span, newText: e.newText }))];
      } else last.fix = undefined;
      continue;
    }
    out.push(d);
  }
  return out;
}
