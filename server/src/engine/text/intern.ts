/**
 * One string object per distinct block text, across edits.
 *
 * Every lint re-parses the document and cuts new block texts from it. The memos keyed by those
 * texts (tokens, rule findings, normalised bodies, alignment scores) then hash each new string
 * and, on a hit, compare it character by character with the stored key — once per lookup, and a
 * block is looked up by several memos. Interning a block text once per lint, against the texts
 * of recent lints, hands every later lookup the very string object stored as the key: V8 compares
 * identical strings by pointer and keeps their hash. The copy kept is detached (detach.ts), so it
 * keeps no document alive.
 *
 * Bounded by total length: two generations of at most `INTERN_MAX_CHARS` each; a text met in the
 * older one moves to the newer, and when the newer is full the older is dropped.
 *
 * Engine code: imports nothing from vscode or the LSP libraries.
 */
import { detach } from './detach';

/** Per generation; a 2 MB document's block texts fit in one. */
export const INTERN_MAX_CHARS = 4_000_000;
/** Texts shorter than this are not worth a lookup (V8 copies short slices anyway). */
const MIN_LENGTH = 13;

let current = new Map<string, string>();
let currentChars = 0;
let previous = new Map<string, string>();
let hits = 0;
let misses = 0;

/** The kept string equal to `s` (the first one interned, detached), or `s` kept from now on. */
export function intern(s: string): string {
  if (s.length < MIN_LENGTH) return s;
  const hit = current.get(s);
  if (hit !== undefined) {
    hits++;
    return hit;
  }
  let kept = previous.get(s);
  if (kept !== undefined) {
    hits++;
    previous.delete(s);
  } else {
    misses++;
    kept = detach(s);
  }
  if (currentChars + s.length > INTERN_MAX_CHARS) {
    previous = current;
    current = new Map();
    currentChars = 0;
  }
  current.set(kept, kept);
  currentChars += s.length;
  return kept;
}

/**
 * What a long-lived key should hold for `s`: the interned string equal to it when there is one
 * (so that lookups with the interned block texts compare by pointer), else a detached copy. Does
 * not intern `s`: a cache may hold texts the parser never cut.
 */
export function keptKey(s: string): string {
  if (s.length < MIN_LENGTH) return s;
  return current.get(s) ?? previous.get(s) ?? detach(s);
}

/**
 * Lookups answered with a kept string (hits) or keeping a new one (misses), and what is kept.
 * String identity is not observable in JavaScript: tests read these counters instead.
 */
export function internStats(): { hits: number; misses: number; entries: number; chars: number } {
  let chars = currentChars;
  for (const k of previous.keys()) chars += k.length;
  return { hits, misses, entries: current.size + previous.size, chars };
}

/** Forgets every interned text and the counters (tests). */
export function resetIntern(): void {
  current = new Map();
  previous = new Map();
  currentChars = 0;
  hits = 0;
  misses = 0;
}
