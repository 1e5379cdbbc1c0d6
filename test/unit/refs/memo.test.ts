/**
 * References kept across edits (refs/memo.ts): resolving a document with the articles of an
 * earlier resolution replayed gives exactly the references of resolving everything, after edits
 * anywhere — in bodies, headings and numbers, edits that add or remove lines.
 */
import * as assert from 'node:assert/strict';
import { syntheticContract } from '../../../bench/synthetic';
import { parseDocument } from '../../../server/src/engine/model/parser';
import type { ParsedDocument, Unit } from '../../../server/src/engine/model/types';
import { referenceMemoStats, setReferenceMemo, unitOrder } from '../../../server/src/engine/refs/memo';
import { resolveReferences } from '../../../server/src/engine/refs/resolve';
import { rangeUnits, type DocumentReferences, type RefRange } from '../../../server/src/engine/refs/types';
import { prng as random } from '../../prng';
import { fixtureTexts } from '../fixture-texts';

/** Everything a reference says, its units written as their place in the document and label. */
function canonical(doc: ParsedDocument, refs: DocumentReferences): string {
  const order = unitOrder(doc);
  return JSON.stringify(refs.all, (key, value: unknown) => {
    if (key === 'elapsedMs') return undefined;
    // a range as the units it covers (its list is shared: the document's articles)
    if (key === 'range' && value) return { role: (value as RefRange).role, units: rangeUnits(value as RefRange) };
    if (value && typeof value === 'object' && 'kind' in value && 'children' in value && 'label' in value) {
      const u = value as Unit;
      return `unit#${order.place.get(u) ?? 'outside'}:${u.label}`;
    }
    return value;
  });
}

/** One edit at a random place: a character typed or deleted, a line broken or joined, a digit changed. */
function edit(text: string, rnd: () => number): string {
  const at = Math.floor(rnd() * (text.length + 1));
  switch (Math.floor(rnd() * 6)) {
    case 0:
    case 1:
      return text.slice(0, at) + 'の' + text.slice(at);
    case 2:
      return text.slice(0, at) + text.slice(at + 1);
    case 3:
      return text.slice(0, at) + '\n' + text.slice(at);
    case 4: {
      const nl = text.indexOf('\n', at);
      return nl < 0 ? text : text.slice(0, nl) + text.slice(nl + 1);
    }
    default: {
      const m = /[0-9０-９一二三四五六七八九]/.exec(text.slice(at));
      if (!m) return text;
      const k = at + m.index;
      return text.slice(0, k) + (text[k] === '2' ? '3' : '2') + text.slice(k + 1);
    }
  }
}

function resolvedBoth(text: string): { memo: string; fresh: string } {
  const doc = parseDocument(text);
  const memo = canonical(doc, resolveReferences(doc));
  setReferenceMemo(false);
  try {
    const again = parseDocument(text);
    return { memo, fresh: canonical(again, resolveReferences(again)) };
  } finally {
    setReferenceMemo(true);
  }
}

describe('references kept across edits (refs/memo.ts)', function () {
  this.timeout(120_000);
  afterEach(() => setReferenceMemo(true));

  it('replays exactly what resolving everything gives, on every fixture through 12 random edits', () => {
    const before = referenceMemoStats().hits;
    for (const [name, original] of fixtureTexts(['seeds', 'dev-cases', 'style', 'refs'])) {
      const rnd = random(name.length * 7919);
      let text = original;
      resolvedBoth(text);
      for (let k = 0; k < 12; k++) {
        text = edit(text, rnd);
        const { memo, fresh } = resolvedBoth(text);
        assert.equal(memo, fresh, `${name}, edit ${k}`);
      }
    }
    assert.ok(referenceMemoStats().hits - before > 500, `articles were replayed (${referenceMemoStats().hits - before})`);
  });

  it('on a 100 KB contract, an edit in one article resolves that article and replays the rest', () => {
    let text = syntheticContract(100 * 1024);
    resolvedBoth(text);
    const rnd = random(42);
    let replaying = 0;
    for (let k = 0; k < 20; k++) {
      const s0 = referenceMemoStats();
      text = edit(text, rnd);
      const { memo, fresh } = resolvedBoth(text);
      assert.equal(memo, fresh, `edit ${k}`);
      // the memo's own resolution (the fresh one is not counted: the memo is off then)
      const s1 = referenceMemoStats();
      const resolved = s1.misses - s0.misses;
      const replayed = s1.hits - s0.hits;
      // an edit that leaves the structure as it was resolves one article at most, and replays the rest
      if (replayed > 0) {
        assert.ok(resolved <= 1 && replayed > 50, `edit ${k}: ${resolved} resolved, ${replayed} replayed`);
        replaying++;
      }
    }
    assert.ok(replaying >= 10, `${replaying} of 20 edits replayed articles`);
  });

  it('ranges over thousands of articles share one list, fresh or replayed: no copy of the articles per range', () => {
    // 3,000 articles, each with a range over all of them: a list per range held 9 million units
    const n = 3000;
    const lines: string[] = [];
    for (let i = 1; i <= n; i++) lines.push(`第${i}条 第1条から第${n}条までの規定を準用する。`);
    let text = lines.join('\n') + '\n';
    const check = (doc: ParsedDocument, refs: DocumentReferences): void => {
      const ranged = refs.all.filter((r) => r.range);
      assert.equal(ranged.length, 2 * n, 'two ends of one range per article');
      for (const r of ranged) {
        assert.equal(r.range!.within, doc.articles, `${r.text}: the document's own list of articles`);
        assert.deepEqual([r.range!.from, r.range!.to], [0, n - 1]);
      }
    };
    const doc = parseDocument(text);
    check(doc, resolveReferences(doc));
    text = text.replace(`第2000条 第1条から第${n}条までの規定を準用する。`, `第2000条 第1条から第${n}条までの規定を準用するもの。`);
    const s0 = referenceMemoStats();
    const again = parseDocument(text);
    const refs = resolveReferences(again);
    assert.ok(referenceMemoStats().hits - s0.hits > n / 2, 'the other articles were replayed');
    check(again, refs);
    assert.equal(rangeUnits(refs.all.find((r) => r.range)!.range!).length, n);
    const { memo, fresh } = resolvedBoth(text);
    assert.equal(memo, fresh);
  });

  it('neither replays nor keeps while turned off', () => {
    const text = syntheticContract(30 * 1024);
    const resolved = (): string => {
      const doc = parseDocument(text);
      return canonical(doc, resolveReferences(doc));
    };
    setReferenceMemo(false);
    const s0 = referenceMemoStats();
    const a = resolved();
    const b = resolved();
    assert.deepEqual(referenceMemoStats(), s0);
    assert.ok(JSON.parse(a).length > 20, 'references found');
    assert.equal(b, a);
    setReferenceMemo(true);
    resolved();
    assert.ok(referenceMemoStats().misses > s0.misses, 'kept once turned on: nothing was kept before');
  });
});
