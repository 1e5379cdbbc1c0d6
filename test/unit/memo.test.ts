/**
 * Findings kept across edits (rules/memo.ts and the clause stage's pair memo): a re-lint that
 * replays memoised reports gives exactly the findings of a lint that computes everything, however
 * the text around the unchanged blocks moved.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixtureTexts } from './fixture-texts';
import * as v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { syntheticContract } from '../../bench/synthetic';
import { lint, type LintResult } from '../../server/src/engine/lint';
import { lintAsync } from '../../server/src/engine/lintAsync';
import { blockLayout, blockMemoStats, memoBlock, memoBlocks, memoChecker, setBlockMemoMaxChars, DEFAULT_MEMO_MAX_CHARS } from '../../server/src/engine/rules/memo';
import type { Report, RuleContext } from '../../server/src/engine/rules/types';
import { loadTokenizer, type KuromojiTokenizer } from '../../server/src/engine/tokenizer/kuromoji';
import type { TextBlock } from '../../server/src/engine/model/types';
import type { Analysis } from '../../server/src/engine/analysis';
import { withDefaults } from '../../server/src/engine/settings';

const fixtures = (): Array<[string, string]> => fixtureTexts();

/** Everything a front end reads of a finding, spans of fixes and related information included. */
function everything(r: LintResult): string {
  return JSON.stringify(r.findings);
}

/** Edits that move every later block and change one sentence: what a drafter's edit does. */
function edited(text: string, k: number): string {
  const lines = text.split('\n');
  const i = Math.min(lines.length - 1, 3 + ((k * 7) % Math.max(1, lines.length - 3)));
  lines[i] = lines[i].replace('しなければならない', 'するものとする').replace('、', 'は、');
  return `（前文）この文書は改訂案である。\n${lines.join('\n')}`;
}

describe('findings kept across edits (rules/memo.ts)', function () {
  this.timeout(120_000);
  let base: KuromojiTokenizer;
  before(async () => {
    base = await loadTokenizer();
  });
  afterEach(() => setBlockMemoMaxChars(DEFAULT_MEMO_MAX_CHARS));

  it('replays exactly what a full computation finds, on every fixture after an edit', () => {
    const warm = base.withOptions({});
    let replayed = 0;
    for (const [name, text] of fixtures()) {
      lint(text, { tokenizer: warm });
      const before = blockMemoStats(warm).hits;
      for (let k = 0; k < 3; k++) {
        const next = edited(text, k);
        const fresh = lint(next, { tokenizer: base.withOptions({}) });
        const again = lint(next, { tokenizer: warm });
        assert.equal(everything(again), everything(fresh), `${name}, edit ${k}`);
      }
      replayed += blockMemoStats(warm).hits - before;
    }
    assert.ok(replayed > 100, `memoised runs were replayed (${replayed})`);
  });

  it('lets lintAsync tokenise only the changed blocks after an edit', async () => {
    const t = base.withOptions({});
    const text = fixtures().find(([n]) => n.includes('dev-01'))![1];
    const first = await lintAsync(text, { tokenizer: t });
    assert.ok(first.stats.warmed > 20, `the first lint warms every block (${first.stats.warmed})`);
    const next = edited(text, 1);
    const second = await lintAsync(next, { tokenizer: t });
    assert.ok(second.stats.warmed <= 3, `only the edited block and its pair (${second.stats.warmed})`);
    assert.equal(everything(second), everything(lint(next, { tokenizer: base.withOptions({}) })));
  });

  it('gives the same findings with the memo turned off', () => {
    const text = fixtures().find(([n]) => n.includes('dev-01'))![1];
    const on = lint(text, { tokenizer: base.withOptions({}) });
    setBlockMemoMaxChars(0);
    const t = base.withOptions({});
    const off = lint(text, { tokenizer: t });
    assert.equal(everything(off), everything(on));
    assert.equal(blockMemoStats(t).entries, 0, 'nothing memoised when off');
  });

  describe('memoBlock', () => {
    const block = (start: number, text: string): TextBlock => ({
      text,
      segs: [{ textStart: 0, srcStart: start, length: text.length }],
      span: { start, end: start + text.length },
    });
    const context = (reports: Report[], cancelled = () => false): RuleContext => ({
      doc: {} as RuleContext['doc'],
      analysis: { settings: withDefaults({}), tokenizer: null } as unknown as Analysis,
      report: (r) => reports.push(r),
      isCancelled: cancelled,
    });

    it('replays a run shifted to where the same block now is, fixes and related spans too', () => {
      let runs = 0;
      const run = (c: RuleContext, b: TextBlock): void => {
        runs++;
        c.report({
          messageId: 'm',
          span: { start: b.span.start + 1, end: b.span.start + 2 },
          fixes: [{ titleId: 'f', edits: [{ span: { start: b.span.start + 1, end: b.span.start + 2 }, newText: 'x' }], safe: true }],
          related: [{ messageId: 'r', span: { start: b.span.start, end: b.span.end } }],
        });
      };
      const first: Report[] = [];
      const a = block(10, 'memo-test あいうえお');
      memoBlock(context(first), 'test/replay', '', a, (c) => run(c, a));
      const second: Report[] = [];
      const b = block(250, 'memo-test あいうえお');
      memoBlock(context(second), 'test/replay', '', b, (c) => run(c, b));
      assert.equal(runs, 1, 'the second block was answered from the memo');
      assert.deepEqual(second[0].span, { start: 251, end: 252 });
      assert.deepEqual(second[0].fixes?.[0].edits[0].span, { start: 251, end: 252 });
      assert.deepEqual(second[0].related?.[0].span, b.span);
      assert.deepEqual(first[0].span, { start: 11, end: 12 }, 'the first report is left as it was');
    });

    it('keys by layout as well as text: a block wrapped differently is run again', () => {
      let runs = 0;
      const a = block(0, 'memo-layout かきくけこ');
      const wrapped: TextBlock = {
        text: a.text,
        segs: [
          { textStart: 0, srcStart: 100, length: 5 },
          { textStart: 5, srcStart: 106, length: a.text.length - 5 },
        ],
        span: { start: 100, end: 101 + a.text.length },
      };
      assert.notEqual(blockLayout(a), blockLayout(wrapped));
      memoBlock(context([]), 'test/layout', '', a, () => runs++);
      memoBlock(context([]), 'test/layout', '', wrapped, () => runs++);
      memoBlock(context([]), 'test/layout', 'other context', a, () => runs++);
      assert.equal(runs, 3);
    });

    it('does not memoise a run that reports outside its block, or a cancelled one', () => {
      let runs = 0;
      const a = block(50, 'memo-outside さしすせそ');
      const outside = (c: RuleContext): void => {
        runs++;
        c.report({ messageId: 'm', span: { start: 0, end: 1 } });
      };
      memoBlock(context([]), 'test/outside', '', a, outside);
      memoBlock(context([]), 'test/outside', '', a, outside);
      assert.equal(runs, 2, 'run again: its report was outside the block');
      let cancelled = false;
      const c = block(0, 'memo-cancel たちつてと');
      memoBlock(context([], () => cancelled), 'test/cancel', '', c, () => {
        runs++;
        cancelled = true;
      });
      cancelled = false;
      memoBlock(context([]), 'test/cancel', '', c, () => runs++);
      assert.equal(runs, 4, 'a cancelled run was not memoised');
    });
  });

  describe('memoBlocks: the last run', () => {
    const block = (start: number, text: string): TextBlock => ({
      text,
      segs: [{ textStart: 0, srcStart: start, length: text.length }],
      span: { start, end: start + text.length },
    });
    /** Blocks laid out one after another, as a document's paragraphs are. */
    const layout = (texts: string[], at = 0): TextBlock[] => {
      const out: TextBlock[] = [];
      for (const t of texts) {
        out.push(block(at, t));
        at += t.length + 1;
      }
      return out;
    };
    /** Reports two places in every block, and one outside it for blocks marked 外. */
    const check = (ran: string[]) => (c: RuleContext, b: TextBlock): void => {
      ran.push(b.text);
      c.report({ messageId: 'a', span: { start: b.span.start, end: b.span.start + 1 }, data: { t: b.text } });
      c.report({ messageId: 'b', span: { start: b.span.end - 1, end: b.span.end } });
      if (b.text.includes('外')) c.report({ messageId: 'outside', span: { start: 0, end: 0 } });
    };
    const runOver = (ruleId: string, blocks: TextBlock[], cancelAfter = Infinity): { reports: Report[]; ran: string[] } => {
      const reports: Report[] = [];
      const ran: string[] = [];
      let calls = 0;
      const ctx: RuleContext = {
        doc: {} as RuleContext['doc'],
        analysis: { settings: withDefaults({}), tokenizer: null } as unknown as Analysis,
        report: (r) => reports.push(r),
        isCancelled: () => calls++ >= cancelAfter,
      };
      memoBlocks(ctx, { ruleId, context: '', items: blocks, blockOf: (b) => b, check: check(ran) });
      return { reports, ran };
    };
    const fresh = (blocks: TextBlock[]): Report[] => {
      const reports: Report[] = [];
      const ctx = { report: (r: Report) => reports.push(r) } as unknown as RuleContext;
      for (const b of blocks) check([])(ctx, b);
      return reports;
    };
    const unique = (tag: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${tag}第${i}項の本文です。`);

    it('replays the blocks before and after an edit from the last run, shifted, and runs only the edited one', () => {
      const texts = unique('lastrun-a', 8);
      const one = runOver('test/lastrun', layout(texts));
      assert.equal(one.ran.length, 8);
      // an edit in block 3 that makes it longer: every later block moves
      const edited = [...texts];
      edited[3] = edited[3] + '（追記）';
      const blocks = layout(edited, 5);
      const two = runOver('test/lastrun', blocks);
      assert.deepEqual(two.ran, [edited[3]], 'only the edited block was run');
      assert.deepEqual(two.reports, fresh(blocks));
      // a block inserted and one deleted, in one go
      const again = [edited[0], '挿入された項の本文です。', ...edited.slice(1, 6), edited[7]];
      const blocks3 = layout(again);
      const three = runOver('test/lastrun', blocks3);
      assert.deepEqual(three.ran, ['挿入された項の本文です。']);
      assert.deepEqual(three.reports, fresh(blocks3));
    });

    it('runs again a block whose run was not memoised, and a block wrapped differently', () => {
      const texts = [...unique('lastrun-b', 3), '外を指す項の本文です。', ...unique('lastrun-c', 3)];
      const blocks = layout(texts);
      runOver('test/lastrun-outside', blocks);
      const moved = layout(texts, 40);
      const wrapped: TextBlock = {
        text: moved[1].text,
        segs: [
          { textStart: 0, srcStart: moved[1].span.start, length: 4 },
          { textStart: 4, srcStart: moved[1].span.start + 6, length: moved[1].text.length - 4 },
        ],
        span: { start: moved[1].span.start, end: moved[1].span.end + 2 },
      };
      moved[1] = wrapped;
      const two = runOver('test/lastrun-outside', moved);
      assert.deepEqual(two.ran, [texts[1], '外を指す項の本文です。']);
      assert.deepEqual(two.reports, fresh(moved));
    });

    it('tells the token warm-up which items it will replay, by index, those of the last run included', () => {
      const texts = [...unique('lastrun-e', 4), '外を指す項の本文（e）です。'];
      runOver('test/lastrun-checker', layout(texts));
      const edited = [...texts];
      edited[1] = '書き換えられた項の本文です。';
      const blocks = layout(edited, 7);
      const analysis = { settings: withDefaults({}), tokenizer: null } as unknown as Analysis;
      const memoised = memoChecker(analysis, 'test/lastrun-checker', '', blocks, (b) => b);
      assert.deepEqual(
        blocks.map((_b, i) => memoised(i)),
        [true, false, true, true, false],
        'kept before and after the edit; the edited block and the unmemoisable one are not',
      );
      assert.deepEqual(memoChecker(analysis, 'test/lastrun-checker', 'another context', blocks, (b) => b)(0), false);
    });

    it('keeps the last complete run when one is cancelled, and counts its replays as memo hits', () => {
      const texts = unique('lastrun-d', 6);
      const memo = blockMemoStats(null).hits;
      runOver('test/lastrun-cancel', layout(texts));
      const cut = runOver('test/lastrun-cancel', layout(texts, 3), 2);
      assert.equal(cut.reports.length, 4, 'two blocks replayed before the cancellation');
      const blocks = layout(texts, 9);
      const after = runOver('test/lastrun-cancel', blocks);
      assert.deepEqual(after.ran, []);
      assert.deepEqual(after.reports, fresh(blocks));
      assert.equal(blockMemoStats(null).hits - memo, 2 + 6);
    });
  });
});

describe('memory across edits', function () {
  this.timeout(180_000);

  it('keeps no earlier version of the document alive (memo keys are detached from the text they were cut from)', async () => {
    // gc() for this test only: node exposes it when the flag is set before the first call
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const tokenizer = (await loadTokenizer()).withOptions({});
    let text = syntheticContract(600_000);
    lint(text, { tokenizer });
    const edits = 12;
    const at = (i: number): number => Math.floor((text.length * ((i * 7) % edits + 0.5)) / edits);
    // each version a flat string of its own (a rope or slice of the last one would keep it alive)
    const fresh = (s: string): string => Buffer.from(s, 'utf16le').toString('utf16le');
    for (let i = 0; i < edits; i++) {
      text = fresh(text.slice(0, at(i)) + 'の' + text.slice(at(i)));
      lint(text, { tokenizer });
    }
    gc();
    gc();
    // Every version of the text is a flat string of ~text.length characters: a memo key that were
    // a slice of one would keep that version alive. The heap holds the current version and the
    // one this test's own frames still reach; with keys not detached, all thirteen (~0.4 MB each).
    // (two bytes a character: Japanese text; other tests' documents have other sizes)
    const large = largeStrings(2 * text.length * 0.97).filter((bytes) => bytes <= 2 * text.length * 1.03);
    assert.ok(large.length <= 2, `strings the size of the document: ${large.join(', ')} bytes`);
  });
});

/** Sizes of the flat strings in the heap of at least `minBytes` (from a heap snapshot). */
function largeStrings(minBytes: number): number[] {
  const file = v8.writeHeapSnapshot(path.join(os.tmpdir(), `keiyaku-memo-${process.pid}.heapsnapshot`));
  try {
    const snap = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
      nodes: number[];
    };
    const fields = snap.snapshot.meta.node_fields;
    const nf = fields.length;
    const typeAt = fields.indexOf('type');
    const sizeAt = fields.indexOf('self_size');
    const types = snap.snapshot.meta.node_types[0];
    const out: number[] = [];
    for (let i = 0; i < snap.nodes.length; i += nf) {
      // flat strings hold their characters (ropes and slices are views of flat ones)
      if (types[snap.nodes[i + typeAt]] !== 'string') continue;
      const size = snap.nodes[i + sizeAt];
      if (size >= minBytes) out.push(size);
    }
    return out;
  } finally {
    fs.rmSync(file, { force: true });
  }
}
