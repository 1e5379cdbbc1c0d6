/**
 * A least-recently-used cache keyed by strings and bounded by the total length of its keys
 * (UTF-16 units), not by the number of entries: one cached 1 MB paragraph weighs as much as a
 * thousand short ones. An unbounded per-paragraph cache leaked memory in textlint-ja.
 */
import { keptKey } from '../text/intern';

export interface CacheStats {
  /** Lookups answered from the cache. */
  hits: number;
  /** Lookups that were not. */
  misses: number;
  /** Entries evicted to stay within the bound. */
  evictions: number;
  /** Entries held. */
  entries: number;
  /** Total key length held (UTF-16 units); never above `maxChars`. */
  size: number;
  /** The bound. */
  maxChars: number;
}

interface Slot<V> {
  value: V;
  /** Read since it was (re)inserted. */
  used: boolean;
}

export class CharBoundedLru<V> {
  /**
   * Second-chance ("clock") LRU: a hit only marks its entry (no Map delete + set — that churn was
   * the cache's main cost when every rule reads the same blocks); eviction walks from the oldest
   * insertion, moves marked entries to the back (unmarked) and evicts the first unmarked one.
   */
  private readonly map = new Map<string, Slot<V>>();
  private size = 0;
  private hits = 0;
  private misses = 0;
  private evictions = 0;

  constructor(private maxChars: number) {
    this.maxChars = normaliseBound(maxChars);
  }

  /** The bound (UTF-16 units of keys); 0 when the cache keeps nothing. */
  get bound(): number {
    return this.maxChars;
  }

  get(key: string): V | undefined {
    const slot = this.map.get(key);
    if (slot === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    slot.used = true;
    return slot.value;
  }

  /** The value without counting a lookup or marking the entry as used. */
  peek(key: string): V | undefined {
    return this.map.get(key)?.value;
  }

  /** Stores `value`; a key longer than the whole bound is not stored. */
  set(key: string, value: V): void {
    const old = this.map.get(key);
    if (old !== undefined) {
      this.map.delete(key);
      this.size -= key.length;
    }
    if (key.length > this.maxChars) return;
    // a key cut from a document must not keep the whole document alive while it is cached; the
    // interned copy when there is one, so that lookups with interned block texts compare by pointer
    this.map.set(keptKey(key), { value, used: false });
    this.size += key.length;
    if (this.size > this.maxChars) this.evict();
  }

  /**
   * Evicts, in eviction order, until the cache holds at most `chars`; the bound stays (the cache
   * may grow back to it). Returns what it holds then (UTF-16 units of keys).
   */
  trim(chars: number): number {
    const bound = this.maxChars;
    this.maxChars = Math.min(bound, normaliseBound(chars));
    this.evict();
    this.maxChars = bound;
    return this.size;
  }

  /** Changes the bound, evicting at once if the cache is now over it. */
  setMaxChars(maxChars: number): void {
    this.maxChars = normaliseBound(maxChars);
    this.evict();
  }

  clear(): void {
    this.map.clear();
    this.size = 0;
  }

  /** Clears the counters (not the entries). */
  resetStats(): void {
    this.hits = this.misses = this.evictions = 0;
  }

  stats(): CacheStats {
    return {
      hits: this.hits,
      misses: this.misses,
      evictions: this.evictions,
      entries: this.map.size,
      size: this.size,
      maxChars: this.maxChars,
    };
  }

  private evict(): void {
    while (this.size > this.maxChars) {
      const oldest = this.map.entries().next();
      if (oldest.done) break;
      const [key, slot] = oldest.value;
      this.map.delete(key);
      if (slot.used) {
        // read since it was inserted: a second chance at the back
        slot.used = false;
        this.map.set(key, slot);
        continue;
      }
      this.size -= key.length;
      this.evictions++;
    }
  }
}

/**
 * One CharBoundedLru per tag (the party names a text was normalised with…), each bounded by
 * `maxChars`; past `maxTags` tags all are dropped and started afresh.
 */
export class TaggedLru<V> {
  private readonly byTag = new Map<string, CharBoundedLru<V>>();

  constructor(
    private readonly maxChars: number,
    private readonly maxTags = 8,
  ) {}

  of(tag: string): CharBoundedLru<V> {
    let lru = this.byTag.get(tag);
    if (!lru) {
      if (this.byTag.size >= this.maxTags) this.byTag.clear();
      this.byTag.set(tag, (lru = new CharBoundedLru<V>(this.maxChars)));
    }
    return lru;
  }

  clear(): void {
    this.byTag.clear();
  }
}

function normaliseBound(maxChars: number): number {
  return Number.isFinite(maxChars) && maxChars > 0 ? Math.floor(maxChars) : 0;
}
