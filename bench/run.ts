/**
 * The benchmark: `npm run bench` (builds, compiles, then `node out/bench/run.js`). Prints one
 * table and writes it as JSON to bench/results/bench-<date>.json and bench/results/latest.json
 * (gitignored). Every figure is the median of several runs: the machine is shared and noisy, so
 * quote medians, with the load average printed in the heading.
 *
 *   node out/bench/run.js [--quick] [--only cold,engine,server,cli] [--server PATH] [--runs N]
 *
 *   --quick        fewer runs, 20 edits instead of 50, no textlint on 200 KB
 *   --only         some sections: dictionary (kuromoji's start-up without, then through, the
 *                  dictionary cache: bench/dictionary.ts), cold (server cold start, the same three
 *                  ways), engine (1 MB in process), server (1 MB through the language server), cli
 *                  (command line against textlint), adversarial (worst-case inputs through the
 *                  command line, then as two revisions through
 *                  `keiyaku-lint diff`: bench/adversarial.ts)
 *   --server PATH  the server bundle to measure (default dist/server.js): compare two builds
 *   --runs N       runs per figure (default 5; the 1 MB lint 3)
 *
 * Inputs: seed 004 (22 KB, test/fixtures/seeds) and synthetic contracts built from the
 * 特記事項 template by bench/synthetic.ts (1 MB and 200 KB).
 *
 * The dictionary cache (server/src/engine/tokenizer/dictionaryCache.ts) lives in temporary
 * directories, never the user's: empty for a "first start", filled by one unmeasured run for a
 * "later start" (what every start but the first is). The 1 MB server and the command-line rows
 * are later starts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { adversarialInputs, revisedEveryThirdLine } from './adversarial';
import { keiyakuCli, keiyakuDiffCli, textlintAvailable, textlintCli, warmCliCache, type CliFigures } from './cli';
import { dictionaryFigures } from './dictionary';
import { engineFigures, MISSING_HEADING } from './engine';
import { bigSession, coldStart, type BigSession, type ColdStart } from './lsp';
import { machine, median, MiB, ms, percentile, seconds } from './stats';
import { syntheticContract } from './synthetic';
import { parseDocument } from '../server/src/engine/model/parser';

/**
 * Edits at the start of each server session left out of the "warmed" figures: a fresh server's
 * first edits run code the open did not (memo replays), interpreted until V8 has compiled it —
 * they take 2–3× the later ones. Both are reported; the targets are read on all edits.
 */
const WARMUP_EDITS = 5;

/** The edits of each session after its first WARMUP_EDITS. */
function warmed(sessions: readonly BigSession[]): number[] {
  return sessions.flatMap((x) => x.editMs.slice(WARMUP_EDITS));
}

/** Whether a text has articles or annexes to compare. */
function hasUnits(a: { text: string }): boolean {
  const d = parseDocument(a.text);
  return d.articles.length + d.annexes.length > 0;
}

const ROOT = path.resolve(__dirname, '..', '..');
const SEED = path.join(ROOT, 'test', 'fixtures', 'seeds', '004_5803deb95195d81e.txt');

interface Row {
  section: string;
  what: string;
  value: string;
}

function parseArgs(argv: string[]): { quick: boolean; only: Set<string>; server?: string; runs: number } {
  const out = { quick: false, only: new Set(['dictionary', 'cold', 'engine', 'server', 'cli', 'adversarial']), server: undefined as string | undefined, runs: 5 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') out.quick = true;
    else if (a === '--only') out.only = new Set(argv[++i].split(','));
    else if (a === '--server') out.server = path.resolve(argv[++i]);
    else if (a === '--runs') out.runs = Math.max(1, Number(argv[++i]));
    else {
      console.error(`bench: unknown option ${a}`);
      process.exit(2);
    }
  }
  if (out.quick) out.runs = Math.min(out.runs, 3);
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const before = machine();
  const started = new Date();
  const rows: Row[] = [];
  const results: Record<string, unknown> = {};
  const row = (section: string, what: string, value: string): void => {
    rows.push({ section, what, value });
    console.error(`  ${section}: ${what}: ${value}`); // progress (stderr)
  };
  const seed = fs.readFileSync(SEED, 'utf8');
  const big = syntheticContract(MiB);
  const mid = syntheticContract(200 * 1024);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keiyaku-bench-'));
  const files = {
    sentence: path.join(tmp, 'sentence.txt'),
    seed: path.join(tmp, 'seed-004.txt'),
    k200: path.join(tmp, 'synthetic-200k.txt'),
    m1: path.join(tmp, 'synthetic-1m.txt'),
  };
  fs.writeFileSync(files.sentence, '受注者は、事故が発生したときは、速やかに発注者に報告しなければならない。\n');
  fs.writeFileSync(files.seed, seed);
  fs.writeFileSync(files.k200, mid);
  fs.writeFileSync(files.m1, big);
  const bigMB = (Buffer.byteLength(big) / MiB).toFixed(2);
  // The dictionary cache of the later starts (1 MB server, command line): filled once, here.
  const warmCache = path.join(tmp, 'dict-cache-warm');

  try {
    if ((args.only.has('server') || args.only.has('cli') || args.only.has('adversarial')) && !warmCliCache(ROOT, files.sentence, warmCache)) {
      throw new Error(`bench: the CLI did not write its dictionary cache into ${warmCache}`);
    }
    if (args.only.has('cold')) {
      // Interleaved: no cache (kuromoji reads the .gz), first start (empty cache directory), later start.
      const modes = { stock: [] as ColdStart[], first: [] as ColdStart[], later: [] as ColdStart[] };
      for (let i = 0; i < args.runs; i++) {
        const dir = path.join(tmp, `dict-cache-cold-${i}`);
        modes.stock.push(await coldStart(seed, false, args.server));
        modes.first.push(await coldStart(seed, dir, args.server));
        modes.later.push(await coldStart(seed, dir, args.server));
      }
      const expected = { stock: 'disabled', first: 'created', later: 'used' } as const;
      for (const m of ['stock', 'first', 'later'] as const) {
        const bad = modes[m].find((r) => !r.cacheLog.startsWith(`dictionary cache: ${expected[m]}`));
        if (bad) throw new Error(`bench: cold start (${m}): ${bad.cacheLog}`);
      }
      const fig = (m: keyof typeof modes) => ({
        firstMs: median(modes[m].map((r) => r.firstMs)),
        tokensMs: median(modes[m].map((r) => r.tokensMs)),
        peakMiB: median(modes[m].map((r) => r.peakMiB)),
      });
      const c = { stock: fig('stock'), first: fig('first'), later: fig('later') };
      results.coldStart = { runs: modes, ...c };
      const three = (f: (x: (typeof c)['stock']) => string) => `${f(c.stock)} / ${f(c.first)} / ${f(c.later)}`;
      row('cold start', `spawn server → first diagnostics, seed 004 (22 KB) [${args.runs} runs each]`, ms(c.later.firstMs));
      row('cold start', 'spawn server → diagnostics with tokens: no dictionary cache / first start / later start', three((x) => ms(x.tokensMs)));
      row('cold start', 'server peak RSS then (first start: cache written): no cache / first / later', three((x) => `${x.peakMiB.toFixed(0)} MiB`));
    }

    if (args.only.has('engine')) {
      const runs = Math.min(args.runs, 3);
      const e = await engineFigures(big, runs);
      results.engine = e;
      row('1 MB engine', `full lint of the ${bigMB} MB synthetic contract, nothing memoised [${runs} runs]`, `${ms(e.lintColdMs)} (${e.lintColdMBps.toFixed(2)} MB/s)`);
      row('1 MB engine', 'raw kuromoji tokenize of the same text, line by line', `${ms(e.tokeniseMs)} (${((e.chars / e.tokeniseMs) * 1000).toFixed(0)} chars/s)`);
      row('1 MB engine', 'the engine’s tokenizer (same tokens; lattice.ts, no cache), same lines', `${ms(e.tokeniseOursMs)} (${((e.chars / e.tokeniseOursMs) * 1000).toFixed(0)} chars/s)`);
      row('1 MB engine', 'ratio lint / tokenise', e.ratio.toFixed(2));
      row('1 MB engine', 're-lint of the same text, tokens and per-block findings memoised', ms(e.lintWarmMs));
      row('1 MB engine', 'lintAsync, nothing memoised: total / longest synchronous slice', `${ms(e.asyncColdMs)} / ${ms(e.asyncLongestSliceMs)}`);
      row('1 MB engine', 'lintAsync after a one-character edit: total / longest slice', `${ms(e.asyncEditMs)} / ${ms(e.asyncEditLongestSliceMs)}`);
      const stages = e.editStages.filter((x) => x.ms >= 1);
      row(
        '1 MB engine',
        `an edit's lint by stage, the stages of 1 ms or more [${e.editStagesCount} of the server bench's edits, in process]`,
        stages.map((x) => `${x.stage.replace(/^rule /, '')} ${x.ms.toFixed(1)}`).join(' · '),
      );
      const missing = e.editStagesMissing.filter((x) => x.ms >= 1);
      row(
        '1 MB engine',
        `  the same, every article 「${MISSING_HEADING}」 taken out (a draft missing a standard article)`,
        missing.map((x) => `${x.stage.replace(/^rule /, '')} ${x.ms.toFixed(1)}`).join(' · '),
      );
    }

    if (args.only.has('server')) {
      // several sessions (a fresh server each); the edits are spread over them and pooled
      const sessions = args.quick ? 1 : 3;
      const edits = args.quick ? 20 : 50;
      const per = Math.ceil(edits / sessions);
      const ss: BigSession[] = [];
      for (let i = 0; i < sessions; i++) ss.push(await bigSession(big, per, warmCache, args.server));
      const editMs = ss.flatMap((s) => s.editMs);
      const m = (f: (s: (typeof ss)[number]) => number) => median(ss.map(f));
      const s = {
        sessions: ss,
        openFirstMs: m((x) => x.openFirstMs),
        openTokensMs: m((x) => x.openTokensMs),
        pingMedianMs: m((x) => x.pingMedianMs),
        pingMaxMs: m((x) => x.pingMaxMs),
        editMedianMs: median(editMs),
        editP95Ms: percentile(editMs, 95),
        warmedEdits: warmed(ss).length,
        warmedMedianMs: median(warmed(ss)),
        warmedP95Ms: percentile(warmed(ss), 95),
        peakMiB: m((x) => x.peakMiB),
        peakAfterOpenMiB: m((x) => x.peakAfterOpenMiB),
        editCpuMs: m((x) => x.editCpuMs),
        serverLintMedianMs: median(ss.flatMap((x) => x.serverLintMs)),
        diagnostics: m((x) => x.diagnostics),
        payloadMiB: m((x) => x.payloadBytes) / 1048576,
      };
      results.server = s;
      row('1 MB server', `didOpen → first diagnostics (structural) [${sessions} session${sessions > 1 ? 's' : ''}, ${bigMB} MB, dictionary cache warm]`, ms(s.openFirstMs));
      row('1 MB server', 'didOpen → diagnostics with tokens (tokenizer load included)', ms(s.openTokensMs));
      row('1 MB server', 'request latency while that runs: median / max', `${ms(s.pingMedianMs)} / ${ms(s.pingMaxMs)}`);
      row('1 MB server', `one-character edit → new diagnostics: median / p95 [${editMs.length} edits]`, `${ms(s.editMedianMs)} / ${ms(s.editP95Ms)}`);
      row('1 MB server', `  the same after each session's first ${WARMUP_EDITS} edits (the code compiled by then): median / p95 [${s.warmedEdits} edits]`, `${ms(s.warmedMedianMs)} / ${ms(s.warmedP95Ms)}`);
      row('1 MB server', '  of which the server\'s own lint (its log), median', ms(s.serverLintMedianMs));
      row('1 MB server', '  the server\'s CPU time per edit (all its threads, the collector\'s included)', ms(s.editCpuMs));
      row('1 MB server', 'diagnostics published after each edit', `${s.diagnostics} (${s.payloadMiB.toFixed(2)} MiB of JSON)`);
      row('1 MB server', 'server peak RSS (VmHWM): by the end of the open / of the session', `${s.peakAfterOpenMiB.toFixed(0)} / ${s.peakMiB.toFixed(0)} MiB`);

      // the same edits in a contract of a size drafters do edit (the 1 MB one is the stress case)
      const midSessions: BigSession[] = [];
      for (let i = 0; i < sessions; i++) midSessions.push(await bigSession(mid, per, warmCache, args.server));
      const midEdits = midSessions.flatMap((x) => x.editMs);
      const sm = {
        editMedianMs: median(midEdits),
        editP95Ms: percentile(midEdits, 95),
        warmedMedianMs: median(warmed(midSessions)),
        warmedP95Ms: percentile(warmed(midSessions), 95),
        serverLintMedianMs: median(midSessions.flatMap((x) => x.serverLintMs)),
        editMs: midEdits,
      };
      results.serverMid = sm;
      row('200 KB server', `one-character edit → new diagnostics: median / p95 [${midEdits.length} edits, ${sessions} session${sessions > 1 ? 's' : ''}]`, `${ms(sm.editMedianMs)} / ${ms(sm.editP95Ms)}`);
      row('200 KB server', `  the same after each session's first ${WARMUP_EDITS} edits: median / p95 [${warmed(midSessions).length} edits]`, `${ms(sm.warmedMedianMs)} / ${ms(sm.warmedP95Ms)}`);
      row('200 KB server', "  of which the server's own lint (its log), median", ms(sm.serverLintMedianMs));
    }

    if (args.only.has('dictionary')) {
      // every fixture, the synthetic 200 KB, and random text over kana, kanji, Latin, digits and symbols
      const inputs = [seed, mid];
      for (const dir of ['seeds', 'dev-cases', 'style', 'refs', 'revisions', 'forms']) {
        const d = path.join(ROOT, 'test', 'fixtures', dir);
        if (!fs.existsSync(d)) continue;
        for (const f of fs.readdirSync(d)) if (f.endsWith('.txt')) inputs.push(fs.readFileSync(path.join(d, f), 'utf8'));
      }
      let x = 12345;
      const rnd = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
      const ranges: Array<[number, number]> = [[0x3041, 0x3096], [0x30a1, 0x30fa], [0x4e00, 0x9fa5], [0x21, 0x7e], [0xff10, 0xff5a], [0x3000, 0x303f]];
      for (let k = 0; k < 200; k++) {
        let t = '';
        for (let i = 0; i < 300; i++) {
          const [a, b] = ranges[Math.floor(rnd() * ranges.length)];
          t += String.fromCharCode(a + Math.floor(rnd() * (b - a)));
        }
        inputs.push(t);
      }
      const d = dictionaryFigures(ROOT, inputs, args.runs);
      results.dictionary = d;
      row('dictionary', 'kuromoji files: gzipped (shipped) / the cache (decompressed, zero padding trimmed)', `${d.gzMiB.toFixed(1)} / ${d.cacheMiB.toFixed(1)} MiB`);
      const label = { stock: 'no cache (kuromoji gunzips)', first: 'first start (empty cache dir)', later: 'later start (cache present)' };
      for (const m of ['stock', 'first', 'later'] as const) {
        const f = d.modes[m];
        const written = f.cacheWrittenMs !== undefined ? `; cache written at ${ms(f.cacheWrittenMs)}` : '';
        row('dictionary', `process start → tokenizer built, ${label[m]} [${args.runs} runs]`, `${ms(f.readyMs)}, RSS ${f.rssMiB.toFixed(0)} MiB (peak ${f.peakMiB.toFixed(0)})${written}`);
      }
      row('dictionary', `same tokens on ${inputs.length} inputs (fixtures, 200 KB, random text)`, d.identical ? 'yes' : 'NO — different tokens');
    }

    if (args.only.has('cli')) {
      const cli: Record<string, { keiyaku: CliFigures; textlint?: CliFigures; note?: string }> = {};
      const tl = textlintAvailable(ROOT);
      const targets: Array<[string, string, number, number]> = [
        // label, file, runs, textlint runs
        ['one sentence', files.sentence, args.runs, args.runs],
        ['seed 004 (22 KB)', files.seed, args.runs, Math.min(args.runs, 3)],
        ['synthetic 200 KB', files.k200, Math.min(args.runs, 3), args.quick ? 0 : 1],
        [`synthetic ${bigMB} MB`, files.m1, Math.min(args.runs, 3), 0],
      ];
      for (const [label, file, runs, tlRuns] of targets) {
        const k = keiyakuCli(ROOT, file, runs, warmCache);
        const entry: (typeof cli)[string] = { keiyaku: k };
        cli[label] = entry;
        row('command line', `keiyaku-lint ${label} [${k.runs} runs, dictionary cache warm]`, k.note ?? `${seconds(k.ms)}, peak ${k.peakMiB.toFixed(0)} MiB`);
        if ('note' in tl) {
          entry.note = tl.note;
          row('command line', `textlint ${label}`, tl.note);
        } else if (tlRuns === 0) {
          entry.note = label.includes('MB') ? 'not run: textlint takes minutes here (its sentence splitter is quadratic in paragraphs)' : 'not run (--quick)';
          row('command line', `textlint ${label}`, entry.note);
        } else {
          const t = textlintCli(ROOT, tl.bin, file, tlRuns, 900_000);
          entry.textlint = t;
          const speedup = t.ms / k.ms;
          row('command line', `textlint + preset-ja-technical-writing ${label} [${t.runs} run${t.runs === 1 ? '' : 's'}]`, t.note ?? `${seconds(t.ms)}, peak ${t.peakMiB.toFixed(0)} MiB → keiyaku-lint ×${speedup.toFixed(1)} faster`);
        }
      }
      results.cli = cli;
    }

    if (args.only.has('adversarial')) {
      const adv: Record<string, CliFigures> = {};
      const runs = Math.min(args.runs, 3);
      for (const a of adversarialInputs()) {
        const file = path.join(tmp, `adversarial-${Object.keys(adv).length}.txt`);
        fs.writeFileSync(file, a.text);
        const k = keiyakuCli(ROOT, file, runs, warmCache, 120_000);
        adv[a.name] = k;
        const size = `${(Buffer.byteLength(a.text) / MiB).toFixed(2)} MB`;
        row('adversarial', `keiyaku-lint, ${a.name}, ${size} [${k.runs} runs]`, k.note ?? `${seconds(k.ms)}, peak ${k.peakMiB.toFixed(0)} MiB`);
      }
      results.adversarial = adv;
      // the same inputs as two revisions: against themselves with every third line changed
      const advDiff: Record<string, CliFigures> = {};
      // (the inputs without articles are refused, as they should be: nothing to compare)
      for (const a of adversarialInputs().filter(hasUnits)) {
        const n = Object.keys(advDiff).length;
        const oldFile = path.join(tmp, `adversarial-old-${n}.txt`);
        const newFile = path.join(tmp, `adversarial-new-${n}.txt`);
        fs.writeFileSync(oldFile, a.text);
        fs.writeFileSync(newFile, revisedEveryThirdLine(a.text));
        const k = keiyakuDiffCli(ROOT, oldFile, newFile, runs, warmCache, 300_000);
        advDiff[a.name] = k;
        row('adversarial', `keiyaku-lint diff, ${a.name}, every third line changed [${k.runs} runs]`, k.note ?? `${seconds(k.ms)}, peak ${k.peakMiB.toFixed(0)} MiB`);
      }
      results.adversarialDiff = advDiff;
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  const after = machine();
  const heading =
    `Keiyaku Lint bench — ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC — ${after.cpus} × ${after.model}, ${after.memGiB} GiB, node ${after.node}` +
    `\nload average (1/5/15 min) at start ${before.load.join(' / ')}, at end ${after.load.join(' / ')}; figures are medians`;
  const wSection = Math.max(...rows.map((r) => r.section.length));
  const wWhat = Math.max(...rows.map((r) => r.what.length));
  console.log(heading);
  console.log(`${'section'.padEnd(wSection)}  ${'what'.padEnd(wWhat)}  median`);
  console.log(`${'-'.repeat(wSection)}  ${'-'.repeat(wWhat)}  ${'-'.repeat(24)}`);
  for (const r of rows) console.log(`${r.section.padEnd(wSection)}  ${r.what.padEnd(wWhat)}  ${r.value}`);

  const out = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(out, { recursive: true });
  const json = JSON.stringify({ date: started.toISOString(), machine: { ...after, loadAtStart: before.load }, args: { ...args, only: [...args.only] }, rows, results }, null, 2);
  const stamp = started.toISOString().replace(/[:.]/g, '-').slice(0, 19);
  fs.writeFileSync(path.join(out, `bench-${stamp}.json`), json);
  fs.writeFileSync(path.join(out, 'latest.json'), json);
  console.log(`\nwritten: bench/results/bench-${stamp}.json (and latest.json)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
