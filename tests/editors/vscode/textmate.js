'use strict';
// The grammar of the extension under vscode-textmate, with the Oniguruma
// regular expressions VS Code itself uses (vscode-oniguruma's WASM build).
const fs = require('fs');
const path = require('path');
const oniguruma = require('vscode-oniguruma');
const textmate = require('vscode-textmate');

// The grammar named by the extension's package.json for language smdl.
async function loadGrammar(ext) {
    const pkg = JSON.parse(fs.readFileSync(path.join(ext, 'package.json'), 'utf8'));
    const entry = pkg.contributes.grammars.find((g) => g.language === 'smdl');
    const file = path.join(ext, entry.path);
    const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new textmate.Registry({
        onigLib: Promise.resolve({
            createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
            createOnigString: (s) => new oniguruma.OnigString(s),
        }),
        loadGrammar: async (scopeName) => {
            if (scopeName !== entry.scopeName)
                return null;
            return textmate.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
        },
    });
    const grammar = await registry.loadGrammar(entry.scopeName);
    if (!grammar)
        throw new Error(`${file}: no grammar for ${entry.scopeName}`);
    return grammar;
}

// The tokens of text, line by line: {line, col (1-based), text, scopes}.
function tokenize(grammar, text) {
    const out = [];
    let state = textmate.INITIAL;
    text.split('\n').forEach((line, i) => {
        const r = grammar.tokenizeLine(line, state);
        for (const t of r.tokens) {
            const s = line.slice(t.startIndex, t.endIndex);
            if (s.length > 0)
                out.push({ line: i + 1, col: t.startIndex + 1, text: s, scopes: t.scopes });
        }
        state = r.ruleStack;
    });
    return out;
}

module.exports = { loadGrammar, tokenize };
