import * as assert from 'node:assert/strict';
import type { Finding } from '../../../server/src/engine/findings';
import { formatMessage } from '../../../server/src/engine/i18n/messages';
import { lint } from '../../../server/src/engine/lint';
import { parseDocument } from '../../../server/src/engine/model/parser';
import type { Unit } from '../../../server/src/engine/model/types';
import { getReferences } from '../../../server/src/engine/refs/resolve';
import { checkAgainstTemplate, ReferenceTemplate } from '../../../server/src/engine/refs/template';
import { brokenReferenceRule } from '../../../server/src/engine/rules/reference/broken-reference';
import { RULES } from '../../../server/src/engine/rules/registry';
import type { Report } from '../../../server/src/engine/rules/types';
import type { Analysis } from '../../../server/src/engine/analysis';
import { applyEdits, brokenRefs, lineOf, read, replaceOnce } from './helpers';

function summary(text: string, fs: Finding[]): string[] {
  return fs.map((f) => `${lineOf(text, f.span.start)} ${f.level} ${f.messageId} ${text.slice(f.span.start, f.span.end)}`);
}

const atLeastInfo = (fs: Finding[]): Finding[] => fs.filter((f) => f.level !== 'hint');

describe('broken-reference', () => {
  it('is registered, with every message in both catalogues', () => {
    assert.ok(RULES.includes(brokenReferenceRule));
    for (const id of brokenReferenceRule.meta.messages) {
      for (const loc of ['ja', 'en'] as const) {
        const key = `broken-reference:${id}`;
        assert.notEqual(formatMessage(loc, key), key, `${loc} ${key}`);
      }
    }
  });

  describe('valid', () => {
    for (const name of ['seed-000-tokuyaku.txt', 'seed-004-tokki.txt', 'dev-07-tokki-canonical.txt', 'dev-04-tokki-benign.txt', 'tokki-inserted-expected.txt']) {
      it(`${name}: nothing but the 前項-for-第N note`, () => {
        const text = read(name);
        const fs = brokenRefs(text);
        assert.deepEqual(summary(text, atLeastInfo(fs)), []);
        assert.ok(fs.every((f) => f.messageId === 'paragraph-as-article'));
      });
    }
  });

  describe('条ズレ', () => {
    it('dev-02: each stale citation of the survival list is flagged with the article whose heading it writes', () => {
      const text = read('dev-02-tokki-renumbered.txt');
      const fs = atLeastInfo(brokenRefs(text));
      assert.deepEqual(summary(text, fs), [
        '44 warning stale 第 12',
        '44 warning stale 第 13',
        '44 warning stale 第 14',
        '44 warning stale 第 18',
      ]);
      assert.deepEqual(
        fs.map((f) => f.data.proposal),
        ['第 11', '第 12', '第 13', '第 17'],
      );
      assert.ok(fs.every((f) => f.fixes?.length === 1 && f.fixes[0].safe));
      const fixed = applyEdits(text, fs.flatMap((f) => f.fixes?.[0].edits ?? []));
      assert.ok(
        fixed.includes('第 11（機密データの返還等）、第 12（再委託等の相手方からの回収等）、第 13（報告等。ただし、第１項の規定を除く。）及び第 17（損害賠償）'),
      );
      assert.deepEqual(atLeastInfo(brokenRefs(fixed)), []);
    });

    it('an article inserted after 第５ without updating references: every stale reference flagged, fixes give the hand-made text', () => {
      const text = read('tokki-inserted-stale.txt');
      const fs = atLeastInfo(brokenRefs(text));
      assert.deepEqual(summary(text, fs), [
        '48 warning stale 第 12',
        '48 warning stale 第 13',
        '48 warning stale 第 14',
        '48 warning stale 第 18',
        '59 warning stale 第６',
        '86 warning stale 第９',
      ]);
      assert.deepEqual(
        fs.map((f) => f.data.proposal),
        ['第 13', '第 14', '第 15', '第 19', '第７', '第 10'],
      );
      const fixed = applyEdits(text, fs.flatMap((f) => f.fixes?.[0].edits ?? []));
      assert.equal(fixed, read('tokki-inserted-expected.txt'));
    });

    it('messages name the written heading and the proposal', () => {
      const text = read('dev-02-tokki-renumbered.txt');
      const f = atLeastInfo(brokenRefs(text))[0];
      assert.equal(
        formatMessage('ja', `broken-reference:${f.messageId}`, f.data),
        '条ズレ: 「第 12」（機密データの返還等）は第12（再委託等の相手方からの回収等）を指しています。見出し「機密データの返還等」の条は「第 11」です。',
      );
      assert.equal(formatMessage('en', `broken-reference:${f.fixes?.[0].titleId}`, f.fixes?.[0].data), 'Change “第 12” to “第 11”');
    });

    it('a missing article whose written heading exists elsewhere is 条ズレ too', () => {
      const text = replaceOnce(read('dev-07-tokki-canonical.txt'), '及び第 18（損害賠償）', '及び第 21（損害賠償）');
      const fs = atLeastInfo(brokenRefs(text));
      assert.deepEqual(summary(text, fs), ['46 warning stale-missing 第 21']);
      assert.equal(fs[0].data.proposal, '第 18');
    });
  });

  describe('invalid', () => {
    const DOC = [
      '（目的）',
      '第1条　前項の規定により、この契約は業務の委託について定める。',
      '（定義）',
      '第2条　この契約において、次の各号に掲げる用語の意義は、当該各号に定めるところによる。',
      '一　機密情報　業務に関する情報',
      '二　従事者　業務に従事する者',
      '２　前項各号の規定は、第5条の場合には適用しない。',
      '３　第2項第三号の規定は、同項の場合に限る。',
      '（秘密保持）',
      '第3条　乙は、各号に掲げる情報を開示してはならない。',
      '（報告）',
      '第4条　乙は、第3条第1項及び第2条第4項の事項を報告し、別紙「報告様式」により届け出る。',
      '（協議）',
      '第5条　次条に定めのない事項は、第3条（機密の保持）の例により協議する。',
      '別紙　報告書様式',
      '１　報告者',
      '',
    ].join('\n');

    it('reports each kind of broken reference once, where it is written', () => {
      const fs = brokenRefs(DOC);
      assert.deepEqual(summary(DOC, fs), [
        '2 warning no-previous-paragraph 前項',
        '8 warning no-items 第2項第三号',
        '10 warning no-items 各号',
        '12 information single-paragraph 第3条第1項',
        '12 warning missing-paragraph 第2条第4項',
        '12 warning annex-title-mismatch 別紙「報告様式」',
        '14 warning no-next-article 次条',
        '14 warning heading-mismatch 第3条（機密の保持）',
      ]);
      // 第5条 exists: 「前項各号の規定は、第5条の場合には」 is fine; 同項 follows 第2項
      const single = fs.find((f) => f.messageId === 'single-paragraph');
      assert.equal(applyEdits(DOC, single?.fixes?.[0].edits ?? []).includes('第4条　乙は、第3条及び第2条第4項'), true);
      const title = fs.find((f) => f.messageId === 'annex-title-mismatch');
      assert.ok(applyEdits(DOC, title?.fixes?.[0].edits ?? []).includes('別紙「報告書様式」'));
    });

    it('a missing article', () => {
      const text = '第1条　甲は、第9条の規定に従う。\n第2条　乙は、第１条及び第2条の2の規定に従う。\n';
      assert.deepEqual(summary(text, brokenRefs(text)), ['1 warning missing-article 第9条', '2 warning missing-article 第2条の2']);
    });

    it('an annex named in a document without annexes is only a hint', () => {
      const text = '第1条　乙は、別記様式により届け出る。\n';
      assert.deepEqual(summary(text, brokenRefs(text)), ['1 hint annex-not-in-document 別記様式']);
    });

    it('the configured level wins, and off silences the rule', () => {
      const text = '第1条　甲は、第9条の規定に従う。\n';
      assert.equal(lint(text, { only: ['broken-reference'], settings: { rules: { 'broken-reference': 'error' } } }).findings[0].level, 'error');
      assert.equal(lint(text, { settings: { rules: { 'broken-reference': 'off' } } }).findings.filter((f) => f.ruleId === 'broken-reference').length, 0);
    });
  });

  describe('template hook', () => {
    /** A stand-in for the aligner: canonical and draft articles with the same heading are aligned. */
    function byHeading(canonicalText: string, draftText: string): ReferenceTemplate {
      const canonical = parseDocument(canonicalText);
      const draft = parseDocument(draftText);
      const map = new Map<string, Unit>();
      for (const c of canonical.articles) {
        const d = draft.articles.find((a) => a.heading?.text === c.heading?.text);
        if (!d) continue;
        map.set(c.label, d);
        const cp = c.children;
        cp.forEach((p, i) => d.children[i] && map.set(p.label, d.children[i]));
      }
      for (const a of canonical.annexes) {
        const walk = (u: Unit, v: Unit | undefined): void => {
          if (!v) return;
          map.set(u.label, v);
          u.children.forEach((c, i) => walk(c, v.children[i]));
        };
        walk(a, draft.annexes[canonical.annexes.indexOf(a)]);
      }
      return { canonical, draftUnitFor: (u) => map.get(u.label), _draft: draft } as ReferenceTemplate & { _draft: typeof draft };
    }

    // survival list written without headings: only the template can tell the numbers are stale
    const canonicalText = read('dev-07-tokki-canonical.txt');
    const draftText = replaceOnce(
      read('tokki-inserted-stale.txt'),
      '第 12（機密データの返還等）、第 13（再委託等の相手方からの回収等）、第 14（報告等。ただし、第１項の規定を除く。）及び第 18（損害賠償）',
      '第 12、第 13、第 14（ただし、第１項の規定を除く。）及び第 18',
    );

    it('finds references that point elsewhere than the unit aligned with the canonical target', () => {
      const tpl = byHeading(canonicalText, draftText) as ReferenceTemplate & { _draft: ReturnType<typeof parseDocument> };
      const mism = checkAgainstTemplate(getReferences(tpl._draft), tpl);
      assert.deepEqual(
        mism.map((m) => `${m.ref.text}→${m.expected.label} (canonical ${m.canonicalTarget.label})`),
        [
          '第 12→第13 (canonical 第12)',
          '第 13→第14 (canonical 第13)',
          '第 14→第15 (canonical 第14)',
          '第１項→第15第1項 (canonical 第14第1項)',
          '第 18→第19 (canonical 第18)',
          '第６→第7 (canonical 第6)',
          '第９→第10 (canonical 第9)',
        ],
      );
    });

    it('lint() wires the real alignment into the check (template tokki)', () => {
      const r = lint(draftText, { settings: { template: 'tokki' }, only: ['broken-reference'] });
      const byId = (id: string): string[] =>
        r.findings.filter((f) => f.messageId === id).map((f) => draftText.slice(f.span.start, f.span.end));
      assert.deepEqual(byId('template-mismatch'), ['第 12', '第 13', '第 14', '第 18']);
      assert.deepEqual(byId('stale'), ['第６', '第９']);
    });

    it('the rule reports them when the analysis carries a referenceTemplate', () => {
      const tpl = byHeading(canonicalText, draftText) as ReferenceTemplate & { _draft: ReturnType<typeof parseDocument> };
      const reports: Report[] = [];
      const analysis = { referenceTemplate: tpl } as unknown as Analysis;
      brokenReferenceRule.check({ doc: tpl._draft, analysis, report: (r) => reports.push(r), isCancelled: () => false });
      const byId = (id: string): string[] => reports.filter((r) => r.messageId === id).map((r) => draftText.slice(r.span.start, r.span.end));
      assert.deepEqual(byId('template-mismatch'), ['第 12', '第 13', '第 14', '第 18']);
      assert.deepEqual(byId('stale'), ['第６', '第９']);
      const fixed = applyEdits(draftText, reports.filter((r) => r.fixes).map((r) => r.fixes?.[0].edits ?? []).flat());
      assert.equal(fixed.split('\n')[47], '第 20 本特記事項の効力は本件業務に係る契約期間の満了まで有効とする。ただし、第 13、第 14、第 15（ただし、第１項の規定を除く。）及び第 19の規定については、契約期間の満了後も有効に存続するもとする。');
      // without a template, the same draft has nothing to say about those four
      const plain = atLeastInfo(brokenRefs(draftText, 'none')).map((f) => draftText.slice(f.span.start, f.span.end));
      assert.deepEqual(plain, ['第６', '第９']);
    });
  });
});
