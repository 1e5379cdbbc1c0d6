/**
 * The terminal report of `keiyaku-lint diff`: summary first (weakenings first), the renumbering
 * once, then each changed unit with its classified changes and the old and new text around the
 * changed words ([-old-] {+new+} without colours, red and green with them).
 */
import type { RevisionReport, Segment, UnitChange } from '../types';
import { changeTitle, excerpt, msg, relatedNote, runText, summaryCounts, verdict, weakenings, wordMessage, type FormatOptions } from './common';

export interface StylishOptions extends FormatOptions {
  color: boolean;
}

const ANSI = {
  reset: '\x1b[0m',
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  red: '\x1b[31m',
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  cyan: '\x1b[36m',
  strike: '\x1b[9m',
  underline: '\x1b[4m',
};

export function formatRevisionStylish(r: RevisionReport, o: StylishOptions): string {
  const c = (code: string, s: string): string => (o.color ? `${code}${s}${ANSI.reset}` : s);
  const lines: string[] = [];
  lines.push(`${c(ANSI.bold, msg(o, 'diff:old'))} ${r.old.name} → ${c(ANSI.bold, msg(o, 'diff:new'))} ${r.new.name}`);
  if (r.error) {
    lines.push(msg(o, r.error.key, r.error.data));
    return lines.join('\n') + '\n';
  }
  const counts = summaryCounts(o, r)
    .map((x) => (x.key === 'weakened' && x.count > 0 ? c(ANSI.red + ANSI.bold, x.text) : x.key === 'strengthened' ? c(ANSI.green, x.text) : x.text))
    .join(' · ');
  lines.push(`${c(r.summary.equivalent ? ANSI.green : ANSI.yellow, verdict(o, r))} ${counts}`);

  const weak = weakenings(r);
  if (weak.length) {
    lines.push('', c(ANSI.bold + ANSI.red, msg(o, 'diff:section-weakenings')));
    for (const { change, word } of weak) {
      lines.push(`  ${c(ANSI.bold, changeTitle(o, change))}  ${c(ANSI.dim, lineOf(o, change))}`);
      lines.push(`    ${wordMessage(o, word)}`);
    }
  }
  if (r.renumbering.length) {
    lines.push('', c(ANSI.bold, msg(o, 'diff:section-renumbering')));
    for (const run of r.renumbering) lines.push(`  ${runText(o, run)}`);
  }
  if (r.changes.length) {
    lines.push('', c(ANSI.bold, msg(o, 'diff:section-changes')));
    for (const ch of r.changes) lines.push(...changeLines(ch, o, c));
  }
  lines.push('', c(ANSI.dim, msg(o, 'diff:elapsed', { ms: Math.round(r.elapsedMs) })));
  return lines.join('\n') + '\n';
}

function lineOf(o: FormatOptions, ch: UnitChange): string {
  const u = ch.new ?? ch.old;
  if (!u) return '';
  const side = ch.new ? msg(o, 'diff:new-text') : msg(o, 'diff:old-text');
  return `${side} ${msg(o, 'diff:lines', { line: u.line })}`;
}

function changeLines(ch: UnitChange, o: StylishOptions, c: (code: string, s: string) => string): string[] {
  const out: string[] = [];
  const kind = msg(o, `diff:kind-${ch.kind}`);
  const kindColor = ch.kind === 'added' ? ANSI.green : ch.kind === 'removed' ? ANSI.red : ANSI.cyan;
  const dir = ch.direction ? `  ${c(dirColor(ch.direction), msg(o, `diff:direction-${ch.direction}`))}` : '';
  out.push(`  ${c(kindColor, kind.padEnd(o.locale === 'ja' ? 4 : 9, o.locale === 'ja' ? '　' : ' '))} ${c(ANSI.bold, changeTitle(o, ch))}  ${c(ANSI.dim, lineOf(o, ch))}${dir}`);
  const note = relatedNote(o, ch);
  if (note) out.push(`      ${note}`);
  for (const w of ch.wording) {
    const scale = msg(o, `diff:scale-${w.scale}`);
    out.push(`      ${c(dirColor(w.direction), `[${scale}]`)} ${wordMessage(o, w)}`);
  }
  if (ch.oldSegments && ch.newSegments && ch.wording.some((w) => w.scale !== 'heading' && w.scale !== 'reference')) {
    out.push(`      ${c(ANSI.dim, msg(o, 'diff:old-text') + ':')} ${render(excerpt(ch.oldSegments), 'del', o.color)}`);
    out.push(`      ${c(ANSI.dim, msg(o, 'diff:new-text') + ':')} ${render(excerpt(ch.newSegments), 'ins', o.color)}`);
  } else if (ch.kind === 'added' || ch.kind === 'removed') {
    const u = (ch.new ?? ch.old)!;
    const flat = u.text.replace(/\n/g, ' ');
    const text = flat.length > 80 ? flat.slice(0, 80) + '…' : flat;
    if (text) out.push(`      ${c(ANSI.dim, text)}`);
  }
  return out;
}

function dirColor(d: string): string {
  return d === 'weakened' || d === 'mixed' ? ANSI.red : d === 'strengthened' ? ANSI.green : ANSI.yellow;
}

function render(segs: Segment[], how: 'del' | 'ins', color: boolean): string {
  return segs
    .map((s) => {
      if (!s.changed) return s.text;
      if (color) return how === 'del' ? `${ANSI.red}${ANSI.strike}${s.text}${ANSI.reset}` : `${ANSI.green}${ANSI.underline}${s.text}${ANSI.reset}`;
      return how === 'del' ? `[-${s.text}-]` : `{+${s.text}+}`;
    })
    .join('');
}
