/**
 * Server logging. Contract drafts are confidential: by default the log holds counts, timings,
 * URIs and error types only — never document text, nor exception messages (they may quote it).
 * Text is logged only when tracing is on (the client's $/setTrace / initialize trace, or the
 * `keiyakuLint.trace.server` setting, is not 'off').
 */
import type { Connection } from 'vscode-languageserver';

export type TraceValue = 'off' | 'messages' | 'verbose';

export class ServerLog {
  private clientTrace: TraceValue = 'off';
  private settingTrace: TraceValue = 'off';

  constructor(private readonly connection: Connection) {}

  setClientTrace(value: unknown): void {
    this.clientTrace = asTrace(value);
  }

  setSettingTrace(value: unknown): void {
    this.settingTrace = asTrace(value);
  }

  /** Whether document text (and full exception messages) may be logged. */
  get tracing(): boolean {
    return this.clientTrace !== 'off' || this.settingTrace !== 'off';
  }

  info(message: string): void {
    this.safe(() => this.connection.console.info(message));
  }

  warn(message: string): void {
    this.safe(() => this.connection.console.warn(message));
  }

  error(message: string): void {
    this.safe(() => this.connection.console.error(message));
  }

  /** Logs only when tracing (may contain document text). */
  trace(message: string): void {
    if (this.tracing) this.safe(() => this.connection.console.log(message));
  }

  /** An exception, described without its message unless tracing is on. */
  describe(e: unknown): string {
    if (!(e instanceof Error)) return this.tracing ? String(e) : typeof e;
    if (this.tracing) return e.stack ?? `${e.name}: ${e.message}`;
    // The stack without its first line (which repeats the message).
    const frames = (e.stack ?? '').split('\n').slice(1, 6).join('\n');
    return `${e.name} (message hidden; set keiyakuLint.trace.server to see it)${frames ? `\n${frames}` : ''}`;
  }

  private safe(f: () => void): void {
    try {
      f();
    } catch {
      // The connection is gone (exit in progress): nothing to log to.
    }
  }
}

function asTrace(v: unknown): TraceValue {
  return v === 'messages' || v === 'verbose' ? v : v === 'compact' ? 'messages' : 'off';
}
