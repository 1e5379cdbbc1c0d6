/**
 * What the pipeline has computed for one document before the rules run:
 * text → document → (template, tokens, alignment) → findings. Computed once per lint and shared
 * by every rule, so no rule parses, tokenises or aligns again.
 */
import type { ClauseStage } from './clause/stage';
import type { Directives } from './directives';
import type { NotificationForm } from './form/recognise';
import type { ReferenceTemplate } from './refs/template';
import type { LintSettings } from './settings';
import type { LineIndex } from './text/lines';
import type { Tokenizer } from './tokenizer/types';

export interface Analysis {
  settings: LintSettings;
  directives: Directives;
  lines: LineIndex;
  /** null until the tokenizer is ready: token rules do not run then. */
  tokenizer: Tokenizer | null;
  /** Template choice and alignment (clause/stage.ts). */
  clause?: ClauseStage;
  /** 別記様式 届出書 forms found in the text (form/recognise.ts); filled ones hold answers, not wording. */
  forms: NotificationForm[];
  /** Overrides the alignment-derived reference template (tests and other aligners). */
  referenceTemplate?: ReferenceTemplate | null;
}
