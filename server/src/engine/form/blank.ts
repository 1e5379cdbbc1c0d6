/**
 * The blank 別記様式 「機密データの保存等に関する届出書」 as text, one line per field — what the
 * 「届出書を挿入」 / "Insert notification form" command inserts. Taken from the published 特記事項
 * (templates/data/tokki.ts), so it is worded exactly as the form the contractor must use.
 */
import { TOKKI_TEXT } from '../templates/data/tokki';

export interface BlankFormOptions {
  /** Line break to use (default \n). */
  eol?: string;
  /** Start with the line 別記様式 (default true); false starts with the title. */
  annexHeading?: boolean;
}

/** The blank form, ending with a line break. */
export function blankFormText(options: BlankFormOptions = {}): string {
  const eol = options.eol ?? '\n';
  const lines = TOKKI_TEXT.split(/\r\n|\r|\n/);
  const start = lines.findIndex((l) => l.trim() === '別記様式');
  let form = start >= 0 ? lines.slice(start) : lines;
  while (form.length > 0 && form[form.length - 1].trim() === '') form = form.slice(0, -1);
  if (options.annexHeading === false && form[0]?.trim() === '別記様式') form = form.slice(1);
  return form.join(eol) + eol;
}
