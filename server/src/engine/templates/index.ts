/**
 * Canonical templates: the two published documents (and a workspace's own variants), parsed by
 * the same parser as drafts, with their parties and their errata.
 */
import { parseDocument } from '../model/parser';
import type { ParsedDocument } from '../model/types';
import { TOKKI_TEXT } from './data/tokki';
import { TOKUYAKU_TEXT } from './data/tokuyaku';

export interface Parties {
  /** The ordering party (甲 / 発注者). */
  a: string;
  /** The contractor (乙 / 受注者). */
  b: string;
}

/**
 * A slip in the published text. Alignment accepts both wordings; text that quick fixes insert
 * uses the corrected one; a draft that copies the slip gets at most a style finding.
 */
export interface Erratum {
  /** Label of the unit in the template, e.g. 第19第1項. */
  label: string;
  wrong: string;
  right: string;
  /** The style rule that reports the slip. */
  rule: string;
}

export interface TemplateSource {
  id: string;
  name: string;
  text: string;
}

export interface Template {
  id: string;
  name: string;
  text: string;
  doc: ParsedDocument;
  parties: Parties;
  errata: Erratum[];
  builtin: boolean;
}

const ERRATA: Record<string, Erratum[]> = {
  tokuyaku: [
    { label: '第4条第1項', wrong: '再委託先の事業者はこの特約条項', right: '再委託先の事業者にこの特約条項', rule: 'style/typo' },
    { label: '第5条第4項', wrong: '定めるものの他', right: '定めるもののほか', rule: 'style/notation' },
    { label: '第7条第1項', wrong: '再委託先の事業者を提供した', right: '再委託先の事業者に提供した', rule: 'style/typo' },
    { label: '第8条第1項', wrong: '報告を求められることができる', right: '報告を求めることができる', rule: 'style/typo' },
    { label: '第9条第1項', wrong: '場合にあつては', right: '場合にあっては', rule: 'style/notation' },
    { label: '第11条第1項', wrong: '定めるものの他', right: '定めるもののほか', rule: 'style/notation' },
  ],
  tokki: [
    { label: '第19第1項', wrong: '存続するもとする', right: '存続するものとする', rule: 'style/typo' },
    { label: '別紙8(3)ウ', wrong: '発信を行なってはならない', right: '発信を行ってはならない', rule: 'style/typo' },
    { label: '別紙3(2)', wrong: 'この限りではない', right: 'この限りでない', rule: 'style/notation' },
    { label: '別紙9(3)', wrong: 'この限りではない', right: 'この限りでない', rule: 'style/notation' },
  ],
};

/** The built-in template ids (public: settings, the CLI's --template and directives use them). */
export const TOKUYAKU = 'tokuyaku';
export const TOKKI = 'tokki';

const BUILTIN_SOURCES: readonly (TemplateSource & { parties: Parties })[] = [
  { id: TOKUYAKU, name: '情報セキュリティに関する特約条項', text: TOKUYAKU_TEXT, parties: { a: '甲', b: '乙' } },
  { id: TOKKI, name: '情報セキュリティに関する特記事項', text: TOKKI_TEXT, parties: { a: '発注者', b: '受注者' } },
];

export const BUILTIN_TEMPLATE_IDS = BUILTIN_SOURCES.map((s) => s.id);

const cache = new Map<string, Template>();

function makeTemplate(src: TemplateSource, builtin: boolean, parties?: Parties): Template {
  const key = `${builtin ? 'b' : 'c'}:${src.id}:${src.text.length}:${hash(src.text)}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const doc = parseDocument(src.text);
  const t: Template = {
    id: src.id,
    name: src.name,
    text: src.text,
    doc,
    parties: parties ?? detectParties(src.text),
    errata: ERRATA[src.id] && builtin ? ERRATA[src.id] : [],
    builtin,
  };
  cache.set(key, t);
  if (cache.size > 16) cache.delete(cache.keys().next().value as string);
  return t;
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i += 7) h = (h * 31 + s.charCodeAt(i)) | 0;
  return h;
}

/** The parties a text uses: 甲/乙 when 甲 occurs more often than 発注者, else 発注者/受注者. */
export function detectParties(text: string): Parties {
  const count = (w: string): number => text.split(w).length - 1;
  return count('甲') + count('乙') >= count('発注者') + count('受注者') && count('甲') > 0
    ? { a: '甲', b: '乙' }
    : { a: '発注者', b: '受注者' };
}

export function builtinTemplates(): Template[] {
  return BUILTIN_SOURCES.map((s) => makeTemplate(s, true, s.parties));
}

export function getTemplate(id: string, custom: readonly TemplateSource[] = []): Template | null {
  const b = BUILTIN_SOURCES.find((s) => s.id === id);
  if (b) return makeTemplate(b, true, b.parties);
  const c = custom.find((s) => s.id === id);
  return c ? makeTemplate(c, false) : null;
}

/** The template's unit text with its errata corrected (what quick fixes insert). */
export function correctedText(t: Template, label: string, text: string): string {
  let out = text;
  for (const e of t.errata) if (e.label === label) out = out.split(e.wrong).join(e.right);
  return out;
}

export interface TemplateChoice {
  template: Template | null;
  /** How it was chosen. */
  reason: 'setting' | 'directive' | 'title' | 'content' | 'none' | 'unknown-id';
  /** The id asked for when it is unknown. */
  requested?: string;
}

const TITLE_HINTS: readonly [RegExp, string][] = [
  [/特約条項/, 'tokuyaku'],
  [/特記事項|受託者向け情報セキュリティ遵守事項/, 'tokki'],
];

/**
 * Chooses the template: the in-document directive wins over the setting; 'auto' looks at the
 * title and then at how many article headings each template shares with the document.
 */
export function chooseTemplate(
  doc: ParsedDocument,
  setting: string,
  directive: string | undefined,
  custom: readonly TemplateSource[] = [],
): TemplateChoice {
  const requested = directive ?? setting;
  const reason = directive ? 'directive' : 'setting';
  if (requested === 'none') return { template: null, reason };
  if (requested && requested !== 'auto') {
    const t = getTemplate(requested, custom);
    return t ? { template: t, reason } : { template: null, reason: 'unknown-id', requested };
  }
  const titleText = [doc.title?.block.text ?? '', ...doc.annexes.map((a) => a.heading?.text ?? '')].join(' ');
  for (const [re, id] of TITLE_HINTS) {
    if (re.test(doc.title?.block.text ?? '')) return { template: getTemplate(id), reason: 'title' };
  }
  for (const [re, id] of TITLE_HINTS) {
    if (re.test(titleText)) return { template: getTemplate(id), reason: 'title' };
  }
  // Content: share of the document's article headings found in a template.
  const headings = new Set(doc.articles.map((a) => normHeading(a.heading?.text)).filter(Boolean));
  let best: { t: Template; score: number } | null = null;
  for (const t of [...builtinTemplates(), ...custom.map((c) => makeTemplate(c, false))]) {
    const th = t.doc.articles.map((a) => normHeading(a.heading?.text)).filter(Boolean);
    const shared = th.filter((h) => headings.has(h)).length;
    const score = th.length ? shared / th.length : 0;
    if (!best || score > best.score) best = { t, score };
  }
  if (best && best.score >= 0.4) return { template: best.t, reason: 'content' };
  return { template: null, reason: 'none' };
}

function normHeading(h: string | undefined): string {
  return (h ?? '').normalize('NFKC').replace(/\s/g, '');
}
