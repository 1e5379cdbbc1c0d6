/**
 * The document model: what the parser makes of a contract's plain text.
 *
 * Engine code: imports nothing from `vscode` or the LSP libraries.
 * Every offset is a UTF-16 code-unit offset into the ORIGINAL text the user typed,
 * so that every finding can point at the user's own characters.
 */

/** Half-open range of UTF-16 offsets into the original text. */
export interface Span {
  start: number;
  end: number;
}

/** 0-based line/character, as LSP and VS Code use them. */
export interface Position {
  line: number;
  character: number;
}

/**
 * A run of logical text: wrapped lines joined into one paragraph, indentation and
 * trailing blanks dropped. `segs` maps it back to the source: segment k covers
 * text[segs[k].textStart, segs[k].textStart + segs[k].length) and starts at source offset
 * segs[k].srcStart. Use `blockOffset` / `blockSpan` (text/block.ts) to map.
 */
export interface TextBlock {
  text: string;
  segs: BlockSegment[];
  span: Span;
}

export interface BlockSegment {
  textStart: number;
  srcStart: number;
  length: number;
}

/** How a number was written. */
export type NumberStyle =
  | 'arabic-half' // 1, 12
  | 'arabic-full' // １, １２
  | 'kanji' // 一, 十二
  | 'paren-half' // (1)
  | 'paren-full' // （１）
  | 'circled' // ①
  | 'katakana' // ア, イ, ウ (aiueo order)
  | 'iroha' // イ, ロ, ハ
  | 'mixed'; // full- and half-width digits in one number

export interface UnitNumber {
  /** Numeric value; a branch number adds elements: 第3条の2 → [3, 2]. */
  value: number[];
  /** Exactly as written, e.g. "第 10", "第3条の2", "２", "(1)", "ア". */
  raw: string;
  style: NumberStyle;
  /** Articles only: written 第N条 (true) or bare 第N (false). */
  jo?: boolean;
  span: Span;
}

export type UnitKind =
  | 'part' // 第一編
  | 'chapter' // 第一章
  | 'division' // 第一節
  | 'article' // 第N条 / 第N
  | 'paragraph' // 項: first implicit, then ２, ３… (or １, ２… after a lead sentence)
  | 'item' // 号: 一 / (1) / (１) / ① / １ under a paragraph
  | 'subitem' // イ, ロ / ア, イ
  | 'annex' // 別紙, 別記, 別表, 別記様式
  | 'annexSection' // １ 趣旨
  | 'annexSubsection'; // (1) 管理・保管

export interface Heading {
  /** The heading text without its brackets, e.g. "総則". */
  text: string;
  /** Span of the whole heading including brackets. */
  span: Span;
  /**
   * The heading's text mapped to the source, when it does not simply end the span: it spans
   * wrapped lines, or it stands inside brackets (【注記事項】).
   */
  block?: TextBlock;
}

export interface Unit {
  kind: UnitKind;
  /** null for an implicit first paragraph or an unnumbered annex. */
  number: UnitNumber | null;
  heading: Heading | null;
  /** The unit's own text, before any child; null when it has none. */
  body: TextBlock | null;
  children: Unit[];
  /** The whole unit, from its number or heading to the end of its last child. */
  span: Span;
  /**
   * Stable human label of the unit's place in its document, e.g. "第14", "第2条第3項",
   * "第8第2項", "別紙2(1)ア", "別記様式4". Built from values, not from how they were written.
   */
  label: string;
  /** Annexes only: which kind of annex — 別紙, 別記, 別表, 別記様式 or 附則. */
  annexKind?: string;
}

/** 'toc': a line of the 目次 (table of contents). */
export type FreeTextRole = 'title' | 'cover' | 'toc' | 'signature' | 'text';

export interface FreeText {
  role: FreeTextRole;
  block: TextBlock;
}

export type ParseProblemCode =
  | 'binary'
  | 'empty'
  | 'no-articles'
  | 'orphan-text'
  | 'too-large';

export interface ParseProblem {
  code: ParseProblemCode;
  span: Span;
  /** Values for the localised message. */
  data?: Record<string, string | number>;
}

export interface ParsedDocument {
  /** The original text, unchanged. */
  text: string;
  /** Document title (e.g. 情報セキュリティに関する特約条項), when one was found. */
  title: FreeText | null;
  /** Top-level units in order: chapters (holding articles) or articles, then annexes. */
  units: Unit[];
  /** All articles in document order, whatever chapters hold them. */
  articles: Unit[];
  /** 別紙, 別記, 別表, 別記様式 in document order. */
  annexes: Unit[];
  /** Cover text, signature block and other free text outside the units. */
  free: FreeText[];
  problems: ParseProblem[];
  /** How the document writes its numbers, for text that quick fixes insert. */
  conventions: DocumentConventions;
  /** How its lines were found to wrap (absent when it was not parsed: empty, binary, too large). */
  layout?: DocumentLayout;
}

/** Text wrapped at a fixed width (PDF extraction) or not. */
export interface DocumentLayout {
  wrapped: boolean;
  /** Lines at least this wide are taken as wrapped at the right margin (Infinity when not wrapped). */
  fullWidth: number;
}

export interface DocumentConventions {
  /** 第N条 (true) or bare 第N (false), as most articles are written. */
  articleJo: boolean;
  /**
   * Digit width most numbers use; 'full-single' is the common Japanese layout of full-width
   * single digits and half-width longer numbers (第９, 第 10).
   */
  digits: 'half' | 'full' | 'kanji' | 'full-single';
  /** Whether a space follows 第 in two-digit article numbers (the 特記事項's 「第 10」). */
  spaceInNumber: boolean;
  /** Heading bracket style. */
  headingBrackets: 'full' | 'half';
}
