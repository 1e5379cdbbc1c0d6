/**
 * term-consistency — the parties written two ways in one document (甲/乙 and 発注者/受注者), unless
 * the document defines one as the other (「発注者（以下「甲」という。）」).
 */
import type { Rule } from '../types';

const FAMILIES = [
  { a: '甲', b: '乙' },
  { a: '発注者', b: '受注者' },
];

export const termConsistencyRule: Rule = {
  id: 'term-consistency',
  meta: {
    category: 'clause',
    defaultLevel: 'warning',
    needs: {},
    fixable: true,
    messages: ['mixed-parties', 'replace'],
  },
  check(ctx) {
    const text = ctx.doc.text;
    if (ctx.doc.articles.length === 0) return;
    // 「発注者（以下「甲」という。）」 maps one family onto the other: mixing is then intended.
    if (/(甲|乙|発注者|受注者)[（(]以下[「『](甲|乙|発注者|受注者)[」』]という/.test(text)) return;
    const occurrences = FAMILIES.map((f) => findParties(ctx.doc.units.length ? text : '', f));
    if (occurrences[0].length === 0 || occurrences[1].length === 0) return;
    const minority = occurrences[0].length < occurrences[1].length ? 0 : 1;
    const major = FAMILIES[1 - minority];
    const minor = FAMILIES[minority];
    for (const o of occurrences[minority].slice(0, 50)) {
      const replacement = o.word === minor.a ? major.a : major.b;
      ctx.report({
        messageId: 'mixed-parties',
        data: { word: o.word, expected: replacement },
        span: { start: o.start, end: o.start + o.word.length },
        fixes: [{ titleId: 'replace', data: { expected: replacement }, edits: [{ span: { start: o.start, end: o.start + o.word.length }, newText: replacement }], safe: false }],
      });
    }
  },
};

function findParties(text: string, f: { a: string; b: string }): { word: string; start: number }[] {
  const out: { word: string; start: number }[] = [];
  // 甲/乙 as parties, not inside words such as 甲種 or 乙類
  const re = f.a === '甲' ? /(?<![甲乙丙])[甲乙](?![甲乙丙種類板号])/g : /発注者|受注者/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ word: m[0], start: m.index });
  return out;
}
