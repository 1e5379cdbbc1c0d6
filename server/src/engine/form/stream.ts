/**
 * A normalised view of the source for recognising forms: every character NFKC-normalised
 * (全角 → 半角 letters and digits, （ → (, ： → :), whitespace and blank lines dropped, with
 * each character's source range kept. Wrapped lines (PDF layout) read as one run, and lines glued
 * together read the same as lines apart, so the form's printed words can be matched whatever
 * the layout; every match maps back to the user's own characters.
 */
import type { Span } from '../model/types';
import { LineIndex } from '../text/lines';

export interface FormStream {
  /** The normalised characters. */
  readonly s: string;
  /** Source offset of character i, and the offset just past its source character. */
  readonly from: readonly number[];
  readonly to: readonly number[];
  /** Whether character i is the first one of its source line. */
  readonly lineStart: readonly boolean[];
  readonly source: string;
}

/** Characters dropped besides whitespace: zero-width spaces and joiners, BOM. */
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff]/;
/** Markdown or list decoration at a line start: bullets, quote marks, heading marks. */
const LINE_DECORATION = /^[ \t\u3000]*(?:(?:[-*+>]|#{1,6})[ \t\u3000]+)+/;

export function normalise(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, '');
}

/** Characters NFKC leaves unchanged and that are not whitespace: printable ASCII, kana, common kanji. */
function isStable(cp: number): boolean {
  return (
    (cp > 0x20 && cp < 0x7f) ||
    (cp >= 0x3041 && cp <= 0x3096) ||
    (cp >= 0x30a1 && cp <= 0x30fa) ||
    (cp >= 0x4e00 && cp <= 0x9fff)
  );
}

function overlaps(spans: readonly Span[], start: number, end: number): boolean {
  for (const sp of spans) if (sp.start < end && start < sp.end) return true;
  return false;
}

/**
 * Builds the stream of `text`, lines [fromLine, toLine); lines overlapping `ignore` (directive
 * lines) are left out.
 */
export function buildStream(
  text: string,
  ignore: readonly Span[] = [],
  lines: LineIndex = new LineIndex(text),
  fromLine = 0,
  toLine = Infinity,
): FormStream {
  let s = '';
  const from: number[] = [];
  const to: number[] = [];
  const lineStart: boolean[] = [];
  const last = Math.min(lines.lineCount, toLine);
  for (let line = fromLine; line < last; line++) {
    const start = lines.starts[line];
    const end = lines.lineEnd(line);
    if (end === start) continue;
    if (ignore.length > 0 && overlaps(ignore, start, end)) continue;
    let i = start;
    const deco = LINE_DECORATION.exec(text.slice(start, Math.min(end, start + 40)));
    if (deco) i += deco[0].length;
    let first = true;
    while (i < end) {
      const cp = text.codePointAt(i) ?? 0;
      if (isStable(cp)) {
        // Fast path: NFKC leaves ASCII letters, kana and kanji as they are.
        s += text[i];
        from.push(i);
        to.push(i + 1);
        lineStart.push(first);
        first = false;
        i++;
        continue;
      }
      const width = cp > 0xffff ? 2 : 1;
      const ch = text.slice(i, i + width);
      if (!INVISIBLE.test(ch)) {
        const n = ch.normalize('NFKC');
        if (!/^\s*$/.test(n)) {
          for (const c of n) {
            if (/\s/.test(c)) continue;
            s += c;
            from.push(i);
            to.push(i + width);
            lineStart.push(first);
            first = false;
          }
        }
      }
      i += width;
    }
  }
  return { s, from, to, lineStart, source: text };
}

/** Source span of stream range [i, j). */
export function streamSpan(st: FormStream, i: number, j: number): Span {
  if (st.s.length === 0) return { start: 0, end: 0 };
  if (j <= i) {
    const at = i < st.from.length ? st.from[i] : st.to[st.to.length - 1];
    return { start: at, end: at };
  }
  return { start: st.from[i], end: st.to[j - 1] };
}

/** End (exclusive) of the line-run that contains stream position i. */
export function lineRunEnd(st: FormStream, i: number): number {
  let j = i + 1;
  while (j < st.s.length && !st.lineStart[j]) j++;
  return j;
}

/**
 * Lines joined as one text: each trimmed, blank ones dropped, joined without a break (a wrapped
 * Japanese line) or with a space between two Latin letters or digits (a wrapped English word run).
 */
export function joinLines(lines: readonly string[]): string {
  let out = '';
  for (const raw of lines) {
    const l = raw.replace(/^[\s\u3000]+|[\s\u3000]+$/g, '');
    if (l === '') continue;
    if (out !== '' && /[A-Za-z0-9.,)]$/.test(out) && /^[A-Za-z0-9(]/.test(l)) out += ' ';
    out += l;
  }
  return out;
}

/** The source text of stream ranges (the user's own characters), lines joined. */
export function sourceText(st: FormStream, ranges: readonly [number, number][]): string {
  let buf = '';
  let prevEnd = -1;
  for (const [i, j] of ranges) {
    if (j <= i) continue;
    const sp = streamSpan(st, i, j);
    // Ranges on one line (split around a bracket) join directly; ranges on other lines, as lines.
    if (prevEnd >= 0 && /[\r\n]/.test(st.source.slice(prevEnd, sp.start))) buf += '\n';
    buf += st.source.slice(sp.start, sp.end);
    prevEnd = sp.end;
  }
  return joinLines(buf.split(/\r\n|\r|\n/));
}
