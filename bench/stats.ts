/** Small helpers shared by the benchmarks: clocks, medians, percentiles, formatting. */
import * as os from 'node:os';

export function now(): number {
  return performance.now();
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The p-th percentile (0..100), nearest rank. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))];
}

/** Runs `fn` `runs` times (after `warmup` unmeasured runs) and returns every wall time (ms). */
export async function times(runs: number, fn: () => unknown | Promise<unknown>, warmup = 0): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = now();
    await fn();
    out.push(now() - t);
  }
  return out;
}

export const MiB = 1024 * 1024;

export function ms(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  return x >= 100 ? `${x.toFixed(0)} ms` : x >= 10 ? `${x.toFixed(1)} ms` : `${x.toFixed(2)} ms`;
}

export function seconds(x: number): string {
  return Number.isFinite(x) ? `${(x / 1000).toFixed(2)} s` : 'n/a';
}

/** The machine, for the table's heading and the JSON. */
export function machine(): { cpus: number; model: string; node: string; load: number[]; memGiB: number } {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    model: cpus[0]?.model?.trim() ?? 'unknown',
    node: process.version,
    load: os.loadavg().map((x) => Math.round(x * 100) / 100),
    memGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
  };
}

/**
 * Peak resident set size of this process, KiB: VmHWM from /proc/self/status where there is one.
 * Not `process.resourceUsage().maxRSS` on Linux: in a process spawned by another, that includes
 * the high-water mark of the memory it was forked with before exec — the parent's RSS — so a
 * 120 MiB CLI run spawned by a 200 MiB bench reads 200 MiB. Elsewhere it is all there is.
 */
export function selfPeakRssKiB(): number {
  try {
    const status = require('node:fs').readFileSync('/proc/self/status', 'utf8') as string;
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    if (m) return Number(m[1]);
  } catch {
    // no /proc: below
  }
  return process.resourceUsage().maxRSS;
}

/** Peak resident set size of a running process (VmHWM in /proc/PID/status), MiB; NaN when unknown. */
export function peakRssMiB(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const status = require('node:fs').readFileSync(`/proc/${pid}/status`, 'utf8') as string;
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/**
 * CPU time a running process has used so far (user + system, all its threads: the collector's
 * helpers included), ms, from /proc/PID/stat; NaN when unknown. Less sensitive than wall-clock
 * latency to a noisy machine's waits, so A/B comparisons of the server read it too.
 */
export function cpuTimeMs(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const stat = require('node:fs').readFileSync(`/proc/${pid}/stat`, 'utf8') as string;
    // fields after the command name (which may hold spaces) in parentheses: utime is the 12th, stime the 13th
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(f[11]) + Number(f[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS : NaN;
  } catch {
    return NaN;
  }
}

/** USER_HZ: 100 on every Linux Node runs on (sysconf(_SC_CLK_TCK) is not exposed to JavaScript). */
const CLOCK_TICKS = 100;
