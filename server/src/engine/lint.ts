/**
 * The one entry point every front end calls: text → document → analysis → findings.
 * Synchronous and cache-friendly: tokens are cached per paragraph by the tokenizer, so a
 * re-lint after an edit re-tokenises only what changed. Never throws on any input.
 *
 * `lintSteps` is the same lint as a generator that pauses between its stages (between the
 * parser's passes, after parsing, after the clause stage, before each rule): `lint` runs it to the
 * end at once, `lintAsync` (lintAsync.ts) yields to the event loop at the pauses and warms the
 * token cache at 'prepared'.
 */
import type { Analysis } from './analysis';
import { clauseStage } from './clause/stage';
import { isDisabled, readDirectives } from './directives';
import { recogniseForms } from './form/recognise';
import type { Finding, Level, LevelSetting } from './findings';
import { parseSteps } from './model/parser';
import type { ParsedDocument } from './model/types';
import { RULES } from './rules/registry';
import { runToEnd } from './steps';
import type { Report, Rule } from './rules/types';
import { LintSettings, withDefaults } from './settings';
import { LineIndex } from './text/lines';
import type { Tokenizer } from './tokenizer/types';

export interface LintOptions {
  settings?: Partial<LintSettings>;
  /** Omit (or null) before the tokenizer is ready: only rules that need no tokens run. */
  tokenizer?: Tokenizer | null;
  isCancelled?: () => boolean;
  /** Restrict to these rules (tests). */
  only?: readonly string[];
}

export interface LintResult {
  document: ParsedDocument;
  analysis: Analysis;
  findings: Finding[];
  /** Rules that did not run because they need the tokenizer. */
  pendingRules: string[];
  cancelled: boolean;
}

/** Level for a rule under the settings, or 'off'. */
export function configuredLevel(rule: Rule, settings: LintSettings): LevelSetting | undefined {
  const r = settings.rules;
  if (typeof r === 'string') return r;
  if (r && typeof r === 'object' && Object.prototype.hasOwnProperty.call(r, rule.id)) return r[rule.id];
  if (settings.style === 'off' && rule.id === 'style/notation') return 'off';
  return undefined;
}

/**
 * Where `lintSteps` pauses while it parses (between the parser's passes: engine/model/parser.ts
 * `parseSteps`): there is no document yet. A caller may yield to the event loop there, not stop.
 */
export interface ParsingPause {
  stage: 'parsing';
}

const PARSING: ParsingPause = { stage: 'parsing' };

/** Where `lintSteps` pauses: the document and analysis so far (read-only for the caller). */
export interface LintPause {
  /** 'parsed': document, directives, forms; 'prepared': template and alignment too; 'rule': before a rule runs. */
  stage: 'parsed' | 'prepared' | 'rule';
  document: ParsedDocument;
  analysis: Analysis;
  /** The rule about to run ('rule'). */
  ruleId?: string;
}

export function lint(text: string, options: LintOptions = {}): LintResult {
  return runToEnd(lintSteps(text, options));
}

/** The lint as steps (see the file comment); the value it returns is `lint`'s result. */
export function* lintSteps(text: string, options: LintOptions = {}): Generator<LintPause | ParsingPause, LintResult, void> {
  flatten(text);
  const settings = withDefaults(options.settings);
  const isCancelled = options.isCancelled ?? (() => false);
  const lines = new LineIndex(text);
  const directives = readDirectives(text, lines);
  const parsing = parseSteps(text, { maxChars: settings.maxChars, ignore: directives.spans });
  let parsed = parsing.next();
  while (!parsed.done) {
    yield PARSING;
    parsed = parsing.next();
  }
  const document = parsed.value;
  const tokenizer = options.tokenizer ?? null;
  const forms = recogniseForms(text, { ignore: directives.spans, lines });
  const analysis: Analysis = { settings, directives, lines, tokenizer, forms };
  yield { stage: 'parsed', document, analysis };
  analysis.clause = clauseStage(document, analysis);
  yield { stage: 'prepared', document, analysis };
  const findings: Finding[] = [];
  const pendingRules: string[] = [];
  let cancelled = false;

  const analysable = !document.problems.some((p) => p.code === 'binary' || p.code === 'too-large');

  for (const rule of RULES) {
    if (options.only && !options.only.includes(rule.id)) continue;
    const configured = configuredLevel(rule, settings);
    if (configured === 'off') continue;
    if (!analysable && rule.meta.category !== 'structure') continue;
    if (rule.meta.needs.tokens && !tokenizer) {
      pendingRules.push(rule.id);
      continue;
    }
    yield { stage: 'rule', document, analysis, ruleId: rule.id };
    if (isCancelled()) {
      cancelled = true;
      break;
    }
    const report = (r: Report): void => {
      const level: Level = (configured as Level | undefined) ?? r.level ?? rule.meta.defaultLevel;
      const span = clampSpan(r.span, text.length);
      if (isDisabled(directives, rule.id, lines.positionAt(span.start).line)) return;
      findings.push({
        ruleId: rule.id,
        level,
        messageId: r.messageId,
        data: r.data ?? {},
        span,
        ref: r.ref,
        canonical: r.canonical,
        fixes: r.fixes,
        related: r.related,
      });
    };
    try {
      rule.check({ doc: document, analysis, report, isCancelled });
    } catch (e) {
      // A rule bug must not take the others down: report it where the user can see it.
      findings.push({
        ruleId: rule.id,
        level: 'hint',
        messageId: 'internal-error',
        data: { rule: rule.id, error: e instanceof Error ? e.message : String(e) },
        span: { start: 0, end: 0 },
      });
    }
  }
  // rule ids are ASCII: plain comparison orders them as localeCompare would, without ICU's cost
  findings.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
  return { document, analysis, findings, pendingRules, cancelled };
}

/**
 * An editor's text after an edit is a V8 "cons string" (prefix + change + suffix), on which every
 * charCodeAt walks the tree; converting it to a number (which fails at once) makes V8 flatten it
 * in place, so the parser's character loops run on a flat string. No effect on the value.
 */
function flatten(text: string): void {
  if (text.length > 4096) Number(text);
}

function clampSpan(s: { start: number; end: number }, len: number): { start: number; end: number } {
  const start = Math.max(0, Math.min(s.start, len));
  const end = Math.max(start, Math.min(s.end, len));
  return { start, end };
}
