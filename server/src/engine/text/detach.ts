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
  return s.length < 13 ? s : Buffer.from(s, 'utf16le').toString('utf16le');
}
