import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanup, ROOT, run, tempDir, write } from './helpers';

const FIX = path.join(ROOT, 'test/fixtures/refs');

describe('cli: keiyaku-lint renumber', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => cleanup(dir));

  it('prints the renumbered document: an article inserted after 第５, later ones and every reference follow', async () => {
    const r = await run(['renumber', path.join(FIX, 'tokki-inserted-stale.txt')]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, fs.readFileSync(path.join(FIX, 'tokki-inserted-expected.txt'), 'utf8'));
    assert.match(r.stderr, /番号を付け直した単位 \d+ 件、書き換えた参照 \d+ 件/);
  });

  it('--write writes the file back; -o writes another file; messages in English with --locale en', async () => {
    const src = write(dir, 'draft.txt', fs.readFileSync(path.join(FIX, 'dev-02-tokki-renumbered.txt')));
    const out = path.join(dir, 'out.txt');
    const r1 = await run(['renumber', '-o', out, '--locale', 'en', src]);
    assert.equal(r1.code, 0, r1.stderr);
    assert.match(r1.stderr, /units renumbered/);
    const fixed = fs.readFileSync(out, 'utf8');
    assert.match(fixed, /第 11（機密データの返還等）、第 12（再委託等の相手方からの回収等）、第 13（報告等。/);
    const r2 = await run(['renumber', '--write', src]);
    assert.equal(r2.code, 0);
    assert.equal(fs.readFileSync(src, 'utf8'), fixed);
  });

  it('usage and I/O errors exit 2 with a message', async () => {
    assert.equal((await run(['renumber'])).code, 2);
    assert.equal((await run(['renumber', '--write', '-o', 'x', 'y'])).code, 2);
    const missing = await run(['renumber', path.join(dir, 'nope.txt')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.txt/);
    const help = await run(['renumber', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /keiyaku-lint renumber/);
  });
});
