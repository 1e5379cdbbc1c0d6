/**
 * The wording of one aligned pair of units, compared with the engine's comparer: token keys
 * (base forms, NFKC, parties as roles, reference numbers masked) so that reflow, digit width,
 * conjugation and renumbered references are not changes; each difference classified on the
 * scales of drafting-rules.md §1–§3 as weakened, strengthened or neutral.
 *
 * compareUnits only looks one way (what the draft lost against the canonical), so it runs twice:
 * A → B gives the weakenings (a deadline softened, a requirement dropped, an exception added);
 * B → A gives the strengthenings the first pass calls plain wording (a requirement added, an
 * exception or a hedge removed).
 */
import { compareTokens, compareUnits, hunksOf, matchTokens, type CToken, type Deviation, type Hunk, type Side } from '../align/compare';
import type { Span, TextBlock } from '../model/types';
import { blockSpan } from '../text/block';
import type { Tokenizer } from '../tokenizer/types';
import type { Parties } from '../templates';
import type { Direction, Scale, Segment, WordChange } from './types';

export interface WordingResult {
  changes: WordChange[];
  oldSegments: Segment[];
  newSegments: Segment[];
}

interface HunkInfo {
  hunk: Hunk;
  /** Logical ranges in each block. */
  a: { start: number; end: number };
  b: { start: number; end: number };
  /** Source spans (a zero-width place for an empty side). */
  aSrc: Span;
  bSrc: Span;
  /** Source spans before sliding: what the comparer's deviations point at. */
  rawASrc: Span;
  rawBSrc: Span;
  /**
   * For an empty side before sliding, the character before it, where the comparer puts its caret
   * (`caretSpan`): across a line break of the block, that character is not beside the place.
   */
  rawACaret: Span | null;
  rawBCaret: Span | null;
}

const URGENCY_OR_LIMIT =
  /直ちに|ただちに|即時に|即座に|速やかに|すみやかに|遅滞なく|早急に|迅速に|できる限り早く|できるだけ早く|すぐに|早期に|適宜|随時|適時|(分|時間|営業日|日|週間|か月|箇月|ヶ月|ケ月|カ月|年)\s*(以内|まで)/;

/** Compact whitespace-free NFKC form: equal forms need no tokenizing at all. */
export function compactForm(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, '');
}

function range(tokens: CToken[], from: number, to: number, fallbackAt: number): { start: number; end: number } {
  if (to > from) return { start: tokens[from].start, end: tokens[to - 1].end };
  const at = from < tokens.length ? tokens[from].start : tokens.length ? tokens[tokens.length - 1].end : fallbackAt;
  return { start: at, end: at };
}

function overlaps(s: Span, t: Span): boolean {
  // zero-width spans touch what begins or ends at their place
  if (s.start === s.end || t.start === t.end) return s.start <= t.end && t.start <= s.end;
  return s.start < t.end && t.start < s.end;
}

function segments(text: string, marks: { start: number; end: number }[]): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  // an empty mark (words deleted on the other side) cuts the unchanged text there: a shortened
  // excerpt (report/common.ts) then keeps the words on both sides of the place
  for (const m of [...marks].sort((x, y) => x.start - y.start || x.end - y.end)) {
    if (m.start < at) continue;
    if (m.start > at) out.push({ text: text.slice(at, m.start), changed: false });
    if (m.end > m.start) out.push({ text: text.slice(m.start, m.end), changed: true });
    at = m.end;
  }
  if (at < text.length) out.push({ text: text.slice(at), changed: false });
  return out;
}

/** Hunks this close (characters between them, on both sides) read as one change. */
const NEAR = 4;

interface Classified {
  scale: Scale;
  direction: Direction;
  messageId: string;
}

/** A deviation of the A → B pass on the report's scales. */
function classifyForward(d: Deviation): Classified {
  switch (d.type) {
    case 'weakened-deadline':
      return { scale: 'deadline', direction: 'weakened', messageId: `deadline-${d.messageId}` };
    case 'weakened-obligation':
      return { scale: 'obligation', direction: 'weakened', messageId: `obligation-${d.messageId}` };
    case 'dropped-requirement':
      return { scale: 'requirement', direction: 'weakened', messageId: d.messageId === 'list-member' ? 'requirement-list-member-dropped' : 'requirement-dropped' };
    case 'added-exception':
      return { scale: 'exception', direction: 'weakened', messageId: 'exception-added' };
    case 'changed-party':
      return { scale: 'party', direction: 'neutral', messageId: 'party-swapped' };
    case 'altered-text':
      if (d.messageId === 'strengthened') {
        const scale: Scale = URGENCY_OR_LIMIT.test(String(d.data.canonical ?? '')) ? 'deadline' : 'obligation';
        return { scale, direction: 'strengthened', messageId: `${scale}-strengthened` };
      }
      if (d.messageId === 'urgency-less-binding') return { scale: 'deadline', direction: 'neutral', messageId: 'deadline-less-binding' };
      return { scale: 'wording', direction: 'neutral', messageId: `text-${d.messageId === 'inserted' ? 'inserted' : d.messageId === 'removed' ? 'removed' : 'changed'}` };
  }
}

/** A deviation of the B → A pass that the forward pass cannot see: a strengthening. */
function classifyReverse(d: Deviation): Classified | null {
  if (d.type === 'dropped-requirement') return { scale: 'requirement', direction: 'strengthened', messageId: 'requirement-added' };
  if (d.type === 'added-exception') return { scale: 'exception', direction: 'strengthened', messageId: 'exception-removed' };
  if (d.type === 'weakened-obligation' && d.messageId === 'hedge') return { scale: 'obligation', direction: 'strengthened', messageId: 'hedge-removed' };
  return null;
}

/**
 * Slides each one-sided hunk (words only inserted or only removed) along runs of equal tokens
 * to where it reads best: ending with 。 (a whole sentence), starting after 。 or 、. The LCS
 * may cut 「…ならない。ただし、…この限りでない。」 as 「ない。ただし、…この限りで」.
 */
function slide(hunks: Hunk[], at: CToken[], bt: CToken[]): Hunk[] {
  const out = hunks.map((h) => ({ ...h }));
  out.forEach((h, i) => {
    const del = h.cTo > h.cFrom && h.dTo === h.dFrom;
    const ins = h.dTo > h.dFrom && h.cTo === h.cFrom;
    if (!del && !ins) return;
    const toks = del ? at : bt;
    const from = del ? h.cFrom : h.dFrom;
    const to = del ? h.cTo : h.dTo;
    const prev = out[i - 1];
    const next = out[i + 1];
    // shifts keep the hunk clear of its neighbours on both sides
    const lo = Math.max(-h.cFrom, -h.dFrom, (prev?.cTo ?? 0) - h.cFrom, (prev?.dTo ?? 0) - h.dFrom);
    const hi = Math.min(at.length - h.cTo, bt.length - h.dTo, (next?.cFrom ?? at.length) - h.cTo, (next?.dFrom ?? bt.length) - h.dTo);
    const score = (f: number, t: number): number =>
      (toks[t - 1]?.norm === '。' ? 2 : 0) + (f === 0 || toks[f - 1]?.norm === '。' ? 1 : 0) + (toks[f - 1]?.norm === '、' ? 0.5 : 0);
    let best = 0;
    let bestScore = score(from, to);
    for (let k = -1; k >= lo && toks[from + k].key === toks[to + k].key; k--) {
      const sc = score(from + k, to + k);
      if (sc > bestScore) [best, bestScore] = [k, sc];
    }
    for (let k = 1; k <= hi && toks[from + k - 1].key === toks[to + k - 1].key; k++) {
      const sc = score(from + k, to + k);
      if (sc > bestScore) [best, bestScore] = [k, sc];
    }
    if (best === 0) return;
    h.cFrom += best;
    h.cTo += best;
    h.dFrom += best;
    h.dTo += best;
  });
  return out;
}

interface PlainItem {
  scale: Scale;
  messageId: string;
  hunks: HunkInfo[];
}

/** Neighbouring plain wording changes (改ざん[又は→、]消失[+又は漏えい]) read as one. */
function mergePlain<T extends PlainItem>(items: T[]): void {
  const plain = items.filter((it) => it.scale === 'wording' && it.hunks.length > 0);
  const first = (it: T): number => Math.min(...it.hunks.map((h) => h.b.start));
  plain.sort((x, y) => first(x) - first(y));
  for (let i = 1; i < plain.length; i++) {
    const prev = plain[i - 1];
    const cur = plain[i];
    const gapB = Math.min(...cur.hunks.map((h) => h.b.start)) - Math.max(...prev.hunks.map((h) => h.b.end));
    const gapA = Math.min(...cur.hunks.map((h) => h.a.start)) - Math.max(...prev.hunks.map((h) => h.a.end));
    if (gapB > NEAR || gapA > NEAR || gapA < 0) continue;
    prev.hunks = [...new Set([...prev.hunks, ...cur.hunks])];
    prev.messageId = 'text-changed';
    items.splice(items.indexOf(cur), 1);
    plain.splice(i, 1);
    i--;
  }
}

export interface WordingInput {
  oldBlock: TextBlock | null;
  newBlock: TextBlock | null;
  oldParties: Parties;
  newParties: Parties;
  tokenizer: Tokenizer;
  /**
   * Numbers of each revision's internal references (第二条第三項第四号 → 第三号 after an item
   * was deleted): renumbering follows them, so they are not wording. Whether a reference still
   * names the same unit is checked apart (refs/template.ts).
   */
  oldNumbers?: SpanSet;
  newNumbers?: SpanSet;
}

/** Sorted, non-overlapping source spans with an overlap test. */
export class SpanSet {
  private readonly spans: Span[];
  constructor(spans: Span[]) {
    this.spans = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  }
  overlaps(s: Span): boolean {
    let lo = 0;
    let hi = this.spans.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.spans[mid].end <= s.start) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.spans.length && this.spans[lo].start < s.end;
  }
}

function masked(block: TextBlock, tokens: CToken[], numbers: SpanSet | undefined): CToken[] {
  if (!numbers) return tokens;
  return tokens.map((t) => (t.key !== '#' && numbers.overlaps(blockSpan(block, t.start, t.end)) ? { ...t, key: '#' } : t));
}

/**
 * Compares the own text of an A unit and a B unit. Null when the wording is the same (whatever
 * the reflow, digit width or the numbers in references).
 */
export function compareWording(input: WordingInput): WordingResult | null {
  const { oldBlock: A, newBlock: B, tokenizer } = input;
  if (!A && !B) return null;
  if (!A || !B) {
    // Text on one side only (an article's lead sentence added or removed).
    const block = (A ?? B) as TextBlock;
    const whole = { start: 0, end: block.text.length };
    const change: WordChange = {
      scale: 'wording',
      direction: 'neutral',
      messageId: A ? 'text-removed' : 'text-inserted',
      data: { old: A?.text ?? '', new: B?.text ?? '' },
      oldText: A?.text ?? '',
      newText: B?.text ?? '',
      oldSpan: A ? A.span : null,
      newSpan: B ? B.span : null,
    };
    return {
      changes: [change],
      oldSegments: A ? segments(A.text, [whole]) : [],
      newSegments: B ? segments(B.text, [whole]) : [],
    };
  }
  if (compactForm(A.text) === compactForm(B.text)) return null;

  const aSide: Side = { block: A, tokens: masked(A, compareTokens(A, tokenizer, input.oldParties), input.oldNumbers), parties: input.oldParties };
  const bSide: Side = { block: B, tokens: masked(B, compareTokens(B, tokenizer, input.newParties), input.newNumbers), parties: input.newParties };
  // The matching compareUnits reads (below): its deviations point at these hunks.
  const raw = hunksOf(matchTokens(aSide.tokens, bSide.tokens), bSide.tokens.length);
  if (raw.length === 0) return null;
  const hunks = slide(raw, aSide.tokens, bSide.tokens);

  const infos: HunkInfo[] = hunks.map((h, i) => {
    const a = range(aSide.tokens, h.cFrom, h.cTo, A.text.length);
    const b = range(bSide.tokens, h.dFrom, h.dTo, B.text.length);
    const r = raw[i];
    const ra = range(aSide.tokens, r.cFrom, r.cTo, A.text.length);
    const rb = range(bSide.tokens, r.dFrom, r.dTo, B.text.length);
    return {
      hunk: h,
      a,
      b,
      aSrc: blockSpan(A, a.start, a.end),
      bSrc: blockSpan(B, b.start, b.end),
      rawASrc: blockSpan(A, ra.start, ra.end),
      rawBSrc: blockSpan(B, rb.start, rb.end),
      rawACaret: ra.start === ra.end && ra.start > 0 ? blockSpan(A, ra.start - 1, ra.start) : null,
      rawBCaret: rb.start === rb.end && rb.start > 0 ? blockSpan(B, rb.start - 1, rb.start) : null,
    };
  });
  // Changed words of several hunks: one stretch when they are close, else the pieces joined by '…'.
  const textOf = (hs: HunkInfo[], side: 'a' | 'b'): string => {
    const text = side === 'a' ? A.text : B.text;
    const rs = hs.map((h) => h[side]).sort((x, y) => x.start - y.start);
    if (!rs.length) return '';
    const close = rs.every((r, i) => i === 0 || r.start - rs[i - 1].end <= NEAR);
    if (close) return text.slice(rs[0].start, rs[rs.length - 1].end);
    return rs
      .map((r) => text.slice(r.start, r.end))
      .filter((x) => x !== '')
      .join('…');
  };
  const spanOf = (hs: HunkInfo[], side: 'a' | 'b'): Span | null => {
    const spans = hs.map((h) => (side === 'a' ? h.aSrc : h.bSrc));
    if (!spans.length) return null;
    return { start: Math.min(...spans.map((s) => s.start)), end: Math.max(...spans.map((s) => s.end)) };
  };

  const forward = compareUnits({ canonical: aSide, draft: bSide, correct: (s) => s });
  const reverse = compareUnits({ canonical: bSide, draft: aSide, correct: (s) => s });

  interface Item extends Classified {
    hunks: HunkInfo[];
    dev: Deviation;
  }
  const items: Item[] = forward.map((d) => {
    const hs = infos.filter((h) => overlaps(h.rawBSrc, d.span) || (h.rawBCaret !== null && overlaps(h.rawBCaret, d.span)));
    return { ...classifyForward(d), hunks: hs, dev: d };
  });
  mergePlain(items);

  // The reverse pass diffs B against A: its hunks may cut the text differently. Place each of
  // its findings on the forward hunks through A's text, else through its own hunks' B side.
  const rev = hunksOf(matchTokens(bSide.tokens, aSide.tokens), aSide.tokens.length).map((h) => {
    const b = range(bSide.tokens, h.cFrom, h.cTo, B.text.length);
    const a = range(aSide.tokens, h.dFrom, h.dTo, A.text.length);
    return { aSrc: blockSpan(A, a.start, a.end), bSrc: blockSpan(B, b.start, b.end) };
  });
  for (const d of reverse) {
    const c = classifyReverse(d);
    if (!c) continue;
    let hs = infos.filter((h) => overlaps(h.rawASrc, d.span) || (h.rawACaret !== null && overlaps(h.rawACaret, d.span)));
    if (!hs.length) {
      const own = rev.filter((r) => overlaps(r.aSrc, d.span));
      hs = infos.filter((h) => own.some((r) => overlaps(h.rawBSrc, r.bSrc)));
    }
    if (!hs.length) continue;
    const here = items.filter((it) => it.hunks.some((h) => hs.includes(h)));
    const opposite = here.find((it) => it.scale === c.scale && it.direction === 'weakened');
    if (opposite) {
      // 承認 → 同意: one requirement for another; neither weaker nor stronger.
      opposite.direction = 'neutral';
      opposite.messageId = `${c.scale}-replaced`;
      continue;
    }
    // The same words seen from A: they replace what the forward pass could only call wording
    // (or a list member, its guess for words dropped next to a comma: 「原則として、」).
    const plain = here.filter((it) => it.scale === 'wording' || it.messageId === 'requirement-list-member-dropped');
    if (plain.length) {
      const first = plain[0];
      Object.assign(first, c, { dev: { ...first.dev, data: { ...first.dev.data, ...d.data } } });
      for (const p of plain.slice(1)) items.splice(items.indexOf(p), 1);
      continue;
    }
    if (!here.length) items.push({ ...c, hunks: hs, dev: { ...d, data: { ...d.data, canonical: '', draft: '' } } });
  }

  // Hunks no deviation explains (rare: the comparer merges or skips some) still show as wording.
  const covered = new Set(items.flatMap((it) => it.hunks));
  for (const h of infos) {
    if (covered.has(h)) continue;
    const aText = A.text.slice(h.a.start, h.a.end);
    const bText = B.text.slice(h.b.start, h.b.end);
    if (!aText.trim() && !bText.trim()) continue;
    items.push({
      scale: 'wording',
      direction: 'neutral',
      messageId: aText === '' ? 'text-inserted' : bText === '' ? 'text-removed' : 'text-changed',
      hunks: [h],
      dev: { type: 'altered-text', messageId: 'changed', data: {}, span: h.bSrc, canonical: aText },
    });
  }

  const changes: WordChange[] = items
    .map((it) => {
      const oldText = it.hunks.length ? textOf(it.hunks, 'a') : String(it.dev.data.canonical ?? '');
      const newText = it.hunks.length ? textOf(it.hunks, 'b') : String(it.dev.data.draft ?? '');
      const data: Record<string, string | number> = { ...it.dev.data, old: oldText, new: newText };
      // A requirement added by rewording (「又は消失」→「、消失又は漏えい」): say what became what.
      const messageId = it.messageId === 'requirement-added' && oldText !== '' ? 'requirement-widened' : it.messageId;
      return {
        scale: it.scale,
        direction: it.direction,
        messageId,
        data,
        oldText,
        newText,
        oldSpan: spanOf(it.hunks, 'a'),
        newSpan: it.hunks.length ? spanOf(it.hunks, 'b') : it.dev.span,
      };
    })
    .sort((x, y) => (x.newSpan?.start ?? 0) - (y.newSpan?.start ?? 0));

  return {
    changes,
    oldSegments: segments(A.text, infos.map((h) => h.a)),
    newSegments: segments(B.text, infos.map((h) => h.b)),
  };
}
