/**
 * `keiyaku/blankForm` (client → server request): the blank 別記様式 「機密データの保存等に関する
 * 届出書」, for the client's 「届出書を挿入」 / "Insert notification form" command. The text comes
 * from the engine (engine/form/blank.ts), with the document's own line breaks.
 */
import type { Connection } from 'vscode-languageserver';
import { blankFormText } from '../engine/form/blank';

export const BLANK_FORM_REQUEST = 'keiyaku/blankForm';

export interface BlankFormParams {
  uri: string;
}

export interface BlankFormResult {
  /** The blank form, one line per field, ending with a line break. */
  text: string;
}

/** The blank form for a document whose text is `documentText` (CRLF when the document uses it). */
export function blankFormFor(documentText: string | undefined): BlankFormResult {
  const eol = documentText !== undefined && /\r\n/.test(documentText) ? '\r\n' : '\n';
  return { text: blankFormText({ eol }) };
}

/**
 * Answers `keiyaku/blankForm`; `textOf` gives the text of an open document (undefined if not
 * open). Never throws: a failure is logged and answered with null.
 */
export function registerBlankForm(connection: Connection, textOf: (uri: string) => string | undefined): void {
  connection.onRequest(BLANK_FORM_REQUEST, (params: BlankFormParams): BlankFormResult | null => {
    try {
      const uri = typeof params?.uri === 'string' ? params.uri : undefined;
      return blankFormFor(uri !== undefined ? textOf(uri) : undefined);
    } catch (e) {
      connection.console.error(`${BLANK_FORM_REQUEST} failed: ${e instanceof Error ? e.message : String(e)}`);
      return null;
    }
  });
}
