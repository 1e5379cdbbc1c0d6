/**
 * The HTML revision report: one self-contained file a reviewer can attach to an email — inline
 * CSS, no external resources, no script needed. The VS Code report view reuses it with a small
 * script of its own (`script`, allowed by the webview's nonce) to open both places.
 */
import type { RevisionReport, Segment, UnitChange, UnitRef, WordChange } from '../types';
import { changeTitle, groupUnits, msg, relatedNote, runText, summaryCounts, verdict, weakenings, wordMessage, type FormatOptions } from './common';

export interface HtmlOptions extends FormatOptions {
  /** Extra inline script (the VS Code webview's link handler) and the nonce allowing it. */
  script?: { nonce: string; code: string };
  /** Content-Security-Policy of the page; default: nothing from outside, no script. */
  csp?: string;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] as string);
}

const CSS = `
:root { --fg:#1f2328; --muted:#59636e; --bg:#ffffff; --card:#f6f8fa; --line:#d1d9e0;
  --weak:#b42318; --weak-bg:#fef3f2; --strong:#067647; --strong-bg:#ecfdf3; --neutral:#475467; --neutral-bg:#f2f4f7;
  --del-bg:#ffebe9; --del-fg:#a40e26; --ins-bg:#dafbe1; --ins-fg:#116329; --accent:#0969da; }
@media (prefers-color-scheme: dark) { :root { --fg:#e6edf3; --muted:#9198a1; --bg:#0d1117; --card:#151b23; --line:#3d444d;
  --weak:#ff8182; --weak-bg:#3c1618; --strong:#56d364; --strong-bg:#12261e; --neutral:#b7bdc8; --neutral-bg:#212830;
  --del-bg:#4c1d22; --del-fg:#ffb1af; --ins-bg:#1b3a26; --ins-fg:#aff5b4; --accent:#4493f8; } }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 48px; background: var(--bg); color: var(--fg);
  font: 15px/1.75 "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Yu Gothic UI", "Yu Gothic", Meiryo, system-ui, sans-serif; }
main { max-width: 1100px; margin: 0 auto; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
.files { color: var(--muted); margin: 0 0 14px; }
.files b { color: var(--fg); font-weight: 600; }
.verdict { display: inline-block; padding: 4px 12px; border-radius: 6px; font-weight: 600; margin-bottom: 10px; }
.verdict.eq { background: var(--strong-bg); color: var(--strong); }
.verdict.sub { background: var(--weak-bg); color: var(--weak); }
.counts { display: flex; flex-wrap: wrap; gap: 8px; margin: 4px 0 0; padding: 0; list-style: none; }
.counts li { padding: 2px 10px; border-radius: 999px; background: var(--neutral-bg); color: var(--neutral); font-size: 14px; }
.counts li.weakened.some { background: var(--weak); color: #fff; font-weight: 700; }
.counts li.strengthened { background: var(--strong-bg); color: var(--strong); }
ul.plain { margin: 0; padding-left: 20px; }
ul.plain li { margin: 2px 0; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
.card { border: 1px solid var(--line); border-radius: 8px; margin: 14px 0; overflow: hidden; background: var(--bg); }
.card > header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 10px; padding: 8px 14px; background: var(--card); border-bottom: 1px solid var(--line); }
.card.weakened > header, .card.mixed > header { box-shadow: inset 4px 0 0 var(--weak); }
.card.strengthened > header { box-shadow: inset 4px 0 0 var(--strong); }
.kind { font-size: 12px; font-weight: 700; padding: 1px 8px; border-radius: 4px; background: var(--neutral-bg); color: var(--neutral); }
.kind.added { background: var(--ins-bg); color: var(--ins-fg); }
.kind.removed { background: var(--del-bg); color: var(--del-fg); }
.title { font-weight: 700; font-size: 16px; }
.places { margin-left: auto; font-size: 13px; color: var(--muted); }
.places a + a, .places span + span { margin-left: 10px; }
.body { padding: 10px 14px 12px; }
.note { color: var(--muted); font-size: 14px; margin: 0 0 6px; }
ul.words { list-style: none; margin: 0 0 8px; padding: 0; }
ul.words li { margin: 3px 0; }
.dir { display: inline-block; min-width: 3.2em; text-align: center; font-size: 12px; font-weight: 700; padding: 0 6px; border-radius: 4px; margin-right: 6px; }
.dir.weakened { background: var(--weak); color: #fff; }
.dir.strengthened { background: var(--strong); color: #fff; }
.dir.neutral { background: var(--neutral-bg); color: var(--neutral); }
.scale { font-size: 12px; color: var(--muted); margin-right: 6px; }
.texts { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; }
@media (max-width: 720px) { .texts { grid-template-columns: 1fr; } }
.text { border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; background: var(--card); white-space: pre-wrap; word-break: break-all; }
.text .side { display: block; font-size: 12px; color: var(--muted); }
.text.whole + .text.whole { margin-top: 8px; }
.text.whole.added { border-left: 4px solid var(--ins-fg); }
.text.whole.removed { border-left: 4px solid var(--del-fg); color: var(--muted); }
del { background: var(--del-bg); color: var(--del-fg); text-decoration: line-through; border-radius: 3px; padding: 0 1px; }
ins { background: var(--ins-bg); color: var(--ins-fg); text-decoration: none; border-bottom: 2px solid var(--ins-fg); border-radius: 3px; padding: 0 1px; }
table.runs { border-collapse: collapse; }
table.runs td { padding: 2px 12px 2px 0; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
`;

function segs(s: Segment[], tag: 'del' | 'ins'): string {
  return s.map((x) => (x.changed ? `<${tag}>${escapeHtml(x.text)}</${tag}>` : escapeHtml(x.text))).join('');
}

function placeLink(o: HtmlOptions, u: UnitRef, side: 'old' | 'new'): string {
  const text = escapeHtml(`${msg(o, side === 'old' ? 'diff:old-text' : 'diff:new-text')} ${u.label} · ${msg(o, 'diff:lines', { line: u.line })}`);
  const href = (side === 'old' ? o.oldLink : o.newLink)?.(u.line);
  return href
    ? `<a href="${escapeHtml(href)}" data-side="${side}" data-line="${u.line}" data-end="${u.endLine}">${text}</a>`
    : `<span>${text}</span>`;
}

function word(o: HtmlOptions, w: WordChange): string {
  return (
    `<li><span class="dir ${w.direction}">${escapeHtml(msg(o, `diff:direction-${w.direction}`))}</span>` +
    `<span class="scale">${escapeHtml(msg(o, `diff:scale-${w.scale}`))}</span>${escapeHtml(wordMessage(o, w))}</li>`
  );
}

function card(o: HtmlOptions, c: UnitChange): string {
  const g = groupUnits(c);
  const places = [...g.old.map((u) => placeLink(o, u, 'old')), ...g.new.map((u) => placeLink(o, u, 'new'))].join('');
  const dir = c.direction ? ` <span class="dir ${c.direction === 'mixed' ? 'weakened' : c.direction}">${escapeHtml(msg(o, `diff:direction-${c.direction}`))}</span>` : '';
  const parts: string[] = [];
  const note = relatedNote(o, c);
  if (note) parts.push(`<p class="note">${escapeHtml(note)}</p>`);
  if (c.wording.length) parts.push(`<ul class="words">${c.wording.map((w) => word(o, w)).join('')}</ul>`);
  if (c.oldSegments && c.newSegments && (c.oldSegments.length || c.newSegments.length)) {
    parts.push(
      `<div class="texts"><div class="text"><span class="side">${escapeHtml(msg(o, 'diff:old-text'))}</span>${segs(c.oldSegments, 'del')}</div>` +
        `<div class="text"><span class="side">${escapeHtml(msg(o, 'diff:new-text'))}</span>${segs(c.newSegments, 'ins')}</div></div>`,
    );
  } else if (c.kind === 'added' || c.kind === 'removed') {
    // A chapter: each of its articles with its heading; a unit: its text, paragraph by paragraph.
    const units = c.related.length ? c.related : [(c.new ?? c.old) as UnitRef];
    for (const u of units) {
      const head = c.related.length ? `<span class="side">${escapeHtml(u.heading ? `${u.label}（${u.heading}）` : u.label)}</span>` : '';
      if (u.text || head) parts.push(`<div class="text whole ${c.kind}">${head}${escapeHtml(u.text)}</div>`);
    }
  }
  return (
    `<section class="card ${c.direction ?? c.kind}" id="${c.id}"><header>` +
    `<span class="kind ${c.kind}">${escapeHtml(msg(o, `diff:kind-${c.kind}`))}</span>` +
    `<span class="title">${escapeHtml(changeTitle(o, c))}</span>${dir}<span class="places">${places}</span></header>` +
    (parts.length ? `<div class="body">${parts.join('')}</div>` : '') +
    `</section>`
  );
}

export function formatRevisionHtml(r: RevisionReport, o: HtmlOptions): string {
  const title = `${msg(o, 'diff:title')}: ${r.old.name} → ${r.new.name}`;
  const csp = o.csp ?? "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
  const body: string[] = [];
  body.push(`<h1>${escapeHtml(msg(o, 'diff:title'))}</h1>`);
  body.push(
    `<p class="files"><b>${escapeHtml(msg(o, 'diff:old'))}</b> ${escapeHtml(r.old.name)} → <b>${escapeHtml(msg(o, 'diff:new'))}</b> ${escapeHtml(r.new.name)}</p>`,
  );
  if (r.error) {
    body.push(`<p class="verdict sub">${escapeHtml(msg(o, r.error.key, r.error.data))}</p>`);
  } else {
    body.push(`<div class="verdict ${r.summary.equivalent ? 'eq' : 'sub'}">${escapeHtml(verdict(o, r))}</div>`);
    body.push(
      `<ul class="counts">${summaryCounts(o, r)
        .map((x) => `<li class="${x.key}${x.count > 0 ? ' some' : ''}">${escapeHtml(x.text)}</li>`)
        .join('')}</ul>`,
    );
    const weak = weakenings(r);
    if (weak.length) {
      body.push(`<h2>${escapeHtml(msg(o, 'diff:section-weakenings'))}</h2><ul class="plain">`);
      for (const { change, word: w } of weak) {
        body.push(`<li><a href="#${change.id}">${escapeHtml(changeTitle(o, change))}</a>: ${escapeHtml(wordMessage(o, w))}</li>`);
      }
      body.push('</ul>');
    }
    if (r.renumbering.length) {
      body.push(`<h2>${escapeHtml(msg(o, 'diff:section-renumbering'))}</h2><ul class="plain">`);
      for (const run of r.renumbering) body.push(`<li>${escapeHtml(runText(o, run))}</li>`);
      body.push('</ul>');
    }
    if (r.changes.length) {
      body.push(`<h2>${escapeHtml(msg(o, 'diff:section-changes'))}</h2>`);
      for (const c of r.changes) body.push(card(o, c));
    }
  }
  body.push(`<footer>keiyaku-lint · ${escapeHtml(msg(o, 'diff:elapsed', { ms: Math.round(r.elapsedMs) }))}</footer>`);
  const script = o.script ? `<script nonce="${escapeHtml(o.script.nonce)}">${o.script.code}</script>` : '';
  return (
    `<!DOCTYPE html>\n<html lang="${o.locale}">\n<head>\n<meta charset="utf-8">\n` +
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">\n` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>${escapeHtml(title)}</title>\n` +
    `<style>${CSS}</style>\n</head>\n<body>\n<main>\n${body.join('\n')}\n</main>\n${script}\n</body>\n</html>\n`
  );
}
