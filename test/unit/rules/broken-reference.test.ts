/**
 * broken-reference: the 条ズレ fixes (stale, stale-missing, template-mismatch) must lead the
 * reference where both its written heading and the template agree — else the renumbered
 * reference is a finding of the rule again. Counterexamples of the fix property
 * (test/unit/property.test.ts) on drafts whose lines were moved, as small focused drafts; each
 * fix is applied and the text linted again. (The resolver's cases are in test/unit/refs/.)
 */
import * as assert from 'node:assert/strict';
import type { Finding } from '../../../server/src/engine/findings';
import { formatMessage } from '../../../server/src/engine/i18n/messages';
import { lint, type LintResult } from '../../../server/src/engine/lint';
import { TOKKI_TEXT } from '../../../server/src/engine/templates/data/tokki';

function run(text: string, template = 'auto'): LintResult {
  return lint(text, { only: ['broken-reference'], settings: { template } });
}

function apply(text: string, f: Finding): string {
  let out = text;
  for (const e of [...f.fixes![0].edits].sort((a, b) => b.span.start - a.span.start)) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

function describeAll(text: string, r: LintResult): string[] {
  return r.findings.filter((f) => f.level !== 'hint').map((f) => `${f.messageId} ${text.slice(f.span.start, f.span.end)}`);
}

function swapLines(text: string, a: string, b: string): string {
  const lines = text.split('\n');
  const i = lines.indexOf(a);
  const j = lines.indexOf(b);
  assert.ok(i >= 0 && j >= 0);
  [lines[i], lines[j]] = [lines[j], lines[i]];
  return lines.join('\n');
}

const DOC = [
  '（目的）',
  '第1条 この契約は、業務の委託について定める。',
  '（秘密の保持の義務）',
  '第2条 乙は、秘密を保持しなければならない。',
  '（報告）',
  '第3条 乙は、第3条（秘密保持の義務）に違反したときは、甲に報告する。',
  '',
].join('\n');

describe('broken-reference: 条ズレ fixes', () => {
  describe('valid', () => {
    it('a reference whose heading is its target’s', () => {
      const text = DOC.replace('第3条（秘密保持の義務）', '第2条（秘密の保持の義務）');
      assert.deepEqual(describeAll(text, run(text)), []);
    });
  });

  describe('invalid, with the fix applied and linted again', () => {
    it('exact heading elsewhere: the number is replaced (safe), and nothing is left', () => {
      const text = DOC.replace('第3条（秘密保持の義務）', '第3条（秘密の保持の義務）');
      const r = run(text);
      const [f] = r.findings;
      assert.equal(f.messageId, 'stale');
      assert.equal(f.fixes?.[0].titleId, 'fix-number');
      assert.equal(f.fixes?.[0].safe, true);
      const fixed = apply(text, f);
      assert.ok(fixed.includes('第2条（秘密の保持の義務）'));
      assert.deepEqual(describeAll(fixed, run(fixed)), []);
    });

    it('found by the fix property: a similar heading — renumbering alone left a heading-mismatch, so the fix writes the target’s heading too', () => {
      const text = DOC;
      const r = run(text);
      const [f] = r.findings;
      assert.equal(f.messageId, 'stale');
      assert.equal(f.data.proposal, '第2条');
      const fix = f.fixes![0];
      assert.equal(fix.titleId, 'fix-number-heading');
      assert.equal(fix.safe, false);
      assert.equal(formatMessage('ja', `broken-reference:${fix.titleId}`, fix.data), '「第3条」を「第2条」に、見出しを「秘密の保持の義務」に直す');
      assert.equal(formatMessage('en', `broken-reference:${fix.titleId}`, fix.data), 'Change “第3条” to “第2条” and its heading to “秘密の保持の義務”');
      const fixed = apply(text, f);
      assert.ok(fixed.includes('第2条（秘密の保持の義務）に違反したとき'));
      assert.deepEqual(describeAll(fixed, run(fixed)), []);
    });

    it('found by the fix property: headings swapped above the wrong articles — the heading and the template disagree, no fix', () => {
      // 「第 14（報告等。…）」: the heading 報告等 now stands above 第 15, the template aligns the
      // standard 第14 with the draft's 第 14 (its text): renumbering to 第 15 gave a template-mismatch
      const text = swapLines(TOKKI_TEXT, '（報告等）', '（立ち入り検査）');
      const r = run(text);
      const stale = r.findings.filter((f) => f.messageId === 'stale');
      assert.deepEqual(stale.map((f) => `${text.slice(f.span.start, f.span.end)} → ${f.data.proposal}`), ['第 14 → 第15']);
      assert.equal(stale[0].fixes, undefined);
      // without the template, the heading is all there is: the fix is offered and holds
      const plain = run(text, 'none').findings.find((f) => f.messageId === 'stale')!;
      assert.ok(plain.fixes?.length);
      const fixed = apply(text, plain);
      assert.deepEqual(
        run(fixed, 'none').findings.filter((f) => f.level !== 'hint' && f.span.start === plain.span.start).map((f) => f.messageId),
        [],
      );
    });

    it('found by the fix property: template-mismatch whose written heading is not the expected article’s — no renumbering', () => {
      // 「第 14（報告等…）」 names 第 14 by number and heading, but the standard 第14's paragraphs now
      // stand in a 第 21 of their own (no heading): renumbering to 第 21 gave a 条ズレ back to 第 14
      const text = TOKKI_TEXT.split('\n')
        .map((l) => (l.startsWith('１ 発注者は、必要があると') ? `第 21 ${l.slice(2)}` : l))
        .join('\n');
      const r = run(text);
      const tm = r.findings.filter((f) => f.messageId === 'template-mismatch');
      assert.deepEqual(tm.map((f) => text.slice(f.span.start, f.span.end)), ['第 14']);
      assert.equal(tm[0].fixes, undefined);
    });

    it('found by npm run fuzz (seed 1777446150): a heading mismatch where the target carries another standard article’s heading — no fix', () => {
      // 第 14's heading line moved above 第 13, under 第 13's own: 第 13 reads as headed 報告等, and
      // 「第 13（再委託等の相手方からの回収等）」 in 第 19 writes the standard's heading; writing the
      // target's (報告等, the standard 第14's) would make it name 第14
      const lines = TOKKI_TEXT.split('\n');
      const art13 = lines.findIndex((l) => l.startsWith('第 13 '));
      const text = swapLines(TOKKI_TEXT, lines[art13], '（報告等）');
      const hm = run(text).findings.filter((f) => f.messageId === 'heading-mismatch' && text.slice(f.span.start, f.span.end).startsWith('第 13（'));
      assert.equal(hm.length, 1);
      assert.equal(hm[0].fixes, undefined);
    });

    it('found by npm run fuzz (seed 2140625878): an annex title mismatch where the annex carries another standard annex’s title — no fix', () => {
      // the 別紙 under the 届出書's title (lines moved): writing that title into 「別紙「受託者向け…」」
      // would make the reference name the standard's 別記様式
      const text = TOKKI_TEXT.replace('別紙\n受託者向け情報セキュリティ遵守事項\n', '別紙\n機密データの保存等に関する届出書\n');
      const fs = run(text).findings.filter((f) => f.messageId === 'annex-title-mismatch');
      assert.equal(fs.length, 3, describeAll(text, run(text)).join('\n'));
      for (const f of fs) assert.equal(f.fixes, undefined);
    });

    it('an annex title mismatch after the annex was retitled keeps its fix, and the fix holds', () => {
      const text = TOKKI_TEXT.replace('別紙\n受託者向け情報セキュリティ遵守事項\n', '別紙\n受託者向け情報セキュリティ遵守基準\n');
      const fs = run(text).findings.filter((f) => f.messageId === 'annex-title-mismatch');
      assert.equal(fs.length, 3);
      const f = fs[0];
      assert.equal(f.fixes?.[0].titleId, 'fix-title');
      const fixed = apply(text, f);
      assert.ok(fixed.includes('別紙「受託者向け情報セキュリティ遵守基準」'));
      assert.deepEqual(
        describeAll(fixed, run(fixed)).filter((x) => !x.startsWith('paragraph-as-article')).map((x) => x.split(' ')[0]),
        ['annex-title-mismatch', 'annex-title-mismatch'],
        'one reference fixed, the two others left, nothing new',
      );
    });

    it('found by npm run fuzz (seed 1422287640): no renumbering fix to a number two articles carry', () => {
      // 第 12 renumbered 第 11 beside the real 第 11: 「第 11」 in 第 19 would not name the one meant
      const text = TOKKI_TEXT.replace('\n第 12 ', '\n第 11 ');
      const [f] = run(text).findings.filter((x) => x.messageId === 'stale-missing');
      assert.equal(text.slice(f.span.start, f.span.end), '第 12');
      assert.equal(f.fixes, undefined);
      // renumbered to a free number, the fix is offered
      const free = TOKKI_TEXT.replace('\n第 12 ', '\n第 21 ');
      const [g] = run(free).findings.filter((x) => x.messageId === 'stale-missing');
      assert.ok(g.fixes?.length, describeAll(free, run(free)).join('\n'));
    });

    it('found by npm run fuzz (seeds 871052969, 772011313, 517009712, 1134704427): no fix writes a heading or title into a reference’s brackets that would not read back as one', () => {
      const cases: [string, string, string[]][] = [
        // 「（報。告等）」: written into 「第 14（報告等。ただし、…）」 it would read as the heading 「報」
        ['（報告等）', '（報。告等）', ['heading-mismatch', 'heading-differs']],
        // a reference inside the heading would be a reference of its own
        ['（損害賠償）', '（第２条第１項損害賠償）', ['heading-mismatch', 'heading-differs']],
        // an annex's name inside the heading would be a reference of its own (fuzz seed 1134704427)
        ['（機密データの返還等）\n第 12', '（別記様式機密データの返還等）\n第 12', ['heading-mismatch', 'heading-differs']],
        // 「」 inside a title would close 別紙「…」 early
        ['別紙\n受託者向け情報セキュリティ遵守事項\n', '別紙\n受」託者向け情報セキュリティ遵守事項\n', ['annex-title-mismatch']],
      ];
      for (const [from, to, ids] of cases) {
        const text = TOKKI_TEXT.replace(from, to);
        const fs = run(text).findings.filter((f) => ids.includes(f.messageId));
        assert.ok(fs.length > 0, `${to}: ${describeAll(text, run(text)).join('\n')}`);
        for (const f of fs) assert.equal(f.fixes, undefined, `${to}: ${text.slice(f.span.start, f.span.end)}`);
      }
      // 第三者 is a word, not a reference: a heading renamed with it keeps its fix
      const renamed = TOKKI_TEXT.replace('（損害賠償）', '（第三者への損害賠償）');
      const fs = run(renamed).findings.filter((f) => f.messageId === 'heading-mismatch' || f.messageId === 'heading-differs');
      assert.ok(fs.length > 0 && fs.every((f) => f.fixes?.length), describeAll(renamed, run(renamed)).join('\n'));
    });

    it('a heading mismatch after an article’s heading was renamed keeps its fix, and the fix holds', () => {
      const text = TOKKI_TEXT.replace('（機密データの返還等）\n第 12', '（データの返却）\n第 12');
      const [f] = run(text).findings.filter((x) => x.messageId === 'heading-mismatch');
      assert.equal(text.slice(f.span.start, f.span.end), '第 12（機密データの返還等）');
      assert.equal(f.fixes?.[0].titleId, 'fix-title');
      const fixed = apply(text, f);
      assert.ok(fixed.includes('第 12（データの返却）'));
      assert.deepEqual(describeAll(fixed, run(fixed)).filter((x) => !x.startsWith('paragraph-as-article')), []);
    });

    it('single-paragraph: 「第１項」 written twice in a row is removed with the first (fuzz seed 1707119027)', () => {
      const text = TOKKI_TEXT.replace('第５により', '第２第１項第１項、第５により');
      const r = run(text);
      const [f] = r.findings.filter((x) => x.messageId === 'single-paragraph');
      assert.equal(text.slice(f.span.start, f.span.end), '第２第１項');
      const fixed = apply(text, f);
      assert.ok(fixed.includes('第２、第５により'));
      assert.deepEqual(describeAll(fixed, run(fixed)).filter((x) => !x.startsWith('paragraph-as-article')), []);
    });

    it('a 条ズレ found by a similar heading gets no fix when the target heading would not read back as one (fuzz seed 853066712)', () => {
      // 第 11 deleted, the next two renumbered; the heading of 返還等 has a 。 typed into it
      const lines = TOKKI_TEXT.split('\n');
      const i = lines.indexOf('（再委託等に係る連帯責任）');
      const text = [...lines.slice(0, i), ...lines.slice(i + 2)]
        .join('\n')
        .replace('（機密データの返還等）', '（機。密データの返還等）')
        .replace('第 12 受注者は、本契約による', '第 11 受注者は、本契約による')
        .replace('第 13 受注者が発注者の承認', '第 12 受注者が発注者の承認');
      const r = run(text);
      const f = r.findings.find((x) => x.messageId === 'stale' && text.slice(x.span.start, x.span.end) === '第 12');
      assert.ok(f, describeAll(text, r).join('; '));
      assert.equal(f.fixes, undefined, '「第 11（機。密データの返還等）」 would read as the heading 「機」');
    });

    it('a reference naming a standard article that the draft lost is not renamed after another standard article (fuzz seed 206165254)', () => {
      // 第 12（機密データの返還等） deleted, 第 13（再委託等の相手方からの回収等） renumbered 第 12
      const lines = TOKKI_TEXT.split('\n');
      const i = lines.indexOf('（機密データの返還等）');
      const text = [...lines.slice(0, i), ...lines.slice(i + 2)].join('\n').replace('第 13 受注者が発注者の承認を得て', '第 12 受注者が発注者の承認を得て');
      const r = run(text);
      const [f] = r.findings.filter((x) => x.messageId === 'heading-mismatch');
      assert.equal(text.slice(f.span.start, f.span.end), '第 12（機密データの返還等）');
      assert.equal(f.fixes, undefined, 'writing 再委託等の相手方からの回収等 would make the survival clause name another standard article');
    });

    it('a reference added before the one the standard has does not take its place (fuzz seed 2023350841)', () => {
      const from = 'あらかじめ発注者の承認を得た場合を除き、機密データの社外への持出及び第５により';
      assert.ok(TOKKI_TEXT.includes(from));
      const text = TOKKI_TEXT.replace(from, 'あらかじめ発注者の承認を得た場合（第２に定める場合を含む。）を除き、機密データの社外への持出及び第５により');
      assert.deepEqual(describeAll(text, run(text)).filter((x) => !x.startsWith('paragraph-as-article')), []);
      // the same reference in the standard's place, with another number, is still reported
      const stale = TOKKI_TEXT.replace(from, from.replace('第５', '第４'));
      assert.deepEqual(describeAll(stale, run(stale)).filter((x) => x.startsWith('template-mismatch')), ['template-mismatch 第４']);
    });

    it('template-mismatch without a written heading keeps its fix, and the fix holds', () => {
      const text = TOKKI_TEXT.replace('第 12（機密データの返還等）', '第 11');
      const r = run(text);
      const [f] = r.findings.filter((x) => x.messageId === 'template-mismatch');
      assert.equal(text.slice(f.span.start, f.span.end), '第 11');
      assert.ok(f.fixes?.length);
      const fixed = apply(text, f);
      assert.ok(fixed.includes('ただし、第 12、第 13（'));
      assert.deepEqual(describeAll(fixed, run(fixed)).filter((x) => !x.startsWith('paragraph-as-article')), []);
    });
  });
});
