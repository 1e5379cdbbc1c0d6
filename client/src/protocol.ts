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

export interface CanonicalTextParams {
  uri: string;
}

export interface CanonicalArticle {
  /** The unit's number as written in the template, e.g. 「第3条」 or 「第１４」. */
  ref: string;
  /** The unit's label in the template, what keiyaku/insertArticleEdit takes: 「第3条」, 「第14」, 「別紙」. */
  label?: string;
  heading?: string;
  /** The article's full text, heading line included, as the template writes it. */
  text: string;
  /** The draft's counterpart as the draft numbers it, when the draft has one. */
  draftRef?: string;
}

/** The canonical text the document is compared with; null when no template applies. */
export interface CanonicalTextResult {
  template: string;
  /** Display name of the template, e.g. 「情報セキュリティに関する特記事項」. */
  name?: string;
  /** The canonical text in the draft's order and numbering (what the compare view shows). */
  text: string;
  /** The template's own text. */
  original?: string;
  articles?: CanonicalArticle[];
  annexes?: CanonicalArticle[];
}

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
