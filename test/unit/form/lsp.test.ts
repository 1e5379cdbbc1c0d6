/**
 * The language server's side of the form: `keiyaku/blankForm` (for 「届出書を挿入」) and the
 * form-completeness diagnostics of a filled-in form. Runs the bundled server (dist/server.js);
 * skipped when it is missing or older than this feature (run `node esbuild.mjs`).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { blankFormFor } from '../../../server/src/lsp/form';
import { blankFormText } from '../../../server/src/engine/form/blank';
import { fileUri, PUSH_CAPS, SERVER, TestClient } from '../../lsp/helpers';
import { fixture } from './helpers';

describe('form: language server', function () {
  this.timeout(30_000);
  let client: TestClient | undefined;

  afterEach(function () {
    client?.dispose();
    client = undefined;
  });

  it('blankFormFor uses the line breaks of the document', function () {
    assert.equal(blankFormFor('第１ 受注者は、…\r\n').text, blankFormText({ eol: '\r\n' }));
    assert.equal(blankFormFor('第１ 受注者は、…\n').text, blankFormText());
    assert.equal(blankFormFor(undefined).text, blankFormText());
  });

  describe('over stdio', function () {
    before(function () {
      // npm test builds dist/ first (pretest)
      assert.ok(fs.existsSync(SERVER) && fs.readFileSync(SERVER, 'utf8').includes('keiyaku/blankForm'), 'dist/server.js is built with the form request: run `npm run build`');
    });

    it("answers keiyaku/blankForm with the blank form in the document's line breaks", async function () {
      client = new TestClient();
      await client.initialize(PUSH_CAPS);
      const uri = fileUri('form-crlf.keiyaku');
      await client.open(uri, '別記様式\r\n');
      const crlf = await client.connection.sendRequest<{ text: string } | null>('keiyaku/blankForm', { uri });
      assert.equal(crlf?.text, blankFormText({ eol: '\r\n' }));
      const unknown = await client.connection.sendRequest<{ text: string } | null>('keiyaku/blankForm', { uri: fileUri('not-open.txt') });
      assert.equal(unknown?.text, blankFormText());
    });

    it('publishes form-completeness diagnostics for a filled-in form, none for the blank one', async function () {
      client = new TestClient();
      await client.initialize(PUSH_CAPS);
      const filled = fileUri('invalid-pdf.keiyaku');
      await client.open(filled, fixture('forms/invalid-pdf.txt'));
      const p = await client.waitForDiagnostics(filled);
      const form = p.diagnostics.filter((d) => d.code === 'form-completeness');
      assert.equal(form.length, 8);
      assert.deepEqual(
        form.map((d) => d.range.start.line + 1),
        [7, 11, 27, 43, 55, 103, 127, 163],
      );
      const blank = fileUri('blank.keiyaku');
      await client.open(blank, blankFormText());
      const q = await client.waitForDiagnostics(blank);
      assert.deepEqual(
        q.diagnostics.filter((d) => d.code === 'form-completeness'),
        [],
      );
    });
  });
});
