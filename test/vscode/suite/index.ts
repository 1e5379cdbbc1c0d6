/**
 * Entry point VS Code loads for the test run (extensionTestsPath): runs every *.vscode.js file
 * of this folder with mocha. (Named *.vscode.ts so that the plain mocha run of npm test, which
 * looks for *.test.js, leaves them alone: they need the VS Code API.)
 */
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: true, timeout: 60_000 });
  for (const f of fs.readdirSync(__dirname).sort()) {
    if (f.endsWith('.vscode.js')) mocha.addFile(path.join(__dirname, f));
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
  });
}
