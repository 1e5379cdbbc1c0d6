/**
 * Cross-references inside a document: what the resolver finds and what it resolves them to.
 *
 * Engine code: imports nothing from `vscode` or the LSP libraries. Every span is a span of the
 * ORIGINAL text (mapped through the block that holds the reference), so the editor can use the
 * references for go-to-definition, find references, hover and document links as they are.
 */
import type { NumberStyle, Span, Unit } from '../model/types';

/** absolute: 第N条, 別紙「…」; relative: 前条, 同項, 各号; external: 会社法第２条, 法第N条. */
export type RefKind = 'absolute' | 'relative' | 'external';

/** The level a component of a reference names. */
export type RefLevel =
  | 'part' // 第N編
  | 'chapter' // 第N章
  | 'division' // 第N節
  | 'subdivision' // 第N款 / 第N目
  | 'article' // 第N条 / bare 第N
  | 'paragraph' // 第M項
  | 'item' // 第K号
  | 'subitem' // イ, ロ after a 号
  | 'annex'; // 別紙, 別記様式, 別表

/**
 * How a component was written:
 * number 第N…; prev 前条; next 次条; same 同条 (the one just mentioned); this 本条; prevAll 前各項;
 * prevN 前二条; uptoPrev 前条まで / 前項まで; each 各号; annex 別紙…
 */
export type RefForm = 'number' | 'prev' | 'next' | 'same' | 'this' | 'prevAll' | 'prevN' | 'uptoPrev' | 'each' | 'annex';

export interface RefComponent {
  level: RefLevel;
  form: RefForm;
  /** The component as written, e.g. "第 12", "第三十六条の二", "前項", "各号". */
  raw: string;
  span: Span;
  /** form 'number': the value (branch numbers add elements); prevN: [count]. */
  value?: number[];
  /** form 'number': how the digits were written. */
  style?: NumberStyle;
  /** form 'number': source span of the main digits only (what renumbering rewrites). */
  numSpan?: Span;
  /** form 'number': source spans of the branch digits (の２ → the ２), in order. */
  branchSpans?: Span[];
  /** form 'number': source span of the whole branch part (の２の３), empty at the end of the main number when none. */
  branchPartSpan?: Span;
  /** The unit word after the number as written (条, 條, 項, 号, 章, 節…); '' for a bare 第N. */
  suffix?: string;
  /** True when this component was not written but taken from the reference before it (「第3条第1項及び第2項」 → 第3条). */
  inherited?: boolean;
  /** The unit this component resolved to (第3条 of 「第3条第2項」), when it names exactly one. */
  unit?: Unit;
}

export type UnresolvedReason =
  /** No unit with that number (第25 in a document of 20 articles). */
  | 'missing'
  /** 前条 in the first article, 前項 in a first paragraph, 前号 in a first item. */
  | 'no-previous'
  /** 次条 in the last article, 次項 in the last paragraph. */
  | 'no-next'
  /** 各号 / 第K号 where the unit has no items. */
  | 'no-items'
  /** 第M項 outside any article, 前号 outside any item: nothing to be relative to. */
  | 'no-context'
  /** 別紙 / 別記様式 named but the document has no such annex. */
  | 'annex-missing'
  /** The document has no annex at all (it may be a separate file). */
  | 'annex-not-in-document';

export interface HeadingWritten {
  /** The heading as written in the parentheses (e.g. 機密データの返還等). */
  text: string;
  span: Span;
  /** Whether it matches the target's own heading (after normalisation). */
  matches?: boolean;
}

export type RefNote =
  /** 「前項」 written for the previous 第N (the 特記事項 第17 does it). */
  | 'paragraph-as-article'
  /** 「各号」 / 「第K号」 resolved to numbered paragraphs under a lead sentence (１ ２ ３ used as items). */
  | 'paragraphs-as-items'
  /** 同条 / 同項 with nothing mentioned before it: resolved to the unit the text is in. */
  | 'same-as-current'
  /**
   * 「前各条」「前各項」「各号」 over more units than a reference lists (`MAX_LISTED_TARGETS`,
   * resolve.ts): the targets are the nearest ones only.
   */
  | 'targets-capped';

/**
 * The units a range 「第3条から第5条まで」 covers: `within[from]` to `within[to]` (inclusive), where
 * `within` is the list of the endpoints and their siblings of the same kind, shared by every range
 * over it (the document's articles, its chapters, a unit's paragraphs): a draft of thousands of
 * articles with thousands of ranges holds no copy per range (see `rangeUnits`).
 */
export interface RefRange {
  role: 'start' | 'end';
  within: readonly Unit[];
  from: number;
  to: number;
}

/** The units a range covers, in order. */
export function rangeUnits(r: RefRange): Unit[] {
  return r.within.slice(r.from, r.to + 1);
}

/** Whether a range covers `u`. */
export function rangeCovers(r: RefRange, u: Unit): boolean {
  for (let i = r.from; i <= r.to; i++) if (r.within[i] === u) return true;
  return false;
}

export interface Reference {
  /** Source span of the reference as written (the chain of components, without a heading). */
  span: Span;
  /** The reference as written (logical text: PDF line breaks removed). */
  text: string;
  kind: RefKind;
  components: RefComponent[];
  /** Units the reference names (several for 前各項, 各号, 前条まで); empty when unresolved or external. */
  targets: Unit[];
  /** 別紙「…」: the title written in the brackets. */
  annexTitle?: HeadingWritten;
  /** 「第12（機密データの返還等）」: the heading written with the reference. */
  headingWritten?: HeadingWritten;
  unresolved?: UnresolvedReason;
  /** Level of the component that could not be resolved. */
  unresolvedLevel?: RefLevel;
  note?: RefNote;
  /** The unit whose text (body or heading) contains the reference; null for free text. */
  source: Unit | null;
  /** The article the reference is in, if any. */
  sourceArticle: Unit | null;
  /** Lists and ranges: references written together share a group id. */
  group?: number;
  /** A range 「第3条から第5条まで」: role of this endpoint and the units the range covers. */
  range?: RefRange;
  /**
   * A reference written inside the parentheses after another one (「第14（第１項の規定を除く。）」):
   * index (in the document's reference list) of the reference it qualifies.
   */
  qualifies?: number;
  /** The article this reference should point to, judged by the heading written with it (条ズレ). */
  proposal?: Unit;
  /** How the proposal was found: the same heading, or the most similar one. */
  proposalBy?: 'heading' | 'similar-heading';
}

export interface DocumentReferences {
  /** Every reference, in document order. */
  all: Reference[];
  /** Time spent resolving, in milliseconds. */
  elapsedMs: number;
}
