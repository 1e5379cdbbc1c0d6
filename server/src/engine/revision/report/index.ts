/** The revision report formatters: stylish (terminal), json, markdown, html. */
import type { RevisionReport } from '../types';
import type { FormatOptions } from './common';
import { formatRevisionHtml, type HtmlOptions } from './html';
import { formatRevisionJson } from './json';
import { formatRevisionMarkdown } from './markdown';
import { formatRevisionStylish } from './stylish';

export type RevisionFormat = 'stylish' | 'json' | 'markdown' | 'html';
export const REVISION_FORMATS: readonly RevisionFormat[] = ['stylish', 'json', 'markdown', 'html'];

export function formatRevision(r: RevisionReport, format: RevisionFormat, o: FormatOptions & { color?: boolean } & HtmlOptions): string {
  switch (format) {
    case 'json':
      return formatRevisionJson(r, o);
    case 'markdown':
      return formatRevisionMarkdown(r, o);
    case 'html':
      return formatRevisionHtml(r, o);
    default:
      return formatRevisionStylish(r, { ...o, color: o.color ?? false });
  }
}

export type { FormatOptions } from './common';
export { formatRevisionHtml, formatRevisionJson, formatRevisionMarkdown, formatRevisionStylish };
