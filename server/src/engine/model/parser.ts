/**
 * Parses the plain text of a contract or statute-style document into the document model.
 *
 * Three passes, each simple:
 *  1. physical lines, each classified by its leading marker (第N条, ２, (1), ア, 別紙 …);
 *  2. logical lines: lines wrapped mid-sentence (text pasted from a PDF, hand-wrapped text)
 *     are joined, blank lines between wrapped lines ignored;
 *  3. the tree: chapters → articles → paragraphs → items → sub-items, annexes → sections →
 *     sub-sections → items, with free text (title, cover, signature) kept aside.
 * The parser never throws: malformed input yields a tree plus a list of problems.
 */
import { runToEnd } from '../steps';
import { appendBlock, BlockBuilder } from '../text/block';
import {
  AIUEO,
  CIRCLED,
  DIGIT_CLASS,
  IROHA,
  KANJI_NUMERAL_CHARS,
  NUMBER_SRC,
  parseNumeral,
} from '../text/numerals';
import type {
  DocumentConventions,
  DocumentLayout,
  FreeText,
  Heading,
  NumberStyle,
  ParsedDocument,
  ParseProblem,
  Span,
  TextBlock,
  Unit,
  UnitKind,
  UnitNumber,
} from './types';

export interface ParseOptions {
  /** Larger documents are not parsed: one 'too-large' problem instead. */
  maxChars?: number;
  /** Source ranges to leave out (directive lines). */
  ignore?: Span[];
  /**
   * The line wrapping to assume instead of detecting it (`ParsedDocument.layout` of the whole
   * document): a part of a document parsed alone then reads as it does inside the whole.
   */
  layout?: DocumentLayout;
}

// ---------------------------------------------------------------------------------------------
// Pass 1: physical lines and their markers

type MarkerKind =
  | 'chapter'
  | 'article'
  | 'heading' // a line that is only （見出し）
  | 'digit' // ２ / 2 followed by a space
  | 'paren' // (1) / （１）
  | 'kanji' // 一 followed by a space
  | 'circled' // ①
  | 'kana' // ア / イ followed by a space
  | 'annex' // 別紙 / 別記 / 別表 / 別記様式
  | 'bracket'; // 【注記事項】

interface Marker {
  kind: MarkerKind;
  /** Offsets (absolute) of the number or marker as written. */
  numStart: number;
  numEnd: number;
  raw: string;
  value: number[];
  style: NumberStyle;
  /** chapter: 編/章/節; article: whether 条 was written. */
  sub?: string;
  jo?: boolean;
  /** Inline heading right after an article number: 第1条（目的）. */
  heading?: Heading;
  /** Where the text after the marker starts (absolute offset). */
  restStart: number;
  /** ア or 二 alone on its line (kept only where it starts its sequence or goes on with it: `toLogical`). */
  alone?: boolean;
}

interface PhysLine {
  index: number;
  start: number; // offset of the line
  cs: number; // content start (after indentation)
  ce: number; // content end (before trailing blanks)
  content: string;
  width: number; // display width of the line up to ce (full-width = 2)
  marker: Marker | null;
}

const SP = '[\\s\\u3000]';
const ARTICLE_RE = new RegExp(
  `^第${SP}*(${NUMBER_SRC})(?:${SP}*(条|條))?((?:${SP}*の${SP}*(?:${NUMBER_SRC}))*)`,
);
const CHAPTER_RE = new RegExp(`^第${SP}*(${NUMBER_SRC})${SP}*(編|章|節|款|目)((?:の(?:${NUMBER_SRC}))*)`);
const HEADING_LINE_RE = /^[（(]([^（）()]{1,40})[）)]$/;
const INLINE_HEADING_RE = /^[\s\u3000]*[（(]([^（）()。]{1,40})[）)]/;
const DIGIT_RE = new RegExp(`^([${DIGIT_CLASS}]{1,3})(?:${SP}+|(?=[^${DIGIT_CLASS}.．,，、:：/／年月日時分秒%％号条項章節款目編人円件回個か箇ヶ]))`);
const PAREN_RE = new RegExp(`^[（(]${SP}*([${DIGIT_CLASS}]{1,3}|[${KANJI_NUMERAL_CHARS}]{1,4})${SP}*[）)]${SP}*`);
const KANJI_ITEM_RE = new RegExp(`^([${KANJI_NUMERAL_CHARS}]{1,4})${SP}+`);
const CIRCLED_RE = new RegExp(`^([${CIRCLED}])${SP}*`);
const KANJI_ALONE_RE = new RegExp(`^[${KANJI_NUMERAL_CHARS}]{1,4}$`);
const KANA_RE = /^([アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン])[\s\u3000]+/;
const ANNEX_RE = new RegExp(`^(別記様式|別紙|別記|別表|附${SP}*則)${SP}*(第?${SP}*(?:${NUMBER_SRC}))?${SP}*(.*)$`);
const BRACKET_RE = /^【([^【】]{1,30})】$/;
const TERMINAL_RE = /[。．：:][）)」』]*$/;

/** Display width of text[from, to): full-width characters count 2 (a surrogate pair counts once). */
function displayWidth(text: string, from: number, to: number): number {
  let w = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        w += 2; // astral: never below U+1100
        continue;
      }
    }
    w += c < 0x1100 || (c >= 0xff61 && c <= 0xff9f) ? 1 : 2;
  }
  return w;
}

function isBlankChar(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x3000 || c === 0xa0 || c === 0x0c || c === 0x0b || c === 0xfeff;
}

function splitLines(text: string, ignore: Span[]): PhysLine[] {
  const out: PhysLine[] = [];
  let start = 0;
  let index = 0;
  const n = text.length;
  while (start <= n) {
    let end = start;
    while (end < n && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
    let cs = start;
    while (cs < end && isBlankChar(text.charCodeAt(cs))) cs++;
    let ce = end;
    while (ce > cs && isBlankChar(text.charCodeAt(ce - 1))) ce--;
    const ignored = ignore.some((s) => s.start <= start && start < s.end);
    if (ce > cs && !ignored) {
      out.push({
        index,
        start,
        cs,
        ce,
        content: text.slice(cs, ce),
        width: displayWidth(text, start, ce),
        marker: null,
      });
    }
    if (end >= n) break;
    start = end + (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? 2 : 1);
    index++;
  }
  return out;
}

function numberValue(s: string): { value: number; style: NumberStyle } | null {
  return parseNumeral(s);
}

function branchValues(s: string): number[] | null {
  if (!s) return [];
  const parts = s.split('の').slice(1);
  const out: number[] = [];
  for (const p of parts) {
    const v = numberValue(p);
    if (!v) return null;
    out.push(v.value);
  }
  return out;
}

/** A heading in brackets with an article's number run on after it: 「(総則)第1条 この特約は…」. */
const HEADING_THEN_ARTICLE_RE = /^[（(]([^（）()。]{1,40})[）)][\s\u3000]*(?=第)/;

function classify(line: PhysLine): Marker | null {
  const joined = headingThenArticle(line);
  if (joined) return joined;
  return classifyLine(line);
}

/**
 * An article's heading line and number line joined into one (text pasted from a PDF): the
 * article, its heading before its number. Only where the number is followed by a space (「(1)第3条
 * の規定により…」 is an item that begins with a reference) and the heading is not a number.
 */
function headingThenArticle(line: PhysLine): Marker | null {
  const h = HEADING_THEN_ARTICLE_RE.exec(line.content);
  if (!h || numberValue(h[1].trim())) return null;
  const rest: PhysLine = { ...line, cs: line.cs + h[0].length, content: line.content.slice(h[0].length) };
  const m = classifyLine(rest);
  if (m?.kind !== 'article' || m.heading || !/^[\s\u3000]/.test(line.content.slice(h[0].length + m.raw.length))) return null;
  const text = h[1].trim();
  const start = line.cs + h[0].indexOf(text);
  m.heading = {
    text,
    span: { start: line.cs, end: line.cs + h[0].trimEnd().length },
    block: { text, segs: [{ textStart: 0, srcStart: start, length: text.length }], span: { start, end: start + text.length } },
  };
  return m;
}

function classifyLine(line: PhysLine): Marker | null {
  const s = line.content;
  const at = line.cs;
  let m: RegExpExecArray | null;

  if ((m = CHAPTER_RE.exec(s))) {
    const v = numberValue(m[1]);
    const br = branchValues(m[3]);
    if (v && br) {
      return {
        kind: 'chapter',
        numStart: at,
        numEnd: at + m[0].length,
        raw: m[0],
        value: [v.value, ...br],
        style: v.style,
        sub: m[2],
        restStart: skipBlanks(line, at + m[0].length),
      };
    }
  }
  if ((m = ARTICLE_RE.exec(s))) {
    const v = numberValue(m[1]);
    const br = branchValues(m[3].replace(/[\s\u3000]/g, ''));
    const after = s.slice(m[0].length);
    const jo = !!m[2];
    // Bare 第N needs a separator after it (「第１ この…」) or a heading; 第N条 may run on.
    const sepOk = jo || after.length === 0 || /^[\s\u3000（(]/.test(after);
    // 第三者, 第一次… are words, not article numbers.
    if (v && br && sepOk && !(v.style === 'kanji' && !jo && !/^[\s\u3000]/.test(after) && after.length > 0)) {
      let restStart = at + m[0].length;
      let heading: Heading | undefined;
      const h = INLINE_HEADING_RE.exec(after);
      if (h) {
        const hs = at + m[0].length + h[0].indexOf(h[0].trim()[0]);
        heading = { text: h[1].trim(), span: { start: hs, end: at + m[0].length + h[0].length } };
        restStart = heading.span.end;
      }
      return {
        kind: 'article',
        numStart: at,
        numEnd: at + m[0].length - (m[0].length - m[0].trimEnd().length),
        raw: m[0].trimEnd(),
        value: [v.value, ...br],
        style: v.style,
        jo,
        heading,
        restStart: skipBlanks(line, restStart),
      };
    }
  }
  // a line of one number in brackets, 「(1)」 or 「（１）」, is an item whose text follows on the next line
  if ((m = HEADING_LINE_RE.exec(s)) && !(PAREN_RE.test(s) && numberValue(m[1].trim()))) return wholeLineMarker('heading', at, s, m[1].trim());
  if ((m = ANNEX_RE.exec(s))) {
    const rest = m[3];
    // 別紙「…」 in running text is a reference, not an annex: an annex line is short and has no 。
    if (!/^[「『、。はをにのがで]/.test(rest) && !rest.includes('。') && displayWidth(rest, 0, rest.length) <= 60) {
      const numText = (m[2] ?? '').replace(/[第\s\u3000]/g, '');
      const v = numText ? numberValue(numText) : null;
      const markEnd = at + m[1].length + (m[2] ? s.slice(m[1].length).indexOf(m[2]) + m[2].length : 0);
      return {
        kind: 'annex',
        numStart: at,
        numEnd: markEnd,
        raw: s.slice(0, markEnd - at),
        value: v ? [v.value] : [],
        style: v ? v.style : 'arabic-half',
        sub: m[1].replace(/[\s\u3000]/g, ''),
        restStart: skipBlanks(line, markEnd),
      };
    }
  }
  if ((m = BRACKET_RE.exec(s))) return wholeLineMarker('bracket', at, s, m[1]);
  if ((m = PAREN_RE.exec(s))) {
    const v = numberValue(m[1]);
    if (v) {
      const full = m[0].trimEnd();
      const style: NumberStyle = v.style === 'kanji' ? 'kanji' : /[（）]/.test(full) || v.style === 'arabic-full' ? 'paren-full' : 'paren-half';
      return { kind: 'paren', numStart: at, numEnd: at + full.length, raw: full, value: [v.value], style, restStart: at + m[0].length };
    }
  }
  if ((m = DIGIT_RE.exec(s))) {
    const v = numberValue(m[1]);
    const rest = s.slice(m[0].length);
    if (v && rest.length > 0) {
      return { kind: 'digit', numStart: at, numEnd: at + m[1].length, raw: m[1], value: [v.value], style: v.style, restStart: at + m[0].length };
    }
  }
  if ((m = CIRCLED_RE.exec(s))) {
    const value = CIRCLED.indexOf(m[1]) + 1;
    return { kind: 'circled', numStart: at, numEnd: at + 1, raw: m[1], value: [value], style: 'circled', restStart: at + m[0].length };
  }
  if ((m = KANJI_ITEM_RE.exec(s))) {
    const v = numberValue(m[1]);
    if (v && s.length > m[0].length) {
      return { kind: 'kanji', numStart: at, numEnd: at + m[1].length, raw: m[1], value: [v.value], style: 'kanji', restStart: at + m[0].length };
    }
  }
  if ((m = KANA_RE.exec(s))) {
    if (s.length > m[0].length) {
      return {
        kind: 'kana',
        numStart: at,
        numEnd: at + 1,
        raw: m[1],
        value: [AIUEO.indexOf(m[1]) + 1],
        style: 'katakana',
        restStart: at + m[0].length,
      };
    }
  }
  // ア or 二 alone on its line: an item whose text was broken onto the next line (text pasted from a PDF)
  if (s.length === 1 && AIUEO.includes(s)) {
    return { kind: 'kana', numStart: at, numEnd: at + 1, raw: s, value: [AIUEO.indexOf(s) + 1], style: 'katakana', restStart: at + 1, alone: true };
  }
  if (s.length <= 4 && KANJI_ALONE_RE.test(s)) {
    const v = numberValue(s);
    if (v) return { kind: 'kanji', numStart: at, numEnd: at + s.length, raw: s, value: [v.value], style: 'kanji', restStart: at + s.length, alone: true };
  }
  return null;
}

/**
 * A line that is one heading and nothing else: （見出し） or 【注記事項】. The heading's text lies
 * inside its brackets, not at the end of its span: its block maps it onto its own characters.
 */
function wholeLineMarker(kind: 'heading' | 'bracket', at: number, s: string, text: string): Marker {
  const span = { start: at, end: at + s.length };
  const heading: Heading = { text, span };
  const off = s.indexOf(text);
  if (text.length > 0 && off >= 0) {
    const start = at + off;
    heading.block = { text, segs: [{ textStart: 0, srcStart: start, length: text.length }], span: { start, end: start + text.length } };
  }
  return { kind, numStart: at, numEnd: span.end, raw: s, value: [], style: 'arabic-half', heading, restStart: span.end };
}

function skipBlanks(line: PhysLine, offset: number): number {
  let o = offset;
  const base = line.cs;
  while (o < line.ce && isBlankChar(line.content.charCodeAt(o - base))) o++;
  return o;
}

// ---------------------------------------------------------------------------------------------
// Pass 2: logical lines

interface Logical {
  lines: PhysLine[];
  marker: Marker | null;
}

type WrapInfo = DocumentLayout;

/** Detects text wrapped at a fixed width (PDF extraction): many unterminated lines of near-equal width. */
function detectWrap(lines: PhysLine[]): WrapInfo {
  const widths = lines.filter((l) => !TERMINAL_RE.test(l.content) && l.width >= 30).map((l) => l.width);
  if (widths.length < 4) return { wrapped: false, fullWidth: Infinity };
  widths.sort((a, b) => a - b);
  const p90 = widths[Math.floor(widths.length * 0.9)];
  const near = widths.filter((w) => w >= p90 * 0.85 && w <= p90 * 1.1).length;
  const wrapped = near >= 4 && near >= lines.length * 0.08;
  return { wrapped, fullWidth: wrapped ? Math.floor(p90 * 0.8) : Infinity };
}

const STRUCTURAL_PREV: ReadonlySet<MarkerKind> = new Set(['heading', 'annex', 'chapter', 'bracket']);

const SEQUENCE_KINDS: ReadonlySet<MarkerKind> = new Set(['digit', 'paren', 'kanji', 'circled', 'kana']);

/** A counter or a unit after a number: a figure of the text (3 時間以内, ５ 日), not a unit's number. */
const COUNTER_AFTER = /^[\s\u3000]*(?:[時日分秒年月週回名人件部円条項号歳%％]|営業日|[かヵヶケカ箇]月|以[内上下]|未満)/;

/**
 * `cur`'s marker numbers the sibling right after `a`'s unit, written alike: ２ then ３, (1) then
 * (2), ア then イ — and not a figure wrapped to the line start (「…から」 / 「３ 時間以内に」).
 */
function nextInSequence(a: Marker | null, cur: PhysLine): boolean {
  const b = cur.marker;
  if (!a || !b || a.kind !== b.kind || !SEQUENCE_KINDS.has(a.kind) || a.style !== b.style) return false;
  if (a.value.length !== 1 || b.value.length !== 1 || b.value[0] !== a.value[0] + 1) return false;
  return !COUNTER_AFTER.test(cur.content.slice(b.restStart - cur.cs));
}

/**
 * `cur` is a whole line （見出し）, shorter than a wrapped line, and `next` starts the article after
 * `article` (第16 then 第17: not 「第２条第３号…」 wrapped in running text).
 */
function headingOfNextArticle(cur: PhysLine, next: PhysLine | undefined, article: Marker | null, wrap: WrapInfo): boolean {
  const m = next?.marker;
  if (cur.marker?.kind !== 'heading' || cur.width >= wrap.fullWidth || m?.kind !== 'article' || !article) return false;
  return m.value.length === 1 && article.value.length === 1 && m.value[0] === article.value[0] + 1;
}

function isContinuation(prevLogical: Logical, prev: PhysLine, cur: PhysLine, wrap: WrapInfo, next?: PhysLine, article: Marker | null = null): boolean {
  const pm = prevLogical.lines.length === 1 ? prevLogical.marker : null;
  if (pm && STRUCTURAL_PREV.has(pm.kind)) return false;
  if (/^[□■☑✓✔●○◯]/.test(cur.content) || /^※/.test(cur.content)) return false;
  const terminal = TERMINAL_RE.test(prev.content);
  if (wrap.wrapped && prev.width >= wrap.fullWidth) {
    // wrapped mid-sentence, whatever the next line starts with — unless it starts with the number
    // after the unit's own (２ … then ３ …): a unit whose last words were cut off; or it is a short
    // line of one （見出し） right before an article's number: the next article's heading after a
    // sentence whose end was lost
    if (!terminal) return !nextInSequence(prevLogical.marker, cur) && !headingOfNextArticle(cur, next, article, wrap);
    return cur.marker === null; // the paragraph goes on with a new sentence
  }
  if (cur.marker) return false;
  if (terminal || wrap.wrapped) return false;
  // Hand-wrapped running text: an unterminated line of prose inside a numbered unit.
  const inUnit = prevLogical.marker !== null && !STRUCTURAL_PREV.has(prevLogical.marker.kind);
  return inUnit && (prev.content.includes('、') || displayWidth(prev.content, 0, prev.content.length) >= 70);
}

function toLogical(lines: PhysLine[], wrap: WrapInfo): Logical[] {
  const out: Logical[] = [];
  // the number of the article read last (its first line's marker)
  let article: Marker | null = null;
  // the last marker of each kind that starts a logical line (for ア or 二 alone on its line)
  const lastOf = new Map<MarkerKind, Marker>();
  if (lines.length > 0) lines[0].marker = classify(lines[0]);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const next = i + 1 < lines.length ? lines[i + 1] : undefined;
    if (next) next.marker = classify(next);
    // ア or 二 alone: kept where it starts its sequence or numbers the next one
    const alone = line.marker?.alone ? line.marker : null;
    if (alone && !(alone.value[0] === 1 || nextInSequence(lastOf.get(alone.kind) ?? null, line))) line.marker = null;
    const last = out[out.length - 1];
    if (last && isContinuation(last, last.lines[last.lines.length - 1], line, wrap, next, article)) {
      last.lines.push(line);
      continue;
    }
    out.push({ lines: [line], marker: line.marker });
    if (line.marker?.kind === 'article') article = line.marker;
    if (line.marker) lastOf.set(line.marker.kind, line.marker);
  }
  return out;
}

/** Joins the lines of a logical line from `from` (absolute offset in its first line) into a block. */
function logicalBlock(text: string, lg: Logical, from: number): TextBlock | null {
  const b = new BlockBuilder();
  const lines = lg.lines;
  // the piece appended last (what the block ends with): testing the block's text itself would
  // flatten the growing string once per line, quadratic in a logical line of thousands of lines
  let prev = '';
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const s = i === 0 ? Math.max(from, l.cs) : l.cs;
    if (s >= l.ce) continue;
    const piece = text.slice(s, l.ce);
    // Latin words broken across lines get their space back.
    if (/[A-Za-z0-9]$/.test(prev) && /^[A-Za-z0-9]/.test(piece)) b.appendSynthetic(' ', s);
    b.append(piece, s);
    prev = piece;
  }
  return b.build();
}


// ---------------------------------------------------------------------------------------------
// Pass 3: the tree

function newUnit(kind: UnitKind, number: UnitNumber | null, heading: Heading | null, start: number): Unit {
  return { kind, number, heading, body: null, children: [], span: { start, end: start }, label: '' };
}

function unitNumber(m: Marker): UnitNumber {
  return {
    value: m.value,
    raw: m.raw,
    style: m.style,
    ...(m.kind === 'article' ? { jo: m.jo } : {}),
    span: { start: m.numStart, end: m.numEnd },
  };
}

function isHeadingText(s: string): boolean {
  return !/[。．]/.test(s) && displayWidth(s, 0, s.length) <= 60;
}

export function parseDocument(text: string, options: ParseOptions = {}): ParsedDocument {
  return runToEnd(parseSteps(text, options));
}

/** Logical lines the tree is built from between two pauses of `parseSteps`. */
const LINES_PER_STEP = 4096;

/**
 * `parseDocument` as steps, for a caller that must not hold the event loop (engine/lint.ts
 * `lintSteps`, driven by lintAsync): pauses after the physical lines, after the logical lines,
 * every few thousand logical lines of the tree and before the finish. The same document.
 */
export function* parseSteps(text: string, options: ParseOptions = {}): Generator<void, ParsedDocument, void> {
  const problems: ParseProblem[] = [];
  const empty = (): ParsedDocument => ({
    text,
    title: null,
    units: [],
    articles: [],
    annexes: [],
    free: [],
    problems,
    conventions: { articleJo: true, digits: 'half', spaceInNumber: false, headingBrackets: 'full' },
  });
  try {
    if (looksBinary(text)) {
      problems.push({ code: 'binary', span: { start: 0, end: 0 } });
      return empty();
    }
    const max = options.maxChars ?? Infinity;
    if (text.length > max) {
      problems.push({ code: 'too-large', span: { start: 0, end: 0 }, data: { size: text.length, limit: max } });
      return empty();
    }
    if (text.trim().length === 0) {
      problems.push({ code: 'empty', span: { start: 0, end: 0 } });
      return empty();
    }
    return yield* build(text, options, problems);
  } catch (e) {
    // The parser must never take the editor down; report and return what we have.
    problems.push({ code: 'orphan-text', span: { start: 0, end: 0 }, data: { error: String(e) } });
    return empty();
  }
}

function looksBinary(text: string): boolean {
  const n = Math.min(text.length, 8192);
  let ctrl = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return true;
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0xfffd) ctrl++;
  }
  return n > 0 && ctrl / n > 0.1;
}

function* build(text: string, options: ParseOptions, problems: ParseProblem[]): Generator<void, ParsedDocument, void> {
  const phys = splitLines(text, options.ignore ?? []);
  yield;
  const wrap = options.layout ?? detectWrap(phys);
  const logical = toLogical(phys, wrap);
  yield;

  const firstArticleIdx = logical.findIndex((l) => l.marker?.kind === 'article');
  const units: Unit[] = [];
  const articles: Unit[] = [];
  const annexes: Unit[] = [];
  const free: FreeText[] = [];
  let title: FreeText | null = null;

  // The open units, innermost last. Each level: chapter/division, article, paragraph, item, subitem;
  // or annex, annexSection, annexSubsection, item, subitem.
  let chapter: Unit | null = null;
  let division: Unit | null = null;
  let article: Unit | null = null;
  let paragraph: Unit | null = null;
  let item: Unit | null = null;
  let subitem: Unit | null = null;
  let annex: Unit | null = null;
  let section: Unit | null = null;
  let subsection: Unit | null = null;
  let pendingHeading: Heading | null = null;
  let afterLastArticle = false;
  let signature = false;
  const lastArticleIdx = findLastIndex(logical, (l) => l.marker?.kind === 'article');

  const innermost = (): Unit | null => subitem ?? item ?? subsection ?? section ?? paragraph ?? article ?? annex;
  /** Text with no marker of its own belongs to the innermost open unit (else it is free text). */
  const appendText = (block: TextBlock | null, end: number): void => {
    const target = innermost();
    if (!target) return addFree('text', block);
    // the body is this parse's own, held by its unit only: extended in place
    target.body = appendBlock(target.body, block);
    extend(target, end);
  };
  const closeArticle = (): void => {
    subitem = item = paragraph = null;
    article = null;
  };
  const closeAnnexParts = (): void => {
    subitem = item = subsection = section = null;
  };

  const addFree = (role: FreeText['role'], block: TextBlock | null): void => {
    if (!block) return;
    if (role === 'title' && !title) title = { role, block };
    else free.push({ role, block });
  };

  // 目次: the table of contents lists chapters (and 附則) before the text repeats them.
  let toc = false;
  const tocSeen = new Set<string>();
  let tocChapter = '';

  for (let i = 0; i < logical.length; i++) {
    if (i > 0 && i % LINES_PER_STEP === 0) yield;
    const lg = logical[i];
    const m = lg.marker;
    const first = lg.lines[0];
    const next = logical[i + 1];

    if (!m && lg.lines.length === 1 && /^目[\s\u3000]*次$/.test(first.content) && article === null) {
      toc = true;
      addFree('cover', logicalBlock(text, lg, first.cs));
      continue;
    }
    if (toc) {
      // sections are numbered within their chapter: key them by it
      const own = m?.kind === 'chapter' ? `${m.sub}${m.value.join('-')}` : m?.kind === 'annex' && m.sub === '附則' ? '附則' : null;
      const key = own && m?.kind === 'chapter' && m.sub !== '章' && m.sub !== '編' ? `${tocChapter}/${own}` : own;
      if (m?.kind === 'article' || (key && tocSeen.has(key))) toc = false;
      else if (key || !m) {
        if (key) tocSeen.add(key);
        if (own && m?.kind === 'chapter' && (m.sub === '章' || m.sub === '編')) tocChapter = own;
        addFree('toc', logicalBlock(text, lg, first.cs));
        continue;
      } else toc = false;
    }

    // Before the first article (and outside annexes): title and cover text.
    if (!annex && article === null && (firstArticleIdx < 0 ? m?.kind !== 'annex' : i < firstArticleIdx)) {
      if (m?.kind === 'chapter') {
        // a chapter heading before the first article opens the chapter
      } else if (m?.kind === 'heading' && next?.marker?.kind === 'article') {
        pendingHeading = m.heading ?? null;
        continue;
      } else if (m?.kind === 'annex' && firstArticleIdx >= 0) {
        addFree('cover', logicalBlock(text, lg, first.cs));
        continue;
      } else if (m?.kind !== 'annex') {
        const block = logicalBlock(text, lg, first.cs);
        const role = !title && block && isTitleLike(block.text) ? 'title' : 'cover';
        addFree(role, block);
        continue;
      }
    }

    if (i > lastArticleIdx && lastArticleIdx >= 0 && !annex) afterLastArticle = true;

    if (!m) {
      const block = logicalBlock(text, lg, first.cs);
      if ((afterLastArticle && !annex && (signature || isSignatureStart(block?.text ?? ''))) || /^以上$/.test(block?.text ?? '')) {
        signature = true;
        addFree('signature', block);
        continue;
      }
      appendText(block, block?.span.end ?? first.ce);
      continue;
    }

    switch (m.kind) {
      case 'chapter': {
        closeArticle();
        annex = null;
        closeAnnexParts();
        const kind: UnitKind = m.sub === '編' ? 'part' : m.sub === '章' ? 'chapter' : 'division';
        const u = newUnit(kind, unitNumber(m), null, first.cs);
        const rest = text.slice(m.restStart, lastLine(lg).ce).trim();
        if (rest) u.heading = { text: rest, span: { start: m.restStart, end: lastLine(lg).ce } };
        extend(u, lastLine(lg).ce);
        if (kind === 'division' && chapter) {
          chapter.children.push(u);
          division = u;
        } else {
          units.push(u);
          chapter = u;
          division = null;
        }
        break;
      }
      case 'heading': {
        if (next?.marker?.kind === 'article') {
          pendingHeading = m.heading ?? null;
        } else if (article && !paragraph?.body && !article.heading && !annex) {
          // heading right after the number line: 第1条 / （目的） / text
          article.heading = m.heading ?? null;
        } else {
          appendText(logicalBlock(text, lg, first.cs), lastLine(lg).ce);
        }
        break;
      }
      case 'article': {
        // articles of 附則 belong to it, numbered on their own
        const openAnnex = annex as Unit | null; // assigned in other cases of this loop
        const supplement = openAnnex?.annexKind === '附則' ? openAnnex : null;
        closeArticle();
        annex = supplement;
        closeAnnexParts();
        const heading = m.heading ?? pendingHeading;
        pendingHeading = null;
        const u = newUnit('article', unitNumber(m), heading, heading && heading.span.start < first.cs ? heading.span.start : first.cs);
        const p = newUnit('paragraph', null, null, m.restStart);
        p.body = logicalBlock(text, lg, m.restStart);
        extend(p, lastLine(lg).ce);
        u.children.push(p);
        extend(u, lastLine(lg).ce);
        if (supplement) {
          supplement.children.push(u);
          extend(supplement, u.span.end);
        } else {
          (division ?? chapter)?.children.push(u);
          if (!chapter) units.push(u);
          articles.push(u);
        }
        article = u;
        paragraph = p;
        signature = false;
        break;
      }
      case 'annex': {
        closeArticle();
        closeAnnexParts();
        chapter = division = null;
        const u = newUnit('annex', m.value.length ? unitNumber(m) : null, null, first.cs);
        u.number = { value: m.value, raw: m.raw, style: m.style, span: { start: m.numStart, end: m.numEnd } };
        const rest = text.slice(m.restStart, lastLine(lg).ce).trim();
        if (rest) u.heading = { text: rest, span: { start: m.restStart, end: lastLine(lg).ce } };
        else if (next && !next.marker && next.lines.length === 1 && isHeadingText(next.lines[0].content)) {
          const h = next.lines[0];
          u.heading = { text: h.content, span: { start: h.cs, end: h.ce } };
          extend(u, h.ce);
          i++;
        }
        extend(u, u.heading?.span.end ?? lastLine(lg).ce);
        u.annexKind = m.sub;
        units.push(u);
        annexes.push(u);
        annex = u;
        signature = false;
        break;
      }
      case 'bracket': {
        if (annex) {
          closeAnnexParts();
          const u = newUnit('annexSection', null, m.heading ?? null, first.cs);
          extend(u, lastLine(lg).ce);
          annex.children.push(u);
          section = u;
          extend(annex, u.span.end);
        } else {
          appendText(logicalBlock(text, lg, first.cs), lastLine(lg).ce);
        }
        break;
      }
      default: {
        placeNumbered(lg, m);
      }
    }
  }

  function placeNumbered(lg: Logical, m: Marker): void {
    const first = lg.lines[0];
    const end = lastLine(lg).ce;
    const body = logicalBlock(text, lg, m.restStart);
    if (annex) {
      placeInAnnex(lg, m, body, end);
      return;
    }
    if (!article) {
      // Numbered text outside any article: keep it as free text, and say so.
      addFree('text', logicalBlock(text, lg, first.cs));
      if (!afterLastArticle) problems.push({ code: 'orphan-text', span: { start: first.cs, end } });
      return;
    }
    const num = unitNumber(m);
    if (m.kind === 'digit') {
      const p = newUnit('paragraph', num, null, first.cs);
      p.body = body;
      extend(p, end);
      article.children.push(p);
      paragraph = p;
      item = subitem = null;
      extend(article, end);
      return;
    }
    if (m.kind === 'kana') {
      const parent = item ?? paragraph ?? article;
      const u = newUnit('subitem', num, null, first.cs);
      u.body = body;
      extend(u, end);
      parent.children.push(u);
      subitem = u;
      extendChain(end);
      return;
    }
    // 号: 一 / (1) / ① (and １ reused as items inside a paragraph that already has items)
    const parent = paragraph ?? article;
    const u = newUnit('item', num, null, first.cs);
    u.body = body;
    extend(u, end);
    parent.children.push(u);
    item = u;
    subitem = null;
    extendChain(end);
  }

  function placeInAnnex(lg: Logical, m: Marker, body: TextBlock | null, end: number): void {
    const first = lg.lines[0];
    const annexUnit = annex as Unit;
    const num = unitNumber(m);
    const restText = body?.text ?? '';
    const headingLike = isHeadingText(restText);
    const asHeading = (u: Unit): void => {
      if (headingLike && body) {
        u.heading = { text: body.text, span: body.span, block: body };
      } else u.body = body;
      extend(u, end);
    };
    if (m.kind === 'digit') {
      closeAnnexParts();
      // numbered notes after 【注記事項】 belong to that group
      const u = newUnit('annexSection', num, null, first.cs);
      asHeading(u);
      const group = annexUnit.children[annexUnit.children.length - 1];
      if (group && group.kind === 'annexSection' && !group.number && group.heading) {
        u.kind = 'annexSubsection';
        group.children.push(u);
        extend(group, end);
        section = group;
        subsection = u;
      } else {
        annexUnit.children.push(u);
        section = u;
      }
      extend(annexUnit, end);
      return;
    }
    if (m.kind === 'paren') {
      const u = newUnit('annexSubsection', num, null, first.cs);
      asHeading(u);
      const parent = section ?? annexUnit;
      parent.children.push(u);
      subsection = u;
      item = subitem = null;
      extend(parent, end);
      extend(annexUnit, end);
      return;
    }
    const kind: UnitKind = m.kind === 'kana' ? 'subitem' : 'item';
    const u = newUnit(kind, num, null, first.cs);
    u.body = body;
    extend(u, end);
    const parent = (kind === 'subitem' ? item : null) ?? subsection ?? section ?? annexUnit;
    parent.children.push(u);
    if (kind === 'item') item = u;
    else subitem = u;
    for (const p of [subsection, section, annexUnit]) if (p) extend(p, end);
  }

  function extendChain(end: number): void {
    for (const u of [item, paragraph, article, division, chapter]) if (u) extend(u, end);
  }

  // Finish: lead sentences, iroha detection, labels, spans.
  yield;
  for (const a of articles) normaliseArticle(a);
  for (const u of units) fixSpans(u);
  for (const u of units) assignLabels(u, '');

  if (articles.length === 0 && annexes.length === 0) {
    problems.push({ code: 'no-articles', span: { start: 0, end: 0 } });
  }

  return {
    text,
    title,
    units,
    articles,
    annexes,
    free,
    problems,
    conventions: conventionsOf(text, articles),
    layout: wrap,
  };
}

function lastLine(lg: Logical): PhysLine {
  return lg.lines[lg.lines.length - 1];
}

function extend(u: Unit, end: number): void {
  if (end > u.span.end) u.span.end = end;
}

function fixSpans(u: Unit): void {
  for (const c of u.children) {
    fixSpans(c);
    extend(u, c.span.end);
  }
}

function findLastIndex<T>(a: T[], f: (x: T) => boolean): number {
  for (let i = a.length - 1; i >= 0; i--) if (f(a[i])) return i;
  return -1;
}

const TITLE_WORDS = /(特約条項|特記事項|契約書?|約款|規程|規則|要綱|要領|条例|法律?|遵守事項|仕様書|覚書|協定書?|規約)$/;

function isTitleLike(s: string): boolean {
  return isHeadingText(s) && TITLE_WORDS.test(s.replace(/[\s\u3000]/g, ''));
}

function isSignatureStart(s: string): boolean {
  return /^(以上|記名押印|署名|上記|本契約の締結を証|(甲|乙|丙)[\s\u3000：:]|住所|所在地|氏名|名称|代表者|(令和|平成|昭和)|[0-9０-９]{4}年)/.test(s);
}

/**
 * An article whose numbered paragraphs start at １ has a lead sentence (「次のとおりとする。」):
 * the implicit first paragraph becomes the article's own body. Sub-items written イ, ロ are iroha.
 */
function normaliseArticle(a: Unit): void {
  const paras = a.children;
  const firstNumbered = paras.find((p) => p.kind === 'paragraph' && p.number);
  if (paras.length > 1 && paras[0].number === null && firstNumbered?.number?.value[0] === 1) {
    const lead = paras[0];
    a.body = lead.body;
    // items under the lead stay with the article
    a.children = [...lead.children, ...paras.slice(1)];
  }
  markIroha(a);
}

function markIroha(u: Unit): void {
  const kana = u.children.filter((c) => c.kind === 'subitem' && c.number);
  if (kana.length >= 2 && kana[0].number?.raw === 'イ' && kana[1].number?.raw === 'ロ') {
    for (const k of kana) {
      if (!k.number) continue;
      k.number.style = 'iroha';
      k.number.value = [IROHA.indexOf(k.number.raw) + 1];
    }
  }
  for (const c of u.children) markIroha(c);
}

function n(u: Unit): string {
  return u.number ? u.number.value.join('の') : '';
}

function assignLabels(u: Unit, parent: string): void {
  switch (u.kind) {
    case 'part':
      u.label = `第${n(u)}編`;
      break;
    case 'chapter':
      u.label = `${parent}第${n(u)}章`;
      break;
    case 'division':
      u.label = `${parent}第${n(u)}節`;
      break;
    case 'article': {
      const [main, ...branch] = u.number?.value ?? [];
      u.label = `${parent}第${main}${u.number?.jo ? '条' : ''}${branch.map((b) => `の${b}`).join('')}`;
      break;
    }
    case 'paragraph':
      u.label = `${parent}第${u.number ? u.number.value[0] : 1}項`;
      break;
    case 'item':
      u.label = `${parent}第${n(u) || '?'}号`;
      break;
    case 'subitem':
      u.label = `${parent}${u.number?.raw ?? ''}`;
      break;
    case 'annex': {
      const kind = u.annexKind ?? '別紙';
      u.label = `${kind}${u.number?.value.length ? u.number.value[0] : ''}`;
      break;
    }
    case 'annexSection':
      u.label = u.number ? `${parent}${n(u)}` : `${parent}【${u.heading?.text ?? ''}】`;
      break;
    case 'annexSubsection':
      u.label = `${parent}(${n(u)})`;
      break;
  }
  const childParent = u.kind === 'chapter' || u.kind === 'division' || u.kind === 'part' ? '' : u.label;
  for (const c of u.children) assignLabels(c, childParent);
}

function conventionsOf(text: string, articles: Unit[]): DocumentConventions {
  let jo = 0;
  const digits = { half: 0, full: 0, kanji: 0 };
  let space = false;
  let singleFull = 0;
  let multiHalf = 0;
  for (const a of articles) {
    if (!a.number) continue;
    const v = a.number.value[0];
    if (v < 10 && a.number.style === 'arabic-full') singleFull++;
    if (v >= 10 && a.number.style === 'arabic-half') multiHalf++;
    if (a.number.jo) jo++;
    if (a.number.style === 'arabic-full') digits.full++;
    else if (a.number.style === 'kanji') digits.kanji++;
    else digits.half++;
    if (/^第[\s\u3000]/.test(a.number.raw)) space = true;
  }
  const d: DocumentConventions['digits'] =
    singleFull > 0 && multiHalf > 0 && singleFull + multiHalf === digits.full + digits.half
      ? 'full-single'
      : digits.kanji > digits.full && digits.kanji > digits.half
        ? 'kanji'
        : digits.full > digits.half
          ? 'full'
          : 'half';
  const halfHeading = articles.filter((a) => a.heading && text[a.heading.span.start] === '(').length;
  return {
    articleJo: jo * 2 >= articles.length && articles.length > 0 ? true : articles.length === 0,
    digits: d,
    spaceInNumber: space,
    headingBrackets: halfHeading * 2 > articles.filter((a) => a.heading).length ? 'half' : 'full',
  };
}
