/**
 * The JSON revision report: the engine's report as it is, plus each message rendered in the
 * chosen language, so tools need not know the catalogue.
 */
import type { RevisionReport } from '../types';
import { changeTitle, msg, runText, verdict, wordMessage, type FormatOptions } from './common';

export const REVISION_JSON_VERSION = 1;

export function formatRevisionJson(r: RevisionReport, o: FormatOptions): string {
  const out = {
    version: REVISION_JSON_VERSION,
    old: r.old,
    new: r.new,
    summary: { ...r.summary, message: r.error ? msg(o, r.error.key, r.error.data) : verdict(o, r) },
    ...(r.error ? { error: { ...r.error, message: msg(o, r.error.key, r.error.data) } } : {}),
    weakenings: r.weakenings,
    renumbering: r.renumbering.map((run) => ({ ...run, message: runText(o, run) })),
    changes: r.changes.map((c) => ({
      ...c,
      title: changeTitle(o, c),
      wording: c.wording.map((w) => ({ ...w, message: wordMessage(o, w) })),
    })),
    elapsedMs: Math.round(r.elapsedMs * 10) / 10,
  };
  return JSON.stringify(out, null, 2) + '\n';
}
