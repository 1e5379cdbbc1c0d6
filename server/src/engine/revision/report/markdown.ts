/**
 * The Markdown revision report (CLI --format markdown, and the VS Code report document):
 * summary, weakenings linked to their change, renumbering once, each change with links to both
 * places, its classified changes and the old and new text with ~~removed~~ and **added** words.
 */
import type { RevisionReport, Segment, UnitChange, UnitRef } from '../types';
import { changeTitle, groupUnits, msg, relatedNote, runText, summaryCounts, verdict, weakenings, wordMessage, type FormatOptions } from './common';

/** Escapes what Markdown would read as markup in contract text. */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_~[\]<>|#]/g, (ch) => `\\${ch}`).replace(/\r?\n/g, ' ');
}

function marked(segs: Segment[], how: 'del' | 'ins'): string {
  return segs
    .map((s) => {
      const t = escapeMarkdown(s.text);
      if (!s.changed || !t.trim()) return t;
      return how === 'del' ? `~~${t}~~` : `**${t}**`;
    })
    .join('');
}

const DIRECTION_MARK: Record<string, string> = { weakened: '⚠️', strengthened: '⬆️', neutral: '•', mixed: '⚠️' };

function place(o: FormatOptions, u: UnitRef, side: 'old' | 'new'): string {
  const text = `${msg(o, side === 'old' ? 'diff:old-text' : 'diff:new-text')} ${msg(o, 'diff:lines', { line: u.line })}`;
  const href = (side === 'old' ? o.oldLink : o.newLink)?.(u.line);
  return href ? `[${text}](${href.replace(/[()\s]/g, encodeURIComponent)})` : text;
}

export function formatRevisionMarkdown(r: RevisionReport, o: FormatOptions): string {
  const out: string[] = [];
  out.push(`# ${msg(o, 'diff:title')}`, '');
  out.push(`**${msg(o, 'diff:old')}** \`${r.old.name}\` → **${msg(o, 'diff:new')}** \`${r.new.name}\``, '');
  if (r.error) {
    out.push(`> ${escapeMarkdown(msg(o, r.error.key, r.error.data))}`, '');
    return out.join('\n');
  }
  out.push(`> ${verdict(o, r)}`, '');
  out.push(summaryCounts(o, r).map((x) => (x.key === 'weakened' && x.count > 0 ? `**${x.text}**` : x.text)).join(' · '), '');

  const weak = weakenings(r);
  if (weak.length) {
    out.push(`## ${msg(o, 'diff:section-weakenings')}`, '');
    for (const { change, word } of weak) {
      out.push(`- [${escapeMarkdown(changeTitle(o, change))}](#${change.id}): ${escapeMarkdown(wordMessage(o, word))}`);
    }
    out.push('');
  }
  if (r.renumbering.length) {
    out.push(`## ${msg(o, 'diff:section-renumbering')}`, '');
    for (const run of r.renumbering) out.push(`- ${escapeMarkdown(runText(o, run))}`);
    out.push('');
  }
  if (r.changes.length) {
    out.push(`## ${msg(o, 'diff:section-changes')}`, '');
    for (const c of r.changes) out.push(...change(c, o), '');
  }
  out.push(`<sub>keiyaku-lint · ${escapeMarkdown(msg(o, 'diff:elapsed', { ms: Math.round(r.elapsedMs) }))}</sub>`, '');
  return out.join('\n');
}

function change(c: UnitChange, o: FormatOptions): string[] {
  const out: string[] = [];
  const dir = c.direction ? ` ${DIRECTION_MARK[c.direction]} ${msg(o, `diff:direction-${c.direction}`)}` : '';
  out.push(`### <a id="${c.id}"></a>${msg(o, `diff:kind-${c.kind}`)}: ${escapeMarkdown(changeTitle(o, c))}${dir}`, '');
  const g = groupUnits(c);
  const places = [...g.old.map((u) => place(o, u, 'old')), ...g.new.map((u) => place(o, u, 'new'))];
  out.push(places.join(' · '), '');
  const note = relatedNote(o, c);
  if (note) out.push(escapeMarkdown(note), '');
  for (const w of c.wording) {
    out.push(`- ${DIRECTION_MARK[w.direction]} **${msg(o, `diff:scale-${w.scale}`)}** (${msg(o, `diff:direction-${w.direction}`)}): ${escapeMarkdown(wordMessage(o, w))}`);
  }
  if (c.wording.length) out.push('');
  if (c.oldSegments && c.newSegments && (c.oldSegments.length || c.newSegments.length)) {
    out.push(`> ${msg(o, 'diff:old-text')}: ${marked(c.oldSegments, 'del')}`, '>');
    out.push(`> ${msg(o, 'diff:new-text')}: ${marked(c.newSegments, 'ins')}`);
  } else if (c.kind === 'added' || c.kind === 'removed') {
    const units = c.related.length ? c.related : [(c.new ?? c.old) as UnitRef];
    const quote = units.flatMap((u) => [
      ...(c.related.length ? [`**${escapeMarkdown(u.heading ? `${u.label}（${u.heading}）` : u.label)}**`] : []),
      ...u.text.split('\n').map(escapeMarkdown),
    ]);
    if (quote.length) out.push(quote.map((l) => `> ${l}`).join('\n>\n'));
  }
  return out;
}
