/**
 * Limits through the language server: a document over keiyakuLint.maxFileSizeKB (default 2 MB,
 * counted in characters: KB × 1024) gets one clear diagnostic instead of an analysis, quickly;
 * binary content gets one diagnostic too.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { fileUri, PUSH_CAPS, ROOT, TestClient } from './helpers';

const CONTRACT = fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'dev-cases', 'dev-01-tokki-redline.txt'), 'utf8');

function only(p: PublishDiagnosticsParams): { code: string; message: string; severity: number | undefined } {
  assert.equal(p.diagnostics.length, 1, JSON.stringify(p.diagnostics.map((d) => `${String(d.code)} ${d.message}`)));
  const d = p.diagnostics[0];
  return { code: String(d.code), message: d.message, severity: d.severity };
}

describe('language server: size and content limits', function () {
  this.timeout(120_000);
  let client: TestClient | undefined;
  afterEach(() => client?.dispose());

  it('a document over keiyakuLint.maxFileSizeKB gets one error naming the size, the limit and the setting', async () => {
    client = new TestClient();
    await client.initialize(PUSH_CAPS, { initializationOptions: { keiyakuLint: { maxFileSizeKB: 4, delayMs: 0 } } });
    assert.ok(CONTRACT.length > 4096);
    const big = fileUri('over-limit.keiyaku');
    await client.open(big, CONTRACT);
    const d = only(await client.waitForDiagnostics(big));
    assert.equal(d.code, 'input');
    assert.equal(d.severity, 1); // error
    assert.match(d.message, new RegExp(`${CONTRACT.length} 文字、上限 4096 文字`));
    assert.match(d.message, /keiyakuLint\.maxFileSizeKB/);
    // under the limit, the same server analyses as usual
    const small = fileUri('under-limit.keiyaku');
    await client.open(small, CONTRACT.slice(0, 3000));
    const p = await client.waitForDiagnostics(small);
    assert.ok(!p.diagnostics.some((x) => x.code === 'input' && /上限/.test(x.message)));
    assert.equal(await client.shutdownAndExit(), 0);
  });

  it('the default limit (2048 KB) refuses a 2.2 M-character document at once, with one diagnostic', async () => {
    client = new TestClient();
    await client.initialize(PUSH_CAPS, { initializationOptions: { keiyakuLint: { delayMs: 0 } } });
    const uri = fileUri('huge.keiyaku');
    let text = '';
    while (text.length <= 2048 * 1024 + 100_000) text += CONTRACT;
    const t0 = performance.now();
    await client.open(uri, text);
    const d = only(await client.waitForDiagnostics(uri, () => true, { timeoutMs: 60_000 }));
    const ms = performance.now() - t0;
    assert.equal(d.code, 'input');
    assert.match(d.message, /上限 2097152 文字/);
    assert.ok(ms < 20_000, `took ${ms.toFixed(0)} ms`);
    assert.equal(await client.shutdownAndExit(), 0);
  });

  it('binary content gets one diagnostic and no analysis', async () => {
    client = new TestClient();
    await client.initialize(PUSH_CAPS, { initializationOptions: { keiyakuLint: { delayMs: 0 } } });
    const uri = fileUri('binary.keiyaku');
    await client.open(uri, `第1条\u0000\u0001\u0002\u0000 甲は\u0000\u0000\u0000、${'\u0000'.repeat(64)}\n第2条`);
    const d = only(await client.waitForDiagnostics(uri));
    assert.equal(d.code, 'input');
    assert.equal(d.severity, 1);
    assert.equal(await client.shutdownAndExit(), 0);
  });
});
