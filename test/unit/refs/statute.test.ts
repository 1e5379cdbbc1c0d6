/**
 * A long statute-style document (test/fixtures/refs/statute.txt, made by gen-statute.py in the same
 * folder): 目次, 章 and 節, 第一条 to 第六十二条 with two の二 articles, 一/イ items, and references
 * of every form the resolver knows.
 */
import * as assert from 'node:assert/strict';
import { parseDocument } from '../../../server/src/engine/model/parser';
import type { Unit } from '../../../server/src/engine/model/types';
import { resolveReferences } from '../../../server/src/engine/refs/resolve';
import { brokenRefs, lineOf, read, replaceOnce } from './helpers';

const TEXT = read('statute.txt');

function count(u: Unit[], kind: string): number {
  return u.reduce((n, x) => n + (x.kind === kind ? 1 : 0) + count(x.children, kind), 0);
}

describe('refs: statute-style document', () => {
  const doc = parseDocument(TEXT);
  const refs = resolveReferences(doc).all;

  it('parses: 64 articles (第一条–第六十二条 and two の二), chapters, sections, items, sub-items, annexes', () => {
    assert.equal(doc.articles.length, 64);
    assert.equal(doc.articles[63].label, '第62条');
    assert.deepEqual(
      doc.articles.filter((a) => a.number && a.number.value.length > 1).map((a) => a.number?.raw),
      ['第十二条の二', '第三十六条の二'],
    );
    const chapters = doc.units.filter((u) => u.kind === 'chapter' && u.children.length > 0 && count(u.children, 'article') > 0);
    assert.equal(chapters.length, 7);
    assert.equal(chapters.reduce((n, c) => n + c.children.filter((d) => d.kind === 'division').length, 0), 4);
    assert.ok(count(doc.units, 'item') > 30);
    assert.equal(count(doc.units, 'subitem'), 4);
    assert.deepEqual(
      doc.annexes.map((a) => a.label),
      ['附則', '別表1', '別表2', '別記様式1'],
    );
    assert.equal(doc.problems.length, 0);
  });

  it('resolves every internal reference and recognises the external ones', () => {
    const unresolved = refs.filter((r) => r.kind !== 'external' && (r.unresolved || r.targets.length === 0));
    assert.deepEqual(unresolved.map((r) => `${lineOf(TEXT, r.span.start)} ${r.text}`), []);
    assert.deepEqual(
      refs.filter((r) => r.kind === 'external').map((r) => r.text),
      ['第五十七号', '第五条', '第十六条第三項', '第八十六号', '第二条第三号の二', '同条第四号の二'],
    );
    assert.ok(refs.length > 100, String(refs.length));
  });

  it('contains references of every form', () => {
    const forms = new Set<string>();
    for (const r of refs) {
      for (const c of r.components) forms.add(`${c.level}:${c.form}${c.inherited ? ':inherited' : ''}`);
      if (r.range) forms.add('range');
      if (r.group !== undefined && !r.range) forms.add('list');
      if (r.headingWritten) forms.add('heading');
      if (r.qualifies !== undefined) forms.add('qualified');
      if (r.components.some((c) => c.style === 'arabic-half')) forms.add('half');
      if (r.components.some((c) => c.style === 'arabic-full')) forms.add('full');
      if (r.components.some((c) => c.style === 'kanji' && (c.value?.length ?? 0) > 1)) forms.add('kanji-branch');
      if (r.source?.kind === 'annex' || r.source?.kind === 'item' && r.source.label.startsWith('別')) forms.add('from-annex');
    }
    for (const f of [
      'chapter:number', 'chapter:next', 'article:number', 'article:prev', 'article:next', 'article:same', 'article:this',
      'article:prevAll', 'article:prevN', 'article:uptoPrev', 'paragraph:number', 'paragraph:prev', 'paragraph:next',
      'paragraph:same', 'paragraph:prevAll', 'paragraph:prevN', 'item:number', 'item:prev', 'item:next', 'item:each',
      'item:prevAll', 'item:prevN', 'subitem:number', 'annex:annex', 'article:number:inherited', 'paragraph:number:inherited',
      'range', 'list', 'heading', 'qualified', 'half', 'full', 'kanji-branch', 'from-annex',
    ]) {
      assert.ok(forms.has(f), f);
    }
    assert.ok(refs.some((r) => r.text === '第 23 条' && r.targets[0]?.label === '第23条'), 'a blank inside the number');
  });

  it('yields no broken-reference finding', () => {
    assert.deepEqual(brokenRefs(TEXT), []);
  });

  it('with three references broken, yields exactly those three', () => {
    let broken = replaceOnce(TEXT, '第四十一条から第四十八条までの規定は', '第四十一条から第六十八条までの規定は');
    broken = replaceOnce(broken, '第四十五条（機密データの返還）', '第四十四条（機密データの返還）');
    broken = replaceOnce(broken, '本条の規定により委員会が定める細則', '前項の規定により委員会が定める細則');
    const fs = brokenRefs(broken);
    assert.deepEqual(
      fs.map((f) => `${lineOf(broken, f.span.start)} ${f.level} ${f.messageId} ${broken.slice(f.span.start, f.span.end)}`),
      [
        '35 warning missing-article 第六十八条',
        '300 warning stale 第四十四条',
        '306 warning no-previous-paragraph 前項',
      ],
    );
    assert.equal(fs[1].data.proposal, '第四十五条');
  });
});
