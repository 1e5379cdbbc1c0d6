/**
 * numbering — gaps, duplicates and order of article, paragraph, item and annex-section numbers.
 * Branch numbers (第3条の2) are accepted after their base article. The fix writes the expected
 * number in the draft's own style; it is not "safe" (references may need renumbering too, which
 * the renumber command does for the whole document).
 */
import { inFilledForm } from '../../clause/stage';
import { formatNumeral } from '../../text/numerals';
import type { NumberStyle, Unit, UnitNumber } from '../../model/types';
import type { Rule, RuleContext } from '../types';

export const numberingRule: Rule = {
  id: 'numbering',
  meta: {
    category: 'structure',
    defaultLevel: 'warning',
    needs: {},
    fixable: true,
    messages: ['gap', 'duplicate', 'order', 'first', 'fix-number'],
  },
  check(ctx) {
    checkSequence(ctx, ctx.doc.articles);
    for (const a of ctx.doc.articles) walk(ctx, a);
    for (const an of ctx.doc.annexes) walk(ctx, an);
  },
};

function walk(ctx: RuleContext, u: Unit): void {
  // most units (paragraphs, items) have no children: nothing to number, nothing to allocate
  if (u.children.length === 0) return;
  // a filled-in 届出書 repeats ア–ウ for each service: its answers are not numbered provisions
  if (inFilledForm(ctx.analysis, u.span.start)) return;
  // Number each kind of child separately; unnumbered groups (【注記事項】) are skipped.
  const kind = u.children[0].kind;
  if (u.children.every((c) => c.kind === kind)) checkSequence(ctx, u.children);
  else {
    const groups = new Map<string, Unit[]>();
    for (const c of u.children) {
      let g = groups.get(c.kind);
      if (!g) groups.set(c.kind, (g = []));
      g.push(c);
    }
    for (const list of groups.values()) checkSequence(ctx, list);
  }
  for (const c of u.children) walk(ctx, c);
}

/**
 * Expects 1, 2, 3… (paragraphs: an implicit first paragraph counts as 1). A branch number
 * (N の M) must follow N or N の (M−1).
 */
function checkSequence(ctx: RuleContext, list: Unit[]): void {
  let prev: number[] | null = null;
  const seen = new Set<string>();
  // every number the list uses: a fix must not give a unit the number another one has (made when a fix is)
  let used: Set<string> | undefined;
  const isUsed = (key: string): boolean =>
    (used ??= new Set(list.map((u) => u.number?.value.join('-')).filter((k): k is string => k !== undefined))).has(key);
  for (const u of list) {
    const num = u.number;
    if (!num) {
      if (u.kind === 'paragraph' && prev === null) prev = [1];
      continue;
    }
    if (num.value.length === 0 || num.value.some((v) => !Number.isFinite(v))) continue;
    const key = num.value.join('-');
    if (seen.has(key)) {
      ctx.report({
        messageId: 'duplicate',
        data: { number: num.raw },
        span: num.span,
      });
      prev = num.value;
      continue;
    }
    seen.add(key);
    const expected = nextOf(prev);
    const ok = isValidSuccessor(prev, num.value);
    if (!ok) {
      const isOrder = prev !== null && compare(num.value, prev) < 0;
      const messageId = prev === null ? 'first' : isOrder ? 'order' : 'gap';
      ctx.report({
        messageId,
        data: { number: num.raw, expected: render(expected, num) },
        span: num.span,
        // no fix when the expected number is taken: renumbering would make a duplicate
        fixes:
          isOrder || isUsed(expected.join('-'))
            ? undefined
            : [
                {
                  titleId: 'fix-number',
                  data: { expected: render(expected, num) },
                  edits: [{ span: num.span, newText: render(expected, num) }],
                  safe: false,
                },
              ],
      });
    }
    prev = num.value;
  }
}

function nextOf(prev: number[] | null): number[] {
  if (!prev) return [1];
  return [prev[0] + 1];
}

function isValidSuccessor(prev: number[] | null, cur: number[]): boolean {
  if (!prev) return cur.length === 1 && cur[0] === 1;
  if (cur.length === 1) return cur[0] === prev[0] + 1;
  // branch: N の M after N (M = 2) or after N の (M − 1); deeper branches likewise
  const base = cur.slice(0, -1);
  const last = cur[cur.length - 1];
  if (last === 2 && equal(prev, base)) return true;
  if (prev.length === cur.length && equal(prev.slice(0, -1), base) && prev[prev.length - 1] + 1 === last) return true;
  return false;
}

function equal(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The expected number written the way the draft wrote this one (第 10 / 第10条 / ２ / (1) / ア). */
function render(value: number[], num: UnitNumber): string {
  const n = value[0];
  const raw = num.raw;
  const style: NumberStyle = num.style;
  if (raw.startsWith('第')) {
    const space = /^第[\s\u3000]/.test(raw) ? ' ' : '';
    const digits = formatNumeral(n, style === 'mixed' ? 'arabic-half' : style);
    return `第${space}${digits}${num.jo ? '条' : ''}`;
  }
  if (style === 'paren-half' || style === 'paren-full' || style === 'circled' || style === 'katakana' || style === 'iroha') {
    return formatNumeral(n, style);
  }
  return formatNumeral(n, style === 'mixed' ? 'arabic-half' : style);
}
