/**
 * The registry test: keeps the rule list (server/src/engine/rules/registry.ts) in step with
 *  - the docs pages docs/rules/ID.md (Japanese and English) and the index docs/rules/README.md,
 *  - the message catalogues server/src/engine/i18n/{ja,en}.json (keys `${ruleId}:${messageId}`),
 *  - the settings schema in package.json (contributes.configuration … keiyakuLint.rules).
 * Reads the files of the repository, so it runs from out/test/unit as well as from a checkout.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { RULES, ruleDocsPath } from '../../server/src/engine/rules/registry';

const REPO = path.resolve(__dirname, '../../..');
const LEVELS = ['error', 'warning', 'information', 'hint', 'off'];
const ID_RE = /^[a-z]+(-[a-z]+)*(\/[a-z]+(-[a-z]+)*)?$/;

/**
 * Catalogue prefixes that are not rule ids: the engine's internal error, parse problems, the
 * CLI, the language server, the client and the revision diff report (engine/revision). Add a
 * prefix here only for messages no rule reports.
 */
const NON_RULE_PREFIXES = new Set(['engine', 'parse', 'cli', 'server', 'client', 'diff', 'renumber']);

const ids = RULES.map((r) => r.id);
const idSet = new Set(ids);

function readRepo(rel: string): string {
  return readFileSync(path.join(REPO, rel), 'utf8');
}

function readJson<T>(rel: string): T {
  return JSON.parse(readRepo(rel)) as T;
}

type Catalogue = Record<string, string>;
const catalogues: Record<'ja' | 'en', Catalogue> = {
  ja: readJson<Catalogue>('server/src/engine/i18n/ja.json'),
  en: readJson<Catalogue>('server/src/engine/i18n/en.json'),
};

/** The {placeholders} of a message, sorted and without duplicates. */
function placeholders(message: string): string[] {
  return [...new Set([...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();
}

/** `style/typo:mo-tosuru` → `style/typo` (rule ids contain no colon). */
function prefixOf(key: string): string {
  const i = key.indexOf(':');
  return i < 0 ? key : key.slice(0, i);
}

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
const HIRAGANA = /[\u3040-\u309f]/g;

describe('rule registry', function () {
  it('has rules', function () {
    assert.ok(RULES.length > 0, 'RULES is empty');
  });

  describe('ids', function () {
    it('are unique', function () {
      const dup = ids.filter((id, i) => ids.indexOf(id) !== i);
      assert.deepEqual(dup, [], `duplicate rule ids: ${dup.join(', ')}`);
    });

    it(`match ${ID_RE}`, function () {
      const bad = ids.filter((id) => !ID_RE.test(id));
      assert.deepEqual(bad, [], `rule ids not in the id format: ${bad.join(', ')}`);
    });

    it('have valid meta (default level, message ids)', function () {
      for (const r of RULES) {
        assert.ok(LEVELS.slice(0, 4).includes(r.meta.defaultLevel), `${r.id}: default level ${r.meta.defaultLevel}`);
        assert.ok(r.meta.messages.length > 0, `${r.id}: meta.messages is empty`);
        const dup = r.meta.messages.filter((m, i) => r.meta.messages.indexOf(m) !== i);
        assert.deepEqual(dup, [], `${r.id}: duplicate message ids`);
      }
    });
  });

  describe('docs pages', function () {
    for (const r of RULES) {
      const rel = ruleDocsPath(r.id);
      it(`${r.id}: ${rel} exists, mentions the id, and is written in Japanese and English`, function () {
        assert.equal(rel, `docs/rules/${r.id.replace(/\//g, '-')}.md`);
        const file = path.join(REPO, rel);
        assert.ok(existsSync(file), `missing docs page ${rel} for rule ${r.id}`);
        const text = readFileSync(file, 'utf8');
        assert.ok(text.includes(r.id), `${rel} does not mention the rule id ${r.id}`);
        const headings = text.split(/\r?\n/).filter((l) => /^#{2,6} /.test(l));
        assert.ok(
          headings.some((h) => JAPANESE.test(h)),
          `${rel}: no Japanese heading (e.g. 「### 概要」)`,
        );
        assert.ok(
          headings.some((h) => /^#{2,6} [A-Za-z][A-Za-z0-9 ,.'’()/-]*$/.test(h)),
          `${rel}: no English heading (e.g. "### What it reports")`,
        );
        const kana = (text.match(HIRAGANA) ?? []).length;
        assert.ok(kana >= 40, `${rel}: too little Japanese text (${kana} hiragana)`);
        const words = (text.match(/\b[A-Za-z]{3,}\b/g) ?? []).length;
        assert.ok(words >= 40, `${rel}: too little English text (${words} words)`);
      });
    }

    it('every page under docs/rules/ belongs to a rule (besides README.md)', function () {
      const pages = readdirSync(path.join(REPO, 'docs/rules')).filter((f) => f.endsWith('.md') && f !== 'README.md');
      const expected = new Set(ids.map((id) => path.basename(ruleDocsPath(id))));
      const stale = pages.filter((f) => !expected.has(f));
      assert.deepEqual(stale, [], `docs pages without a rule in the registry: ${stale.join(', ')}`);
    });
  });

  describe('docs/rules/README.md', function () {
    /** Table rows of the index: first cell → the row's cells. */
    function indexRows(): Map<string, string[]> {
      const rows = new Map<string, string[]>();
      for (const line of readRepo('docs/rules/README.md').split(/\r?\n/)) {
        if (!line.startsWith('|') || /^\|\s*-/.test(line)) continue;
        const cells = line
          .replace(/^\|/, '')
          .replace(/\|\s*$/, '')
          .split('|')
          .map((c) => c.trim());
        const m = /^\[`?([^\]`]+)`?\]\(([^)]+)\)$/.exec(cells[0]) ?? /^`?([^`]+)`?$/.exec(cells[0]);
        if (!m || !ID_RE.test(m[1])) continue;
        rows.set(m[1], cells);
      }
      return rows;
    }

    it('lists every rule id, and no id that is not a rule', function () {
      const rows = indexRows();
      const missing = ids.filter((id) => !rows.has(id));
      assert.deepEqual(missing, [], `rules missing from docs/rules/README.md: ${missing.join(', ')}`);
      const extra = [...rows.keys()].filter((id) => !idSet.has(id));
      assert.deepEqual(extra, [], `docs/rules/README.md lists ids that are not rules: ${extra.join(', ')}`);
    });

    it("links each rule to its page and states its category, default level and fixability", function () {
      const rows = indexRows();
      for (const r of RULES) {
        const cells = rows.get(r.id);
        if (!cells) continue; // reported by the test above
        const link = /\]\(([^)]+)\)/.exec(cells[0]);
        if (link) assert.equal(link[1], path.basename(ruleDocsPath(r.id)), `${r.id}: README links to ${link[1]}`);
        assert.ok(cells.length >= 6, `${r.id}: README row needs id, category, default, fix, 概要, summary`);
        assert.equal(cells[1].replace(/`/g, ''), r.meta.category, `${r.id}: README category`);
        assert.ok(
          cells[2].replace(/`/g, '').startsWith(r.meta.defaultLevel),
          `${r.id}: README default level "${cells[2]}", registry says ${r.meta.defaultLevel}`,
        );
        const fixable = cells[3] === '○';
        assert.equal(fixable, r.meta.fixable, `${r.id}: README fix column "${cells[3]}", registry says fixable=${r.meta.fixable}`);
        assert.ok(JAPANESE.test(cells[4]), `${r.id}: README needs a Japanese summary`);
        assert.ok(/[A-Za-z]{3,}/.test(cells[5]), `${r.id}: README needs an English summary`);
      }
    });
  });

  describe('message catalogues', function () {
    for (const r of RULES) {
      it(`${r.id}: every message id has a key in ja.json and en.json with the same placeholders`, function () {
        for (const msg of r.meta.messages) {
          const key = `${r.id}:${msg}`;
          const ja = catalogues.ja[key];
          const en = catalogues.en[key];
          assert.equal(typeof ja, 'string', `ja.json lacks ${key}`);
          assert.equal(typeof en, 'string', `en.json lacks ${key}`);
          assert.ok(ja.trim() !== '' && en.trim() !== '', `${key} is empty`);
          assert.deepEqual(placeholders(ja), placeholders(en), `${key}: placeholders differ between ja.json and en.json`);
        }
      });
    }

    it(`have no key for a rule id that does not exist (non-rule prefixes: ${[...NON_RULE_PREFIXES].join(', ')})`, function () {
      for (const [name, cat] of Object.entries(catalogues)) {
        const orphans = Object.keys(cat).filter((k) => {
          const p = prefixOf(k);
          return !NON_RULE_PREFIXES.has(p) && !idSet.has(p);
        });
        assert.deepEqual(orphans, [], `${name}.json: keys for unknown rules`);
      }
    });

    it("have no key for a message id its rule does not declare in meta.messages", function () {
      for (const [name, cat] of Object.entries(catalogues)) {
        const stale = Object.keys(cat).filter((k) => {
          const rule = RULES.find((r) => r.id === prefixOf(k));
          return rule !== undefined && !rule.meta.messages.includes(k.slice(rule.id.length + 1));
        });
        assert.deepEqual(stale, [], `${name}.json: keys no rule declares`);
      }
    });

    it('ja.json and en.json have the same keys with the same placeholders', function () {
      const ja = Object.keys(catalogues.ja);
      const en = Object.keys(catalogues.en);
      assert.deepEqual(
        ja.filter((k) => !(k in catalogues.en)),
        [],
        'keys only in ja.json',
      );
      assert.deepEqual(
        en.filter((k) => !(k in catalogues.ja)),
        [],
        'keys only in en.json',
      );
      const differ = ja.filter((k) => k in catalogues.en && placeholders(catalogues.ja[k]).join() !== placeholders(catalogues.en[k]).join());
      assert.deepEqual(differ, [], 'keys whose placeholders differ between ja.json and en.json');
    });
  });

  describe('package.json settings schema (keiyakuLint.rules)', function () {
    interface Schema {
      type?: string;
      enum?: string[];
      properties?: Record<string, Schema>;
      anyOf?: Schema[];
    }
    function rulesSetting(): Schema {
      const pkg = readJson<{ contributes?: { configuration?: unknown } }>('package.json');
      const conf = pkg.contributes?.configuration;
      const sections = (Array.isArray(conf) ? conf : [conf]) as { properties?: Record<string, Schema> }[];
      const found = sections.map((s) => s?.properties?.['keiyakuLint.rules']).find((s) => s !== undefined);
      assert.ok(found, 'package.json has no contributes.configuration property keiyakuLint.rules');
      return found;
    }
    function variants(s: Schema): Schema[] {
      return s.anyOf ?? [s];
    }

    it('lists exactly the registry rule ids', function () {
      const map = variants(rulesSetting()).find((v) => v.type === 'object' || v.properties);
      assert.ok(map?.properties, 'keiyakuLint.rules has no object form with properties');
      const listed = Object.keys(map.properties);
      assert.deepEqual(
        ids.filter((id) => !listed.includes(id)),
        [],
        'rules missing from package.json keiyakuLint.rules',
      );
      assert.deepEqual(
        listed.filter((id) => !idSet.has(id)),
        [],
        'package.json keiyakuLint.rules lists ids that are not rules',
      );
    });

    it('gives each rule (and the single-level form) the enum error|warning|information|hint|off', function () {
      const vs = variants(rulesSetting());
      const map = vs.find((v) => v.type === 'object' || v.properties);
      for (const [id, prop] of Object.entries(map?.properties ?? {})) {
        assert.equal(prop.type, 'string', `${id}: type`);
        assert.deepEqual([...(prop.enum ?? [])].sort(), [...LEVELS].sort(), `${id}: enum`);
      }
      const single = vs.find((v) => v.type === 'string');
      if (single) assert.deepEqual([...(single.enum ?? [])].sort(), [...LEVELS].sort(), 'single-level form: enum');
    });
  });
});
