/**
 * Which open documents the server lints.
 *
 * - language `keiyaku`: always;
 * - a language listed in `keiyakuLint.languages`: always;
 * - `plaintext` and `markdown`: only when the text looks like a contract — a title line with
 *   特約条項 or 特記事項, or at least two lines that start with an article number
 *   (第N条 / 第N, with half-width, full-width or kanji digits);
 * - anything else: never (no diagnostics, an empty pull result).
 */

export const CONTRACT_LANGUAGE = 'keiyaku';
const SNIFFED_LANGUAGES = new Set(['plaintext', 'markdown']);

/** Lines looked at for a title. A title sits at the top, after at most a short cover. */
const TITLE_SCAN_LINES = 40;
/** A title is a short line: longer lines are sentences that merely mention 特記事項. */
const TITLE_MAX_CHARS = 60;
const TITLE_WORD = /特約条項|特記事項/;
/** Markdown heading marks, list bullets and brackets that may precede a title. */
const TITLE_PREFIX = /^[#>*\-\s\u3000]*/;

/**
 * An article number at the start of a line: 第1条, 第１, 第十二条, 第 10, 第3条の2 …
 * followed by 条/條, a space, a heading bracket or the end of the line — so that 第1回 or
 * 第2四半期 do not count.
 */
const ARTICLE_LINE = /^[ \t\u3000]*(?:#{1,6}[ \t]+)?第[ \t\u3000]?[0-9０-９一二三四五六七八九十百〇]+(?:条|條|[ \t\u3000（(]|$)/gm;

export function looksLikeContract(text: string): boolean {
  if (hasTitle(text)) return true;
  ARTICLE_LINE.lastIndex = 0;
  let count = 0;
  while (ARTICLE_LINE.exec(text) !== null) {
    if (++count >= 2) return true;
    // An empty match cannot happen (the pattern needs 第), so lastIndex always advances.
  }
  return false;
}

function hasTitle(text: string): boolean {
  let start = 0;
  for (let n = 0; n < TITLE_SCAN_LINES && start <= text.length; n++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).replace(TITLE_PREFIX, '').trim();
    if (line.length > 0 && line.length <= TITLE_MAX_CHARS && TITLE_WORD.test(line) && !line.endsWith('。')) {
      return true;
    }
    start = end + 1;
  }
  return false;
}

/** Whether a document of this language and text is linted under the `languages` setting. */
export function shouldLint(languageId: string, text: string, languages: readonly string[]): boolean {
  if (languageId === CONTRACT_LANGUAGE) return true;
  if (languages.includes(languageId)) return true;
  if (SNIFFED_LANGUAGES.has(languageId)) return looksLikeContract(text);
  return false;
}
