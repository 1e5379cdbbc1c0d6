/** The fixture drafts the engine tests run over, by folder under test/fixtures. */
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

export const FIXTURES = path.resolve(__dirname, '../../../test/fixtures');

/** [folder/name, text] of every .txt in the folders, in folder then directory order. */
export function fixtureTexts(dirs: readonly string[] = ['seeds', 'dev-cases', 'style']): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const dir of dirs) {
    for (const f of readdirSync(path.join(FIXTURES, dir))) {
      if (f.endsWith('.txt')) out.push([`${dir}/${f}`, readFileSync(path.join(FIXTURES, dir, f), 'utf8')]);
    }
  }
  return out;
}
