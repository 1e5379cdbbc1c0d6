/**
 * The language server uses no network: it runs with a guard preloaded (`node --require guard.js
 * dist/server.js --stdio`) that records any socket other than its stdio pipes, any DNS lookup and
 * any HTTP(S) or fetch call — both at the API level (net, tls, dgram, dns, http, https, http2,
 * fetch) and underneath, through async_hooks, where every TCP/UDP/DNS/TLS handle is created
 * whatever module asked for it. The test drives the server through a whole session (open, lint
 * with the tokenizer, code actions, an edit, a pull, shutdown) and then requires the record to be
 * empty. A control run first proves that the guard does catch network use.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CodeAction, FullDocumentDiagnosticReport } from 'vscode-languageserver-protocol/node';
import type { StatusParams } from '../../server/src/lsp/protocol';
import { fileUri, PULL_CAPS, ROOT, SERVER_ENV, TestClient } from './helpers';

const GUARD = `
'use strict';
const fs = require('fs');
const LOG = process.env.KEIYAKU_NO_NETWORK_LOG;
fs.writeFileSync(LOG + '.loaded', String(process.pid)); // proof that the guard ran in this process
function record(what) {
  const line = 'NETWORK-USED ' + what + '\\n' + (new Error().stack || '').split('\\n').slice(2, 8).join('\\n') + '\\n';
  try { fs.appendFileSync(LOG, line); } catch (e) { process.stderr.write(line); }
}
// 1. Underneath: every handle a socket, a DNS request or TLS creates, whoever created it.
const NETWORK_TYPES = new Set(['TCPWRAP', 'TCPCONNECTWRAP', 'TCPSERVERWRAP', 'UDPWRAP', 'UDPSENDWRAP', 'GETADDRINFOREQWRAP',
  'GETNAMEINFOREQWRAP', 'QUERYWRAP', 'TLSWRAP', 'PIPECONNECTWRAP', 'PIPESERVERWRAP', 'HTTPCLIENTREQUEST', 'HTTPINCOMINGMESSAGE']);
require('async_hooks').createHook({ init(id, type) { if (NETWORK_TYPES.has(type)) record('handle ' + type); } }).enable();
// 2. The APIs (a call is recorded even if it would fail before creating a handle).
const wrap = (obj, key, name) => {
  const orig = obj && obj[key];
  if (typeof orig !== 'function') return;
  obj[key] = function (...args) { record(name); return orig.apply(this, args); };
};
const net = require('net');
wrap(net, 'connect', 'net.connect'); wrap(net, 'createConnection', 'net.createConnection'); wrap(net, 'createServer', 'net.createServer');
wrap(net.Socket.prototype, 'connect', 'net.Socket#connect');
wrap(require('tls'), 'connect', 'tls.connect');
wrap(require('dgram'), 'createSocket', 'dgram.createSocket');
const dns = require('dns');
for (const k of ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'reverse']) wrap(dns, k, 'dns.' + k);
for (const k of ['lookup', 'resolve', 'resolve4', 'resolve6']) wrap(dns.promises, k, 'dns.promises.' + k);
for (const m of ['http', 'https']) { const mod = require(m); wrap(mod, 'request', m + '.request'); wrap(mod, 'get', m + '.get'); }
wrap(require('http2'), 'connect', 'http2.connect');
if (typeof globalThis.fetch === 'function') wrap(globalThis, 'fetch', 'fetch');
`;

describe('language server: no network', function () {
  this.timeout(120_000);
  let dir: string;
  let guard: string;
  let client: TestClient | undefined;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keiyaku-no-net-'));
    guard = path.join(dir, 'guard.js');
    fs.writeFileSync(guard, GUARD);
  });
  afterEach(() => client?.dispose());
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the guard catches DNS, TCP, HTTP and fetch (control)', () => {
    const log = path.join(dir, 'control.log');
    const script = `
      require('dns').lookup('localhost', () => {});
      const s = require('net').connect(9, '127.0.0.1'); s.on('error', () => {});
      const r = require('http').get('http://127.0.0.1:9/'); r.on('error', () => {});
      fetch('http://127.0.0.1:9/').catch(() => {});
      setTimeout(() => {}, 200);
    `;
    const r = spawnSync(process.execPath, ['--require', guard, '-e', script], {
      env: { ...process.env, KEIYAKU_NO_NETWORK_LOG: log },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(r.status, 0, r.stderr);
    const recorded = fs.readFileSync(log, 'utf8');
    for (const what of ['dns.lookup', 'net.connect', 'http.get', 'fetch', 'handle TCPCONNECTWRAP', 'handle GETADDRINFOREQWRAP']) {
      assert.ok(recorded.includes(`NETWORK-USED ${what}`), `the guard missed ${what}:\n${recorded}`);
    }
  });

  it('a whole session — open, lint with tokens, code actions, edit, pull, shutdown — opens no socket and resolves no name', async () => {
    const log = path.join(dir, 'server.log');
    client = new TestClient({ nodeArgs: ['--require', guard], env: { ...SERVER_ENV, KEIYAKU_NO_NETWORK_LOG: log } });
    await client.initialize(PULL_CAPS, { initializationOptions: { keiyakuLint: { delayMs: 0 } } });
    const uri = fileUri('no-network.keiyaku');
    const text = fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'dev-cases', 'dev-01-tokki-redline.txt'), 'utf8');
    await client.open(uri, text);
    await client.pull(uri);
    // the tokenizer loads (dictionary files from disk), then the client is asked to pull again
    await client.waitFor('workspace/diagnostic/refresh', () => true, { since: 0, timeoutMs: 90_000 });
    const since = client.received.length;
    const report = (await client.pull(uri)) as FullDocumentDiagnosticReport;
    const status = await client.waitFor<StatusParams>('keiyaku/status', () => true, { since });
    assert.equal(status.tokenizer, 'ready');
    assert.ok(report.items.some((d) => d.code === 'weakened-deadline'), 'no token-rule finding: the session did not lint with tokens');
    const d = report.items.find((x) => x.code === 'weakened-deadline') ?? report.items[0];
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: d.range,
      context: { diagnostics: [d] },
    });
    assert.ok(actions.some((a) => a.edit !== undefined), JSON.stringify(actions.map((a) => a.title)));
    await client.edit(uri, 2, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, ' ');
    await client.pull(uri);
    assert.equal(await client.shutdownAndExit(), 0);
    assert.equal(fs.readFileSync(`${log}.loaded`, 'utf8'), String(client.proc.pid), 'the guard was not loaded into the server');
    const recorded = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '';
    assert.equal(recorded, '', `the server used the network:\n${recorded}`);
    assert.ok(!client.stderr.join('').includes('NETWORK-USED'), client.stderr.join(''));
  });
});
