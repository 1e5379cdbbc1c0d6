/**
 * The custom messages between the extension client and the Keiyaku Lint language server.
 * The client may import only `vscode` and `vscode-languageclient`, so these shapes are declared
 * here rather than imported from the server; the server must send and answer exactly these.
 */
import { NotificationType, RequestType } from 'vscode-languageclient/node';

export interface FindingCounts {
  error: number;
  warning: number;
  information: number;
  hint: number;
}

export type TokenizerState = 'loading' | 'ready' | 'failed';

/** Server → client, after each analysis of a document (and when the tokenizer's state changes). */
export interface StatusParams {
  uri: string;
  /** Document version the status describes. */
  version?: number;
  /** Whether the document is linted at all (false: not a contract, or its language is not enabled). */
  linted?: boolean;
  /** Template in use ('tokuyaku', 'tokki', a custom id), or null when none applies. */
  template: string | null;
  counts: FindingCounts;
  tokenizer: TokenizerState;
}

export const StatusNotification = new NotificationType<StatusParams>('keiyaku/status');

export interface CanonicalTextParams {
  uri: string;
}

export interface CanonicalArticle {
  /** The unit's number as written in the template, e.g. 「第3条」 or 「第１４」. */
  ref: string;
  heading?: string;
  /** The article's full text, heading line included, ready to insert. */
  text: string;
}

/** The canonical text the document is compared with; null when no template applies. */
export interface CanonicalTextResult {
  template: string;
  /** Display name of the template, e.g. 「情報セキュリティに関する特記事項」. */
  name?: string;
  text: string;
  articles?: CanonicalArticle[];
}

export const CanonicalTextRequest = new RequestType<CanonicalTextParams, CanonicalTextResult | null, void>(
  'keiyaku/canonicalText',
);

/** The code action kind of "fix all auto-fixable problems" (also used by editor.codeActionsOnSave). */
export const FIX_ALL_KIND = 'source.fixAll.keiyaku';
