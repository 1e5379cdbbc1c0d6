/**
 * The Keiyaku Lint language server: LSP glue around the engine's `lint`.
 *
 * PULL OR PUSH. Diagnostics are offered both ways, chosen per client at `initialize`:
 *  - PULL (textDocument/diagnostic) when the client supports it AND can be asked to re-pull
 *    (workspace.diagnostics.refreshSupport) — VS Code ≥ 1.74, Neovim ≥ 0.10. The client decides
 *    when to ask (visible documents, after edits), cancels a stale request itself when the user
 *    types on, and keeps each document's diagnostics tied to the request that produced them, so
 *    nothing stale is ever shown and no work is done for documents nobody looks at. The server
 *    still waits `delayMs` after the last edit before linting (a burst of keystrokes then costs
 *    one lint, the earlier requests being cancelled while they wait) and answers `unchanged` when
 *    nothing changed since the client's previous result. Refresh support is required because the
 *    server has news of its own — the tokenizer becoming ready, settings changing — that only a
 *    refresh can deliver to a pull client.
 *  - PUSH (textDocument/publishDiagnostics) otherwise: any LSP client works. Linting runs
 *    `delayMs` after the last edit (debounce), and every publication carries the document version
 *    it was computed for; a result whose version is no longer the document's is dropped.
 *
 * TOKENIZER. `initialize` is answered at once. The kuromoji dictionary (~1 s, a few hundred MB)
 * starts loading after `initialized`, when the first contract is linted — a session that never
 * opens one never pays for it, and the first (structural) diagnostics are not delayed by the
 * build. Until it is ready, lint runs with `tokenizer: null` (structural rules only); then pull
 * clients get workspace/diagnostic/refresh and push clients a re-publication of every open
 * document. A missing dictionary gives one localized error message; structural rules go on.
 *
 * ROBUSTNESS. Every handler is wrapped: an exception becomes a logged error (never the document
 * text, unless tracing is on) and empty diagnostics. `shutdown` stops the timers; `exit` ends the
 * process (vscode-languageserver exits with 0 after shutdown, 1 otherwise).
 */
import {
  CancellationToken,
  CancellationTokenSource,
  ClientCapabilities,
  Connection,
  Diagnostic,
  DiagnosticRefreshRequest,
  DidChangeConfigurationNotification,
  DocumentDiagnosticReport,
  DocumentDiagnosticReportKind,
  InitializeParams,
  InitializeResult,
  LSPErrorCodes,
  MessageType,
  ShowMessageNotification,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { Finding } from '../engine/findings';
import { formatMessage, resolveLocale, type Locale } from '../engine/i18n/messages';
import type { LintResult } from '../engine/lint';
import { lintAsync } from '../engine/lintAsync';
import { LineIndex } from '../engine/text/lines';
import { loadTokenizer } from '../engine/tokenizer/kuromoji';
import { cacheRootFromOption, describeDictionaryCache } from '../engine/tokenizer/dictionaryCache';
import type { Tokenizer } from '../engine/tokenizer/types';
import type { LintSettings } from '../engine/settings';
import { SHOW_DOCS_COMMAND, type CachedFindings } from './codeActions';
import { baseDirFor, loadCustomTemplates } from './customTemplates';
import { CANONICAL_TEXT_REQUEST, canonicalTextOf, type CanonicalTextParams, type CanonicalTextResult } from './canonical';
import { countLevels, ruleDocsUri, toDiagnostics, type LevelCounts } from './diagnostics';
import { registerEditorFeatures } from './editor';
import { registerBlankForm } from './form';
import { ServerLog } from './log';
import { registerRevision } from './revision';
import { STATUS_NOTIFICATION, type StatusParams, type TokenizerStatus } from './protocol';
import { shouldLint } from './selection';
import {
  lintSettingsKey,
  normalizeSettings,
  settingsFromChangeNotification,
  settingsFromInitOptions,
  toLintSettings,
  type ServerSettings,
} from './settings';

export interface ServerOptions {
  /** Root of the extension: docs/rules/*.md live under it. */
  docsRoot: string;
  /** Tokenizer loader (tests may inject one); default: the engine's kuromoji loader. */
  loadTokenizer?: () => Promise<Tokenizer>;
}

type TokenizerState = 'idle' | 'loading' | 'ready' | 'failed';

/** The settings of one document, ready for the engine. */
interface Effective {
  server: ServerSettings;
  lint: Partial<LintSettings>;
  /** Everything in `lint` (and the language list) as a cache key. */
  key: string;
}

/** One lint of one document version, cached for pull `unchanged` answers and code actions. */
interface Analysed extends CachedFindings {
  /** The engine's result (document tree, template choice); null when the document is not linted. */
  result: LintResult | null;
  resultId: string;
  /** Inputs other than the text that the result depends on. */
  key: string;
  linted: boolean;
  counts: LevelCounts;
  template: string | null;
}

interface DocState {
  /** Version last seen (TextDocuments fires a content change for the open itself). */
  seenVersion: number;
  /** Version at open or at the last save (run = onSave lints only these). */
  savedVersion: number;
  /** performance.now() of the last edit; 0 before any. */
  lastChange: number;
  timer?: NodeJS.Timeout;
  /** The analysis in flight (push), cancelled by the next edit. */
  cts?: CancellationTokenSource;
  cache?: Analysed;
  /** The last analysis of the saved version (run = onSave: what pulls report while edits are unsaved). */
  savedCache?: Analysed;
  settings?: ServerSettings;
  /** resultId of the last pushed diagnostics, and whether they were non-empty. */
  pushedResultId?: string;
  pushedAny: boolean;
}

type Trigger = 'open' | 'change' | 'save' | 'refresh';

const CANCELLED = Symbol('cancelled');

/**
 * Tokens kept between lints (UTF-16 units of tokenised input): a whole 1 MB contract's tokens
 * are ~18 MB of heap the next edit does not read.
 */
export const TOKEN_CACHE_KEEP_CHARS = 100_000;

export function startServer(connection: Connection, options: ServerOptions): void {
  const log = new ServerLog(connection);
  // Edits one change at a time, so that what follows a document's places (revision diagnostics in
  // push mode) sees each change with the text it applies to.
  let onChange: ((doc: TextDocument, change: TextDocumentContentChangeEvent, version: number) => void) | undefined;
  const documents = new TextDocuments<TextDocument>({
    create: TextDocument.create,
    update: (doc, changes, version) => {
      if (!onChange) return TextDocument.update(doc, changes, version);
      let d = doc;
      for (const c of changes) {
        try {
          onChange(d, c, version);
        } catch (e) {
          log.error(`following an edit failed: ${log.describe(e)}`);
        }
        d = TextDocument.update(d, [c], version);
      }
      return d;
    },
  });
  const states = new Map<string, DocState>();
  const settingsCache = new Map<string, Promise<Effective>>();
  /** Custom-template problems already shown (one message each per session). */
  const shownProblems = new Set<string>();
  let workspaceFolders: string[] = [];
  // The decompressed-dictionary cache: initializationOptions.keiyakuLint.cacheDir (false: none), else the default.
  let cacheDir: string | null = null;
  const loader = options.loadTokenizer ?? (() => loadTokenizer({ cacheDir, onDictionaryCache: (s) => log.info(describeDictionaryCache(s)) }));

  let locale: Locale = 'ja';
  let pullMode = false;
  let caps = {
    refresh: false,
    configuration: false,
    dynamicConfiguration: false,
    documentChanges: false,
    showDocument: false,
  };
  /** Settings when the client has no workspace/configuration (initializationOptions, then didChangeConfiguration). */
  let fallbackSettings = normalizeSettings(undefined);
  let settingsGen = 0;
  let initialized = false;
  let shuttingDown = false;
  let resultCounter = 0;
  const tokenizer = { state: 'idle' as TokenizerState, instance: null as Tokenizer | null, gen: 0, failureShown: false };
  // keiyaku/compareRevision and keiyaku/clearRevision (lsp/revision.ts); in push mode its
  // diagnostics go out with the lint ones (pushNow).
  const revision = registerRevision(connection, {
    documents,
    locale: () => locale,
    tokenizer: async () => tokenizer.instance ?? (await Promise.resolve().then(() => loader()).catch(() => null)),
    pullMode: () => pullMode,
    republish: (uri) => schedule(uri, 0, 'refresh'),
    log,
  });
  onChange = revision.followEdit;
  // Code actions, hover, definition, references, links, symbols, folding, code lenses,
  // keiyaku/insertArticleEdit and the fix-all command (lsp/editor.ts).
  const editor = registerEditorFeatures(connection, {
    documents,
    locale: () => locale,
    analyse: async (uri, token) => {
      const a = await analyse(uri, token);
      return a === CANCELLED ? 'cancelled' : a;
    },
    cached: (uri) => stateOf(uri)?.cache,
    log,
  });

  // ------------------------------------------------------------------------------------------
  // Helpers

  const now = (): number => performance.now();

  function stateOf(uri: string): DocState | undefined {
    return states.get(uri);
  }

  function tokenizerStatus(): TokenizerStatus {
    return tokenizer.state === 'ready' ? 'ready' : tokenizer.state === 'failed' ? 'failed' : 'loading';
  }

  /** The document's settings: workspace/configuration when the client has it, then its custom templates read. */
  function getSettings(uri: string): Promise<Effective> {
    let p = settingsCache.get(uri);
    if (!p) {
      const fetched = fetchServerSettings(uri).then((s) => effective(uri, s));
      settingsCache.set(uri, fetched);
      // A failure is not cached: the next lint asks again.
      fetched.catch(() => {
        if (settingsCache.get(uri) === fetched) settingsCache.delete(uri);
      });
      p = fetched;
    }
    return p;
  }

  async function fetchServerSettings(uri: string): Promise<ServerSettings> {
    if (!caps.configuration) return fallbackSettings;
    try {
      const s = normalizeSettings(await connection.workspace.getConfiguration({ scopeUri: uri, section: 'keiyakuLint' }));
      log.setSettingTrace(s.trace.server);
      return s;
    } catch (e) {
      log.warn(`workspace/configuration failed; using defaults: ${log.describe(e)}`);
      return fallbackSettings;
    }
  }

  async function effective(uri: string, s: ServerSettings): Promise<Effective> {
    const lintSettings = toLintSettings(s);
    let customKey = '';
    if (s.customTemplates.length > 0) {
      const loaded = await loadCustomTemplates(s.customTemplates, baseDirFor(uri, workspaceFolders), lintSettings.maxChars ?? 0);
      lintSettings.customTemplates = loaded.sources;
      customKey = loaded.key;
      for (const pr of loaded.problems) {
        const id = `${pr.id}|${pr.path}|${pr.reason}`;
        log.warn(`custom template ${pr.id} (${pr.path}) not loaded: ${pr.reason}`);
        if (!shownProblems.has(id)) {
          shownProblems.add(id);
          showMessage(MessageType.Warning, formatMessage(locale, 'server:custom-template-unreadable', { id: pr.id, path: pr.path, reason: pr.reason }));
        }
      }
    }
    return { server: s, lint: lintSettings, key: `${lintSettingsKey(s)}|${s.languages.join(',')}|${customKey}` };
  }

  function templateOf(result: LintResult): string | null {
    const chosen = result.analysis.clause?.template?.id;
    if (typeof chosen === 'string') return chosen;
    // Older shapes: an id or a template object on the analysis itself.
    const t = (result.analysis as unknown as Record<string, unknown>).template;
    if (typeof t === 'string') return t === 'none' ? null : t;
    if (t && typeof t === 'object') {
      const id = (t as { id?: unknown }).id;
      if (typeof id === 'string') return id;
    }
    return null;
  }

  function sendStatus(a: Analysed): void {
    const params: StatusParams = {
      uri: a.uri,
      version: a.version,
      linted: a.linted,
      template: a.template,
      counts: a.counts,
      tokenizer: tokenizerStatus(),
    };
    connection.sendNotification(STATUS_NOTIFICATION, params).catch(() => undefined);
  }

  // ------------------------------------------------------------------------------------------
  // Analysis

  /**
   * Analyses in flight, per document. A request for the version and settings already being
   * analysed joins that analysis instead of starting a second one; the shared analysis stops
   * when the document changes, or when every request waiting for it has been cancelled.
   */
  const inflight = new Map<
    string,
    { version: number; key: string; tokens: CancellationToken[]; superseded: boolean; promise: Promise<Analysed | typeof CANCELLED> }
  >();

  /**
   * Lints the document's current text, or returns the cached result. The lint yields to the
   * event loop every few milliseconds (engine/lintAsync.ts), so other requests are answered
   * meanwhile, and it stops as soon as the document changes.
   */
  function analyseNow(doc: TextDocument, eff: Effective, token: CancellationToken): Promise<Analysed | typeof CANCELLED> {
    const uri = doc.uri;
    const version = doc.version;
    const st = stateOf(uri);
    const key = `${eff.key}|${doc.languageId}|tok${tokenizer.gen}`;
    if (st?.cache && st.cache.version === version && st.cache.key === key) return Promise.resolve(st.cache);
    const running = inflight.get(uri);
    if (running && running.version === version && running.key === key && !running.tokens.every((t) => t.isCancellationRequested)) {
      running.tokens.push(token);
      return running.promise;
    }
    if (running) running.superseded = true; // other settings or tokenizer: its result would be replaced anyway
    const entry = { version, key, tokens: [token], superseded: false, promise: Promise.resolve<Analysed | typeof CANCELLED>(CANCELLED) };
    const cancelled = (): boolean =>
      entry.superseded || shuttingDown || documents.get(uri)?.version !== version || entry.tokens.every((t) => t.isCancellationRequested);
    entry.promise = lintDocument(doc, eff, key, cancelled).finally(() => {
      if (inflight.get(uri) === entry) inflight.delete(uri);
    });
    inflight.set(uri, entry);
    return entry.promise;
  }

  async function lintDocument(doc: TextDocument, eff: Effective, key: string, isCancelled: () => boolean): Promise<Analysed | typeof CANCELLED> {
    const uri = doc.uri;
    const version = doc.version;
    const st = stateOf(uri);
    const settings = eff.server;

    const text = doc.getText();
    const linted = shouldLint(doc.languageId, text, settings.languages);
    let findings: Finding[] = [];
    let result: LintResult | null = null;
    let lines: LineIndex | undefined;
    let template: string | null = null;
    if (linted) {
      const t0 = now();
      try {
        const r = await lintAsync(text, { settings: eff.lint, tokenizer: tokenizer.instance, isCancelled });
        if (r.cancelled) {
          log.info(`lint ${uri} v${version} stopped after ${(now() - t0).toFixed(1)} ms (document changed or request cancelled)`);
          return CANCELLED;
        }
        result = r;
        findings = r.findings;
        lines = r.analysis.lines;
        // Between edits the findings are memoised per block, not the tokens: an edit re-tokenises
        // only the blocks it changed. Keep a little (the standard texts' tokens), not the document's.
        const tokensKept = r.analysis.tokenizer?.trimCache?.(TOKEN_CACHE_KEEP_CHARS);
        template = templateOf(r);
        const c = countLevels(findings);
        log.info(
          `lint ${uri} v${version}: ${text.length} chars, ${findings.length} findings ` +
            `(${c.error} errors, ${c.warning} warnings, ${c.information} info, ${c.hint} hints) ` +
            `in ${(now() - t0).toFixed(1)} ms (${r.stats.warmed} blocks to tokenise, ${r.stats.yields} yields, longest slice ${r.stats.longestSliceMs.toFixed(1)} ms, in ${r.stats.longestSliceAt}); tokenizer ${tokenizer.state}` +
            (tokensKept !== undefined ? `, tokens kept for ${tokensKept} chars` : '') +
            (r.pendingRules.length > 0 ? `, ${r.pendingRules.length} rules pending` : ''),
        );
        if (log.tracing) {
          for (const f of findings) {
            log.trace(`  ${f.ruleId}/${f.messageId} [${f.span.start},${f.span.end}) 「${text.slice(f.span.start, Math.min(f.span.end, f.span.start + 60))}」`);
          }
        }
      } catch (e) {
        log.error(`lint failed for ${uri} v${version} after ${(now() - t0).toFixed(1)} ms: ${log.describe(e)}`);
        findings = [];
      }
      ensureTokenizerLoading();
    }
    lines ??= new LineIndex(linted ? text : '');
    const diagnostics = toDiagnostics(findings, {
      uri,
      version,
      locale,
      lines,
      docsRoot: options.docsRoot,
      // Clients that cannot show related information ignore it; the canonical text is in the message anyway.
      relatedInformation: true,
    });
    const analysed: Analysed = {
      uri,
      version,
      lines,
      result,
      findings,
      diagnostics,
      resultId: String(++resultCounter),
      key,
      linted,
      counts: countLevels(findings),
      template,
    };
    if (st) {
      st.cache = analysed;
      // Hover and code lenses analyse unsaved versions too; under run = onSave the diagnostics stay
      // the saved version's, so its analysis is kept. Nothing else reads it: under run = onType a
      // large document's old analysis (~8 MB for 1 MB of text) is not kept alive beside the current
      // one. (Switched to onSave with unsaved edits, a pull reports the latest analysis until the
      // next save.)
      if (settings.run !== 'onSave') st.savedCache = undefined;
      else if (version === st.savedVersion) st.savedCache = analysed;
    }
    sendStatus(analysed);
    return analysed;
  }

  /**
   * Settings, then lint of the latest version. When the document or the settings change while
   * the settings are being fetched, starts over with the new ones (a bounded number of times).
   */
  async function analyse(uri: string, token: CancellationToken): Promise<Analysed | typeof CANCELLED | undefined> {
    for (let attempt = 0; ; attempt++) {
      const before = documents.get(uri);
      if (!before) return undefined;
      const gen = settingsGen;
      const eff = await getSettings(uri);
      if (token.isCancellationRequested || shuttingDown) return CANCELLED;
      const doc = documents.get(uri);
      if (!doc) return undefined;
      if ((doc.version !== before.version || gen !== settingsGen) && attempt < 3) continue;
      const st = stateOf(uri);
      if (st) st.settings = eff.server;
      return analyseNow(doc, eff, token);
    }
  }

  // ------------------------------------------------------------------------------------------
  // Push mode

  function schedule(uri: string, delayMs: number, trigger: Trigger): void {
    const st = stateOf(uri);
    if (!st || shuttingDown || pullMode) return;
    if (trigger === 'refresh' && st.lastChange > 0) {
      // a refresh (tokenizer ready, settings changed) does not cut short the debounce of a recent edit
      const pending = st.lastChange + (st.settings ?? fallbackSettings).delayMs - now();
      if (pending > delayMs) delayMs = pending;
    }
    if (st.timer) clearTimeout(st.timer);
    st.timer = setTimeout(() => {
      st.timer = undefined;
      void pushNow(uri, trigger);
    }, delayMs);
  }

  async function pushNow(uri: string, trigger: Trigger): Promise<void> {
    const st = stateOf(uri);
    if (!st) return;
    st.cts?.cancel();
    const cts = new CancellationTokenSource();
    st.cts = cts;
    try {
      const settings = (await getSettings(uri)).server;
      const doc = documents.get(uri);
      if (!doc || cts.token.isCancellationRequested || stateOf(uri) !== st) return;
      if (settings.run === 'onSave') {
        // Lint only what was opened or saved; edits since then wait for the next save.
        if (trigger === 'change') return;
        if (trigger === 'refresh' && doc.version !== st.savedVersion) return;
      }
      const a = await analyse(uri, cts.token);
      if (a === undefined || a === CANCELLED || cts.token.isCancellationRequested) return;
      // Never publish for a version older than the document's.
      const current = documents.get(uri);
      if (!current || current.version !== a.version || stateOf(uri) !== st) return;
      const extra = revision.extraDiagnostics(uri, a.version);
      if (!a.linted && !st.pushedAny && extra.length === 0) return; // never had diagnostics: nothing to clear
      const pushId = a.resultId + revision.tag(uri);
      if (st.pushedResultId === pushId) return;
      st.pushedResultId = pushId;
      st.pushedAny = a.diagnostics.length + extra.length > 0;
      await connection.sendDiagnostics({ uri, version: a.version, diagnostics: [...(a.diagnostics as Diagnostic[]), ...extra] });
    } catch (e) {
      log.error(`diagnostics for ${uri} failed: ${log.describe(e)}`);
    } finally {
      if (st.cts === cts) st.cts = undefined;
      cts.dispose();
    }
  }

  // ------------------------------------------------------------------------------------------
  // Refresh (tokenizer ready, settings changed)

  let refreshPending: NodeJS.Timeout | undefined;

  /**
   * Re-lints every open document (push) or asks a pull client to re-pull. Coalesced: a client
   * that both syncs the section and honours our dynamic registration sends two
   * didChangeConfiguration notifications for one change.
   */
  function refreshAll(reason: string): void {
    if (shuttingDown || refreshPending) return;
    refreshPending = setTimeout(() => {
      refreshPending = undefined;
      guard('refresh', () => refreshNow(reason));
    }, 10);
  }

  function refreshNow(reason: string): void {
    if (shuttingDown) return;
    log.info(`refreshing diagnostics (${reason})`);
    editor.refresh();
    if (pullMode) {
      if (caps.refresh) {
        connection.sendRequest(DiagnosticRefreshRequest.type).catch((e: unknown) => {
          log.warn(`workspace/diagnostic/refresh failed: ${log.describe(e)}`);
        });
      }
      return;
    }
    for (const doc of documents.all()) schedule(doc.uri, 0, 'refresh');
  }

  function ensureTokenizerLoading(): void {
    if (tokenizer.state !== 'idle' || !initialized || shuttingDown) return;
    tokenizer.state = 'loading';
    // Start after the current result has been written out (the build blocks the event loop for
    // a while in one piece).
    setTimeout(() => {
      const t0 = now();
      let promise: Promise<Tokenizer>;
      try {
        promise = loader();
      } catch (e) {
        promise = Promise.reject(e);
      }
      promise.then(
        (t) => {
          tokenizer.instance = t;
          tokenizer.state = 'ready';
          tokenizer.gen++;
          log.info(`tokenizer ready in ${(now() - t0).toFixed(0)} ms; rss ${Math.round(process.memoryUsage().rss / 1048576)} MiB`);
          refreshAll('tokenizer ready');
        },
        (e: unknown) => {
          tokenizer.state = 'failed';
          // The loader's message names dictionary paths, never document text.
          const detail = e instanceof Error ? e.message : String(e);
          log.error(`tokenizer failed to load after ${(now() - t0).toFixed(0)} ms: ${detail}`);
          if (!tokenizer.failureShown) {
            tokenizer.failureShown = true;
            showMessage(MessageType.Error, formatMessage(locale, 'server:tokenizer-failed', { error: detail }));
          }
          for (const st of states.values()) if (st.cache) sendStatus(st.cache);
        },
      );
    }, 0);
  }

  // ------------------------------------------------------------------------------------------
  // Lifecycle

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const c: ClientCapabilities = params.capabilities ?? {};
    const init = params.initializationOptions as Record<string, unknown> | undefined;
    locale = resolveLocale(typeof init?.locale === 'string' ? init.locale : params.locale);
    log.setClientTrace(params.trace);
    caps = {
      refresh: c.workspace?.diagnostics?.refreshSupport === true,
      configuration: c.workspace?.configuration === true,
      dynamicConfiguration: c.workspace?.didChangeConfiguration?.dynamicRegistration === true,
      documentChanges: c.workspace?.workspaceEdit?.documentChanges === true,
      showDocument: c.window?.showDocument?.support === true,
    };
    pullMode = c.textDocument?.diagnostic !== undefined && caps.refresh;
    workspaceFolders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    fallbackSettings = normalizeSettings(settingsFromInitOptions(init));
    cacheDir = cacheRootFromOption((settingsFromInitOptions(init) as { cacheDir?: unknown } | undefined)?.cacheDir);
    log.setSettingTrace(fallbackSettings.trace.server);

    const result: InitializeResult = {
      capabilities: {
        textDocumentSync: {
          openClose: true,
          change: TextDocumentSyncKind.Incremental,
          save: { includeText: false },
        },
        ...editor.capabilities(c),
        executeCommandProvider: { commands: [SHOW_DOCS_COMMAND, ...editor.commands] },
      },
      serverInfo: { name: 'keiyaku-lint' },
    };
    if (pullMode) {
      result.capabilities.diagnosticProvider = {
        identifier: 'keiyaku-lint',
        interFileDependencies: false,
        workspaceDiagnostics: false,
      };
    }
    log.info(`initialize: locale ${locale}, ${pullMode ? 'pull' : 'push'} diagnostics, configuration ${caps.configuration ? 'from client' : 'from initializationOptions'}`);
    return result;
  });

  connection.onInitialized(() => {
    initialized = true;
    if (caps.configuration && caps.dynamicConfiguration) {
      connection.client.register(DidChangeConfigurationNotification.type, { section: 'keiyakuLint' }).catch((e: unknown) => {
        log.warn(`could not register for configuration changes: ${log.describe(e)}`);
      });
    }
  });

  connection.onShutdown(() => {
    shuttingDown = true;
    if (refreshPending) clearTimeout(refreshPending);
    for (const st of states.values()) {
      if (st.timer) clearTimeout(st.timer);
      st.timer = undefined;
      st.cts?.cancel();
    }
  });

  // ------------------------------------------------------------------------------------------
  // Documents

  documents.onDidOpen((e) => {
    guard('didOpen', () => {
      const doc = e.document;
      states.set(doc.uri, { seenVersion: doc.version, savedVersion: doc.version, lastChange: 0, pushedAny: false });
      log.trace(`open ${doc.uri} (${doc.languageId}, v${doc.version}): 「${doc.getText().slice(0, 80)}」`);
      schedule(doc.uri, 0, 'open');
    });
  });

  documents.onDidChangeContent((e) => {
    guard('didChange', () => {
      const doc = e.document;
      const st = stateOf(doc.uri);
      if (!st || st.seenVersion === doc.version) return; // the open itself
      st.seenVersion = doc.version;
      st.lastChange = now();
      st.cts?.cancel(); // the analysis of the previous version is stale
      schedule(doc.uri, (st.settings ?? fallbackSettings).delayMs, 'change');
    });
  });

  documents.onDidSave((e) => {
    guard('didSave', () => {
      const st = stateOf(e.document.uri);
      if (!st) return;
      st.savedVersion = e.document.version;
      if (pullMode) {
        // A pull client re-asks on edits, not on saves: tell it when run = onSave makes a save matter.
        if ((st.settings ?? fallbackSettings).run === 'onSave' && caps.refresh) refreshAll('saved');
      } else {
        schedule(e.document.uri, 0, 'save');
      }
    });
  });

  documents.onDidClose((e) => {
    guard('didClose', () => {
      const uri = e.document.uri;
      const st = stateOf(uri);
      states.delete(uri);
      settingsCache.delete(uri);
      if (!st) return;
      if (st.timer) clearTimeout(st.timer);
      st.cts?.cancel();
      if (!pullMode && st.pushedAny) {
        connection.sendDiagnostics({ uri, diagnostics: [] }).catch(() => undefined);
      }
    });
  });

  // ------------------------------------------------------------------------------------------
  // Pull diagnostics

  connection.languages.diagnostics.on(async (params, token): Promise<DocumentDiagnosticReport> => {
    const uri = params.textDocument.uri;
    const empty: DocumentDiagnosticReport = { kind: DocumentDiagnosticReportKind.Full, items: [] };
    const report = (a: Analysed): DocumentDiagnosticReport =>
      params.previousResultId === a.resultId
        ? { kind: DocumentDiagnosticReportKind.Unchanged, resultId: a.resultId }
        : { kind: DocumentDiagnosticReportKind.Full, resultId: a.resultId, items: a.diagnostics as Diagnostic[] };
    try {
      const doc = documents.get(uri);
      const st = stateOf(uri);
      if (!doc || !st) return empty;
      const settings = (await getSettings(uri)).server;
      if (settings.run === 'onSave' && st.cache && documents.get(uri)?.version !== st.savedVersion) {
        return report(st.savedCache ?? st.cache); // edits since the last save are linted at the next save
      }
      // Debounce: while the user types, wait until `delayMs` after the last edit. The client
      // cancels this request when the next edit comes, so a burst costs one lint.
      const wait = st.lastChange + settings.delayMs - now();
      await (wait > 0 ? sleep(wait, token) : nextTick());
      if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
      const a = await analyse(uri, token);
      if (a === CANCELLED) {
        if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
        throw new ResponseError(LSPErrorCodes.ServerCancelled, 'document changed', { retriggerRequest: true });
      }
      return a ? report(a) : empty;
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      log.error(`textDocument/diagnostic for ${uri} failed: ${log.describe(e)}`);
      return empty;
    }
  });

  // ------------------------------------------------------------------------------------------
  // Configuration

  connection.onDidChangeConfiguration((params) => {
    guard('didChangeConfiguration', () => {
      settingsGen++;
      settingsCache.clear();
      if (!caps.configuration) {
        const pushed = settingsFromChangeNotification(params.settings);
        if (pushed !== undefined) fallbackSettings = normalizeSettings(pushed);
        log.setSettingTrace(fallbackSettings.trace.server);
      }
      for (const st of states.values()) st.settings = undefined;
      refreshAll('configuration changed');
    });
  });

  // ------------------------------------------------------------------------------------------
  // Code actions and commands

  connection.onRequest(CANONICAL_TEXT_REQUEST, async (params: CanonicalTextParams, token: CancellationToken): Promise<CanonicalTextResult | null> => {
    try {
      const uri = params?.uri;
      if (typeof uri !== 'string' || !documents.get(uri)) return null;
      const a = await analyse(uri, token);
      if (a === CANCELLED) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
      const template = a?.result?.analysis.clause?.template;
      return template ? canonicalTextOf(template, a?.result) : null;
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      log.error(`${CANONICAL_TEXT_REQUEST} failed: ${log.describe(e)}`);
      return null;
    }
  });

  registerBlankForm(connection, (uri) => documents.get(uri)?.getText());

  connection.onExecuteCommand(async (params) => {
    try {
      if (editor.commands.includes(params.command)) return await editor.executeCommand(params);
      if (params.command !== SHOW_DOCS_COMMAND) return null;
      const ruleId = params.arguments?.[0];
      if (typeof ruleId !== 'string') return null;
      const uri = ruleDocsUri(options.docsRoot, ruleId);
      if (caps.showDocument) {
        await connection.window.showDocument({ uri, takeFocus: true });
      } else {
        showMessage(MessageType.Info, formatMessage(locale, 'server:docs-location', { rule: ruleId, uri }));
      }
    } catch (e) {
      log.error(`executeCommand ${params.command} failed: ${log.describe(e)}`);
    }
    return null;
  });

  // ------------------------------------------------------------------------------------------

  /** window/showMessage (a notification: nothing to answer, unlike window.show…Message's request). */
  function showMessage(type: MessageType, message: string): void {
    connection.sendNotification(ShowMessageNotification.type, { type, message }).catch(() => undefined);
  }

  function guard(what: string, f: () => void): void {
    try {
      f();
    } catch (e) {
      log.error(`${what} failed: ${log.describe(e)}`);
    }
  }

  process.on('uncaughtException', (e) => log.error(`uncaught exception: ${log.describe(e)}`));
  process.on('unhandledRejection', (e) => log.error(`unhandled rejection: ${log.describe(e)}`));

  documents.listen(connection);
  connection.listen();
}

function nextTick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Resolves after `ms`, or at once when the token is cancelled. */
function sleep(ms: number, token: CancellationToken): Promise<void> {
  return new Promise((resolve) => {
    if (token.isCancellationRequested) return resolve();
    const sub = token.onCancellationRequested(() => {
      clearTimeout(timer);
      sub.dispose();
      resolve();
    });
    const timer = setTimeout(() => {
      sub.dispose();
      resolve();
    }, ms);
  });
}
