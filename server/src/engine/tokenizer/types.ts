/** The tokenizer contract the engine uses (implemented over kuromoji in tokenizer/kuromoji.ts). */

export interface Token {
  /** Surface form as it appears in the tokenised string. */
  surface: string;
  /** Dictionary (base) form; the surface when kuromoji has none ('*'). */
  base: string;
  /** Reading in katakana, when known. */
  reading?: string;
  /** Part of speech (品詞), e.g. 名詞, 動詞, 助動詞, 助詞. */
  pos: string;
  /** 品詞細分類1, e.g. 格助詞, 固有名詞; '*' when none. */
  pos1: string;
  /** 活用形, e.g. 基本形, 連用形; '*' when none. */
  conjugatedForm: string;
  /** Offsets of the token in the string given to `tokenize` (UTF-16, half-open). */
  start: number;
  end: number;
}

export interface Tokenizer {
  /**
   * Tokenises a string (typically one paragraph). Results are cached per string in a bounded
   * cache, so repeated calls on unchanged paragraphs are cheap. Never throws on any input.
   * The returned array and its tokens may be shared with other callers (the kuromoji
   * implementation freezes them): copy before changing.
   */
  tokenize(text: string): Token[];
  /**
   * Lets go of cached results beyond `chars` of input, the least recently used first; the cache
   * may grow back to its bound. For a front end that keeps findings, not tokens, between edits.
   * Returns the input length whose results are still cached.
   */
  trimCache?(chars: number): number;
}
