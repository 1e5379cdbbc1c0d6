#!/usr/bin/env node
// Bundles the three front ends of Keiyaku Lint into dist/ and copies kuromoji's dictionary next
// to them (the tokenizer loads it from path.join(__dirname, 'dict') at run time).
//
//   node esbuild.mjs                 development build (sourcemaps, no minification)
//   node esbuild.mjs --production    minified, no sourcemaps (used by `npm run package`)
//   node esbuild.mjs --if-needed     skip when dist/ is newer than every source (used by `npm start`)
//   node esbuild.mjs --watch         rebuild on change
//
// Exit codes: 0 built (or nothing to do), 1 build error or missing entry point, 2 bad arguments.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(root, 'dist');
const dictSource = path.join(root, 'node_modules', 'kuromoji', 'dict');
const dictTarget = path.join(dist, 'dict');
const stampFile = path.join(dist, '.build-stamp.json');

/** Every bundle: where it starts, where it goes, what it is (for error messages). */
const bundles = [
  {
    name: 'client',
    what: 'the VS Code extension client',
    entry: 'client/src/extension.ts',
    outfile: 'dist/client.js',
    external: ['vscode'],
  },
  {
    name: 'server',
    what: 'the language server',
    entry: 'server/src/server.ts',
    outfile: 'dist/server.js',
    external: [],
  },
  {
    name: 'cli',
    what: 'the command-line interface',
    entry: 'server/src/cli/main.ts',
    outfile: 'dist/cli.js',
    external: [],
    executable: true,
  },
];

/** Inputs whose change makes the bundles stale (--if-needed). */
const inputs = ['server/src', 'client/src', 'package.json', 'esbuild.mjs'];

const known = new Set(['--production', '--watch', '--if-needed']);
const args = process.argv.slice(2);
for (const a of args) {
  if (!known.has(a)) {
    console.error(`esbuild.mjs: unknown option ${a} (known: ${[...known].join(', ')})`);
    process.exit(2);
  }
}
const production = args.includes('--production');
const watch = args.includes('--watch');
const ifNeeded = args.includes('--if-needed');

function rel(p) {
  return path.relative(root, p).split(path.sep).join('/');
}

function checkEntries() {
  const missing = bundles.filter((b) => !fs.existsSync(path.join(root, b.entry)));
  if (missing.length > 0) {
    for (const b of missing) {
      console.error(`esbuild.mjs: entry point ${b.entry} (${b.what}) does not exist; cannot build ${b.outfile}.`);
    }
    process.exit(1);
  }
}

function dictFiles() {
  if (!fs.existsSync(dictSource)) {
    console.error(`esbuild.mjs: kuromoji dictionary not found at ${rel(dictSource)}; run \`npm ci\` first.`);
    process.exit(1);
  }
  return fs.readdirSync(dictSource).filter((f) => f.endsWith('.dat.gz')).sort();
}

/** Newest modification time (ms) of any file under the given paths; 0 when none exist. */
function newestInput(paths) {
  let newest = 0;
  const visit = (p) => {
    let st;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(p)) visit(path.join(p, e));
    } else {
      newest = Math.max(newest, st.mtimeMs);
    }
  };
  for (const p of paths) visit(path.join(root, p));
  return newest;
}

/** Why a build is needed, or null when the bundles are newer than every input and the dictionary is complete. */
function staleReason() {
  let oldest = Infinity;
  for (const b of bundles) {
    const o = path.join(root, b.outfile);
    if (!fs.existsSync(o)) return `${b.outfile} is missing`;
    oldest = Math.min(oldest, fs.statSync(o).mtimeMs);
  }
  for (const f of dictFiles()) {
    if (!sameSize(path.join(dictSource, f), path.join(dictTarget, f))) return `dist/dict/${f} is missing or differs`;
  }
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
  } catch {
    return 'no record of a complete last build';
  }
  // A production build serves a development request, not the other way round.
  if (production && !stamp.production) return 'the last build was a development build';
  if (newestInput(inputs) >= oldest) return 'sources changed since the last build';
  return null;
}

function sameSize(a, b) {
  try {
    return fs.statSync(a).size === fs.statSync(b).size;
  } catch {
    return false;
  }
}

/** Copies the *.dat.gz files that are missing or differ; returns how many were copied. */
function copyDictionary() {
  fs.mkdirSync(dictTarget, { recursive: true });
  let copied = 0;
  for (const f of dictFiles()) {
    const from = path.join(dictSource, f);
    const to = path.join(dictTarget, f);
    if (sameSize(from, to)) continue;
    fs.copyFileSync(from, to);
    copied++;
  }
  return copied;
}

function sourceHasHashbang(entry) {
  const head = fs.readFileSync(path.join(root, entry), 'utf8').slice(0, 2);
  return head === '#!';
}

/** Logs esbuild's start/end in the format of the esbuild problem matcher (connor4312.esbuild-problem-matchers). */
function reporter(bundle) {
  return {
    name: 'keiyaku-report',
    setup(build) {
      build.onStart(() => {
        if (watch) console.log(`[watch] build started (${bundle.name})`);
      });
      build.onEnd((result) => {
        for (const { text, location } of result.errors) {
          console.error(`✘ [ERROR] ${text}`);
          if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
        }
        if (result.errors.length === 0 && bundle.executable) {
          fs.chmodSync(path.join(root, bundle.outfile), 0o755);
        }
        if (watch) console.log(`[watch] build finished (${bundle.name})`);
      });
    },
  };
}

function options(bundle) {
  return {
    absWorkingDir: root,
    entryPoints: [bundle.entry],
    outfile: bundle.outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: bundle.external,
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    // A hashbang in the entry file is kept by esbuild; add ours only when there is none.
    banner: bundle.executable && !sourceHasHashbang(bundle.entry) ? { js: '#!/usr/bin/env node' } : undefined,
    logLevel: 'silent',
    metafile: true,
    plugins: [reporter(bundle)],
  };
}

function removeStaleMaps() {
  if (!production) return;
  for (const b of bundles) {
    fs.rmSync(path.join(root, `${b.outfile}.map`), { force: true });
  }
}

async function main() {
  checkEntries();
  if (ifNeeded && !watch) {
    const reason = staleReason();
    if (reason === null) {
      console.log('esbuild.mjs: dist/ is up to date; nothing to build.');
      return;
    }
    console.log(`esbuild.mjs: building (${reason}).`);
  }

  fs.mkdirSync(dist, { recursive: true });
  fs.rmSync(stampFile, { force: true });
  removeStaleMaps();
  const copied = copyDictionary();

  if (watch) {
    const contexts = await Promise.all(bundles.map((b) => esbuild.context(options(b))));
    await Promise.all(contexts.map((c) => c.watch()));
    console.log(`esbuild.mjs: watching ${bundles.map((b) => b.entry).join(', ')} (Ctrl+C to stop).`);
    return;
  }

  const results = await Promise.allSettled(bundles.map((b) => esbuild.build(options(b))));
  let failed = false;
  results.forEach((r, i) => {
    const b = bundles[i];
    if (r.status === 'rejected') {
      failed = true;
      console.error(`esbuild.mjs: ${b.outfile} failed (${b.entry}).`);
      return;
    }
    const bytes = fs.statSync(path.join(root, b.outfile)).size;
    console.log(`  ${b.outfile.padEnd(16)} ${(bytes / 1024).toFixed(1).padStart(8)} KB`);
  });
  if (failed) {
    process.exitCode = 1;
    return;
  }
  console.log(`  dist/dict/         ${dictFiles().length} files${copied ? ` (${copied} copied)` : ''}`);
  fs.writeFileSync(stampFile, JSON.stringify({ production, builtAt: new Date().toISOString() }) + '\n');
  console.log(`esbuild.mjs: ${production ? 'production' : 'development'} build done.`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
