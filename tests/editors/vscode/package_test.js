'use strict';
// package_test.js EXTENSION_DIR SMC: the extension's manifest is what VS
// Code needs and agrees with its files: the language, grammar, snippets
// and settings it names exist and parse, the dependencies are pinned in
// the lockfile, the indentation rules indent a model body, the snippets
// expand to smdl that smc accepts, and the extension's code compiles.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const ext = path.resolve(process.argv[2]);
const smc = process.argv[3];
const failures = [];

function expect(cond, what) {
    if (!cond)
        failures.push(what);
    return cond;
}

function readJson(rel) {
    const file = path.join(ext, rel);
    if (!expect(fs.existsSync(file), `${rel} does not exist`))
        return null;
    try {
        return JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
        failures.push(`${rel} is not valid JSON: ${e.message}`);
        return null;
    }
}

const pkg = readJson('package.json');
const lock = readJson('package-lock.json');

// The manifest fields VS Code and vsce require.
for (const key of ['name', 'displayName', 'description', 'version', 'publisher', 'license'])
    expect(typeof pkg[key] === 'string' && pkg[key] !== '', `package.json has no ${key}`);
expect(pkg.name === 'smdl', `package.json name is '${pkg.name}', not 'smdl'`);
expect(/^\^\d+\.\d+\.\d+$/.test(pkg.engines && pkg.engines.vscode), 'engines.vscode is not a ^x.y.z range');
expect(pkg.main === './src/extension.js', `main is '${pkg.main}', not './src/extension.js'`);
expect(fs.existsSync(path.join(ext, pkg.main)), `main ${pkg.main} does not exist`);
expect((pkg.activationEvents || []).includes('onLanguage:smdl'), 'no activationEvents onLanguage:smdl');

const c = pkg.contributes || {};
const lang = (c.languages || []).find((l) => l.id === 'smdl');
let langConfig = null;
if (expect(lang, 'contributes.languages has no language smdl')) {
    expect((lang.extensions || []).includes('.smdl'), 'language smdl does not claim .smdl files');
    langConfig = readJson(lang.configuration);
}
const grammarEntry = (c.grammars || []).find((g) => g.language === 'smdl');
if (expect(grammarEntry, 'contributes.grammars has no grammar of smdl')) {
    expect(grammarEntry.scopeName === 'source.smdl', `grammar scopeName '${grammarEntry.scopeName}'`);
    const grammar = readJson(grammarEntry.path);
    if (grammar)
        expect(grammar.scopeName === grammarEntry.scopeName,
            `${grammarEntry.path} has scopeName '${grammar.scopeName}', package.json '${grammarEntry.scopeName}'`);
}
const snippetsEntry = (c.snippets || []).find((s) => s.language === 'smdl');
const snippets = expect(snippetsEntry, 'contributes.snippets has no snippets of smdl')
    ? readJson(snippetsEntry.path) : null;

// Indentation as smc fmt writes it: four spaces.
const indent = (c.configurationDefaults || {})['[smdl]'] || {};
expect(indent['editor.tabSize'] === 4 && indent['editor.insertSpaces'] === true,
    'configurationDefaults do not indent smdl by four spaces, as smc fmt does');

// Settings: the server command and its extra arguments.
const props = (c.configuration && c.configuration.properties) || {};
expect(props['smdl.server.path'] && props['smdl.server.path'].type === 'string' &&
    props['smdl.server.path'].default === 'smc', 'setting smdl.server.path (string, default "smc")');
expect(props['smdl.server.args'] && props['smdl.server.args'].type === 'array' &&
    Array.isArray(props['smdl.server.args'].default) && props['smdl.server.args'].default.length === 0,
'setting smdl.server.args (array, default [])');

// Exact versions, as the lockfile resolves them.
for (const field of ['dependencies', 'devDependencies'])
    for (const [name, version] of Object.entries(pkg[field] || {})) {
        expect(/^\d+\.\d+\.\d+$/.test(version), `${field}.${name} '${version}' is not an exact version`);
        const locked = lock && lock.packages && lock.packages[`node_modules/${name}`];
        expect(locked && locked.version === version,
            `package-lock.json has ${name} ${locked && locked.version}, package.json ${version}`);
    }
expect(pkg.dependencies && pkg.dependencies['vscode-languageclient'], 'no dependency on vscode-languageclient');
expect(lock && lock.lockfileVersion === 3, 'package-lock.json is not lockfileVersion 3');
for (const field of ['dependencies', 'devDependencies'])
    expect(JSON.stringify(lock && lock.packages[''][field]) === JSON.stringify(pkg[field]),
        `package-lock.json's ${field} differ from package.json's: run npm install`);

// Comments and brackets as the lexer has them; indentation of a body.
if (langConfig) {
    expect(langConfig.comments && langConfig.comments.lineComment === '//', 'lineComment is not //');
    expect(JSON.stringify(langConfig.comments && langConfig.comments.blockComment) === '["/*","*/"]',
        'blockComment is not /* */');
    const rules = langConfig.indentationRules || {};
    const inc = new RegExp(rules.increaseIndentPattern);
    const dec = new RegExp(rules.decreaseIndentPattern);
    for (const line of ['table Hero {', 'query q(id: int) -> [Hero] {', '    check (', 'enum E { // members',
        '    heroes: [Hero] @rel(Hero.team_id', 'model M : Base @doc("x") {'])
        expect(inc.test(line), `increaseIndentPattern does not indent after '${line}'`);
    for (const line of ['enum E { a, b }', '    name: text;', '// a {', '    x: text = "{";', '}'])
        expect(!inc.test(line), `increaseIndentPattern indents after '${line}'`);
    for (const line of ['}', '    }', ')', ']'])
        expect(dec.test(line), `decreaseIndentPattern does not outdent '${line}'`);
    expect(!dec.test('    name: text;'), 'decreaseIndentPattern outdents a field');
}

// Each snippet, its placeholders taken at their defaults, is smdl that
// smc accepts: all of them together form one checked file.
function expand(body) {
    const values = {};
    let text = body.join('\n');
    // ${N:default} defines N; a later bare ${N}/$N repeats it.
    text = text.replace(/\$\{(\d+):([^}]*)\}/g, (_, n, d) => (values[n] = d));
    return text.replace(/\$\{?(\d+)\}?/g, (_, n) => values[n] || '').replace(/\t/g, '    ');
}
if (snippets) {
    for (const want of ['module', 'import', 'model', 'table', 'enum', 'query'])
        expect(Object.values(snippets).some((s) => s.prefix === want), `no snippet with prefix '${want}'`);
    const order = ['module', 'import', 'enum', 'model', 'table', 'row', 'query'];
    const keys = Object.keys(snippets).sort((a, b) => order.indexOf(a) - order.indexOf(b));
    for (const k of keys)
        expect(Array.isArray(snippets[k].body) && snippets[k].description, `snippet '${k}' lacks body or description`);
    const text = keys.map((k) => expand(snippets[k].body)).join('\n');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smdl-snippets-'));
    const file = path.join(dir, 'name.smdl');
    fs.writeFileSync(file, text);
    const r = spawnSync(smc, ['check', file], { encoding: 'utf8' });
    expect(r.status === 0, `the expanded snippets fail smc check:\n${text}\n${r.stderr}`);
    fs.rmSync(dir, { recursive: true });
}

// The extension's code compiles; its server options are `smc lsp` with
// the settings' extra arguments (the module runs without VS Code).
for (const file of ['src/extension.js', 'src/server.js']) {
    const r = spawnSync(process.execPath, ['--check', path.join(ext, file)], { encoding: 'utf8' });
    expect(r.status === 0, `${file} does not compile:\n${r.stderr}`);
}
const { serverOptions } = require(path.join(ext, 'src/server.js'));
const settings = (values) => ({ get: (key, d) => (key in values ? values[key] : d) });
const defaults = serverOptions(settings({}));
expect(JSON.stringify(defaults) === '{"command":"smc","args":["lsp"]}',
    `server options by default: ${JSON.stringify(defaults)}`);
const custom = serverOptions(settings({ 'server.path': '/opt/smc', 'server.args': ['-v'] }));
expect(JSON.stringify(custom) === '{"command":"/opt/smc","args":["lsp","-v"]}',
    `server options with settings: ${JSON.stringify(custom)}`);
let threw = false;
try {
    serverOptions(settings({ 'server.args': '-v' }));
} catch (e) {
    threw = /smdl.server.args/.test(e.message);
}
expect(threw, 'server.args that is not an array of strings is not refused');

for (const f of failures)
    console.log('FAIL ' + f);
console.log(failures.length ? `package: ${failures.length} failures` : 'package: ok');
process.exitCode = failures.length ? 1 : 0;
