/**
 * Many rapid incremental edits with random ranges (surrogate pairs, CRLF, article numbers…),
 * with pulls fired in the middle: the server keeps answering, and the final diagnostics equal a
 * fresh lint of the final text, computed here with the same engine and tokenizer. The edits come
 * in bursts of 100; after each burst a pull is awaited and the server's resident memory is read
 * (/proc/PID/status): it must stay flat once the caches have filled (the token cache and the
 * alignment memos are bounded), i.e. the last reading may not exceed the one after the third
 * burst by more than MEMORY_SLACK_MIB.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Diagnostic, FullDocumentDiagnosticReport } from 'vscode-languageserver-protocol/node';
import { lint } from '../../server/src/engine/lint';
import { LineIndex } from '../../server/src/engine/text/lines';
import { loadTokenizer } from '../../server/src/engine/tokenizer/kuromoji';
import { toDiagnostics } from '../../server/src/lsp/diagnostics';
import type { StatusParams } from '../../server/src/lsp/protocol';
import { prng } from '../prng';
import { fileUri, PULL_CAPS, ROOT, TestClient } from './helpers';

const EDITS = Number(process.env.KEIYAKU_LSP_STRESS_EDITS ?? 1000);
const BURST = 100;
const MEMORY_SLACK_MIB = 80;

/** Resident set size of a process, MiB (Linux). */
function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}
const PIECES = ['', '第', '条', '1', '２', '三', '、', '。', '\n', '\r\n', '乙は', '甲', '𠮷', '（総則）\n', '第4条 ', ' ', 'ただし', 'しなければならない'];

/** An offset that does not split a CRLF or a surrogate pair (LSP positions cannot express those). */
function safeOffset(text: string, o: number): number {
  let x = Math.max(0, Math.min(o, text.length));
  if (x > 0 && x < text.length && text[x - 1] === '\r' && text[x] === '\n') x--;
  const c = text.charCodeAt(x);
  if (x > 0 && c >= 0xdc00 && c <= 0xdfff) x--;
  return x;
}

function comparable(ds: readonly Diagnostic[]): string[] {
  return ds
    .map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${String(d.code)} ${d.severity} ${d.message}`)
    .sort();
}

describe('language server under rapid random edits', function () {
  this.timeout(120_000);
  let client: TestClient | undefined;
  afterEach(() => client?.dispose());

  it(`stays correct through ${EDITS} incremental edits with pulls in flight`, async function () {
    const seed = Number(process.env.KEIYAKU_LSP_STRESS_SEED ?? Date.now() % 1_000_000);
    const random = prng(seed);
    const rand = (n: number) => Math.floor(random() * n);
    let text = fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'dev-cases', 'dev-03-tokuyaku-weakened.txt'), 'utf8');

    client = new TestClient();
    await client.initialize(PULL_CAPS, { initializationOptions: { keiyakuLint: { delayMs: 5 } } });
    const uri = fileUri('stress.keiyaku');
    await client.open(uri, text);
    await client.pull(uri);
    // Compare like with like: wait until the server has its tokenizer too.
    const [tokenizer] = await Promise.all([
      loadTokenizer(),
      client.waitFor('workspace/diagnostic/refresh', () => true, { since: 0, timeoutMs: 60_000 }),
    ]);
    const since = client.received.length;
    await client.pull(uri);
    const status = await client.waitFor<StatusParams>('keiyaku/status', () => true, { since });
    assert.strictEqual(status.tokenizer, 'ready');

    const pulls: Promise<unknown>[] = [];
    const memory: number[] = [];
    let version = 1;
    for (let i = 0; i < EDITS; i++) {
      const lines = new LineIndex(text);
      const a = safeOffset(text, rand(text.length + 1));
      const b = safeOffset(text, Math.min(text.length, a + rand(12)));
      const insert = PIECES[rand(PIECES.length)] + (random() < 0.2 ? PIECES[rand(PIECES.length)] : '');
      const range = { start: lines.positionAt(a), end: lines.positionAt(Math.max(a, b)) };
      text = text.slice(0, a) + insert + text.slice(Math.max(a, b));
      version++;
      void client.edit(uri, version, range, insert);
      if (i % 25 === 0) pulls.push(client.pull(uri).catch((e: { code?: number }) => e.code)); // may be cancelled
      if ((i + 1) % BURST === 0) {
        // end of a burst: the server catches up, then its memory is read
        const report = (await client.pull(uri).catch(() => client!.pull(uri))) as FullDocumentDiagnosticReport;
        assert.ok(report.kind === 'full' || report.kind === 'unchanged');
        memory.push(rssMiB(client.proc.pid!));
      }
    }
    // Every request got an answer (a report or a cancellation), none hung or crashed the server.
    const answers = await Promise.all(pulls);
    assert.ok(answers.every((x) => typeof x === 'object' || x === -32800 || x === -32802), JSON.stringify(answers.filter((x) => typeof x !== 'object')));

    const final = (await client.pull(uri)) as FullDocumentDiagnosticReport;
    const expected = toDiagnostics(lint(text, { tokenizer }).findings, {
      uri,
      version,
      locale: 'ja',
      lines: new LineIndex(text),
      docsRoot: ROOT,
      relatedInformation: true,
    });
    assert.strictEqual(final.kind, 'full');
    assert.deepStrictEqual(comparable(final.items), comparable(expected), `seed ${seed}`);
    for (const d of final.items) assert.strictEqual((d.data as { version: number }).version, version, `seed ${seed}`);
    if (memory.length >= 4 && memory.every(Number.isFinite)) {
      const settled = memory[2];
      const last = memory[memory.length - 1];
      assert.ok(last - settled <= MEMORY_SLACK_MIB, `server memory grew from ${settled.toFixed(0)} to ${last.toFixed(0)} MiB over ${EDITS - 3 * BURST} edits: ${memory.map((m) => m.toFixed(0)).join(', ')}`);
    }
    assert.strictEqual(await client.shutdownAndExit(), 0);
  });
});
