/**
 * Language-server figures: the bundled server spawned over stdio (`dist/server.js --stdio`) and
 * driven as an editor drives it, with the test client of test/lsp/helpers.ts (push diagnostics,
 * keiyakuLint.delayMs = 0 so that no debounce is measured). The dictionary cache is the one the
 * caller names (keiyakuLint.cacheDir: a temporary directory, or false for none), never the user's.
 */
import { PUSH_CAPS, TestClient } from '../test/lsp/helpers';
import type { LogMessageParams, PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { cpuTimeMs, median, now, peakRssMiB, percentile } from './stats';
import type { StatusParams } from '../server/src/lsp/protocol';

const URI = 'file:///tmp/keiyaku-bench/contract.keiyaku';

export interface ColdStart {
  /** spawn → first diagnostics (structural rules; the tokenizer is still loading). */
  firstMs: number;
  /** spawn → diagnostics with the token rules. */
  tokensMs: number;
  /** Peak RSS of the server at that point (MiB). */
  peakMiB: number;
  /** What the server logged about the dictionary cache ("dictionary cache: used …"). */
  cacheLog: string;
}

/** keiyakuLint.cacheDir: a directory for the dictionary cache, or false for none. */
export type CacheDir = string | false;

async function start(serverPath: string | undefined, cacheDir: CacheDir): Promise<TestClient> {
  const client = new TestClient({ serverPath });
  await client.initialize(PUSH_CAPS, { initializationOptions: { keiyakuLint: { delayMs: 0, cacheDir } } });
  return client;
}

/** The server's log line about the dictionary cache (for a first start: once the cache is written). */
async function cacheLog(client: TestClient, timeoutMs: number): Promise<string> {
  const l = await client.waitFor<LogMessageParams>('window/logMessage', (p) => p.message.startsWith('dictionary cache:'), { since: 0, timeoutMs });
  return l.message;
}

/** Waits for the diagnostics computed with the tokenizer (after a keiyaku/status saying it is ready). */
async function tokenDiagnostics(client: TestClient, timeoutMs: number): Promise<PublishDiagnosticsParams> {
  const status = await client.waitFor<StatusParams>('keiyaku/status', (s) => s.uri === URI && s.tokenizer === 'ready', { since: 0, timeoutMs });
  const at = client.received.findIndex((r) => r.method === 'keiyaku/status' && r.params === status);
  return client.waitForDiagnostics(URI, (p) => p.version === status.version, { since: at + 1, timeoutMs });
}

function receivedAt(client: TestClient, params: unknown): number {
  return client.received.find((r) => r.params === params)?.at ?? NaN;
}

/**
 * One cold start: spawn → initialize → didOpen(text) → diagnostics, then with tokens. The server
 * is shut down only once it has said what became of the dictionary cache, so that a first start
 * has written it.
 */
export async function coldStart(text: string, cacheDir: CacheDir, serverPath?: string): Promise<ColdStart> {
  const client = await start(serverPath, cacheDir);
  try {
    await client.open(URI, text);
    const first = await client.waitForDiagnostics(URI, () => true, { since: 0, timeoutMs: 120_000 });
    const withTokens = await tokenDiagnostics(client, 120_000);
    const result = {
      firstMs: receivedAt(client, first) - client.spawnedAt,
      tokensMs: receivedAt(client, withTokens) - client.spawnedAt,
      cacheLog: await cacheLog(client, 120_000),
      peakMiB: peakRssMiB(client.proc.pid),
    };
    await client.shutdownAndExit(30_000);
    return result;
  } finally {
    client.dispose();
  }
}

export interface BigSession {
  /** didOpen → first diagnostics (structural). */
  openFirstMs: number;
  /** didOpen → diagnostics with tokens (a full lint of the document, cold token cache, tokenizer loading included). */
  openTokensMs: number;
  /** Latency of a trivial request sent every 50 ms while the document is first analysed (ms). */
  pingMedianMs: number;
  pingMaxMs: number;
  /** A one-character edit → the diagnostics of the new version (ms), one per edit. */
  editMs: number[];
  editMedianMs: number;
  editP95Ms: number;
  /** Peak RSS of the server over the session (MiB). */
  peakMiB: number;
  /** Peak RSS of the server by the time the open's diagnostics with tokens arrived (MiB): the open's share of the peak. */
  peakAfterOpenMiB: number;
  /** The server's CPU time over the edits, per edit (ms, all its threads; NaN off Linux). */
  editCpuMs: number;
  /** Diagnostics in the last publication. */
  diagnostics: number;
  /** Size of that publication's JSON (what the protocol carries after every edit). */
  payloadBytes: number;
  /** The server's own lint time for each edit (from its log: lint … in N ms), in the same order as editMs. */
  serverLintMs: number[];
}

/** The lint times the server logged (window/logMessage 「lint <uri> vN: … in X ms」) for versions > 1. */
function serverLintTimes(client: TestClient): number[] {
  const out: number[] = [];
  for (const r of client.received) {
    if (r.method !== 'window/logMessage') continue;
    const m = /^lint \S+ v(\d+): .* in ([\d.]+) ms/.exec((r.params as { message: string }).message);
    if (m && Number(m[1]) > 1) out.push(Number(m[2]));
  }
  return out;
}

/** Offsets where a one-character edit goes: inside the body of `count` articles spread over the text. */
export function editPoints(text: string, count: number): number[] {
  const starts: number[] = [];
  const re = /^第\s?[0-9０-９]+\s/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) starts.push(m.index + m[0].length);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const at = starts[Math.floor(((i + 0.5) * starts.length) / count)];
    // a few characters into the sentence, before its first 、
    const comma = text.indexOf('、', at);
    out.push(comma > at && comma - at < 80 ? comma : at + 2);
  }
  return out;
}

function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, character: offset - lineStart };
}

/**
 * The large-document session: open `text`, wait for its full diagnostics (pinging the server
 * meanwhile), then `edits` one-character edits in different articles, each waited for.
 */
export async function bigSession(text: string, edits: number, cacheDir: CacheDir, serverPath?: string): Promise<BigSession> {
  const client = await start(serverPath, cacheDir);
  try {
    const pings: number[] = [];
    let pinging = true;
    const pingLoop = (async () => {
      while (pinging) {
        const t = now();
        // An unknown request: the server answers "method not found" as soon as its event loop is free.
        await client.connection.sendRequest('keiyaku/benchPing').catch(() => undefined);
        pings.push(now() - t);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const t0 = now();
    await client.open(URI, text);
    const first = await client.waitForDiagnostics(URI, () => true, { since: 0, timeoutMs: 300_000 });
    const withTokens = await tokenDiagnostics(client, 300_000);
    const openFirstMs = receivedAt(client, first) - t0;
    const openTokensMs = receivedAt(client, withTokens) - t0;
    const peakAfterOpenMiB = peakRssMiB(client.proc.pid);
    pinging = false;
    await pingLoop;

    let doc = text;
    let version = 1;
    const editMs: number[] = [];
    const cpuBefore = cpuTimeMs(client.proc.pid);
    let last: PublishDiagnosticsParams | undefined;
    for (let i = 0; i < edits; i++) {
      // a different article each time; alternately insert a character and delete the one before it
      const at = editPoints(doc, edits)[i];
      const insert = i % 2 === 0;
      const pos = positionAt(doc, at);
      const range = insert ? { start: pos, end: pos } : { start: positionAt(doc, at - 1), end: pos };
      doc = insert ? doc.slice(0, at) + 'の' + doc.slice(at) : doc.slice(0, at - 1) + doc.slice(at);
      version++;
      const since = client.received.length;
      const t = now();
      await client.edit(URI, version, range, insert ? 'の' : '');
      const v = version;
      last = await client.waitForDiagnostics(URI, (p) => p.version === v, { since, timeoutMs: 300_000 });
      editMs.push(receivedAt(client, last) - t);
    }
    const result: BigSession = {
      openFirstMs,
      openTokensMs,
      pingMedianMs: median(pings),
      pingMaxMs: Math.max(...pings),
      editMs,
      editMedianMs: median(editMs),
      editP95Ms: percentile(editMs, 95),
      peakMiB: peakRssMiB(client.proc.pid),
      peakAfterOpenMiB,
      editCpuMs: (cpuTimeMs(client.proc.pid) - cpuBefore) / edits,
      diagnostics: last?.diagnostics.length ?? withTokens.diagnostics.length,
      payloadBytes: Buffer.byteLength(JSON.stringify(last ?? withTokens)),
      serverLintMs: serverLintTimes(client),
    };
    await client.shutdownAndExit(30_000);
    return result;
  } finally {
    client.dispose();
  }
}
