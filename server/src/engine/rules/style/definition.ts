/**
 * style/definition — defined terms written 「（以下「X」という。）」 (drafting-rules §6):
 *
 *  - the form: 「（以下、「X」という）」「(以下「X」とする。)」「（以下『X』という。）」 … → 「（以下「X」という。）」
 *    (information; safe fix). 「以下単に「X」という。」 and 「…と総称する。」 are standard forms too.
 *    Not checked when `keiyakuLint.style` is 'off'.
 *  - a term defined twice in the same part of the document (warning; related: the first definition);
 *  - a term used before its definition (warning, at the first such use; related: the definition).
 *
 * Parts: the main text (title, chapters, articles) and each annex (別紙, 別記様式 …) define their
 * terms separately — an annex commonly restates 「特記事項」 for itself. Headings are not uses (a
 * heading names its article's subject before the body defines it), nor is the definition's own
 * sentence, quoted text, or the term inside a longer word (機密情報取扱特記事項 is not 特記事項).
 */
import type { RelatedInfo } from '../../findings';
import type { Span } from '../../model/types';
import type { Rule, RuleContext } from '../types';
import { bracketPairs, editAt, masked, minimalEdit, quoteMask, spanOf, splitSentences, styleBlocks } from './text';
import type { StyleBlock } from './text';

const PARENS: Record<string, string> = { '（': '）', '(': ')' };
const DEF_RE =
  /以下(?<comma>[、，,]?)(?<where>この(?:条|項|号|章|節|款|目|規程|規則|契約|特約|特記事項)[^「」『』（）()。]{0,20}?において[、]?)?(?<only>単に)?(?<open>[「『])(?<term>[^「」『』（）()。]{1,40})(?<close>[」』])と(?<verb>いう|いい|いいます|する|称する|総称する|略する|略す|呼ぶ)(?<stop>[。．]?)/g;

interface Definition {
  term: string;
  sb: StyleBlock;
  /** Logical range of 以下…という。 in the block. */
  start: number;
  end: number;
  /** Start of the definition's sentence (logical). */
  sentenceStart: number;
  /** 「以下この条において「X」という。」: valid only in that part, may be defined again elsewhere. */
  scoped: boolean;
  span: Span;
}

export const definitionRule: Rule = {
  id: 'style/definition',
  meta: {
    category: 'style',
    defaultLevel: 'warning',
    needs: {},
    fixable: true,
    messages: ['form', 'twice', 'before-definition', 'first-definition', 'definition-here', 'fix-form'],
  },
  check(ctx) {
    const kobun = ctx.analysis.settings.style !== 'off';
    // headings and the title name their subject before the text defines it: not uses, not definitions
    const title = ctx.doc.title?.block;
    const blocks = styleBlocks(ctx.doc).filter((b) => b.kind !== 'heading' && b.block !== title);
    const defs: Definition[] = [];
    for (const sb of blocks) {
      for (const d of findDefinitions(ctx, sb, kobun)) defs.push(d);
    }
    const first = new Map<string, Definition>();
    for (const d of defs) {
      if (d.scoped) continue;
      const key = `${d.sb.scope}\u0000${d.term}`;
      const f = first.get(key);
      if (!f) {
        first.set(key, d);
        continue;
      }
      ctx.report({
        messageId: 'twice',
        data: { term: d.term, first: line(ctx, f.span) },
        span: d.span,
        related: [{ span: f.span, messageId: 'first-definition', data: { term: d.term } }],
      });
    }
    const sites = otherDefinitionSites(blocks);
    // a definitions article (「X」とは…をいう / 号 「X　…をいう。」) may define the term earlier
    const wanted = [...first.values()].map((d) => {
      const other = sites.get(`${d.sb.scope}\u0000${d.term}`);
      return { d, limit: other !== undefined ? Math.min(other, d.span.start) : d.span.start };
    });
    const uses = firstUsesBefore(blocks, wanted, ctx.isCancelled);
    if (!uses) return; // cancelled
    for (const d of first.values()) {
      const use = uses.get(d);
      if (!use) continue;
      const related: RelatedInfo[] = [{ span: d.span, messageId: 'definition-here', data: { term: d.term } }];
      ctx.report({
        messageId: 'before-definition',
        data: { term: d.term, at: line(ctx, d.span) },
        span: use,
        related,
      });
    }
  },
};

function line(ctx: RuleContext, span: Span): string {
  return String(ctx.analysis.lines.positionAt(span.start).line + 1);
}

function findDefinitions(ctx: RuleContext, sb: StyleBlock, kobun: boolean): Definition[] {
  const block = sb.block;
  const text = block.text;
  if (!text.includes('以下')) return [];
  const parens = bracketPairs(text, PARENS);
  const sentences = splitSentences(text);
  const out: Definition[] = [];
  DEF_RE.lastIndex = 0;
  for (let m = DEF_RE.exec(text); m; m = DEF_RE.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    // the innermost parenthesis around the definition, closing right after it
    let pair: [number, number] | undefined;
    for (const p of parens) {
      if (p[0] < start && p[1] >= end && (!pair || p[0] > pair[0])) pair = p;
    }
    if (!pair || text.slice(end, pair[1]).trim() !== '') continue;
    const g = m.groups ?? {};
    const term = g.term;
    const sentence = sentences.find((s) => s.start <= start && start < s.end);
    const def: Definition = {
      term,
      sb,
      start,
      end,
      sentenceStart: sentence ? sentence.start : 0,
      span: spanOf(block, start, end),
      scoped: !!g.where,
    };
    out.push(def);
    if (!kobun) continue;
    const open = text[pair[0]];
    const close = text[pair[1]];
    const fullParens = open === '（' && close === '）';
    const standard = !g.comma && g.open === '「' && g.close === '」' && (g.verb === 'いう' || g.verb === '総称する') && g.stop === '。';
    if (standard && fullParens) continue;
    const expectedBody = `以下${g.where ?? ''}${g.only ?? ''}「${term}」${g.verb === '総称する' ? 'と総称する' : 'という'}。`;
    const edits = [];
    if (open !== '（') edits.push(editAt(block, pair[0], pair[0] + 1, '（'));
    if (m[0] !== expectedBody) edits.push(minimalEdit(block, start, end, expectedBody));
    if (close !== '）') edits.push(editAt(block, pair[1], pair[1] + 1, '）'));
    const found = text.slice(pair[0], pair[1] + 1);
    const expected = `（${text.slice(pair[0] + 1, start)}${expectedBody}）`;
    ctx.report({
      messageId: 'form',
      level: 'information',
      data: { term, found, expected },
      span: spanOf(block, pair[0], pair[1] + 1),
      fixes: [{ titleId: 'fix-form', data: { term, expected }, edits, safe: true }],
    });
  }
  return out;
}

const KANJI_OR_KATAKANA = /[\u4e00-\u9fff々\u30a1-\u30fa\u30fcＡ-Ｚａ-ｚA-Za-z]/;
/** Characters that may stand right before a term without making a longer word: 本契約, 当該X, 同X, 各X. */
const PREFIXES = new Set(['本', '該', '同', '各', '前', '次', '全', '上', '記', '旧', '新']);

/**
 * For each definition, the source span of the first use of its term before `limit` (the earliest
 * definition of the term, source offset) in the definition's part; definitions whose term is not
 * used before are left out. The definition's own sentence is not a use, and in each block only the
 * first use (`isUse`) counts. All terms of a part are looked for in one pass over its blocks
 * (`TermMatcher`): a draft can define thousands. Null when the lint was cancelled.
 */
function firstUsesBefore(blocks: StyleBlock[], wanted: readonly { d: Definition; limit: number }[], isCancelled: () => boolean): Map<Definition, Span> | null {
  const found = new Map<Definition, Span>();
  // one definition per part and term (the first: `first` in check)
  const byScope = new Map<string, Map<string, { d: Definition; limit: number }>>();
  for (const w of wanted) {
    let m = byScope.get(w.d.sb.scope);
    if (!m) byScope.set(w.d.sb.scope, (m = new Map()));
    m.set(w.d.term, w);
  }
  for (const [scope, byTerm] of byScope) {
    const matcher = new TermMatcher(byTerm.keys());
    let last = 0;
    for (const w of byTerm.values()) last = Math.max(last, w.limit);
    /** Terms settled: used (found), or their limit passed. */
    const done = new Set<string>();
    // the block being scanned, read by `hit` (one callback for all blocks, not one per block)
    let sb: StyleBlock = blocks[0];
    let text = '';
    let mask: Uint8Array | null = null;
    /** Terms whose first use in this block was seen (or that cannot have one here); made on the first (most blocks have none). */
    let seen: Set<string> | null = null;
    const hit = (term: string, at: number): void => {
      if (done.has(term) || seen?.has(term)) return;
      const w = byTerm.get(term)!;
      if (sb.block.span.start >= w.limit) {
        done.add(term);
        return;
      }
      // in the definition's own block, only before its sentence (occurrences come in order)
      if (at + term.length > (sb.block === w.d.sb.block ? w.d.sentenceStart : text.length)) {
        (seen ??= new Set()).add(term);
        return;
      }
      mask ??= quoteMask(text);
      if (!isUse(text, mask, term, at)) return;
      (seen ??= new Set()).add(term);
      const span = spanOf(sb.block, at, at + term.length);
      if (span.start < w.limit) {
        found.set(w.d, span);
        done.add(term);
      }
    };
    for (const b of blocks) {
      if (b.scope !== scope) continue;
      if (b.block.span.start >= last || done.size === byTerm.size) break;
      if (isCancelled()) return null;
      sb = b;
      text = b.block.text;
      mask = null;
      seen = null;
      matcher.scan(text, hit);
    }
  }
  return found;
}

/** Whether the term at `at` is a use of it: not quoted, nor part of a longer word. */
function isUse(text: string, mask: Uint8Array, term: string, at: number): boolean {
  if (masked(mask, at, at + term.length)) return false;
  const before = text[at - 1] ?? '';
  const after = text[at + term.length] ?? '';
  if (before && KANJI_OR_KATAKANA.test(before) && !PREFIXES.has(before)) return false;
  if (term.length === 1 && after && KANJI_OR_KATAKANA.test(after)) return false;
  // katakana terms continue into longer words: 「データ」 in 「データベース」
  if (/[\u30a1-\u30fa\u30fc]$/.test(term) && after && /[\u30a1-\u30fa\u30fc]/.test(after)) return false;
  return true;
}

/**
 * Every occurrence of a set of terms in a text, in one pass (an Aho–Corasick automaton over
 * UTF-16 code units): occurrences come in the order of their ends — for one term, in order.
 */
class TermMatcher {
  /** Transitions by UTF-16 code unit (a one-character string of a kanji would be allocated per character scanned). */
  private readonly next: Map<number, number>[] = [new Map()];
  private readonly fail: number[] = [0];
  /** The terms ending at each state, its own and those of its failure chain. */
  private readonly out: string[][] = [[]];
  /** The code units that occur in some term: any other one leads back to the start. */
  private readonly alphabet = new Set<number>();

  constructor(terms: Iterable<string>) {
    for (const term of terms) {
      let s = 0;
      for (let i = 0; i < term.length; i++) {
        const ch = term.charCodeAt(i);
        this.alphabet.add(ch);
        let t = this.next[s].get(ch);
        if (t === undefined) {
          t = this.next.length;
          this.next.push(new Map());
          this.fail.push(0);
          this.out.push([]);
          this.next[s].set(ch, t);
        }
        s = t;
      }
      this.out[s].push(term);
    }
    // failure links, breadth first: the longest proper suffix that is also a prefix of a term
    const queue: number[] = [...this.next[0].values()];
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q];
      for (const [ch, t] of this.next[s]) {
        let f = this.fail[s];
        while (f !== 0 && !this.next[f].has(ch)) f = this.fail[f];
        this.fail[t] = this.next[f].get(ch) ?? 0;
        if (this.out[this.fail[t]].length) this.out[t] = [...this.out[t], ...this.out[this.fail[t]]];
        queue.push(t);
      }
    }
  }

  scan(text: string, hit: (term: string, start: number) => void): void {
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      // most characters occur in no term: no state goes anywhere on them but the start
      const ch = text.charCodeAt(i);
      if (!this.alphabet.has(ch)) {
        s = 0;
        continue;
      }
      while (s !== 0 && !this.next[s].has(ch)) s = this.fail[s];
      s = this.next[s].get(ch) ?? 0;
      for (const term of this.out[s]) hit(term, i + 1 - term.length);
    }
  }
}

const TOWA_RE = /「([^「」]{1,40})」とは/g;
const ITEM_DEF_RE = /^([^\s\u3000、。「」（）()]{1,30})[\s\u3000]+\S.*をいう。$/;

/**
 * Where terms are defined in the other statute forms: 「X」とは、…をいう。 and an item of a
 * definitions list, 「一　X　…をいう。」. Key scope + term → earliest source offset.
 */
function otherDefinitionSites(blocks: StyleBlock[]): Map<string, number> {
  const out = new Map<string, number>();
  const add = (scope: string, term: string, at: number): void => {
    const key = `${scope}\u0000${term}`;
    const cur = out.get(key);
    if (cur === undefined || at < cur) out.set(key, at);
  };
  for (const sb of blocks) {
    const text = sb.block.text;
    TOWA_RE.lastIndex = 0;
    for (let m = TOWA_RE.exec(text); m; m = TOWA_RE.exec(text)) add(sb.scope, m[1], spanOf(sb.block, m.index, m.index + 1).start);
    if (sb.unit && (sb.unit.kind === 'item' || sb.unit.kind === 'subitem')) {
      const m = ITEM_DEF_RE.exec(text);
      if (m) add(sb.scope, m[1], sb.block.span.start);
    }
  }
  return out;
}

