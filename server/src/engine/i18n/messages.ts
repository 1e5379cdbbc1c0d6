/**
 * Message catalogues (Japanese and English) for findings, parse problems and the CLI.
 * Keys: `${ruleId}:${messageId}` for rules, `parse:${code}` for parse problems, `cli:…`,
 * `server:…` for the front ends. Placeholders are written {name}.
 */
import en from './en.json';
import ja from './ja.json';

export type Locale = 'ja' | 'en';

export const catalogues: Record<Locale, Record<string, string>> = { ja, en };

/** Maps 'en', 'en-US', 'en_GB.UTF-8', 'ja', 'ja-JP', 'C' … to a supported locale (Japanese first). */
export function resolveLocale(input: string | undefined | null): Locale {
  if (!input) return 'ja';
  const s = input.toLowerCase();
  if (s.startsWith('en')) return 'en';
  return 'ja';
}

/** Renders a message; an unknown key renders as the key itself (never throws). */
export function formatMessage(locale: Locale, key: string, data: Record<string, string | number> = {}): string {
  const template = catalogues[locale][key] ?? catalogues.ja[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in data ? String(data[name]) : m));
}

export function ruleMessageKey(ruleId: string, messageId: string): string {
  return `${ruleId}:${messageId}`;
}

/** The rendered message of a finding. */
export function findingMessage(
  locale: Locale,
  f: { ruleId: string; messageId: string; data: Record<string, string | number> },
): string {
  const key = f.messageId === 'internal-error' ? 'engine:internal-error' : ruleMessageKey(f.ruleId, f.messageId);
  return formatMessage(locale, key, f.data);
}
