/**
 * `keiyaku-lint diff OLD NEW`: exit codes, the four formats, -o, errors; the HTML report opened
 * in headless Chromium with a screenshot saved under test-results/ (skipped when /usr/bin/chromium
 * is absent: `bash scripts/install-chromium.sh` installs it).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadTokenizer } from '../../server/src/engine/tokenizer/kuromoji';
import { ANSI_RE, cleanup, run, tempDir, write } from './helpers';

const REPO = path.resolve(__dirname, '..', '..', '..');
const REV = path.join(REPO, 'test', 'fixtures', 'revisions');
const rev = (name: string): string => path.join(REV, name);
const CHROMIUM = '/usr/bin/chromium';
const RESULTS = path.join(REPO, 'test-results');

describe('CLI: keiyaku-lint diff', function () {
  this.timeout(60000);
  let dir: string;

  before(async function () {
    await loadTokenizer(); // built once for every run below
  });
  beforeEach(function () {
    dir = tempDir();
  });
  afterEach(function () {
    cleanup(dir);
  });

  it('exit 1 and a stylish report: summary, the weakening first, the renumbering once, each change', async function () {
    const r = await run(['diff', rev('tokuyaku-a.txt'), rev('tokuyaku-b.txt')], { env: { LANG: 'ja_JP.UTF-8' } });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr, '');
    const out = r.stdout;
    assert.doesNotMatch(out, ANSI_RE);
    assert.match(out, /実質的な変更があります。 弱化 1 · 追加 1 · 番号変更 7（1 箇所） · 文言変更 1/);
    assert.ok(out.indexOf('弱められた箇所') < out.indexOf('番号の振り直し'), 'weakenings come first');
    assert.match(out, /期限が弱められました: 「直ちに」→「速やかに」。/);
    assert.equal(out.match(/第5条–第11条 → 第6条–第12条（7 件）/g)?.length, 1, 'the renumbering is shown once');
    assert.match(out, /追加\s+第5条（再委託先の監督）/);
    assert.match(out, /文言変更 第7条第1項（旧 第6条第1項）/);
    assert.match(out, /\[-直ちに-\]/);
    assert.match(out, /\{\+速やかに\+\}/);
    // only those: no other article is listed as changed
    assert.equal(out.match(/^ {2}(追加|削除|文言変更|移動|分割|統合)/gm)?.length, 2, out);
  });

  it('exit 0 when the revisions are equivalent (reflow, digit width); English with --locale en', async function () {
    const r = await run(['diff', '--locale', 'en', rev('tokki-a.txt'), rev('tokki-reflow.txt')]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /No substantive change/);
    assert.match(r.stdout, /0 weakened/);
  });

  it('exit 0 for a renumbering alone, shown once', async function () {
    const r = await run(['diff', '--format', 'json', rev('tokuyaku-gap.txt'), rev('tokuyaku-a.txt')]);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.summary.equivalent, true);
    assert.equal(j.changes.length, 0);
    assert.equal(j.renumbering.length, 1);
    assert.equal(j.renumbering[0].units.length, 7);
  });

  it('--format json: the statute amendments, named unit by unit, messages rendered', async function () {
    const r = await run(['diff', '-f', 'json', '--locale', 'en', rev('statute-a.txt'), rev('statute-b.txt')]);
    assert.equal(r.code, 1, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.version, 1);
    assert.deepEqual(
      j.changes.map((c: { kind: string; title: string }) => `${c.kind} ${c.title}`),
      ['removed 第2条第3項第3号', 'changed 第12条第2項', 'added 第36条の2（委員の任期）', 'added 第5章の2（外部委託）'],
    );
    assert.equal(j.summary.weakened, 3);
    assert.match(j.changes[1].wording[1].message, /Deadline weakened: 「直ちに」 → 「遅滞なく」/);
    assert.equal(j.renumbering[0].message, '第2条第3項第4号–第5号 → 第2条第3項第3号–第4号 (2)');
  });

  it('--format markdown -o FILE: written to the file, links to both places', async function () {
    const out = path.join(dir, 'reports', 'r.md');
    const r = await run(['diff', '--format=markdown', '-o', out, rev('tokki-a.txt'), rev('tokki-b.txt')], { env: { LANG: 'ja_JP.UTF-8' } });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, '', 'nothing on standard output with -o');
    const md = fs.readFileSync(out, 'utf8');
    assert.match(md, /^# リビジョン比較/);
    assert.match(md, /## 弱められた箇所\n\n- \[第15第2項（旧 第14第2項）\]\(#c\d+\): 期限が弱められました/);
    assert.match(md, /~~直ちに~~/);
    assert.match(md, /\*\*遅滞なく\*\*/);
    // relative links from the report's folder to each revision, at the unit's line
    const rel = path.relative(path.dirname(out), rev('tokki-b.txt')).split(path.sep).join('/');
    assert.ok(md.includes(`(${rel}#L142)`), md);
  });

  it('--format html: one self-contained file (inline CSS, nothing external, no script)', async function () {
    const out = path.join(dir, 'r.html');
    const r = await run(['diff', '--format', 'html', '-o', out, rev('statute-a.txt'), rev('statute-b.txt')], { env: { LANG: 'ja_JP.UTF-8' } });
    assert.equal(r.code, 1, r.stderr);
    const html = fs.readFileSync(out, 'utf8');
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /<style>/);
    assert.doesNotMatch(html, /<script|<link|src=|@import|url\(/i);
    assert.doesNotMatch(html, /https?:\/\//);
    assert.match(html, /default-src (&#39;|')none/);
    assert.match(html, /<del>直ちに<\/del>/);
    assert.match(html, /<ins>遅滞なく<\/ins>/);
  });

  it('exit 2: usage errors, unreadable files, a revision with no articles', async function () {
    const one = await run(['diff', rev('tokuyaku-a.txt')]);
    assert.equal(one.code, 2);
    assert.match(one.stderr, /2つのファイル/);
    const fmt = await run(['diff', '--format', 'sarif', rev('tokuyaku-a.txt'), rev('tokuyaku-b.txt')]);
    assert.equal(fmt.code, 2);
    assert.match(fmt.stderr, /sarif/);
    const missing = await run(['diff', rev('tokuyaku-a.txt'), path.join(dir, 'nope.txt')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.txt/);
    const prose = write(dir, 'prose.txt', 'これは契約書ではなく、ただの文章です。\n');
    const none = await run(['diff', '--locale', 'en', rev('tokuyaku-a.txt'), prose]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /No articles/);
    const binary = write(dir, 'bin.txt', Buffer.from([0, 1, 2, 3, 0, 0, 255]));
    assert.equal((await run(['diff', rev('tokuyaku-a.txt'), binary])).code, 2);
    const help = await run(['diff', '--help', '--locale', 'en']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Exit codes: 0 equivalent, 1 substantive changes, 2 error/);
  });

  it('an old revision in Shift_JIS and a new one in UTF-8: each named with --old-encoding / --new-encoding', async function () {
    // 第1条 甲は、乙に通知する。 / 第2条 甲は、直ちに報告する。 in Shift_JIS
    const sjis = (s: string): number[] => {
      const table: Record<string, number[]> = {
        第: [0x91, 0xe6], 条: [0x8f, 0xf0], 甲: [0x8d, 0x62], 乙: [0x89, 0xb3], は: [0x82, 0xcd], '、': [0x81, 0x41], に: [0x82, 0xc9],
        通: [0x92, 0xca], 知: [0x92, 0x6d], す: [0x82, 0xb7], る: [0x82, 0xe9], '。': [0x81, 0x42], 直: [0x92, 0xbc], ち: [0x82, 0xbf],
        報: [0x95, 0xf1], 告: [0x8d, 0x90],
      };
      return [...s].flatMap((c) => table[c] ?? [c.charCodeAt(0)]);
    };
    const oldText = '第1条 甲は、乙に通知する。\n第2条 甲は、直ちに報告する。\n';
    const old = write(dir, 'old-sjis.txt', Buffer.from(sjis(oldText)));
    const same = write(dir, 'new-same.txt', oldText);
    const weaker = write(dir, 'new-weaker.txt', oldText.replace('直ちに', '速やかに'));
    // one encoding for both cannot read both; the message says how to name each
    const both = await run(['diff', '--encoding', 'shift_jis', old, same]);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /new-same\.txt: shift_jis として読めません/);
    assert.match(both.stderr, /--old-encoding と --new-encoding/);
    const plain = await run(['diff', '--locale', 'en', old, same]);
    assert.equal(plain.code, 2);
    assert.match(plain.stderr, /old-sjis\.txt.*Shift_JIS/);
    assert.match(plain.stderr, /--old-encoding and --new-encoding/);
    // each named: the same text is equivalent, and the weakened deadline is found
    assert.equal((await run(['diff', '--old-encoding', 'shift_jis', old, same])).code, 0);
    const r = await run(['diff', '--old-encoding', 'shift_jis', '--format', 'json', old, weaker]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(JSON.parse(r.stdout).summary.weakened, 1);
    // and the other way round, with --encoding for the rest
    assert.equal((await run(['diff', '--encoding', 'shift_jis', '--new-encoding', 'utf-8', old, same])).code, 0);
    assert.equal((await run(['diff', '--old-encoding', 'klingon', old, same])).code, 2);
  });

  it('colours only when asked (or on a terminal)', async function () {
    const r = await run(['diff', '--color', rev('tokuyaku-a.txt'), rev('tokuyaku-b.txt')]);
    assert.match(r.stdout, ANSI_RE);
    const tty = await run(['diff', rev('tokuyaku-a.txt'), rev('tokuyaku-b.txt')], { tty: true });
    assert.match(tty.stdout, ANSI_RE);
    const no = await run(['diff', rev('tokuyaku-a.txt'), rev('tokuyaku-b.txt')], { tty: true, env: { NO_COLOR: '1' } });
    assert.doesNotMatch(no.stdout, ANSI_RE);
  });

  it('the bundled CLI (dist/cli.js) runs diff', function () {
    const cli = path.join(REPO, 'dist', 'cli.js');
    // npm test builds dist/ first (pretest)
    assert.ok(fs.existsSync(cli) && fs.readFileSync(cli, 'utf8').includes('diff:help'), 'dist/cli.js is built with diff: run `npm run build`');
    const p = spawnSync(process.execPath, [cli, 'diff', '--format', 'json', rev('tokuyaku-a.txt'), rev('tokuyaku-b.txt')], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', KEIYAKU_LINT_CACHE_DIR: '' },
    });
    assert.equal(p.status, 1, p.stderr);
    assert.equal(JSON.parse(p.stdout).summary.added, 1);
  });

  describe('the HTML report in headless Chromium', function () {
    before(function () {
      if (!fs.existsSync(CHROMIUM)) {
        if (process.env.CI) throw new Error(`${CHROMIUM} not found: scripts/install-chromium.sh should have installed it`);
        console.log(`      (skipped: ${CHROMIUM} not found — run \`bash scripts/install-chromium.sh\` as root to install Chromium and fonts-noto-cjk)`);
        this.skip();
      }
    });

    it('opens, lays out every change, and a screenshot is saved to test-results/', async function () {
      this.timeout(120000);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { chromium } = require('playwright-core') as typeof import('playwright-core');
      fs.mkdirSync(RESULTS, { recursive: true });
      const shots: string[] = [];
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
      try {
        for (const [a, b, name] of [
          ['statute-a.txt', 'statute-b.txt', 'revision-report-statute.png'],
          ['tokki-a.txt', 'tokki-b.txt', 'revision-report-tokki.png'],
        ]) {
          const html = path.join(RESULTS, name.replace(/\.png$/, '.html'));
          const r = await run(['diff', '--format', 'html', '-o', html, rev(a), rev(b)], { env: { LANG: 'ja_JP.UTF-8' } });
          assert.equal(r.code, 1, r.stderr);
          const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
          const requests: string[] = [];
          page.on('request', (req) => {
            if (!req.url().startsWith('file:')) requests.push(req.url());
          });
          await page.goto(`file://${html}`);
          const cards = await page.locator('section.card').count();
          const expected = (JSON.parse((await run(['diff', '-f', 'json', rev(a), rev(b)])).stdout) as { changes: unknown[] }).changes.length;
          assert.equal(cards, expected);
          assert.equal(await page.locator('.counts li.weakened.some').count(), 1);
          assert.deepEqual(requests, [], 'no request leaves the file');
          // the Japanese text has glyphs: 「期」 is wider than a missing-glyph box would be on its own line
          const width = (await page.evaluate(
            `(() => { const s = document.createElement('span'); s.textContent = '期限期限期限期限'; document.body.appendChild(s);
              const w = s.getBoundingClientRect().width; s.remove(); return w; })()`,
          )) as number;
          assert.ok(width > 40, `CJK text renders (${width}px)`);
          const shot = path.join(RESULTS, name);
          await page.screenshot({ path: shot, fullPage: true });
          assert.ok(fs.statSync(shot).size > 10000, `${shot} has content`);
          shots.push(shot);
          await page.close();
        }
      } finally {
        await browser.close();
      }
      console.log(`      screenshots: ${shots.map((s) => path.relative(REPO, s)).join(', ')}`);
    });
  });
});
