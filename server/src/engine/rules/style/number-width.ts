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

/**
 * Digit runs of the text outside the ignored spans and outside Latin identifiers. One pass over the
 * character codes (the rule reads the whole document on every lint: no regular expression, no
 * match objects).
 */
export function digitRuns(text: string, ignore: readonly Span[] = []): DigitRun[] {
  const out: DigitRun[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (!isDigit(c)) {
      i++;
      continue;
    }
    const start = i;
    let half = false;
    let full = false;
    for (; i < n; i++) {
      const d = text.charCodeAt(i);
      if (d >= 48 && d <= 57) half = true;
      else if (d >= 0xff10 && d <= 0xff19) full = true;
      else break;
    }
    const end = i;
    if (ignore.length > 0 && ignore.some((s) => start < s.end && end > s.start)) continue;
    if (inIdentifier(text, start, end)) continue;
    out.push({ start, end, text: text.slice(start, end), width: half && full ? 'mixed' : half ? 'half' : 'full' });
  }
  return out;
}

/** 0-9 and ０-９. */
function isDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 0xff10 && c <= 0xff19);
}

/** A-Z a-z Ａ-Ｚ ａ-ｚ. */
function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xff21 && c <= 0xff3a) || (c >= 0xff41 && c <= 0xff5a);
}

/** A character of a Latin identifier: letters, digits (both widths) and / _ - . : */
function isIdentChar(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === 0x2f || c === 0x5f || c === 0x2d || c === 0x2e || c === 0x3a;
}

/** True when the run is part of a Latin identifier: ISO/IEC27001, USB3.0, Wi-Fi 6, PC-9801. */
function inIdentifier(text: string, start: number, end: number): boolean {
  let s = start;
  while (s > 0 && isIdentChar(text.charCodeAt(s - 1))) s--;
  let e = end;
  while (e < text.length && isIdentChar(text.charCodeAt(e))) e++;
  for (let k = s; k < e; k++) if (isLetter(text.charCodeAt(k))) return true;
  // 「Wi-Fi 6」: a Latin word, one space, the number
  return s === start && start >= 2 && text.charCodeAt(start - 1) === 0x20 && isLetter(text.charCodeAt(start - 2));
}
