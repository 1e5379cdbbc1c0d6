/**
 * `keiyaku/canonicalText` (client → server request): the canonical text a document is compared
 * with, for the client's "Compare with Standard Text" diff and "Insert Standard Article…".
 *
 * `text` is the canonical text arranged in the DRAFT's order and numbering (standard-view.ts):
 * units that match are written as the draft writes them, so that a line diff against the draft
 * lines up; canonical units missing from the draft appear at their place; draft units the
 * standard lacks are blank lines. `original` is the template's own text. Both have the template's
 * errata corrected — the wording quick fixes insert.
 *
 * `keiyaku/insertArticleEdit` (client → server request): the WorkspaceEdit inserting one
 * canonical article (or annex) where the alignment says it belongs, numbered to fit and in the
 * draft's conventions; with `renumber`, the later articles move down one and the references to
 * them follow.
 */
import type { Unit } from '../engine/model/types';
import type { Template } from '../engine/templates';
import type { LintResult } from '../engine/lint';
import { standardUnits } from '../engine/edits';
import { standardView } from '../engine/standard-view';

export const CANONICAL_TEXT_REQUEST = 'keiyaku/canonicalText';
export const INSERT_ARTICLE_EDIT_REQUEST = 'keiyaku/insertArticleEdit';

export interface CanonicalTextParams {
  uri: string;
}

export interface CanonicalArticle {
  /** The article's number as the template writes it: 「第3条」, 「第１４」, 「別紙」. */
  ref: string;
  /** The unit's label in the template (the `label` of keiyaku/insertArticleEdit): 「第3条」, 「第14」, 「別紙」. */
  label: string;
  heading?: string;
  /** The article's full text, heading line included, as the template writes it. */
  text: string;
  /** The draft's counterpart, as the draft numbers it (「第 13」), when the draft has one. */
  draftRef?: string;
}

export interface CanonicalTextResult {
  template: string;
  name?: string;
  /** The canonical text in the draft's order and numbering (the template's own text when nothing aligns). */
  text: string;
  /** The template's own text. */
  original?: string;
  articles?: CanonicalArticle[];
  /** The template's annexes (別紙, 別記様式), in the same shape. */
  annexes?: CanonicalArticle[];
}

export interface InsertArticleEditParams {
  uri: string;
  /** The canonical unit's label (CanonicalArticle.label). */
  label: string;
  /** Also move the later articles down one and rewrite the references to them. */
  renumber?: boolean;
  /** The document version the request is made for: another one gets null. */
  version?: number;
}

function corrected(t: Template, text: string): string {
  let out = text;
  for (const e of t.errata) out = out.split(e.wrong).join(e.right);
  return out;
}

export function canonicalTextOf(t: Template, draft?: LintResult | null): CanonicalTextResult {
  const stage = draft?.analysis.clause;
  const view = draft && stage?.template === t ? standardView(draft.document, stage) : null;
  const counterparts = new Map(stage?.template === t ? standardUnits(stage).map((x) => [x.canonical, x.draft] as const) : []);
  const original = corrected(t, t.text);
  const entry = (u: Unit): CanonicalArticle => {
    const d = counterparts.get(u);
    return {
      ref: u.number?.raw ?? u.label,
      label: u.label,
      heading: u.heading?.text,
      text: corrected(t, t.text.slice(u.span.start, u.span.end)).replace(/\s+$/, ''),
      ...(d ? { draftRef: d.number?.raw.trim() || d.label } : {}),
    };
  };
  return {
    template: t.id,
    name: t.name,
    text: view?.text ?? original,
    original,
    articles: t.doc.articles.map(entry),
    annexes: t.doc.annexes.map(entry),
  };
}
