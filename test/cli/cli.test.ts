/** keiyaku-lint run in process: reports, exit codes, bad input, stdin, output file, outline. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ReportMessage } from '../../server/src/cli/report';
import { referenceMemoStats, setReferenceMemo } from '../../server/src/engine/refs/memo';
import { ANSI_RE, GAP_DRAFT, SEED_000, SEED_004, cleanup, run, tempDir, write } from './helpers';

/** The JSON report's message shape is the CLI's own (server/src/cli/report.ts). */
type JsonMessage = ReportMessage;
interface JsonResult {
  filePath: string;
  template: string | null;
  messages: JsonMessage[];
  errorCount: number;
  warningCount: number;
  infoCount: number;
  fixableErrorCount: number;
  fixableWarningCount: number;
  output?: string;
}

function parseJson(stdout: string): JsonResult[] {
  const v = JSON.parse(stdout) as JsonResult[];
  assert.ok(Array.isArray(v), 'the JSON report is an array');
  return v;
}

/** 「第1条」 in Shift_JIS is 91 E6 31 8F F0; 甲 8D 62; 。 81 42. */
const SJIS_GAP = Buffer.from([
  0x91, 0xe6, 0x31, 0x8f, 0xf0, 0x20, 0x8d, 0x62, 0x81, 0x42, 0x0a, // 第1条 甲。
  0x91, 0xe6, 0x33, 0x8f, 0xf0, 0x20, 0x8d, 0x62, 0x81, 0x42, 0x0a, // 第3条 甲。
]);

describe('cli: keiyaku-lint', function () {
  this.timeout(60_000);
  let dir: string;
  let gap: string;

  before(() => {
    dir = tempDir();
    gap = write(dir, 'gap.txt', GAP_DRAFT);
  });
  after(() => cleanup(dir));

  describe('JSON report', () => {
    it('has ESLint shape, one object per file, with a numbering finding at line 2', async () => {
      const r = await run(['-f', 'json', gap], { cwd: dir });
      const results = parseJson(r.stdout);
      assert.equal(results.length, 1);
      const f = results[0];
      assert.equal(f.filePath, gap);
      assert.ok(f.template === null || typeof f.template === 'string');
      for (const k of ['errorCount', 'warningCount', 'infoCount', 'fixableErrorCount', 'fixableWarningCount'] as const) {
        assert.equal(typeof f[k], 'number', k);
      }
      const numbering = f.messages.filter((m) => m.ruleId === 'numbering');
      assert.equal(numbering.length, 1, JSON.stringify(f.messages));
      const m = numbering[0];
      assert.equal(m.line, 2);
      assert.equal(m.column, 1);
      assert.ok(m.endLine >= m.line);
      assert.ok(m.endLine > m.line || m.endColumn > m.column, 'a non-empty range');
      assert.ok(['error', 'warning', 'information', 'hint'].includes(m.level));
      assert.equal(m.severity, m.level === 'error' ? 2 : m.level === 'warning' ? 1 : 0);
      assert.match(m.message, /第2条/);
      assert.equal(typeof m.messageId, 'string');
      // Counts agree with the messages.
      assert.equal(f.errorCount, f.messages.filter((x) => x.severity === 2).length);
      assert.equal(f.warningCount, f.messages.filter((x) => x.severity === 1).length);
      assert.equal(f.infoCount, f.messages.filter((x) => x.severity === 0).length);
      assert.equal(r.code, f.errorCount > 0 ? 1 : 0);
    });

    it('columns count UTF-16 units, 1-based, and a UTF-8 BOM does not shift them', async () => {
      const withBom = write(dir, 'bom.txt', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(GAP_DRAFT)]));
      const a = parseJson((await run(['-f', 'json', gap], { cwd: dir })).stdout)[0].messages;
      const b = parseJson((await run(['-f', 'json', withBom], { cwd: dir })).stdout)[0].messages;
      assert.deepEqual(
        b.map((m) => [m.ruleId, m.line, m.column, m.endLine, m.endColumn]),
        a.map((m) => [m.ruleId, m.line, m.column, m.endLine, m.endColumn]),
      );
    });

    it('lints several files in one run, in the order given', async () => {
      const r = await run(['-f', 'json', SEED_000, gap], { cwd: dir });
      const results = parseJson(r.stdout);
      assert.deepEqual(
        results.map((x) => x.filePath),
        [SEED_000, gap],
      );
    });

    it('template: the id the draft was compared with (auto, a built-in, none, or a file)', async () => {
      const seed = parseJson((await run(['-f', 'json', SEED_000], { cwd: dir })).stdout)[0];
      assert.equal(seed.template, 'tokuyaku');
      const tokki = parseJson((await run(['-f', 'json', '--template', 'tokki', gap], { cwd: dir })).stdout)[0];
      assert.equal(tokki.template, 'tokki');
      const none = parseJson((await run(['-f', 'json', '-t', 'none', SEED_000], { cwd: dir })).stdout)[0];
      assert.equal(none.template, null);
      const custom = write(dir, 'templates/mine.txt', fs.readFileSync(SEED_000));
      const mine = await run(['-f', 'json', '--template', 'templates/mine.txt', SEED_000], { cwd: dir });
      assert.equal(mine.code, 0, mine.stderr);
      assert.equal(parseJson(mine.stdout)[0].template, `file:${custom}`);
      const sjis = write(dir, 'templates/sjis.txt', SJIS_GAP);
      const bad = await run(['--template', sjis, gap], { cwd: dir });
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /Shift_JIS/);
    });

    it('the canonical seed 000 has no numbering finding', async () => {
      const r = await run(['-f', 'json', SEED_000], { cwd: dir });
      const f = parseJson(r.stdout)[0];
      assert.deepEqual(
        f.messages.filter((m) => m.ruleId === 'numbering'),
        [],
      );
    });
  });

  describe('stylish report', () => {
    /** Counts from the JSON report of the same run, for the summary line. */
    async function counts(argv: string[]): Promise<{ problems: number; errors: number; warnings: number; infos: number }> {
      const f = parseJson((await run(['-f', 'json', ...argv], { cwd: dir })).stdout);
      const sum = (k: 'errorCount' | 'warningCount' | 'infoCount'): number => f.reduce((n, x) => n + x[k], 0);
      const c = { errors: sum('errorCount'), warnings: sum('warningCount'), infos: sum('infoCount') };
      return { ...c, problems: c.errors + c.warnings + c.infos };
    }

    it('Japanese by default: line:col, level, message, rule id and a summary', async () => {
      const r = await run([gap], { cwd: dir });
      const lines = r.stdout.split('\n');
      assert.ok(lines.includes('gap.txt'), r.stdout);
      const row = lines.find((l) => /numbering\s*$/.test(l));
      assert.ok(row, r.stdout);
      assert.match(row, /^ {2}2:1 {2}警告 {2}番号が飛んでいます: 「第3条」の前に「第2条」があるはずです。 +numbering$/);
      const c = await counts([gap]);
      assert.ok(c.warnings >= 1);
      assert.ok(
        r.stdout.includes(`✖ ${c.problems} 件の問題（エラー ${c.errors}、警告 ${c.warnings}、情報 ${c.infos}）`),
        r.stdout,
      );
      assert.doesNotMatch(r.stdout, ANSI_RE, 'no colours when not a terminal');
    });

    it('English with --locale en, singular and plural', async () => {
      const r = await run(['--locale', 'en', gap], { cwd: dir });
      assert.match(r.stdout, /^ {2}2:1 {2}warning {2}.*第2条.* +numbering$/m);
      const c = await counts([gap]);
      const n = (k: number, w: string): string => `${k} ${w}${k === 1 ? '' : 's'}`;
      const summary = `✖ ${n(c.problems, 'problem')} (${n(c.errors, 'error')}, ${n(c.warnings, 'warning')}, ${n(c.infos, 'info')})`;
      assert.ok(r.stdout.includes(summary), summary + '\n' + r.stdout);
      const one = await run(['--locale', 'en', '--quiet', '--rule', 'numbering=error', gap], { cwd: dir });
      assert.match(one.stdout, /✖ 1 problem \(1 error, 0 warnings, 0 infos\)/);
    });

    it('English from LANG=en_US.UTF-8, Japanese from LANG=C or ja_JP, LC_ALL before LANG', async () => {
      assert.match((await run([gap], { cwd: dir, env: { LANG: 'en_US.UTF-8' } })).stdout, /\d+ problems? \(/);
      assert.match((await run([gap], { cwd: dir, env: { LANG: 'C' } })).stdout, /件の問題/);
      assert.match((await run([gap], { cwd: dir, env: { LANG: 'ja_JP.UTF-8' } })).stdout, /件の問題/);
      assert.match((await run([gap], { cwd: dir, env: { LANG: 'en_US.UTF-8', LC_ALL: 'ja_JP.UTF-8' } })).stdout, /件の問題/);
      assert.match((await run(['--locale', 'ja', gap], { cwd: dir, env: { LANG: 'en_US.UTF-8' } })).stdout, /件の問題/);
    });

    it('colours on a terminal and with --color, never with --no-color or NO_COLOR', async () => {
      assert.match((await run([gap], { cwd: dir, tty: true })).stdout, ANSI_RE);
      assert.match((await run(['--color', gap], { cwd: dir })).stdout, ANSI_RE);
      assert.doesNotMatch((await run(['--no-color', gap], { cwd: dir, tty: true })).stdout, ANSI_RE);
      assert.doesNotMatch((await run([gap], { cwd: dir, tty: true, env: { NO_COLOR: '1' } })).stdout, ANSI_RE);
    });

    it('prints nothing when nothing is reported (--quiet: errors only)', async () => {
      const r = await run(['--quiet', gap], { cwd: dir });
      assert.equal(r.code, 0);
      assert.equal(r.stdout, '');
      const e = await run(['--quiet', '-f', 'json', '--rule', 'numbering=error', gap], { cwd: dir });
      assert.equal(e.code, 1);
      assert.deepEqual(
        parseJson(e.stdout)[0].messages.map((m) => [m.ruleId, m.level]),
        [['numbering', 'error']],
      );
    });
  });

  describe('exit codes', () => {
    it('0 when there are warnings only, 1 when a rule is raised to error', async () => {
      assert.equal((await run([gap], { cwd: dir })).code, 0);
      const r = await run(['--rule', 'numbering=error', '-f', 'json', gap], { cwd: dir });
      assert.equal(r.code, 1);
      assert.equal(parseJson(r.stdout)[0].messages.find((m) => m.ruleId === 'numbering')?.severity, 2);
    });

    it('--rule ID=off silences a rule', async () => {
      const r = await run(['--rule', 'numbering=off', '-f', 'json', gap], { cwd: dir });
      assert.equal(parseJson(r.stdout)[0].messages.filter((m) => m.ruleId === 'numbering').length, 0);
    });

    it('1 when warnings exceed --max-warnings, 0 when within', async () => {
      const over = await run(['--max-warnings', '0', gap], { cwd: dir });
      assert.equal(over.code, 1);
      assert.match(over.stderr, /警告が多すぎます/);
      assert.equal((await run(['--max-warnings', '1', gap], { cwd: dir })).code, 0);
    });

    it('2 with a usage message on stderr for bad arguments, and nothing on stdout', async () => {
      const cases: [string[], RegExp][] = [
        [['--bogus', gap], /不明なオプションです: --bogus/],
        [['-f', 'xml', gap], /xml/],
        [['--format'], /--format に値を指定/],
        [['--rule', 'no-such-rule=error', gap], /不明なルール/],
        [['--rule', 'numbering=loud', gap], /loud/],
        [['--rule', 'numbering', gap], /ID=レベル/],
        [['--max-warnings', 'many', gap], /--max-warnings/],
        [['--encoding', 'klingon', gap], /klingon/],
        [['--max-size', 'huge', gap], /huge/],
        [['--locale', 'fr', gap], /fr/],
        [[], /ファイルを指定してください/],
        [['-', gap], /同時に指定できません/],
        [['--fix', '--fix-dry-run', gap], /同時に指定できません/],
        [['outline'], /outline/],
        [['outline', gap, gap], /outline/],
        [['--template', './no/such/template.txt', gap], /標準文のファイルが見つかりません/],
      ];
      for (const [argv, re] of cases) {
        const r = await run(argv, { cwd: dir });
        assert.equal(r.code, 2, argv.join(' '));
        assert.equal(r.stdout, '', argv.join(' '));
        assert.match(r.stderr, re, argv.join(' '));
        assert.match(r.stderr, /keiyaku-lint --help/);
      }
    });

    it('usage errors in English with --locale en', async () => {
      const r = await run(['--locale', 'en', '--bogus'], { cwd: dir });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /Unknown option: --bogus/);
    });
  });

  describe('bad input', () => {
    it('a missing file and a good file: the good one is reported, exit 2', async () => {
      const r = await run(['-f', 'json', 'missing.txt', gap], { cwd: dir });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /missing\.txt: ファイルが見つかりません/);
      const results = parseJson(r.stdout);
      assert.deepEqual(
        results.map((x) => x.filePath),
        [gap],
      );
    });

    it('a binary file is refused with a clear message; the others are linted', async () => {
      const bin = write(dir, 'image.txt', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48]));
      const r = await run(['-f', 'json', bin, gap], { cwd: dir });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /image\.txt: バイナリファイル/);
      assert.deepEqual(
        parseJson(r.stdout).map((x) => x.filePath),
        [gap],
      );
      const en = await run(['--locale', 'en', bin], { cwd: dir });
      assert.match(en.stderr, /binary/);
    });

    it('control bytes without NUL also count as binary', async () => {
      const bytes = Buffer.alloc(200, 0x41);
      for (let i = 0; i < 200; i += 4) bytes[i] = 0x01;
      const r = await run([write(dir, 'ctl.txt', bytes)], { cwd: dir });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /バイナリ/);
    });

    it('Shift_JIS bytes: a clear message naming --encoding shift_jis, never mojibake', async () => {
      const sjis = write(dir, 'sjis.txt', SJIS_GAP);
      const r = await run(['-f', 'json', sjis], { cwd: dir });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /sjis\.txt: UTF-8 として読めません。Shift_JIS の可能性があります。--encoding shift_jis を指定してください/);
      assert.deepEqual(parseJson(r.stdout), []);
      const en = await run(['--locale', 'en', sjis], { cwd: dir });
      assert.match(en.stderr, /Shift_JIS: use --encoding shift_jis/);
    });

    it('Shift_JIS with --encoding shift_jis is linted', async () => {
      const sjis = write(dir, 'sjis2.txt', SJIS_GAP);
      const r = await run(['-f', 'json', '--encoding', 'shift_jis', sjis], { cwd: dir });
      const f = parseJson(r.stdout)[0];
      const m = f.messages.find((x) => x.ruleId === 'numbering');
      assert.ok(m, JSON.stringify(f));
      assert.equal(m.line, 2);
      assert.match(m.message, /第2条/);
    });

    it('EUC-JP bytes name --encoding euc-jp; with it they are linted', async () => {
      // 第 = C2 E8, 条 = BE F2, 甲 = B9 C3, 。 = A1 A3 in EUC-JP.
      const line = (d: number): number[] => [0xc2, 0xe8, 0x30 + d, 0xbe, 0xf2, 0x20, 0xb9, 0xc3, 0xa1, 0xa3, 0x0a];
      const euc = write(dir, 'euc.txt', Buffer.from([...line(1), ...line(3)]));
      const r = await run([euc], { cwd: dir });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /--encoding euc-jp/);
      const ok = await run(['-f', 'json', '--encoding', 'euc-jp', euc], { cwd: dir });
      assert.equal(parseJson(ok.stdout)[0].messages.find((x) => x.ruleId === 'numbering')?.line, 2);
    });

    it('UTF-16 with a BOM is decoded; UTF-16 without one is named', async () => {
      const le = write(dir, 'utf16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(GAP_DRAFT, 'utf16le')]));
      const r = await run(['-f', 'json', le], { cwd: dir });
      assert.equal(parseJson(r.stdout)[0].messages.find((x) => x.ruleId === 'numbering')?.line, 2);
      const be = Buffer.from(GAP_DRAFT, 'utf16le').swap16();
      const r2 = await run(['-f', 'json', write(dir, 'utf16be.txt', Buffer.concat([Buffer.from([0xfe, 0xff]), be]))], { cwd: dir });
      assert.equal(parseJson(r2.stdout)[0].messages.find((x) => x.ruleId === 'numbering')?.line, 2);
      const bomless = write(dir, 'utf16-nobom.txt', Buffer.from(GAP_DRAFT, 'utf16le'));
      const r3 = await run([bomless], { cwd: dir });
      assert.equal(r3.code, 2);
      assert.match(r3.stderr, /--encoding utf-16le/);
      const r4 = await run(['-f', 'json', '--encoding', 'utf-16le', bomless], { cwd: dir });
      assert.equal(parseJson(r4.stdout)[0].messages.find((x) => x.ruleId === 'numbering')?.line, 2);
    });

    it('a wrong --encoding is reported, not linted as mojibake', async () => {
      const r = await run(['--encoding', 'shift_jis', write(dir, 'bad-sjis.txt', Buffer.from([0x91, 0x0a, 0xff, 0xfd]))], { cwd: dir });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /shift_jis として読めません/);
    });

    it('an empty file gets a clear message', async () => {
      const empty = write(dir, 'empty.txt', '');
      const r = await run(['-f', 'json', empty], { cwd: dir });
      const f = parseJson(r.stdout)[0];
      const m = f.messages.find((x) => x.ruleId === 'input' && x.messageId === 'empty');
      assert.ok(m, JSON.stringify(f.messages));
      assert.equal(m.line, 1);
      const s = await run([empty], { cwd: dir });
      assert.match(s.stdout, /1:1 {2}情報 {2}文書が空です/);
    });

    it('a file over --max-size gets one message and is not read', async () => {
      const big = write(dir, 'big.txt', GAP_DRAFT.repeat(100));
      const r = await run(['-f', 'json', '--max-size', '1KB', big, gap], { cwd: dir });
      assert.equal(r.code, 2);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /big\.txt: ファイルが大きすぎるため検査しません（.* KB、上限 1 KB）/);
      assert.deepEqual(
        parseJson(r.stdout).map((x) => x.filePath),
        [gap],
      );
    });

    it('5 MB of text: refused by the default 2 MB limit, quickly', async () => {
      const big = write(dir, 'huge.txt', '第1条 甲は、乙に通知する。\n'.repeat(5 * 1024 * 1024 / 40));
      const t0 = Date.now();
      const r = await run([big], { cwd: dir });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /上限 2 MB/);
      assert.ok(Date.now() - t0 < 2000);
    });

    it('a directory lints its contract files, sorted; an empty directory is an error', async () => {
      const d = path.join(dir, 'drafts');
      write(d, 'b.keiyaku.txt', GAP_DRAFT);
      write(d, 'a.txt', GAP_DRAFT);
      write(d, 'sub/c.md', GAP_DRAFT);
      write(d, 'node_modules/x.txt', GAP_DRAFT);
      write(d, '.hidden/y.txt', GAP_DRAFT);
      write(d, 'image.png', Buffer.from([0x89, 0x50]));
      const r = await run(['-f', 'json', d], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(
        parseJson(r.stdout).map((x) => path.relative(d, x.filePath)),
        ['a.txt', 'b.keiyaku.txt', path.join('sub', 'c.md')],
      );
      fs.mkdirSync(path.join(dir, 'nothing'));
      const e = await run(['nothing', gap], { cwd: dir });
      assert.equal(e.code, 2);
      assert.match(e.stderr, /nothing: 検査するファイルがありません/);
      assert.match(e.stdout, /gap\.txt/);
    });

    it('an unreadable file is an I/O error, the others are linted', async function () {
      if (process.getuid && process.getuid() === 0) {
        // root reads everything: use a path that cannot be read as a file instead.
        const r = await run(['-f', 'json', path.join(gap, 'child.txt'), gap], { cwd: dir });
        assert.equal(r.code, 2);
        assert.match(r.stderr, /child\.txt/);
        assert.equal(parseJson(r.stdout).length, 1);
        return;
      }
      const locked = write(dir, 'locked.txt', GAP_DRAFT);
      fs.chmodSync(locked, 0o000);
      const r = await run(['-f', 'json', locked, gap], { cwd: dir });
      fs.chmodSync(locked, 0o644);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /locked\.txt: 読み込めません/);
      assert.equal(parseJson(r.stdout).length, 1);
    });
  });

  describe('standard input and output file', () => {
    it('- reads standard input', async () => {
      const r = await run(['-f', 'json', '-'], { cwd: dir, stdin: GAP_DRAFT });
      const f = parseJson(r.stdout)[0];
      assert.equal(f.filePath, '<stdin>');
      assert.equal(f.messages.find((m) => m.ruleId === 'numbering')?.line, 2);
    });

    it('--stdin --stdin-filename names the report', async () => {
      const r = await run(['--stdin', '--stdin-filename', 'draft.txt'], { cwd: dir, stdin: GAP_DRAFT });
      assert.match(r.stdout, /^draft\.txt$/m);
      assert.match(r.stdout, /numbering/);
      const j = await run(['-f', 'json', '--stdin', '--stdin-filename', 'draft.txt'], { cwd: dir, stdin: GAP_DRAFT });
      assert.equal(parseJson(j.stdout)[0].filePath, path.join(dir, 'draft.txt'));
    });

    it('standard input over --max-size gets one message', async () => {
      const r = await run(['--max-size', '100', '-'], { cwd: dir, stdin: GAP_DRAFT.repeat(10) });
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /<stdin>: 入力が上限 100 B を超えるため検査しません/);
    });

    it('standard input in Shift_JIS gets the same clear message', async () => {
      const r = await run(['-'], { cwd: dir, stdin: SJIS_GAP });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /<stdin>: UTF-8 として読めません。Shift_JIS/);
    });

    it('-o writes the report to a file and nothing to stdout', async () => {
      const out = path.join(dir, 'reports', 'out.json');
      const r = await run(['-f', 'json', '-o', out, gap], { cwd: dir });
      assert.equal(r.stdout, '');
      const f = parseJson(fs.readFileSync(out, 'utf8'))[0];
      assert.equal(f.messages.find((m) => m.ruleId === 'numbering')?.line, 2);
      const stylish = path.join(dir, 'out.txt');
      await run(['--output-file=out.txt', gap], { cwd: dir, tty: true });
      const text = fs.readFileSync(stylish, 'utf8');
      assert.match(text, /件の問題/);
      assert.doesNotMatch(text, ANSI_RE, 'no colours in a file');
    });

    it('-o into an unwritable place is an I/O error', async () => {
      const r = await run(['-o', path.join(gap, 'x.json'), gap], { cwd: dir });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /結果を書き出せません/);
    });
  });

  describe('--fix', () => {
    it('writes nothing when no safe fix applies, and keeps the report', async () => {
      const copy = write(dir, 'fix-me.txt', GAP_DRAFT);
      const r = await run(['--fix', '-f', 'json', copy], { cwd: dir });
      assert.equal(fs.readFileSync(copy, 'utf8'), GAP_DRAFT);
      const f = parseJson(r.stdout)[0];
      assert.equal(f.output, undefined);
      assert.ok(f.messages.some((m) => m.ruleId === 'numbering'));
    });

    /** 「または」 in kana: style/conjunction's safe fix writes 「又は」. */
    const KANA = '第1条 甲は、乙に通知し、または報告する。\r\n第2条 乙は、甲に報告する。\r\n';

    it('--fix-dry-run reports what is left and puts the fixed text in "output", writing nothing', async () => {
      const file = write(dir, 'kana-dry.txt', KANA);
      const before = parseJson((await run(['-f', 'json', file], { cwd: dir })).stdout)[0];
      assert.ok(before.fixableWarningCount + before.fixableErrorCount > 0, JSON.stringify(before.messages));
      const r = await run(['-f', 'json', '--fix-dry-run', file], { cwd: dir });
      const f = parseJson(r.stdout)[0];
      assert.equal(f.output, KANA.replace('または', '又は'));
      assert.equal(f.fixableWarningCount + f.fixableErrorCount, 0);
      assert.equal(fs.readFileSync(file, 'utf8'), KANA);
      const s = await run(['--fix-dry-run', file], { cwd: dir });
      assert.match(s.stdout, /1 件を自動修正できます（--fix-dry-run のため書き戻していません）/);
    });

    it('--fix writes the file back, keeping its BOM and CRLF line ends', async () => {
      const file = write(dir, 'kana.txt', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(KANA)]));
      const r = await run(['--fix', file], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      const bytes = fs.readFileSync(file);
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      assert.equal(bytes.subarray(3).toString('utf8'), KANA.replace('または', '又は'));
      assert.match(r.stdout, /1 件を自動修正しました/);
      assert.doesNotMatch(r.stdout, /style\/conjunction/);
    });

    it('--fix writes UTF-16 back as UTF-16, and refuses to write Shift_JIS (exit 2, file unchanged)', async () => {
      const le = write(dir, 'kana16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(KANA, 'utf16le')]));
      await run(['--fix', le], { cwd: dir });
      const b = fs.readFileSync(le);
      assert.deepEqual([...b.subarray(0, 2)], [0xff, 0xfe]);
      assert.equal(b.subarray(2).toString('utf16le'), KANA.replace('または', '又は'));
      // 「または」 in Shift_JIS: 82 DC 82 BD 82 CD.
      const sjisText = Buffer.concat([
        Buffer.from([0x91, 0xe6, 0x31, 0x8f, 0xf0, 0x20, 0x8d, 0x62, 0x82, 0xdc, 0x82, 0xbd, 0x82, 0xcd, 0x81, 0x42, 0x0a]),
      ]);
      const sj = write(dir, 'kana-sjis.txt', sjisText);
      const r = await run(['--fix', '--encoding', 'shift_jis', sj], { cwd: dir });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /shift_jis のファイルには修正を書き戻せません/);
      assert.deepEqual(fs.readFileSync(sj), sjisText);
    });

    it('--fix on standard input prints the fixed text', async () => {
      const r = await run(['--fix', '-'], { cwd: dir, stdin: KANA });
      assert.equal(r.stdout, KANA.replace('または', '又は'));
    });

    it('with standard input prints the (fixed) text on stdout and the report on stderr', async () => {
      const r = await run(['--fix', '-'], { cwd: dir, stdin: GAP_DRAFT });
      assert.equal(r.stdout, GAP_DRAFT);
      assert.match(r.stderr, /numbering/);
    });
  });

  describe('SARIF', () => {
    it('is SARIF 2.1.0 with each rule’s docs page as helpUri and 1-based regions', async () => {
      const r = await run(['-f', 'sarif', gap], { cwd: dir });
      const log = JSON.parse(r.stdout) as {
        version: string;
        runs: {
          tool: { driver: { name: string; rules: { id: string; helpUri?: string }[] } };
          results: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[] }[];
        }[];
      };
      assert.equal(log.version, '2.1.0');
      const run0 = log.runs[0];
      assert.equal(run0.tool.driver.name, 'keiyaku-lint');
      const rule = run0.tool.driver.rules.find((x) => x.id === 'numbering');
      assert.ok(rule);
      assert.match(rule.helpUri ?? '', /^file:\/\/.*\/docs\/rules\/numbering\.md$/);
      const res = run0.results.find((x) => x.ruleId === 'numbering');
      assert.ok(res);
      assert.equal(run0.tool.driver.rules[res.ruleIndex].id, 'numbering');
      assert.equal(res.locations[0].physicalLocation.region.startLine, 2);
      assert.equal(res.locations[0].physicalLocation.region.startColumn, 1);
      assert.equal(res.locations[0].physicalLocation.artifactLocation.uri, 'file://' + gap);
    });
  });

  describe('engine memos', () => {
    it('resolves references without the reference memo when each file is linted once, with it when fixing, and leaves it on', async () => {
      const noTokenizer = { cwd: dir, loadTokenizer: async () => null };
      const consulted = (): number => referenceMemoStats().hits + referenceMemoStats().misses;
      const before = consulted();
      const once = await run(['-f', 'json', SEED_004], noTokenizer);
      assert.ok(parseJson(once.stdout)[0].messages.length > 0);
      assert.equal(consulted(), before, 'not consulted for a single lint');
      assert.equal(setReferenceMemo(true), true, 'on again after the run');
      await run(['-f', 'json', '--fix-dry-run', SEED_004], noTokenizer);
      assert.ok(consulted() > before, 'consulted by the fix loop, which lints the same text again and again');
      assert.equal(setReferenceMemo(true), true);
    });
  });

  describe('tokenizer', () => {
    it('a missing dictionary: a warning on stderr, the structural rules still report, exit by findings', async () => {
      const r = await run(['-f', 'json', gap, SEED_000], {
        cwd: dir,
        loadTokenizer: () => Promise.reject(new Error('kuromoji dictionary not found')),
      });
      assert.equal(r.code, 0);
      assert.equal(r.stderr.match(/形態素解析の辞書を読み込めない/g)?.length, 1, 'warned once: ' + r.stderr);
      const results = parseJson(r.stdout);
      assert.equal(results.length, 2);
      assert.ok(results[0].messages.some((m) => m.ruleId === 'numbering'));
    });

    it('is loaded once per run, however many files', async () => {
      let loads = 0;
      const r = await run(['-f', 'json', gap, SEED_000, SEED_004], {
        cwd: dir,
        loadTokenizer: async () => {
          loads++;
          return null;
        },
      });
      assert.equal(parseJson(r.stdout).length, 3);
      assert.equal(loads, 1);
    });

    it('is not loaded when no file can be read, nor with --no-tokenizer', async () => {
      let loads = 0;
      const loadTokenizer = async (): Promise<null> => {
        loads++;
        return null;
      };
      await run(['missing.txt'], { cwd: dir, loadTokenizer });
      await run(['--no-tokenizer', gap], { cwd: dir, loadTokenizer });
      assert.equal(loads, 0);
    });

    it('dictionary cache: --cache-dir DIR, else $KEIYAKU_LINT_CACHE_DIR, else the user cache; --no-dict-cache: none', async () => {
      const asked: Array<string | null> = [];
      const loadTokenizer = async ({ cacheDir }: { cacheDir: string | null }): Promise<null> => {
        asked.push(cacheDir);
        return null;
      };
      // expected undefined: not checked (the user cache directory of macOS and Windows ignores XDG_CACHE_HOME)
      const unix = process.platform !== 'darwin' && process.platform !== 'win32';
      const cases: Array<[string[], Record<string, string | undefined>, string | null | undefined]> = [
        [['--cache-dir', 'cache', gap], {}, path.join(dir, 'cache')],
        [['--cache-dir=/abs/cache', gap], { KEIYAKU_LINT_CACHE_DIR: '/env' }, path.resolve('/abs/cache')],
        [[gap], { KEIYAKU_LINT_CACHE_DIR: '/env' }, path.resolve('/env')],
        [[gap], { KEIYAKU_LINT_CACHE_DIR: '' }, null],
        [[gap], { KEIYAKU_LINT_CACHE_DIR: undefined, XDG_CACHE_HOME: '/xdg' }, unix ? '/xdg/keiyaku-lint' : undefined],
        [['--no-dict-cache', gap], { KEIYAKU_LINT_CACHE_DIR: '/env' }, null],
      ];
      for (const [argv, env, expected] of cases) {
        asked.length = 0;
        const r = await run(['-f', 'json', ...argv], { cwd: dir, env, loadTokenizer });
        assert.equal(r.code, 0, argv.join(' ') + r.stderr);
        if (expected !== undefined) assert.deepEqual(asked, [expected], `${argv.join(' ')} ${JSON.stringify(env)}`);
      }
      const both = await run(['--no-dict-cache', '--cache-dir', 'x', gap], { cwd: dir, loadTokenizer });
      assert.equal(both.code, 2);
      assert.match(both.stderr, /--cache-dir と --no-dict-cache は同時に指定できません/);
      const empty = await run(['--cache-dir=', gap], { cwd: dir, loadTokenizer, env: { LANG: 'en_US.UTF-8' } });
      assert.equal(empty.code, 2);
      assert.match(empty.stderr, /--cache-dir needs a value/);
    });
  });

  describe('help and version', () => {
    it('--help in Japanese and English, exit 0', async () => {
      const ja = await run(['--help']);
      assert.equal(ja.code, 0);
      assert.match(ja.stdout, /使い方/);
      assert.match(ja.stdout, /--format stylish\|json\|sarif/);
      const en = await run(['-h', '--locale', 'en']);
      assert.match(en.stdout, /Usage:/);
      assert.match(en.stdout, /Exit codes: 0 clean/);
    });

    it('--version prints the package version', async () => {
      const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
      const r = await run(['-v']);
      assert.equal(r.code, 0);
      assert.equal(r.stdout.trim(), pkg.version);
    });
  });

  describe('outline', () => {
    interface OUnit {
      kind: string;
      label: string;
      number: { value: number[]; raw: string; style: string } | null;
      heading: string | null;
      text: string | null;
      lines: { start: number; end: number };
      children: OUnit[];
    }
    const articlesOf = (units: OUnit[]): OUnit[] =>
      units.flatMap((u) => (u.kind === 'article' ? [u] : articlesOf(u.children)));

    it('prints seed 000 as a tree of 11 articles with headings, numbers and 1-based line ranges', async () => {
      const r = await run(['outline', SEED_000]);
      assert.equal(r.code, 0, r.stderr);
      const o = JSON.parse(r.stdout) as { title: string | null; units: OUnit[]; problems: unknown[]; summary: { articles: number } };
      const articles = articlesOf(o.units);
      assert.equal(articles.length, 11);
      assert.equal(o.summary.articles, 11);
      assert.deepEqual(
        articles.map((a) => a.number?.value[0]),
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
      );
      assert.equal(articles[0].heading, '総則');
      assert.equal(articles[0].number?.raw, '第1条');
      assert.equal(articles[0].label, '第1条');
      const lines = fs.readFileSync(SEED_000, 'utf8').split('\n');
      const first = articles[0].lines.start;
      assert.ok(lines[first - 1].includes('第1条') || lines[first - 1].includes('総則'), lines[first - 1]);
      for (const a of articles) assert.ok(a.lines.start <= a.lines.end && a.lines.start >= 1);
      assert.ok(articles[1].children.length === 3, 'article 2 has three paragraphs');
      assert.ok(articles[0].text === null || articles[0].text.length <= 81);
    });

    it('--full keeps whole body texts; without it they are cut at 80 characters', async () => {
      const short = JSON.parse((await run(['outline', SEED_004])).stdout) as { units: OUnit[] };
      const full = JSON.parse((await run(['outline', '--full', SEED_004])).stdout) as { units: OUnit[] };
      const texts = (us: OUnit[]): string[] => us.flatMap((u) => [...(u.text ? [u.text] : []), ...texts(u.children)]);
      const s = texts(short.units);
      const f = texts(full.units);
      assert.equal(s.length, f.length);
      assert.ok(f.some((t) => t.length > 81));
      assert.ok(s.every((t) => t.length <= 81));
    });

    it('reads standard input and reports problems of the document', async () => {
      const r = await run(['outline', '-'], { stdin: '' });
      assert.equal(r.code, 0);
      const o = JSON.parse(r.stdout) as { problems: { code: string; message: string; line: number }[] };
      assert.ok(o.problems.some((p) => p.code === 'empty'));
    });

    it('refuses binary and Shift_JIS input like lint does', async () => {
      const r = await run(['outline', '-'], { stdin: SJIS_GAP });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /Shift_JIS/);
      assert.equal(r.stdout, '');
      const m = await run(['outline', 'missing.txt'], { cwd: dir });
      assert.equal(m.code, 2);
      assert.match(m.stderr, /ファイルが見つかりません/);
    });
  });
});
