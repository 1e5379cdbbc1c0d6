/**
 * `keiyaku/canonicalText` (client → server request): the canonical text a document is compared
 * with, for the client's "Compare with Standard Text" diff and "Insert Standard Article…".
 * The text is the template's with its errata corrected — the wording quick fixes insert.
 */
import type { Template } from '../engine/templates';

export const CANONICAL_TEXT_REQUEST = 'keiyaku/canonicalText';

export interface CanonicalTextParams {
  uri: string;
}

export interface CanonicalArticle {
  /** The article's number as the template writes it: 「第3条」, 「第１４」. */
  ref: string;
  heading?: string;
  /** The article's full text, heading line included, ready to insert. */
  text: string;
}

export interface CanonicalTextResult {
  template: string;
  name?: string;
  text: string;
  articles?: CanonicalArticle[];
}

function corrected(t: Template, text: string): string {
  let out = text;
  for (const e of t.errata) out = out.split(e.wrong).join(e.right);
  return out;
}

export function canonicalTextOf(t: Template): CanonicalTextResult {
  return {
    template: t.id,
    name: t.name,
    text: corrected(t, t.text),
    articles: t.doc.articles.map((u) => ({
      ref: u.number?.raw ?? u.label,
      heading: u.heading?.text,
      text: corrected(t, t.text.slice(u.span.start, u.span.end)).replace(/\s+$/, ''),
    })),
  };
}
