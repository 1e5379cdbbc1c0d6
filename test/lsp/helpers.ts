/**
 * A small LSP client for the language-server tests: spawns the bundled server over stdio and
 * drives it with vscode-languageserver-protocol. It records every notification and server
 * request, so a test can wait for a real event (`waitFor…`) instead of sleeping.
 */
import { ChildProcess, fork, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  ClientCapabilities,
  createMessageConnection,
  Diagnostic,
  IPCMessageReader,
  IPCMessageWriter,
  DocumentDiagnosticReport,
  InitializeResult,
  MessageConnection,
  PublishDiagnosticsParams,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const SERVER = path.join(ROOT, 'dist', 'server.js');

/** Fails with what to do when the bundled server is not built (suites call it in `before`). */
export function requireBundledServer(): void {
  if (!fs.existsSync(SERVER)) throw new Error(`${path.relative(ROOT, SERVER)} is missing: run \`node esbuild.mjs\` (npm test's pretest does) first.`);
}
/**
 * The servers' environment unless a test gives one: the dictionary cache in a directory of the
 * test runs (shared by them), not the user's cache directory, unless KEIYAKU_LINT_CACHE_DIR is set.
 */
export const SERVER_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  KEIYAKU_LINT_CACHE_DIR: process.env.KEIYAKU_LINT_CACHE_DIR ?? path.join(os.tmpdir(), 'keiyaku-lint-test-cache'),
};

/** Capabilities of a push-only client (an older LSP client, or a minimal one). */
export const PUSH_CAPS: ClientCapabilities = {
  textDocument: {
    synchronization: { didSave: true },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } }, isPreferredSupport: true },
  },
  workspace: { workspaceEdit: { documentChanges: true } },
};

/** Capabilities of a pull client (as VS Code's): pull diagnostics with refresh, configuration. */
export const PULL_CAPS: ClientCapabilities = {
  textDocument: {
    ...PUSH_CAPS.textDocument,
    diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false },
  },
  workspace: {
    ...PUSH_CAPS.workspace,
    diagnostics: { refreshSupport: true },
  },
};

export interface Recorded {
  method: string;
  params: unknown;
  at: number;
}

interface Waiter {
  match: (r: Recorded) => boolean;
  resolve: (r: Recorded) => void;
  reject: (e: Error) => void;
}

export interface SpawnOptions {
  serverPath?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Extra node options before the script (e.g. --cpu-prof for measurements). */
  nodeArgs?: string[];
  /** 'stdio' (default; any LSP client) or 'ipc' (node-ipc, as the VS Code client starts it). */
  transport?: 'stdio' | 'ipc';
}

export class TestClient {
  readonly proc: ChildProcess;
  readonly connection: MessageConnection;
  /** Every notification and server→client request received, in order. */
  readonly received: Recorded[] = [];
  readonly stderr: string[] = [];
  readonly spawnedAt = performance.now();
  /** The answer to workspace/configuration, per scopeUri ('*' for any); null → no configuration. */
  configuration: Record<string, unknown> = {};
  private waiters: Waiter[] = [];
  private exited: Promise<number | null>;

  constructor(options: SpawnOptions = {}) {
    const ipc = options.transport === 'ipc';
    this.proc = ipc
      ? fork(options.serverPath ?? SERVER, ['--node-ipc'], {
          cwd: options.cwd ?? ROOT,
          env: options.env ?? SERVER_ENV,
          execArgv: options.nodeArgs ?? [],
          stdio: ['pipe', 'pipe', 'pipe', 'ipc'],
        })
      : spawn(process.execPath, [...(options.nodeArgs ?? []), options.serverPath ?? SERVER, '--stdio'], {
          cwd: options.cwd ?? ROOT,
          env: options.env ?? SERVER_ENV,
          stdio: ['pipe', 'pipe', 'pipe'],
        });
    this.exited = new Promise((resolve) => this.proc.on('exit', (code) => resolve(code)));
    this.proc.on('exit', (code, signal) => {
      // Fail every pending wait at once, with what the server said, instead of timing out.
      const why = new Error(`server exited (code ${code}, signal ${signal}); stderr: ${this.stderr.join('').slice(-2000)}`);
      for (const w of this.waiters.splice(0)) w.reject(why);
    });
    this.proc.stderr!.on('data', (d: Buffer) => this.stderr.push(d.toString()));
    // A write after the server died must fail the test that made it, not crash mocha.
    this.proc.stdin!.on('error', () => undefined);
    this.connection = ipc
      ? createMessageConnection(new IPCMessageReader(this.proc), new IPCMessageWriter(this.proc))
      : createMessageConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.connection.onNotification((method: string, params: unknown) => this.record(method, params));
    this.connection.onRequest((method: string, params: unknown) => {
      this.record(method, params);
      switch (method) {
        case 'workspace/configuration': {
          const items = (params as { items: { scopeUri?: string; section?: string }[] }).items;
          return items.map((i) => this.configuration[i.scopeUri ?? '*'] ?? this.configuration['*'] ?? {});
        }
        case 'window/showDocument':
          return { success: true };
        default:
          return null; // client/registerCapability, workspace/diagnostic/refresh, …
      }
    });
    this.connection.listen();
  }

  private record(method: string, params: unknown): void {
    const r: Recorded = { method, params, at: performance.now() };
    this.received.push(r);
    for (const w of [...this.waiters]) {
      if (w.match(r)) {
        this.waiters = this.waiters.filter((x) => x !== w);
        w.resolve(r);
      }
    }
  }

  /**
   * Resolves with the first message of `method` matching `pred` received from index `since`
   * on (default: from now), or rejects after `timeoutMs`.
   */
  waitFor<T = unknown>(
    method: string,
    pred: (params: T) => boolean = () => true,
    options: { timeoutMs?: number; since?: number } = {},
  ): Promise<T> {
    const since = options.since ?? this.received.length;
    const match = (r: Recorded) => r.method === method && pred(r.params as T);
    for (let i = since; i < this.received.length; i++) {
      if (match(this.received[i])) return Promise.resolve(this.received[i].params as T);
    }
    const timeoutMs = options.timeoutMs ?? 10_000;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${method}; received: ${this.summary()}`));
      }, timeoutMs);
      const waiter: Waiter = {
        match,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r.params as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Diagnostics published for `uri` (optionally for a version) from index `since` on. */
  waitForDiagnostics(
    uri: string,
    pred: (p: PublishDiagnosticsParams) => boolean = () => true,
    options: { timeoutMs?: number; since?: number } = {},
  ): Promise<PublishDiagnosticsParams> {
    return this.waitFor<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === uri && pred(p), options);
  }

  published(uri: string): PublishDiagnosticsParams[] {
    return this.received
      .filter((r) => r.method === 'textDocument/publishDiagnostics' && (r.params as PublishDiagnosticsParams).uri === uri)
      .map((r) => r.params as PublishDiagnosticsParams);
  }

  of<T = unknown>(method: string): T[] {
    return this.received.filter((r) => r.method === method).map((r) => r.params as T);
  }

  summary(): string {
    const counts = new Map<string, number>();
    for (const r of this.received) counts.set(r.method, (counts.get(r.method) ?? 0) + 1);
    return [...counts].map(([m, n]) => `${m}×${n}`).join(', ') || 'nothing';
  }

  async initialize(
    capabilities: ClientCapabilities,
    extra: {
      locale?: string;
      initializationOptions?: unknown;
      trace?: 'off' | 'messages' | 'verbose';
      workspaceFolders?: { uri: string; name: string }[];
    } = {},
  ): Promise<InitializeResult> {
    const result = await this.connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities,
      locale: extra.locale,
      initializationOptions: extra.initializationOptions,
      trace: extra.trace ?? 'off',
      workspaceFolders: extra.workspaceFolders ?? null,
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  open(uri: string, text: string, languageId = 'keiyaku', version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  /** A full-text change (the range-less form of contentChanges). */
  replaceAll(uri: string, version: number, text: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
  }

  /** An incremental change: replace [start, end) (line/character) with `text`. */
  edit(
    uri: string,
    version: number,
    range: { start: { line: number; character: number }; end: { line: number; character: number } },
    text: string,
  ): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range, text }],
    });
  }

  save(uri: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  pull(uri: string, previousResultId?: string): Promise<DocumentDiagnosticReport> {
    return this.connection.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', {
      textDocument: { uri },
      previousResultId,
    });
  }

  /** shutdown, exit, then the process's exit code (waits for it to end on its own). */
  async shutdownAndExit(timeoutMs = 10_000): Promise<number | null> {
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    return this.waitForExit(timeoutMs);
  }

  waitForExit(timeoutMs = 10_000): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`server did not exit within ${timeoutMs} ms`)), timeoutMs);
    });
    return Promise.race([this.exited, timeout]).finally(() => clearTimeout(timer));
  }

  /** Test clean-up: ends the connection and, only if the process is still running, kills it. */
  dispose(): void {
    this.connection.dispose();
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill();
  }
}

/** The text a range covers in `text` (LSP positions, UTF-16). */
export function textAt(text: string, range: Diagnostic['range']): string {
  const lines = text.split(/\r\n|\r|\n/);
  const offset = (p: { line: number; character: number }) => {
    let o = 0;
    const re = /\r\n|\r|\n/g;
    for (let l = 0; l < p.line; l++) {
      const m = re.exec(text);
      o = m ? m.index + m[0].length : text.length;
    }
    return o + Math.min(p.character, (lines[p.line] ?? '').length);
  };
  return text.slice(offset(range.start), offset(range.end));
}

export function fileUri(name: string): string {
  return `file:///tmp/keiyaku-lsp-test/${name}`;
}
