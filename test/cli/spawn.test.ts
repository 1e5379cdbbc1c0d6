/**
 * The bundled CLI as users run it: `node dist/cli.js …` in a child process — exit codes, a stdout
 * that holds nothing but the report, standard input, locale from LANG, a missing dictionary,
 * and no network use at all.
 */
import * as assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GAP_DRAFT, ROOT, SEED_000, cleanup, tempDir, write } from './helpers';

const CLI = path.join(ROOT, 'dist', 'cli.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds dist/cli.js when it is missing or older than the CLI's sources. */
function ensureBundle(): void {
  const stale = !fs.existsSync(CLI) || fs.statSync(CLI).mtimeMs < newestMtime(path.join(ROOT, 'server', 'src', 'cli'));
  if (!stale) return;
  const r = spawnSync(process.execPath, [path.join(ROOT, 'esbuild.mjs'), '--if-needed'], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
  assert.equal(r.status, 0, `esbuild.mjs failed:\n${r.stdout}\n${r.stderr}`);
  assert.ok(fs.existsSync(CLI), 'dist/cli.js was not built');
}

/**
 * A clean environment: no locale or colour variables from the test runner's shell, and the
 * dictionary cache in a directory of the test runs rather than the user's cache directory.
 */
function baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['LANG', 'LC_ALL', 'LC_MESSAGES', 'NO_COLOR', 'FORCE_COLOR', 'KEIYAKU_LINT_DICT']) delete env[k];
  env.KEIYAKU_LINT_CACHE_DIR ??= path.join(os.tmpdir(), 'keiyaku-lint-test-cache');
  return { ...env, ...extra };
}

function cli(args: string[], opts: { cwd: string; input?: string | Buffer; env?: Record<string, string>; nodeArgs?: string[] }): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [...(opts.nodeArgs ?? []), CLI, ...args], {
    cwd: opts.cwd,
    input: opts.input ?? '',
    env: baseEnv(opts.env),
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('cli: node dist/cli.js', function () {
  this.timeout(180_000);
  let dir: string;
  let gap: string;

  before(() => {
    ensureBundle();
    dir = tempDir();
    gap = write(dir, 'gap.txt', GAP_DRAFT);
  });
  after(() => cleanup(dir));

  it('prints the JSON report and nothing else on stdout; exit 0 for warnings', () => {
    const r = cli(['-f', 'json', 'gap.txt'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    const results = JSON.parse(r.stdout) as { filePath: string; messages: { ruleId: string; line: number }[] }[];
    assert.equal(results[0].filePath, gap);
    assert.equal(results[0].messages.find((m) => m.ruleId === 'numbering')?.line, 2);
  });

  it('exit 1 for errors, 2 for a missing file (after reporting the good one), 2 for a usage error', () => {
    assert.equal(cli(['--rule', 'numbering=error', 'gap.txt'], { cwd: dir }).status, 1);
    const missing = cli(['nope.txt', 'gap.txt'], { cwd: dir });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /nope\.txt: ファイルが見つかりません/);
    assert.match(missing.stdout, /gap\.txt/);
    const usage = cli(['--frobnicate'], { cwd: dir });
    assert.equal(usage.status, 2);
    assert.equal(usage.stdout, '');
  });

  it('reads standard input and speaks English under LANG=en_US.UTF-8', () => {
    const r = cli(['-'], { cwd: dir, input: GAP_DRAFT, env: { LANG: 'en_US.UTF-8' } });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /<stdin>/);
    assert.match(r.stdout, /warning/);
    assert.match(r.stdout, /\d+ problems? \(/);
  });

  it('refuses Shift_JIS bytes with the --encoding hint, and lints them with it', () => {
    const sjis = Buffer.from([0x91, 0xe6, 0x31, 0x8f, 0xf0, 0x0a, 0x91, 0xe6, 0x33, 0x8f, 0xf0, 0x0a]);
    write(dir, 'sjis.txt', sjis);
    const r = cli(['sjis.txt'], { cwd: dir });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--encoding shift_jis を指定してください/);
    const ok = cli(['-f', 'json', '--encoding', 'shift_jis', 'sjis.txt'], { cwd: dir });
    assert.equal((JSON.parse(ok.stdout) as { messages: { ruleId: string; line: number }[] }[])[0].messages.find((m) => m.ruleId === 'numbering')?.line, 2);
  });

  it('without the tokenizer dictionary: one warning on stderr, structural findings still reported', () => {
    const r = cli(['-f', 'json', 'gap.txt'], { cwd: dir, env: { KEIYAKU_LINT_DICT: path.join(dir, 'no-dict') } });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /形態素解析の辞書を読み込めない/);
    assert.ok((JSON.parse(r.stdout) as { messages: { ruleId: string }[] }[])[0].messages.some((m) => m.ruleId === 'numbering'));
  });

  it('dictionary cache: --cache-dir creates it on the first run, the next run uses it; --no-dict-cache writes none', () => {
    const cache = path.join(dir, 'dict-cache');
    const first = cli(['-f', 'json', '--cache-dir', 'dict-cache', SEED_000], { cwd: dir });
    assert.ok(first.status === 0 || first.status === 1, first.stderr);
    assert.equal(first.stderr, '');
    const made = fs.readdirSync(cache);
    assert.equal(made.length, 1, made.join(', '));
    assert.match(made[0], /^kuromoji-[0-9a-f]{16}$/);
    assert.ok(fs.existsSync(path.join(cache, made[0], 'manifest.json')), 'written before the process exited');
    const manifest = fs.statSync(path.join(cache, made[0], 'manifest.json')).mtimeMs;
    const later = cli(['-f', 'json', '--cache-dir', cache, SEED_000], { cwd: dir });
    assert.equal(later.stdout, first.stdout, 'same report');
    assert.equal(fs.statSync(path.join(cache, made[0], 'manifest.json')).mtimeMs, manifest, 'used, not rewritten');
    const none = path.join(dir, 'env-cache');
    const off = cli(['-f', 'json', '--no-dict-cache', SEED_000], { cwd: dir, env: { KEIYAKU_LINT_CACHE_DIR: none } });
    assert.equal(off.stdout, first.stdout);
    assert.equal(fs.existsSync(none), false);
    // An unusable cache root changes nothing but speed.
    write(dir, 'not-a-dir', 'x');
    const bad = cli(['-f', 'json', SEED_000], { cwd: dir, env: { KEIYAKU_LINT_CACHE_DIR: path.join(dir, 'not-a-dir') } });
    assert.equal(bad.stdout, first.stdout);
    assert.equal(bad.stderr, '');
  });

  it('outline prints seed 000 with 11 articles', () => {
    const r = cli(['outline', SEED_000], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    const o = JSON.parse(r.stdout) as { summary: { articles: number }; units: { kind: string }[] };
    assert.equal(o.summary.articles, 11);
    assert.equal(o.units.filter((u) => u.kind === 'article').length, 11);
  });

  it('uses no network: sockets, DNS and HTTP are never touched', () => {
    const guard = write(
      dir,
      'no-network.js',
      `
      const fail = (what) => function () { process.stderr.write('NETWORK-USED: ' + what + '\\n'); process.exit(99); };
      const net = require('net');
      net.Socket.prototype.connect = fail('net.connect');
      net.createConnection = net.connect = fail('net.createConnection');
      const dns = require('dns');
      for (const k of ['lookup', 'resolve', 'resolve4', 'resolve6']) dns[k] = fail('dns.' + k);
      dns.promises.lookup = fail('dns.promises.lookup');
      for (const m of ['http', 'https', 'http2']) { const mod = require(m); mod.request = mod.get = fail(m); if (mod.connect) mod.connect = fail(m + '.connect'); }
      if (globalThis.fetch) globalThis.fetch = fail('fetch');
      `,
    );
    const r = cli(['-f', 'json', 'gap.txt', SEED_000], { cwd: dir, nodeArgs: ['--require', guard] });
    assert.doesNotMatch(r.stderr, /NETWORK-USED/);
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as unknown[]).length, 2);
  });

  it('--version and --help', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(cli(['--version'], { cwd: dir }).stdout.trim(), pkg.version);
    const help = cli(['--help'], { cwd: dir, env: { LANG: 'en_US.UTF-8' } });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /keiyaku-lint outline/);
  });
});
