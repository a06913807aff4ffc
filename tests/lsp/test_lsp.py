"""A real JSON-RPC session against `smc lsp`: diagnostics from unsaved
texts (exact UTF-16 ranges), hover, definition, references, completion,
symbols, rename, formatting, imports from open buffers, bad input.

usage: test_lsp.py SMC
"""
import os
import re
import subprocess
import sys
import tempfile

from lspclient import Server

SMC = sys.argv[1]
failures = []


def check(cond, what, got=None):
    if not cond:
        failures.append(what)
        print('FAIL: %s%s' % (what, '' if got is None else '\n  got: %r' % (got,)), file=sys.stderr)


def sanitizers_quiet(err, what):
    check('runtime error' not in err and 'Sanitizer' not in err, what + ': sanitizer reports', err)


def uri_of(path):
    return 'file://' + path


def pos(text, needle, nth=0, delta=0):
    """The LSP position (line, UTF-16 column) of the nth needle, plus delta bytes."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    at += delta
    line = text.count('\n', 0, at)
    start = text.rfind('\n', 0, at) + 1
    col = len(text[start:at].encode('utf-16-le')) // 2
    return {'line': line, 'character': col}


def rng(text, needle, nth=0, length=None):
    start = pos(text, needle, nth)
    end = dict(start)
    end['character'] += len(needle if length is None else needle[:length])
    return {'start': start, 'end': end}


def at(uri, p):
    return {'textDocument': {'uri': uri}, 'position': p}


SCHEMA = '''module heroes;

enum Power { flight, strength }

model HeroBase {
    name: text @index @max_len(100);
    age: int? @ge(0);
    power: Power = flight;
}

table Team {
    id: int @pk @auto;
    name: text @unique @doc("Élan 😀");  note: strng;
    heroes: [Hero] @rel(Hero.team_id);
}

table Hero : HeroBase {
    id: int @pk @auto;
    team_id: int? @fk(Team.id);
    team: Team? @rel(team_id);
}

model HeroUpdate = partial HeroBase;

query heroes_older_than(min_age: int) -> [Hero] {
    select Hero where age > :min_age and power == Power.strength order by name
}

query with_team() -> [Hero with team] { select Hero join Team where Team.name == "x" }
query rename_team(old: text, new: text) -> exec { update Team set name = :new where name == :old }
'''

tmp = tempfile.mkdtemp(prefix='smdl-lsp-')
path = os.path.join(tmp, 'heroes.smdl')
with open(path, 'w') as f:
    f.write('module heroes;\n')  # the disk copy differs: the buffer is what counts
uri = uri_of(path)

sv = Server(SMC)

# ---- Life cycle: a request before initialize is refused.
r = sv.request('textDocument/hover', at(uri, {'line': 0, 'character': 0}))
check(r.get('error', {}).get('code') == -32002, 'request before initialize', r)
r = sv.request('initialize', {'processId': None, 'rootUri': None, 'capabilities': {}})
caps = r['result']['capabilities']
check(caps['textDocumentSync']['change'] == 2 and caps['hoverProvider'] and
      caps['renameProvider'] == {'prepareProvider': True}, 'capabilities', caps)
sv.notify('initialized', {})

# ---- Diagnostics: an unknown type after non-ASCII text on its line.
sv.notify('textDocument/didOpen', {'textDocument': {
    'uri': uri, 'languageId': 'smdl', 'version': 1, 'text': SCHEMA}})
diags = sv.diagnostics(uri)
check(len(diags) == 1, 'one diagnostic', diags)
if diags:
    d = diags[0]
    check(d['range'] == rng(SCHEMA, 'strng'), 'range of the unknown type (UTF-16)', d['range'])
    check(d['code'] == 'E0201' and d['severity'] == 1 and d['source'] == 'smc',
          'code and severity', d)
    check(d['message'] == "unknown type 'strng'", 'message', d)

# Fixed by an incremental change: no diagnostics.
sv.notify('textDocument/didChange', {
    'textDocument': {'uri': uri, 'version': 2},
    'contentChanges': [{'range': rng(SCHEMA, 'strng'), 'text': 'text'}]})
diags = sv.diagnostics(uri)
check(diags == [], 'fixed: no diagnostics', diags)
TEXT = SCHEMA.replace('strng', 'text')

# Several ranges in one change, applied in order (the second range is
# in the text the first one left), on CRLF lines.
CR = 'module heroes;\r\ntable T {\r\n    id: int @pk;\r\n    s: text @doc("ü😀");\r\n}\r\n'
sv.notify('textDocument/didChange', {'textDocument': {'uri': uri, 'version': 3},
                                     'contentChanges': [{'text': CR}]})
check(sv.diagnostics(uri) == [], 'CRLF text')
sv.notify('textDocument/didChange', {'textDocument': {'uri': uri, 'version': 4}, 'contentChanges': [
    {'range': rng(CR, 'text'), 'text': 'txt'},
    {'range': {'start': pos(CR, ');'), 'end': pos(CR, ');')}, 'text': ' @unique'}]})
d = sv.diagnostics(uri)
CR2 = CR.replace('s: text @doc("ü😀")', 's: txt @doc("ü😀") @unique')
check(len(d) == 1 and d[0]['range'] == rng(CR2, 'txt'), 'two ranges in one change', d)
h = sv.request('textDocument/hover', at(uri, pos(CR2, 'id:', 0, 1)))['result']
check(h['range'] == rng(CR2, 'id'), 'positions on CRLF lines', h)

# A related note with its position: a duplicate field.
DUP = TEXT.replace('    age: int? @ge(0);\n', '    age: int? @ge(0);\n    age: int;\n')
sv.notify('textDocument/didChange', {'textDocument': {'uri': uri, 'version': 3},
                                     'contentChanges': [{'text': DUP}]})
diags = sv.diagnostics(uri)
check(len(diags) == 1 and diags[0]['range'] == rng(DUP, 'age', 1) and
      diags[0]['relatedInformation'][0]['location'] == {'uri': uri, 'range': rng(DUP, 'age', 0)},
      'duplicate field: range and related note', diags)
sv.notify('textDocument/didChange', {'textDocument': {'uri': uri, 'version': 4},
                                     'contentChanges': [{'text': TEXT}]})
check(sv.diagnostics(uri) == [], 'back to no diagnostics')

# ---- Hover.
def hover(p):
    r = sv.request('textDocument/hover', at(uri, p))
    return r['result']['contents']['value'] if r.get('result') else None

h = hover(pos(TEXT, 'name: text @unique', 0, 1))
check(h == '```smdl\nname: text @unique @doc("Élan 😀");\n```\n\n'
          'type `text` · column `name` · table `team`\n\nÉlan 😀', 'hover of a field', h)
h = hover(pos(TEXT, 'age > :min', 0, 1))
check(h == '```smdl\nage: int? @ge(0);\n```\n\ntype `int?` · column `age` · table `hero`',
      'hover of a column named in a query', h)
h = hover(pos(TEXT, 'Hero :', 0, 1))
check(h == '```smdl\ntable Hero : HeroBase\n```\n\ntable `hero` · C type `Hero`',
      'hover of a table', h)
# The query's signature is the generated header's.
out = os.path.join(tmp, 'gen')
with open(os.path.join(tmp, 'gen.smdl'), 'w') as f:
    f.write(TEXT.replace('module heroes;', 'module gen;'))
subprocess.run([SMC, os.path.join(tmp, 'gen.smdl'), '-o', out], check=True)
header = open(os.path.join(out, 'gen.h')).read()
sig = [l for l in header.split('\n') if l.startswith('int heroes_older_than(')]
h = hover(pos(TEXT, 'heroes_older_than', 0, 3))
check(len(sig) == 1 and h == '```smdl\nquery heroes_older_than(min_age: int) -> [Hero]\n```\n\n'
      '```c\n' + sig[0] + '\n```', 'hover of a query: the header\'s prototype', (h, sig))
h = hover(pos(TEXT, 'Power.strength', 0, 8))
check(h == '```smdl\nPower.strength\n```\n\nmember 1 of enum `Power`', 'hover of a member', h)
h = hover(pos(TEXT, ':min_age', 0, 2))
check(h == '```smdl\n:min_age: int\n```\n\nquery parameter · type `int`', 'hover of a parameter', h)
check(hover({'line': 1, 'character': 0}) is None, 'hover of nothing')
# Queries the checker could not resolve: no prototype, no crash.
for bad in ('-> [Nope]', '-> Nope', '-> each Nope', '-> nope'):
    BAD = TEXT.replace('-> [Hero]', bad).replace('(min_age: int)', '(min_age: intt, b: Nope)')
    sv.notify('textDocument/didChange', {'textDocument': {'uri': uri, 'version': 5},
                                         'contentChanges': [{'text': BAD}]})
    check(len(sv.diagnostics(uri)) >= 2, 'errors of a bad query ' + bad)
    h = hover(pos(BAD, 'heroes_older_than', 0, 3))
    check(h is not None and '```c' not in h, 'hover of a query that failed ' + bad, h)
    h = hover(pos(BAD, 'min_age', 0, 3))
    check(h is not None and 'query parameter' in h, 'hover of a parameter that failed ' + bad, h)
sv.notify('textDocument/didChange', {'textDocument': {'uri': uri, 'version': 6},
                                     'contentChanges': [{'text': TEXT}]})
check(sv.diagnostics(uri) == [], 'no diagnostics again')

# ---- Definition.
def definition(p):
    return sv.request('textDocument/definition', at(uri, p))['result']

check(definition(pos(TEXT, ':min_age', 0, 3)) == {'uri': uri, 'range': rng(TEXT, 'min_age')},
      'definition of a parameter')
check(definition(pos(TEXT, 'Team.id', 0, 6)) == {'uri': uri, 'range': rng(TEXT, 'id', 0)},
      'definition of a column in @fk')
check(definition(pos(TEXT, 'Team.id', 0, 1)) == {'uri': uri, 'range': rng(TEXT, 'Team', 0)},
      'definition of a table in @fk')
check(definition(pos(TEXT, '= flight', 0, 3)) == {'uri': uri, 'range': rng(TEXT, 'flight', 0)},
      'definition of an enum member in a default')
check(definition(pos(TEXT, 'Power.strength', 0, 7)) ==
      {'uri': uri, 'range': rng(TEXT, 'strength', 0)}, 'definition of Enum.member')
check(definition(pos(TEXT, ': HeroBase', 0, 3)) ==
      {'uri': uri, 'range': rng(TEXT, 'HeroBase', 0)}, 'definition of a base')
check(definition(pos(TEXT, '@rel(team_id', 0, 6)) == {'uri': uri, 'range': rng(TEXT, 'team_id:', 0, 7)},
      'definition of a relationship\'s column')
check(definition(pos(TEXT, 'by name', 0, 4)) == {'uri': uri, 'range': rng(TEXT, 'name', 0)},
      'definition of an inherited column in order by')

check(definition(pos(TEXT, 'with team', 0, 6)) == {'uri': uri, 'range': rng(TEXT, 'team:', 0, 4)},
      'definition of a relationship in with')
check(definition(pos(TEXT, 'join Team', 0, 6)) == {'uri': uri, 'range': rng(TEXT, 'Team', 0)},
      'definition of a joined table')
check(definition(pos(TEXT, 'Team.name ==', 0, 6)) ==
      {'uri': uri, 'range': rng(TEXT, 'name: text @unique', 0, 4)}, 'definition of a qualified column')
check(definition(pos(TEXT, 'set name', 0, 5)) ==
      {'uri': uri, 'range': rng(TEXT, 'name: text @unique', 0, 4)}, 'definition of a column set')
check(definition(pos(TEXT, 'update Team', 0, 8)) == {'uri': uri, 'range': rng(TEXT, 'Team', 0)},
      'definition of an updated table')
check(definition(pos(TEXT, ':old', 0, 2)) == {'uri': uri, 'range': rng(TEXT, 'old:', 0, 3)},
      'definition of a parameter of an update')

# ---- References: a field of a base, used through the table in a query.
refs = sv.request('textDocument/references', {**at(uri, pos(TEXT, 'age:', 0, 1)),
                                              'context': {'includeDeclaration': True}})['result']
check(refs == [{'uri': uri, 'range': rng(TEXT, 'age', 0)},
               {'uri': uri, 'range': rng(TEXT, 'age >', 0, 3)}], 'references of a field', refs)
refs = sv.request('textDocument/references', {**at(uri, pos(TEXT, 'Power {', 0, 1)),
                                              'context': {'includeDeclaration': False}})['result']
check(refs == [{'uri': uri, 'range': rng(TEXT, 'Power', 1)},
               {'uri': uri, 'range': rng(TEXT, 'Power', 2)}], 'references of an enum', refs)

# ---- Completion.
def labels(text, needle, delta):
    sv.notify('textDocument/didChange', {'textDocument': {'uri': uri, 'version': 10},
                                         'contentChanges': [{'text': text}]})
    sv.diagnostics(uri)
    r = sv.request('textDocument/completion', at(uri, pos(text, needle, 0, delta)))['result']
    return [i['label'] for i in r['items']]

ls = labels(TEXT.replace('@unique', '@uni'), '@uni', 4)
check(ls == ['unique'], 'completion of an attribute', ls)
ls = labels(TEXT.replace('Power.strength', 'Power.s'), 'Power.s', 7)
check(ls == ['strength'], 'completion of an enum member', ls)
ls = labels(TEXT.replace(':min_age and', ':m and'), ':m and', 2)
check(ls == ['min_age'], 'completion of a parameter', ls)
ls = labels(TEXT.replace('Power = flight', 'Power = '), 'Power = ', 8)
check(ls[-2:] == ['flight', 'strength'] and 'Team' not in ls and 'null' in ls,
      'completion of a default of an enum field', ls)
ls = labels(TEXT.replace('Power = flight', 'Power = st'), 'Power = st', 10)
check(ls == ['strength'], 'completion of a default of an enum field, begun', ls)
ls = labels(TEXT.replace('team_id: int?', 'team_id: Te'), 'team_id: Te', 11)
check(ls == ['Team'], 'completion of a type name', ls)
# In the middle of typing (the text does not parse): the names of the
# last text that did.
ls = labels(TEXT.replace('team_id: int? @fk(Team.id);', 'team_id: Te'), 'team_id: Te', 11)
check(ls == ['Team'], 'completion of a type name in a text that does not parse', ls)
ls = labels(TEXT.replace('where age', 'where ag'), 'where ag', 8)
check('age' in ls, 'completion of a column in a query', ls)
ls = labels(TEXT.replace('order by name', 'or'), ' or\n', 3)
check(sorted(ls) == ['or', 'order'], 'completion of keywords after an expression', ls)
ls = labels(TEXT.replace('\ntable Hero', '\nta Hero'), '\nta Hero', 3)
check(ls == ['table'], 'completion of a keyword starting a declaration', ls)
ls = labels(TEXT.replace('\ntable Hero', '\n Hero'), '\n Hero', 1)
check(sorted(ls) == ['enum', 'import', 'model', 'module', 'query', 'row', 'table', 'type'],
      'the keywords that may start a declaration', ls)
sv.notify('textDocument/didChange', {'textDocument': {'uri': uri, 'version': 11},
                                     'contentChanges': [{'text': TEXT}]})
check(sv.diagnostics(uri) == [], 'restored')

# ---- Symbols.
syms = sv.request('textDocument/documentSymbol', {'textDocument': {'uri': uri}})['result']
outline = [(s['name'], s['kind'], [c['name'] for c in s['children']]) for s in syms]
check(outline == [('heroes', 2, []), ('Power', 10, ['flight', 'strength']),
                  ('HeroBase', 23, ['name', 'age', 'power']), ('Team', 5, ['id', 'name', 'note', 'heroes']),
                  ('Hero', 5, ['id', 'team_id', 'team']), ('HeroUpdate', 23, []),
                  ('heroes_older_than', 12, ['min_age']), ('with_team', 12, []),
                  ('rename_team', 12, ['old', 'new'])], 'document symbols', outline)
check(syms[3]['selectionRange'] == rng(TEXT, 'Team', 0) and
      syms[3]['children'][1]['detail'] == 'text', 'symbol ranges and details', syms[3])

# ---- Rename.
def apply(text, edits):
    def off(p):
        lines = text.split('\n')
        before = '\n'.join(lines[:p['line']])
        o = len(before) + (1 if p['line'] else 0)
        line = lines[p['line']]
        units = 0
        i = 0
        while units < p['character']:
            units += len(line[i].encode('utf-16-le')) // 2
            i += 1
        return o + i
    for e in sorted(edits, key=lambda e: (e['range']['start']['line'],
                                          e['range']['start']['character']), reverse=True):
        text = text[:off(e['range']['start'])] + e['newText'] + text[off(e['range']['end']):]
    return text

r = sv.request('textDocument/prepareRename', at(uri, pos(TEXT, 'Team?', 0, 1)))['result']
check(r == {'range': rng(TEXT, 'Team?', 0, 4), 'placeholder': 'Team'}, 'prepareRename', r)
r = sv.request('textDocument/rename', {**at(uri, pos(TEXT, 'Team?', 0, 1)), 'newName': 'Squad'})
edits = r['result']['changes'][uri]
check(apply(TEXT, edits) == TEXT.replace('Team', 'Squad'), 'rename of a model', edits)
r = sv.request('textDocument/rename', {**at(uri, pos(TEXT, 'Hero.team_id', 0, 1)),
                                       'newName': 'Champion'})
edits = r['result']['changes'][uri]
check(apply(TEXT, edits) == re.sub(r'\bHero\b', 'Champion', TEXT), 'rename of a table', edits)
r = sv.request('textDocument/rename', {**at(uri, pos(TEXT, 'partial HeroBase', 0, 9)),
                                       'newName': 'Base'})
edits = r['result']['changes'][uri]
check(apply(TEXT, edits) == TEXT.replace('HeroBase', 'Base'), 'rename of a base model', edits)
r = sv.request('textDocument/rename', {**at(uri, pos(TEXT, 'age:', 0, 0)), 'newName': 'years'})
edits = r['result']['changes'][uri]
check(apply(TEXT, edits) == TEXT.replace('    age:', '    years:').replace('age >', 'years >'),
      'rename of a field', edits)
r = sv.request('textDocument/rename', {**at(uri, pos(TEXT, 'age:', 0, 0)), 'newName': '1x'})
check(r.get('error', {}).get('code') == -32602, 'rename to a bad name', r)
r = sv.request('textDocument/rename', {**at(uri, pos(TEXT, 'select', 0, 1)), 'newName': 'x'})
check(r.get('error', {}).get('code') == -32803, 'rename of a keyword', r)

# ---- Formatting: exactly smc fmt's text.
UGLY = 'module   heroes;\nenum Power{flight,strength}\n// kept\ntable Team{id:int @pk;}\n'
sv.notify('textDocument/didChange', {'textDocument': {'uri': uri, 'version': 20},
                                     'contentChanges': [{'text': UGLY}]})
sv.diagnostics(uri)
ugly_path = os.path.join(tmp, 'ugly.smdl')
with open(ugly_path, 'w') as f:
    f.write(UGLY)
want = subprocess.run([SMC, 'fmt', ugly_path], check=True, capture_output=True).stdout.decode()
r = sv.request('textDocument/formatting', {'textDocument': {'uri': uri},
                                           'options': {'tabSize': 4, 'insertSpaces': True}})
edits = r['result']
check(len(edits) == 1 and edits[0]['range']['start'] == {'line': 0, 'character': 0} and
      apply(UGLY, edits) == want, 'formatting is smc fmt', edits)
sv.notify('textDocument/didChange', {'textDocument': {'uri': uri, 'version': 21},
                                     'contentChanges': [{'text': want}]})
sv.diagnostics(uri)
r = sv.request('textDocument/formatting', {'textDocument': {'uri': uri}, 'options': {}})
check(r['result'] == [], 'formatting a canonical file: no edit', r)
sv.notify('textDocument/didChange', {'textDocument': {'uri': uri, 'version': 22},
                                     'contentChanges': [{'text': 'module heroes;\ntable {'}]})
check(len(sv.diagnostics(uri)) == 1, 'a syntax error')
r = sv.request('textDocument/formatting', {'textDocument': {'uri': uri}, 'options': {}})
check(r.get('error', {}).get('code') == -32803, 'formatting refused on syntax errors', r)

# ---- Two syntax errors in different declarations: both reported, each
# with its range; the declarations around them keep their symbols, and a
# reference to a broken declaration adds no error of its own.
TWO = ('module heroes;\nenum Power { flight, strength }\ntable Team {\n    id: int @pk;\n'
       '    name: text = ;\n}\ntable Hero {\n    id: int @pk;\n    team_id: int? @fk(Team.id);\n}\n'
       'model Broken { x: int y }\nquery all_heroes() -> [Hero] { select Hero order by id }\n')
sv.notify('textDocument/didChange', {'textDocument': {'uri': uri, 'version': 23},
                                     'contentChanges': [{'text': TWO}]})
diags = sv.diagnostics(uri)
check([(d['range']['start'], d['severity']) for d in diags] ==
      [(pos(TWO, '= ;', 0, 2), 1), (pos(TWO, 'y }'), 1)], 'two syntax errors, two diagnostics', diags)
syms = sv.request('textDocument/documentSymbol', {'textDocument': {'uri': uri}})['result']
check([s['name'] for s in syms] == ['heroes', 'Power', 'Hero', 'all_heroes'],
      'the declarations that parsed keep their symbols', syms)
check(definition(pos(TWO, 'Hero]', 0, 1)) == {'uri': uri, 'range': rng(TWO, 'Hero', 0)},
      'definition still answers in a file with syntax errors')

# ---- Imports: the open (unsaved) buffer of an imported file is used.
lib = os.path.join(tmp, 'lib.smdl')
with open(lib, 'w') as f:
    f.write('module lib;\n')  # on disk: no Color
MAIN = 'module heroes;\nimport "lib.smdl";\ntable Car {\n    id: int @pk;\n    color: Color;\n}\n'
sv.notify('textDocument/didChange', {'textDocument': {'uri': uri, 'version': 30},
                                     'contentChanges': [{'text': MAIN}]})
diags = sv.diagnostics(uri)
check(len(diags) == 1 and diags[0]['range'] == rng(MAIN, 'Color'), 'Color unknown on disk', diags)
LIB = 'module lib;\nenum Color { red, green }\n'
sv.notify('textDocument/didOpen', {'textDocument': {'uri': uri_of(lib), 'languageId': 'smdl',
                                                    'version': 1, 'text': LIB}})
check(sv.diagnostics(uri_of(lib)) == [], 'the imported buffer checks')
check(sv.diagnostics(uri) == [], 'the importer is checked again with the buffer')
check(definition(pos(MAIN, 'Color;', 0, 2)) == {'uri': uri_of(lib), 'range': rng(LIB, 'Color')},
      'definition in the imported buffer')
check(definition(pos(MAIN, 'lib.smdl', 0, 2)) ==
      {'uri': uri_of(lib), 'range': {'start': {'line': 0, 'character': 0},
                                     'end': {'line': 0, 'character': 0}}},
      'definition of an import')
# An error inside the imported buffer is shown on the import.
sv.notify('textDocument/didChange', {'textDocument': {'uri': uri_of(lib), 'version': 2},
                                     'contentChanges': [{'text': LIB + 'model T { x: nope; }\n'}]})
check(len(sv.diagnostics(uri_of(lib))) == 1, 'the error in the imported buffer')
diags = sv.diagnostics(uri)
check(len(diags) == 1 and diags[0]['range'] == rng(MAIN, '"lib.smdl"') and
      diags[0]['message'].startswith(lib + ':3:14: unknown type'), 'shown on the import', diags)
sv.notify('textDocument/didClose', {'textDocument': {'uri': uri_of(lib)}})
check(sv.diagnostics(uri_of(lib)) == [], 'closing clears its diagnostics')

# ---- Include directories: initializationOptions and -I.
inc = os.path.join(tmp, 'inc')
os.mkdir(inc)
with open(os.path.join(inc, 'shared.smdl'), 'w') as f:
    f.write('module shared;\nenum Size { small, large }\n')
USE = 'module heroes;\nimport "shared.smdl";\nimport "std/types.smdl";\n' \
      'table Box {\n    id: int @pk;\n    size: Size;\n    mail: email;\n}\n'
sv.notify('textDocument/didChange', {'textDocument': {'uri': uri, 'version': 40},
                                     'contentChanges': [{'text': USE}]})
diags = sv.diagnostics(uri)
check(len(diags) == 2 and diags[0]['code'] == 'E0103', 'shared.smdl not found without -I', diags)

# ---- Bad input: the session goes on after each.
def error_of(raw):
    sv.raw(raw)
    m = sv.read()
    return m.get('id', 'missing'), m.get('error', {}).get('code')

check(error_of(b'garbage bytes\r\n\r\n') == (None, -32700), 'garbage bytes')
check(error_of(b'Content-Length: x12\r\n\r\n') == (None, -32700), 'bad Content-Length')
check(error_of(b'Content-Length: 8\r\n\r\n{"jsonrp') == (None, -32700), 'invalid JSON')
check(error_of(b'Content-Length: 4\r\n\r\n[1,]') == (None, -32700), 'invalid JSON array')
check(error_of(b'Content-Length: 2\r\n\r\n[]') == (None, -32600), 'not a request')
check(error_of(b'Content-Length: 200\r\n\r\n' + b'[' * 200) == (None, -32700), 'nesting too deep')
check(error_of(b'Content-Length: 19\r\n\r\n{"id":7,"method":1}') == (7, -32600), 'method not a string')
check(error_of(b'Content-Length: 4\r\n\r\n\xff\xfe\x00\x01') == (None, -32700), 'bytes that are not UTF-8')
big = 65 * 1024 * 1024 + 1
check(error_of(b'Content-Length: %d\r\n\r\n' % big + b' ' * big) == (None, -32700),
      'a message too large')
r = sv.request('no/such/method', {})
check(r.get('error', {}).get('code') == -32601 and r['id'] == sv.next_id - 1,
      'unknown method', r)
sv.notify('no/such/notification', {})
sv.send({'jsonrpc': '2.0', 'id': 'str-id', 'method': 'textDocument/hover',
         'params': at('file:///not/open.smdl', {'line': 0, 'character': 0})})
r = sv.response('str-id')
check(r.get('error', {}).get('code') == -32602, 'a document not open', r)
r = sv.request('textDocument/hover', {'textDocument': 3})
check(r.get('error', {}).get('code') == -32602, 'bad params', r)
check(sv.request('shutdown')['result'] is None, 'shutdown')
r = sv.request('textDocument/hover', at(uri, {'line': 0, 'character': 0}))
check(r.get('error', {}).get('code') == -32600, 'a request after shutdown', r)
sv.notify('exit')
rc, err = sv.close()
check(rc == 0, 'exit after shutdown: status 0', (rc, err))
sanitizers_quiet(err, 'the session')

# -I given as arguments, and initializationOptions.includeDirs.
for args, opts in (([' -I', inc], None), ([], {'includeDirs': [inc]})):
    s2 = Server(SMC, [a.strip() for a in args])
    s2.request('initialize', {'capabilities': {}, 'initializationOptions': opts})
    s2.notify('textDocument/didOpen', {'textDocument': {'uri': uri, 'languageId': 'smdl',
                                                        'version': 1, 'text': USE}})
    check(s2.diagnostics(uri) == [], 'include directory %r %r' % (args, opts))
    r = s2.request('textDocument/definition', at(uri, pos(USE, 'email;', 0, 2)))['result']
    check(r['uri'].endswith('/std/types.smdl') and
          r['range'] == {'start': {'line': 5, 'character': 5}, 'end': {'line': 5, 'character': 10}},
          'definition in the standard library', r)
    r = s2.request('textDocument/definition', at(uri, pos(USE, 'Size;', 0, 2)))['result']
    check(r == {'uri': uri_of(os.path.join(inc, 'shared.smdl')),
                'range': {'start': {'line': 1, 'character': 5}, 'end': {'line': 1, 'character': 9}}},
          'definition in an include directory', r)
    rc, err = s2.close()  # the client disappears without exit
    check(rc == 1, 'end of input without exit: status 1', (rc, err))
    sanitizers_quiet(err, 'include directories')

# A relative -I directory (from the server's working directory) meets the
# open buffers, which the client names by absolute URIs.
s5 = Server(SMC, ['-I', 'inc'], cwd=tmp)
s5.request('initialize', {'capabilities': {}})
SHARED = 'module shared;\nenum Size { small, large }\nenum Shade { dark }\n'
s5.notify('textDocument/didOpen', {'textDocument': {
    'uri': uri_of(os.path.join(inc, 'shared.smdl')), 'languageId': 'smdl', 'version': 1,
    'text': SHARED}})
s5.diagnostics(uri_of(os.path.join(inc, 'shared.smdl')))
USE2 = USE.replace('size: Size;', 'size: Size;\n    shade: Shade;')
s5.notify('textDocument/didOpen', {'textDocument': {'uri': uri, 'languageId': 'smdl',
                                                    'version': 1, 'text': USE2}})
check(s5.diagnostics(uri) == [], 'a relative -I directory and an open buffer')
r = s5.request('textDocument/definition', at(uri, pos(USE2, 'Shade;', 0, 2)))['result']
check(r == {'uri': uri_of(os.path.join(inc, 'shared.smdl')), 'range': rng(SHARED, 'Shade')},
      'definition through a relative -I directory', r)
rc, err = s5.close()
sanitizers_quiet(err, 'relative -I')

# A path with a space and a non-ASCII letter, percent-encoded in its URI;
# a URI of another scheme (an unsaved buffer) is checked too.
s4 = Server(SMC)
s4.request('initialize', {'capabilities': {}})
odd = 'file://' + tmp + '/caf%C3%A9%20x.smdl'
s4.notify('textDocument/didOpen', {'textDocument': {'uri': odd, 'languageId': 'smdl',
                                                    'version': 1, 'text': 'module cafe;\n'}})
d = s4.diagnostics(odd)
check(len(d) == 1 and d[0]['code'] == '-Wmodule-name' and d[0]['severity'] == 2 and
      "in a file named 'café x.smdl'" in d[0]['message'], 'a percent-encoded URI', d)
s4.notify('textDocument/didOpen', {'textDocument': {'uri': 'untitled:Untitled-1',
                                                    'languageId': 'smdl', 'version': 1,
                                                    'text': 'module m;\ntable T { id: nope; }\n'}})
d = s4.diagnostics('untitled:Untitled-1')
check([x['code'] for x in d] == ['E0201', 'E0302'], 'an untitled buffer: no -Wmodule-name', d)
rc, err = s4.close()
sanitizers_quiet(err, 'odd URIs')

# A client that goes away mid-message.
s3 = Server(SMC)
s3.raw(b'Content-Length: 100\r\n\r\n{"jsonrpc"')
rc, err = s3.close()
check(rc == 1, 'cut message: status 1, no hang', (rc, err))
sanitizers_quiet(err, 'cut message')

# The command line.
h1 = subprocess.run([SMC, 'lsp', '-h'], capture_output=True)
h2 = subprocess.run([SMC, 'help', 'lsp'], capture_output=True)
check(h1.returncode == 0 and h1.stdout == h2.stdout and h1.stdout.startswith(b'usage: smc lsp'),
      'smc lsp -h is smc help lsp', (h1, h2))
b = subprocess.run([SMC, 'lsp', '--bogus'], capture_output=True, stdin=subprocess.DEVNULL)
check(b.returncode == 2 and b.stdout == b'' and b"'--bogus'" in b.stderr, 'a bad option', b)

if failures:
    print('%d failure(s)' % len(failures), file=sys.stderr)
    sys.exit(1)
print('lsp: all checks passed')
