/**
 * End-to-end test in a real VS Code workbench (issue 5 §5): code-server serves VS Code, headless
 * Chromium shows it, playwright-core drives it as a person would, with the keyboard.
 *
 *   npm run test:e2e      # installs code-server if needed, builds dist/keiyaku-lint.vsix, runs this
 *
 * The test installs the packaged .vsix into a fresh extensions folder, opens a workspace holding a
 * counterparty redline from the fixtures (dev-01, copied as draft.keiyaku.txt), opens the draft with
 * Quick Open, waits for the Problems panel to list the findings the fixture expects (rule and line),
 * applies the preferred quick fix of the weakened deadline with Ctrl+., saves, and checks the file
 * on disk: exactly the changed word is back to the standard wording and nothing else moved. The
 * fixed finding must leave the Problems panel. Screenshots: test-results/e2e-problems.png,
 * test-results/e2e-after-fix.png (and e2e-failure.png when a step fails).
 *
 * Needs code-server (`bash scripts/install-code-server.sh`, as root) and /usr/bin/chromium. When one
 * of them or the .vsix is missing the test fails with a message saying so; it never skips.
 * code-server and Chromium are stopped at the end whatever happens; a watchdog ends the run after
 * five minutes.
 */
import * as assert from 'assert';
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser, Locator, Page } from 'playwright-core';

const repo = path.resolve(__dirname, '..', '..', '..');
const VSIX = path.join(repo, 'dist', 'keiyaku-lint.vsix');
const FIXTURE = path.join(repo, 'test', 'fixtures', 'dev-cases', 'dev-01-tokki-redline');
const RESULTS = path.join(repo, 'test-results');
const CODE_SERVER_VERSION = '4.100.3';
const CODE_SERVER =
  process.env.KEIYAKU_CODE_SERVER ??
  path.join(
    process.env.KEIYAKU_CODE_SERVER_DIR ?? `/opt/keiyaku-lint/code-server-${CODE_SERVER_VERSION}`,
    'node_modules',
    '.bin',
    'code-server',
  );
const CHROMIUM = process.env.KEIYAKU_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const DRAFT = 'draft.keiyaku.txt';
const WEAKENED = '速やかに発注者にその旨を報告し';
const RESTORED = '直ちに発注者にその旨を報告し';
const OVERALL_TIMEOUT_MS = Number(process.env.KEIYAKU_E2E_TIMEOUT_MS) || 5 * 60_000;

/** User settings of the fresh profile: no trust dialog, no walkthrough, no telemetry or update checks. */
const USER_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'security.workspace.trust.startupPrompt': 'never',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'chat.commandCenter.enabled': false,
  'files.autoSave': 'off',
  'editor.minimap.enabled': false,
  'git.enabled': false,
};

interface Expected {
  rule: string;
  line: number;
}

// ---------------------------------------------------------------------------------------------
// Processes: code-server (its own process group, so that its server and extension hosts go with
// it) and Chromium (playwright's); both are stopped in after(), on a signal, and by the watchdog.

let codeServer: ChildProcess | undefined;
let browser: Browser | undefined;
let page: Page | undefined;
let tmp: string | undefined;

function killCodeServer(signal: NodeJS.Signals): void {
  const pid = codeServer?.pid;
  if (pid === undefined || codeServer?.exitCode !== null || codeServer.signalCode !== null) return;
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

async function stopCodeServer(): Promise<void> {
  const cs = codeServer;
  if (!cs || cs.exitCode !== null || cs.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => cs.once('exit', () => resolve()));
  killCodeServer('SIGTERM');
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5000).unref());
  if ((await Promise.race([exited, timer])) === 'timeout') {
    killCodeServer('SIGKILL');
    await exited;
  }
  // Whatever of its group outlived it (an extension host, the language server).
  try {
    if (cs.pid !== undefined) process.kill(-cs.pid, 'SIGKILL');
  } catch {
    /* none left */
  }
}

async function stopAll(): Promise<void> {
  const b = browser;
  browser = undefined;
  page = undefined;
  if (b) {
    await Promise.race([b.close().catch(() => undefined), new Promise((r) => setTimeout(r, 5000).unref())]);
  }
  await stopCodeServer();
  if (tmp && !process.env.KEIYAKU_E2E_KEEP) fs.rmSync(tmp, { recursive: true, force: true });
}

// Last resort: never leave code-server behind, even when the process exits abruptly.
process.on('exit', () => killCodeServer('SIGKILL'));
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`e2e: ${signal}: stopping code-server and Chromium`);
    void stopAll().finally(() => process.exit(1));
  });
}
const watchdog = setTimeout(() => {
  console.error(`e2e: the run took longer than ${OVERALL_TIMEOUT_MS / 1000} s; stopping code-server and Chromium`);
  void screenshot('e2e-failure.png')
    .catch(() => undefined)
    .finally(() => void stopAll().finally(() => process.exit(1)));
}, OVERALL_TIMEOUT_MS);
watchdog.unref();

// ---------------------------------------------------------------------------------------------
// Helpers

/** Polls `probe` until it returns a value other than undefined; fails with `what` and the last state. */
async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, state?: () => Promise<string>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      let detail = '';
      if (state) detail = await state().catch((e: unknown) => `(state unavailable: ${String(e)})`);
      else if (lastError) detail = String(lastError);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail ? `\n${detail}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function screenshot(name: string): Promise<string | undefined> {
  if (!page) return undefined;
  fs.mkdirSync(RESULTS, { recursive: true });
  const file = path.join(RESULTS, name);
  await page.screenshot({ path: file, timeout: 10_000 });
  return file;
}

function tail(file: string, lines = 40): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Texts of the Problems panel's rows (the tree is virtual: only rows in view are in the DOM). */
async function problemRows(p: Page): Promise<string[]> {
  return p.locator('.markers-panel .monaco-list-row').allInnerTexts();
}

/** A row's text is its message, then the source and the rule id on lines of their own, then [Ln N, Col M]. */
function rowFor(rows: string[], e: Expected): string | undefined {
  return rows.find((r) => {
    const lines = r.split('\n').map((l) => l.trim());
    return lines.includes('keiyaku-lint') && lines.includes(e.rule) && r.includes(`[Ln ${e.line},`);
  });
}

async function visible(l: Locator): Promise<boolean> {
  return (await l.count()) > 0 && (await l.first().isVisible());
}

// ---------------------------------------------------------------------------------------------

describe('VS Code workbench (code-server + headless Chromium)', function () {
  this.timeout(120_000);

  const expected = (JSON.parse(fs.readFileSync(`${FIXTURE}.json`, 'utf8')) as { expect: Expected[] }).expect;
  const original = fs.readFileSync(`${FIXTURE}.txt`, 'utf8');
  let workspace = '';
  let draftPath = '';
  let logFile = '';
  let userData = '';
  let extensions = '';
  let url = '';
  // The weakened deadline of dev-01 (第14第3項): 「直ちに」 became 「速やかに」; the cursor goes on it.
  const deadline = { ...expected.find((e) => e.rule === 'weakened-deadline')!, column: 0 };
  {
    const line = original.split('\n')[deadline.line - 1] ?? '';
    assert.ok(line.includes(WEAKENED), `fixture line ${deadline.line} has no 「${WEAKENED}」: ${line}`);
    deadline.column = line.indexOf(WEAKENED) + 1;
  }

  before(async function () {
    this.timeout(90_000);
    const missing: string[] = [];
    if (!fs.existsSync(VSIX)) missing.push(`${VSIX} does not exist: build it with \`npm run package\` (\`npm run test:e2e\` does).`);
    if (!fs.existsSync(CODE_SERVER)) missing.push(`code-server not found at ${CODE_SERVER}: run \`bash scripts/install-code-server.sh\` as root.`);
    if (!fs.existsSync(CHROMIUM)) missing.push(`Chromium not found at ${CHROMIUM}: run \`bash scripts/install-code-server.sh\` as root.`);
    if (missing.length > 0) throw new Error(`the end-to-end test cannot run:\n  ${missing.join('\n  ')}`);

    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keiyaku-e2e-'));
    workspace = path.join(tmp, 'workspace');
    userData = path.join(tmp, 'user-data');
    extensions = path.join(tmp, 'extensions');
    logFile = path.join(tmp, 'code-server.log');
    fs.mkdirSync(workspace);
    fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
    fs.mkdirSync(extensions);
    fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
    fs.writeFileSync(path.join(tmp, 'config.yaml'), 'auth: none\ncert: false\n');
    draftPath = path.join(workspace, DRAFT);
    fs.writeFileSync(draftPath, original);
  });

  after(async function () {
    this.timeout(30_000);
    if (this.currentTest?.state === 'failed' || !this.currentTest) await screenshot('e2e-failure.png').catch(() => undefined);
    await stopAll();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      const shot = await screenshot('e2e-failure.png').catch(() => undefined);
      if (shot) console.error(`      screenshot of the failure: ${path.relative(repo, shot)}`);
      if (logFile) console.error(`      code-server log (last lines):\n${tail(logFile)}`);
    }
  });

  /** code-server's own environment: its config and logs in the temporary folder, not in ~/.config. */
  function env(): NodeJS.ProcessEnv {
    return { ...process.env, XDG_CONFIG_HOME: path.join(tmp!, 'xdg-config'), XDG_DATA_HOME: path.join(tmp!, 'xdg-data') };
  }
  function commonArgs(): string[] {
    return ['--config', path.join(tmp!, 'config.yaml'), '--user-data-dir', userData, '--extensions-dir', extensions];
  }

  it('installs the packaged .vsix with code-server --install-extension', async function () {
    const out = await new Promise<string>((resolve, reject) => {
      const p = spawn(CODE_SERVER, [...commonArgs(), '--install-extension', VSIX], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      p.stdout!.on('data', (d: Buffer) => (text += d.toString()));
      p.stderr!.on('data', (d: Buffer) => (text += d.toString()));
      const timer = setTimeout(() => p.kill('SIGKILL'), 60_000);
      p.on('error', reject);
      p.on('exit', (code) => {
        clearTimeout(timer);
        if (code === 0) resolve(text);
        else reject(new Error(`code-server --install-extension exited with ${code}:\n${text}`));
      });
    });
    assert.match(out, /successfully installed/, out);
    const installed = fs.readdirSync(extensions).filter((d) => d.startsWith('keiyaku-lint.keiyaku-lint-'));
    assert.strictEqual(installed.length, 1, `extensions folder: ${fs.readdirSync(extensions).join(', ')}`);
  });

  it('serves the workbench and opens the draft with Quick Open', async function () {
    const log = fs.openSync(logFile, 'w');
    const args = [
      ...commonArgs(),
      '--auth', 'none',
      '--bind-addr', '127.0.0.1:0',
      '--disable-telemetry',
      '--disable-update-check',
      '--locale', 'en',
      workspace,
    ];
    const started = Date.now();
    codeServer = spawn(CODE_SERVER, args, { env: env(), detached: true, stdio: ['ignore', 'pipe', log] });
    let stdout = '';
    const cs = codeServer;
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`code-server did not start listening within 30 s:\n${stdout}\n${tail(logFile)}`)), 30_000);
      cs.stdout!.on('data', (d: Buffer) => {
        fs.writeSync(log, d);
        stdout += d.toString();
        const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      cs.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      cs.on('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`code-server exited (${code ?? signal}) before listening:\n${stdout}\n${tail(logFile)}`));
      });
    });

    // Chromium, as playwright-core's own copy is not available here: Debian's, with the flags
    // this closed network needs (no background connections).
    const { chromium } = require('playwright-core') as typeof import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, timeout: 30_000 });
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'en-US' });
    page = await context.newPage();
    const p = page;
    p.setDefaultTimeout(20_000);
    await p.goto(`${url}?folder=${encodeURIComponent(workspace)}`, { waitUntil: 'domcontentloaded', timeout: 30_000 });
    await p.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    // The explorer lists the workspace once the remote connection is up.
    await p.locator('.explorer-folders-view .monaco-list-row', { hasText: DRAFT }).waitFor({ state: 'visible', timeout: 60_000 });
    console.log(`      workbench loaded ${((Date.now() - started) / 1000).toFixed(1)} s after starting code-server`);
    assert.strictEqual(await visible(p.locator('.dialog-box')), false, 'a dialog is open (workspace trust?)');

    // Quick Open (Ctrl+P), type the file name, Enter.
    const quickInput = p.locator('.quick-input-widget');
    await until('Quick Open to open after Ctrl+P', 20_000, async () => {
      if (await visible(quickInput)) return true;
      await p.locator('.monaco-workbench').press('Control+P').catch(() => undefined);
      await quickInput.waitFor({ state: 'visible', timeout: 2000 }).catch(() => undefined);
      return (await visible(quickInput)) ? true : undefined;
    });
    await p.keyboard.type(DRAFT);
    await p.locator('.quick-input-list .monaco-list-row', { hasText: DRAFT }).first().waitFor({ state: 'visible' });
    await p.keyboard.press('Enter');
    await p.locator('.tabs-container .tab.active', { hasText: DRAFT }).waitFor({ state: 'visible' });
    await p.locator('.editor-instance .view-lines', { hasText: '情報セキュリティに関する特記事項' }).waitFor({ state: 'visible' });
    await until('the Keiyaku language mode in the status bar', 20_000, async () =>
      (await visible(p.locator('.statusbar-item[id="status.editor.mode"]', { hasText: /Keiyaku|契約書/ }))) ? true : undefined,
    );
    console.log(`      draft open in the Keiyaku language mode ${((Date.now() - started) / 1000).toFixed(1)} s after starting code-server`);
  });

  it('lists the expected findings in the Problems panel', async function () {
    const p = page!;
    await p.keyboard.press('Control+Shift+M');
    await p.locator('.markers-panel').waitFor({ state: 'visible' });
    // The language server loads its dictionary first: allow it time.
    const waitFrom = Date.now();
    const rows = await until(
      `the Problems panel to list ${expected.map((e) => `${e.rule} (line ${e.line})`).join(', ')}`,
      60_000,
      async () => {
        const r = await problemRows(p);
        return expected.every((e) => rowFor(r, e)) ? r : undefined;
      },
      async () => `Problems panel rows:\n  ${(await problemRows(p)).join('\n  ')}`,
    );
    console.log(`      findings listed after ${((Date.now() - waitFrom) / 1000).toFixed(1)} s:`);
    for (const e of expected) console.log(`      ${rowFor(rows, e)!.split('\n').slice(0, 4).map((l) => l.trim()).join('  ')}`);
    // Show the weakened deadline in the editor for the screenshot.
    await goToLine(p, deadline.line, deadline.column);
    const shot = await screenshot('e2e-problems.png');
    console.log(`      screenshot: ${path.relative(repo, shot!)}`);
  });

  it('applies the preferred quick fix of the weakened deadline (Ctrl+.) and saves the standard wording', async function () {
    const p = page!;
    const line = original.split('\n')[deadline.line - 1];
    const want = original.replace(line, line.replace(WEAKENED, RESTORED));

    await goToLine(p, deadline.line, deadline.column);
    const menu = p.locator('.action-widget');
    await until('the quick fix menu after Ctrl+.', 20_000, async () => {
      if (await visible(menu)) return true;
      await p.keyboard.press('Control+.');
      await menu.waitFor({ state: 'visible', timeout: 3000 }).catch(() => undefined);
      return (await visible(menu)) ? true : undefined;
    });
    const items = menu.locator('.monaco-list-row.action');
    await items.first().waitFor({ state: 'visible' });
    const titles = await items.allInnerTexts();
    console.log(`      quick fixes offered: ${titles.map((t) => t.trim()).join(' | ')}`);
    // The server lists a finding's fixes first, the first one preferred, then "show documentation";
    // the menu opens with the first action focused, and Enter applies it.
    assert.match(titles[0].trim(), /^Restore (the standard wording|“直ちに”)$/, `first (preferred) action: ${titles[0]}`);
    const focused = menu.locator('.monaco-list-row.action.focused');
    assert.strictEqual((await focused.innerText()).trim(), titles[0].trim(), 'the focused action is not the first one');
    await p.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden' });
    // The edit makes the editor dirty (the wording itself is checked on disk after saving).
    await p.locator('.tabs-container .tab.active.dirty', { hasText: DRAFT }).waitFor({ state: 'visible' });

    await p.keyboard.press('Control+S');
    await until(`${DRAFT} on disk to hold the standard wording`, 15_000, async () =>
      fs.readFileSync(draftPath, 'utf8') === want ? true : undefined,
      async () => {
        const got = fs.readFileSync(draftPath, 'utf8');
        if (got === original) return 'the file is unchanged';
        const a = got.split('\n');
        const b = want.split('\n');
        const i = a.findIndex((l, k) => l !== b[k]);
        return `first difference at line ${i + 1}:\n  got:  ${a[i]}\n  want: ${b[i]}`;
      },
    );
    // The finding it fixed leaves the Problems panel; the others stay.
    await until('the weakened-deadline finding to leave the Problems panel', 30_000, async () => {
      const r = await problemRows(p);
      return !r.some((t) => t.split('\n').some((l) => l.trim() === 'weakened-deadline')) && expected.filter((e) => e.rule !== 'weakened-deadline').every((e) => rowFor(r, e)) ? true : undefined;
    }, async () => `Problems panel rows:\n  ${(await problemRows(p)).join('\n  ')}`);
    assert.strictEqual(await visible(p.locator('.tabs-container .tab.active.dirty')), false, 'the editor is still dirty after Ctrl+S');
    const shot = await screenshot('e2e-after-fix.png');
    console.log(`      screenshot: ${path.relative(repo, shot!)}`);
  });
});

/** Go to Line/Column (Ctrl+G) and wait for the cursor position in the status bar. */
async function goToLine(p: Page, line: number, column: number): Promise<void> {
  await p.locator('.editor-instance .monaco-editor textarea').first().focus();
  await p.keyboard.press('Control+G');
  await p.locator('.quick-input-widget').waitFor({ state: 'visible' });
  await p.keyboard.type(`${line}:${column}`);
  await p.keyboard.press('Enter');
  await p.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await until(`the cursor at ${line}:${column}`, 10_000, async () =>
    (await visible(p.locator('.statusbar-item[id="status.editor.selection"]', { hasText: `Ln ${line}, Col ${column}` }))) ? true : undefined,
  );
}
