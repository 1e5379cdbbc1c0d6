/**
 * The language server and the dictionary cache (engine/tokenizer/dictionaryCache.ts):
 * initializationOptions.keiyakuLint.cacheDir chooses it, false turns it off, and the server logs
 * what became of it (at info, without document text). Through dist/server.js, so this also checks
 * that the loader override reaches the kuromoji bundled there.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { LogMessageParams } from 'vscode-languageserver-protocol/node';
import type { StatusParams } from '../../server/src/lsp/protocol';
import { fileUri, PUSH_CAPS, TestClient } from './helpers';

const DRAFT = '第1条 甲は、乙に対し、秘密情報を提供する。\n第3条 乙は、情報を管理しなければならない。\n';

describe('language server: dictionary cache', function () {
  this.timeout(120_000);
  let tmp: string;
  let client: TestClient | undefined;

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keiyaku-lsp-cache-'));
  });

  afterEach(async () => {
    if (client) {
      await client.shutdownAndExit(30_000).catch(() => undefined);
      client.dispose();
      client = undefined;
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** Starts a server, opens a contract, waits for the tokenizer and the cache's log line; returns that line. */
  async function session(keiyakuLint: Record<string, unknown>, env?: NodeJS.ProcessEnv): Promise<string> {
    client = new TestClient(env ? { env } : {});
    await client.initialize(PUSH_CAPS, { initializationOptions: { keiyakuLint: { delayMs: 0, ...keiyakuLint } } });
    const uri = fileUri('cache.keiyaku');
    await client.open(uri, DRAFT);
    await client.waitFor<StatusParams>('keiyaku/status', (s) => s.uri === uri && s.tokenizer === 'ready', { since: 0, timeoutMs: 60_000 });
    const log = await client.waitFor<LogMessageParams>('window/logMessage', (l) => l.message.startsWith('dictionary cache:'), { since: 0, timeoutMs: 60_000 });
    for (const l of client.of<LogMessageParams>('window/logMessage')) assert.ok(!l.message.includes('秘密情報'), `document text in the log: ${l.message}`);
    await client.shutdownAndExit(30_000);
    client.dispose();
    client = undefined;
    return log.message;
  }

  it('creates the cache in cacheDir on the first start and uses it on the next', async () => {
    const root = path.join(tmp, 'globalStorage');
    const first = await session({ cacheDir: root });
    assert.match(first, /^dictionary cache: created .*kuromoji-[0-9a-f]{16} in \d+ ms$/);
    const dirs = fs.readdirSync(root);
    assert.equal(dirs.length, 1);
    assert.ok(fs.existsSync(path.join(root, dirs[0], 'manifest.json')));
    const later = await session({ cacheDir: root });
    assert.equal(later, `dictionary cache: used ${path.join(root, dirs[0])} in ${/ in (\d+) ms$/.exec(later)?.[1]} ms`);
  });

  it('cacheDir false: no cache; absent: $KEIYAKU_LINT_CACHE_DIR; unusable: the .gz, and diagnostics all the same', async () => {
    const env = path.join(tmp, 'env');
    assert.match(await session({ cacheDir: false }, { ...process.env, KEIYAKU_LINT_CACHE_DIR: env }), /^dictionary cache: disabled/);
    assert.equal(fs.existsSync(env), false);
    assert.match(await session({}, { ...process.env, KEIYAKU_LINT_CACHE_DIR: env }), /^dictionary cache: created /);
    assert.equal(fs.readdirSync(env).length, 1);
    const file = path.join(tmp, 'file');
    fs.writeFileSync(file, 'x');
    assert.match(await session({ cacheDir: file }), /^dictionary cache: not used \(could not write the cache \(E[A-Z]+\);.*read from its .gz files$/);
  });
});
