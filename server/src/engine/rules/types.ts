/**
 * The rule contract. Every rule is a small module exporting a `Rule`: a stable id, its meta
 * data and a `check` that reports findings through the context. Rules never throw on bad input
 * (the runner catches and reports an internal error as a finding of the rule).
 */
import type { Finding, Fix, Level, RelatedInfo } from '../findings';
import type { Analysis } from '../analysis';
import type { ParsedDocument, Span } from '../model/types';

export type RuleCategory = 'clause' | 'structure' | 'reference' | 'style' | 'form';

export interface RuleMeta {
  category: RuleCategory;
  defaultLevel: Level;
  /** What the rule needs; rules needing tokens run once the tokenizer is ready. */
  needs: { tokens?: boolean; template?: boolean };
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
}

export type { Finding };
