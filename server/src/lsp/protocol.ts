/**
 * Keiyaku Lint's own LSP messages, shared by the server and the client. Plain types and method
 * names only (no imports), so the client can use them without pulling in server code.
 */

export type TokenizerStatus = 'loading' | 'ready' | 'failed';

/**
 * `keiyaku/status` (server → client notification), sent after each lint of a document, and for
 * every linted document when the tokenizer state changes. The client keeps the last status per
 * URI and shows the active editor's in a language status item.
 */
export interface StatusParams {
  uri: string;
  /** Document version the status describes. */
  version: number;
  /** Whether the document is linted at all (false: not a contract, language not enabled). */
  linted: boolean;
  /** The template the document was compared with, or null (none detected, not linted). */
  template: string | null;
  counts: { error: number; warning: number; information: number; hint: number };
  tokenizer: TokenizerStatus;
}

export const STATUS_NOTIFICATION = 'keiyaku/status';
