/**
 * The resolver: every reference written in a document (bodies and headings of every unit, and
 * the free text), resolved to the units it names. Computed once per parsed document and cached
 * (`getReferences`); the rules and the editor features (go to definition, find references, hover,
 * document links) share the result.
 */
import type { ParsedDocument, Span, TextBlock, Unit } from '../model/types';
import { headingBlock } from '../model/walk';
import { runToEnd } from '../steps';
import { blockSpan } from '../text/block';
import { parseNumeral } from '../text/numerals';
import { headingSimilarity, normalizeHeading, sameHeading } from './headings';
import { ArticleMemo, structureHead, unitOrder, type ArticleBlocks, type Mention } from './memo';
import { LEVEL_RANK, RawChain, RawComp, scanText } from './scan';
import type { DocumentReferences, RefComponent, Reference, RefLevel, RefNote, RefRange, UnresolvedReason } from './types';

// ---------------------------------------------------------------------------------------------
// Document indexes

interface Index {
  doc: ParsedDocument;
  readonly parent: Map<Unit, Unit | null>;
  /** Chapters that hold articles (a table of contents may repeat chapter lines), else all chapters. */
  readonly chapters: Unit[];
  readonly parts: Unit[];
  selfNames: string[];
  /** Articles written bare (第N) rather than 第N条. */
  bareStyle: boolean;
  /** The document's (main) articles by number ("3", "3-2"). */
  articlesByValue: Map<string, Unit[]>;
  /** Articles whose heading matches a heading written with a reference, by written text (memo). */
  headingMatches: Map<string, HeadingMatch>;
  /** Ranges: a parent's children of one kind (`rangeOf`), built once per parent and kind. */
  siblings: Map<Unit, Map<string, Unit[]>>;
  /** Ranges: each unit's position in the lists above and in the articles and chapters. */
  positions: Map<readonly Unit[], Map<Unit, number>>;
  /** Annexes of some kinds (key: the kinds), and those of them by number (`annexesOf`). */
  annexesByKinds: Map<string, { all: Unit[]; byValue: Map<string, Unit[]> }>;
}

/** The articles a heading written with a reference names: exactly, or the clearly most similar. */
interface HeadingMatch {
  exact: Unit[];
  best: Unit | undefined;
  bestScore: number;
  second: number;
}

function annexKindOf(u: Unit): string {
  return u.annexKind ?? '別紙';
}

function hasArticle(u: Unit): boolean {
  return u.children.some((c) => c.kind === 'article' || hasArticle(c));
}

function buildIndex(doc: ParsedDocument): Index {
  const articlesByValue = new Map<string, Unit[]>();
  for (const a of doc.articles) {
    const k = a.number?.value.join('-') ?? '';
    const list = articlesByValue.get(k);
    if (list) list.push(a);
    else articlesByValue.set(k, [a]);
  }
  /**
   * The tree's parent links, chapters and parts: made on first use. After an edit most articles'
   * references are replayed (memo.ts) and never ask; walking every unit for them on each lint
   * was a few milliseconds of a 1 MB document's edit.
   */
  let tree: { parent: Map<Unit, Unit | null>; chapters: Unit[]; parts: Unit[] } | undefined;
  const treeOf = (): NonNullable<typeof tree> => {
    if (tree) return tree;
    const parent = new Map<Unit, Unit | null>();
    const allChapters: Unit[] = [];
    const parts: Unit[] = [];
    const visit = (u: Unit, p: Unit | null): void => {
      parent.set(u, p);
      if (u.kind === 'chapter') allChapters.push(u);
      if (u.kind === 'part') parts.push(u);
      for (const c of u.children) visit(c, u);
    };
    for (const u of doc.units) visit(u, null);
    const real = allChapters.filter(hasArticle);
    return (tree = { parent, chapters: real.length ? real : allChapters, parts });
  };
  return {
    articlesByValue,
    headingMatches: new Map(),
    siblings: new Map(),
    positions: new Map(),
    annexesByKinds: new Map(),
    doc,
    get parent() {
      return treeOf().parent;
    },
    get chapters() {
      return treeOf().chapters;
    },
    get parts() {
      return treeOf().parts;
    },
    selfNames: selfNamesOf(doc),
    bareStyle: !doc.conventions.articleJo,
  };
}

const DOC_TYPE_WORD = /^(特記事項|特約条項|特約|契約書?|規程|規則|要綱|要領|約款|仕様書|覚書|協定書?|規約|法律?|条例)$/;

/**
 * Names under which the document cites itself: its title, the title without a final 書, and an
 * abbreviation it defines for its title (「この特記事項（以下「本特記事項」という。）」).
 *
 * The definitions are matched with white space ignored (a PDF may wrap
 * 「（以下「特記事項」\nという。）」), as if the whole text were flattened — but only around each
 * 「（」, so that the 1 MB document of an edit is not copied whole on every lint.
 */
export function selfNamesOf(doc: ParsedDocument): string[] {
  const names: string[] = [];
  const title = doc.title?.block.text.replace(/[\s\u3000]/g, '') ?? '';
  if (!title) return names;
  names.push(title);
  if (title.endsWith('書')) names.push(title.slice(0, -1));
  const text = doc.text;
  for (let at = text.indexOf('（'); at >= 0; ) {
    // most parentheses are not definitions: the next character that is not white space says so
    let k = at + 1;
    while (k < text.length && isSpace(text.charCodeAt(k))) k++;
    const m = text.charCodeAt(k) === 0x4ee5 /* 以 */ ? SELF_NAME_RE.exec(flatWindow(text, at, SELF_NAME_MAX)) : null;
    if (!m) {
      at = text.indexOf('（', at + 1);
      continue;
    }
    const before = flatBefore(text, at, title.length + 2);
    if (before.endsWith(title) || before.endsWith(`この${m[1]}`) || before.endsWith(`本${m[1]}`)) names.push(m[1]);
    // the next definition starts after this one (definitions do not overlap: a name holds no 「)
    at = text.indexOf('（', rawEnd(text, at, m[0].length));
  }
  return names;
}

/** A definition of a name, at the start of white-space-free text. */
const SELF_NAME_RE = /^（以下「([^「」]{1,20})」という。?）/;
/** Longest text SELF_NAME_RE can match. */
const SELF_NAME_MAX = 4 + 20 + 7;

function isSpace(c: number): boolean {
  // what /[\s\u3000]/ matches (\s covers U+3000 already)
  return (c >= 0x09 && c <= 0x0d) || c === 0x20 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Up to `count` non-space characters of text from `from` on, white space dropped. */
function flatWindow(text: string, from: number, count: number): string {
  // without white space in the window (nearly always), one slice: no string per character
  let i = from;
  while (i < text.length && i - from < count && !isSpace(text.charCodeAt(i))) i++;
  if (i - from === count || i === text.length) return text.slice(from, i);
  let out = text.slice(from, i);
  for (; i < text.length && out.length < count; i++) if (!isSpace(text.charCodeAt(i))) out += text[i];
  return out;
}

/** The last `count` non-space characters before `to` (fewer at the start of the text), white space dropped. */
function flatBefore(text: string, to: number, count: number): string {
  // without white space in the window (nearly always), one slice: no string per character
  let i = to;
  while (i > 0 && to - i < count && !isSpace(text.charCodeAt(i - 1))) i--;
  if (to - i === count || i === 0) return text.slice(i, to);
  let out = text.slice(i, to);
  for (i--; i >= 0 && out.length < count; i--) if (!isSpace(text.charCodeAt(i))) out = text[i] + out;
  return out;
}

/** The raw offset just after `count` non-space characters from `from`. */
function rawEnd(text: string, from: number, count: number): number {
  let i = from;
  for (let seen = 0; i < text.length && seen < count; i++) if (!isSpace(text.charCodeAt(i))) seen++;
  return i;
}

function isSelfName(name: string, idx: Index): boolean {
  if (!name) return true;
  const n = name.replace(/^(本|当)/, '');
  if (!n) return false;
  for (const s of idx.selfNames) {
    if (s === name || s === n) return true;
    if (n.length >= 2 && s.includes(n) && DOC_TYPE_WORD.test(n.replace(/^.*?(特記事項|特約条項|特約|契約書?|規程|規則|要綱|要領|約款|仕様書|覚書|協定書?|規約|法律?|条例)$/, '$1'))) {
      return true;
    }
  }
  if (idx.selfNames.length === 0 && name !== n && DOC_TYPE_WORD.test(n)) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Units by number

function sameValue(a: number[] | undefined, b: number[] | undefined): boolean {
  if (!a || !b) return false;
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export function paragraphsOf(article: Unit): Unit[] {
  return article.children.filter((c) => c.kind === 'paragraph');
}

/** Number of a paragraph: the implicit first paragraph is 1. */
export function paragraphNumber(p: Unit): number {
  return p.number ? p.number.value[0] : 1;
}

/** Items (号) of an article or paragraph; { note } when numbered paragraphs under a lead stand in for items. */
export function itemsOf(host: Unit): { items: Unit[]; note?: RefNote } {
  if (host.kind === 'paragraph' || host.kind === 'item') {
    return { items: host.children.filter((c) => c.kind === (host.kind === 'item' ? 'subitem' : 'item')) };
  }
  if (host.kind === 'article') {
    const direct = host.children.filter((c) => c.kind === 'item');
    if (direct.length) return { items: direct };
    const paras = paragraphsOf(host);
    if (paras.length && paras[0].number === null) {
      const first = paras[0].children.filter((c) => c.kind === 'item');
      if (first.length) return { items: first };
    }
    if (host.body && paras.length && paras[0].number) return { items: paras, note: 'paragraphs-as-items' };
  }
  return { items: [] };
}

function findByValue(list: Unit[], value: number[] | undefined): Unit | undefined {
  return list.find((u) => sameValue(u.number?.value, value));
}

// ---------------------------------------------------------------------------------------------
// Walking the document

interface Ctx {
  source: Unit | null;
  part: Unit | null;
  chapter: Unit | null;
  division: Unit | null;
  article: Unit | null;
  paragraph: Unit | null;
  item: Unit | null;
  annex: Unit | null;
}

interface ChainResult {
  byLevel: Partial<Record<RefLevel, Unit>>;
  external: boolean;
  ref: Reference | null;
  /** Index of the reference in the output list. */
  index: number;
}

const EMPTY_CTX: Ctx = { source: null, part: null, chapter: null, division: null, article: null, paragraph: null, item: null, annex: null };

const cache = new WeakMap<ParsedDocument, DocumentReferences>();

/** The references of a document, computed once per parsed document. */
export function getReferences(doc: ParsedDocument): DocumentReferences {
  let r = cache.get(doc);
  if (!r) {
    r = resolveReferences(doc);
    cache.set(doc, r);
  }
  return r;
}

/** Finds and resolves every reference of the document (uncached: use `getReferences`). */
export function resolveReferences(doc: ParsedDocument): DocumentReferences {
  return runToEnd(resolveSteps(doc));
}

/**
 * `getReferences`'s result computed in steps, for a caller that must not hold the event loop
 * (engine/lintAsync.ts): pauses after each article and annex; once run to the end, the document's
 * references are cached as `getReferences` would have cached them. Nothing when they already are.
 */
export function* warmReferences(doc: ParsedDocument): Generator<void, void, void> {
  if (cache.has(doc)) return;
  const r = yield* resolveSteps(doc);
  if (!cache.has(doc)) cache.set(doc, r);
}

/**
 * `resolveReferences` as steps: pauses after each article and annex (a chapter's articles one by
 * one). `elapsedMs` counts the time spent in the steps, not the pauses.
 */
function* resolveSteps(doc: ParsedDocument): Generator<void, DocumentReferences, void> {
  let active = 0;
  let t0 = performance.now();
  const idx = buildIndex(doc);
  const all: Reference[] = [];
  let group = 0;
  let mentions = new Map<RefLevel, Mention>();
  const scanOpts = { bareKanji: idx.bareStyle && doc.conventions.digits === 'kanji' };
  // articles whose text is that of the last resolution of the same structure are replayed (memo.ts)
  const units = unitOrder(doc);
  const memo = new ArticleMemo(units, structureHead(idx.selfNames, scanOpts.bareKanji ? 'bareKanji' : '', idx.bareStyle));

  const processBlock = (block: TextBlock | null, ctx: Ctx): void => {
    if (!block) return;
    const chains = scanText(block.text, scanOpts);
    const results: ChainResult[] = [];
    for (let k = 0; k < chains.length; k++) {
      const ch = chains[k];
      let inherit: ChainResult | undefined;
      let groupId: number | undefined;
      if (ch.joinedTo !== undefined) {
        const prev = results[ch.joinedTo];
        const pch = chains[ch.joinedTo];
        const top = LEVEL_RANK[ch.comps[0].level];
        // 「第3条第1項及び第2項」: the second names a paragraph of the same article
        const prevHas = pch.comps.some((c) => LEVEL_RANK[c.level] === top);
        if (prev && ch.comps[0].form === 'number' && top > LEVEL_RANK.article && prevHas) inherit = prev;
        groupId = prev?.ref?.group ?? ++group;
        if (prev?.ref && prev.ref.group === undefined) prev.ref.group = groupId;
      } else if (ch.insideParenOf !== undefined) {
        const outer = chains[ch.insideParenOf];
        const lastOuter = outer.comps[outer.comps.length - 1].level;
        if (ch.comps[0].form === 'number' && LEVEL_RANK[ch.comps[0].level] > LEVEL_RANK.article && lastOuter === 'article') {
          inherit = results[ch.insideParenOf];
        }
      }
      const res = resolveChain(ch, block, ctx, idx, mentions, inherit);
      res.index = all.length;
      if (res.ref) {
        if (groupId !== undefined) res.ref.group = groupId;
        if (ch.insideParenOf !== undefined && results[ch.insideParenOf]?.ref) res.ref.qualifies = results[ch.insideParenOf].index;
        all.push(res.ref);
      }
      results.push(res);
      // ranges: every unit from the start to the end
      if (ch.join === 'range' && ch.joinedTo !== undefined) {
        const a = results[ch.joinedTo].ref;
        const b = res.ref;
        if (a && b && a.targets.length === 1 && b.targets.length === 1) {
          const r = rangeOf(a.targets[0], b.targets[0], idx);
          a.range = { role: 'start', ...r };
          b.range = { role: 'end', ...r };
        }
      }
      // what 同条 / 同項 / 同号 will mean next
      for (const c of ch.comps) {
        if (c.level === 'annex') continue;
        mentions.set(c.level, { unit: res.byLevel[c.level] ?? null, external: res.external });
      }
      if (res.external) {
        for (const lvl of ['article', 'paragraph', 'item'] as RefLevel[]) {
          if (ch.comps.some((c) => LEVEL_RANK[c.level] <= LEVEL_RANK[lvl])) mentions.set(lvl, { unit: null, external: true });
        }
      }
    }
  };

  /** The context inside `u` (and the mentions reset where a new article or annex starts). */
  const enter = (u: Unit, outer: Ctx): Ctx => {
    // field by field rather than a spread: one of these per unit and lint
    const ctx: Ctx = {
      source: u,
      part: outer.part,
      chapter: outer.chapter,
      division: outer.division,
      article: outer.article,
      paragraph: outer.paragraph,
      item: outer.item,
      annex: outer.annex,
    };
    switch (u.kind) {
      case 'part':
        ctx.part = u;
        ctx.chapter = ctx.division = null;
        break;
      case 'chapter':
        ctx.chapter = u;
        ctx.division = null;
        break;
      case 'division':
        ctx.division = u;
        break;
      case 'article':
        ctx.article = u;
        ctx.paragraph = ctx.item = null;
        mentions = new Map();
        break;
      case 'paragraph':
        ctx.paragraph = u;
        ctx.item = null;
        break;
      case 'item':
        ctx.item = u;
        break;
      case 'annex':
        ctx.annex = u;
        ctx.article = ctx.paragraph = ctx.item = null;
        mentions = new Map();
        break;
      default:
        break;
    }
    return ctx;
  };

  const walk = (u: Unit, outer: Ctx): void => {
    const ctx = enter(u, outer);
    processBlock(headingBlock(doc, u), ctx);
    processBlock(u.body, ctx);
    for (const c of u.children) walk(c, ctx);
  };

  /** The blocks `walk(u)` reads, in its order. */
  const blocksOf = (u: Unit, out: ArticleBlocks = []): ArticleBlocks => {
    out.push(headingBlock(doc, u), u.body);
    for (const c of u.children) blocksOf(c, out);
    return out;
  };

  /** `walk` over an article or annex, or the memo's replay of it. */
  const walkArticle = (u: Unit, outer: Ctx): void => {
    const blocks = blocksOf(u);
    const groupBase = group;
    const replayed = memo.replay(units, u, blocks, all, groupBase, (a, b) => rangeOf(a, b, idx));
    if (replayed) {
      group += replayed.groupsUsed;
      mentions = replayed.mentions;
      return;
    }
    const first = all.length;
    walk(u, outer);
    memo.keep(units, u, blocks, all.slice(first), first, groupBase, group - groupBase, mentions);
  };

  /** `walk`, pausing after each article and annex. */
  const walkSteps = function* (u: Unit, outer: Ctx): Generator<void, void, void> {
    if (u.kind === 'article' || u.kind === 'annex') {
      walkArticle(u, outer);
      yield;
      return;
    }
    if (u.children.length === 0) {
      walk(u, outer);
      yield;
      return;
    }
    const ctx = enter(u, outer);
    processBlock(headingBlock(doc, u), ctx);
    processBlock(u.body, ctx);
    for (const c of u.children) yield* walkSteps(c, ctx);
  };

  // A table of contents names sections within the chapter listed above them.
  let tocCtx: Ctx = EMPTY_CTX;
  for (const f of doc.free) {
    if (f.role === 'signature') continue;
    mentions = new Map();
    if (f.role === 'toc') {
      const m = /^第[\s\u3000]*([0-9０-９〇一二三四五六七八九十百千]+)[\s\u3000]*章/.exec(f.block.text);
      const v = m ? parseNumeral(m[1])?.value : undefined;
      const chapter = v !== undefined ? idx.chapters.find((c) => c.kind === 'chapter' && c.number?.value[0] === v) : undefined;
      if (chapter) tocCtx = { ...EMPTY_CTX, chapter };
      processBlock(f.block, tocCtx);
      continue;
    }
    processBlock(f.block, EMPTY_CTX);
  }
  for (const u of doc.units) {
    for (const _ of walkSteps(u, EMPTY_CTX)) {
      active += performance.now() - t0;
      yield;
      t0 = performance.now();
    }
  }

  // document order (free text was walked first); keep qualifies indexes valid
  const order = all.map((r, i) => ({ r, i })).sort((x, y) => x.r.span.start - y.r.span.start || x.i - y.i);
  const newIndex = new Map<number, number>();
  order.forEach((o, k) => newIndex.set(o.i, k));
  const sorted = order.map((o) => o.r);
  for (const r of sorted) if (r.qualifies !== undefined) r.qualifies = newIndex.get(r.qualifies);
  return { all: sorted, elapsedMs: active + performance.now() - t0 };
}

const NO_UNITS: readonly Unit[] = [];

/**
 * The units from `a` to `b`: articles, chapters, or children of one parent of one kind — as the
 * list they are in and their positions in it (nothing when `b` comes before `a` or they are not
 * siblings). Lookups by map: a draft can hold thousands of ranges over thousands of articles.
 */
function rangeOf(a: Unit, b: Unit, idx: Index): Omit<RefRange, 'role'> {
  let list: readonly Unit[] = NO_UNITS;
  if (a.kind === 'article' && b.kind === 'article') list = idx.doc.articles;
  else if (a.kind === 'chapter' && b.kind === 'chapter') list = idx.chapters;
  else {
    const pa = idx.parent.get(a);
    if (pa && pa === idx.parent.get(b)) {
      let byKind = idx.siblings.get(pa);
      if (!byKind) idx.siblings.set(pa, (byKind = new Map()));
      let l = byKind.get(a.kind);
      if (!l) byKind.set(a.kind, (l = pa.children.filter((c) => c.kind === a.kind)));
      list = l;
    }
  }
  let pos = idx.positions.get(list);
  if (!pos) {
    pos = new Map();
    for (let k = 0; k < list.length; k++) if (!pos.has(list[k])) pos.set(list[k], k);
    idx.positions.set(list, pos);
  }
  const i = pos.get(a);
  const j = pos.get(b);
  if (i === undefined || j === undefined || j < i) return { within: NO_UNITS, from: 0, to: -1 };
  return { within: list, from: i, to: j };
}

// ---------------------------------------------------------------------------------------------
// One chain

interface CompResult {
  units: Unit[];
  unresolved?: UnresolvedReason;
  note?: RefNote;
  external?: boolean;
}

function toComponent(c: RawComp, block: TextBlock): RefComponent {
  const out: RefComponent = { level: c.level, form: c.form, raw: c.raw, span: blockSpan(block, c.start, c.end) };
  if (c.value) out.value = c.value;
  if (c.style) out.style = c.style;
  if (c.numStart !== undefined && c.numEnd !== undefined) out.numSpan = blockSpan(block, c.numStart, c.numEnd);
  if (c.branches) out.branchSpans = c.branches.map((b) => blockSpan(block, b.start, b.end));
  if (c.branchPartStart !== undefined && c.branchPartEnd !== undefined) {
    out.branchPartSpan = blockSpan(block, c.branchPartStart, c.branchPartEnd);
  }
  if (c.suffix !== undefined) out.suffix = c.suffix;
  return out;
}

function resolveChain(
  ch: RawChain,
  block: TextBlock,
  ctx: Ctx,
  idx: Index,
  mentions: Map<RefLevel, Mention>,
  inherit: ChainResult | undefined,
): ChainResult {
  const span: Span = blockSpan(block, ch.start, ch.end);
  const components: RefComponent[] = [];
  const byLevel: Partial<Record<RefLevel, Unit>> = {};
  const first = ch.comps[0];
  const topRank = LEVEL_RANK[first.level];
  let external = false;
  if (first.form === 'number' && first.level !== 'subitem') {
    if (ch.numberLike) external = true;
    else if (SUPPLEMENT_NAME.test(ch.nameBefore) && supplementOf(idx)) {
      // 附則第二条: an article of the supplementary provisions
    } else if (!isSelfName(ch.nameBefore, idx)) external = true;
  }
  if (inherit) {
    if (inherit.external) external = true;
    for (const [lvl, u] of Object.entries(inherit.byLevel) as [RefLevel, Unit][]) {
      if (LEVEL_RANK[lvl] < topRank && lvl !== 'annex') {
        byLevel[lvl] = u;
        const src = inherit.ref?.components.find((c) => c.level === lvl);
        if (src) components.push({ ...src, inherited: true, unit: u });
      }
    }
  }
  for (const c of ch.comps) components.push(toComponent(c, block));

  const ref: Reference = {
    span,
    text: block.text.slice(ch.start, ch.end),
    kind: external ? 'external' : isRelative(ch) ? 'relative' : 'absolute',
    components,
    targets: [],
    source: ctx.source,
    sourceArticle: ctx.article,
  };
  const annexComp = ch.comps.find((c) => c.annexTitle);
  if (annexComp?.annexTitle) {
    const t = annexComp.annexTitle;
    ref.annexTitle = { text: t.text, span: blockSpan(block, t.start, t.end) };
  }
  if (ch.paren?.head) {
    ref.headingWritten = { text: ch.paren.head.text, span: blockSpan(block, ch.paren.head.start, ch.paren.head.end) };
  }
  const result: ChainResult = { byLevel, external, ref, index: -1 };

  // 同条 after an external citation is external too
  if (!external && first.form === 'same') {
    const m = mentions.get(first.level);
    if (m?.external) external = true;
  }
  if (external) {
    ref.kind = 'external';
    result.external = true;
    return result;
  }

  let targets: Unit[] = [];
  const written = components.filter((c) => !c.inherited);
  for (let k = 0; k < ch.comps.length; k++) {
    const c = ch.comps[k];
    const r = resolveComp(c, byLevel, ctx, idx, mentions, ref, ch);
    if (r.external) {
      ref.kind = 'external';
      result.external = true;
      return result;
    }
    if (r.note) ref.note = r.note;
    if (r.unresolved) {
      ref.unresolved = r.unresolved;
      ref.unresolvedLevel = c.level;
      ref.targets = [];
      if (c.level === 'article') checkHeading(ref, ch, idx);
      return result;
    }
    targets = r.units;
    if (r.units.length === 1) {
      const u = r.units[0];
      byLevel[c.level] = u;
      written[k].unit = u;
      // a paragraph named through 前項 in a 第N document is really an article
      if (u.kind === 'article') byLevel.article = u;
    } else break;
  }
  ref.targets = targets;
  checkHeading(ref, ch, idx);
  return result;
}

/** 前条, 同項, 各号 (alone): relative to where the text is; 第3条各号 is absolute. */
function isRelative(ch: RawChain): boolean {
  return ch.comps.some((c, k) => (c.form !== 'number' && c.form !== 'annex' && c.form !== 'each') || (c.form === 'each' && k === 0));
}

function checkHeading(ref: Reference, ch: RawChain, idx: Index): void {
  const hw = ref.headingWritten;
  if (!hw) return;
  const last = ch.comps[ch.comps.length - 1];
  const target = ref.targets.length === 1 ? ref.targets[0] : undefined;
  if (target?.heading) hw.matches = sameHeading(hw.text, target.heading.text);
  if (last.level !== 'article' || hw.matches) return;
  // 条ズレ: the article whose heading is the one written
  const { exact, best, bestScore, second } = headingMatch(idx, hw.text);
  if (exact.length === 1 && exact[0] !== target) {
    ref.proposal = exact[0];
    ref.proposalBy = 'heading';
    return;
  }
  if (exact.length > 1) return;
  const targetScore = target?.heading ? headingSimilarity(target.heading.text, hw.text) : 0;
  if (best && best !== target && bestScore >= 0.6 && bestScore - second >= 0.15 && bestScore > targetScore) {
    ref.proposal = best;
    ref.proposalBy = 'similar-heading';
  }
}

/** Which articles a written heading names (computed once per heading text and document). */
function headingMatch(idx: Index, written: string): HeadingMatch {
  const hit = idx.headingMatches.get(written);
  if (hit) return hit;
  const exact = idx.doc.articles.filter((a) => a.heading && sameHeading(a.heading.text, written));
  let best: Unit | undefined;
  let bestScore = 0;
  let second = 0;
  if (exact.length === 0) {
    for (const a of idx.doc.articles) {
      if (!a.heading) continue;
      const s = headingSimilarity(a.heading.text, written);
      if (s > bestScore) {
        second = bestScore;
        bestScore = s;
        best = a;
      } else if (s > second) second = s;
    }
  }
  const match = { exact, best, bestScore, second };
  idx.headingMatches.set(written, match);
  return match;
}

const SUPPLEMENT_NAME = /^(本則)?附[\s\u3000]*則$/;

/** The 附則 (supplementary provisions) unit, if the document has one. */
function supplementOf(idx: Index): Unit | undefined {
  return idx.doc.annexes.find((a) => annexKindOf(a) === '附則');
}

/** The articles among which 前条 / 次条 move: the 附則's own when the text is in the 附則. */
function articleList(idx: Index, a: Unit | null): Unit[] {
  const p = a ? idx.parent.get(a) : null;
  if (p && p.kind === 'annex') return p.children.filter((c) => c.kind === 'article');
  return idx.doc.articles;
}

function articleIndex(idx: Index, a: Unit | null): number {
  return a ? articleList(idx, a).indexOf(a) : -1;
}

function resolveComp(
  c: RawComp,
  cur: Partial<Record<RefLevel, Unit>>,
  ctx: Ctx,
  idx: Index,
  mentions: Map<RefLevel, Mention>,
  ref: Reference,
  chain: RawChain,
): CompResult {
  const doc = idx.doc;
  const missing: CompResult = { units: [], unresolved: 'missing' };
  switch (c.level) {
    case 'part':
    case 'chapter':
    case 'division':
    case 'subdivision': {
      const list = levelList(c.level, cur, ctx, idx, c.suffix);
      if (c.form === 'number') {
        const u = findByValue(list, c.value);
        return u ? { units: [u] } : missing;
      }
      const current = c.level === 'part' ? ctx.part : c.level === 'chapter' ? ctx.chapter : ctx.division;
      if (c.form === 'same') {
        const m = mentions.get(c.level);
        if (m?.unit) return { units: [m.unit] };
      }
      if (!current) return { units: [], unresolved: 'no-context' };
      const i = list.indexOf(current);
      return relativeIn(list, i, c);
    }
    case 'article': {
      const supplement = c === chain.comps[0] && SUPPLEMENT_NAME.test(chain.nameBefore) ? supplementOf(idx) : undefined;
      const arts = supplement ? supplement.children.filter((x) => x.kind === 'article') : doc.articles;
      if (c.form === 'number') {
        let cands = supplement ? arts.filter((a) => sameValue(a.number?.value, c.value)) : [...(idx.articlesByValue.get(c.value?.join('-') ?? '') ?? [])];
        const within = cur.chapter ?? cur.division;
        if (within && cands.length > 1) {
          const inside = cands.filter((a) => isWithin(a, within, idx));
          if (inside.length) cands = inside;
        }
        if (cands.length > 1 && ref.headingWritten) {
          const byHeading = cands.filter((a) => a.heading && sameHeading(a.heading.text, ref.headingWritten?.text ?? ''));
          if (byHeading.length) cands = byHeading;
        }
        return cands.length ? { units: [cands[0]] } : missing;
      }
      if (c.form === 'same') {
        const m = mentions.get('article');
        if (m?.external) return { units: [], external: true };
        if (m?.unit) return { units: [m.unit] };
        return ctx.article ? { units: [ctx.article], note: 'same-as-current' } : { units: [], unresolved: 'no-context' };
      }
      if (!ctx.article) return { units: [], unresolved: 'no-context' };
      return relativeIn(articleList(idx, ctx.article), articleIndex(idx, ctx.article), c);
    }
    case 'paragraph': {
      if (c.form === 'number') {
        const a = cur.article ?? (hasHigher(cur, 'paragraph') ? undefined : ctx.article ?? undefined);
        if (!a) return { units: [], unresolved: 'no-context' };
        const p = paragraphsOf(a).find((x) => paragraphNumber(x) === c.value?.[0] && (c.value?.length ?? 1) === 1);
        return p ? { units: [p] } : missing;
      }
      if (c.form === 'same') {
        const m = mentions.get('paragraph');
        if (m?.external) return { units: [], external: true };
        if (m?.unit) return { units: [m.unit] };
        return ctx.paragraph ? { units: [ctx.paragraph], note: 'same-as-current' } : { units: [], unresolved: 'no-context' };
      }
      if (!ctx.article) return { units: [], unresolved: 'no-context' };
      const paras = paragraphsOf(ctx.article);
      const i = ctx.paragraph ? paras.indexOf(ctx.paragraph) : -1;
      const backwards = c.form === 'prev' || c.form === 'uptoPrev' || c.form === 'prevAll' || c.form === 'prevN';
      if (backwards && i <= 0) {
        // 「前項」 for the previous 第N (特記事項 第17): the previous articles
        const asArticles = c.form === 'uptoPrev' || (idx.bareStyle && (c.form === 'prev' || c.form === 'prevAll' || c.form === 'prevN'));
        if (asArticles) {
          const r = relativeIn(articleList(idx, ctx.article), articleIndex(idx, ctx.article), c);
          if (!r.unresolved) r.note = 'paragraph-as-article';
          return r;
        }
        if (i < 0 && ctx.paragraph === null && paras.length > 0 && ctx.article.body === null) return { units: [], unresolved: 'no-context' };
      }
      if (c.form === 'this') return ctx.paragraph ? { units: [ctx.paragraph] } : { units: [], unresolved: 'no-context' };
      return relativeIn(paras, i, c);
    }
    case 'item': {
      if (c.form === 'number' || c.form === 'each') {
        let host: Unit | undefined = cur.paragraph ?? cur.article;
        if (!host && !hasHigher(cur, 'item')) host = ctxItemHost(ctx, idx) ?? undefined;
        if (!host) return { units: [], unresolved: 'no-context' };
        let { items, note } = itemsOf(host);
        if (!items.length && host.kind === 'paragraph' && !cur.paragraph && ctx.article) {
          // 第二号 in a later paragraph: the items of the article's first paragraph
          ({ items, note } = itemsOf(ctx.article));
        }
        if (!items.length) return { units: [], unresolved: 'no-items' };
        if (c.form === 'each') return items.length > MAX_LISTED_TARGETS ? { units: items.slice(0, MAX_LISTED_TARGETS), note: 'targets-capped' } : { units: items, note };
        const u = note === 'paragraphs-as-items' ? items.find((p) => paragraphNumber(p) === c.value?.[0]) : findByValue(items, c.value);
        return u ? { units: [u], note } : missing;
      }
      if (c.form === 'same') {
        const m = mentions.get('item');
        if (m?.external) return { units: [], external: true };
        if (m?.unit) return { units: [m.unit] };
        return ctx.item ? { units: [ctx.item], note: 'same-as-current' } : { units: [], unresolved: 'no-context' };
      }
      if (!ctx.item) return { units: [], unresolved: 'no-context' };
      const host = idx.parent.get(ctx.item);
      const items = host ? host.children.filter((x) => x.kind === 'item') : [];
      return relativeIn(items, items.indexOf(ctx.item), c);
    }
    case 'subitem': {
      const host = cur.item ?? ctx.item;
      if (!host) return { units: [], unresolved: 'no-context' };
      const u = host.children.find((x) => x.kind === 'subitem' && x.number?.raw === c.raw);
      return u ? { units: [u] } : missing;
    }
    case 'annex':
      return resolveAnnex(c, idx, ref);
  }
  return missing;
}

function hasHigher(cur: Partial<Record<RefLevel, Unit>>, level: RefLevel): boolean {
  return (Object.keys(cur) as RefLevel[]).some((l) => LEVEL_RANK[l] < LEVEL_RANK[level] && l !== 'annex');
}

function isWithin(u: Unit, container: Unit, idx: Index): boolean {
  let p = idx.parent.get(u) ?? null;
  while (p) {
    if (p === container) return true;
    p = idx.parent.get(p) ?? null;
  }
  return false;
}

function ctxItemHost(ctx: Ctx, idx: Index): Unit | null {
  if (ctx.item) return idx.parent.get(ctx.item) ?? null;
  return ctx.paragraph ?? ctx.article;
}

function levelList(level: RefLevel, cur: Partial<Record<RefLevel, Unit>>, ctx: Ctx, idx: Index, suffix?: string): Unit[] {
  if (level === 'part') return idx.parts;
  if (level === 'chapter') {
    const part = cur.part;
    return part ? idx.chapters.filter((c) => isWithin(c, part, idx)) : idx.chapters;
  }
  const chapter = cur.chapter ?? ctx.chapter;
  const pool = chapter ? chapter.children : idx.doc.units;
  return pool.filter((u) => u.kind === 'division' && (!suffix || !u.number || u.number.raw.includes(suffix) || (suffix === '節' && !/[款目]/.test(u.number.raw))));
}

/**
 * The most units one reference lists as its targets. 「前各条」 names every article before it: a
 * draft of 20,000 articles each citing 前各条 held 200 million targets (1.8 GB, and as much again
 * in the server's reference memo). No contract comes near: 前各項 and 各号 cover a handful. Past
 * it, a reference keeps the nearest units (the ones before it; the first items) and the note
 * 'targets-capped'.
 */
export const MAX_LISTED_TARGETS = 200;

/** 前N / 次N / 前各N / 前Nまで / 前二N / 本N / 同N (no antecedent) within a list at position i. */
function relativeIn(list: Unit[], i: number, c: RawComp): CompResult {
  switch (c.form) {
    case 'prev':
      return i > 0 ? { units: [list[i - 1]] } : { units: [], unresolved: i < 0 ? 'no-context' : 'no-previous' };
    case 'next':
      return i >= 0 && i + 1 < list.length ? { units: [list[i + 1]] } : { units: [], unresolved: i < 0 ? 'no-context' : 'no-next' };
    case 'uptoPrev':
    case 'prevAll':
      if (i <= 0) return { units: [], unresolved: i < 0 ? 'no-context' : 'no-previous' };
      return i > MAX_LISTED_TARGETS ? { units: list.slice(i - MAX_LISTED_TARGETS, i), note: 'targets-capped' } : { units: list.slice(0, i) };
    case 'prevN': {
      const n = c.value?.[0] ?? 2;
      return i >= n ? { units: list.slice(i - n, i) } : { units: [], unresolved: i < 0 ? 'no-context' : 'no-previous' };
    }
    case 'this':
    case 'same':
      return i >= 0 ? { units: [list[i]] } : { units: [], unresolved: 'no-context' };
    default:
      return { units: [], unresolved: 'missing' };
  }
}

/** The document's annexes of these kinds, in order, and by number (built once per kinds). */
function annexesOf(kinds: readonly string[], idx: Index): { all: Unit[]; byValue: Map<string, Unit[]> } {
  const key = kinds.join('\u0000');
  let got = idx.annexesByKinds.get(key);
  if (!got) {
    const all = idx.doc.annexes.filter((a) => kinds.includes(annexKindOf(a)));
    const byValue = new Map<string, Unit[]>();
    for (const a of all) {
      if (!a.number) continue;
      const k = a.number.value.join('-');
      const list = byValue.get(k);
      if (list) list.push(a);
      else byValue.set(k, [a]);
    }
    idx.annexesByKinds.set(key, (got = { all, byValue }));
  }
  return got;
}

function resolveAnnex(c: RawComp, idx: Index, ref: Reference): CompResult {
  const annexes = idx.doc.annexes;
  if (annexes.length === 0) return { units: [], unresolved: 'annex-not-in-document' };
  const kind = c.annexKind ?? '別紙';
  const kinds =
    kind === '様式' || kind === '別紙様式' || kind === '別記様式'
      ? ['別記様式', '別紙様式', '様式']
      : kind === '別記'
        ? ['別記', '別記様式']
        : [kind];
  const ofKinds = annexesOf(kinds, idx);
  let cands = ofKinds.all;
  if (c.value) {
    const numbered = ofKinds.byValue.get(c.value.join('-')) ?? [];
    if (numbered.length) cands = numbered;
    else if (!(c.value[0] === 1 && cands.length === 1 && !cands[0].number?.value.length)) cands = [];
  }
  if (!cands.length) return { units: [], unresolved: 'annex-missing' };
  if (c.annexTitle) {
    const byTitle = cands.filter((a) => a.heading && normalizeHeading(a.heading.text) === normalizeHeading(c.annexTitle?.text ?? ''));
    if (byTitle.length) {
      if (ref.annexTitle) ref.annexTitle.matches = true;
      return { units: [byTitle[0]] };
    }
    if (ref.annexTitle) ref.annexTitle.matches = false;
  }
  return { units: [cands[0]] };
}
