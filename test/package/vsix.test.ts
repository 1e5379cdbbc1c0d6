/**
 * What the extension ships. Two modes, the same checks:
 *
 * - default: the working tree as `vsce package` would see it — the .vscodeignore allow-list applied
 *   to the repository and the dist/ bundles built by `npm run build` (npm test's pretest);
 * - KEIYAKU_TEST_PACKAGE=1: runs `npm run package`, unzips dist/keiyaku-lint.vsix into a temporary
 *   directory and checks the files it really holds, running its CLI there.
 *
 * Either way the bundled CLI is run from a directory with no node_modules above it: everything it
 * needs (the engine, kuromoji, the dictionary) must come with the bundle.
 */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { builtinModules } from 'module';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';

const repo = path.resolve(__dirname, '..', '..', '..');
const packageMode = process.env.KEIYAKU_TEST_PACKAGE === '1';
const mode = packageMode ? 'in the packaged .vsix' : 'in the working tree (allow-list applied)';
const MAX_PACKAGE_BYTES = 30 * 1024 * 1024;

/** Files the installed extension needs; each must be shipped. */
const REQUIRED = [
  'package.json',
  'package.nls.json',
  'package.nls.ja.json',
  'dist/client.js',
  'dist/server.js',
  'dist/cli.js',
  'l10n/bundle.l10n.ja.json',
  'syntaxes/keiyaku.tmLanguage.json',
  'language-configuration.json',
  'LICENSE',
];

// ---------------------------------------------------------------------------------------------
// The allow-list

interface AllowList {
  lines: string[];
  include: RegExp[];
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (c === '*') {
      re += '[^/]*';
    } else if (c === '?') {
      re += '[^/]';
    } else {
      re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

function readAllowList(): AllowList {
  const lines = fs
    .readFileSync(path.join(repo, '.vscodeignore'), 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  return { lines, include: lines.filter((l) => l.startsWith('!')).map((l) => globToRegExp(l.slice(1))) };
}

function allowed(list: AllowList, file: string): boolean {
  return list.include.some((re) => re.test(file));
}

/** Repository files the allow-list lets through (node_modules, .git and out/ are never walked: see the node_modules check). */
function allowListedRepoFiles(list: AllowList): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(repo, dir), { withFileTypes: true })) {
      const rel = dir === '' ? e.name : `${dir}/${e.name}`;
      if (e.isDirectory()) {
        if (['node_modules', '.git', 'out'].includes(rel)) continue;
        walk(rel);
      } else if (allowed(list, rel)) {
        out.push(rel);
      }
    }
  };
  walk('');
  return out.sort();
}

// ---------------------------------------------------------------------------------------------
// Reading a .vsix (a zip) without dependencies

function unzip(zipFile: string, into: string): string[] {
  const buf = fs.readFileSync(zipFile);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  assert.ok(eocd >= 0, `${zipFile} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let n = 0; n < count; n++) {
    assert.strictEqual(buf.readUInt32LE(p), 0x02014b50, 'bad central directory entry');
    const method = buf.readUInt16LE(p + 10);
    const compressedSize = buf.readUInt32LE(p + 20);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    const localOffset = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLength);
    p += 46 + nameLength + extraLength + commentLength;
    names.push(name);
    if (name.endsWith('/')) continue;
    const dataStart = localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28);
    const raw = buf.subarray(dataStart, dataStart + compressedSize);
    const data = method === 0 ? raw : method === 8 ? zlib.inflateRawSync(raw) : assert.fail(`unsupported zip method ${method}`);
    const target = path.join(into, ...name.split('/'));
    assert.ok(target.startsWith(into + path.sep), `zip entry escapes the target directory: ${name}`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, data);
  }
  return names;
}

// ---------------------------------------------------------------------------------------------

function npm(args: string[]): { status: number | null; output: string } {
  const npmCli = process.env.npm_execpath;
  const r =
    npmCli !== undefined && npmCli.endsWith('.js')
      ? spawnSync(process.execPath, [npmCli, ...args], { cwd: repo, encoding: 'utf8', timeout: 600_000 })
      : spawnSync('npm', args, { cwd: repo, encoding: 'utf8', timeout: 600_000, shell: process.platform === 'win32' });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** What is shipped: the files (named as in the repository) and where each can be read. */
interface Shipped {
  root: string;
  files: string[];
  /** Repository name → path of the shipped copy. */
  where: Map<string, string>;
  /** Entries of the zip outside extension/ (package mode only). */
  envelope: string[];
}

/** Names vsce gives some files in the .vsix, back to the repository's names. */
const VSCE_RENAMES: Record<string, string> = { 'LICENSE.txt': 'LICENSE', 'readme.md': 'README.md', 'changelog.md': 'CHANGELOG.md' };

function shippedFiles(tmp: string): Shipped {
  const list = readAllowList();
  if (!packageMode) {
    const files = allowListedRepoFiles(list);
    return { root: repo, files, where: new Map(files.map((f) => [f, path.join(repo, ...f.split('/'))])), envelope: [] };
  }
  const r = npm(['run', 'package']);
  assert.strictEqual(r.status, 0, `npm run package failed:\n${r.output}`);
  const vsix = path.join(repo, 'dist', 'keiyaku-lint.vsix');
  const names = unzip(vsix, tmp);
  const root = path.join(tmp, 'extension');
  const where = new Map<string, string>();
  for (const n of names) {
    if (!n.startsWith('extension/') || n.endsWith('/')) continue;
    const inVsix = n.slice('extension/'.length);
    const renamed = VSCE_RENAMES[inVsix];
    const name = renamed !== undefined && !fs.existsSync(path.join(repo, inVsix)) ? renamed : inVsix;
    where.set(name, path.join(root, ...inVsix.split('/')));
  }
  return { root, files: [...where.keys()].sort(), where, envelope: names.filter((n) => !n.startsWith('extension/')) };
}

function shippedPath(s: Shipped, file: string): string {
  const p = s.where.get(file);
  assert.ok(p !== undefined, `${file} is not shipped`);
  return p;
}

describe(`extension package (${mode})`, function () {
  this.timeout(packageMode ? 900_000 : 120_000);
  let tmp: string;
  let shipped: Shipped;

  before(function () {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'keiyaku-vsix-')));
    for (const f of ['dist/client.js', 'dist/server.js', 'dist/cli.js']) {
      assert.ok(fs.existsSync(path.join(repo, f)) || packageMode, `${f} is missing: run \`npm run build\` first`);
    }
    shipped = shippedFiles(tmp);
  });

  after(function () {
    if (tmp !== undefined) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('is an allow-list that ships no node_modules and nothing outside it', function () {
    const list = readAllowList();
    assert.strictEqual(list.lines[0], '**', '.vscodeignore must start by ignoring everything (**)');
    const notReincludes = list.lines.slice(1).filter((l) => !l.startsWith('!'));
    assert.deepStrictEqual(notReincludes, [], 'after **, .vscodeignore may only re-include (!pattern)');
    // No pattern may let a dependency, a source file or a build intermediate through.
    for (const probe of [
      'node_modules/kuromoji/package.json',
      'node_modules/kuromoji/dict/base.dat.gz',
      'server/src/server.ts',
      'client/src/extension.ts',
      'out/test/package/vsix.test.js',
      'dist/client.js.map',
      'dist/keiyaku-lint.vsix',
      'test/fixtures/draft.txt',
      '.git/HEAD',
    ]) {
      assert.ok(!allowed(list, probe), `the allow-list would ship ${probe}`);
    }
    assert.deepStrictEqual(shipped.files.filter((f) => f.split('/').includes('node_modules')), []);
    const outside = shipped.files.filter((f) => !allowed(list, f));
    assert.deepStrictEqual(outside, [], 'files shipped that the allow-list does not name');
    if (packageMode) {
      assert.deepStrictEqual(shipped.envelope.sort(), ['[Content_Types].xml', 'extension.vsixmanifest']);
    }
  });

  it('ships the three bundles, the tokenizer dictionary and the manifest files, within size', function () {
    for (const f of REQUIRED) assert.ok(shipped.files.includes(f), `${f} is not shipped`);
    // The README and the rule pages (diagnostics link to docs/rules/ID.md) go along when they exist.
    const docs = fs.existsSync(path.join(repo, 'docs', 'rules')) ? fs.readdirSync(path.join(repo, 'docs', 'rules')) : [];
    for (const f of [...(fs.existsSync(path.join(repo, 'README.md')) ? ['README.md'] : []), ...docs.map((d) => `docs/rules/${d}`)]) {
      assert.ok(shipped.files.includes(f), `${f} is not shipped`);
    }
    const dictSource = path.join(repo, 'node_modules', 'kuromoji', 'dict');
    const dict = fs.readdirSync(dictSource).filter((f) => f.endsWith('.dat.gz'));
    assert.ok(dict.length >= 12, 'kuromoji ships 12 dictionary files');
    for (const f of dict) {
      assert.ok(shipped.files.includes(`dist/dict/${f}`), `dist/dict/${f} is not shipped`);
      assert.strictEqual(
        fs.statSync(shippedPath(shipped, `dist/dict/${f}`)).size,
        fs.statSync(path.join(dictSource, f)).size,
        `dist/dict/${f} differs from kuromoji's`,
      );
    }
    const manifest = JSON.parse(fs.readFileSync(shippedPath(shipped, 'package.json'), 'utf8'));
    assert.strictEqual(manifest.main, './dist/client.js');
    for (const g of manifest.contributes.grammars) assert.ok(shipped.files.includes(path.posix.normalize(g.path)), g.path);
    for (const l of manifest.contributes.languages) {
      if (l.configuration) assert.ok(shipped.files.includes(path.posix.normalize(l.configuration)), l.configuration);
    }
    const total = shipped.files.reduce((n, f) => n + fs.statSync(shippedPath(shipped, f)).size, 0);
    assert.ok(total < MAX_PACKAGE_BYTES, `shipped files total ${total} bytes`);
    const cli = fs.readFileSync(shippedPath(shipped, 'dist/cli.js'), 'utf8');
    assert.ok(cli.startsWith('#!/usr/bin/env node\n'), 'dist/cli.js starts with a node shebang');
    if (!packageMode && process.platform !== 'win32') {
      // (zip entries carry no mode bits that matter: VS Code runs the bundles with node)
      assert.ok((fs.statSync(shippedPath(shipped, 'dist/cli.js')).mode & 0o111) !== 0, 'dist/cli.js is executable');
    }
  });

  it('bundles require nothing but Node built-ins (and vscode in the client)', function () {
    const builtins = new Set(builtinModules);
    for (const bundle of ['dist/client.js', 'dist/server.js', 'dist/cli.js']) {
      const code = fs.readFileSync(shippedPath(shipped, bundle), 'utf8');
      const required = [...code.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
      assert.ok(required.length > 0, `${bundle}: expected some require() of Node built-ins`);
      const external = [...new Set(required)].filter((id) => {
        const bare = id.startsWith('node:') ? id.slice(5) : id;
        if (builtins.has(bare) || builtins.has(bare.split('/')[0])) return false;
        return !(bundle === 'dist/client.js' && id === 'vscode');
      });
      assert.deepStrictEqual(external, [], `${bundle} leaves modules unbundled`);
      assert.ok(!/require\(\s*["']vscode-languageserver/.test(code), `${bundle} requires vscode-languageserver at run time`);
    }
  });

  it('has every %key% of the manifest and every client string translated', function () {
    const manifestText = fs.readFileSync(shippedPath(shipped, 'package.json'), 'utf8');
    const keys = [...new Set([...manifestText.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]))];
    assert.ok(keys.includes('displayName') && keys.includes('command.compareWithStandard'));
    for (const nls of ['package.nls.json', 'package.nls.ja.json']) {
      const table = JSON.parse(fs.readFileSync(shippedPath(shipped, nls), 'utf8')) as Record<string, string>;
      assert.deepStrictEqual(keys.filter((k) => typeof table[k] !== 'string' || table[k] === ''), [], `${nls}: missing keys`);
      assert.deepStrictEqual(Object.keys(table).filter((k) => !keys.includes(k)), [], `${nls}: unused keys`);
    }
    const ja = JSON.parse(fs.readFileSync(shippedPath(shipped, 'l10n/bundle.l10n.ja.json'), 'utf8')) as Record<string, string>;
    const strings = new Set<string>();
    for (const f of fs.readdirSync(path.join(repo, 'client', 'src'))) {
      if (!f.endsWith('.ts')) continue;
      const src = fs.readFileSync(path.join(repo, 'client', 'src', f), 'utf8');
      for (const m of src.matchAll(/l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g)) strings.add(m[1].replace(/\\(.)/g, '$1'));
    }
    assert.ok(strings.has('This feature is not available yet.'));
    assert.deepStrictEqual([...strings].filter((s) => typeof ja[s] !== 'string'), [], 'client strings without Japanese');
    assert.strictEqual(ja['This feature is not available yet.'], 'この機能はまだ利用できません');
    assert.strictEqual(ja['Loading dictionary…'], '辞書を読み込み中…');
  });

  it('runs the bundled CLI on a draft with no node_modules in reach', function () {
    // Package mode: the unzipped extension as it is. Otherwise: dist/cli.js and dist/dict/ copied out.
    let extensionRoot = shipped.root;
    if (!packageMode) {
      extensionRoot = path.join(tmp, 'extension');
      fs.mkdirSync(path.join(extensionRoot, 'dist', 'dict'), { recursive: true });
      for (const f of shipped.files.filter((x) => x === 'dist/cli.js' || x.startsWith('dist/dict/'))) {
        fs.copyFileSync(path.join(repo, f), path.join(extensionRoot, ...f.split('/')));
      }
    }
    for (let dir = extensionRoot; ; dir = path.dirname(dir)) {
      assert.ok(!fs.existsSync(path.join(dir, 'node_modules')), `${dir}/node_modules is in reach of the CLI`);
      if (path.dirname(dir) === dir) break;
    }
    const work = path.join(tmp, 'work');
    fs.mkdirSync(work, { recursive: true });
    // 第2条 is missing: a numbering finding whatever the template.
    const draft = ['情報セキュリティに関する特約条項', '', '(総則)', '第1条 この特約は、この特約が添付される契約（以下「本契約」という。）と一体をなす。', '', '(従事者への教育)', '第3条 乙は、本契約に係る業務に従事する者に対して、情報セキュリティに対する意識の向上を図るための教育を実施しなければならない。', ''].join('\n');
    fs.writeFileSync(path.join(work, 'draft.txt'), draft);
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: work, LANG: 'C.UTF-8' };
    const r = spawnSync(process.execPath, [path.join(extensionRoot, 'dist', 'cli.js'), '--format', 'json', 'draft.txt'], {
      cwd: work,
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.ok(r.status === 0 || r.status === 1, `CLI exit code ${r.status}\n${r.stderr}`);
    assert.doesNotMatch(r.stderr, /Cannot find module|dictionary not found|辞書を読み込めない/, r.stderr);
    const report = JSON.parse(r.stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string }> }>;
    assert.strictEqual(report.length, 1);
    assert.ok(report[0].filePath.endsWith('draft.txt'), report[0].filePath);
    assert.ok(report[0].messages.some((m) => m.ruleId === 'numbering'), JSON.stringify(report[0].messages));
  });
});
