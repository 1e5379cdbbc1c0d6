/**
 * keiyaku/compareRevision and keiyaku/clearRevision over stdio, with the server compiled by tsc
 * (out/server/src/server.js: no bundle needed). Push mode: the revision diagnostics go out with
 * the lint ones; pull mode (VS Code): they are pushed apart. Clearing removes them.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { revisedEveryThirdLine } from '../../../bench/adversarial';
import { syntheticContract } from '../../../bench/synthetic';
import * as fc from 'fast-check';
import { moveThrough } from '../../../server/src/lsp/revision';
import { fuzzParameters } from '../../fuzz';
import { fileUri, PULL_CAPS, PUSH_CAPS, ROOT, TestClient, textAt } from '../../lsp/helpers';

const SERVER = path.join(ROOT, 'out', 'server', 'src', 'server.js');
const REV = path.join(ROOT, 'test', 'fixtures', 'revisions');
const read = (name: string): string => readFileSync(path.join(REV, name), 'utf8');
const SOURCE = 'keiyaku-lint (revision)';

interface Result {
  report: { summary: { weakened: number; added: number; equivalent: boolean }; changes: { kind: string }[] };
  markdown: string;
  html: string;
  diagnostics: Diagnostic[];
  version: number;
}

const revisionOnly = (p: PublishDiagnosticsParams): Diagnostic[] => p.diagnostics.filter((d) => d.source === SOURCE);

describe('language server: revision comparison', function () {
  this.timeout(60000);
  let client: TestClient;

  afterEach(async function () {
    await client?.shutdownAndExit().catch(() => undefined);
    client?.dispose();
  });

  /** A push client with the revision tokuyaku-b open and linted: its uri and text. */
  async function openTokuyakuB(): Promise<{ uri: string; text: string }> {
    client = new TestClient({ serverPath: SERVER });
    await client.initialize(PUSH_CAPS);
    const uri = fileUri('tokuyaku-b.keiyaku');
    const text = read('tokuyaku-b.txt');
    await client.open(uri, text);
    await client.waitForDiagnostics(uri);
    return { uri, text };
  }

  it('push mode: diagnostics with the lint ones, following edits, removed by clearRevision', async function () {
    const { uri, text } = await openTokuyakuB();

    const r = await client.connection.sendRequest<Result>('keiyaku/compareRevision', {
      uri,
      otherText: read('tokuyaku-a.txt'),
      otherLabel: 'HEAD',
      otherUri: 'git:/tokuyaku-b.keiyaku?HEAD',
    });
    assert.deepEqual(r.report.changes.map((c) => c.kind), ['added', 'changed']);
    assert.equal(r.version, 1);
    assert.match(r.markdown, /^# リビジョン比較/);
    assert.match(r.markdown, /\(git:\/tokuyaku-b\.keiyaku\?HEAD#L39\)/, 'links to the other revision');
    assert.match(r.html, /<del>直ちに<\/del>/);
    // one diagnostic per substantive change: the added article, the weakened deadline
    assert.deepEqual(
      r.diagnostics.map((d) => [d.source, d.severity, d.code]),
      [
        [SOURCE, 3, 'revision/added'],
        [SOURCE, 2, 'revision/deadline'],
      ],
    );
    assert.equal(textAt(text, r.diagnostics[1].range), '速やかに');
    assert.match(r.diagnostics[1].message, /HEAD から: 期限が弱められました: 「直ちに」→「速やかに」。/);

    const withRevision = await client.waitForDiagnostics(uri, (p) => revisionOnly(p).length === 2);
    assert.ok(withRevision.diagnostics.some((d) => d.source !== SOURCE), 'the lint diagnostics are still there');

    // an edit: the comparison follows (the deadline restored: one revision diagnostic left)
    const restored = text.replace('業務完了後速やかに', '業務完了後直ちに');
    await client.replaceAll(uri, 2, restored);
    const after = await client.waitForDiagnostics(uri, (p) => p.version === 2 && revisionOnly(p).length === 1, { timeoutMs: 20000 });
    assert.equal(revisionOnly(after)[0].code, 'revision/added');

    await client.connection.sendRequest('keiyaku/clearRevision', { uri });
    const cleared = await client.waitForDiagnostics(uri, (p) => revisionOnly(p).length === 0 && p.diagnostics.length > 0);
    assert.ok(cleared.diagnostics.length > 0, 'lint diagnostics stay');
  });

  it('push mode: until the text is compared again, the revision diagnostics follow incremental edits', async function () {
    const { uri, text } = await openTokuyakuB();
    const r = await client.connection.sendRequest<Result>('keiyaku/compareRevision', { uri, otherText: read('tokuyaku-a.txt'), otherLabel: 'HEAD' });
    const [added, weak] = r.diagnostics;
    assert.deepEqual([added.code, weak.code], ['revision/added', 'revision/deadline']);
    await client.waitForDiagnostics(uri, (p) => revisionOnly(p).length === 2);

    // one edit of two changes: a line inserted at the top moves every place; then, in the text the
    // first change left, the weakened deadline is restored (that diagnostic is dropped)
    const since = client.received.length;
    const weakLine = weak.range.start.line + 1;
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [
        { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '（改訂案）\n' },
        { range: { start: { line: weakLine, character: weak.range.start.character }, end: { line: weakLine, character: weak.range.end.character } }, text: '直ちに' },
      ],
    });
    const edited = '（改訂案）\n' + text.replace('業務完了後速やかに', '業務完了後直ちに');
    // the lint of version 2 goes out before the comparison is made again (600 ms after the edit)
    const first = await client.waitForDiagnostics(uri, (p) => p.version === 2, { since });
    const moved = revisionOnly(first);
    assert.deepEqual(moved.map((d) => d.code), ['revision/added'], 'the touched diagnostic is dropped, the other kept');
    assert.equal(moved[0].range.start.line, added.range.start.line + 1);
    assert.equal(textAt(edited, moved[0].range), textAt(text, added.range));
    // the comparison made again agrees
    const again = await client.waitForDiagnostics(uri, (p) => p.version === 2 && p !== first && revisionOnly(p).length === 1, { since, timeoutMs: 20000 });
    assert.deepEqual(revisionOnly(again).map((d) => [d.code, d.range]), moved.map((d) => [d.code, d.range]));
  });

  it('pull mode: the revision diagnostics are pushed apart from the pulled ones; clear publishes none', async function () {
    client = new TestClient({ serverPath: SERVER });
    await client.initialize(PULL_CAPS);
    const uri = fileUri('statute-b.keiyaku');
    await client.open(uri, read('statute-b.txt'));
    const before = client.received.length;
    const r = await client.connection.sendRequest<Result>('keiyaku/compareRevision', {
      uri,
      otherText: read('statute-a.txt'),
      otherLabel: 'statute-a.txt',
    });
    assert.equal(r.report.summary.weakened, 3);
    const pushed = await client.waitForDiagnostics(uri, (p) => p.diagnostics.length > 0, { since: before });
    assert.ok(pushed.diagnostics.every((d) => d.source === SOURCE));
    assert.equal(pushed.diagnostics.length, r.diagnostics.length);
    // removed item, added article, added chapter, and the four wording changes of 第12条第2項
    assert.equal(pushed.diagnostics.length, 7);
    const pulled = await client.pull(uri);
    assert.ok('items' in pulled && pulled.items.every((d) => d.source !== SOURCE), 'not mixed into the pulled lint diagnostics');

    const since = client.received.length;
    await client.connection.sendRequest('keiyaku/clearRevision', { uri });
    await client.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0, { since });
  });

  /** Two large revisions: 1,000 articles and more, every third line of B changed, one deadline weakened. */
  function largePair(): { a: string; b: string } {
    const a = syntheticContract(400 * 1024);
    const at = a.indexOf('直ちに');
    assert.ok(at > 0);
    const weakened = a.slice(0, at) + '速やかに' + a.slice(at + 3);
    return { a, b: revisedEveryThirdLine(weakened) };
  }

  /** A push client with B of `largePair` open and linted: its uri and both texts. */
  async function openLarge(): Promise<{ uri: string; a: string; b: string }> {
    client = new TestClient({ serverPath: SERVER });
    await client.initialize(PUSH_CAPS);
    const uri = fileUri('large-b.keiyaku');
    const { a, b } = largePair();
    await client.open(uri, b);
    await client.waitForDiagnostics(uri);
    return { uri, a, b };
  }

  it('a long comparison runs in slices: a request sent after it is answered first', async function () {
    const { uri, a } = await openLarge();
    const order: string[] = [];
    const compared = client.connection
      .sendRequest<Result>('keiyaku/compareRevision', { uri, otherText: a, otherLabel: 'A' })
      .then((r) => (order.push('compare'), r));
    const other = client.connection.sendRequest('keiyaku/clearRevision', { uri: fileUri('other.keiyaku') }).then(() => order.push('other'));
    const [r] = await Promise.all([compared, other]);
    assert.deepEqual(order, ['other', 'compare']);
    assert.ok(r.report.changes.length > 100, `${r.report.changes.length} changes`);
  });

  it('edited while comparing: the answer names the version compared; the diagnostics published are for the new text', async function () {
    const { uri, a, b } = await openLarge();
    // once with the tokenizer loaded (the first request waits for it), then again with an edit at once
    await client.connection.sendRequest<Result>('keiyaku/compareRevision', { uri, otherText: a, otherLabel: 'A' });
    const since = client.received.length;
    const compared = client.connection.sendRequest<Result>('keiyaku/compareRevision', { uri, otherText: a, otherLabel: 'A' });
    // every place moves by the inserted line
    const edited = '（改訂案）\n' + b;
    await client.replaceAll(uri, 2, edited);
    const r = await compared;
    assert.equal(r.version, 1);
    const weak = r.diagnostics.find((d) => d.code === 'revision/deadline');
    assert.ok(weak);
    assert.equal(textAt(b, weak.range), '速やかに', 'the answer is about the text it compared');
    // what is published carries places in version 2's text
    const published = await client.waitForDiagnostics(uri, (p) => p.version === 2 && revisionOnly(p).some((d) => d.code === 'revision/deadline'), {
      since,
      timeoutMs: 30000,
    });
    const weak2 = revisionOnly(published).find((d) => d.code === 'revision/deadline')!;
    assert.equal(textAt(edited, weak2.range), '速やかに');
    // and nothing published for version 2 pointed into version 1's places
    for (const p of client.received.slice(since)) {
      if (p.method !== 'textDocument/publishDiagnostics') continue;
      const params = p.params as PublishDiagnosticsParams;
      if (params.version !== 2) continue;
      for (const d of revisionOnly(params).filter((x) => x.code === 'revision/deadline')) {
        assert.equal(textAt(edited, d.range), '速やかに', `published for version ${params.version}`);
      }
    }
  });

  it('answers null for a document that is not open', async function () {
    client = new TestClient({ serverPath: SERVER });
    await client.initialize(PUSH_CAPS);
    const r = await client.connection.sendRequest('keiyaku/compareRevision', { uri: fileUri('nope.keiyaku'), otherText: '', otherLabel: 'x' });
    assert.equal(r, null);
  });
});

describe('moveThrough: revision places across one change', function () {
  const places = [
    { id: 'a', span: { start: 2, end: 5 } },
    { id: 'b', span: { start: 10, end: 14 } },
  ];
  const after = (start: number, end: number, length: number): [string, number, number][] =>
    moveThrough(places, start, end, length).map((p) => [p.id, p.span.start, p.span.end]);

  it('typed right after a place: the place stays as it was; right before one: it moves', function () {
    assert.deepEqual(after(5, 5, 3), [
      ['a', 2, 5],
      ['b', 13, 17],
    ]);
    assert.deepEqual(after(10, 10, 1), [
      ['a', 2, 5],
      ['b', 11, 15],
    ]);
  });

  it('a deletion or replacement that touches a place drops it; one between places moves those after it', function () {
    assert.deepEqual(after(4, 6, 0), [['b', 8, 12]]);
    assert.deepEqual(after(0, 12, 1), []);
    assert.deepEqual(after(6, 9, 0), [
      ['a', 2, 5],
      ['b', 7, 11],
    ]);
    assert.deepEqual(after(13, 13, 2), [['a', 2, 5]], 'typed inside a place');
  });

  it('through any edits, every place kept still covers the same characters (fast-check)', function () {
    const edit = fc.record({ at: fc.nat(), length: fc.nat({ max: 6 }), text: fc.string({ maxLength: 5 }) });
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 60 }), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 8 })), { maxLength: 8 }), fc.array(edit, { maxLength: 10 }), (text0, spans, edits) => {
        let text = text0;
        const original = spans.map(([at, len]) => {
          const start = at % text.length;
          const end = Math.min(text.length, start + Math.max(1, len));
          return { span: { start, end }, was: text.slice(start, end) };
        });
        let places = original;
        for (const e of edits) {
          const start = e.at % (text.length + 1);
          const end = Math.min(text.length, start + e.length);
          places = moveThrough(places, start, end, e.text.length);
          text = text.slice(0, start) + e.text + text.slice(end);
        }
        for (const p of places) assert.equal(text.slice(p.span.start, p.span.end), p.was);
        // and a place is dropped only when an edit touched it: with no edits, all stay
        if (edits.length === 0) assert.equal(places.length, original.length);
      }),
      fuzzParameters(300, 20261207),
    );
  });
});
