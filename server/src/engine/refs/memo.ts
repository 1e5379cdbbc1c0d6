/**
 * References kept across edits, per article: after an edit in one article, the resolver
 * (resolve.ts) resolves that article's references again and replays every other article's.
 *
 * Exact by construction. What the references written inside an article (or an annex) resolve
 * to depends on:
 *   - the article's own text: its units' heading and body blocks — their texts and how they map
 *     onto the source, relative to the article's start;
 *   - the document's structure: every unit's kind, place in the tree, number, heading, whether it
 *     has a body, its annex kind; the names the document calls itself by; its numbering habits;
 *   - nothing that came before the article: the resolver forgets what 同条 / 同項 meant at the
 *     start of every article and annex.
 * The structure is kept per parse (`Structure`, compared field by field with the next); a memo is
 * kept per structure and holds, per article (by its place in document order), the blocks it was
 * resolved from and the references it gave, with spans relative to the article and units as their
 * place in document order. Any edit that changes the structure (a heading, a number, a new
 * paragraph) makes another structure, and everything is resolved afresh.
 *
 * After replaying an article, the resolver's running state is what resolving it would have left:
 * the group counter moved by as many groups, and what 同条 / 同項 mean next (the mentions, for a
 * chapter heading that follows).
 *
 * Engine code: imports nothing from vscode or the LSP libraries.
 */
import type { ParsedDocument, Span, TextBlock, Unit, UnitKind } from '../model/types';
import { keptKey } from '../text/intern';
import type { HeadingWritten, RefComponent, Reference, RefLevel, RefRange } from './types';

/** Units of a document in document order, and each unit's place in it. */
export interface UnitOrder {
  list: Unit[];
  place: Map<Unit, number>;
}

export function unitOrder(doc: ParsedDocument): UnitOrder {
  const list: Unit[] = [];
  const place = new Map<Unit, number>();
  const visit = (u: Unit): void => {
    place.set(u, list.length);
    list.push(u);
    for (const c of u.children) visit(c);
  };
  for (const u of doc.units) visit(u);
  return { list, place };
}

/**
 * Everything about a document's structure the resolver may read (see the file comment), kept to
 * be compared field by field with a later parse: documents with the same structure resolve the
 * same text in the same article alike. Per unit in document order: its kind, number of children,
 * number (values and as written), heading text, whether it has a body, annex kind. Compared
 * without building anything (a signature string of a 1 MB document was ~1.5 MB of garbage per
 * lint); the strings kept are detached copies (never slices holding a document alive).
 */
export class Structure {
  private readonly kinds: UnitKind[] = [];
  private readonly children: Int32Array;
  /** Each unit's number values, from `valueStart[i]` to `valueStart[i + 1]`; units without a number have none. */
  private readonly values: number[] = [];
  private readonly valueStart: Int32Array;
  private readonly raws: (string | null)[] = [];
  private readonly headings: (string | null)[] = [];
  private readonly bodies: Uint8Array;
  private readonly annexKinds: (string | undefined)[] = [];

  constructor(
    order: UnitOrder,
    /** The names the document calls itself by, the scanner's options, the numbering habit. */
    private readonly head: string,
  ) {
    const n = order.list.length;
    this.children = new Int32Array(n);
    this.valueStart = new Int32Array(n + 1);
    this.bodies = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const u = order.list[i];
      this.kinds.push(u.kind);
      this.children[i] = u.children.length;
      this.valueStart[i] = this.values.length;
      if (u.number) for (const v of u.number.value) this.values.push(v);
      this.raws.push(u.number ? keptKey(u.number.raw) : null);
      this.headings.push(u.heading ? keptKey(u.heading.text) : null);
      this.bodies[i] = u.body ? 1 : 0;
      this.annexKinds.push(u.annexKind === undefined ? undefined : keptKey(u.annexKind));
    }
    this.valueStart[n] = this.values.length;
  }

  /** Whether `order` (with `head`) has this structure. */
  matches(order: UnitOrder, head: string): boolean {
    const list = order.list;
    if (head !== this.head || list.length !== this.kinds.length) return false;
    for (let i = 0; i < list.length; i++) {
      const u = list[i];
      if (u.kind !== this.kinds[i] || u.children.length !== this.children[i] || (u.body ? 1 : 0) !== this.bodies[i]) return false;
      if (u.annexKind !== this.annexKinds[i]) return false;
      const n = u.number;
      if ((n ? n.raw : null) !== this.raws[i]) return false;
      const from = this.valueStart[i];
      const count = this.valueStart[i + 1] - from;
      if ((n ? n.value.length : 0) !== count) return false;
      for (let k = 0; k < count; k++) if (!Object.is(n!.value[k], this.values[from + k])) return false;
      if ((u.heading ? u.heading.text : null) !== this.headings[i]) return false;
    }
    return true;
  }
}

/** The part of the structure that is not per unit, as one string (`Structure`'s `head`). */
export function structureHead(selfNames: readonly string[], scanKey: string, bareStyle: boolean): string {
  return [scanKey, bareStyle ? 'bare' : 'jo', selfNames.join('\u0001')].join('\u0000');
}

// ---------------------------------------------------------------------------------------------
// What an article was resolved from

/** The blocks an article's references come from, in the resolver's order (null: no block). */
export type ArticleBlocks = (TextBlock | null)[];

/** The blocks as kept: texts, and the block spans and segments relative to the article's start. */
interface KeptBlocks {
  texts: (string | null)[];
  shape: Int32Array;
}

function shapeOf(blocks: ArticleBlocks, base: number): Int32Array {
  let n = 0;
  for (const b of blocks) n += b ? 3 + 3 * b.segs.length : 1;
  const out = new Int32Array(n);
  let k = 0;
  for (const b of blocks) {
    if (!b) {
      out[k++] = -1;
      continue;
    }
    out[k++] = b.segs.length;
    out[k++] = b.span.start - base;
    out[k++] = b.span.end - base;
    for (const s of b.segs) {
      out[k++] = s.textStart;
      out[k++] = s.srcStart - base;
      out[k++] = s.length;
    }
  }
  return out;
}

function sameBlocks(kept: KeptBlocks, blocks: ArticleBlocks, base: number): boolean {
  if (kept.texts.length !== blocks.length) return false;
  const shape = kept.shape;
  let k = 0;
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i];
    const t = kept.texts[i];
    if (!b) {
      if (t !== null || shape[k++] !== -1) return false;
      continue;
    }
    if (t !== b.text) return false;
    if (shape[k++] !== b.segs.length || shape[k++] !== b.span.start - base || shape[k++] !== b.span.end - base) return false;
    for (const s of b.segs) {
      if (shape[k++] !== s.textStart || shape[k++] !== s.srcStart - base || shape[k++] !== s.length) return false;
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// References as kept: spans relative to the article, units by place

/** What a key of a reference or a component holds, i.e. how it is kept and replayed. */
const enum Code {
  Plain,
  Span,
  Spans,
  Unit,
  Units,
  Range,
  Heading,
  Qualifies,
  Group,
  Components,
}

function referenceCode(key: string): Code {
  switch (key) {
    case 'span':
      return Code.Span;
    case 'components':
      return Code.Components;
    case 'targets':
      return Code.Units;
    case 'source':
    case 'sourceArticle':
    case 'proposal':
      return Code.Unit;
    case 'range':
      return Code.Range;
    case 'annexTitle':
    case 'headingWritten':
      return Code.Heading;
    case 'qualifies':
      return Code.Qualifies;
    case 'group':
      return Code.Group;
    default:
      return Code.Plain;
  }
}

function componentCode(key: string): Code {
  switch (key) {
    case 'span':
    case 'numSpan':
    case 'branchPartSpan':
      return Code.Span;
    case 'branchSpans':
      return Code.Spans;
    case 'unit':
      return Code.Unit;
    default:
      return Code.Plain;
  }
}

/**
 * The keys of a reference or a component in their own order (a replayed reference has the very
 * shape of a resolved one), and how each is kept: one object per distinct key list, shared.
 */
interface Shape {
  keys: string[];
  codes: Code[];
}

/** A reference or a component as kept: its shape and the kept values. */
interface Kept {
  shape: Shape;
  values: unknown[];
}

const shapes = new Map<string, Shape>();

function shapeFor(keys: string[], codeOf: (key: string) => Code): Shape {
  const id = keys.join(',');
  let shape = shapes.get(id);
  if (!shape) {
    if (shapes.size >= 1000) shapes.clear(); // a few dozen in practice; bounded all the same
    shape = { keys, codes: keys.map(codeOf) };
    shapes.set(id, shape);
  }
  return shape;
}

/** The offsets and counters a kept reference is replayed with. */
interface Frame {
  by: number;
  order: UnitOrder;
  firstIndex: number;
  groupBase: number;
}

/** A frame to replay in: it also lists a range's units (resolve.ts `rangeOf`); kept are its ends. */
interface ReplayFrame extends Frame {
  rangeOf: RangeOf;
}

/** The units from `a` to `b` as a range covers them (without its role). */
export type RangeOf = (a: Unit, b: Unit) => Omit<RefRange, 'role'>;

const shift = (s: Span, by: number): Span => ({ start: s.start + by, end: s.end + by });

class NotKept extends Error {}

/** Throws when a unit is not in the document's tree: such an article is not kept. */
function placeOf(order: UnitOrder, u: Unit): number {
  const p = order.place.get(u);
  if (p === undefined) throw new NotKept();
  return p;
}

/** `h` moved by `by`, with `text` (kept: a detached copy; replayed: the kept one as it is). */
function shiftHeading(h: HeadingWritten, by: number, text: string): HeadingWritten {
  const out: HeadingWritten = { text, span: shift(h.span, by) };
  if (h.matches !== undefined) out.matches = h.matches;
  return out;
}

/** `from` as kept, relative to the frame (`f.by` is minus the article's start). */
function keepObject(from: object, codeOf: (key: string) => Code, f: Frame): Kept {
  const shape = shapeFor(Object.keys(from), codeOf);
  const { keys, codes } = shape;
  const values: unknown[] = [];
  for (let i = 0; i < keys.length; i++) {
    const v = (from as Record<string, unknown>)[keys[i]];
    const code = codes[i];
    if (v === undefined || v === null) {
      values.push(v);
      continue;
    }
    switch (code) {
      case Code.Plain:
        // strings are kept detached: never a slice that keeps a document alive (text/detach.ts)
        values.push(typeof v === 'string' ? keptKey(v) : v);
        break;
      case Code.Span:
        values.push(shift(v as Span, f.by));
        break;
      case Code.Spans:
        values.push((v as Span[]).map((x) => shift(x, f.by)));
        break;
      case Code.Unit:
        values.push(placeOf(f.order, v as Unit));
        break;
      case Code.Units:
        values.push((v as Unit[]).map((u) => placeOf(f.order, u)));
        break;
      case Code.Range: {
        // kept as the places of its two ends: the units between are the resolver's to list
        const r = v as RefRange;
        values.push(r.to < r.from ? { role: r.role } : { role: r.role, from: placeOf(f.order, r.within[r.from]), to: placeOf(f.order, r.within[r.to]) });
        break;
      }
      case Code.Heading:
        values.push(shiftHeading(v as HeadingWritten, f.by, keptKey((v as HeadingWritten).text)));
        break;
      case Code.Qualifies:
        values.push((v as number) - f.firstIndex);
        break;
      case Code.Group:
        values.push((v as number) - f.groupBase);
        break;
      case Code.Components:
        values.push((v as RefComponent[]).map((c) => keepObject(c, componentCode, f)));
        break;
    }
  }
  return { shape, values };
}

/** The object kept as `k`, replayed in the frame (`f.by` is the article's start). */
function replayObject(k: Kept, f: ReplayFrame): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const { keys, codes } = k.shape;
  const values = k.values;
  for (let i = 0; i < keys.length; i++) {
    const v = values[i];
    if (v === undefined || v === null) {
      out[keys[i]] = v;
      continue;
    }
    let r: unknown;
    switch (codes[i]) {
      case Code.Plain:
        r = v;
        break;
      case Code.Span:
        r = shift(v as Span, f.by);
        break;
      case Code.Spans: {
        const a = v as Span[];
        const o = new Array<Span>(a.length);
        for (let j = 0; j < a.length; j++) o[j] = shift(a[j], f.by);
        r = o;
        break;
      }
      case Code.Unit:
        r = f.order.list[v as number];
        break;
      case Code.Units: {
        const a = v as number[];
        const o = new Array<Unit>(a.length);
        for (let j = 0; j < a.length; j++) o[j] = f.order.list[a[j]];
        r = o;
        break;
      }
      case Code.Range: {
        const range = v as { role: 'start' | 'end'; from?: number; to?: number };
        r =
          range.from === undefined || range.to === undefined
            ? { role: range.role, within: [], from: 0, to: -1 }
            : { role: range.role, ...f.rangeOf(f.order.list[range.from], f.order.list[range.to]) };
        break;
      }
      case Code.Heading:
        r = shiftHeading(v as HeadingWritten, f.by, (v as HeadingWritten).text);
        break;
      case Code.Qualifies:
        r = (v as number) + f.firstIndex;
        break;
      case Code.Group:
        r = (v as number) + f.groupBase;
        break;
      case Code.Components: {
        const a = v as Kept[];
        const o = new Array<unknown>(a.length);
        for (let j = 0; j < a.length; j++) o[j] = replayObject(a[j], f);
        r = o;
        break;
      }
    }
    out[keys[i]] = r;
  }
  return out;
}

/** What 同条 / 同項 / 同号 meant when the article ended. */
export interface Mention {
  unit: Unit | null;
  external: boolean;
}

interface KeptArticle {
  blocks: KeptBlocks;
  refs: Kept[];
  groupsUsed: number;
  mentions: [RefLevel, number | null, boolean][];
}

// ---------------------------------------------------------------------------------------------
// The memo

/**
 * Structures kept: two documents edited in turn. A structure an edit left behind (a heading
 * changed) comes back only with an undo; each costs ~1–3 KB per article (a heap snapshot and the
 * heap's growth disagree).
 */
const MAX_STRUCTURES = 2;
/** The structures kept, least recently used first, each with its articles. */
const memos: { structure: Structure; articles: Map<number, KeptArticle> }[] = [];
let enabled = true;
let hits = 0;
let misses = 0;

/**
 * Turns the memo on or off (tests compare against resolving everything; the command line lints
 * each file once); what it holds stays. Returns whether it was on.
 */
export function setReferenceMemo(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

/** Empties the memo (benchmarks: a cold start). */
export function clearReferenceMemo(): void {
  memos.length = 0;
}

/** Articles replayed and resolved since the start (tests, benchmarks). */
export function referenceMemoStats(): { hits: number; misses: number; structures: number } {
  return { hits, misses, structures: memos.length };
}

/** The memo of one structure, for one resolution of a document. */
export class ArticleMemo {
  private readonly articles: Map<number, KeptArticle> | null;

  /** The memo of the document whose units are `order` (its structure's `head`: `structureHead`). */
  constructor(order: UnitOrder, head: string) {
    if (!enabled) {
      this.articles = null;
      return;
    }
    const at = memos.findIndex((m) => m.structure.matches(order, head));
    const entry = at >= 0 ? memos.splice(at, 1)[0] : { structure: new Structure(order, head), articles: new Map<number, KeptArticle>() };
    memos.push(entry); // most recently used last
    while (memos.length > MAX_STRUCTURES) memos.shift();
    this.articles = entry.articles;
  }

  /**
   * The article's references replayed into `out` (and the state the resolver is left in), or
   * null when the article must be resolved: not kept, or its blocks changed.
   */
  replay(
    order: UnitOrder,
    article: Unit,
    blocks: ArticleBlocks,
    out: Reference[],
    groupBase: number,
    rangeOf: RangeOf,
  ): { groupsUsed: number; mentions: Map<RefLevel, Mention> } | null {
    if (!this.articles) return null;
    const place = order.place.get(article);
    const kept = place === undefined ? undefined : this.articles.get(place);
    const base = article.span.start;
    if (!kept || !sameBlocks(kept.blocks, blocks, base)) {
      misses++;
      return null;
    }
    hits++;
    const frame: ReplayFrame = { by: base, order, firstIndex: out.length, groupBase, rangeOf };
    for (const k of kept.refs) out.push(replayObject(k, frame) as unknown as Reference);
    const mentions = new Map<RefLevel, Mention>();
    for (const [level, unit, external] of kept.mentions) mentions.set(level, { unit: unit === null ? null : order.list[unit], external });
    return { groupsUsed: kept.groupsUsed, mentions };
  }

  /** Keeps what resolving the article gave: `refs` (its references, as the resolver left them). */
  keep(
    order: UnitOrder,
    article: Unit,
    blocks: ArticleBlocks,
    refs: readonly Reference[],
    firstIndex: number,
    groupBase: number,
    groupsUsed: number,
    mentions: ReadonlyMap<RefLevel, Mention>,
  ): void {
    if (!this.articles) return;
    const place = order.place.get(article);
    if (place === undefined) return;
    const base = article.span.start;
    const frame: Frame = { by: -base, order, firstIndex, groupBase };
    try {
      const kept: KeptArticle = {
        blocks: { texts: blocks.map((b) => (b ? keptKey(b.text) : null)), shape: shapeOf(blocks, base) },
        refs: refs.map((r) => keepObject(r, referenceCode, frame)),
        groupsUsed,
        mentions: [...mentions].map(([level, m]) => [level, m.unit ? placeOf(order, m.unit) : null, m.external]),
      };
      this.articles.set(place, kept);
    } catch (e) {
      if (!(e instanceof NotKept)) throw e;
      this.articles.delete(place);
    }
  }
}
