/**
 * The draft against its standard (engine/standard-view.ts) and the editor's edits
 * (engine/edits.ts): the canonical text arranged in the draft's order and numbering, unit
 * comparisons for the hover, per-article status for the code lenses, fix all, ignore here,
 * insert and renumber, insert a standard article in the draft's conventions.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { applyEdits, combineFixes, disableNextLineEdit, insertAndRenumber, insertStandardUnit } from '../../server/src/engine/edits';
import type { Finding } from '../../server/src/engine/findings';
import { lint } from '../../server/src/engine/lint';
import { parseDocument } from '../../server/src/engine/model/parser';
import { renumber } from '../../server/src/engine/renumber';
import { articleStatuses, compareWithStandard, diffTexts, standardView } from '../../server/src/engine/standard-view';
import { getTemplate } from '../../server/src/engine/templates';
import { TOKUYAKU_TEXT } from '../../server/src/engine/templates/data/tokuyaku';

const FIX = path.resolve(__dirname, '../../../test/fixtures');
const read = (p: string): string => readFileSync(path.join(FIX, p), 'utf8');

/** The template's text with its errata corrected. */
function corrected(text: string): string {
  let out = text;
  for (const e of getTemplate('tokuyaku')!.errata) out = out.split(e.wrong).join(e.right);
  return out;
}

/** Article `n` (its heading line and text) taken out, the later articles renumbered. */
function withoutArticle(text: string, n: number): string {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.startsWith(`第${n}条`));
  lines.splice(i - 1, 2);
  return lines.join('\n').replace(/^第(\d+)条/gm, (m, k: string) => (Number(k) > n ? `第${Number(k) - 1}条` : m));
}

/** The 特約条項 without 第3条 (later articles renumbered), its last article citing the network article (now 第4条). */
const DRAFT = withoutArticle(TOKUYAKU_TEXT, 3).replace('乙はこれに従わなければならない。', '乙はこれに従わなければならない。なお、第4条第1項の規定を準用する。');
const ARTICLE_3 = '(従事者への教育)\n第3条 乙は、本契約に係る業務の遂行にあたって、本契約に係る業務に従事する者に対して、情報セキュリティに対する意識の向上を図るための教育を実施しなければならない。';

function missingArticleFix(text: string): Finding {
  const f = lint(text, { only: ['missing-article'] }).findings[0];
  assert.ok(f, 'a missing-article finding');
  return f;
}

describe('standard view and editor edits', function () {
  before(function () {
    assert.ok(DRAFT.includes('なお、第4条第1項の規定を準用する。') && !DRAFT.includes('(従事者への教育)'));
  });

  describe('standardView: the canonical text in the draft’s order and numbering', function () {
    it('is the draft itself when the draft is the (corrected) standard', function () {
      const text = corrected(TOKUYAKU_TEXT);
      const r = lint(text);
      const v = standardView(r.document, r.analysis.clause);
      assert.ok(v);
      assert.equal(v.text.trimEnd(), text.trimEnd());
      assert.deepEqual([v.missing, v.extra], [0, 0]);
    });

    it('puts a missing article at its place, numbers the rest as the draft does, corrects the errata', function () {
      const r = lint(DRAFT);
      const v = standardView(r.document, r.analysis.clause);
      assert.ok(v);
      // what the view must be: the corrected standard, 第3条 kept, the later articles numbered as the draft numbers them
      const expected = corrected(TOKUYAKU_TEXT).replace(/^第(\d+)条/gm, (m, k: string) => (Number(k) > 3 ? `第${Number(k) - 1}条` : m));
      assert.equal(v.text.trimEnd(), expected.trimEnd());
      assert.deepEqual([v.missing, v.extra], [1, 0]);
      // line for line with the draft around the insertion: a line diff lines up
      const dl = DRAFT.split('\n');
      const vl = v.text.split('\n');
      const at = vl.indexOf('(従事者への教育)');
      assert.deepEqual(vl.slice(0, at), dl.slice(0, at));
      assert.equal(vl[at + 2], dl[at]); // (再委託時の特約条項遵守) follows
    });

    it('writes the standard’s references in the draft’s numbering: a correctly renumbered draft lines up entirely', function () {
      const t = getTemplate('tokki')!;
      let canonical = t.text;
      for (const e of t.errata) canonical = canonical.split(e.wrong).join(e.right);
      const lines = canonical.split('\n');
      const i = lines.findIndex((l) => l.startsWith('第 10 '));
      lines.splice(i - 1, 2); // 第 10 and its heading out
      const draft = renumber(lines.join('\n')).text; // later articles and every reference renumbered
      assert.ok(draft.includes('ただし、第 11（機密データの返還等）'));
      const r = lint(draft);
      const v = standardView(r.document, r.analysis.clause);
      assert.ok(v);
      const vl = v.text.split('\n');
      const dl = draft.split('\n');
      assert.strictEqual(vl[i - 1], '（再委託等に当たっての留意事項）');
      assert.ok(vl[i].startsWith('第 10 受注者は、発注者の書面による承諾を得て'), vl[i]);
      assert.deepStrictEqual([...vl.slice(0, i - 1), ...vl.slice(i + 1)].slice(0, dl.indexOf('別紙')), dl.slice(0, dl.indexOf('別紙')));
    });

    it('shows a draft article the standard lacks as blank lines', function () {
      const text = `${corrected(TOKUYAKU_TEXT).trimEnd()}\n(反社会的勢力の排除)\n第12条 甲及び乙は、反社会的勢力と関係を持ってはならない。\n`;
      const r = lint(text);
      const v = standardView(r.document, r.analysis.clause);
      assert.ok(v);
      assert.equal(v.extra, 1);
      const lines = v.text.split('\n');
      const n = text.split('\n').indexOf('(反社会的勢力の排除)');
      assert.deepEqual(lines.slice(n, n + 2), ['', '']);
      assert.ok(!v.text.includes('反社会的勢力'));
    });

    it('is null without a template', function () {
      const r = lint(DRAFT, { settings: { template: 'none' } });
      assert.equal(standardView(r.document, r.analysis.clause), null);
    });
  });

  describe('compareWithStandard and diffTexts (hover)', function () {
    it('marks deleted canonical characters and inserted draft characters before the tokenizer is ready', function () {
      const p = { canonical: { a: '甲', b: '乙' }, draft: { a: '甲', b: '乙' } };
      const d = diffTexts('乙は、直ちに甲に報告する。', '乙は、速やかに甲に報告する。', p, null);
      assert.equal(d.granularity, 'char');
      assert.deepEqual(d.segments, [
        { op: 'same', text: '乙は、' },
        { op: 'del', text: '直ち' },
        { op: 'ins', text: '速やか' },
        { op: 'same', text: 'に甲に報告する。' },
      ]);
      // party names and digit width are not differences
      const q = diffTexts('甲は、第1項の', '発注者は、第１項の', { canonical: { a: '甲', b: '乙' }, draft: { a: '発注者', b: '受注者' } }, null);
      assert.deepEqual(q.segments, [{ op: 'same', text: '発注者は、第１項の' }]);
    });

    it('uses the comparison tokens when a tokenizer is given', function () {
      // a stand-in tokenizer: one token per run of kanji, of kana, or one symbol
      const tokenizer = {
        tokenize(text: string) {
          const out = [];
          const re = /[\u4e00-\u9fff]+|[\u3040-\u309f]+|[\u30a0-\u30ff]+|./gu;
          for (let m = re.exec(text); m; m = re.exec(text)) {
            out.push({ surface: m[0], base: m[0], pos: '名詞', pos1: '*', conjugatedForm: '*', start: m.index, end: m.index + m[0].length });
          }
          return out;
        },
      };
      const p = { canonical: { a: '甲', b: '乙' }, draft: { a: '甲', b: '乙' } };
      const d = diffTexts('乙は、直ちに甲に報告する。', '乙は、速やかに甲に報告する。', p, tokenizer);
      assert.equal(d.granularity, 'token');
      assert.deepEqual(
        d.segments.filter((s) => s.op !== 'same'),
        [
          { op: 'del', text: '直ちに' },
          { op: 'ins', text: '速やかに' },
        ],
      );
      assert.equal(d.segments.filter((s) => s.op !== 'del').map((s) => s.text).join(''), '乙は、速やかに甲に報告する。');
    });

    it('compares an article paragraph by paragraph, the errata corrected', function () {
      const r = lint(DRAFT);
      const a4 = r.document.articles[3]; // the draft's 第4条 = the standard's 第5条
      const c = compareWithStandard(r.document, r.analysis.clause, a4, null);
      assert.ok(c);
      assert.equal(c.canonical.label, '第5条');
      assert.equal(c.identical, false);
      assert.match(c.canonicalText, /^\(ネットワーク、情報システム等の使用\)\n第4条 乙は、/);
      assert.ok(c.canonicalText.includes('前項に定めるもののほか'));
      const changed = c.blocks.filter((b) => b.segments.some((s) => s.op !== 'same'));
      assert.deepEqual(changed.map((b) => b.number), ['4']);
      assert.ok(changed[0].segments.some((s) => s.op === 'del' && s.text === 'ほか'));
      assert.ok(changed[0].segments.some((s) => s.op === 'ins' && s.text === '他'));
      // an article that matches
      const a1 = compareWithStandard(r.document, r.analysis.clause, r.document.articles[0], null);
      assert.equal(a1?.identical, true);
    });

    it('gives each article its status: match, differs (missing sub-units counted), pending before the tokenizer, extra', function () {
      const text = `${DRAFT.replace(/\n2 乙は、前項のネットワークに接続した[^\n]*/, '').trimEnd()}\n(反社会的勢力の排除)\n第11条 甲及び乙は、反社会的勢力と関係を持ってはならない。\n`;
      const r = lint(text);
      const st = articleStatuses(r.analysis);
      assert.deepEqual(
        st.map((s) => [s.unit.number?.raw, s.status, s.count]),
        [
          ['第1条', 'match', 0],
          ['第2条', 'match', 0],
          ['第3条', 'pending', 0], // the slip 「事業者は」 copied: a wording difference, for the tokenizer to judge
          ['第4条', 'differs', 1], // its paragraph 2 is missing
          ['第5条', 'match', 0],
          ['第6条', 'pending', 0],
          ['第7条', 'pending', 0],
          ['第8条', 'pending', 0],
          ['第9条', 'match', 0],
          ['第10条', 'pending', 0],
          ['第11条', 'extra', 0],
        ],
      );
    });
  });

  describe('edits', function () {
    const f = (start: number, end: number, newText: string, safe = true, ruleId = 'r'): Finding => ({
      ruleId,
      level: 'warning',
      messageId: 'm',
      data: {},
      span: { start, end },
      fixes: [{ titleId: 't', edits: [{ span: { start, end }, newText }], safe }],
    });

    it('combines fixes without overlaps: safe ones only, or the first of each', function () {
      const text = 'abcdefghij';
      const findings = [f(0, 2, 'X'), f(1, 3, 'Y'), f(3, 4, 'Z'), f(6, 7, 'W', false), f(8, 9, 'i')];
      const safe = combineFixes(text, findings, 'safe');
      // (1,3) overlaps (0,2); (3,4) touches nothing taken; (6,7) is unsafe; (8,9) changes nothing
      assert.equal(applyEdits(text, safe.edits), 'XcZefghij');
      assert.deepEqual([safe.applied.length, safe.skipped.length], [2, 1]);
      const all = combineFixes(text, findings, 'first');
      assert.equal(applyEdits(text, all.edits), 'XcZefWhij');
    });

    it('writes an ignore directive before the line, in Markdown as an HTML comment, or adds the rule to one there', function () {
      const text = '第1条 甲は、\n  第3条 乙は、\n';
      const e = disableNextLineEdit(text, 1, 'numbering');
      assert.equal(applyEdits(text, [e]), '第1条 甲は、\n  keiyaku-lint-disable-next-line numbering\n  第3条 乙は、\n');
      const md = disableNextLineEdit(text, 1, 'numbering', 'html');
      assert.equal(md.newText, '  <!-- keiyaku-lint-disable-next-line numbering -->\n');
      const crlf = disableNextLineEdit('a\r\nb\r\n', 1, 'x');
      assert.equal(crlf.newText, 'keiyaku-lint-disable-next-line x\r\n');
      const once = applyEdits(text, [e]);
      const twice = applyEdits(once, [disableNextLineEdit(once, 2, 'style/typo')]);
      assert.equal(twice, '第1条 甲は、\n  keiyaku-lint-disable-next-line numbering, style/typo\n  第3条 乙は、\n');
      assert.equal(disableNextLineEdit(twice, 2, 'numbering').newText, '');
      // the linter honours it
      const r = lint(twice, { only: ['numbering'] });
      assert.deepEqual(r.findings, []);
      assert.equal(lint(text, { only: ['numbering'] }).findings.length, 1);
    });

    it('inserts a missing article and moves the later ones down, references following', function () {
      const fix = missingArticleFix(DRAFT).fixes![0];
      assert.ok(fix.edits[0].newText.includes(ARTICLE_3));
      const edits = insertAndRenumber(DRAFT, fix.edits[0]);
      assert.ok(edits);
      const out = applyEdits(DRAFT, edits);
      const doc = parseDocument(out);
      assert.deepEqual(doc.articles.map((a) => a.number?.raw), ['第1条', '第2条', '第3条', '第4条', '第5条', '第6条', '第7条', '第8条', '第9条', '第10条', '第11条']);
      assert.ok(out.includes(`${ARTICLE_3}\n(再委託時の特約条項遵守)\n第4条 乙は、甲の承認を得て`));
      assert.ok(out.includes('なお、第5条第1項の規定を準用する。'), 'the reference follows its article');
      // the first edit is the insertion; nothing else changes before it
      assert.equal(edits[0].span.start, fix.edits[0].span.start);
      // nothing to renumber when the numbering has room for it
      const gap = DRAFT.replace(/^第(\d+)条/gm, (m, k: string) => (Number(k) >= 3 ? `第${Number(k) + 1}条` : m));
      assert.equal(insertAndRenumber(gap, missingArticleFix(gap).fixes![0].edits[0]), null);
    });

    it('inserts a standard article where it belongs, in the draft’s conventions: digits, 第N or 第N条, party names', function () {
      const lines = (t: string) => lint(t).analysis.lines;
      const r = lint(DRAFT);
      const a3 = insertStandardUnit(r.document, r.analysis.clause, lines(DRAFT), '第3条');
      assert.ok(a3);
      assert.equal(a3.present, false);
      assert.deepEqual(a3.edit, missingArticleFix(DRAFT).fixes![0].edits[0]);
      // already in the draft (as 第4条): right after it, numbered to follow it
      const a5 = insertStandardUnit(r.document, r.analysis.clause, lines(DRAFT), '第5条');
      assert.ok(a5?.present);
      const after = applyEdits(DRAFT, [a5.edit]);
      assert.match(after, /5 甲は、乙が前項までの規定に違反した場合には[^\n]*\n\(ネットワーク、情報システム等の使用\)\n第5条 乙は、本契約に係る業務の遂行にあたって、甲の管理するネットワーク/);
      assert.equal(insertStandardUnit(r.document, r.analysis.clause, lines(DRAFT), '第99条'), null);

      // full-width digits and the other party names
      const other = DRAFT.replace(/^第(\d+)条/gm, (_m, k: string) => `第${String.fromCharCode(...[...k].map((c) => c.charCodeAt(0) + 0xfee0))}条`)
        .replace(/甲/g, '発注者')
        .replace(/乙/g, '受注者');
      const ro = lint(other);
      const ins = insertStandardUnit(ro.document, ro.analysis.clause, ro.analysis.lines, '第3条');
      assert.ok(ins);
      assert.ok(ins.edit.newText.includes('第３条 受注者は、本契約に係る業務の遂行にあたって'), ins.edit.newText);

      // the 特記事項's 第N without 条, and its blank in two-digit numbers
      const tokki = read('dev-cases/dev-02-tokki-renumbered.txt');
      const rt = lint(tokki);
      const t10 = insertStandardUnit(rt.document, rt.analysis.clause, rt.analysis.lines, '第10');
      assert.ok(t10);
      assert.match(t10.edit.newText, /^（再委託等に当たっての留意事項）\n第 10 受注者は、発注者の書面による承諾を得て/);
    });
  });
});
