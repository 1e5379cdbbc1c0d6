/**
 * A copy of a string that shares no memory with the string it was cut from.
 *
 * V8 represents `text.slice(a, b)` (13 characters or more) as a view on `text`: a paragraph cut
 * from a 1 MB document keeps the whole document alive for as long as the paragraph lives. Texts
 * that outlive their document — block texts kept as memo keys across edits — must not: each edit
 * would otherwise leave the previous version of the whole document in memory. Copies longer
 * strings only (shorter slices are copies already).
 *
 * Engine code: imports nothing from vscode or the LSP libraries.
 */
export function detach(s: string): string {
  // ' ' + s is a rope over s; slicing it makes V8 flatten the rope into a new flat string and
  // return a view on that copy: nothing of s's parent is kept. (Measured: test/unit/memo.test.ts.)
  return s.length < 13 ? s : (' ' + s).slice(1);
}
