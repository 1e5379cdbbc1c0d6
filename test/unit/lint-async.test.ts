/**
 * lintAsync: the same findings as lint, the token cache warmed before the rules run (so they
 * tokenise nothing new), yields to the event loop, and stops when cancelled.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { FIXTURES, fixtureTexts } from './fixture-texts';
import { alignDocuments, allPairs, resetAlignMemo, warmAlignment } from '../../server/src/engine/align/align';
import { deviations, warmDeviations } from '../../server/src/engine/clause/stage';
import { lint, lintSteps } from '../../server/src/engine/lint';
import { lintAsync } from '../../server/src/engine/lintAsync';
import { parseDocument } from '../../server/src/engine/model/parser';
import { getReferences, resolveReferences, warmReferences } from '../../server/src/engine/refs/resolve';
import { blockMemoStats } from '../../server/src/engine/rules/memo';
import { RULES } from '../../server/src/engine/rules/registry';
import { styleBlocks, styleBlockSteps } from '../../server/src/engine/rules/style/text';
import { loadTokenizer, type KuromojiTokenizer } from '../../server/src/engine/tokenizer/kuromoji';
import type { Token, Tokenizer } from '../../server/src/engine/tokenizer/types';
import { syntheticContract } from '../../bench/synthetic';

const fixtures = (): Array<[string, string]> => fixtureTexts();

/** A tokenizer that records what it is asked, in order. */
class Recording implements Tokenizer {
  readonly calls: Array<{ text: string }> = [];
  constructor(private readonly inner: Tokenizer) {}
  tokenize(text: string): Token[] {
    this.calls.push({ text });
    return this.inner.tokenize(text);
  }
}

function comparable(r: { findings: { ruleId: string; messageId: string; span: { start: number; end: number }; level: string }[] }): string[] {
  return r.findings.map((f) => `${f.span.start}-${f.span.end} ${f.ruleId}/${f.messageId} ${f.level}`);
}

describe('lintAsync', function () {
  this.timeout(120_000);
  let base: KuromojiTokenizer;
  before(async () => {
    base = await loadTokenizer();
  });

  it('finds exactly what lint finds, on every seed, dev case and style fixture', async () => {
    for (const [name, text] of fixtures()) {
      const tokenizer = base.withOptions({});
      const expected = lint(text, { tokenizer });
      const got = await lintAsync(text, { tokenizer: base.withOptions({}) });
      assert.equal(got.cancelled, false, name);
      assert.deepEqual(comparable(got), comparable(expected), name);
    }
  });

  it('warms the token cache first: the rules tokenise nothing that was not warmed', async () => {
    for (const [name, text] of fixtures()) {
      const rec = new Recording(base.withOptions({}));
      // nothing tokenises before the warm-up, so its calls are the first `stats.warmed` ones
      const warmed = (await lintAsync(text, { tokenizer: rec, sliceMs: 0 })).stats.warmed;
      const warmedTexts = new Set(rec.calls.slice(0, warmed).map((c) => c.text));
      const missed = rec.calls.slice(warmed).filter((c) => !warmedTexts.has(c.text));
      assert.ok(warmedTexts.size > 0, `${name}: nothing warmed`);
      assert.deepEqual(
        missed.map((c) => c.text.slice(0, 40)),
        [],
        `${name}: tokenised by the rules without being warmed first`,
      );
    }
  });

  it('yields to the event loop between slices, and a timer runs meanwhile', async () => {
    const text = syntheticContract(60 * 1024);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      const r = await lintAsync(text, { tokenizer: base.withOptions({}), sliceMs: 2 });
      assert.equal(r.cancelled, false);
      assert.ok(r.stats.yields > 10, `yields: ${r.stats.yields}`);
      // the log says where the longest stretch was
      assert.match(r.stats.longestSliceAt, /^(parsing|alignment|clause stage|token warm-up|rules|rule \S+|ahead of \S+)$/);
      assert.ok(r.stats.warmed > 100, `warmed: ${r.stats.warmed}`);
      assert.ok(ticks > 0, 'the timer never ran while the lint was going on');
    } finally {
      clearInterval(timer);
    }
  });

  it('stops when cancelled: no findings, and no tokenising after the cancellation is seen', async () => {
    const text = syntheticContract(60 * 1024);
    const rec = new Recording(base.withOptions({}));
    let pauses = 0;
    let cancelledAt = -1;
    const r = await lintAsync(text, {
      tokenizer: rec,
      sliceMs: 0,
      isCancelled: () => cancelledAt >= 0,
      pause: async () => {
        if (++pauses === 20) cancelledAt = rec.calls.length;
      },
    });
    assert.equal(r.cancelled, true);
    assert.deepEqual(r.findings, []);
    assert.ok(cancelledAt > 0);
    assert.equal(rec.calls.length, cancelledAt, 'tokenised after the cancellation');
  });

  it('on a large draft (hundreds of articles) the alignment is prepared in slices and the findings do not change', async () => {
    const text = syntheticContract(150 * 1024);
    const settings = { maxChars: 1_000_000 };
    resetAlignMemo();
    const structural = await lintAsync(text, { settings, sliceMs: 0 });
    const doc = structural.document;
    assert.ok(doc.articles.length > 100, `only ${doc.articles.length} articles`);
    // the warm-up yields every 32 draft units and leaves the alignment as a cold one makes it
    const template = structural.analysis.clause!.template!;
    const parties = structural.analysis.clause!.alignment!.draftParties;
    const shape = (a: ReturnType<typeof alignDocuments>) => allPairs(a).map((p) => `${p.canonical?.label}→${p.draft?.label}:${p.score.toFixed(6)}`);
    resetAlignMemo();
    const cold = shape(alignDocuments(template.doc, doc, template.parties, parties));
    resetAlignMemo();
    const slices = [...warmAlignment(template.doc, doc, template.parties, parties)].length;
    assert.ok(slices >= Math.floor((doc.articles.length + doc.annexes.length) / 32), `${slices} slices`);
    assert.deepEqual(shape(alignDocuments(template.doc, doc, template.parties, parties)), cold);
    resetAlignMemo();
    assert.deepEqual(comparable(structural), comparable(lint(text, { settings })));
    const tokenizer = base.withOptions({});
    resetAlignMemo();
    const withTokens = await lintAsync(text, { settings, tokenizer });
    resetAlignMemo();
    assert.deepEqual(comparable(withTokens), comparable(lint(text, { settings, tokenizer })));
  });

  it('computes ahead, in steps, what a rule would compute in one piece: the references, one article at a time', () => {
    const text = syntheticContract(60 * 1024);
    const doc = parseDocument(text);
    const steps = [...warmReferences(doc)].length;
    assert.equal(steps, doc.articles.length + doc.annexes.length, 'one pause per article and annex');
    const fresh = resolveReferences(parseDocument(text));
    const cached = getReferences(doc);
    assert.ok(cached.all.length > 100);
    assert.deepEqual(cached.all.map((r) => `${r.span.start} ${r.text} ${r.targets.map((t) => t.label).join()} ${r.group} ${r.qualifies}`), fresh.all.map((r) => `${r.span.start} ${r.text} ${r.targets.map((t) => t.label).join()} ${r.group} ${r.qualifies}`));
    assert.equal([...warmReferences(doc)].length, 0, 'nothing to do once they are cached');
  });

  it('computes ahead, in steps, the clause comparison: one pause per compared pair, the same deviations', () => {
    const text = syntheticContract(60 * 1024);
    const prepared = (tokenizer: Tokenizer) => {
      const steps = lintSteps(text, { tokenizer });
      for (let s = steps.next(); !s.done; s = steps.next()) if (s.value.stage === 'prepared') return s.value.analysis;
      throw new Error('no prepared stage');
    };
    const ahead = prepared(base.withOptions({}));
    const pauses = [...warmDeviations(ahead)].length;
    assert.ok(pauses > 20, `${pauses} pauses`);
    const direct = deviations(prepared(base.withOptions({})));
    const shape = (ds: ReturnType<typeof deviations>) => ds.map((d) => `${d.span.start}-${d.span.end} ${d.type} ${d.messageId} ${d.pair.canonical?.label}`);
    assert.deepEqual(shape(deviations(ahead)), shape(direct));
    assert.equal([...warmDeviations(ahead)].length, 0, 'nothing to do once they are kept');
  });

  it('runs a style rule ahead over the blocks it has no memoised reports for; the rule then replays them all', () => {
    const text = syntheticContract(30 * 1024);
    const tokenizer = base.withOptions({});
    const typo = RULES.find((r) => r.id === 'style/typo')!;
    assert.ok(typo.checkBlock, 'style/typo has a per-block check');
    const steps = lintSteps(text, { tokenizer });
    let analysis;
    let doc;
    for (let s = steps.next(); !s.done && !doc; s = steps.next()) if (s.value.stage === 'prepared') ({ analysis, document: doc } = s.value);
    const ctx = { doc: doc!, analysis: analysis!, report: () => undefined, isCancelled: () => false };
    const blocks = styleBlocks(doc!);
    const pauses = [...styleBlockSteps(ctx, typo.id, blocks, typo.checkBlock!)].length;
    assert.ok(pauses > 50 && pauses <= blocks.length, `${pauses} pauses for ${blocks.length} blocks`);
    const before = blockMemoStats(tokenizer);
    const reports: unknown[] = [];
    typo.check({ ...ctx, report: (r) => reports.push(r) });
    const after = blockMemoStats(tokenizer);
    assert.equal(after.misses, before.misses, 'the rule ran a block the run ahead had not memoised');
    assert.ok(after.hits - before.hits >= pauses);
    assert.equal([...styleBlockSteps(ctx, typo.id, blocks, typo.checkBlock!)].length, 0, 'nothing left to run');
    assert.deepEqual(
      reports.length,
      lint(text, { tokenizer: base.withOptions({}), only: ['style/typo'] }).findings.length,
    );
  });

  it('without a tokenizer: structural findings only, the token rules pending, nothing warmed', async () => {
    const text = readFileSync(path.join(FIXTURES, 'seeds', '004_5803deb95195d81e.txt'), 'utf8');
    const r = await lintAsync(text, {});
    assert.deepEqual(comparable(r), comparable(lint(text)));
    assert.ok(r.pendingRules.includes('style/typo'));
    assert.equal(r.stats.warmed, 0);
  });
});
