/** Counting a text's occurrences. Engine code: imports nothing from vscode or the LSP libraries. */

/** How many times `piece` occurs in `text`, overlapping occurrences included. */
export function occurrences(text: string, piece: string): number {
  if (piece.length === 0) return 0;
  let n = 0;
  for (let i = text.indexOf(piece); i >= 0; i = text.indexOf(piece, i + 1)) n++;
  return n;
}
