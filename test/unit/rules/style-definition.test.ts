import * as assert from 'node:assert/strict';
import { loadTokenizer } from '../../../server/src/engine/tokenizer/kuromoji';
import type { Tokenizer } from '../../../server/src/engine/tokenizer/types';
import { ruleTester, runStyle } from './style-util';

describe('style/definition', function () {
  this.timeout(60_000);
  let tokenizer: Tokenizer;
  before(async () => {
    tokenizer = await loadTokenizer();
  });

  ruleTester('style/definition', () => tokenizer, {
    valid: [
      { name: 'the standard form, used after it', text: '第1条 甲は、保守業務（以下「本業務」という。）を乙に委託する。\n第2条 乙は、本業務を誠実に行う。\n' },
      {
        name: '以下単に「X」という。 / と総称する。 / inside a longer parenthesis',
        text:
          '第1条 この規程において「記録」とは、電磁的記録（以下単に「記録」という。）をいう。\n' +
          '第2条 甲及び乙（以下「当事者」と総称する。）は、業務の全部又は一部の委託（二以上の段階にわたる委託を含む。以下「再委託」という。）をしない。\n',
      },
      {
        name: 'a heading may name the term before the body defines it',
        text: '第1条（再委託）\n乙は、業務を第三者に委託（以下「再委託」という。）してはならない。\n',
      },
      {
        name: 'an annex defines its own terms',
        text:
          '第１ この特記事項は、受注者が遵守する事項を定める。\n' +
          '別紙\n受託者向け遵守事項\n１ 趣旨\nこの遵守事項は、情報セキュリティに関する特記事項（以下「特記事項」という。）に基づき定める。\n',
      },
      {
        name: 'the term inside a longer word before the definition is not a use',
        text: '第１ 受注者は、機密情報取扱特記事項を遵守する。\n２ 受注者は、この特記事項（以下「特記事項」という。）を遵守する。\n',
      },
      {
        name: 'the title names a term before the text defines it',
        text: '個人情報の取扱いに関する特記事項\n第1条 受注者は、個人に関する情報（以下「個人情報」という。）を適正に取り扱う。\n第2条 受注者は、個人情報を複製しない。\n',
      },
      {
        name: 'a table of contents repeats headings: not a use',
        text:
          '保護規程\n\n目次\n　第一章　総則（第一条・第二条）\n　第二章　委員会（第三条）\n\n' +
          '　　　第一章　総則\n\n（目的）\n第一条　この規程は、個人データの保護について定める。\n\n' +
          '（適用）\n第二条　この規程は、全ての部署に適用する。\n\n' +
          '　　　第二章　委員会\n\n（委員会）\n第三条　会社に、個人データ保護委員会（以下「委員会」という。）を置く。\n２　委員会は、年一回以上開催する。\n',
      },
      {
        name: 'a definitions article defines the term first (号 「委員会　…をいう。」)',
        text:
          '第1条 この規程において、次の各号に掲げる用語の意義は、当該各号に定めるところによる。\n' +
          '一　委員会　第三条に規定する委員会をいう。\n' +
          '第2条 委員会は、年一回以上開催する。\n' +
          '第3条 会社に、個人データ保護委員会（以下「委員会」という。）を置く。\n',
      },
      {
        name: 'a definitions article defines the term first (「X」とは、…をいう。)',
        text:
          '第1条 この規程において「委員会」とは、第三条に規定する委員会をいう。\n' +
          '第2条 委員会は、年一回以上開催する。\n' +
          '第3条 会社に、個人データ保護委員会（以下「委員会」という。）を置く。\n',
      },
      {
        name: '「以下この条において「X」という。」 holds only in its article: it may be defined again elsewhere',
        text:
          '第1条 乙は、保守業務（以下この条において「対象業務」という。）を行い、対象業務の記録を保存する。\n' +
          '第2条 乙は、運用業務（以下この条において「対象業務」という。）を行う。\n',
      },
      { name: 'keiyakuLint.style = off: the form is not checked', text: '第1条 甲は、業務（以下、「本業務」という）を乙に委託する。\n', settings: { style: 'off' } },
    ],
    invalid: [
      {
        name: 'missing 。',
        text: '第1条 甲は、業務（以下「本業務」という）を乙に委託する。\n',
        errors: [{ messageId: 'form', line: 0, character: 9, text: '（以下「本業務」という）', safe: true, level: 'information' }],
        output: '第1条 甲は、業務（以下「本業務」という。）を乙に委託する。\n',
      },
      {
        name: '以下、『X』とする。',
        text: '第1条 甲は、業務（以下、『本業務』とする。）を乙に委託する。\n',
        errors: [{ messageId: 'form', line: 0, character: 9, text: '（以下、『本業務』とする。）', safe: true }],
        output: '第1条 甲は、業務（以下「本業務」という。）を乙に委託する。\n',
      },
      {
        name: 'a scoped definition without 。 keeps its scope in the fix',
        text: '第1条 乙は、保守業務（以下この条において「対象業務」という）を行う。\n',
        errors: [{ messageId: 'form', line: 0, character: 11, text: '（以下この条において「対象業務」という）', safe: true }],
        output: '第1条 乙は、保守業務（以下この条において「対象業務」という。）を行う。\n',
      },
      {
        name: 'half-width parentheses',
        text: '第1条 甲は、業務(以下「本業務」という。)を乙に委託する。\n',
        errors: [{ messageId: 'form', line: 0, character: 9, text: '(以下「本業務」という。)', safe: true }],
        output: '第1条 甲は、業務（以下「本業務」という。）を乙に委託する。\n',
      },
      {
        name: 'a term defined twice',
        text: '第1条 甲は、保守業務（以下「本業務」という。）を乙に委託する。\n第2条 乙は、運用業務（以下「本業務」という。）を行う。\n',
        errors: [{ messageId: 'twice', line: 1, character: 12, text: '以下「本業務」という。', level: 'warning' }],
      },
      {
        name: 'a term used before its definition',
        text: '第1条 乙は、本業務を誠実に行う。\n第2条 甲は、保守業務（以下「本業務」という。）を乙に委託する。\n',
        errors: [{ messageId: 'before-definition', line: 0, character: 7, text: '本業務', level: 'warning' }],
      },
    ],
  });

  it('points the related information at the first definition and at the definition', () => {
    const text = '第1条 乙は、本業務を誠実に行う。\n第2条 甲は、保守業務（以下「本業務」という。）を乙に委託する。\n第3条 乙は、運用業務（以下「本業務」という。）を行う。\n';
    const r = runStyle(text, tokenizer, ['style/definition']);
    const byId = new Map(r.findings.map((f) => [f.messageId, f]));
    const twice = byId.get('twice');
    const before = byId.get('before-definition');
    assert.ok(twice && before);
    const rel = (f: typeof twice): string[] => (f.related ?? []).map((x) => `${x.messageId}:${x.span ? r.analysis.lines.positionAt(x.span.start).line : -1}`);
    assert.deepEqual(rel(twice), ['first-definition:1']);
    assert.deepEqual(rel(before), ['definition-here:1']);
    assert.deepEqual(twice.data, { term: '本業務', first: '2' });
    assert.deepEqual(before.data, { term: '本業務', at: '2' });
  });

  it('finds the first use of each of thousands of terms, nested ones too, in one pass over the text', () => {
    // article i uses the term article i + 1 defines (文書N号), and 文書N号 contains no other term;
    // 号 alone is defined last: each 「…号」 before it is a use, the first at line 1
    const n = 1500;
    const lines: string[] = [];
    for (let i = 1; i <= n; i++) lines.push(`第${i}条 乙は、文書${i + 1}号を提出する。甲は、書類（以下「文書${i}号」という。）を受領する。`);
    lines.push(`第${n + 1}条 甲は、番号（以下「号」という。）を付す。`);
    const text = lines.join('\n') + '\n';
    const r = runStyle(text, tokenizer, ['style/definition']);
    const before = r.findings.filter((f) => f.messageId === 'before-definition');
    const at = (f: (typeof before)[number]): string => `${r.analysis.lines.positionAt(f.span.start).line}:${text.slice(f.span.start, f.span.end)}`;
    const expected = [];
    for (let i = 2; i <= n; i++) expected.push(`${i - 2}:文書${i}号`);
    expected.push('0:号');
    assert.deepEqual(before.map(at).sort(), expected.sort());
  });
});
