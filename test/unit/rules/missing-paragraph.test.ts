/**
 * missing-paragraph: where the missing units are reported and what the fix inserts — on drafts
 * made from the standard texts by one focused edit. Each fix is applied and the text linted again:
 * the fix must remove its findings and add none of the rule (the fix property of
 * test/unit/property.test.ts, whose counterexamples on damaged drafts these are).
 */
import * as assert from 'node:assert/strict';
import type { Finding } from '../../../server/src/engine/findings';
import { formatMessage } from '../../../server/src/engine/i18n/messages';
import { lint, type LintResult } from '../../../server/src/engine/lint';
import { missingParagraphRule } from '../../../server/src/engine/rules/clause/missing-paragraph';
import { TOKKI_TEXT } from '../../../server/src/engine/templates/data/tokki';
import { TOKUYAKU_TEXT } from '../../../server/src/engine/templates/data/tokuyaku';
import { loadTokenizer } from '../../../server/src/engine/tokenizer/kuromoji';
import type { Tokenizer } from '../../../server/src/engine/tokenizer/types';

let tokenizer: Tokenizer;

function run(text: string): LintResult {
  return lint(text, { tokenizer, only: ['missing-paragraph'] });
}

function missing(r: LintResult): Finding[] {
  return r.findings.filter((f) => f.messageId === 'missing');
}

function apply(text: string, f: Finding): string {
  let out = text;
  for (const e of [...f.fixes![0].edits].sort((a, b) => b.span.start - a.span.start)) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

/** Lines without the ones starting with any of `starts` (each must match exactly one line). */
function withoutLines(text: string, ...starts: string[]): string {
  const lines = text.split('\n');
  for (const s of starts) assert.equal(lines.filter((l) => l.startsWith(s)).length, 1, `one line starts with ${s}`);
  return lines.filter((l) => !starts.some((s) => l.startsWith(s))).join('\n');
}

function replaceOnce(text: string, from: string, to: string): string {
  const i = text.indexOf(from);
  assert.ok(i >= 0 && text.indexOf(from, i + 1) < 0, `exactly one ${from}`);
  return text.slice(0, i) + to + text.slice(i + from.length);
}

/** The fix of `f` applied: no finding of the rule left for its units, none new. */
function assertFixHolds(text: string, before: LintResult, f: Finding): string {
  const fixed = apply(text, f);
  const after = run(fixed);
  const was = new Set(before.findings.map((g) => `${g.messageId} ${g.ref}`));
  const now = after.findings.map((g) => `${g.messageId} ${g.ref}`);
  assert.ok(!now.includes(`missing ${f.ref}`), `${f.ref} still missing after its fix: ${now.join(', ')}`);
  assert.deepEqual(now.filter((x) => !was.has(x)), [], 'findings the fix added');
  return fixed;
}

describe('missing-paragraph', function () {
  this.timeout(60_000);
  before(async () => {
    tokenizer = await loadTokenizer();
  });

  it('has every message in both catalogues', () => {
    for (const id of missingParagraphRule.meta.messages) {
      for (const loc of ['ja', 'en'] as const) {
        const key = `missing-paragraph:${id}`;
        assert.notEqual(formatMessage(loc, key, { ref: 'x', from: 'x', to: 'y', count: 2, text: '', into: '' }), key, `${loc} ${key}`);
      }
    }
  });

  describe('valid', () => {
    it('the standard texts themselves', () => {
      assert.deepEqual(run(TOKKI_TEXT).findings, []);
      assert.deepEqual(run(TOKUYAKU_TEXT).findings, []);
    });
  });

  describe('invalid, with the fix applied and linted again', () => {
    it('one paragraph deleted: the fix gives the standard back', () => {
      const text = withoutLines(TOKUYAKU_TEXT, '3 乙は、第1項のネットワークに接続した情報機器について');
      const r = run(text);
      const [f] = missing(r);
      assert.equal(f.ref, '第5条第3項');
      assert.equal(f.fixes?.[0].titleId, 'insert');
      assert.equal(assertFixHolds(text, r, f), TOKUYAKU_TEXT);
    });

    it('found by the fix property: the first numbered paragraph after a lead sentence goes after the lead, not above the article line', () => {
      // 第14 「報告等については、次のとおりとする。」 then １–３: without １ the lead reads as an implicit
      // first paragraph on the number line, and inserting at the start of that line put the
      // paragraph into 第13
      const text = withoutLines(TOKKI_TEXT, '１ 発注者は、必要があると認めるときは');
      const r = run(text);
      const [f] = missing(r);
      assert.equal(f.ref, '第14第1項');
      assert.equal(r.analysis.lines.positionAt(f.fixes![0].edits[0].span.start).line, r.analysis.lines.positionAt(f.span.start).line, 'inserted after the lead');
      assert.equal(assertFixHolds(text, r, f), TOKKI_TEXT);
    });

    it('found by the fix property: paragraphs missing one after another go in together, whichever finding is fixed', () => {
      // inserting 第5条第3項 alone left 第2項 and 第4項 with no place of their own (第2項 then
      // pointed at the inserted 第3項)
      const text = withoutLines(
        TOKUYAKU_TEXT,
        '2 乙は、前項のネットワークに接続した情報機器又は情報システムの端末について',
        '3 乙は、第1項のネットワークに接続した情報機器について',
        '4 乙は、第1項のネットワークに接続した情報機器について',
      );
      const r = run(text);
      const fs = missing(r);
      assert.deepEqual(fs.map((f) => f.ref), ['第5条第2項', '第5条第3項', '第5条第4項']);
      // the inserted text is the standard's with its erratum corrected (もののほか)
      const standard = replaceOnce(TOKUYAKU_TEXT, '前項に定めるものの他', '前項に定めるもののほか');
      for (const f of fs) {
        assert.equal(f.fixes?.[0].titleId, 'insert-run');
        assert.deepEqual(f.fixes?.[0].data, { from: '第5条第2項', to: '第5条第4項', count: 3 });
        assert.equal(assertFixHolds(text, r, f), standard);
      }
      assert.equal(
        formatMessage('ja', 'missing-paragraph:insert-run', fs[0].fixes![0].data),
        '標準の第5条第2項から第5条第4項まで（続けて欠けている3単位）を挿入',
      );
    });

    it('found by the fix property: units of several levels missing at one end go in together, the deepest first', () => {
      // 別紙6(1)イ, 別紙6(2) and 別紙6(3) all belong after 6(1)ア: inserting (2)–(3) there left イ
      // at that end and moved nothing else
      const text = withoutLines(
        TOKKI_TEXT,
        'イ 発注者が送付先として指定したメールアドレスが複数ある場合',
        '(2) ファイル交換・転送サービス',
        'ファイル交換・転送サービスによる送受信を行う場合は',
        '(3) オンラインストレージ',
        'オンラインストレージを利用して送受信を行う場合には',
      );
      const r = run(text);
      const fs = missing(r);
      assert.deepEqual(fs.map((f) => f.ref).sort(), ['別紙6(1)イ', '別紙6(2)', '別紙6(3)']);
      for (const f of fs) {
        assert.deepEqual(f.fixes?.[0].data, { from: '別紙6(1)イ', to: '別紙6(3)', count: 3 });
        assert.equal(assertFixHolds(text, r, f), TOKKI_TEXT);
      }
    });

    it('found by the fix property: where no place holds the text (２ renumbered １, so the first paragraph became a lead), no fix', () => {
      // 第2条's own first paragraph is now the article's lead sentence: inserting the standard
      // first paragraph anywhere leaves it unpaired (it was inserted above the article line)
      const text = replaceOnce(TOKUYAKU_TEXT, '\n2 乙は、本契約に係る業務の遂行にあたって入手した', '\n1 乙は、本契約に係る業務の遂行にあたって入手した');
      const r = run(text);
      // its text is in the draft, as the lead: misplaced (no fix), not missing
      const fs = r.findings.filter((g) => g.ruleId === 'missing-paragraph');
      assert.deepEqual(fs.map((g) => `${g.messageId} ${g.ref} ${g.data.at}`), ['misplaced 第2条第1項 第2条']);
      assert.equal(fs[0].fixes, undefined);
    });

    it('found by npm run fuzz (seed 1883389145): beside a paragraph that stands in another article, no fix', () => {
      // 第8条's line written twice, its 第2項 weakened (遅滞なく) and its 第3項 deleted: 第2項 stands
      // under the second 第8条 (moved), and 第3項 inserted after the first made the alignment read
      // 第2項 as missing there instead
      const lines = TOKUYAKU_TEXT.split('\n');
      const art8 = lines.findIndex((l) => l.startsWith('第8条 '));
      lines.splice(art8, 0, lines[art8]);
      const text = replaceOnce(
        withoutLines(lines.join('\n'), '3 乙は、この特約条項への違反の有無にかかわらず'),
        '行為が発生した場合、又は発生するおそれがあると認められる場合は、速やかに',
        '行為が発生した場合、又は発生するおそれがあると認められる場合は、遅滞なく',
      );
      const r = run(text);
      assert.deepEqual(
        r.findings.map((f) => `${f.messageId} ${f.ref ?? ''}`),
        ['missing 第8条第3項', 'moved 第8条第2項'],
      );
      assert.equal(missing(r)[0].fixes, undefined);
    });
  });
});
