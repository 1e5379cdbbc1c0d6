/** --fix mechanics: safe fixes only, non-overlapping per pass, repeated until none is left (≤ 10 passes). */
import * as assert from 'node:assert/strict';
import type { Finding } from '../../server/src/engine/findings';
import { MAX_PASSES, applyOnePass, fixText } from '../../server/src/cli/fix';

function finding(start: number, end: number, newText: string, safe = true, extra: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'test',
    level: 'warning',
    messageId: 'x',
    data: {},
    span: { start, end },
    fixes: [{ titleId: 't', edits: [{ span: { start, end }, newText }], safe }],
    ...extra,
  };
}

/** A fake rule: every 'a' should be 'b'. */
function aToB(text: string): Finding[] {
  const out: Finding[] = [];
  for (let i = 0; i < text.length; i++) if (text[i] === 'a') out.push(finding(i, i + 1, 'b'));
  return out;
}

describe('cli: fix', () => {
  it('applies safe fixes and skips unsafe ones', () => {
    const r = applyOnePass('abc', [finding(0, 1, 'X'), finding(2, 3, 'Z', false)]);
    assert.equal(r.text, 'Xbc');
    assert.equal(r.applied, 1);
  });

  it('applies non-overlapping fixes in one pass, leaving overlapping ones for the next', () => {
    const r = applyOnePass('abcdef', [finding(0, 2, 'XY'), finding(1, 3, 'QQ'), finding(4, 5, 'E')]);
    assert.equal(r.text, 'XYcdEf');
    assert.equal(r.applied, 2);
  });

  it('a fix with several edits is applied whole or not at all', () => {
    const multi: Finding = {
      ...finding(0, 1, ''),
      fixes: [
        {
          titleId: 't',
          safe: true,
          edits: [
            { span: { start: 0, end: 1 }, newText: '「' },
            { span: { start: 4, end: 5 }, newText: '」' },
          ],
        },
      ],
    };
    assert.equal(applyOnePass('(abc)', [multi]).text, '「abc」');
    // A clash with one of its edits drops the whole fix.
    const r = applyOnePass('(abc)', [finding(0, 2, 'Z'), multi]);
    assert.equal(r.applied, 1);
    assert.equal(r.text, 'Zbc)');
  });

  it('ignores malformed fixes (out of range, overlapping edits) and no-op fixes', () => {
    assert.equal(applyOnePass('abc', [finding(2, 9, 'X')]).applied, 0);
    assert.equal(applyOnePass('abc', [finding(1, 2, 'b')]).applied, 0);
    const bad: Finding = {
      ...finding(0, 1, ''),
      fixes: [
        {
          titleId: 't',
          safe: true,
          edits: [
            { span: { start: 0, end: 2 }, newText: 'X' },
            { span: { start: 1, end: 3 }, newText: 'Y' },
          ],
        },
      ],
    };
    assert.equal(applyOnePass('abc', [bad]).applied, 0);
  });

  it('uses a later safe fix of a finding when the first is unsafe', () => {
    const f: Finding = {
      ...finding(0, 1, ''),
      fixes: [
        { titleId: 'a', safe: false, edits: [{ span: { start: 0, end: 1 }, newText: 'U' }] },
        { titleId: 'b', safe: true, edits: [{ span: { start: 0, end: 1 }, newText: 'S' }] },
      ],
    };
    assert.equal(applyOnePass('abc', [f]).text, 'Sbc');
  });

  it('repeats passes until nothing is left to fix', () => {
    const r = fixText('aaaa', aToB);
    assert.equal(r.text, 'bbbb');
    assert.equal(r.fixed, 4);
  });

  it('stops after MAX_PASSES when fixes keep producing new ones', () => {
    let lints = 0;
    const grow = (t: string): Finding[] => {
      lints++;
      return [finding(t.length, t.length, 'x')];
    };
    const r = fixText('', grow);
    assert.equal(r.passes, MAX_PASSES);
    assert.equal(r.text, 'x'.repeat(MAX_PASSES));
    assert.equal(lints, MAX_PASSES);
  });

  it('stops when fixes oscillate', () => {
    const flip = (t: string): Finding[] => [finding(0, 1, t === 'a' ? 'b' : 'a')];
    const r = fixText('a', flip);
    assert.ok(r.passes <= 3, String(r.passes));
  });

  it('leaves a text with no fixes untouched after one lint', () => {
    let lints = 0;
    const r = fixText('第1条', () => {
      lints++;
      return [];
    });
    assert.equal(r.text, '第1条');
    assert.equal(r.fixed, 0);
    assert.equal(lints, 1);
  });
});
