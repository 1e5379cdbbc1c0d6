/**
 * Findings: what rules report. Locale-free: a finding carries a message id and data;
 * front ends render it with `formatMessage` (i18n/messages.ts) in the user's language.
 */
import type { Span } from './model/types';

export type Level = 'error' | 'warning' | 'information' | 'hint';
export type LevelSetting = Level | 'off';

export const LEVELS: readonly Level[] = ['error', 'warning', 'information', 'hint'];

/** One text replacement against the original text. */
export interface TextEdit {
  span: Span;
  newText: string;
}

export interface Fix {
  /** Message id (in the rule's catalogue section) of the action title. */
  titleId: string;
  data?: Record<string, string | number>;
  edits: TextEdit[];
  /** Safe to apply without review (CLI --fix, fix all, fix on save). */
  safe: boolean;
}

export interface RelatedInfo {
  span?: Span;
  messageId: string;
  data?: Record<string, string | number>;
}

export interface Finding {
  ruleId: string;
  level: Level;
  /** Message id within the rule's section of the catalogue. */
  messageId: string;
  data: Record<string, string | number>;
  /** Where, in the original text. */
  span: Span;
  /** The canonical unit this finding concerns, e.g. 「第14第2項」. */
  ref?: string;
  /** The canonical wording, shown with the finding. */
  canonical?: string;
  fixes?: Fix[];
  related?: RelatedInfo[];
}

/** Numeric severity in ESLint's JSON shape: 2 error, 1 warning, 0 information or hint. */
export function severityNumber(level: Level): 0 | 1 | 2 {
  return level === 'error' ? 2 : level === 'warning' ? 1 : 0;
}
