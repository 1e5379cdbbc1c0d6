/**
 * text/intern.ts: one kept string per distinct block text, bounded by two generations. String
 * identity is not observable in JavaScript, so the counters tell which lookups found a kept one.
 */
import * as assert from 'node:assert/strict';
import { INTERN_MAX_CHARS, intern, internStats, resetIntern } from '../../server/src/engine/text/intern';
import { parseDocument } from '../../server/src/engine/model/parser';
import { fixtureTexts } from './fixture-texts';

const SENTENCE = '甲は、乙に対し、直ちに報告しなければならない。';

describe('intern (text/intern.ts)', () => {
  beforeEach(() => resetIntern());

  it('keeps the first of equal texts cut from different documents and answers later ones with it', () => {
    assert.equal(intern(('x' + SENTENCE + 'y').slice(1, -1)), SENTENCE);
    assert.deepEqual(internStats(), { hits: 0, misses: 1, entries: 1, chars: SENTENCE.length });
    assert.equal(intern(('z' + SENTENCE + 'w').slice(1, -1)), SENTENCE);
    assert.equal(internStats().hits, 1);
    assert.equal(intern('短い'), '短い');
    assert.equal(internStats().entries, 1, 'short texts are not kept');
  });

  it('answers the re-parse of an edited document from the texts of the first parse', () => {
    const [, text] = fixtureTexts(['seeds'])[0];
    parseDocument(text);
    const first = internStats();
    assert.ok(first.misses > 10);
    parseDocument(text.replace('情報', '情 報'));
    const second = internStats();
    const newTexts = second.misses - first.misses;
    assert.ok(newTexts >= 1 && newTexts <= 3, `${newTexts} texts kept anew after a one-place edit`);
    assert.ok(second.hits - first.hits > 10);
  });

  it('keeps two generations at most: a text unused for two generations is kept anew', () => {
    intern(SENTENCE + '（一）');
    const filler = (i: number): string => `${i}:`.padEnd(100_000, '〇');
    let n = 0;
    // a generation later the text is still found (and moves to the newer generation)
    for (let c = 0; c < INTERN_MAX_CHARS; c += 100_000) intern(filler(n++));
    let before = internStats().hits;
    intern(SENTENCE + '（一）');
    assert.equal(internStats().hits, before + 1);
    // two full generations without it: dropped
    for (let c = 0; c < 2 * INTERN_MAX_CHARS + 100_000; c += 100_000) intern(filler(n++));
    before = internStats().misses;
    intern(SENTENCE + '（一）');
    assert.equal(internStats().misses, before + 1);
    assert.ok(internStats().chars <= 2 * INTERN_MAX_CHARS, 'bounded');
  });
});
