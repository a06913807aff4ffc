'use strict';
// words_test.js EXTENSION_DIR SMC: the grammar knows the language's words
// exactly as smc does (`smc debug-words`: the lexer's keywords, the
// checker's attributes, the built-in types).  Each word is tokenized where
// it is used and must get its scope; the grammar's word lists may hold no
// word smc does not know; and a longer identifier starting with a word is
// not taken for it.  The check is shown to fail on a grammar that drifted.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { loadGrammar, tokenize } = require('./textmate');

const ext = path.resolve(process.argv[2]);
const smc = process.argv[3];

function smcWords() {
    const words = { keyword: new Set(), attribute: new Set(), type: new Set() };
    for (const line of execFileSync(smc, ['debug-words'], { encoding: 'utf8' }).split('\n')) {
        if (line === '')
            continue;
        const [kind, word] = line.split(' ');
        if (!words[kind] || !word)
            throw new Error(`unexpected line from smc debug-words: '${line}'`);
        words[kind].add(word);
    }
    for (const [kind, set] of Object.entries(words))
        if (set.size === 0)
            throw new Error(`smc debug-words lists no ${kind}`);
    return words;
}

// The words of a grammar rule's regular expressions: what is left once
// escapes (\b, \s), character classes and group openers are removed.
function ruleWords(rule, out = new Set()) {
    for (const key of ['match', 'begin'])
        if (typeof rule[key] === 'string')
            for (const w of rule[key]
                .replace(/\\./g, ' ')
                .replace(/\[[^\]]*\]/g, ' ')
                .replace(/\(\?(?:<?[=!]|:)/g, ' ')
                .match(/[a-z][a-z0-9_]*/g) || [])
                out.add(w);
    for (const p of rule.patterns || [])
        ruleWords(p, out);
    return out;
}

// Each test document is a model body and a query around one line.
function scopesOf(grammar, line, word) {
    const doc = `module m;\ntable T {\n${line}\n}\n`;
    const tokens = tokenize(grammar, doc).filter((t) => t.line === 3 && t.text === word);
    return tokens.map((t) => t.scopes);
}

const kinds = {
    keyword: {
        contexts: ['W', '    W (x);', '    W key (x);', '    primary W (x);', 'query q() -> T { select T where W }'],
        scope: /^(keyword|storage|constant\.language)\./,
        rule: 'keywords',
    },
    attribute: {
        contexts: ['    x: int @W;', '    x: int @W(1);'],
        prefix: '@',
        scope: /^entity\.other\.attribute-name\.smdl$/,
        rule: 'attributes',
    },
    type: {
        contexts: ['    x: W;', '    x: W?;', 'query q(p: W) -> W { select 1 }', 'type t = W;'],
        scope: /^support\.type\.builtin\.smdl$/,
        rule: 'builtin-types',
        all: true, // a type must be recognised in every place a type is written
    },
};

function grammarFile(dir) {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    return path.join(dir, pkg.contributes.grammars.find((g) => g.language === 'smdl').path);
}

// The differences between the grammar of the extension in dir and smc's words.
async function check(dir, words) {
    const grammar = await loadGrammar(dir);
    const repo = JSON.parse(fs.readFileSync(grammarFile(dir), 'utf8')).repository;
    const failures = [];

    for (const [kind, k] of Object.entries(kinds)) {
        for (const w of [...words[kind]].sort()) {
            const token = (k.prefix || '') + w;
            const hits = k.contexts.map((c) =>
                scopesOf(grammar, c.replace('W', w), token).some((s) => s.some((x) => k.scope.test(x))));
            if (k.all ? !hits.every(Boolean) : !hits.some(Boolean))
                failures.push(`${kind} '${w}' is not highlighted as ${k.scope} ` +
                    `(in ${k.contexts.filter((_, i) => !hits[i]).map((c) => `'${c}'`).join(', ')})`);
            // A longer name is an identifier (or an unknown attribute), not the word.
            const longer = token + 'x';
            for (const c of k.contexts)
                if (scopesOf(grammar, c.replace('W', w + 'x'), longer).some((s) => s.some((x) => k.scope.test(x))))
                    failures.push(`'${longer}' is highlighted as the ${kind} '${w}' in '${c}'`);
        }
        const listed = ruleWords(repo[k.rule]);
        for (const w of [...listed].sort())
            if (!words[kind].has(w))
                failures.push(`the grammar's rule '${k.rule}' names '${w}', which smc does not know as a ${kind}`);
        for (const w of [...words[kind]].sort())
            if (!listed.has(w))
                failures.push(`the grammar's rule '${k.rule}' does not name the ${kind} '${w}'`);
    }

    return failures;
}

// The check can fail: a copy of the grammar without the keyword 'as', the
// attribute 'doc' and the type 'dir', and with a keyword smc lacks, is
// reported for each.
async function selfTest(words) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smdl-words-'));
    try {
        const text = fs.readFileSync(grammarFile(ext), 'utf8')
            .replace('(?:as|asc|', '(?:asc|smdlnotakeyword|')
            .replace(/\|doc\|/g, '|')
            .replace('|dir|', '|');
        fs.mkdirSync(path.join(dir, path.dirname(path.relative(ext, grammarFile(ext)))), { recursive: true });
        fs.copyFileSync(path.join(ext, 'package.json'), path.join(dir, 'package.json'));
        fs.writeFileSync(path.join(dir, path.relative(ext, grammarFile(ext))), text);
        const found = (await check(dir, words)).join('\n');
        const missed = [/keyword 'as' is not/, /names 'smdlnotakeyword'/, /attribute 'doc' is not/,
            /type 'dir' is not/].filter((re) => !re.test(found));
        return missed.map((re) => `a grammar changed to fail ${re} passes the check`);
    } finally {
        fs.rmSync(dir, { recursive: true });
    }
}

async function main() {
    const words = smcWords();
    const failures = (await check(ext, words)).concat(await selfTest(words));
    for (const f of failures)
        console.log('FAIL ' + f);
    const n = Object.values(words).reduce((a, s) => a + s.size, 0);
    console.log(failures.length ? `words: ${failures.length} failures` : `words: ok, ${n} words`);
    process.exitCode = failures.length ? 1 : 0;
}

main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
});
