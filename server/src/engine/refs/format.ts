/**
 * Writing a number back the way the draft wrote it: same digit width (１２ / 12 / 十二), same
 * 第N / 第N条 form, and the document's spacing habit (the 特記事項 writes 「第９」 but 「第 10」).
 * Used by the quick fixes of broken-reference and by renumber.
 */
import type { TextEdit } from '../findings';
import type { DocumentConventions, NumberStyle, ParsedDocument, Span, UnitNumber } from '../model/types';
import { formatNumeral, parseNumeral } from '../text/numerals';
import type { RefComponent } from './types';

/**
 * How the document writes numbers. `widthByLength`: the digit width used for one-digit and for
 * longer numbers, when the document is consistent about it (the 特記事項: 「第９」 but 「第 10」).
 */
export type Conventions = Pick<DocumentConventions, 'digits' | 'spaceInNumber'> & {
  widthByLength?: { one: Width | null; multi: Width | null };
};

type Width = 'arabic-half' | 'arabic-full';

const habits = new WeakMap<ParsedDocument, Conventions>();

/**
 * The document's conventions plus its digit-width habit by number length, read from its article
 * numbers — once per parsed document (every reference fix asks; a 1 MB draft has thousands).
 */
export function numberHabits(doc: ParsedDocument): Conventions {
  let h = habits.get(doc);
  if (!h) habits.set(doc, (h = readHabits(doc)));
  return h;
}

function readHabits(doc: ParsedDocument): Conventions {
  const count = { one: { 'arabic-half': 0, 'arabic-full': 0 }, multi: { 'arabic-half': 0, 'arabic-full': 0 } };
  for (const a of doc.articles) {
    const n = a.number;
    if (!n || (n.style !== 'arabic-half' && n.style !== 'arabic-full')) continue;
    const digits = /[0-9０-９]+/.exec(n.raw)?.[0] ?? '';
    count[digits.length >= 2 ? 'multi' : 'one'][n.style]++;
  }
  const pick = (c: Record<Width, number>): Width | null =>
    c['arabic-half'] === c['arabic-full'] ? null : c['arabic-half'] > c['arabic-full'] ? 'arabic-half' : 'arabic-full';
  return { ...doc.conventions, widthByLength: { one: pick(count.one), multi: pick(count.multi) } };
}

/** The width to write a number of `newLen` digits in, given how a number of `oldLen` digits was written. */
function widthFor(style: NumberStyle | undefined, oldLen: number, newLen: number, conv: Conventions): NumberStyle | undefined {
  const h = conv.widthByLength;
  if (!h || (style !== 'arabic-half' && style !== 'arabic-full')) return style;
  const oldHabit = oldLen >= 2 ? h.multi : h.one;
  const newHabit = newLen >= 2 ? h.multi : h.one;
  if (oldHabit === style && newHabit) return newHabit;
  return style;
}

function digitStyle(style: NumberStyle | undefined, conv: Conventions): NumberStyle {
  if (style === 'arabic-half' || style === 'arabic-full' || style === 'kanji') return style;
  if (style === 'mixed' || style === undefined) {
    return conv.digits === 'full' ? 'arabic-full' : conv.digits === 'kanji' ? 'kanji' : 'arabic-half';
  }
  return style;
}

/** n written in a style: digits for arabic and kanji; the whole marker for (1), ①, ア. */
export function writeNumber(n: number, style: NumberStyle | undefined, conv: Conventions): string {
  return formatNumeral(n, digitStyle(style, conv));
}

/** 第N as text, e.g. for messages and fix titles: 「第 11」, 「第７」, 「第十二条の二」. */
export function writeArticleRef(value: number[], like: { style?: NumberStyle; suffix?: string; spaced?: boolean }, conv: Conventions): string {
  const style = digitStyle(like.style, conv);
  const main = formatNumeral(value[0], style);
  const spaced = like.spaced ?? (conv.spaceInNumber && style !== 'kanji' && main.length >= 2);
  const branches = value.slice(1).map((b) => `の${formatNumeral(b, style)}`).join('');
  return `第${spaced ? ' ' : ''}${main}${like.suffix ?? ''}${branches}`;
}

function isArabic(style: NumberStyle | undefined): boolean {
  return style === 'arabic-half' || style === 'arabic-full' || style === 'mixed';
}

/**
 * Edits turning the number of a reference component (or of a unit, see `unitNumberComponent`) into
 * `value`. Only the digits (and the blank after 第, when the document's habit asks for it) change.
 */
export function numberEdits(text: string, comp: RefComponent, value: number[], conv: Conventions): TextEdit[] {
  const edits: TextEdit[] = [];
  const num = comp.numSpan;
  if (!num) return edits;
  const old = comp.value ?? [];
  const main = value[0];
  const style = comp.style;
  if (main !== old[0] || (value.length === 1 && style === 'mixed')) {
    const oldLen = num.end - num.start;
    let newText = writeNumber(main, widthFor(style, oldLen, String(main).length, conv), conv);
    let span: Span = num;
    // 第９ → 第 10 in a document that spaces two-digit numbers (and 第 10 → 第９ back)
    const daiAt = comp.span.start;
    if (conv.spaceInNumber && isArabic(style) && text[daiAt] === '第' && daiAt < num.start + 1) {
      const gap = text.slice(daiAt + 1, num.start);
      if (/^[ \u3000]*$/.test(gap)) {
        const hadSpace = gap.length > 0;
        const conforming = (oldLen >= 2) === hadSpace;
        if (conforming) {
          const want = newText.length >= 2;
          if (want !== hadSpace) {
            span = { start: daiAt + 1, end: num.end };
            newText = (want ? (hadSpace ? gap : ' ') : '') + newText;
          }
        }
      }
    }
    edits.push({ span, newText });
  }
  const oldBranches = old.slice(1);
  const newBranches = value.slice(1);
  const spans = comp.branchSpans ?? [];
  if (oldBranches.length === newBranches.length) {
    newBranches.forEach((b, i) => {
      if (b !== oldBranches[i] && spans[i]) {
        const st = parseNumeral(text.slice(spans[i].start, spans[i].end))?.style ?? style;
        edits.push({ span: spans[i], newText: writeNumber(b, st, conv) });
      }
    });
  } else if (comp.branchPartSpan) {
    const st = digitStyle(style, conv);
    edits.push({ span: comp.branchPartSpan, newText: newBranches.map((b) => `の${formatNumeral(b, st)}`).join('') });
  }
  return edits;
}

const UNIT_NUMBER_RE = /^第([\s\u3000]*)([0-9０-９]+|[〇一二三四五六七八九十百千]+)([\s\u3000]*(?:条|條|章|節|編|款|目))?((?:[\s\u3000]*の[\s\u3000]*(?:[0-9０-９]+|[〇一二三四五六七八九十百千]+))*)/;

/**
 * A unit's own number as a component, so that `numberEdits` can rewrite it: 「第 10」, 「第3条の2」,
 * 「２」 (paragraph), 「三」 (item). Markers written with brackets or symbols ((1), ①, ア) give
 * null: they are rewritten whole with `writeNumber`.
 */
export function unitNumberComponent(num: UnitNumber): RefComponent | null {
  const raw = num.raw;
  const m = UNIT_NUMBER_RE.exec(raw);
  const base = num.span.start;
  if (m) {
    const numStart = base + 1 + m[1].length;
    const numEnd = numStart + m[2].length;
    const partStart = numEnd + (m[3]?.length ?? 0);
    const branchSpans: Span[] = [];
    const br = /の[\s\u3000]*([0-9０-９]+|[〇一二三四五六七八九十百千]+)/g;
    let b: RegExpExecArray | null;
    while ((b = br.exec(m[4]))) {
      const s = partStart + b.index + b[0].length - b[1].length;
      branchSpans.push({ start: s, end: s + b[1].length });
    }
    return {
      level: 'article',
      form: 'number',
      raw,
      span: num.span,
      value: num.value,
      style: parseNumeral(m[2])?.style ?? num.style,
      numSpan: { start: numStart, end: numEnd },
      branchSpans,
      branchPartSpan: { start: partStart, end: partStart + m[4].length },
      suffix: m[3]?.trim() ?? '',
    };
  }
  if (/^[0-9０-９〇一二三四五六七八九十百千]+$/.test(raw)) {
    return {
      level: 'paragraph',
      form: 'number',
      raw,
      span: num.span,
      value: num.value,
      style: num.style,
      numSpan: num.span,
      branchSpans: [],
      branchPartSpan: { start: num.span.end, end: num.span.end },
    };
  }
  return null;
}
