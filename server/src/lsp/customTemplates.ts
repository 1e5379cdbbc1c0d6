/**
 * `keiyakuLint.customTemplates`: a workspace's own canonical texts. Each entry names a text file
 * that is read as DATA (nothing from the workspace is executed, so this is safe in untrusted
 * workspaces). Relative paths are resolved against the workspace folder holding the document,
 * else the document's own folder.
 */
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';
import type { TemplateSource } from '../engine/templates';

export interface CustomTemplateSetting {
  id: string;
  name?: string;
  path: string;
}

export interface CustomTemplateProblem {
  id: string;
  path: string;
  /** A short reason, without file contents. */
  reason: string;
}

export interface LoadedCustomTemplates {
  sources: TemplateSource[];
  problems: CustomTemplateProblem[];
  /** Changes when any file's identity, size or mtime changes (cache key). */
  key: string;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function normalizeCustomTemplates(raw: unknown): CustomTemplateSetting[] {
  if (!Array.isArray(raw)) return [];
  const out: CustomTemplateSetting[] = [];
  for (const e of raw) {
    if (typeof e !== 'object' || e === null) continue;
    const { id, name, path: p } = e as Record<string, unknown>;
    if (typeof id !== 'string' || !ID.test(id) || typeof p !== 'string' || p.trim() === '') continue;
    out.push({ id, name: typeof name === 'string' && name !== '' ? name : undefined, path: p.trim() });
  }
  return out;
}

/** Local path of a file: URI, or undefined for other schemes (untitled:, vscode-remote: …). */
export function fsPathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** The folder relative template paths are resolved against, for a document. */
export function baseDirFor(docUri: string, workspaceFolders: readonly string[]): string | undefined {
  const doc = fsPathOf(docUri);
  const folders = workspaceFolders.map(fsPathOf).filter((f): f is string => f !== undefined);
  if (doc) {
    const holding = folders
      .filter((f) => doc === f || doc.startsWith(f.endsWith(path.sep) ? f : f + path.sep))
      .sort((a, b) => b.length - a.length)[0];
    return holding ?? path.dirname(doc);
  }
  return folders[0];
}

export async function loadCustomTemplates(
  entries: readonly CustomTemplateSetting[],
  baseDir: string | undefined,
  maxChars: number,
): Promise<LoadedCustomTemplates> {
  const sources: TemplateSource[] = [];
  const problems: CustomTemplateProblem[] = [];
  const keys: string[] = [];
  for (const e of entries) {
    if (!path.isAbsolute(e.path) && baseDir === undefined) {
      problems.push({ id: e.id, path: e.path, reason: 'relative path without a workspace folder' });
      continue;
    }
    const abs = path.resolve(baseDir ?? '/', e.path);
    try {
      const st = await fs.promises.stat(abs);
      if (!st.isFile()) throw new Error('not a file');
      // UTF-16 units ≤ UTF-8 bytes, so a file within maxChars bytes is within maxChars characters.
      if (st.size > maxChars * 3) throw new Error(`too large (${st.size} bytes)`);
      const buf = await fs.promises.readFile(abs);
      if (buf.includes(0)) throw new Error('binary data, not text');
      let text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      sources.push({ id: e.id, name: e.name ?? path.basename(abs), text });
      keys.push(`${e.id}=${abs}@${st.size}:${st.mtimeMs}`);
    } catch (err) {
      const reason =
        err instanceof TypeError ? 'not UTF-8 text' : (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
      problems.push({ id: e.id, path: abs, reason });
      keys.push(`${e.id}=${abs}!`);
    }
  }
  return { sources, problems, key: keys.join('|') };
}
