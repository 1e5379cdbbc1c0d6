/** A small deterministic pseudo-random generator (mulberry32): a failing seed can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` of `items`, each drawn with `rnd`, joined into one string. */
export function drawJoined(rnd: () => number, items: readonly string[], count: number): string {
  let s = '';
  for (let k = 0; k < count; k++) s += items[Math.floor(rnd() * items.length)];
  return s;
}
