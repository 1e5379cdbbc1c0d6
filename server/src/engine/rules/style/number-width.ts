/**
 * style/number-width — full-width (１２) and half-width (12) arabic digits mixed within one document
 * (drafting-rules §6: 「do not mix full-width and half-width in numbering or figures within one
 * document」). Information level.
 *
 * Digit runs fall into three groups, each of which should use one width:
 *  - numbering: the numbers of articles, paragraphs, items and annex sections (第１, ２, 第 10 …);
 *  - numbering in parentheses: (1) / （１） — commonly set apart from bare numbers, so a document
 *    writing 「１ 趣旨」 over 「(1) 管理」 consistently is not reported;
 *  - figures: every other digit run in the text (60分, 平成17年, references such as 第２条).
 * In each group the width most runs use wins (a tie goes to the width of the document's numbering,
 * else to half-width). A group that mixes is reported ONCE, at its first run in the other width,
 * listing the other runs as related locations; the safe fix rewrites all of them. A run that itself
 * mixes widths (「１0」) is reported on its own. Digits inside Latin identifiers (ISO/IEC27001,
 * USB3.0, Wi-Fi 6) are not figures, nor is the signature block (addresses). Kanji numerals have no width.
 */
import { toFullWidthDigits, toHalfWidthDigits } from '../../text/numerals';
import type { TextEdit } from '../../findings';
import type { Span, Unit } from '../../model/types';
import type { Rule, RuleContext } from '../types';

type Width = 'half' | 'full' | 'mixed';
type Group = 'numbering' | 'paren' | 'figures';

export interface DigitRun {
  start: number;
  end: number;
  text: string;
  width: Width;
}

const IDENT_CHAR = /[A-Za-z0-9Ａ-Ｚａ-ｚ０-９/_\-.:]/;
const LETTER = /[A-Za-zＡ-Ｚａ-ｚ]/;

export const numberWidthRule: Rule = {
  id: 'style/number-width',
  meta: {
    category: 'style',
    defaultLevel: 'information',
    needs: {},
    fixable: true,
    messages: [
      'numbering-to-half',
      'numbering-to-full',
      'figures-to-half',
      'figures-to-full',
      'mixed-run',
      'other-run',
      'fix-half',
      'fix-full',
    ],
  },
  check(ctx) {
    const text = ctx.doc.text;
    // the signature block (addresses, registration numbers) is not the contract's text
    const ignore = [...ctx.analysis.directives.spans, ...ctx.doc.free.filter((f) => f.role === 'signature').map((f) => f.block.span)];
    const runs = digitRuns(text, ignore);
    if (runs.length === 0) return;
    const numberSpans: Array<{ span: Span; paren: boolean }> = [];
    const visit = (u: Unit): void => {
      if (u.number) numberSpans.push({ span: u.number.span, paren: /^paren/.test(u.number.style) || /[(（]/.test(u.number.raw) });
      for (const c of u.children) visit(c);
    };
    for (const u of ctx.doc.units) visit(u);
    numberSpans.sort((a, b) => a.span.start - b.span.start);
    const groups: Record<Group, DigitRun[]> = { numbering: [], paren: [], figures: [] };
    for (const r of runs) {
      const n = numberSpanAround(numberSpans, r);
      groups[n ? (n.paren ? 'paren' : 'numbering') : 'figures'].push(r);
    }
    const numberingWidth = majority(groups.numbering, ctx.doc.conventions.digits === 'full' ? 'full' : 'half');
    for (const g of ['numbering', 'paren', 'figures'] as const) {
      reportGroup(ctx, g, groups[g], g === 'numbering' ? numberingWidth : majority(groups[g], numberingWidth));
    }
  },
};

/**
 * The number span holding the run, if any: the last span starting at or before it (spans are
 * sorted by start), when the run ends inside it. Number spans do not nest, so no other can hold it.
 */
function numberSpanAround<T extends { span: Span }>(spans: readonly T[], r: { start: number; end: number }): T | undefined {
  let lo = 0;
  let hi = spans.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid].span.start <= r.start) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  // spans starting at the same offset: any of them may hold the run
  for (let k = found; k >= 0 && spans[k].span.start === spans[found].span.start; k--) {
    if (r.end <= spans[k].span.end) return spans[k];
  }
  return undefined;
}

function majority(runs: DigitRun[], tie: 'half' | 'full'): 'half' | 'full' {
  const half = runs.filter((r) => r.width === 'half').length;
  const full = runs.filter((r) => r.width === 'full').length;
  return half > full ? 'half' : full > half ? 'full' : tie;
}

function reportGroup(ctx: RuleContext, group: Group, runs: DigitRun[], expected: 'half' | 'full'): void {
  const convert = expected === 'half' ? toHalfWidthDigits : toFullWidthDigits;
  const fixTitle = expected === 'half' ? 'fix-half' : 'fix-full';
  const half = runs.filter((r) => r.width === 'half').length;
  const full = runs.filter((r) => r.width === 'full').length;
  // runs mixing widths inside one number: always, on their own
  for (const r of runs) {
    if (r.width !== 'mixed') continue;
    const fixed = convert(r.text);
    ctx.report({
      messageId: 'mixed-run',
      data: { found: r.text, expected: fixed },
      span: { start: r.start, end: r.end },
      fixes: [{ titleId: fixTitle, data: { found: r.text, expected: fixed, count: 1 }, edits: [edit(r, fixed)], safe: true }],
    });
  }
  const other = runs.filter((r) => r.width !== expected && r.width !== 'mixed');
  if (other.length === 0) return;
  const first = other[0];
  const edits: TextEdit[] = other.map((r) => edit(r, convert(r.text)));
  const kind = group === 'figures' ? 'figures' : 'numbering';
  ctx.report({
    messageId: `${kind}-to-${expected}`,
    data: { found: first.text, expected: convert(first.text), count: other.length, half, full },
    span: { start: first.start, end: first.end },
    related: other.slice(1).map((r) => ({ span: { start: r.start, end: r.end }, messageId: 'other-run', data: { found: r.text } })),
    fixes: [{ titleId: fixTitle, data: { found: first.text, expected: convert(first.text), count: other.length }, edits, safe: true }],
  });
}

function edit(r: DigitRun, newText: string): TextEdit {
  return { span: { start: r.start, end: r.end }, newText };
}

/** Digit runs of the text outside the ignored spans and outside Latin identifiers. */
export function digitRuns(text: string, ignore: readonly Span[] = []): DigitRun[] {
  const out: DigitRun[] = [];
  const re = /[0-9０-９]+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (ignore.some((s) => start < s.end && end > s.start)) continue;
    if (inIdentifier(text, start, end)) continue;
    const hasHalf = /[0-9]/.test(m[0]);
    const hasFull = /[０-９]/.test(m[0]);
    out.push({ start, end, text: m[0], width: hasHalf && hasFull ? 'mixed' : hasHalf ? 'half' : 'full' });
  }
  return out;
}

/** True when the run is part of a Latin identifier: ISO/IEC27001, USB3.0, Wi-Fi 6, PC-9801. */
function inIdentifier(text: string, start: number, end: number): boolean {
  let s = start;
  while (s > 0 && IDENT_CHAR.test(text[s - 1])) s--;
  let e = end;
  while (e < text.length && IDENT_CHAR.test(text[e])) e++;
  if (LETTER.test(text.slice(s, e))) return true;
  // 「Wi-Fi 6」: a Latin word, one space, the number
  if (s === start && start >= 2 && text[start - 1] === ' ' && LETTER.test(text[start - 2])) return true;
  return false;
}
