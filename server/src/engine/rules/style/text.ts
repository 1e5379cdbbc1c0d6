/**
 * Shared helpers of the style/* rules: which text blocks to read, sentence splitting, quote
 * masking and edits mapped back to the user's original characters.
 *
 * Every offset handled here is an offset into a block's LOGICAL text (wrapped lines joined);
 * `editAt` / `spanOf` map it to the source through `blockSpan`, so diagnostics and fixes point at
 * what the user typed even when a word was split across PDF-wrapped lines.
 *
 * Engine code: imports nothing from vscode or the LSP libraries.
 */
import { blockSpan } from '../../text/block';
import type { TextEdit } from '../../findings';
import type { FreeText, ParsedDocument, Span, TextBlock, Unit } from '../../model/types';
import { headingBlock } from '../../model/walk';
import { CharBoundedLru } from '../../tokenizer/lru';
import type { Token } from '../../tokenizer/types';
import type { Analysis } from '../../analysis';
import { memoBlocks, memoBlockSteps, memoChecker } from '../memo';
import type { RuleContext } from '../types';

/** A block of text a style rule reads, with where it sits in the document. */
export interface StyleBlock {
  block: TextBlock;
  /**
   * 'body': a unit's own text; 'heading': a unit's heading (without brackets) or a table-of-contents
   * line; 'free': title, cover, other text.
   */
  kind: 'body' | 'heading' | 'free';
  unit: Unit | null;
  /**
   * Which part of the document the block belongs to: 'main' (title, chapters, articles) or the
   * label of the annex (別紙, 別記様式 …). Definitions are scoped to their part.
   */
  scope: string;
}

const blocksMemo = new WeakMap<ParsedDocument, StyleBlock[]>();

/**
 * Every block a style rule should read, in document order: free text (except the signature
 * block), and for every unit its heading and its body, depth first. Computed once per document
 * and shared by the rules: do not modify the list.
 */
export function styleBlocks(doc: ParsedDocument): StyleBlock[] {
  const hit = blocksMemo.get(doc);
  if (hit) return hit;
  const out = collectStyleBlocks(doc);
  blocksMemo.set(doc, out);
  return out;
}

/**
 * Runs `check` over every style block of the document through the per-block memo (rules/memo.ts):
 * what a style rule reports for a block depends on the block alone, so an unchanged block's
 * reports are replayed. Stops when the lint is cancelled.
 */
export function checkStyleBlocks(ctx: RuleContext, ruleId: string, check: (c: RuleContext, block: TextBlock) => void): void {
  memoBlocks(ctx, { ruleId, context: '', items: styleBlocks(ctx.doc), blockOf: blockOfStyleBlock, check: (c, sb) => check(c, sb.block) });
}

function blockOfStyleBlock(sb: StyleBlock): TextBlock {
  return sb.block;
}

/**
 * A style rule's per-block check run ahead over style blocks (`blocks`, those of `styleBlocks`), as
 * steps (see `memoBlockSteps` and `Rule.checkBlock`); the reports go nowhere: they are memoised
 * for `checkStyleBlocks` to replay.
 */
export function styleBlockSteps(
  ctx: RuleContext,
  ruleId: string,
  blocks: readonly StyleBlock[],
  check: (c: RuleContext, block: TextBlock) => void,
): Generator<void, void, void> {
  return memoBlockSteps(ctx, { ruleId, context: '', items: blocks, blockOf: blockOfStyleBlock, check: (c, sb) => check(c, sb.block) });
}

/**
 * Whether `checkStyleBlocks` will replay `ruleId`'s reports for a block, as a function of its index
 * in `blocks` (those of `styleBlocks`, in that order): the token warm-up skips those.
 */
export function styleMemoChecker(analysis: Analysis, ruleId: string, blocks: readonly StyleBlock[]): (index: number) => boolean {
  return memoChecker(analysis, ruleId, '', blocks, blockOfStyleBlock);
}

function collectStyleBlocks(doc: ParsedDocument): StyleBlock[] {
  const out: StyleBlock[] = [];
  const annexSet = new Set(doc.annexes);
  const visit = (u: Unit, scope: string): void => {
    if (u.heading) {
      const hb = headingBlock(doc, u);
      if (hb) out.push({ block: hb, kind: 'heading', unit: u, scope });
    }
    if (u.body) out.push({ block: u.body, kind: 'body', unit: u, scope });
    for (const c of u.children) visit(c, scope);
  };
  for (const u of doc.units) visit(u, annexSet.has(u) ? u.label : 'main');
  for (const f of doc.free) {
    if (!readFree(f)) continue;
    // a table of contents repeats chapter headings: read like headings (not uses of defined terms)
    out.push({ block: f.block, kind: f.role === 'toc' ? 'heading' : 'free', unit: null, scope: scopeAt(doc, f.block.span.start) });
  }
  if (doc.title && !doc.free.includes(doc.title)) {
    out.push({ block: doc.title.block, kind: 'free', unit: null, scope: 'main' });
  }
  out.sort((a, b) => a.block.span.start - b.block.span.start);
  return out;
}

function readFree(f: FreeText): boolean {
  return f.role !== 'signature';
}

function scopeAt(doc: ParsedDocument, offset: number): string {
  for (const a of doc.annexes) if (offset >= a.span.start && offset < a.span.end) return a.label;
  return 'main';
}


// ---------------------------------------------------------------------------------------------
// Brackets, quotes and sentences

const OPEN_QUOTE: Record<string, string> = { '「': '」', '『': '』' };
const OPEN_PAREN: Record<string, string> = { '（': '）', '(': ')', '〔': '〕', '［': '］', '[': ']' };

/** Per bracket table: char code → +1 for an opener, -(code of its opener) - 1 for a closer. */
const bracketCodes = new WeakMap<Record<string, string>, Map<number, number>>();

function codesOf(opens: Record<string, string>): Map<number, number> {
  let m = bracketCodes.get(opens);
  if (!m) {
    m = new Map();
    for (const [o, c] of Object.entries(opens)) {
      m.set(o.charCodeAt(0), 1);
      m.set(c.charCodeAt(0), -o.charCodeAt(0) - 1);
    }
    bracketCodes.set(opens, m);
  }
  return m;
}

/**
 * Matched bracket pairs [open, close] (offsets of the two brackets), unmatched ones ignored.
 * Brackets are single UTF-16 units (the keys and values of `opens`).
 */
export function bracketPairs(text: string, opens: Record<string, string>): Array<[number, number]> {
  const codes = codesOf(opens);
  const stackCode: number[] = [];
  const stackAt: number[] = [];
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const kind = codes.get(code);
    if (kind === undefined) continue;
    if (kind === 1) {
      stackCode.push(code);
      stackAt.push(i);
      continue;
    }
    const o = -kind - 1;
    // Close the nearest matching opener; openers left unmatched in between are dropped.
    for (let k = stackCode.length - 1; k >= 0; k--) {
      if (stackCode[k] === o) {
        pairs.push([stackAt[k], i]);
        stackCode.length = k;
        stackAt.length = k;
        break;
      }
    }
  }
  return pairs;
}

/**
 * Quote masks and sentence splits by text: every style rule asks for the same blocks, and after
 * an edit only the changed blocks have new text. Shared results: do not modify them.
 */
const maskMemo = new CharBoundedLru<Uint8Array>(2_000_000);
const sentenceMemo = new CharBoundedLru<Range[]>(2_000_000);

/**
 * 1 at every position strictly inside a matched 「」 or 『』 pair (the brackets themselves are 0).
 * Quoted text cites names, defined terms or other laws (which keep their own, older notation).
 * The array may be shared with other callers: do not modify it.
 */
export function quoteMask(text: string): Uint8Array {
  const hit = maskMemo.get(text);
  if (hit) return hit;
  const mask = new Uint8Array(text.length);
  for (const [o, c] of bracketPairs(text, OPEN_QUOTE)) mask.fill(1, o + 1, c);
  maskMemo.set(text, mask);
  return mask;
}

/** Depth of matched brackets (quotes and parentheses) at every position; brackets count as inside. */
function nestingDepth(text: string): Int32Array {
  const delta = new Int32Array(text.length + 1);
  for (const [o, c] of [...bracketPairs(text, OPEN_QUOTE), ...bracketPairs(text, OPEN_PAREN)]) {
    delta[o] += 1;
    delta[c + 1] -= 1;
  }
  const depth = new Int32Array(text.length);
  let d = 0;
  for (let i = 0; i < text.length; i++) {
    d += delta[i];
    depth[i] = d;
  }
  return depth;
}

export interface Range {
  start: number;
  end: number;
}

/**
 * Sentences of a block's text: split after each 。 that is not inside 「」, 『』 or parentheses
 * (so 「（以下「X」という。）」 does not end a sentence). Each range includes its 。; leading
 * blanks are skipped; a trailing piece without 。 is a sentence too. The list may be shared with
 * other callers: do not modify it.
 */
export function splitSentences(text: string): Range[] {
  const hit = sentenceMemo.get(text);
  if (hit) return hit;
  const out = sentencesOf(text);
  sentenceMemo.set(text, out);
  return out;
}

function sentencesOf(text: string): Range[] {
  const depth = nestingDepth(text);
  const out: Range[] = [];
  let start = 0;
  const push = (s: number, e: number): void => {
    while (s < e && /\s/.test(text[s])) s++;
    if (e > s) out.push({ start: s, end: e });
  };
  for (let i = 0; i < text.length; i++) {
    if ((text[i] === '。' || text[i] === '．') && depth[i] === 0) {
      push(start, i + 1);
      start = i + 1;
    }
  }
  push(start, text.length);
  return out;
}

/**
 * Tokens of a block whose start lies in [range.start, range.end) (the tokens are in text order):
 * found by binary search — a block of thousands of sentences is read sentence by sentence.
 */
export function tokensIn(tokens: readonly Token[], range: Range): Token[] {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid].start < range.start) lo = mid + 1;
    else hi = mid;
  }
  const out: Token[] = [];
  for (let i = lo; i < tokens.length && tokens[i].start < range.end; i++) out.push(tokens[i]);
  return out;
}

/** True when any position of [start, end) is inside quotes. */
export function masked(mask: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end && i < mask.length; i++) if (mask[i]) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Spans and edits

/** Source span of the logical range [start, end) of a block. */
export function spanOf(block: TextBlock, start: number, end: number): Span {
  return blockSpan(block, start, end);
}

/**
 * An edit replacing the logical range [start, end) of a block. For an empty range the edit is an
 * insertion just after the character before `start`. Keep ranges minimal (one or two characters):
 * an edit over a range that crosses a wrapped line replaces the line break too.
 */
export function editAt(block: TextBlock, start: number, end: number, newText: string): TextEdit {
  if (end <= start) {
    // insert right after the previous character (on its line), not before the next one, which
    // may sit on a later line when the block was wrapped
    const at = start > 0 ? blockSpan(block, start - 1, start).end : blockSpan(block, start, start).start;
    return { span: { start: at, end: at }, newText };
  }
  return { span: blockSpan(block, start, end), newText };
}

/**
 * Edits turning block.text[start, end) into `replacement` with the smallest change: the common
 * prefix and suffix are kept, so a wrapped line break outside the changed characters survives.
 */
export function minimalEdit(block: TextBlock, start: number, end: number, replacement: string): TextEdit {
  const found = block.text.slice(start, end);
  let p = 0;
  while (p < found.length && p < replacement.length && found[p] === replacement[p]) p++;
  let s = 0;
  while (
    s < found.length - p &&
    s < replacement.length - p &&
    found[found.length - 1 - s] === replacement[replacement.length - 1 - s]
  )
    s++;
  return editAt(block, start + p, end - s, replacement.slice(p, replacement.length - s));
}

/** Tokens of a block, or an empty list when the tokenizer is not ready (rules then do nothing). */
export function blockTokens(ctx: RuleContext, block: TextBlock): readonly Token[] {
  const t = ctx.analysis.tokenizer;
  return t ? t.tokenize(block.text) : [];
}

/** The source text of a span (for messages). */
export function sourceText(ctx: RuleContext, span: Span): string {
  return ctx.doc.text.slice(span.start, span.end);
}
