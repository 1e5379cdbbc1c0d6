/**
 * Every rule, in the order they run. The registry test keeps this list, the docs pages
 * (docs/rules/ID.md), the settings schema in package.json and the message catalogues in step.
 */
import { inputRule } from './structure/input';
import { numberingRule } from './structure/numbering';
import type { Rule } from './types';

export const RULES: readonly Rule[] = [inputRule, numberingRule];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}

/** Docs page of a rule, relative to the repository (and the packaged extension). */
export function ruleDocsPath(id: string): string {
  return `docs/rules/${id.replace(/\//g, '-')}.md`;
}
