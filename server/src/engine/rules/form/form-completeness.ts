/**
 * form-completeness — the 別記様式 「機密データの保存等に関する届出書」 filled in completely.
 *
 * A form with nothing written in it is the blank template and gets no finding. Once anything is
 * filled in (a date, 住所, 氏名, a mark, a value), the rule reports:
 *  - the date (年 月 日), 住所 or 氏名又は法人名等 left empty;
 *  - a choice (□ 日本国内のみ／□ 日本国外, □ 有／□ 無) with no mark or with two;
 *  - a choice that asks for details without them: 日本国外 → 国名 and 概要; ３ 有 → ア–ウ for each
 *    service; ４ 有 → 第三者認証の名称; ５ 有 → ア–ウ; ６ 有 → 再委託先等の名称 and 業務内容;
 *  - ４ answered while ３ is 無 (information), the sample text 「例 …」 left in place (information).
 * Every finding points at the field it is about. The form is recognised from its lines
 * (engine/form), inside a contract or as a document of its own.
 */
import type { Span } from '../../model/types';
import type { FormEntry, FormField, FormOption, NotificationForm } from '../../form/recognise';
import type { FieldSpec, OptionSpec } from '../../form/spec';
import type { Rule, RuleContext } from '../types';

export const formCompletenessRule: Rule = {
  id: 'form-completeness',
  meta: {
    category: 'form',
    defaultLevel: 'warning',
    needs: {},
    fixable: false,
    messages: [
      'empty-date',
      'empty-field',
      'no-choice',
      'multiple-choices',
      'missing-detail',
      'certification-without-cloud',
      'sample-left',
      'related-option',
    ],
  },
  check(ctx) {
    const forms = ctx.analysis.forms;
    for (const form of forms) {
      if (ctx.isCancelled()) return;
      if (form.filled) checkForm(ctx, form);
    }
  },
};

const FULL_DIGITS = '０１２３４５６７８９';

function entryName(e: FormEntry): string {
  return `${FULL_DIGITS[e.number] ?? e.number} ${e.spec.heading}`;
}

function fieldName(f: FieldSpec): string {
  return f.letter ? `${f.letter} ${f.label}` : f.label;
}

function optionNames(options: readonly OptionSpec[]): string {
  return options.map((o) => o.text).join('／');
}

function checkForm(ctx: RuleContext, form: NotificationForm): void {
  // Header: date, 住所, 氏名又は法人名等.
  if (form.date === null || !form.date.complete) {
    ctx.report({ messageId: 'empty-date', span: form.date?.span ?? form.titleSpan });
  }
  for (const [field, fallback] of [
    [form.address, '住所'],
    [form.name, '氏名又は法人名等'],
  ] as const) {
    if (field === null) ctx.report({ messageId: 'empty-field', data: { field: fallback }, span: form.titleSpan });
    else if (field.value.text === '') ctx.report({ messageId: 'empty-field', data: { field: field.label }, span: field.span });
  }

  const cloud = form.entries.find((e) => e.number === 3);
  for (const e of form.entries) {
    for (const sample of e.samples) {
      ctx.report({ messageId: 'sample-left', data: { sample: sample.text.trim() }, span: sample.span, level: 'information' });
    }
    if (e.spec.options.length === 0) continue;
    if (e.number === 4 && cloud) {
      const c3 = chosen(cloud);
      if (c3?.key === 'no') {
        const at = answeredAt(e);
        if (at) ctx.report({ messageId: 'certification-without-cloud', span: at, level: 'information' });
        continue;
      }
      // ３ unanswered or answered twice: ４ is checked only as far as it is filled in.
      if (c3?.key !== 'yes' && answeredAt(e) === null) continue;
    }
    checkChoice(ctx, e);
  }
}

/** The single marked option, or null (none or several). */
function chosen(e: FormEntry): FormOption | null {
  const marked = e.options.filter((o) => o.marked);
  return marked.length === 1 ? marked[0] : null;
}

/** Where an entry is answered (a mark, a value), or null when it is not. */
function answeredAt(e: FormEntry): Span | null {
  const marked = e.options.find((o) => o.marked);
  if (marked) return marked.span;
  const field = e.fields.find((f) => f.value.text !== '');
  if (field) return field.span;
  if (e.value.text !== '') return e.value.spans[0] ?? e.headingSpan;
  if (e.other.text !== '') return e.other.spans[0] ?? e.headingSpan;
  return null;
}

function related(options: readonly FormOption[]): { span: Span; messageId: string; data: Record<string, string> }[] {
  return options.map((o) => ({ span: o.span, messageId: 'related-option', data: { option: o.spec.text } }));
}

function checkChoice(ctx: RuleContext, e: FormEntry): void {
  const entry = entryName(e);
  const marked = e.options.filter((o) => o.marked);
  if (marked.length === 0) {
    const [first, ...rest] = e.options;
    ctx.report({
      messageId: 'no-choice',
      data: { entry, options: optionNames(e.spec.options) },
      span: first?.span ?? e.headingSpan,
      related: related(rest),
    });
    return;
  }
  if (marked.length > 1) {
    const [, ...rest] = marked;
    ctx.report({ messageId: 'multiple-choices', data: { entry, options: optionNames(marked.map((o) => o.spec)) }, span: marked[0].span, related: related(rest) });
    return;
  }
  const choice = marked[0];
  const requires = choice.spec.requires ?? [];
  if (requires.length === 0) return;
  const report = (spec: FieldSpec, span: Span): void =>
    ctx.report({ messageId: 'missing-detail', data: { entry, option: choice.spec.text, field: fieldName(spec) }, span });
  const specs = requires.map((k) => e.spec.fields.find((f) => f.key === k)).filter((f): f is FieldSpec => f !== undefined);
  const fields = e.fields.filter((f) => requires.includes(f.key));
  if (fields.length === 0) {
    // The labels were deleted: the details are missing under the chosen option.
    for (const spec of specs) report(spec, choice.span);
    return;
  }
  const groups = new Map<number, FormField[]>();
  for (const f of fields) groups.set(f.group, [...(groups.get(f.group) ?? []), f]);
  for (const list of groups.values()) {
    for (const spec of specs) {
      const mine = list.filter((f) => f.key === spec.key);
      if (mine.length === 0) report(spec, list[0].span);
      for (const f of mine) if (f.value.text === '') report(spec, f.span);
    }
  }
}
