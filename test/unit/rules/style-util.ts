/**
 * A small RuleTester for the style/* rules (ESLint's valid/invalid shape): each invalid case lists
 * its findings (rule, messageId, exact source position through analysis.lines, the source text
 * under the span, whether the fix is safe) and the text after applying the fixes.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Finding, Level, TextEdit } from '../../../server/src/engine/findings';
import { lint, LintResult } from '../../../server/src/engine/lint';
import type { LintSettings } from '../../../server/src/engine/settings';
import type { Tokenizer } from '../../../server/src/engine/tokenizer/types';

export const STYLE_RULES = [
  'style/conjunction',
  'style/notation',
  'style/typo',
  'style/number-width',
  'style/condition',
  'style/definition',
] as const;

export const STYLE_FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/style');

/**
 * The published seeds and dev cases, read RAW from /work/shared (as published), else from the
 * repository's copies under test/fixtures; null when neither exists (the caller skips).
 */
export function sharedFile(rel: string): string | null {
  for (const base of ['/work/shared', path.resolve(__dirname, '../../../../test/fixtures')]) {
    const p = path.join(base, rel);
    if (existsSync(p)) return readFileSync(p, 'utf8');
  }
  return null;
}

export function fixture(name: string): string {
  return readFileSync(path.join(STYLE_FIXTURES, name), 'utf8');
}

export interface ExpectedFinding {
  /** Defaults to the rule under test. */
  rule?: string;
  messageId: string;
  /** 0-based line and UTF-16 character of the span start (analysis.lines). */
  line: number;
  character: number;
  /** The ORIGINAL source text under the span. */
  text: string;
  level?: Level;
  /** Whether the first fix is marked safe; omit for a finding without a fix (asserted absent). */
  safe?: boolean;
}

export interface InvalidCase {
  name?: string;
  text: string;
  settings?: Partial<LintSettings>;
  errors: ExpectedFinding[];
  /** The text after applying every finding's first fix; omit when no finding has a fix. */
  output?: string;
}

export type ValidCase = string | { name?: string; text: string; settings?: Partial<LintSettings> };

export function runStyle(
  text: string,
  tokenizer: Tokenizer,
  only: readonly string[] = STYLE_RULES,
  settings?: Partial<LintSettings>,
): LintResult {
  return lint(text, { tokenizer, only, settings });
}

/** Applies each finding's first fix; overlapping edits after the first are skipped. */
export function applyFixes(text: string, findings: readonly Finding[], onlySafe = false): string {
  const edits: TextEdit[] = [];
  for (const f of findings) {
    const fix = f.fixes?.[0];
    if (!fix || (onlySafe && !fix.safe)) continue;
    edits.push(...fix.edits);
  }
  edits.sort((a, b) => b.span.start - a.span.start || b.span.end - a.span.end);
  let out = text;
  let limit = Infinity;
  for (const e of edits) {
    if (e.span.end > limit) continue;
    out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
    limit = e.span.start;
  }
  return out;
}

/** One line per finding, for assertion messages. */
export function describeFindings(r: LintResult): string {
  return r.findings
    .map((f) => {
      const p = r.analysis.lines.positionAt(f.span.start);
      return `${p.line}:${p.character} ${f.ruleId}:${f.messageId} «${r.document.text.slice(f.span.start, f.span.end)}»`;
    })
    .join('\n');
}

export function ruleTester(
  ruleId: string,
  tokenizer: () => Tokenizer,
  cases: { valid: ValidCase[]; invalid: InvalidCase[] },
): void {
  describe('valid', () => {
    for (const v of cases.valid) {
      const c = typeof v === 'string' ? { text: v } : v;
      it(c.name ?? c.text.slice(0, 60), () => {
        const r = runStyle(c.text, tokenizer(), [ruleId], c.settings);
        assert.equal(r.findings.length, 0, `unexpected findings:\n${describeFindings(r)}`);
      });
    }
  });
  describe('invalid', () => {
    for (const c of cases.invalid) {
      it(c.name ?? c.text.slice(0, 60), () => {
        const r = runStyle(c.text, tokenizer(), [ruleId], c.settings);
        const got = r.findings;
        assert.equal(got.length, c.errors.length, `findings:\n${describeFindings(r)}`);
        c.errors.forEach((e, i) => {
          const f = got[i];
          const pos = r.analysis.lines.positionAt(f.span.start);
          assert.equal(f.ruleId, e.rule ?? ruleId);
          assert.equal(f.messageId, e.messageId, `finding ${i}`);
          assert.deepEqual({ line: pos.line, character: pos.character }, { line: e.line, character: e.character }, `finding ${i} position`);
          assert.equal(c.text.slice(f.span.start, f.span.end), e.text, `finding ${i} span text`);
          if (e.level) assert.equal(f.level, e.level, `finding ${i} level`);
          if (e.safe === undefined) assert.equal(f.fixes, undefined, `finding ${i} should have no fix`);
          else assert.equal(f.fixes?.[0]?.safe, e.safe, `finding ${i} fix safety`);
        });
        if (c.output !== undefined) assert.equal(applyFixes(c.text, got), c.output);
      });
    }
  });
}
