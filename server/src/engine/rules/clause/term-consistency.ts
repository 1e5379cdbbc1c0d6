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
    for (const start of occurrences[minority].slice(0, 50)) {
      const word = text.startsWith(minor.a, start) ? minor.a : minor.b;
      const replacement = word === minor.a ? major.a : major.b;
      ctx.report({
        messageId: 'mixed-parties',
        data: { word, expected: replacement },
        span: { start, end: start + word.length },
        fixes: [{ titleId: 'replace', data: { expected: replacement }, edits: [{ span: { start, end: start + word.length }, newText: replacement }], safe: false }],
      });
    }
  },
};

/**
 * Where the family's party names are written, in order. Their starts only (the two names of a
 * family have one length): a 1 MB contract names its parties tens of thousands of times, and a
 * match object for each was garbage on every lint.
 */
function findParties(text: string, f: { a: string; b: string }): number[] {
  const out: number[] = [];
  // 甲/乙 as parties, not inside words such as 甲種 or 乙類
  const re = f.a === '甲' ? /(?<![甲乙丙])[甲乙](?![甲乙丙種類板号])/g : /発注者|受注者/g;
  while (re.test(text)) out.push(re.lastIndex - f.a.length);
  return out;
}
