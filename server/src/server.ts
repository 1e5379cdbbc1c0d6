/**
 * Keiyaku Lint language server entry point (bundled by esbuild.mjs into dist/server.js).
 *
 *   node dist/server.js --stdio        (any LSP client: Neovim, Emacs, the stdio tests)
 *   node dist/server.js --node-ipc     (the VS Code client)
 *
 * The transport comes from the command line (vscode-languageserver reads --stdio, --node-ipc,
 * --socket=N, --pipe=NAME). Everything else lives in lsp/server.ts.
 */
import * as path from 'path';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { capHeapGrowth, capYoungGeneration } from './lsp/heap';
import { startServer } from './lsp/server';

capHeapGrowth();
capYoungGeneration();

const connection = createConnection(ProposedFeatures.all);

// dist/server.js sits in dist/; the docs pages are in docs/ at the extension's root.
startServer(connection, { docsRoot: path.resolve(__dirname, '..') });
