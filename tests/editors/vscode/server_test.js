'use strict';
// server_test.js EXTENSION_DIR SMC: the language server, started as the
// extension starts it (its server options from the settings' defaults,
// smdl.server.path pointing at the smc under test) and spoken to over
// stdio with vscode-jsonrpc, the protocol layer of vscode-languageclient:
// it initializes with the capabilities the extension relies on, reports
// an error of an opened document, clears it once fixed, and shuts down.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const rpc = require('vscode-jsonrpc/node');

const ext = path.resolve(process.argv[2]);
const smc = process.argv[3];
const { serverOptions } = require(path.join(ext, 'src/server.js'));
const failures = [];

function expect(cond, what) {
    if (!cond)
        failures.push(what);
    return cond;
}

// A bound against a hang, not a measure of speed.
function within(ms, promise, what) {
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer to ${what} in ${ms / 1000} s`)), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function main() {
    const pkg = JSON.parse(fs.readFileSync(path.join(ext, 'package.json'), 'utf8'));
    const props = pkg.contributes.configuration.properties;
    const values = { 'server.path': smc, 'server.args': props['smdl.server.args'].default };
    const opts = serverOptions({ get: (key, d) => (key in values ? values[key] : d) });

    const proc = spawn(opts.command, opts.args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (d) => (stderr += d));
    proc.stdin.on('error', () => undefined); // a dead server: reported by 'died'
    const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
    // Every wait ends early if the server dies.
    const died = exited.then((e) => {
        throw new Error(`smc lsp exited (${JSON.stringify(e)}) before it was asked to`);
    });
    died.catch(() => undefined);
    const answer = (promise, what) => within(30000, Promise.race([promise, died]), what);
    const conn = rpc.createMessageConnection(
        new rpc.StreamMessageReader(proc.stdout), new rpc.StreamMessageWriter(proc.stdin));
    const published = [];
    let waiting = null;
    conn.onNotification('textDocument/publishDiagnostics', (params) => {
        published.push(params);
        if (waiting)
            waiting();
    });
    conn.listen();
    // The next diagnostics published for uri.
    const nextDiagnostics = (uri) => answer(new Promise((resolve) => {
        const look = () => {
            const i = published.findIndex((p) => p.uri === uri);
            if (i < 0)
                return;
            waiting = null;
            resolve(published.splice(i, 1)[0].diagnostics);
        };
        waiting = look;
        look();
    }), `diagnostics of ${uri}`);

    try {
        const init = await answer(conn.sendRequest('initialize', {
            processId: process.pid,
            clientInfo: { name: 'smdl-vscode-test' },
            rootUri: null,
            capabilities: {},
        }), 'initialize');
        const caps = (init && init.capabilities) || {};
        for (const cap of ['textDocumentSync', 'hoverProvider', 'definitionProvider', 'referencesProvider',
            'completionProvider', 'documentSymbolProvider', 'documentFormattingProvider', 'renameProvider'])
            expect(caps[cap], `initialize: no capability ${cap} in ${JSON.stringify(caps)}`);
        conn.sendNotification('initialized', {});

        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smdl-server-'));
        const uri = 'file://' + path.join(dir, 'a.smdl');
        const broken = 'module a;\n\ntable T {\n    id: int @pk;\n    name: strng;\n}\n';
        conn.sendNotification('textDocument/didOpen', {
            textDocument: { uri, languageId: 'smdl', version: 1, text: broken },
        });
        const first = await nextDiagnostics(uri);
        const at = first.find((d) => d.range.start.line === 4);
        if (expect(at, `no diagnostic on line 5 of a.smdl: ${JSON.stringify(first)}`))
            expect(at.range.start.character === 10 && at.range.end.character === 15 &&
                /strng/.test(at.message), `the diagnostic of 'strng': ${JSON.stringify(at)}`);

        conn.sendNotification('textDocument/didChange', {
            textDocument: { uri, version: 2 },
            contentChanges: [{ text: broken.replace('strng', 'text') }],
        });
        const second = await nextDiagnostics(uri);
        expect(second.length === 0, `diagnostics remain once fixed: ${JSON.stringify(second)}`);
        fs.rmSync(dir, { recursive: true });

        await answer(conn.sendRequest('shutdown'), 'shutdown');
        conn.sendNotification('exit');
        const end = await within(30000, exited, 'exit');
        expect(end.code === 0, `smc lsp exited with ${JSON.stringify(end)}`);
    } catch (e) {
        failures.push(e.message);
        proc.kill();
    }
    conn.dispose();
    for (const f of failures)
        console.log('FAIL ' + f);
    if (failures.length && stderr)
        console.log(`smc lsp wrote on stderr:\n${stderr}`);
    console.log(failures.length ? `server: ${failures.length} failures` : 'server: ok');
    process.exitCode = failures.length ? 1 : 0;
}

main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
});
