/**
 * SARIF 2.1.0 (for code-scanning uploads): one run, the rules with their docs page as helpUri,
 * one result per message. Regions are 1-based and count UTF-16 code units (SARIF's default
 * columnKind), like the JSON report.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Level } from '../engine/findings';
import { catalogues, formatMessage, type Locale } from '../engine/i18n/messages';
import { RULES, ruleDocsPath } from '../engine/rules/registry';
import type { FileReport } from './report';

export interface SarifOptions {
  locale: Locale;
  version: string;
  /** Directory holding docs/rules (the repository or the installed package); null when unknown. */
  packageRoot: string | null;
  /** Files that could not be linted, as tool notifications. */
  notifications: { message: string; filePath?: string }[];
}

function sarifLevel(level: Level): 'error' | 'warning' | 'note' {
  return level === 'error' ? 'error' : level === 'warning' ? 'warning' : 'note';
}

function fileUri(p: string): string {
  return path.isAbsolute(p) ? pathToFileURL(p).href : p;
}

export function formatSarif(reports: readonly FileReport[], opts: SarifOptions): string {
  const ids = RULES.map((r) => r.id);
  // Rules the registry does not know (e.g. internal errors) still get a descriptor.
  for (const r of reports) for (const m of r.messages) if (!ids.includes(m.ruleId)) ids.push(m.ruleId);
  const rules = ids.map((id) => {
    const rule = RULES.find((r) => r.id === id);
    const descriptor: Record<string, unknown> = { id };
    const descKey = `${id}:description`;
    if (catalogues[opts.locale][descKey] ?? catalogues.ja[descKey]) {
      descriptor.shortDescription = { text: formatMessage(opts.locale, descKey) };
    }
    if (opts.packageRoot) descriptor.helpUri = pathToFileURL(path.join(opts.packageRoot, ruleDocsPath(id))).href;
    if (rule) descriptor.defaultConfiguration = { level: sarifLevel(rule.meta.defaultLevel) };
    return descriptor;
  });
  const results = reports.flatMap((r) =>
    r.messages.map((m) => {
      const result: Record<string, unknown> = {
        ruleId: m.ruleId,
        ruleIndex: ids.indexOf(m.ruleId),
        level: sarifLevel(m.level),
        message: { text: m.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: fileUri(r.filePath) },
              region: { startLine: m.line, startColumn: m.column, endLine: m.endLine, endColumn: m.endColumn },
            },
          },
        ],
      };
      const props: Record<string, unknown> = { keiyakuLevel: m.level };
      if (m.ref !== undefined) props.ref = m.ref;
      if (m.canonical !== undefined) props.canonical = m.canonical;
      result.properties = props;
      return result;
    }),
  );
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'keiyaku-lint',
            version: opts.version,
            rules,
          },
        },
        invocations: [
          {
            executionSuccessful: opts.notifications.length === 0,
            toolExecutionNotifications: opts.notifications.map((n) => {
              const note: Record<string, unknown> = { level: 'error', message: { text: n.message } };
              if (n.filePath) note.locations = [{ physicalLocation: { artifactLocation: { uri: fileUri(n.filePath) } } }];
              return note;
            }),
          },
        ],
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
