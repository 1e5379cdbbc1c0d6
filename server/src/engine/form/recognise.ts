/**
 * Recognises the 別記様式 「機密データの保存等に関する届出書」 in a document — after 別記様式 in a
 * contract, or as a document of its own — and reads what was written into it: the date, 住所
 * and 氏名, each entry's marked choices (☑ ■ ✓ ✔ レ ● ○ in place of □), the values written after
 * the labels, and whether the sample text 「例 …」 is still there.
 *
 * Works on the source lines, not on the parse tree: the form is found by its title followed by
 * its numbered entries １–６ with their headings, and the printed words of the form (spec.ts)
 * are matched on a normalised stream (stream.ts), so the PDF-extracted layout (wrapped cells,
 * blank lines), a clean one-line-per-field layout and lines glued together read alike. Whatever
 * lies between two printed pieces is what the user wrote, and belongs to the piece before it.
 * Every span is a span of the original text.
 *
 * Engine code: imports nothing from vscode or the LSP libraries.
 */
import type { Span } from '../model/types';
import { LineIndex } from '../text/lines';
import {
  ADDRESS_LABELS,
  BOXES,
  CLOSING_NOTE,
  ENTRIES,
  FORM_TITLE,
  MARKS,
  NAME_LABELS,
  NOTES_HEADING,
  type EntrySpec,
  type FieldSpec,
  type OptionKey,
  type OptionSpec,
} from './spec';
import { buildStream, lineRunEnd, normalise, sourceText, streamSpan, type FormStream } from './stream';

/** What was written in a field: the text (trimmed, lines joined) and where it is. */
export interface FormValue {
  text: string;
  spans: Span[];
}

export interface FormField {
  key: string;
  spec: FieldSpec;
  /** The label as written (with its brackets, letter and colon). */
  span: Span;
  value: FormValue;
  /** Which set of fields it belongs to (a service, a contractor): 0, 1, … */
  group: number;
}

export interface FormOption {
  key: OptionKey;
  spec: OptionSpec;
  /** The box (or mark) and the option's words. */
  span: Span;
  marked: boolean;
  /** Written without a box (the other options deleted). */
  bare: boolean;
}

export interface FormSample {
  text: string;
  span: Span;
}

export interface FormEntry {
  number: number;
  spec: EntrySpec;
  /** The number and heading as written. */
  headingSpan: Span;
  /** From the heading to the next entry. */
  span: Span;
  /** Text written under the heading, outside any choice or field (entry １'s answer). */
  value: FormValue;
  options: FormOption[];
  fields: FormField[];
  /** Text written after a choice or a sub-heading, outside any field. */
  other: FormValue;
  samples: FormSample[];
}

export interface FormDate {
  span: Span;
  text: string;
  /** 年, 月 and 日 all have a value (or the date is written with digits only). */
  complete: boolean;
  /** Nothing written (an era name alone, such as 令和, counts as nothing). */
  empty: boolean;
}

export interface FormHeaderField {
  key: 'address' | 'name';
  /** The label as written, e.g. 「（住所）」. */
  span: Span;
  label: string;
  value: FormValue;
}

export interface NotificationForm {
  span: Span;
  titleSpan: Span;
  date: FormDate | null;
  address: FormHeaderField | null;
  name: FormHeaderField | null;
  /** The entries found, in order (a deleted entry is simply absent). */
  entries: FormEntry[];
  /** Anything written in: a date, 住所, 氏名, a mark, a value. A blank template is not filled. */
  filled: boolean;
}

export interface RecogniseOptions {
  /** Source ranges to leave out (the lines of keiyaku-lint directives). */
  ignore?: readonly Span[];
  lines?: LineIndex;
}

const TITLE_N = normalise(FORM_TITLE);
const CLOSING_N = normalise(CLOSING_NOTE);
const NOTES_HEADING_N = normalise(NOTES_HEADING);
const OPEN = '(【[〔「';
const CLOSE = ')】]〕」';
const MARK_SET = new Set([...MARKS]);
const BOX_SET = new Set([...BOXES]);
/** Marks that may follow the option's words (「□ 有 ✓」). */
const TRAILING_MARKS = new Set([...'✓✔☑✅']);
const ANNEX_LINE = /^(?:別記様式|別紙|別記|別表)(?:第?\d+)?$/;
const ARTICLE_LINE = /^第\d+条/;

/** The title in the raw text, spaces allowed between its characters. */
const TITLE_RAW = new RegExp([...FORM_TITLE].join('[\\s\\u3000]*'), 'g');
/** How far after its title a form is read (the form in the PDF layout has some 200 lines). */
const MAX_FORM_LINES = 1500;

/** All the notification forms in `text`, in document order. */
export function recogniseForms(text: string, options: RecogniseOptions = {}): NotificationForm[] {
  // Only the lines from each title to the next one (at most MAX_FORM_LINES) are read.
  const titleLines: number[] = [];
  let lines: LineIndex | undefined = options.lines;
  for (const m of text.matchAll(TITLE_RAW)) {
    lines ??= new LineIndex(text);
    const line = lines.positionAt(m.index ?? 0).line;
    if (titleLines[titleLines.length - 1] !== line) titleLines.push(line);
  }
  if (lines === undefined) return [];
  const forms: NotificationForm[] = [];
  titleLines.forEach((from, k) => {
    const to = Math.min(k + 1 < titleLines.length ? titleLines[k + 1] : Infinity, from + MAX_FORM_LINES);
    const st = buildStream(text, options.ignore ?? [], lines, from, to);
    const anchors = findTitles(st);
    anchors.forEach((t, j) => {
      const f = readForm(st, t, j + 1 < anchors.length ? anchors[j + 1] : st.s.length);
      if (f) forms.push(f);
    });
  });
  return forms;
}

/** Stream positions of the form's title, standing at a line start (or after 別記様式), not quoted. */
function findTitles(st: FormStream): number[] {
  const out: number[] = [];
  for (let i = st.s.indexOf(TITLE_N); i >= 0; i = st.s.indexOf(TITLE_N, i + TITLE_N.length)) {
    const atStart = st.lineStart[i] || (i >= 4 && st.s.slice(i - 4, i) === '別記様式' && st.lineStart[i - 4]);
    const after = st.s[i + TITLE_N.length];
    if (atStart && after !== '」' && after !== '』') out.push(i);
  }
  return out;
}

interface HeadingMatch {
  spec: EntrySpec;
  start: number;
  end: number;
}

/** The line starts of stream range [a, b). */
function lineStarts(st: FormStream, a: number, b: number): number[] {
  const out: number[] = [];
  for (let i = a; i < b; i++) if (st.lineStart[i]) out.push(i);
  return out;
}

/** Entry heading `spec` at line start p: its number (１, 1., (1), ①) and its heading. */
function headingAt(st: FormStream, p: number, spec: EntrySpec): number {
  const m = /^(?:\((\d)\)|(\d)[).、]?)/.exec(st.s.slice(p, p + 4));
  if (!m || Number(m[1] ?? m[2]) !== spec.number) return -1;
  const q = p + m[0].length;
  const h = normalise(spec.heading);
  if (st.s.startsWith(h, q)) return q + h.length + (st.s[q + h.length] === ':' ? 1 : 0);
  // A heading worded slightly differently: a long enough common start, then the rest of the line.
  let c = 0;
  while (c < h.length && st.s[q + c] === h[c]) c++;
  if (c >= Math.min(10, h.length)) return lineRunEnd(st, q + c - 1);
  return -1;
}

function findHeadings(st: FormStream, a: number, b: number): HeadingMatch[] {
  const starts = lineStarts(st, a, b);
  const found: HeadingMatch[] = [];
  let from = 0;
  for (const spec of ENTRIES) {
    for (let k = from; k < starts.length; k++) {
      const end = headingAt(st, starts[k], spec);
      if (end < 0) continue;
      found.push({ spec, start: starts[k], end });
      from = k + 1;
      while (from < starts.length && starts[from] < end) from++;
      break;
    }
  }
  return found;
}

/** Where the entries end: the closing note, 【注記事項】, 以上, an annex or article line; else `limit`. */
function entriesEnd(st: FormStream, from: number, limit: number): { end: number; formEnd: number } {
  let end = limit;
  let formEnd = limit;
  const closing = st.s.indexOf(CLOSING_N, from);
  if (closing >= 0 && closing < end) {
    end = closing;
    formEnd = closing + CLOSING_N.length;
  }
  const notes = st.s.indexOf(NOTES_HEADING_N, from);
  if (notes >= 0 && notes < end) {
    end = notes;
    formEnd = notes;
  }
  for (const p of lineStarts(st, from, end)) {
    const run = st.s.slice(p, lineRunEnd(st, p));
    if (run === '以上' || ANNEX_LINE.test(run) || ARTICLE_LINE.test(run)) {
      end = p;
      formEnd = p;
      break;
    }
  }
  return { end, formEnd };
}

function readForm(st: FormStream, title: number, limit: number): NotificationForm | null {
  const titleEnd = title + TITLE_N.length;
  const headings = findHeadings(st, titleEnd, limit);
  if (headings.length < 4) return null;
  const last = headings[headings.length - 1];
  const { end, formEnd } = entriesEnd(st, last.end, limit);
  const header = readHeader(st, titleEnd, headings[0].start);
  const entries = headings.map((h, k) => readEntry(st, h, k + 1 < headings.length ? headings[k + 1].start : end));
  const filled =
    (header.date !== null && !header.date.empty) ||
    (header.address?.value.text ?? '') !== '' ||
    (header.name?.value.text ?? '') !== '' ||
    entries.some(
      (e) =>
        e.value.text !== '' ||
        e.other.text !== '' ||
        e.options.some((o) => o.marked) ||
        e.fields.some((f) => f.value.text !== ''),
    );
  const titleSpan = streamSpan(st, title, titleEnd);
  const endSpan = streamSpan(st, Math.max(title, formEnd - 1), formEnd);
  return {
    span: { start: titleSpan.start, end: Math.max(titleSpan.end, endSpan.end) },
    titleSpan,
    date: header.date,
    address: header.address,
    name: header.name,
    entries,
    filled,
  };
}

// ---------------------------------------------------------------------------------------------
// Pieces: what the form prints. The text between two pieces belongs to the first.

type Owner =
  | { kind: 'ignore' }
  | { kind: 'header'; field: FormHeaderField }
  | { kind: 'value' } // the entry's own value
  | { kind: 'other' }
  | { kind: 'field'; field: FormField; open: boolean; closed: boolean };

interface Piece {
  start: number;
  end: number;
  /** Notes and samples: the text after them still belongs to the piece before. */
  transparent: boolean;
  owner?: Owner;
}

/** A label at p: optional letter (ア), optional bracket, the label's words, bracket, colon. */
function labelAt(
  st: FormStream,
  p: number,
  labels: readonly string[],
  letter?: string,
): { end: number; open: boolean; closed: boolean; label: string } | null {
  const s = st.s;
  let q = p;
  if (letter && s[q] === letter) {
    q++;
    if (s[q] === '.' || s[q] === '、') q++;
  }
  let open = false;
  if (OPEN.includes(s[q] ?? '\0') && s[q] !== '「') {
    open = true;
    q++;
  }
  const sorted = [...labels].sort((x, y) => y.length - x.length);
  let label = '';
  for (const l of sorted) {
    const n = normalise(l);
    if (s.startsWith(n, q)) {
      label = l;
      q += n.length;
      break;
    }
  }
  if (label === '') return null;
  let closed = false;
  if (open && CLOSE.includes(s[q] ?? '\0')) {
    closed = true;
    q++;
  }
  if (s[q] === ':') q++;
  return { end: q, open, closed, label };
}

/** The content ranges of [a, b), split at line starts (one range per line). */
function contentRanges(st: FormStream, a: number, b: number): [number, number][] {
  const out: [number, number][] = [];
  let i = a;
  while (i < b) {
    const j = Math.min(b, lineRunEnd(st, i));
    out.push([i, j]);
    i = j;
  }
  return out;
}

class ValueBuilder {
  readonly ranges: [number, number][] = [];
  add(a: number, b: number): void {
    if (b > a) this.ranges.push([a, b]);
  }
  build(st: FormStream): FormValue {
    const ranges = this.ranges.filter(([a, b]) => b > a);
    const text = sourceText(st, ranges);
    return { text, spans: text === '' ? [] : ranges.map(([a, b]) => streamSpan(st, a, b)) };
  }
}

/** Assigns the text between pieces to their owners. */
function distribute(
  st: FormStream,
  a: number,
  b: number,
  pieces: Piece[],
  first: Owner,
  sink: (owner: Owner, from: number, to: number) => void,
): void {
  let owner = first;
  let pos = a;
  for (const p of pieces) {
    if (p.start > pos) for (const [x, y] of contentRanges(st, pos, p.start)) sink(owner, x, y);
    if (!p.transparent && p.owner) owner = p.owner;
    pos = Math.max(pos, p.end);
  }
  if (b > pos) for (const [x, y] of contentRanges(st, pos, b)) sink(owner, x, y);
}

// ---------------------------------------------------------------------------------------------
// Header: date, 住所, 氏名又は法人名等, the sentence 「…付け「…」に係る業務について、…届け出ます。」

const DATE_RE = /^(.{0,14}?)年(.{0,8}?)月(.{0,8}?)日(?!付)/;
const NUMERIC_DATE_RE = /^(.{0,10}?)\d{1,4}[/.-]\d{1,2}[/.-]\d{1,2}/;
const ERA = /令和|平成|昭和|西暦|[RH](?=\d|$)/g;
const NUMERAL = /[0-9元〇一二三四五六七八九十]/;

function readHeader(
  st: FormStream,
  a: number,
  b: number,
): { date: FormDate | null; address: FormHeaderField | null; name: FormHeaderField | null } {
  const s = st.s;
  const pieces: Piece[] = [];
  let date: FormDate | null = null;
  let address: FormHeaderField | null = null;
  let name: FormHeaderField | null = null;
  let preamble = false;
  let lastEnd = a;
  let pos = a;
  while (pos < b) {
    const boundary = pos === a || st.lineStart[pos] || pos === lastEnd;
    let piece: Piece | null = null;
    if (boundary) {
      const runEnd = Math.min(b, lineRunEnd(st, pos));
      const run = s.slice(pos, runEnd);
      const lab = address === null || name === null ? headerLabelAt(st, pos) : null;
      if (lab && ((lab.key === 'address' && address === null) || (lab.key === 'name' && name === null))) {
        const field: FormHeaderField = { key: lab.key, span: streamSpan(st, pos, lab.end), label: lab.label, value: { text: '', spans: [] } };
        if (lab.key === 'address') address = field;
        else name = field;
        piece = { start: pos, end: lab.end, transparent: false, owner: { kind: 'header', field } };
      } else if (!preamble && /付け|係る業務|届け?出ます/.test(run)) {
        preamble = true;
        const m = /届け?出ます。?/.exec(s.slice(pos, b));
        const end = m ? pos + m.index + m[0].length : runEnd;
        piece = { start: pos, end, transparent: false, owner: { kind: 'ignore' } };
      } else if (date === null && !preamble) {
        const m = DATE_RE.exec(run) ?? NUMERIC_DATE_RE.exec(run);
        if (m) {
          const end = pos + m[0].length;
          date = readDate(st, pos, end, m);
          piece = { start: pos, end, transparent: false, owner: { kind: 'ignore' } };
        }
      }
    }
    if (piece) {
      pieces.push(piece);
      pos = lastEnd = piece.end;
    } else {
      pos++;
    }
  }
  const values = new Map<FormHeaderField, ValueBuilder>();
  distribute(st, a, b, pieces, { kind: 'ignore' }, (owner, x, y) => {
    if (owner.kind !== 'header') return;
    const v = values.get(owner.field) ?? new ValueBuilder();
    v.add(x, y);
    values.set(owner.field, v);
  });
  for (const [field, v] of values) {
    const value = v.build(st);
    // A seal mark alone (印, ㊞) is printed on some versions of the form: it is not a value.
    field.value = normalise(value.text) === '印' ? { text: '', spans: [] } : value;
  }
  return { date, address, name };
}

function headerLabelAt(st: FormStream, p: number): { key: 'address' | 'name'; end: number; label: string } | null {
  const addr = labelAt(st, p, ADDRESS_LABELS);
  if (addr) return { key: 'address', end: addr.end, label: addr.label };
  const nm = labelAt(st, p, NAME_LABELS);
  if (nm) return { key: 'name', end: nm.end, label: nm.label };
  return null;
}

function readDate(st: FormStream, a: number, b: number, m: RegExpExecArray): FormDate {
  const span = streamSpan(st, a, b);
  const text = st.source.slice(span.start, span.end);
  if (m.length === 2) return { span, text, complete: true, empty: false }; // digits only: 2024/4/1
  const year = m[1].replace(/^.*:/, '');
  const yearDigits = year.replace(ERA, '');
  const complete = NUMERAL.test(yearDigits) && NUMERAL.test(m[2]) && NUMERAL.test(m[3]);
  const empty = yearDigits === '' && m[2] === '' && m[3] === '';
  return { span, text, complete, empty };
}

// ---------------------------------------------------------------------------------------------
// Entries

function readEntry(st: FormStream, h: HeadingMatch, b: number): FormEntry {
  const spec = h.spec;
  let scan = scanEntry(st, spec, h.end, b, false);
  if (spec.options.length > 0 && scan.options.length === 0) {
    const bare = scanEntry(st, spec, h.end, b, true);
    if (bare.options.length > 0) scan = bare;
  }
  const { pieces, options, fields, samples } = scan;
  const value = new ValueBuilder();
  const other = new ValueBuilder();
  const fieldValues = new Map<FormField, ValueBuilder>();
  const closers = new Map<FormField, number>();
  distribute(st, h.end, b, pieces, { kind: 'value' }, (owner, x, y) => {
    if (owner.kind === 'value') value.add(x, y);
    else if (owner.kind === 'other') other.add(x, y);
    else if (owner.kind === 'field') {
      const v = fieldValues.get(owner.field) ?? new ValueBuilder();
      // 「（第三者認証の名称：…）」: the bracket closing the label is not part of the value.
      if (owner.open && !owner.closed) {
        const close = closingBracket(st.s, x, y);
        if (close >= 0) {
          owner.closed = true;
          closers.set(owner.field, close);
          v.add(x, close);
          v.add(close + 1, y);
        } else v.add(x, y);
      } else v.add(x, y);
      fieldValues.set(owner.field, v);
    }
  });
  for (const [f, v] of fieldValues) f.value = v.build(st);
  // An empty 「（第三者認証の名称：　　　）」: the field is the whole bracket.
  for (const [f, close] of closers) if (f.value.text === '') f.span = { start: f.span.start, end: st.to[close] };
  return {
    number: spec.number,
    spec,
    headingSpan: streamSpan(st, h.start, h.end),
    span: streamSpan(st, h.start, Math.max(h.end, b)),
    value: value.build(st),
    options,
    fields,
    other: other.build(st),
    samples,
  };
}

/** The bracket closing an open label: the first closing bracket not matched inside the value. */
function closingBracket(s: string, a: number, b: number): number {
  let depth = 0;
  for (let i = a; i < b; i++) {
    if (OPEN.includes(s[i])) depth++;
    else if (CLOSE.includes(s[i])) {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

interface EntryScan {
  pieces: Piece[];
  options: FormOption[];
  fields: FormField[];
  samples: FormSample[];
}

function scanEntry(st: FormStream, spec: EntrySpec, a: number, b: number, bare: boolean): EntryScan {
  const s = st.s;
  const notes = [...spec.notes, CLOSING_NOTE].map(normalise);
  const sample = spec.sample ? normalise(spec.sample) : null;
  const pieces: Piece[] = [];
  const options: FormOption[] = [];
  const fields: FormField[] = [];
  const samples: FormSample[] = [];
  let group = 0;
  let groupKeys = new Set<string>();
  let lastFieldIndex = -1;
  let lastEnd = a;
  let pos = a;
  while (pos < b) {
    const boundary = st.lineStart[pos] || pos === lastEnd;
    let piece: Piece | null = null;
    // Notes (※ …) and the sample (例 …), wherever they stand (glued layouts).
    const note = notes.find((n) => s.startsWith(n, pos));
    if (note) {
      piece = { start: pos, end: Math.min(b, pos + note.length), transparent: true };
    } else if (boundary && s[pos] === '※') {
      piece = { start: pos, end: unknownNoteEnd(st, pos, b), transparent: true };
    } else if (sample && s.startsWith(sample, pos)) {
      const end = Math.min(b, pos + sample.length);
      const span = streamSpan(st, pos, end);
      samples.push({ text: sourceText(st, [[pos, end]]), span });
      piece = { start: pos, end, transparent: true };
    } else {
      const opt = optionAt(st, pos, b, spec, boundary, bare);
      if (opt) {
        const option: FormOption = {
          key: opt.spec.key,
          spec: opt.spec,
          span: streamSpan(st, pos, opt.end),
          marked: opt.marked,
          bare: opt.bare,
        };
        options.push(option);
        piece = { start: pos, end: opt.end, transparent: false, owner: { kind: 'other' } };
      } else if (boundary) {
        const gh = spec.groupHeadings?.length ? labelAt(st, pos, spec.groupHeadings) : null;
        if (gh) {
          if (groupKeys.size > 0) {
            group++;
            groupKeys = new Set();
            lastFieldIndex = -1;
          }
          piece = { start: pos, end: gh.end, transparent: false, owner: { kind: 'other' } };
        } else {
          for (let k = 0; k < spec.fields.length; k++) {
            const fs = spec.fields[k];
            const lab = labelAt(st, pos, [fs.label], fs.letter);
            if (!lab) continue;
            if (spec.repeatable && (groupKeys.has(fs.key) || k <= lastFieldIndex) && groupKeys.size > 0) {
              group++;
              groupKeys = new Set();
            }
            groupKeys.add(fs.key);
            lastFieldIndex = k;
            const field: FormField = { key: fs.key, spec: fs, span: streamSpan(st, pos, lab.end), value: { text: '', spans: [] }, group };
            fields.push(field);
            piece = { start: pos, end: lab.end, transparent: false, owner: { kind: 'field', field, open: lab.open, closed: lab.closed } };
            break;
          }
        }
      }
    }
    if (piece && piece.end > pos) {
      pieces.push(piece);
      pos = lastEnd = piece.end;
    } else {
      pos++;
    }
  }
  // Options written without a box count as chosen only when they stand alone (the others deleted).
  if (bare) {
    const unmarked = options.length !== 1;
    for (const o of options) if (unmarked) o.marked = false;
  }
  return { pieces, options, fields, samples };
}

/** An unknown note: to the end of its sentence (。), over wrapped lines, at most 8 lines. */
function unknownNoteEnd(st: FormStream, p: number, b: number): number {
  let end = Math.min(b, lineRunEnd(st, p));
  for (let n = 0; n < 8 && end < b && st.s[end - 1] !== '。'; n++) {
    const c = st.s[end];
    if (MARK_SET.has(c) || BOX_SET.has(c) || c === '※' || OPEN.includes(c)) break;
    end = Math.min(b, lineRunEnd(st, end));
  }
  return end;
}

/**
 * A choice at p: marks or a box (□ ☑ ■ ✓ レ ● ○ [x]…, at most three), the option's words, and
 * marks after them (「□ 有 ✓」). Marks without a box stand at a line start (「○○有限会社」 is no
 * choice); a one-character option (有, 無) must end there (line end, a box, ※ or a bracket).
 */
function optionAt(
  st: FormStream,
  p: number,
  b: number,
  spec: EntrySpec,
  boundary: boolean,
  bare: boolean,
): { spec: OptionSpec; end: number; marked: boolean; bare: boolean } | null {
  if (spec.options.length === 0) return null;
  const s = st.s;
  let q = p;
  let marked = false;
  let boxed = false;
  for (let n = 0; n < 3 && q < b; n++) {
    const c = s[q];
    if (BOX_SET.has(c)) {
      boxed = true;
      q++;
    } else if (MARK_SET.has(c)) {
      if (c === '☒' || c === '■') boxed = true;
      marked = true;
      q++;
    } else {
      const m = /^\[([xX✓✔]?)\]/.exec(s.slice(q, q + 3));
      if (!m) break;
      boxed = true;
      if (m[1]) marked = true;
      q += m[0].length;
    }
  }
  const prefixed = q > p;
  if (!prefixed && !(bare && st.lineStart[p])) return null;
  if (prefixed && !boxed && !boundary) return null;
  for (const o of spec.options) {
    const words = [o.text, ...(o.alt ?? [])].map(normalise).sort((x, y) => y.length - x.length);
    for (const w of words) {
      if (!s.startsWith(w, q)) continue;
      let end = q + w.length;
      if (!prefixed) {
        // bare: the option's words are the whole line
        if (end !== Math.min(b, lineRunEnd(st, p))) continue;
        return { spec: o, end, marked: true, bare: true };
      }
      if (w.length === 1) {
        const c = s[end];
        const ok = end >= b || st.lineStart[end] || MARK_SET.has(c) || BOX_SET.has(c) || c === '※' || c === ':' || OPEN.includes(c);
        if (!ok) continue;
      }
      while (end < b && !st.lineStart[end] && TRAILING_MARKS.has(s[end])) {
        marked = true;
        end++;
      }
      return { spec: o, end, marked, bare: false };
    }
  }
  return null;
}

/**
 * Spans of the forms that have been filled in: text there is the contractor's answer, not
 * wording to compare with the canonical form (for stages that want to leave it alone).
 */
export function filledFormSpans(text: string, options: RecogniseOptions = {}): Span[] {
  return recogniseForms(text, options)
    .filter((f) => f.filled)
    .map((f) => f.span);
}
