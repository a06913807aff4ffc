'use strict';
// The smdl extension: highlighting and snippets are declared in
// package.json; this starts smc's language server for smdl documents and
// restarts it when its settings change.
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');
const { serverOptions } = require('./server');

let client;

function createClient() {
    const config = vscode.workspace.getConfiguration('smdl');
    return new LanguageClient('smdl', 'smdl language server', serverOptions(config), {
        // Files and unsaved buffers; not the old versions a diff shows.
        documentSelector: [
            { scheme: 'file', language: 'smdl' },
            { scheme: 'untitled', language: 'smdl' },
        ],
    });
}

async function activate(context) {
    client = createClient();
    context.subscriptions.push(
        vscode.workspace.onDidChangeConfiguration(async (event) => {
            if (!event.affectsConfiguration('smdl.server'))
                return;
            const old = client;
            client = createClient();
            // A server that never started has nothing to stop.
            await old.stop().catch(() => undefined);
            await client.start();
        }),
    );
    await client.start();
}

async function deactivate() {
    if (client)
        await client.stop();
    client = undefined;
}

module.exports = { activate, deactivate };
