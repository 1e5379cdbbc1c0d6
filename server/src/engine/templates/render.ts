/**
 * Writes canonical units as text in a draft's conventions (digit width, 第N or 第N条, heading
 * brackets, party names), with the template's errata corrected. Used by quick fixes, the
 * "insert standard article" command and the compare view.
 */
import type { DocumentConventions, NumberStyle, Unit } from '../model/types';
import { conventionDigits, formatNumeral } from '../text/numerals';
import { correctedText, type Parties, type Template } from './index';

export interface RenderTarget {
  conventions: DocumentConventions;
  parties: Parties;
}

function digitStyle(c: DocumentConventions, n = 10): NumberStyle {
  return c.digits === 'full' || (c.digits === 'full-single' && n < 10) ? 'arabic-full' : c.digits === 'kanji' ? 'kanji' : 'arabic-half';
}

export function mapParties(s: string, from: Parties, to: Parties): string {
  if (from.a === to.a && from.b === to.b) return s;
  const words = [from.a, from.b].sort((x, y) => y.length - x.length);
  const re = new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  return s.replace(re, (w) => (w === from.a ? to.a : to.b));
}

/** 第N / 第 N / 第N条 / 第十二条の二 in the target's conventions. */
export function articleNumberText(value: number[], c: DocumentConventions): string {
  const [main, ...branch] = value;
  const style = digitStyle(c, main);
  const digits = conventionDigits(main, c.digits);
  const space = c.spaceInNumber && !c.articleJo && digits.length > 1 && style !== 'kanji' ? ' ' : '';
  return `第${space}${digits}${c.articleJo ? '条' : ''}${branch.map((b) => `の${formatNumeral(b, style)}`).join('')}`;
}

function headingText(h: string, c: DocumentConventions): string {
  return c.headingBrackets === 'half' ? `(${h})` : `（${h}）`;
}

function numberText(u: Unit, value: number, c: DocumentConventions): string {
  const style = u.number?.style ?? 'arabic-half';
  if (style === 'arabic-half' || style === 'arabic-full' || style === 'mixed') return c.digits === 'kanji' ? formatNumeral(value, 'arabic-full') : conventionDigits(value, c.digits);
  if (style === 'paren-half' || style === 'paren-full') return formatNumeral(value, c.digits === 'full' ? 'paren-full' : 'paren-half');
  return u.number?.raw ?? formatNumeral(value, style);
}

/** The unit's own text, corrected and in the target's party names. */
export function unitText(t: Template, u: Unit, target: RenderTarget): string {
  return mapParties(correctedText(t, u.label, u.body?.text ?? ''), t.parties, target.parties);
}

/**
 * Lines of a canonical unit and its descendants as the draft would write them.
 * `number` overrides the unit's own number (an article inserted at another place).
 */
export function renderUnit(t: Template, u: Unit, target: RenderTarget, number?: number[]): string[] {
  const c = target.conventions;
  const lines: string[] = [];
  const value = number ?? u.number?.value ?? [1];
  if (u.kind === 'article') {
    if (u.heading) lines.push(headingText(u.heading.text, c));
    const first = u.children[0];
    const leadIsParagraph = first && first.kind === 'paragraph' && !first.number;
    const lead = leadIsParagraph ? unitText(t, first, target) : unitText(t, u, target);
    lines.push(`${articleNumberText(value, c)} ${lead}`);
    if (leadIsParagraph) for (const g of first.children) lines.push(...renderUnit(t, g, target));
    for (const child of leadIsParagraph ? u.children.slice(1) : u.children) lines.push(...renderUnit(t, child, target));
    return lines;
  }
  if (u.kind === 'annex') {
    // 別紙 / 別記様式 on its own line, then its title, then its sections
    lines.push(u.label);
    if (u.heading) lines.push(u.heading.text);
    if (u.body) lines.push(unitText(t, u, target));
    for (const child of u.children) lines.push(...renderUnit(t, child, target));
    return lines;
  }
  const head = u.number && u.number.value.length ? numberText(u, value[0], c) : '';
  const own = u.heading ? u.heading.text : unitText(t, u, target);
  if (head || own) lines.push(head ? `${head} ${own}` : own);
  if (u.heading && u.body) lines.push(unitText(t, u, target));
  for (const child of u.children) lines.push(...renderUnit(t, child, target));
  return lines;
}
