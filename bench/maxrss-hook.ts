/**
 * Preloaded (`node --require out/bench/maxrss-hook.js …`) into a command-line process the bench
 * runs: at exit, writes the process's peak resident set size (KiB; stats.ts selfPeakRssKiB) to
 * $BENCH_MAXRSS_FILE.
 */
import * as fs from 'node:fs';
import { selfPeakRssKiB } from './stats';

const file = process.env.BENCH_MAXRSS_FILE;
if (file) {
  process.on('exit', () => {
    try {
      fs.writeFileSync(file, String(selfPeakRssKiB()));
    } catch {
      // the bench reports n/a
    }
  });
}
