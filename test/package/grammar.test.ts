/**
 * The TextMate grammar (syntaxes/keiyaku.tmLanguage.json) and the language configuration.
 * The grammar is run by a small line scanner with TextMate's rule for single-line `match`
 * patterns: at each position the earliest match wins, ties go to the pattern listed first.
 * (Its regexes use only syntax that Oniguruma and JavaScript read alike.)
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const repo = path.resolve(__dirname, '..', '..', '..');

interface Rule {
  include?: string;
  match?: string;
  name?: string;
  captures?: Record<string, { name: string }>;
  patterns?: Rule[];
  begin?: string;
}
interface Grammar {
  scopeName: string;
  patterns: Rule[];
  repository: Record<string, Rule>;
}

const grammar = JSON.parse(fs.readFileSync(path.join(repo, 'syntaxes', 'keiyaku.tmLanguage.json'), 'utf8')) as Grammar;

interface Compiled {
  re: RegExp;
  rule: Rule;
}

function flatten(rules: Rule[], seen = new Set<string>()): Compiled[] {
  const out: Compiled[] = [];
  for (const r of rules) {
    if (r.include !== undefined) {
      assert.ok(r.include.startsWith('#'), `unsupported include ${r.include}`);
      const key = r.include.slice(1);
      const target = grammar.repository[key];
      assert.ok(target !== undefined, `include of a missing repository entry: ${key}`);
      if (seen.has(key)) continue;
      out.push(...flatten([target], new Set([...seen, key])));
    } else if (r.match !== undefined) {
      out.push({ re: new RegExp(r.match, 'gd'), rule: r });
    } else if (r.patterns !== undefined) {
      out.push(...flatten(r.patterns, seen));
    } else {
      assert.fail(`rule without match or patterns: ${JSON.stringify(r).slice(0, 80)}`);
    }
  }
  return out;
}

const compiled = flatten(grammar.patterns);

interface Token {
  start: number;
  end: number;
  scopes: string[];
}

/** Scopes per character range of one line. */
function tokenizeLine(line: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < line.length) {
    let best: { m: RegExpExecArray; c: Compiled } | undefined;
    for (const c of compiled) {
      c.re.lastIndex = pos;
      const m = c.re.exec(line);
      if (m === null || m[0].length === 0) continue;
      if (best === undefined || m.index < best.m.index) best = { m, c };
    }
    if (best === undefined) break;
    const { m, c } = best;
    const base = [grammar.scopeName, ...(c.rule.name ? [c.rule.name] : [])];
    const end = m.index + m[0].length;
    const spans: Token[] = [];
    for (const [group, cap] of Object.entries(c.rule.captures ?? {})) {
      const idx = m.indices?.[Number(group)];
      if (idx) spans.push({ start: idx[0], end: idx[1], scopes: [...base, cap.name] });
    }
    tokens.push({ start: m.index, end, scopes: base }, ...spans);
    pos = end;
  }
  return tokens;
}

/** The most specific scopes covering `needle` (its first occurrence) in `line`. */
function scopesOf(line: string, needle: string): string[] {
  const at = line.indexOf(needle);
  assert.ok(at >= 0, `${needle} not in ${line}`);
  const covering = tokenizeLine(line).filter((t) => t.start <= at && at + needle.length <= t.end);
  return covering.length === 0 ? ['text.keiyaku'] : covering[covering.length - 1].scopes;
}

function assertScope(line: string, needle: string, scope: string): void {
  const scopes = scopesOf(line, needle);
  assert.ok(
    scopes.some((s) => s === scope || s.startsWith(`${scope}.`)),
    `「${needle}」 in 「${line}」: expected ${scope}, got ${scopes.join(' ')}`,
  );
}

function assertNotScope(line: string, needle: string, scope: string): void {
  const scopes = scopesOf(line, needle);
  assert.ok(!scopes.some((s) => s.startsWith(scope)), `「${needle}」 in 「${line}」 should not be ${scope}: ${scopes.join(' ')}`);
}

describe('keiyaku grammar', function () {
  it('is a text.keiyaku grammar whose regexes all compile', function () {
    assert.strictEqual(grammar.scopeName, 'text.keiyaku');
    assert.ok(compiled.length >= 15, `${compiled.length} patterns`);
    for (const c of compiled) assert.ok(c.rule.name !== undefined || c.rule.captures !== undefined, c.rule.match);
  });

  it('scopes article numbers at line start: 第N条, 第N, kanji, full width, branch numbers', function () {
    assertScope('第1条 この特約は、この特約が添付される契約と一体をなす。', '第1条', 'markup.heading.article');
    assertScope('第１ この特記事項は、', '第１', 'markup.heading.article');
    assertScope('第十二条　乙は、', '第十二条', 'markup.heading.article');
    assertScope('第3条の2 乙は、', '第3条の2', 'markup.heading.article');
    assertScope('第１４の２ 受注者は、', '第１４の２', 'markup.heading.article');
    assertNotScope('第三者に提供してはならない。', '第三者', 'markup.heading.article');
  });

  it('scopes headings alone on their line, not numbered items', function () {
    assertScope('（総則）', '総則', 'markup.heading.title');
    assertScope('(機密の保持等)', '機密の保持等', 'markup.heading.title');
    assertScope('（作成、複製又は加工） ', '作成、複製又は加工', 'markup.heading.title');
    assertNotScope('（1）', '1', 'markup.heading.title');
    assertNotScope('乙は、（以下「本契約」という。）と', '以下', 'markup.heading.title');
  });

  it('scopes paragraph and item numbers at line start', function () {
    assertScope('２ 乙は、本契約に係る業務の遂行にあたって、', '２', 'constant.numeric.paragraph');
    assertScope('3 乙は、', '3', 'constant.numeric.paragraph');
    assertScope('(1) 暗号化すること。', '(1)', 'constant.numeric.item');
    assertScope('（２）パスワードを設定すること。', '（２）', 'constant.numeric.item');
    assertScope('一 受注者は、', '一', 'constant.numeric.item');
    assertScope('ア 生成ＡＩ等を利用すること。', 'ア', 'constant.numeric.item');
    assertScope('①受注者は、', '①', 'constant.numeric.item');
    assertNotScope('乙は、２回目の', '２', 'constant.numeric');
  });

  it('scopes parties, deadlines and obligation endings', function () {
    const line = '乙は、甲の承認を得た場合を除き、発注者に直ちに報告しなければならない。';
    assertScope(line, '乙', 'variable.language.party');
    assertScope(line, '甲', 'variable.language.party');
    assertScope(line, '発注者', 'variable.language.party');
    assertScope('受注者は', '受注者', 'variable.language.party');
    assertScope(line, '直ちに', 'keyword.other.deadline');
    assertScope(line, 'しなければならない', 'keyword.control.obligation');
    assertScope('速やかに報告するものとする。', '速やかに', 'keyword.other.deadline');
    assertScope('遅滞なく通知する', '遅滞なく', 'keyword.other.deadline');
    assertScope('発生から24時間以内に報告する', '24時間以内', 'keyword.other.deadline.limit');
    assertScope('六十分以内に', '六十分以内', 'keyword.other.deadline.limit');
    assertScope('３営業日までに', '３営業日まで', 'keyword.other.deadline.limit');
    assertScope('第三者に提供してはならない。', 'してはならない', 'keyword.control.prohibition');
    assertScope('管理を行うものとする。', 'ものとする', 'keyword.control.obligation.weak');
    assertScope('適切に管理するよう努めなければならない。', '努めなければならない', 'keyword.control.effort');
    assertScope('公表することができる。', 'ことができる', 'keyword.control.permission');
  });

  it('scopes references and annexes, but not 第三者', function () {
    assertScope('前条の規定により', '前条', 'markup.underline.link.reference');
    assertScope('前項のネットワーク', '前項', 'markup.underline.link.reference');
    assertScope('前各号に掲げる', '前各号', 'markup.underline.link.reference');
    assertScope('乙は、第5条第2項の規定により', '第5条第2項', 'markup.underline.link.reference');
    assertScope('受注者は、第１２第２項に', '第１２第２項', 'markup.underline.link.reference');
    assertScope('機密情報取扱特記事項第１章第１に規定する', '第１章第１', 'markup.underline.link.reference');
    assertNotScope('乙は、第三者に', '第三者', 'markup.underline.link.reference');
    assertScope('別紙「受託者向け情報セキュリティ遵守事項」に基づき', '別紙', 'entity.name.type.annex');
    assertScope('別記様式により発注者に届け出る', '別記様式', 'entity.name.type.annex');
    assertScope('別記', '別記', 'entity.name.type.annex');
    assertScope('別表第１に掲げる', '別表第１', 'entity.name.type.annex');
    assertScope('（以下「機密データ」という。）', '機密データ', 'string.quoted.other');
  });
});

describe('language configuration', function () {
  const config = JSON.parse(fs.readFileSync(path.join(repo, 'language-configuration.json'), 'utf8')) as {
    brackets: [string, string][];
    autoClosingPairs: { open: string; close: string }[];
    surroundingPairs: [string, string][];
  };

  it('pairs 「」『』（）() as brackets, auto-closing and surrounding pairs', function () {
    for (const [open, close] of [
      ['「', '」'],
      ['『', '』'],
      ['（', '）'],
      ['(', ')'],
    ]) {
      assert.ok(config.brackets.some(([o, c]) => o === open && c === close), `brackets ${open}${close}`);
      assert.ok(config.autoClosingPairs.some((p) => p.open === open && p.close === close), `autoClosingPairs ${open}${close}`);
      assert.ok(config.surroundingPairs.some(([o, c]) => o === open && c === close), `surroundingPairs ${open}${close}`);
    }
  });
});
