/**
 * The rule contract. Every rule is a small module exporting a `Rule`: a stable id, its meta
 * data and a `check` that reports findings through the context. Rules never throw on bad input
 * (the runner catches and reports an internal error as a finding of the rule).
 */
import type { Finding, Fix, Level, RelatedInfo } from '../findings';
import type { Analysis } from '../analysis';
import type { ParsedDocument, Span, TextBlock } from '../model/types';

export type RuleCategory = 'clause' | 'structure' | 'reference' | 'style' | 'form';

export interface RuleMeta {
  category: RuleCategory;
  defaultLevel: Level;
  /**
   * What the rule needs; rules needing tokens run once the tokenizer is ready. `references`: it
   * reads the document's references (refs/resolve.ts getReferences); `comparison`: the clause
   * comparison's deviations (clause/stage.ts deviations). lintAsync computes those two ahead, in
   * steps with pauses between, so that the rule does not hold the event loop computing them.
   */
  needs: { tokens?: boolean; template?: boolean; references?: boolean; comparison?: boolean };
  fixable: boolean;
  /** Message ids this rule reports (keys of its section in the message catalogues). */
  messages: readonly string[];
}

export interface Report {
  messageId: string;
  data?: Record<string, string | number>;
  span: Span;
  /** Overrides the configured level for this finding (e.g. error for a prohibition). */
  level?: Level;
  ref?: string;
  canonical?: string;
  fixes?: Fix[];
  related?: RelatedInfo[];
}

export interface RuleContext {
  readonly doc: ParsedDocument;
  /** Extra inputs later stages attach (template, alignment, tokens); typed by the stage. */
  readonly analysis: Analysis;
  report(r: Report): void;
  /** True when the analysis was cancelled: rules with long loops should stop early. */
  isCancelled(): boolean;
}

export type { Analysis } from '../analysis';

export interface Rule {
  id: string;
  meta: RuleMeta;
  check(ctx: RuleContext): void;
  /**
   * For rules that read the style blocks one at a time through the block memo (style/text.ts
   * `checkStyleBlocks`): the check of one block, which `check` runs over every block. lintAsync
   * runs it ahead, block by block with pauses between, so that `check` then replays memoised
   * reports instead of holding the event loop for the whole document.
   */
  checkBlock?(ctx: RuleContext, block: TextBlock): void;
}

export type { Finding };
