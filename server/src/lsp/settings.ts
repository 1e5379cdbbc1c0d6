/**
 * The `keiyakuLint.*` settings as the language server sees them, and their mapping to the
 * engine's LintSettings. Settings arrive from untyped JSON (workspace/configuration,
 * initializationOptions, didChangeConfiguration): every field is validated and falls back to
 * its default, so a typo in settings.json never breaks linting.
 */
import { LEVELS, type LevelSetting } from '../engine/findings';
import type { LintSettings } from '../engine/settings';
import { normalizeCustomTemplates, type CustomTemplateSetting } from './customTemplates';

export type RunMode = 'onType' | 'onSave';
export type TraceSetting = 'off' | 'messages' | 'verbose';

/** What package.json contributes under `keiyakuLint.` (see contributes.configuration). */
export interface ServerSettings {
  template: string;
  rules: LevelSetting | Record<string, LevelSetting>;
  run: RunMode;
  delayMs: number;
  /** Language ids always linted as contracts. */
  languages: string[];
  style: 'kobun' | 'off';
  maxFileSizeKB: number;
  /** Unresolved entries; the server reads the files (customTemplates.ts). */
  customTemplates: CustomTemplateSetting[];
  trace: { server: TraceSetting };
}

const DEFAULTS: ServerSettings = {
  template: 'auto',
  rules: {},
  run: 'onType',
  delayMs: 300,
  languages: ['keiyaku'],
  style: 'kobun',
  maxFileSizeKB: 2048,
  customTemplates: [],
  trace: { server: 'off' },
};
export const DEFAULT_SERVER_SETTINGS: Readonly<ServerSettings> = Object.freeze(DEFAULTS);

const LEVEL_SETTINGS: readonly string[] = [...LEVELS, 'off'];
const MAX_DELAY_MS = 10_000;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isLevelSetting(v: unknown): v is LevelSetting {
  return typeof v === 'string' && LEVEL_SETTINGS.includes(v);
}

/**
 * Reads a `keiyakuLint` settings object. Accepts both the nested shape workspace/configuration
 * returns (`{ trace: { server: 'off' } }`) and flat dotted keys (`{ 'trace.server': 'off' }`),
 * which some clients send in initializationOptions.
 */
export function normalizeSettings(raw: unknown): ServerSettings {
  const d = DEFAULT_SERVER_SETTINGS;
  const s = isObject(raw) ? raw : {};
  const out: ServerSettings = {
    template: d.template,
    rules: d.rules,
    run: d.run,
    delayMs: d.delayMs,
    languages: [...d.languages],
    style: d.style,
    maxFileSizeKB: d.maxFileSizeKB,
    customTemplates: normalizeCustomTemplates(s.customTemplates),
    trace: { server: d.trace.server },
  };
  if (typeof s.template === 'string' && s.template.trim() !== '') out.template = s.template.trim();
  if (isLevelSetting(s.rules)) {
    out.rules = s.rules;
  } else if (isObject(s.rules)) {
    const map: Record<string, LevelSetting> = {};
    for (const [id, level] of Object.entries(s.rules)) {
      if (isLevelSetting(level)) map[id] = level;
    }
    out.rules = map;
  }
  if (s.run === 'onType' || s.run === 'onSave') out.run = s.run;
  if (typeof s.delayMs === 'number' && Number.isFinite(s.delayMs)) {
    out.delayMs = Math.round(Math.max(0, Math.min(MAX_DELAY_MS, s.delayMs)));
  }
  if (Array.isArray(s.languages)) {
    out.languages = s.languages.filter((l): l is string => typeof l === 'string' && l !== '');
  }
  if (s.style === 'kobun' || s.style === 'off') out.style = s.style;
  if (typeof s.maxFileSizeKB === 'number' && Number.isFinite(s.maxFileSizeKB) && s.maxFileSizeKB > 0) {
    out.maxFileSizeKB = s.maxFileSizeKB;
  }
  const trace = isObject(s.trace) ? s.trace.server : s['trace.server'];
  if (trace === 'off' || trace === 'messages' || trace === 'verbose') out.trace = { server: trace };
  return out;
}

/**
 * The engine's view of the settings (custom templates are added once their files are read).
 * maxFileSizeKB is a size in KB; the engine limits
 * characters (UTF-16 units). One KB → 1,024 characters: exact for ASCII, generous for Japanese
 * (3 bytes a character in UTF-8), and it keeps the defaults of both sides equal (2,048 KB ↔ 2 Mi
 * characters).
 */
export function toLintSettings(s: ServerSettings): Partial<LintSettings> {
  return {
    template: s.template,
    rules: s.rules,
    style: s.style,
    maxChars: Math.max(1, Math.round(s.maxFileSizeKB * 1024)),
  };
}

/** A stable key of everything that changes lint results (for caching). */
export function lintSettingsKey(s: ServerSettings): string {
  return JSON.stringify(toLintSettings(s));
}

/**
 * The settings a client without workspace/configuration gave in initializationOptions:
 * `{ settings: { keiyakuLint: {…} } }`, `{ keiyakuLint: {…} }` or the section itself.
 */
export function settingsFromInitOptions(init: unknown): unknown {
  if (!isObject(init)) return undefined;
  if (isObject(init.settings)) {
    return isObject(init.settings.keiyakuLint) ? init.settings.keiyakuLint : init.settings;
  }
  if (isObject(init.keiyakuLint)) return init.keiyakuLint;
  return init;
}

/** The `keiyakuLint` section of a didChangeConfiguration payload, if it carries one. */
export function settingsFromChangeNotification(settings: unknown): unknown {
  if (!isObject(settings)) return undefined;
  if (isObject(settings.keiyakuLint)) return settings.keiyakuLint;
  return undefined;
}
