/**
 * What the CLI touches outside itself, injectable so that tests run `main` in process:
 * standard streams, environment, working directory and the tokenizer loader.
 */
import type { Tokenizer } from '../engine/tokenizer/types';

export interface Writer {
  write(s: string): unknown;
  /** True when the stream is a terminal (colours by default). */
  isTTY?: boolean;
}

export interface CliIO {
  stdout: Writer;
  stderr: Writer;
  /** Reads standard input to its end, or stops once more than `limit` bytes have arrived. */
  readStdin: (limit: number) => Promise<Buffer>;
  env: Record<string, string | undefined>;
  cwd: string;
  /**
   * Builds the tokenizer (called at most once per run, only when some file is linted).
   * Resolves to null, or rejects, when the dictionary cannot be loaded: the CLI then warns
   * and runs the rules that need no tokens. `cacheDir`: root of the decompressed-dictionary
   * cache, null for none (engine/tokenizer/dictionaryCache.ts).
   */
  loadTokenizer: (options: { cacheDir: string | null }) => Promise<Tokenizer | null>;
}

/** Reads a stream to its end, stopping early (and marking the result) once `limit` bytes are exceeded. */
export function readStream(stream: NodeJS.ReadableStream, limit = Infinity): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks));
    };
    const overflow = (): void => {
      finish();
      // Stop reading an endless or huge input: the report does not need the rest.
      stream.removeAllListeners('data');
      stream.pause();
      (stream as { destroy?: () => void }).destroy?.();
    };
    stream.on('data', (c: Buffer | string) => {
      if (done) return;
      const b = typeof c === 'string' ? Buffer.from(c) : c;
      chunks.push(b);
      size += b.length;
      if (size > limit) overflow();
    });
    stream.on('end', finish);
    stream.on('error', (e) => {
      if (!done) {
        done = true;
        reject(e);
      }
    });
  });
}
