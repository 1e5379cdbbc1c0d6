/**
 * The editor features of the language server beyond diagnostics, registered on the connection:
 * code actions (codeActions.ts), hover, go to definition, find references, document links,
 * document symbols, folding ranges, code lenses (navigation.ts), `keiyaku/insertArticleEdit`
 * and the `keiyakuLint.server.fixAll` command.
 *
 * Structural features (outline, folding, references) need only the parsed document: they use the
 * last lint when it is of the current version, else parse the text themselves (cheap, no
 * tokenizer). Hover, code lenses and code actions need the lint (template, alignment, findings)
 * of the current version and ask the server for it (cached per version, shared with the
 * diagnostics).
 */
import {
  CancellationToken,
  ClientCapabilities,
  CodeAction,
  CodeActionKind,
  CodeLensRefreshRequest,
  Connection,
  ExecuteCommandParams,
  ServerCapabilities,
  TextDocuments,
  TextDocumentEdit,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { insertAndRenumber, insertStandardUnit } from '../engine/edits';
import type { Locale } from '../engine/i18n/messages';
import type { LintResult } from '../engine/lint';
import { readDirectives } from '../engine/directives';
import { parseDocument } from '../engine/model/parser';
import type { ParsedDocument } from '../engine/model/types';
import { LineIndex } from '../engine/text/lines';
import { INSERT_ARTICLE_EDIT_REQUEST, type InsertArticleEditParams } from './canonical';
import { codeActionsFor, fixAllEdit, FIX_ALL_COMMAND, FIX_ALL_KIND, wantsFixAll, type CachedFindings } from './codeActions';
import { rangeOf } from './diagnostics';
import type { ServerLog } from './log';
import {
  codeLenses,
  definition,
  documentLinks,
  documentSymbols,
  foldingRanges,
  hover,
  references,
  symbolInformation,
  type DocView,
} from './navigation';
import { CONTRACT_LANGUAGE } from './selection';

/** One lint of one document version, as the server caches it. */
export interface AnalysedDoc extends CachedFindings {
  result: LintResult | null;
  /** Whether the document is linted at all (a contract, or a language listed in the settings). */
  linted: boolean;
}

export interface EditorHost {
  documents: TextDocuments<TextDocument>;
  locale(): Locale;
  /** The lint of the document's current version (cached per version); 'cancelled' when it changed meanwhile. */
  analyse(uri: string, token: CancellationToken): Promise<AnalysedDoc | 'cancelled' | undefined>;
  /** The last lint of the document, whatever its version (no work done). */
  cached(uri: string): AnalysedDoc | undefined;
  log: ServerLog;
}

export interface EditorFeatures {
  /** What the server advertises for these features, given the client's capabilities. */
  capabilities(c: ClientCapabilities): ServerCapabilities;
  /** Server commands these features add (for executeCommandProvider). */
  commands: readonly string[];
  /** workspace/executeCommand for one of `commands`. */
  executeCommand(params: ExecuteCommandParams): Promise<unknown>;
  /** Asks the client to re-request code lenses (the tokenizer became ready, settings changed). */
  refresh(): void;
}

export function registerEditorFeatures(connection: Connection, host: EditorHost): EditorFeatures {
  let caps = { documentChanges: false, linkSupport: false, hierarchicalSymbols: false, lensRefresh: false };
  const parsed = new Map<string, { version: number; doc: ParsedDocument; lines: LineIndex }>();

  host.documents.onDidClose((e) => parsed.delete(e.document.uri));

  /** The parsed document of the current version, or null when the document is not a contract. */
  function view(uri: string): DocView | null {
    const doc = host.documents.get(uri);
    if (!doc) return null;
    const cache = host.cached(uri);
    if (doc.languageId !== CONTRACT_LANGUAGE && !cache?.linted) return null;
    if (cache?.result && cache.version === doc.version) return { uri, doc: cache.result.document, lines: cache.lines };
    const hit = parsed.get(uri);
    if (hit && hit.version === doc.version) return { uri, doc: hit.doc, lines: hit.lines };
    const text = doc.getText();
    const lines = new LineIndex(text);
    const parsedDoc = parseDocument(text, { ignore: readDirectives(text, lines).spans });
    parsed.set(uri, { version: doc.version, doc: parsedDoc, lines });
    return { uri, doc: parsedDoc, lines };
  }

  /**
   * The lint of the current version with the current settings and tokenizer (the server answers
   * from its cache when nothing changed).
   */
  async function current(uri: string, token: CancellationToken): Promise<AnalysedDoc | undefined> {
    if (!host.documents.get(uri)) return undefined;
    const a = await host.analyse(uri, token);
    return a === 'cancelled' ? undefined : a;
  }

  function guard<P, R>(what: string, empty: R, f: (params: P, token: CancellationToken) => R | Promise<R>) {
    return async (params: P, token: CancellationToken): Promise<R> => {
      try {
        return await f(params, token);
      } catch (e) {
        host.log.error(`${what} failed: ${host.log.describe(e)}`);
        return empty;
      }
    };
  }

  function versionedEdit(uri: string, version: number, lines: LineIndex, edits: readonly { span: { start: number; end: number }; newText: string }[]): WorkspaceEdit {
    const textEdits = edits.map((e) => TextEdit.replace(rangeOf(lines, e.span), e.newText));
    if (caps.documentChanges) return { documentChanges: [TextDocumentEdit.create({ uri, version }, textEdits)] };
    return { changes: { [uri]: textEdits } };
  }

  // ------------------------------------------------------------------------------------------
  // Code actions

  connection.onCodeAction(
    guard('textDocument/codeAction', [] as CodeAction[], async (params, token) => {
      const uri = params.textDocument.uri;
      const doc = host.documents.get(uri);
      if (!doc) return [];
      let cache = host.cached(uri);
      // Fix on save asks right after the last keystrokes: lint the current version for it.
      if (wantsFixAll(params.context.only) && (!cache || cache.version !== doc.version)) cache = await current(uri, token);
      if (!cache) return [];
      return codeActionsFor(cache, params.context.diagnostics, {
        locale: host.locale(),
        documentChanges: caps.documentChanges,
        currentVersion: host.documents.get(uri)?.version ?? -1,
        only: params.context.only,
        languageId: doc.languageId,
      });
    }),
  );

  async function fixAll(params: ExecuteCommandParams): Promise<{ applied: boolean; count: number }> {
    const arg = (params.arguments?.[0] ?? {}) as { uri?: unknown; version?: unknown };
    const uri = typeof arg.uri === 'string' ? arg.uri : undefined;
    const doc = uri ? host.documents.get(uri) : undefined;
    if (!uri || !doc) return { applied: false, count: 0 };
    if (typeof arg.version === 'number' && arg.version !== doc.version) return { applied: false, count: 0 };
    const a = await current(uri, CancellationToken.None);
    if (!a) return { applied: false, count: 0 };
    const all = fixAllEdit(a, { documentChanges: caps.documentChanges, currentVersion: host.documents.get(uri)?.version ?? -1 });
    if (!all) return { applied: false, count: 0 };
    const r = await connection.workspace.applyEdit({ label: FIX_ALL_KIND, edit: all.edit });
    const ok = r?.applied === true;
    return { applied: ok, count: ok ? all.count : 0 };
  }

  // ------------------------------------------------------------------------------------------
  // Navigation

  connection.onDocumentSymbol(
    guard('textDocument/documentSymbol', [], (params) => {
      const v = view(params.textDocument.uri);
      if (!v) return [];
      return caps.hierarchicalSymbols ? documentSymbols(v) : symbolInformation(v);
    }),
  );

  connection.onFoldingRanges(
    guard('textDocument/foldingRange', [], (params) => {
      const v = view(params.textDocument.uri);
      return v ? foldingRanges(v) : [];
    }),
  );

  connection.onDefinition(
    guard('textDocument/definition', null, (params) => {
      const v = view(params.textDocument.uri);
      return v ? definition(v, params.position, caps.linkSupport) : null;
    }),
  );

  connection.onReferences(
    guard('textDocument/references', [], (params) => {
      const v = view(params.textDocument.uri);
      return v ? references(v, params.position, params.context.includeDeclaration) : [];
    }),
  );

  connection.onDocumentLinks(
    guard('textDocument/documentLink', [], (params) => {
      const v = view(params.textDocument.uri);
      return v ? documentLinks(v, host.locale()) : [];
    }),
  );

  connection.onHover(
    guard('textDocument/hover', null, async (params, token) => {
      const uri = params.textDocument.uri;
      const a = await current(uri, token);
      if (!a?.result || !a.linted) return null;
      const result = a.result;
      return hover(
        { uri, doc: result.document, lines: a.lines, analysis: result.analysis, tokenizer: result.analysis.tokenizer, locale: host.locale() },
        params.position,
      );
    }),
  );

  connection.onCodeLens(
    guard('textDocument/codeLens', [], async (params, token) => {
      const uri = params.textDocument.uri;
      const a = await current(uri, token);
      if (!a?.result || !a.linted) return [];
      return codeLenses({ uri, doc: a.result.document, lines: a.lines }, a.result.analysis, host.locale());
    }),
  );

  // ------------------------------------------------------------------------------------------
  // keiyaku/insertArticleEdit

  connection.onRequest(
    INSERT_ARTICLE_EDIT_REQUEST,
    guard(INSERT_ARTICLE_EDIT_REQUEST, null as WorkspaceEdit | null, async (params: InsertArticleEditParams, token) => {
      const uri = params?.uri;
      if (typeof uri !== 'string' || typeof params.label !== 'string') return null;
      const doc = host.documents.get(uri);
      if (!doc || (typeof params.version === 'number' && params.version !== doc.version)) return null;
      const a = await current(uri, token);
      if (!a?.result || a.version !== host.documents.get(uri)?.version) return null;
      const result = a.result;
      const ins = insertStandardUnit(result.document, result.analysis.clause, a.lines, params.label);
      if (!ins) return null;
      const edits = (params.renumber && insertAndRenumber(a.lines.text, ins.edit)) || [ins.edit];
      return versionedEdit(uri, a.version, a.lines, edits);
    }),
  );

  return {
    commands: [FIX_ALL_COMMAND],
    capabilities(c: ClientCapabilities): ServerCapabilities {
      caps = {
        documentChanges: c.workspace?.workspaceEdit?.documentChanges === true,
        linkSupport: c.textDocument?.definition?.linkSupport === true,
        hierarchicalSymbols: c.textDocument?.documentSymbol?.hierarchicalDocumentSymbolSupport === true,
        lensRefresh: c.workspace?.codeLens?.refreshSupport === true,
      };
      return {
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentLinkProvider: { resolveProvider: false },
        documentSymbolProvider: { label: 'Keiyaku Lint' },
        foldingRangeProvider: true,
        codeLensProvider: { resolveProvider: false },
      };
    },
    async executeCommand(params: ExecuteCommandParams): Promise<unknown> {
      if (params.command === FIX_ALL_COMMAND) return fixAll(params);
      return null;
    },
    refresh(): void {
      if (!caps.lensRefresh) return;
      connection.sendRequest(CodeLensRefreshRequest.type).catch((e: unknown) => host.log.warn(`workspace/codeLens/refresh failed: ${host.log.describe(e)}`));
    },
  };
}
