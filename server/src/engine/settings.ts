/** Lint settings shared by the CLI, the language server and the tests. */
import type { LevelSetting } from './findings';
import type { TemplateSource } from './templates';

export interface LintSettings {
  /** 'auto' | 'tokuyaku' | 'tokki' | 'none' | a custom template id. */
  template: string;
  /** One level for every rule, or a map rule id → level ('off' disables). */
  rules: LevelSetting | Record<string, LevelSetting>;
  /** 'kobun' (公用文 notation rules on) or 'off'. */
  style: 'kobun' | 'off';
  /** Documents larger than this (UTF-16 code units ≈ characters) get one diagnostic instead of analysis. */
  maxChars: number;
  /** A workspace's own canonical texts, selectable by id like the built-in ones. */
  customTemplates?: TemplateSource[];
}

export const DEFAULT_SETTINGS: LintSettings = {
  template: 'auto',
  rules: {},
  style: 'kobun',
  maxChars: 2 * 1024 * 1024,
};

export function withDefaults(partial: Partial<LintSettings> | undefined): LintSettings {
  return { ...DEFAULT_SETTINGS, ...(partial ?? {}) };
}
