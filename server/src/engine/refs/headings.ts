/** Comparing headings written with references against the headings of the units they name. */

import { detach } from '../text/detach';
import { CharBoundedLru } from '../tokenizer/lru';

const normalized = new CharBoundedLru<string>(400_000);

/** NFKC, no blanks, common okurigana variants folded (立ち入り → 立入), 等 kept. Memoised (headings are short and repeat). */
export function normalizeHeading(s: string): string {
  const hit = normalized.get(s);
  if (hit !== undefined) return hit;
  const n = normalizeUncached(s);
  normalized.set(s, detach(n)); // the key is detached by the LRU; the value may be `s` itself
  return n;
}

function normalizeUncached(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/[\s\u3000]/g, '')
    .replace(/[()（）]/g, '')
    .replace(/立ち入り?/g, '立入')
    .replace(/取り扱い?/g, '取扱')
    .replace(/持ち出し?/g, '持出')
    .replace(/届け出/g, '届出')
    .replace(/手続き/g, '手続')
    .replace(/申し込み?/g, '申込');
}

function bigrams(s: string): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < s.length - 1; i++) {
    const g = s.slice(i, i + 2);
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

/** Dice coefficient on character bigrams of the normalised headings (1 = same). */
export function headingSimilarity(a: string, b: string): number {
  const x = normalizeHeading(a);
  const y = normalizeHeading(b);
  if (x === y) return 1;
  if (x.length < 2 || y.length < 2) return 0;
  const bx = bigrams(x);
  const by = bigrams(y);
  let inter = 0;
  for (const [g, n] of bx) inter += Math.min(n, by.get(g) ?? 0);
  return (2 * inter) / (x.length - 1 + (y.length - 1));
}

export function sameHeading(a: string, b: string): boolean {
  return normalizeHeading(a) === normalizeHeading(b);
}
