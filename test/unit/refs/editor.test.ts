import * as assert from 'node:assert/strict';
import { parseDocument } from '../../../server/src/engine/model/parser';
import { componentAt, definitionAt, referenceAt, referencesTo } from '../../../server/src/engine/refs';
import { read } from './helpers';

describe('refs: editor helpers', () => {
  const text = read('dev-07-tokki-canonical.txt');
  const doc = parseDocument(text);
  const at = (s: string, k = 0): number => {
    let i = -1;
    for (let n = 0; n <= k; n++) i = text.indexOf(s, i + 1);
    assert.ok(i >= 0, s);
    return i;
  };

  it('finds the reference under the cursor, its heading included, and where it leads', () => {
    const off = at('第 13（再委託等') + 2;
    assert.equal(referenceAt(doc, off)?.text, '第 13');
    assert.equal(referenceAt(doc, at('再委託等の相手方からの回収等）、第 14'))?.text, '第 13');
    assert.deepEqual(definitionAt(doc, off).map((u) => u.label), ['第13']);
    // inside the brackets of 第 14: the 第１項 is the innermost reference
    assert.deepEqual(definitionAt(doc, at('第１項の規定を除く') + 1).map((u) => u.label), ['第14第1項']);
    assert.equal(referenceAt(doc, at('受注者は、本契約に基づく')), undefined);
    // external citations lead nowhere
    assert.deepEqual(definitionAt(doc, at('第２条第３号の２')), []);
  });

  it('goes to the unit of the component under the cursor', () => {
    const d = parseDocument('第1条　甲は、第2条第2項の通知をする。\n第2条　乙は、通知する。\n２　乙は、再度通知する。\n');
    const t = d.text;
    const r = referenceAt(d, t.indexOf('第2条第2項'));
    assert.equal(componentAt(r!, t.indexOf('第2条第2項'))?.raw, '第2条');
    assert.deepEqual(definitionAt(d, t.indexOf('第2条第2項')).map((u) => u.label), ['第2条']);
    assert.deepEqual(definitionAt(d, t.indexOf('第2項')).map((u) => u.label), ['第2条第2項']);
  });

  it('finds every reference to an article, into it, and through ranges', () => {
    const a14 = doc.articles[13];
    // 「前項まで」 (第17) names 第1–第16, 第14 among them
    assert.deepEqual(referencesTo(doc, a14).map((r) => r.text), ['前項まで', '第 14', '第１項']);
    assert.deepEqual(referencesTo(doc, a14, { inside: false }).map((r) => r.text), ['前項まで', '第 14']);
    const a5 = doc.articles[4];
    assert.deepEqual(referencesTo(doc, a5).map((r) => r.text), ['第５', '前項まで', '第５']);
    const s = parseDocument('第1条　第2条から第4条までの規定による。\n第2条　甲。\n第3条　乙。\n第4条　丙。\n');
    assert.deepEqual(referencesTo(s, s.articles[2]).map((r) => r.text), ['第2条']);
    assert.deepEqual(referencesTo(s, s.articles[2], { ranges: false }), []);
  });
});
