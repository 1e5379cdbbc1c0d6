/**
 * Finding the files to lint and turning their bytes into text — or into one clear reason why not:
 * missing, unreadable, too large, binary, or not in the expected encoding. Never lints mojibake.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Extensions a directory is searched for (longest first does not matter: endsWith). */
export const LINTABLE_EXTENSIONS = ['.keiyaku', '.keiyaku.txt', '.keiyaku.md', '.txt', '.md'];

const SKIPPED_DIRS = new Set(['node_modules']);

/** Why a file was not linted: a catalogue key (cli:…) and its data. */
export interface InputProblem {
  key: string;
  data: Record<string, string | number>;
}

export type Target = { kind: 'file'; path: string; display: string } | { kind: 'problem'; display: string; problem: InputProblem };

/** How the text was stored, so that --fix can write it back the same way. */
export interface Encoding {
  /** WHATWG encoding name, e.g. 'utf-8', 'utf-16le', 'shift_jis'. */
  name: string;
  bom: boolean;
}

export type Decoded = { ok: true; text: string; encoding: Encoding } | { ok: false; problem: InputProblem };

function isLintable(name: string): boolean {
  const lower = name.toLowerCase();
  return LINTABLE_EXTENSIONS.some((e) => lower.endsWith(e));
}

/** Lintable files under a directory, recursively, skipping hidden directories, node_modules and build output; sorted. */
function walk(dir: string): string[] {
  const out: string[] = [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIPPED_DIRS.has(e.name)) out.push(...walk(p));
    } else if ((e.isFile() || e.isSymbolicLink()) && isLintable(e.name)) {
      out.push(p);
    }
  }
  return out;
}

function displayPath(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
}

/** Expands the command line's files and directories into files to lint (deduplicated) and problems. */
export function expandTargets(args: readonly string[], cwd: string): Target[] {
  const out: Target[] = [];
  const seen = new Set<string>();
  const add = (abs: string): void => {
    if (seen.has(abs)) return;
    seen.add(abs);
    out.push({ kind: 'file', path: abs, display: displayPath(abs, cwd) });
  };
  for (const arg of args) {
    const abs = path.resolve(cwd, arg);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      out.push({
        kind: 'problem',
        display: arg,
        problem:
          code === 'ENOENT' || code === 'ENOTDIR'
            ? { key: 'cli:file-not-found', data: { file: arg } }
            : { key: 'cli:file-unreadable', data: { file: arg, reason: code ?? String(e) } },
      });
      continue;
    }
    if (st.isDirectory()) {
      const files = walk(abs);
      if (files.length === 0) {
        out.push({
          kind: 'problem',
          display: arg,
          problem: { key: 'cli:dir-empty', data: { dir: arg, extensions: LINTABLE_EXTENSIONS.map((x) => `*${x}`).join(', ') } },
        });
      }
      for (const f of files) add(f);
    } else {
      add(abs);
    }
  }
  return out;
}

export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1).replace(/\.0$/, '')} KB`;
  return `${bytes} B`;
}

/** Reads a file's bytes, refusing one larger than `maxSize` without reading it. */
export function readFileBytes(
  file: string,
  display: string,
  maxSize: number,
): { ok: true; bytes: Buffer } | { ok: false; problem: InputProblem } {
  try {
    const st = fs.statSync(file);
    if (st.isDirectory()) return { ok: false, problem: { key: 'cli:file-unreadable', data: { file: display, reason: 'EISDIR' } } };
    if (st.size > maxSize) return { ok: false, problem: tooLarge(display, st.size, maxSize) };
    const bytes = fs.readFileSync(file);
    if (bytes.length > maxSize) return { ok: false, problem: tooLarge(display, bytes.length, maxSize) };
    return { ok: true, bytes };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, problem: { key: 'cli:file-not-found', data: { file: display } } };
    return { ok: false, problem: { key: 'cli:file-unreadable', data: { file: display, reason: code ?? String(e) } } };
  }
}

/** A file read and decoded (`readFileBytes` then `decodeBytes`): the text, or the first problem. */
export function readTextFile(file: string, display: string, maxSize: number, encoding?: string): Decoded {
  const read = readFileBytes(file, display, maxSize);
  return read.ok ? decodeBytes(read.bytes, display, encoding) : read;
}

export function tooLarge(display: string, size: number, maxSize: number): InputProblem {
  return { key: 'cli:too-large', data: { file: display, size: formatSize(size), limit: formatSize(maxSize) } };
}

const SAMPLE = 8192;

/** Bytes that do not occur in text: NUL and C0 controls other than \t \n \v \f \r and ESC (ISO-2022-JP). */
function isControlByte(b: number): boolean {
  return (b < 0x20 && b !== 9 && b !== 10 && b !== 11 && b !== 12 && b !== 13 && b !== 27) || b === 0x7f;
}

/** Binary by the first 8 KB: a NUL byte, or more than 10% control bytes. */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, SAMPLE);
  let controls = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) return true;
    if (isControlByte(b)) controls++;
  }
  return n > 0 && controls / n > 0.1;
}

/** Same test on decoded text (after an explicit --encoding, where NUL bytes may be legitimate UTF-16). */
function textLooksBinary(text: string): boolean {
  const n = Math.min(text.length, SAMPLE);
  let controls = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return true;
    if (c < 0x80 && isControlByte(c)) controls++;
  }
  return n > 0 && controls / n > 0.1;
}

/** UTF-16 without a byte-order mark: NULs on one parity and the text decodes cleanly that way. */
function guessBomlessUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length, SAMPLE) & ~1;
  if (n < 4) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const guess = oddNul > evenNul * 4 ? 'utf-16le' : evenNul > oddNul * 4 ? 'utf-16be' : null;
  if (!guess) return null;
  try {
    const t = new TextDecoder(guess, { fatal: true }).decode(bytes.subarray(0, n));
    return textLooksBinary(t) ? null : guess;
  } catch {
    return null;
  }
}

function decodes(encoding: string, bytes: Uint8Array): boolean {
  return strictDecode(encoding, bytes) !== null;
}

function strictDecode(encoding: string, bytes: Uint8Array): string | null {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** How implausible a decoding is for Japanese prose: half-width katakana and private-use characters. */
function oddness(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0xff61 && c <= 0xff9f) || (c >= 0xe000 && c <= 0xf8ff)) n++;
  }
  return n;
}

/** The legacy Japanese encoding the bytes most plausibly are, if any. */
export function guessLegacyEncoding(bytes: Uint8Array): 'shift_jis' | 'euc-jp' | null {
  const sjis = strictDecode('shift_jis', bytes);
  const euc = strictDecode('euc-jp', bytes);
  if (sjis !== null && euc !== null) return oddness(euc) < oddness(sjis) ? 'euc-jp' : 'shift_jis';
  return sjis !== null ? 'shift_jis' : euc !== null ? 'euc-jp' : null;
}

/** Offset of the first byte that is not valid UTF-8 (for the message). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (len === 0 || i + len > bytes.length) return i;
    for (let k = 1; k < len; k++) {
      if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    }
    if (len > 1 && !decodes('utf-8', bytes.subarray(i, i + len))) return i;
    i += len;
    len = 0;
  }
  return -1;
}

/**
 * Bytes → text. Without `encoding`: UTF-8 (a BOM is stripped), or UTF-16 with a BOM; anything
 * else is refused with a message naming the likely encoding. With `encoding`: that encoding, strictly.
 */
export function decodeBytes(bytes: Uint8Array, display: string, encoding?: string): Decoded {
  if (encoding) {
    const name = new TextDecoder(encoding).encoding;
    let text: string;
    try {
      // TextDecoder strips a BOM of the encoding it decodes.
      text = new TextDecoder(name, { fatal: true }).decode(bytes);
    } catch {
      return { ok: false, problem: { key: 'cli:decode-failed', data: { file: display, encoding: name } } };
    }
    if (textLooksBinary(text)) return { ok: false, problem: { key: 'cli:binary', data: { file: display } } };
    const bom =
      (name === 'utf-8' && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) ||
      (name === 'utf-16le' && bytes[0] === 0xff && bytes[1] === 0xfe) ||
      (name === 'utf-16be' && bytes[0] === 0xfe && bytes[1] === 0xff);
    return { ok: true, text, encoding: { name, bom } };
  }

  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeBytes(bytes, display, 'utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeBytes(bytes, display, 'utf-16be');

  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;

  if (looksBinary(body)) {
    const utf16 = guessBomlessUtf16(body);
    if (utf16) return { ok: false, problem: { key: 'cli:not-utf8-utf16', data: { file: display, encoding: utf16 } } };
    return { ok: false, problem: { key: 'cli:binary', data: { file: display } } };
  }

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    const offset = firstInvalidUtf8(body) + (bom ? 3 : 0);
    const data = { file: display, offset: Math.max(0, offset) };
    // Which Japanese legacy encoding decodes it? Shift_JIS first (by far the most common).
    const legacy = guessLegacyEncoding(body);
    if (legacy === 'shift_jis') return { ok: false, problem: { key: 'cli:not-utf8-sjis', data } };
    if (legacy === 'euc-jp') return { ok: false, problem: { key: 'cli:not-utf8-eucjp', data } };
    return { ok: false, problem: { key: 'cli:not-utf8', data } };
  }
  // ISO-2022-JP is 7-bit and so valid UTF-8: recognise its escape sequences.
  if (/\x1b\$[@B]/.test(text)) {
    return { ok: false, problem: { key: 'cli:not-utf8-jis', data: { file: display } } };
  }
  return { ok: true, text, encoding: { name: 'utf-8', bom } };
}

/** Text → bytes in the file's own encoding, for --fix; null when Node cannot encode it. */
export function encodeText(text: string, encoding: Encoding): Buffer | null {
  switch (encoding.name) {
    case 'utf-8':
      return Buffer.concat([encoding.bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]);
    case 'utf-16le':
      return Buffer.concat([encoding.bom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(text, 'utf16le')]);
    case 'utf-16be': {
      const le = Buffer.from(text, 'utf16le');
      le.swap16();
      return Buffer.concat([encoding.bom ? Buffer.from([0xfe, 0xff]) : Buffer.alloc(0), le]);
    }
    default:
      return null;
  }
}
