import * as assert from 'node:assert/strict';
import { occurrences } from '../../server/src/engine/text/count';

describe('occurrences', () => {
  it('counts every occurrence, overlapping ones too, and nothing for an empty piece', () => {
    assert.equal(occurrences('甲は乙に、乙は甲に', '甲'), 2);
    assert.equal(occurrences('ああああ', 'ああ'), 3);
    assert.equal(occurrences('甲は乙に', '丙'), 0);
    assert.equal(occurrences('甲は乙に', ''), 0);
  });
});
