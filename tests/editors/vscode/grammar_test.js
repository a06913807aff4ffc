'use strict';
// grammar_test.js EXTENSION_DIR SMC: the extension's TextMate grammar,
// run by vscode-textmate over sample files, gives the scopes committed in
// SAMPLE.tokens (one token a line: line:column, text, scopes without
// source.smdl).  SMC_UPDATE_GOLDEN=1 rewrites them, to be reviewed.
// sample.smdl is real smdl in canonical form (smc checks it) and holds
// every token class; errors.txt holds the tokens the lexer and checker
// reject (not named .smdl: every .smdl of the tree must parse).
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { loadGrammar, tokenize } = require('./textmate');

const ext = path.resolve(process.argv[2]);
const smc = process.argv[3];
const here = __dirname;

// The classes every highlighting of smdl needs, each shown in sample.smdl.
const classes = [
    'comment.line.double-slash.smdl', 'comment.block.smdl',
    'keyword.control.import.smdl', 'keyword.other.module.smdl', 'keyword.other.query.smdl',
    'keyword.other.constraint.smdl', 'keyword.operator.word.smdl',
    'storage.type.model.smdl', 'storage.type.table.smdl', 'storage.type.enum.smdl',
    'storage.type.query.smdl', 'storage.type.row.smdl', 'storage.type.type.smdl',
    'storage.modifier.partial.smdl', 'entity.name.type.smdl', 'entity.name.function.smdl',
    'entity.name.namespace.smdl', 'entity.other.inherited-class.smdl',
    'support.type.builtin.smdl', 'support.function.builtin.smdl',
    'entity.other.attribute-name.smdl', 'string.quoted.double.smdl',
    'constant.character.escape.smdl', 'constant.numeric.integer.smdl',
    'constant.numeric.float.smdl', 'constant.numeric.duration.smdl',
    'constant.language.boolean.smdl', 'constant.language.null.smdl',
    'variable.parameter.smdl', 'variable.other.member.smdl', 'variable.other.enummember.smdl',
    'keyword.operator.arrow.smdl', 'keyword.operator.comparison.smdl',
    'keyword.operator.assignment.smdl', 'keyword.operator.arithmetic.smdl',
    'keyword.operator.optional.smdl',
];
// And the marks of what smc rejects, each shown in errors.txt.
const invalid = [
    'invalid.illegal.escape.smdl', 'invalid.illegal.unknown-attribute.smdl',
    'invalid.illegal.stray-at.smdl', 'invalid.illegal.number.smdl',
];

// The classes that tests/editors/classes.txt expects of the sample every
// editor shares, as scopes.  'plain' is none of the other classes; VS
// Code still shows there what the others leave plain: a type named in a
// field (entity.name.type) and an unknown attribute (invalid).
const shared = {
    comment: /^comment\./, todo: /^comment\./, string: /^string\./,
    escape: /^constant\.character\.escape\./, 'bad-escape': /^invalid\.illegal\.escape\./,
    keyword: /^(keyword\.(control|other\.(module|query|constraint)|operator\.word)|storage\.(type|modifier))\./,
    'module-name': /^entity\.name\.namespace\./, 'type-name': /^entity\.name\.type\./,
    'query-name': /^entity\.name\.function\./, type: /^support\.type\./,
    attribute: /^entity\.other\.attribute-name\./, number: /^constant\.numeric\.integer\./,
    float: /^constant\.numeric\.float\./, duration: /^constant\.numeric\.duration\./,
    boolean: /^constant\.language\.boolean\./, null: /^constant\.language\.null\./,
    param: /^variable\.parameter\./,
    operator: /^keyword\.operator\.(arrow|comparison|assignment|arithmetic|optional)\./,
};
const highlighted = /^(comment|string|keyword|storage|constant|support|entity\.other\.attribute-name|entity\.name\.(function|namespace))\./;

// Each LINE COL TOKEN CLASS of a classes file: every character of TOKEN
// lies in a token whose scopes show CLASS.
function sharedClasses(grammar, sample, classes) {
    const dir = path.join(here, '..');
    const tokens = tokenize(grammar, fs.readFileSync(path.join(dir, sample), 'utf8'));
    let ok = true;
    for (const entry of fs.readFileSync(path.join(dir, classes), 'utf8').split('\n')) {
        if (entry === '' || entry.startsWith('#'))
            continue;
        const [line, col, text, cls] = entry.split(' ');
        const [l, c] = [Number(line), Number(col)];
        const at = tokens.filter((t) => t.line === l && t.col < c + text.length && t.col + t.text.length > c);
        const fits = (t) => (cls === 'plain' ? !t.scopes.some((x) => highlighted.test(x))
            : t.scopes.some((x) => shared[cls] && shared[cls].test(x)));
        if (at.length === 0 || !at.every(fits)) {
            console.log(`FAIL ${sample}:${l}:${c} '${text}' is not ${cls}: ` +
                at.map((t) => `'${t.text}' ${t.scopes.slice(1).join(' ')}`).join(', '));
            ok = false;
        }
    }
    return ok;
}

function dump(tokens) {
    return tokens
        .filter((t) => !/^\s+$/.test(t.text))
        .map((t) => `${t.line}:${t.col}\t${JSON.stringify(t.text)}\t${t.scopes.slice(1).join(' ')}\n`)
        .join('');
}

function compare(name, actual) {
    const file = path.join(here, name + '.tokens');
    if (process.env.SMC_UPDATE_GOLDEN) {
        fs.writeFileSync(file, actual);
        console.log(`updated ${file}`);
        return true;
    }
    const expected = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (actual === expected)
        return true;
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smdl-grammar-'));
    const got = path.join(tmp, name + '.tokens');
    fs.writeFileSync(got, actual);
    const diff = spawnSync('diff', ['-u', file, got], { encoding: 'utf8' });
    console.log(`FAIL ${name}: the scopes differ from ${name}.tokens (- expected, + actual):`);
    console.log(diff.stdout || diff.stderr);
    fs.rmSync(tmp, { recursive: true });
    return false;
}

function present(tokens, wanted, name) {
    const seen = new Set(tokens.flatMap((t) => t.scopes));
    const missing = wanted.filter((s) => !seen.has(s));
    for (const s of missing)
        console.log(`FAIL ${name} has no token of scope ${s}`);
    return missing.length === 0;
}

async function main() {
    const grammar = await loadGrammar(ext);
    let ok = true;

    const check = spawnSync(smc, ['check', path.join(here, 'sample.smdl')], { encoding: 'utf8' });
    if (check.status !== 0) {
        console.log(`FAIL smc check sample.smdl (status ${check.status}):\n${check.stderr}`);
        ok = false;
    }

    for (const [name, wanted] of [['sample.smdl', classes], ['errors.txt', invalid]]) {
        const tokens = tokenize(grammar, fs.readFileSync(path.join(here, name), 'utf8'));
        ok = compare(name, dump(tokens)) && ok;
        ok = present(tokens, wanted, name) && ok;
    }
    ok = sharedClasses(grammar, 'sample.smdl', 'classes.txt') && ok;
    ok = sharedClasses(grammar, 'invalid.smdl.in', 'invalid-classes.txt') && ok;
    console.log(ok ? 'grammar: ok' : 'grammar: FAILED');
    process.exitCode = ok ? 0 : 1;
}

main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
});
