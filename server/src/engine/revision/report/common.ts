/**
 * What the revision report formatters share: messages, titles of changes, the summary line,
 * excerpts around the changed words. Locale-aware through the engine's catalogues (diff:… keys).
 */
import { formatMessage, type Locale } from '../../i18n/messages';
import type { RenumberRun, RevisionReport, Segment, UnitChange, UnitRef, WordChange } from '../types';

export interface FormatOptions {
  locale: Locale;
  /** Where a line of the old / new revision can be opened (a file URL with #L…); none: no links. */
  oldLink?: (line: number) => string | null;
  newLink?: (line: number) => string | null;
}

export function msg(o: Pick<FormatOptions, 'locale'>, key: string, data?: Record<string, string | number>): string {
  return formatMessage(o.locale, key, data);
}

export function wordMessage(o: Pick<FormatOptions, 'locale'>, w: WordChange): string {
  return msg(o, `diff:word:${w.messageId}`, w.data);
}

/** Label of a unit with its heading: 第5条（再委託先の監督）. */
export function unitTitle(u: UnitRef): string {
  return u.heading ? `${u.label}（${u.heading}）` : u.label;
}

/** Units of a split's new side or a merge's old side, in document order. */
export function groupUnits(c: UnitChange): { old: UnitRef[]; new: UnitRef[] } {
  const order = (xs: UnitRef[]): UnitRef[] => [...xs].sort((a, b) => a.span.start - b.span.start);
  const oldUnits = c.old ? [c.old] : [];
  const newUnits = c.new ? [c.new] : [];
  if (c.kind === 'split') return { old: oldUnits, new: order([...newUnits, ...c.related]) };
  if (c.kind === 'merged') return { old: order([...oldUnits, ...c.related]), new: newUnits };
  return { old: oldUnits, new: newUnits };
}

/** 第7条第1項 (was 第6条第1項); 第5条 for an added unit; 第2条 → 第2条, 第3条 for a split. */
export function changeTitle(o: Pick<FormatOptions, 'locale'>, c: UnitChange): string {
  const g = groupUnits(c);
  if (c.kind === 'added') return unitTitle(c.new as UnitRef);
  if (c.kind === 'removed') return unitTitle(c.old as UnitRef);
  if (c.kind === 'split' || c.kind === 'merged') return `${g.old.map((u) => u.label).join('・')} → ${g.new.map((u) => u.label).join('・')}`;
  const n = c.new as UnitRef;
  const old = c.old as UnitRef;
  const base = unitTitle(n);
  return old.label !== n.label ? `${base}${o.locale === 'ja' ? '' : ' '}${paren(o, msg(o, 'diff:was', { label: old.label }))}` : base;
}

function paren(o: Pick<FormatOptions, 'locale'>, s: string): string {
  return o.locale === 'ja' ? `（${s}）` : `(${s})`;
}

/** What the related units are, for added chapters, splits and merges. */
export function relatedNote(o: Pick<FormatOptions, 'locale'>, c: UnitChange): string | null {
  if (!c.related.length) return null;
  const labels = c.related.map((u) => u.label).join('・');
  if (c.kind === 'added' || c.kind === 'removed') return msg(o, 'diff:holds', { labels });
  return null;
}

/** Counts for the summary, weakenings first; only those that are not zero (weakened always). */
export function summaryCounts(o: Pick<FormatOptions, 'locale'>, r: RevisionReport): { key: string; text: string; count: number }[] {
  const s = r.summary;
  const items: [string, number, Record<string, number>?][] = [
    ['weakened', s.weakened],
    ['strengthened', s.strengthened],
    ['added', s.added],
    ['removed', s.removed],
    ['renumbered', s.renumbered, { runs: s.renumberRuns }],
    ['changed', s.changed],
    ['moved', s.moved],
    ['split', s.split],
    ['merged', s.merged],
    ['neutral', s.neutral],
  ];
  return items
    .filter(([k, n]) => n > 0 || k === 'weakened')
    .map(([k, n, extra]) => ({ key: k, count: n, text: msg(o, `diff:count-${k}`, { count: n, ...(extra ?? {}) }) }));
}

export function runText(o: Pick<FormatOptions, 'locale'>, run: RenumberRun): string {
  const first = run.units[0];
  const last = run.units[run.units.length - 1];
  const range = (a: UnitRef, b: UnitRef): string => (a === b ? a.label : `${a.label}–${shortLabel(a.label, b.label)}`);
  return msg(o, 'diff:renumber-run', {
    from: range(first.old, last.old),
    to: range(first.new, last.new),
    count: run.units.length,
  });
}

/** 第2条第3項第5号 after 第2条第3項第4号 → 第5号: the part after the common prefix of units. */
export function shortLabel(first: string, last: string): string {
  const parts = (s: string): string[] => s.match(/第[^第]+|[^第]+/g) ?? [s];
  const a = parts(first);
  const b = parts(last);
  let i = 0;
  while (i < a.length - 1 && i < b.length - 1 && a[i] === b[i]) i++;
  return b.slice(i).join('');
}

/** The weakened wording changes, in report order, with their change. */
export function weakenings(r: RevisionReport): { change: UnitChange; word: WordChange }[] {
  const byId = new Map(r.changes.map((c) => [c.id, c]));
  return r.weakenings.flatMap((w) => {
    const c = byId.get(w.change);
    return c ? [{ change: c, word: c.wording[w.index] }] : [];
  });
}

/**
 * The segments shortened for a terminal: unchanged stretches longer than 2×context are cut
 * down to `context` characters on each side of a change.
 */
export function excerpt(segments: Segment[], context = 24): Segment[] {
  const out: Segment[] = [];
  segments.forEach((s, i) => {
    if (s.changed) return void out.push(s);
    const first = i === 0;
    const last = i === segments.length - 1;
    const t = s.text;
    if (first && t.length > context) out.push({ text: '…' + t.slice(t.length - context), changed: false });
    else if (last && t.length > context) out.push({ text: t.slice(0, context) + '…', changed: false });
    else if (!first && !last && t.length > context * 2) out.push({ text: t.slice(0, context) + '…' + t.slice(t.length - context), changed: false });
    else out.push(s);
  });
  return out;
}

export function verdict(o: Pick<FormatOptions, 'locale'>, r: RevisionReport): string {
  return msg(o, r.summary.equivalent ? 'diff:equivalent' : 'diff:substantive');
}
