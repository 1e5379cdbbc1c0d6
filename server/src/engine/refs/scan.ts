/**
 * Lexical pass of the resolver: finds the reference chains written in one logical text
 * (第12条第1項第2号, 前項各号, 同条第４号の２, 別紙「…」), the heading written after a reference
 * (「第12（機密データの返還等）」), and how chains are written together (lists, ranges,
 * parentheses qualifying a reference). Offsets here are LOGICAL offsets into the block's text;
 * the resolver maps them to the source.
 */
import { CharBoundedLru } from '../tokenizer/lru';
import type { NumberStyle } from '../model/types';
import { parseNumeral } from '../text/numerals';
import type { RefForm, RefLevel } from './types';

export interface RawComp {
  level: RefLevel;
  form: RefForm;
  raw: string;
  start: number;
  end: number;
  value?: number[];
  style?: NumberStyle;
  numStart?: number;
  numEnd?: number;
  branches?: { start: number; end: number }[];
  branchPartStart?: number;
  branchPartEnd?: number;
  suffix?: string;
  /** 別紙 / 別記様式 / 別表 …: the kind as written. */
  annexKind?: string;
  annexTitle?: { text: string; start: number; end: number };
}

export interface RawParen {
  /** Offset of the opening bracket. */
  start: number;
  /** Offset just past the closing bracket (or the end of the text when unclosed). */
  end: number;
  /** The heading written in the brackets, when the first sentence looks like a heading. */
  head?: { text: string; start: number; end: number };
}

export interface RawChain {
  comps: RawComp[];
  start: number;
  end: number;
  /** Parentheses right after the chain. */
  paren?: RawParen;
  /** Nesting depth of round brackets at the chain's start. */
  depth: number;
  /** The written name just before the chain (会社法, 機密情報取扱特記事項), '' when none. */
  nameBefore: string;
  /** Looks like a date or file number (令和6年4月1日付け第123号): not a reference into the document. */
  numberLike?: boolean;
  /** Index (in the same block) of the chain this one continues: list or range. */
  joinedTo?: number;
  join?: 'list' | 'range';
  /** Index of the chain whose parentheses hold this one. */
  insideParenOf?: number;
}

export interface ScanOptions {
  /** Bare kanji article numbers (第十二 without 条) are references: the document numbers its articles that way. */
  bareKanji: boolean;
}

const SP = '[\\s\\u3000]*';
const NUM = '[0-9０-９]+|[〇一二三四五六七八九十百千]+';
const ABS_RE = new RegExp(`第${SP}(${NUM})(?:(${SP})(編|章|節|款|目|条|條|項|号))?`, 'y');
const BRANCH_RE = new RegExp(`(${SP})の${SP}([0-9０-９]+|[一二三四五六七八九十百千]+)`, 'y');
const PREV_ALL_RE = /前各(条|項|号)/y;
const PREV_N_RE = /前([二三四五六七八九十]|[2-9２-９])(条|項|号)/y;
const REL_RE = /(前|次|同|本)(編|章|節|款|条|條|項|号)(まで)?/y;
const EACH_RE = /各号/y;
/** The words that name an annex (longest first), as the scanner reads them in running text. */
export const ANNEX_WORDS = '別記様式|別紙様式|別紙|別表|別記|様式';
const ANNEX_RE = new RegExp(`(${ANNEX_WORDS})`, 'y');
const ANNEX_NUM_RE = new RegExp(`${SP}(第?)${SP}(${NUM})${SP}(号?)`, 'y');
const ANNEX_TITLE_RE = new RegExp(`${SP}「([^「」]{1,80})」`, 'y');
const SUBITEM_RE = /[イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス](?![\u30A0-\u30FF])/y;
const LIST_RE = /^[\s\u3000]*(?:[、，,・]|及び|又は|並びに|若しくは|[\s\u3000])+$/;
const RANGE_RE = /^[\s\u3000]*(から|―|－|‐|～|〜|~|乃至|ないし)[\s\u3000]*$/;
const HEAD_EXCLUDE = /第|以下|という|除く|除き|限る|限り|含む|含み|規定|場合|おいて|により|による|よる|ただし|準用|同じ|「|」|をいう|当該|ほか/;

const LEVEL_OF_SUFFIX: Record<string, RefLevel> = {
  編: 'part',
  章: 'chapter',
  節: 'division',
  款: 'subdivision',
  目: 'subdivision',
  条: 'article',
  條: 'article',
  項: 'paragraph',
  号: 'item',
};

export const LEVEL_RANK: Record<RefLevel, number> = {
  part: 1,
  chapter: 2,
  division: 3,
  subdivision: 4,
  article: 5,
  paragraph: 6,
  item: 7,
  subitem: 8,
  annex: 0,
};

/** Characters that cannot follow the unit word of a relative reference (前条件, 同項目, 本号機…). */
const WORD_AFTER: Record<string, string> = {
  条: '件例約文理項',
  條: '件例約文理項',
  項: '目',
  号: '機館外',
  章: '句典',
  節: '約度電分',
  編: '集成者',
  款: '待',
};

/** Words ending in 前, 次, 同, 本: 事前条件 is not 前条, 目次 is not 次. */
const COMPOUNDS = new Set(
  (
    '事前 以前 直前 従前 生前 目前 午前 空前 寸前 最前 面前 門前 名前 人前 手前 自前 建前 戦前 眼前 霊前 ' +
    '共同 協同 合同 混同 賛同 帯同 異同 ' +
    '基本 資本 日本 根本 見本 脚本 手本 謄本 抄本 原本 正本 副本 台本 標本 ' +
    '目次 順次 年次 逐次 席次 高次 漸次 式次'
  ).split(' '),
);

/** After a kanji branch number, these make it a word: の一部, の二以上, の三倍. */
const BRANCH_WORD_NEXT = '部以倍分者人回次種般方番時日月年割程度端環名件個点枚つ';

/** Kanji that may follow a bare 第N without making it a word (及び, 又は, 並びに, 若しくは, 乃至…). */
const BARE_OK_NEXT = '及又並若乃第各前同';

export function isCJK(c: string | undefined): boolean {
  if (!c) return false;
  const code = c.charCodeAt(0);
  return (code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf) || c === '々' || c === '〆' || c === 'ヶ';
}

function isKatakana(c: string | undefined): boolean {
  if (!c) return false;
  const code = c.charCodeAt(0);
  return code >= 0x30a0 && code <= 0x30ff;
}

function isNameChar(c: string | undefined): boolean {
  if (!c) return false;
  return isCJK(c) || isKatakana(c) || /[A-Za-zＡ-Ｚａ-ｚ]/.test(c);
}

function numeral(s: string): { value: number; style: NumberStyle } | null {
  return parseNumeral(s);
}

/** Matching brackets of the text: open offset → close offset (exclusive end), and depth at each offset. */
function bracketInfo(text: string): { close: Map<number, number>; depth: Int16Array; openAt: Int32Array } {
  const close = new Map<number, number>();
  const depth = new Int16Array(text.length + 1);
  const openAt = new Int32Array(text.length + 1).fill(-1);
  const stack: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    depth[i] = stack.length;
    openAt[i] = stack.length ? stack[stack.length - 1] : -1;
    if (c === '（' || c === '(') stack.push(i);
    else if ((c === '）' || c === ')') && stack.length) {
      const o = stack.pop() as number;
      close.set(o, i + 1);
      depth[i] = stack.length;
      openAt[i] = stack.length ? stack[stack.length - 1] : -1;
    }
  }
  depth[text.length] = stack.length;
  for (const o of stack) close.set(o, text.length);
  return { close, depth, openAt };
}

/** Whether the first sentence in a reference's parentheses reads as a heading (見出し). */
export function isHeadingLike(s: string): boolean {
  const t = s.trim();
  return t.length >= 1 && t.length <= 40 && !HEAD_EXCLUDE.test(t) && !/[。]/.test(t);
}

/** Parses one 第N… component at i; null when the text there is not a reference (第三者, 第1回). */
function matchNumbered(text: string, i: number, chainStart: boolean, lastLevel: RefLevel | null, opts: ScanOptions): RawComp | null {
  ABS_RE.lastIndex = i;
  const m = ABS_RE.exec(text);
  if (!m) return null;
  const numText = m[1];
  const v = numeral(numText);
  if (!v) return null;
  const numStart = i + m[0].indexOf(numText, 1);
  const numEnd = numStart + numText.length;
  const suffix = m[3] ?? '';
  let end = suffix ? i + m[0].length : numEnd;
  const level: RefLevel = suffix ? LEVEL_OF_SUFFIX[suffix] : 'article';
  // branch numbers: の２, の二 (but not の一部, の二以上)
  const branches: { start: number; end: number }[] = [];
  const values = [v.value];
  const branchPartStart = end;
  for (;;) {
    BRANCH_RE.lastIndex = end;
    const b = BRANCH_RE.exec(text);
    if (!b) break;
    const bv = numeral(b[2]);
    if (!bv) break;
    const after = text[end + b[0].length];
    if (bv.style === 'kanji' && after && BRANCH_WORD_NEXT.includes(after)) break;
    if (bv.style !== 'kanji' && /[0-9０-９.．]/.test(after ?? '')) break;
    const bs = end + b[0].length - b[2].length;
    branches.push({ start: bs, end: bs + b[2].length });
    values.push(bv.value);
    end += b[0].length;
  }
  if (!suffix) {
    const next = text[end];
    if (isCJK(next) && !BARE_OK_NEXT.includes(next)) return null;
    if (next && /[A-Za-zＡ-Ｚａ-ｚ0-9０-９%％]/.test(next)) return null;
    if (v.style === 'kanji' && chainStart && !opts.bareKanji) return null;
    if (v.style === 'kanji' && !chainStart && lastLevel !== 'chapter' && lastLevel !== 'division' && lastLevel !== 'subdivision') return null;
  } else if (isCJK(text[end]) && WORD_AFTER[suffix]?.includes(text[end]) && branches.length === 0) {
    // 第一条件? extremely rare; keep only clear references
    return null;
  }
  if (!chainStart && lastLevel && LEVEL_RANK[level] <= LEVEL_RANK[lastLevel]) return null;
  if (!suffix && !chainStart && lastLevel && LEVEL_RANK[lastLevel] >= LEVEL_RANK.article) return null;
  return {
    level,
    form: 'number',
    raw: text.slice(i, end),
    start: i,
    end,
    value: values,
    style: v.style,
    numStart,
    numEnd,
    branches,
    branchPartStart,
    branchPartEnd: end,
    suffix,
  };
}

function matchRelative(text: string, i: number): RawComp | null {
  const c = text[i];
  if (c === '前') {
    PREV_ALL_RE.lastIndex = i;
    let m = PREV_ALL_RE.exec(text);
    if (m) return relComp(text, i, m[0], 'prevAll', m[1]);
    PREV_N_RE.lastIndex = i;
    m = PREV_N_RE.exec(text);
    if (m) {
      const n = numeral(m[1]);
      if (n && n.value >= 2) {
        const comp = relComp(text, i, m[0], 'prevN', m[2]);
        if (comp) comp.value = [n.value];
        return comp;
      }
    }
  }
  if (c === '各') {
    EACH_RE.lastIndex = i;
    const m = EACH_RE.exec(text);
    if (m) return relComp(text, i, m[0], 'each', '号');
    return null;
  }
  REL_RE.lastIndex = i;
  const m = REL_RE.exec(text);
  if (!m) return null;
  const form: RefForm = m[1] === '前' ? (m[3] ? 'uptoPrev' : 'prev') : m[1] === '次' ? 'next' : m[1] === '同' ? 'same' : 'this';
  const raw = form === 'uptoPrev' ? m[0] : m[1] + m[2];
  return relComp(text, i, raw, form, m[2]);
}

function relComp(text: string, i: number, raw: string, form: RefForm, suffix: string): RawComp | null {
  const end = i + raw.length;
  const next = text[end];
  if (form !== 'uptoPrev' && next && WORD_AFTER[suffix]?.includes(next)) return null;
  return { level: LEVEL_OF_SUFFIX[suffix], form, raw, start: i, end, suffix };
}

function matchAnnex(text: string, i: number): RawComp | null {
  ANNEX_RE.lastIndex = i;
  const m = ANNEX_RE.exec(text);
  if (!m) return null;
  const kind = m[1];
  if (kind === '様式' && isCJK(text[i - 1])) return null;
  let end = i + m[0].length;
  let value: number[] | undefined;
  let style: NumberStyle | undefined;
  let numStart: number | undefined;
  let numEnd: number | undefined;
  ANNEX_NUM_RE.lastIndex = end;
  const n = ANNEX_NUM_RE.exec(text);
  if (n) {
    const v = numeral(n[2]);
    const after = text[end + n[0].length];
    const plausible = v && (n[1] || n[3] || !isCJK(after) || BARE_OK_NEXT.includes(after));
    if (v && plausible && (kind !== '様式' || (n[1] && n[3]))) {
      value = [v.value];
      style = v.style;
      numStart = end + n[0].indexOf(n[2], n[1] ? n[0].indexOf(n[1]) + 1 : 0);
      numEnd = numStart + n[2].length;
      end += n[0].length;
      // trailing blanks are not part of the reference
      while (end > (numEnd ?? end) && /[\s\u3000]/.test(text[end - 1])) end--;
    }
  }
  if (kind === '様式' && !value) return null;
  let annexTitle: RawComp['annexTitle'];
  ANNEX_TITLE_RE.lastIndex = end;
  const t = ANNEX_TITLE_RE.exec(text);
  if (t) {
    const ts = end + t[0].indexOf('「') + 1;
    annexTitle = { text: t[1], start: ts, end: ts + t[1].length };
    end += t[0].length;
  }
  if (kind === '別記' && !value && !annexTitle) return null;
  return {
    level: 'annex',
    form: 'annex',
    raw: text.slice(i, end),
    start: i,
    end,
    value,
    style,
    numStart,
    numEnd,
    annexKind: kind,
    annexTitle,
  };
}

/** The name written right before offset i (skipping a law number in brackets: 会社法（平成17年法律第86号）). */
function nameBefore(text: string, i: number, info: { close: Map<number, number> }): { name: string; numberLike: boolean } {
  // A name cites only when written right against the number (会社法第２条); 「責任者　第六条」 is a
  // defined term followed by its definition.
  let j = i;
  if (j > 0 && (text[j - 1] === '）' || text[j - 1] === ')')) {
    // find the bracket that closes at j
    let open = -1;
    for (const [o, c] of info.close) if (c === j && o > open) open = o;
    if (open >= 0) {
      const inner = text.slice(open + 1, j - 1);
      if (/(法律|政令|省令|府令|規則|条例|告示|訓令)[\s\u3000]*第|[0-9０-９一二三四五六七八九十元][\s\u3000]*年/.test(inner)) {
        j = open;
        while (j > 0 && /[\s\u3000]/.test(text[j - 1])) j--;
      } else return { name: '', numberLike: false };
    }
  }
  const numberLike = /(付け?|日|年|番号|番)$/.test(text.slice(Math.max(0, j - 3), j));
  let k = j;
  while (k > 0 && isNameChar(text[k - 1])) k--;
  return { name: text.slice(k, j), numberLike };
}

/** Continues a chain after its first component: lower levels, 各号, a イ after a 号. */
function extendChain(text: string, first: RawComp, opts: ScanOptions): RawComp[] {
  const comps = [first];
  let pos = first.end;
  for (;;) {
    const last = comps[comps.length - 1];
    if (last.level === 'annex') break;
    let p = pos;
    while (p < text.length && /[\s\u3000]/.test(text[p]) && p - pos < 2) p++;
    const c = text[p];
    let next: RawComp | null = null;
    if (c === '第') next = matchNumbered(text, p, false, last.level, opts);
    else if (c === '各' && LEVEL_RANK[last.level] < LEVEL_RANK.item) {
      EACH_RE.lastIndex = p;
      if (EACH_RE.exec(text)) next = { level: 'item', form: 'each', raw: '各号', start: p, end: p + 2, suffix: '号' };
    } else if (last.level === 'item' && p === pos) {
      SUBITEM_RE.lastIndex = p;
      const m = SUBITEM_RE.exec(text);
      if (m) next = { level: 'subitem', form: 'number', raw: m[0], start: p, end: p + 1, suffix: '' };
    }
    if (!next) break;
    comps.push(next);
    pos = next.end;
    if (next.form === 'each') break;
  }
  return comps;
}

const scanMemo = [new CharBoundedLru<RawChain[]>(4_000_000), new CharBoundedLru<RawChain[]>(1_000_000)];

/**
 * Every reference chain written in `text`, with lists, ranges and qualifying parentheses linked.
 * A pure function of its arguments, memoised across documents and lints (the same text after an
 * edit elsewhere is not scanned again): the result is SHARED — read it, never change it.
 */
export function scanText(text: string, opts: ScanOptions): readonly RawChain[] {
  const memo = scanMemo[opts.bareKanji ? 1 : 0];
  const hit = memo.get(text);
  if (hit) return hit;
  const chains = scanUncached(text, opts);
  memo.set(text, chains);
  return chains;
}

/** Forgets the memoised scans (benchmarks measure a cold start). */
export function resetScanMemo(): void {
  for (const m of scanMemo) m.clear();
}

function scanUncached(text: string, opts: ScanOptions): RawChain[] {
  const chains: RawChain[] = [];
  if (!/[第前次同本各別様]/.test(text)) return chains;
  const info = bracketInfo(text);
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    let first: RawComp | null = null;
    if (c === '第') {
      first = matchNumbered(text, i, true, null, opts);
    } else if (c === '前' || c === '次' || c === '同' || c === '本' || c === '各') {
      if (!COMPOUNDS.has(text.slice(i - 1, i + 1))) first = matchRelative(text, i);
    } else if (c === '別' || c === '様') {
      first = matchAnnex(text, i);
    }
    if (!first) {
      i++;
      continue;
    }
    const comps = extendChain(text, first, opts);
    const end = comps[comps.length - 1].end;
    const chain: RawChain = { comps, start: i, end, depth: info.depth[i], nameBefore: '' };
    if (c === '第') {
      const nb = nameBefore(text, i, info);
      chain.nameBefore = nb.name;
      chain.numberLike = nb.numberLike && !nb.name;
    }
    // parentheses right after the chain
    let p = end;
    while (p < text.length && /[\s\u3000]/.test(text[p]) && p - end < 2) p++;
    if (text[p] === '（' || text[p] === '(') {
      const close = info.close.get(p) ?? text.length;
      const paren: RawParen = { start: p, end: close };
      const innerEnd = close < text.length || text[close - 1] === '）' || text[close - 1] === ')' ? close - 1 : close;
      const inner = text.slice(p + 1, innerEnd);
      const dot = inner.indexOf('。');
      const head = dot >= 0 ? inner.slice(0, dot) : inner;
      const lastLevel = comps[comps.length - 1].level;
      if (
        (LEVEL_RANK[lastLevel] <= LEVEL_RANK.article && lastLevel !== 'annex') &&
        isHeadingLike(head)
      ) {
        const lead = head.length - head.trimStart().length;
        paren.head = { text: head.trim(), start: p + 1 + lead, end: p + 1 + lead + head.trim().length };
      }
      chain.paren = paren;
    }
    chains.push(chain);
    i = end;
  }
  link(text, chains, info);
  return chains;
}

function chainEnd(ch: RawChain): number {
  return ch.paren ? ch.paren.end : ch.end;
}

function link(text: string, chains: RawChain[], info: { depth: Int16Array; openAt: Int32Array }): void {
  for (let k = 0; k < chains.length; k++) {
    const ch = chains[k];
    // inside the parentheses of an earlier chain?
    const open = info.openAt[ch.start];
    if (open >= 0) {
      for (let q = k - 1; q >= 0; q--) {
        if (chains[q].paren?.start === open) {
          ch.insideParenOf = q;
          break;
        }
      }
    }
    // joined to the previous chain at the same depth?
    let prev = -1;
    for (let q = k - 1; q >= 0; q--) {
      if (chains[q].depth === ch.depth && chainEnd(chains[q]) <= ch.start) {
        prev = q;
        break;
      }
    }
    if (prev < 0) continue;
    const between = text.slice(chainEnd(chains[prev]), ch.start);
    if (between.length > 8) continue;
    if (RANGE_RE.test(between)) {
      const conn = RANGE_RE.exec(between)?.[1];
      const after = text.slice(chainEnd(ch)).replace(/^[\s\u3000]+/, '');
      if (conn !== 'から' || after.startsWith('まで') || ch.comps[ch.comps.length - 1].form === 'uptoPrev') {
        ch.joinedTo = prev;
        ch.join = 'range';
        // 「第三十一条から前条まで」: 前条 is the end of the range, not 「前条まで」
        const last = ch.comps[ch.comps.length - 1];
        if (last.form === 'uptoPrev') {
          last.form = 'prev';
          last.raw = last.raw.replace(/まで$/, '');
          last.end -= 2;
          ch.end = last.end;
        }
      }
    } else if (between.length > 0 && LIST_RE.test(between)) {
      ch.joinedTo = prev;
      ch.join = 'list';
    }
  }
}
