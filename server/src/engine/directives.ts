/**
 * In-document directives, written on a line of their own (optionally after a comment marker
 * such as #, //, <!-- or ※):
 *   keiyaku-lint: template=tokki            choose the template for this document
 *   keiyaku-lint-disable-next-line RULE[, RULE…]   ignore findings of RULE on the next line
 *   keiyaku-lint-disable-line RULE[, RULE…]        (at the end of a line) ignore them on this line
 *   keiyaku-lint-disable RULE[, RULE…]             ignore them in the whole document
 * Without RULE, every rule is meant. The CLI and the language server honour them alike.
 */
import type { Span } from './model/types';
import { LineIndex } from './text/lines';

export interface Directives {
  template?: string;
  templateSpan?: Span;
  /** 0-based line → rule ids ignored there ('*' for all). */
  disabledLines: Map<number, Set<string>>;
  disabledAll: Set<string>;
  /** Spans of the directive lines (excluded from structural parsing). */
  spans: Span[];
}

const TEMPLATE_RE = /keiyaku-lint:\s*template\s*=\s*([\w./-]+)/;
const DISABLE_RE = /keiyaku-lint-disable(-next-line|-line)?(?:\s+([\w/,\s-]+?))?\s*(?:-->)?\s*$/;

export function readDirectives(text: string, lines: LineIndex): Directives {
  const d: Directives = { disabledLines: new Map(), disabledAll: new Set(), spans: [] };
  if (!text.includes('keiyaku-lint')) return d;
  for (let line = 0; line < lines.lineCount; line++) {
    const s = lines.lineText(line);
    if (!s.includes('keiyaku-lint')) continue;
    const start = lines.starts[line];
    const t = TEMPLATE_RE.exec(s);
    if (t) {
      d.template = t[1];
      d.templateSpan = { start: start + t.index, end: start + t.index + t[0].length };
      d.spans.push({ start, end: lines.lineEnd(line) });
      continue;
    }
    const m = DISABLE_RE.exec(s);
    if (!m) continue;
    const rules = (m[2] ?? '')
      .split(/[,\s]+/)
      .map((r) => r.trim())
      .filter(Boolean);
    const set = new Set(rules.length ? rules : ['*']);
    if (m[1] === '-next-line') add(d.disabledLines, line + 1, set);
    else if (m[1] === '-line') add(d.disabledLines, line, set);
    else for (const r of set) d.disabledAll.add(r);
    if (m[1] !== '-line') d.spans.push({ start, end: lines.lineEnd(line) });
  }
  return d;
}

function add(map: Map<number, Set<string>>, line: number, rules: Set<string>): void {
  const cur = map.get(line) ?? new Set<string>();
  for (const r of rules) cur.add(r);
  map.set(line, cur);
}

export function isDisabled(d: Directives, ruleId: string, line: number): boolean {
  if (d.disabledAll.has('*') || d.disabledAll.has(ruleId)) return true;
  const s = d.disabledLines.get(line);
  return !!s && (s.has('*') || s.has(ruleId));
}
