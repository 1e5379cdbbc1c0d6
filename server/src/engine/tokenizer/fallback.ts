import { charClass, CharClass, isHighSurrogate, isLowSurrogate } from './chunker';
import type { Token } from './types';

/**
 * The tokenisation used when kuromoji fails on a piece of text: one token per run of characters
 * of the same coarse class (kanji, hiragana, katakana, digits, Latin letters, whitespace, other),
 * with a guessed part of speech. Coarse, but it covers the text contiguously, so offsets stay right
 * and rules keep working on the rest of the document. Never throws.
 */
export function fallbackTokenize(text: string, offset = 0): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const cls = charClass(text.charCodeAt(i));
    let j = i + 1;
    while (j < n) {
      const code = text.charCodeAt(j);
      // Keep a surrogate pair together whatever its class.
      if (isLowSurrogate(code) && isHighSurrogate(text.charCodeAt(j - 1))) {
        j++;
        continue;
      }
      if (charClass(code) !== cls || cls === 'other') break;
      j++;
    }
    const surface = text.slice(i, j);
    const [pos, pos1] = FALLBACK_POS[cls];
    tokens.push({ surface, base: surface, reading: undefined, pos, pos1, conjugatedForm: '*', start: offset + i, end: offset + j });
    i = j;
  }
  return tokens;
}

const FALLBACK_POS: Record<CharClass, [string, string]> = {
  space: ['記号', '空白'],
  other: ['記号', '一般'],
  digit: ['名詞', '数'],
  hiragana: ['名詞', '一般'],
  katakana: ['名詞', '一般'],
  kanji: ['名詞', '一般'],
  alpha: ['名詞', '一般'],
};
