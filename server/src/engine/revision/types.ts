/**
 * What a comparison of two revisions of one document yields: the revision report.
 *
 * Revision A (older) plays the canonical's part in the engine's aligner and comparer; B (newer)
 * plays the draft's. Locale-free like findings: every message is a catalogue key (`diff:…`)
 * plus data, rendered by the formatters (revision/report/) or the language server.
 * Engine code: imports nothing from `vscode` or the LSP libraries.
 */
import type { Span, UnitKind } from '../model/types';

/** One unit of one revision, as the report shows it. */
export interface UnitRef {
  kind: UnitKind;
  /** Stable label built from values (第36条の2, 第2条第3項第4号, 第5章の2, 別紙2(1)). */
  label: string;
  /** The number as written (第三十六条の二, ２, (1)); null when implicit. */
  number: string | null;
  heading: string | null;
  /** The whole unit in its revision's text. */
  span: Span;
  /** 1-based lines of the unit (start and end, inclusive). */
  line: number;
  endLine: number;
  /** Logical text of the unit: its own text and every descendant's, reflow removed. */
  text: string;
}

export type Direction = 'weakened' | 'strengthened' | 'neutral';

/** The scales of drafting-rules.md §1–§3, plus references, headings and plain wording. */
export type Scale = 'deadline' | 'obligation' | 'requirement' | 'exception' | 'party' | 'reference' | 'heading' | 'wording';

/** One change of wording inside a unit that both revisions have. */
export interface WordChange {
  scale: Scale;
  direction: Direction;
  /** Message id: the catalogue key is `diff:word:${messageId}`. */
  messageId: string;
  data: Record<string, string | number>;
  /** The changed words (either may be empty: inserted or removed). */
  oldText: string;
  newText: string;
  /** Where, in A's and B's source text; null when the side has no characters for it. */
  oldSpan: Span | null;
  newSpan: Span | null;
}

export type ChangeKind = 'added' | 'removed' | 'changed' | 'moved' | 'split' | 'merged';

/** A run of logical text, marked where it changed. */
export interface Segment {
  text: string;
  changed: boolean;
}

export interface UnitChange {
  /** Stable within one report (anchors in the HTML and Markdown reports). */
  id: string;
  kind: ChangeKind;
  unitKind: UnitKind;
  /** The unit in A (null for an added one). */
  old: UnitRef | null;
  /** The unit in B (null for a removed one). */
  new: UnitRef | null;
  /** Its own number changed (old and new label differ by more than their parents). */
  renumbered: boolean;
  /**
   * split: the further units of B the A unit became; merged: the further units of A that went
   * into the B unit; an added or removed chapter: the articles it holds.
   */
  related: UnitRef[];
  wording: WordChange[];
  /** Overall direction of the wording changes; null when there are none. */
  direction: Direction | 'mixed' | null;
  /** Everything but a renumbering counts as substantive. */
  substantive: boolean;
  /** Own text of the unit in A and in B, with the changed words marked (changed units only). */
  oldSegments: Segment[] | null;
  newSegments: Segment[] | null;
  /** Where the change shows in B's text (a removed unit: the place it was). */
  anchor: Span;
}

/** Consecutive sibling units renumbered alike: shown once, not as a change to each. */
export interface RenumberRun {
  id: string;
  unitKind: UnitKind;
  /** New number minus old, when both are plain numbers (no branch numbers). */
  delta: number | null;
  units: { old: UnitRef; new: UnitRef }[];
  anchor: Span;
}

export interface RevisionDocInfo {
  /** As given by the caller: a file name, "HEAD:contract.txt", … */
  name: string;
  title: string | null;
  chars: number;
  articles: number;
  annexes: number;
  /** Parse problems that make the comparison meaningless (binary, empty, too-large, no-articles). */
  problems: string[];
}

export interface RevisionSummary {
  added: number;
  removed: number;
  moved: number;
  split: number;
  merged: number;
  /** Units whose wording changed (in place, moved, split or merged). */
  changed: number;
  /** Units renumbered, and in how many runs. */
  renumbered: number;
  renumberRuns: number;
  /** Wording changes by direction. */
  weakened: number;
  strengthened: number;
  neutral: number;
  /** No substantive change: formatting, reflow, digit width and renumbering at most. */
  equivalent: boolean;
}

export interface RevisionReport {
  old: RevisionDocInfo;
  new: RevisionDocInfo;
  summary: RevisionSummary;
  /** In B's document order (removed units at the place they were). */
  changes: UnitChange[];
  renumbering: RenumberRun[];
  /** The weakenings, for the top of the report: change id and index into its `wording`. */
  weakenings: { change: string; index: number }[];
  /** Set when the comparison could not be made (then `changes` is empty). */
  error?: { key: string; data: Record<string, string | number> };
  elapsedMs: number;
}
