import * as assert from 'node:assert/strict';
import { TaggedLru } from '../../server/src/engine/tokenizer/lru';

describe('TaggedLru', () => {
  it('keeps one cache per tag, drops them all past maxTags, and clears', () => {
    const lrus = new TaggedLru<number>(100, 2);
    lrus.of('甲/乙').set('本文', 1);
    lrus.of('発注者/受注者').set('本文', 2);
    assert.equal(lrus.of('甲/乙').get('本文'), 1);
    assert.equal(lrus.of('発注者/受注者').get('本文'), 2);
    assert.equal(lrus.of('甲/乙'), lrus.of('甲/乙'));
    // a third tag: the two kept are dropped
    lrus.of('A/B').set('本文', 3);
    assert.equal(lrus.of('甲/乙').get('本文'), undefined);
    lrus.of('甲/乙').set('本文', 4);
    lrus.clear();
    assert.equal(lrus.of('甲/乙').get('本文'), undefined);
  });
});
