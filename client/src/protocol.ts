/**
 * The custom messages between the extension client and the Keiyaku Lint language server.
 * The client may import only `vscode` and `vscode-languageclient`, so these shapes are declared
 * here rather than imported from the server; the server must send and answer exactly these.
 */
import { NotificationType, RequestType, type WorkspaceEdit } from 'vscode-languageclient/node';

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

/** keiyaku/canonicalText: the server's own types (type-only: nothing of the server is bundled). */
import type { CanonicalTextParams, CanonicalTextResult } from '../../server/src/lsp/canonical';
export type { CanonicalArticle, CanonicalTextParams, CanonicalTextResult } from '../../server/src/lsp/canonical';

export const CanonicalTextRequest = new RequestType<CanonicalTextParams, CanonicalTextResult | null, void>(
  'keiyaku/canonicalText',
);

export interface InsertArticleEditParams {
  uri: string;
  /** CanonicalArticle.label */
  label: string;
  /** Move the later articles down one and rewrite the references to them. */
  renumber?: boolean;
  /** The document version the edit is asked for: the server answers null for another one. */
  version?: number;
}

/** The edit inserting one canonical article where it belongs (LSP WorkspaceEdit), or null. */
export const InsertArticleEditRequest = new RequestType<InsertArticleEditParams, WorkspaceEdit | null, void>(
  'keiyaku/insertArticleEdit',
);

/** The code action kind of "fix all auto-fixable problems" (also used by editor.codeActionsOnSave). */
export const FIX_ALL_KIND = 'source.fixAll.keiyaku';
