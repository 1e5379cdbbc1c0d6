/**
 * Parser behaviour found while testing references on a statute-style document
 * (test/fixtures/refs/statute.txt): the 目次 is kept as table-of-contents text (role 'toc'),
 * and 附則 is a unit of its own after the last article.
 */
import * as assert from 'node:assert/strict';
import { parseDocument } from '../../../server/src/engine/model/parser';

describe('parser issues (statute-style documents)', () => {
  it('目次: table-of-contents lines are not parsed as chapters and sections', () => {
    const doc = parseDocument(
      ['目次', '　第一章　総則（第一条・第二条）', '　附則', '', '　　　第一章　総則', '第一条　この規程は、目的を定める。', '第二条　この規程は、公布の日から施行する。', ''].join('\n'),
    );
    const chapters = doc.units.filter((u) => u.kind === 'chapter');
    assert.deepEqual(chapters.map((c) => c.heading?.text), ['総則']);
  });

  it('附則: the supplementary provisions are not part of the last article', () => {
    const doc = parseDocument(['第一条　この規程は、目的を定める。', '', '　　　附　則', '', 'この規程は、令和八年四月一日から施行する。', ''].join('\n'));
    const last = doc.articles[doc.articles.length - 1];
    assert.equal(last.children[0].body?.text, 'この規程は、目的を定める。');
  });
});
