/**
 * Every rule, in the order they run. The registry test keeps this list, the docs pages
 * (docs/rules/ID.md), the settings schema in package.json and the message catalogues in step.
 */
import { inputRule } from './structure/input';
import { addedExceptionRule } from './clause/added-exception';
import { alteredTextRule } from './clause/altered-text';
import { changedPartyRule } from './clause/changed-party';
import { droppedRequirementRule } from './clause/dropped-requirement';
import { missingArticleRule } from './clause/missing-article';
import { missingParagraphRule } from './clause/missing-paragraph';
import { termConsistencyRule } from './clause/term-consistency';
import { weakenedDeadlineRule } from './clause/weakened-deadline';
import { weakenedObligationRule } from './clause/weakened-obligation';
import { numberingRule } from './structure/numbering';
import { brokenReferenceRule } from './reference/broken-reference';
import { templateRule } from './structure/template';
import { conjunctionRule } from './style/conjunction';
import { notationRule } from './style/notation';
import { typoRule } from './style/typo';
import { numberWidthRule } from './style/number-width';
import { conditionRule } from './style/condition';
import { definitionRule } from './style/definition';
import { formCompletenessRule } from './form/form-completeness';
import type { Rule } from './types';

export const RULES: readonly Rule[] = [
  inputRule,
  templateRule,
  numberingRule,
  brokenReferenceRule,
  missingArticleRule,
  missingParagraphRule,
  weakenedDeadlineRule,
  weakenedObligationRule,
  droppedRequirementRule,
  addedExceptionRule,
  changedPartyRule,
  termConsistencyRule,
  alteredTextRule,
  conjunctionRule,
  notationRule,
  typoRule,
  numberWidthRule,
  conditionRule,
  definitionRule,
  formCompletenessRule,
];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}

/** Docs page of a rule, relative to the repository (and the packaged extension). */
export function ruleDocsPath(id: string): string {
  return `docs/rules/${id.replace(/\//g, '-')}.md`;
}
