"""Random requests against `smc lsp`, from a fixed seed: edits at random
ranges (past the end, reversed, inside multi-byte characters), positions
anywhere, parameters of the wrong types, mangled JSON and headers.  Every
request must get one response (a result or an error), the server must
stay up and end cleanly, and nothing may reach the sanitizers.

usage: test_lsp_random.py SMC [COUNT [SEED]]
"""
import json
import random
import sys

from lspclient import Server

SMC = sys.argv[1]
COUNT = int(sys.argv[2]) if len(sys.argv) > 2 else 400
rnd = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 20261207)

BASE = '''module heroes;
import "std/types.smdl";
enum Power { flight, strength }
model HeroBase { name: text @index @max_len(100); age: int? @ge(0); power: Power = flight; }
table Team { id: int @pk @auto; name: text @unique @doc("Élan 😀"); heroes: [Hero] @rel(Hero.team_id); }
table Hero : HeroBase { id: int @pk @auto; team_id: int? @fk(Team.id); team: Team? @rel(team_id);
    mail: email?; index (name, age); }
model HeroUpdate = partial HeroBase;
query q(min_age: int, s: sort(name, age), d: dir) -> [Hero with team] {
    select Hero where age > :min_age and power == Power.strength order by :s :d limit 10
}
query w(n: text) -> exec { update Team set name = :n where name == :n }
'''
PIECES = ['{', '}', ';', ':', '@', '.', '(', ')', '"', '// c\n', '/* ', 'table ', 'model X ',
          'query ', 'select ', 'where ', 'Hero', 'Team.', 'Power.', ':min_age', '@fk(', 'é', '😀',
          '\n', '\r\n', '\t', '\x00', 'int?', '[Hero]', '= partial ', 'with ', '->', 'x' * 300]
METHODS = ['textDocument/hover', 'textDocument/definition', 'textDocument/references',
           'textDocument/completion', 'textDocument/rename', 'textDocument/prepareRename',
           'textDocument/documentSymbol', 'textDocument/formatting']
URI = 'file:///nonexistent-dir/heroes.smdl'
failures = []


def any_value():
    return rnd.choice([None, True, -1, 2 ** 40, 1.5, '', 'x', [], {}, [1, 'a'], {'line': 'a'}])


def position():
    if rnd.random() < 0.1:
        return any_value()
    return {'line': rnd.choice([0, 1, 3, 5, 8, 11, 12, 40, 2 ** 31]),
            'character': rnd.choice([0, 1, 7, 20, 45, 60, 200, 2 ** 31])}


def edit():
    if rnd.random() < 0.15:
        return {'text': BASE if rnd.random() < 0.5 else ''.join(rnd.choice(PIECES)
                                                              for _ in range(rnd.randint(0, 40)))}
    text = ''.join(rnd.choice(PIECES) for _ in range(rnd.randint(0, 3)))
    return {'range': {'start': position(), 'end': position()}, 'text': text}


sv = Server(SMC)
sv.request('initialize', {'capabilities': {}})
sv.notify('initialized', {})
sv.notify('textDocument/didOpen', {'textDocument': {'uri': URI, 'languageId': 'smdl',
                                                    'version': 1, 'text': BASE}})
sv.diagnostics(URI)
version = 1


def answer():
    """The next response, past the diagnostics of earlier changes."""
    m = sv.read()
    while 'id' not in m:
        m = sv.read()
    return m


for i in range(COUNT):
    r = rnd.random()
    if r < 0.35:
        version += 1
        sv.notify('textDocument/didChange', {
            'textDocument': {'uri': URI, 'version': version},
            'contentChanges': [edit() for _ in range(rnd.randint(1, 3))]})
        sv.diagnostics(URI)
    elif r < 0.85:
        method = rnd.choice(METHODS)
        params = {'textDocument': {'uri': URI}, 'position': position(),
                  'newName': rnd.choice(['Renamed', 'x1', '', '1bad', 'é']),
                  'context': {'includeDeclaration': rnd.random() < 0.5}, 'options': {}}
        if rnd.random() < 0.1:
            params[rnd.choice(list(params))] = any_value()
        m = sv.request(method, params)
        if ('result' in m) == ('error' in m):
            failures.append('%s: %r' % (method, m))
    elif r < 0.93:
        # Mangled after the id (a message without an id is a notification:
        # no answer is due).
        body = json.dumps({'id': 'raw%d' % i, 'jsonrpc': '2.0', 'method': rnd.choice(METHODS),
                           'params': {'textDocument': {'uri': URI}, 'position': position()}})
        cut = rnd.randint(len('{"id": "raw%d", ' % i), len(body))
        bad = body[:cut] + rnd.choice(['', '}', '\\', '"', '\x01', ',]']) + body[cut:]
        data = bad.encode()
        sv.raw(b'Content-Length: %d\r\n\r\n' % len(data) + data)
        m = answer()
        if m.get('id') not in (None, 'raw%d' % i):
            failures.append('mangled JSON answered with id %r' % (m.get('id'),))
    else:
        sv.raw(rnd.choice([b'Content-Length: -1\r\n\r\n', b'Content-Type: x\r\n\r\n',
                           b'Content-Length: 2\r\n\r\n{}', b'Content-Length: 4\r\n\r\nnull',
                           b'\xff\xfe garbage\r\n\r\n']))
        m = answer()
        if 'error' not in m or m.get('id') is not None:
            failures.append('bad framing answered with %r' % (m,))
m = sv.request('shutdown')
if m.get('result', 1) is not None:
    failures.append('shutdown: %r' % (m,))
sv.notify('exit')
rc, err = sv.close()
if rc != 0:
    failures.append('exit status %d' % rc)
if 'runtime error' in err or 'Sanitizer' in err:
    failures.append('sanitizer reports:\n' + err)
for f in failures:
    print('FAIL: ' + f, file=sys.stderr)
if failures:
    sys.exit(1)
print('lsp random: %d messages, all answered' % COUNT)
