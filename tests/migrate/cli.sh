#!/bin/sh
# `smc migrate new|check` on the command line (suite migrate): usage
# errors, bad names, missing and unreadable directories, unparsable and
# unchecking snapshots, drift, edited and unlisted migration files, the
# schema that cannot have a snapshot yet, help.  Each case asserts the
# exit status and the whole of stdout and stderr.
#
#   cli.sh SMC
set -u
. "$(dirname "$0")/../common/shtest.sh"
shtest_init migcli
smc=$1
case $smc in /*) ;; *) smc=$(pwd)/$smc ;; esac

usage='usage: smc migrate new NAME FILE [-m DIR] [--allow-destructive] [-I DIR]...
       smc migrate check FILE [-m DIR] [-I DIR]...
       smc migrate rehash|verify|diff|up|status|down ...
Run '"'smc help migrate'"' for more.
'
help=$("$smc" help migrate)
cd "$tmp" || exit 1
mkdir app
cat >app/shop.smdl <<'SMDL'
module shop;
table Item { id: int @pk @auto; name: text; }
SMDL

# ---- Usage ----------------------------------------------------------------------------
expect "no subcommand" 2 "" "smc: missing command (new, check, rehash, verify, diff, up, status or down)
$usage" "$smc" migrate
expect "unknown subcommand" 2 "" "smc: unknown migrate command 'apply' (new, check, rehash, verify, diff, up, status or down)
$usage" "$smc" migrate apply app/shop.smdl
expect "bad name" 2 "" "smc: invalid migration name 'Add-Item' (1 to 64 of a-z, 0-9 and '_')
$usage" "$smc" migrate new Add-Item app/shop.smdl
expect "missing name" 2 "" "smc: missing migration NAME
$usage" "$smc" migrate new
expect "missing file" 2 "" "smc: no input file
$usage" "$smc" migrate new init
expect "unknown option" 2 "" "smc: unknown or misplaced option '--force'
$usage" "$smc" migrate new init app/shop.smdl --force
expect "allow on check" 2 "" "smc: unknown or misplaced option '--allow-destructive'
$usage" "$smc" migrate check app/shop.smdl --allow-destructive
expect "two files" 2 "" "smc: unexpected argument 'b.smdl'
$usage" "$smc" migrate check app/shop.smdl b.smdl
expect "help" 0 "$help
" "" "$smc" migrate -h
expect "help of new" 0 "$("$smc" help migrate new)
" "" "$smc" migrate new -h
# Every command's -h is its page of smc help; rehash has one, up and down
# name --timeout.
for sub in check rehash diff up status down; do
    expect "help of $sub" 0 "$("$smc" help migrate $sub)
" "" "$smc" migrate $sub -h
done
for sub in up down; do
    "$smc" help migrate $sub | grep -q -- '^  --timeout SECONDS' ||
        { echo "FAIL: smc help migrate $sub lacks --timeout"; failures=$((failures + 1)); }
done
"$smc" help migrate | grep -q 'smc migrate rehash \[-m DIR\]' ||
    { echo "FAIL: smc help migrate lacks rehash"; failures=$((failures + 1)); }
[ -n "$help" ] && "$smc" help | grep -q '^  smc migrate new NAME FILE \[-m DIR\]' ||
    { echo "FAIL: smc help lists no migrate"; failures=$((failures + 1)); }

# ---- check before any migration --------------------------------------------------------
expect "check without a directory" 1 "" "smc: no migrations directory 'app/migrations'
" "$smc" migrate check app/shop.smdl
mkdir app/migrations
expect "check without a snapshot" 1 "" "smc: no snapshot 'app/migrations/schema.snapshot'; run 'smc migrate new NAME FILE' first
" "$smc" migrate check app/shop.smdl
rmdir app/migrations

# ---- new, then check -------------------------------------------------------------------
expect "first migration" 0 "smc: wrote app/migrations/0001_init/
  create table item
" "" "$smc" migrate new init app/shop.smdl
expect "in sync" 0 "smc: 'app/shop.smdl' matches 'app/migrations/schema.snapshot'; 1 migration, each file matches its checksum
" "" "$smc" migrate check app/shop.smdl
expect "nothing to do" 0 "smc: nothing to do: 'app/shop.smdl' matches 'app/migrations/schema.snapshot'
" "" "$smc" migrate new again app/shop.smdl
[ -e app/migrations/0002_again ] && { echo "FAIL: nothing to do wrote a migration"; failures=$((failures + 1)); }
"$smc" debug-snapshot app/shop.smdl | cmp -s - app/migrations/schema.snapshot ||
    { echo "FAIL: the snapshot is not the printer's snapshot of the schema"; failures=$((failures + 1)); }

cat >app/shop.smdl <<'SMDL'
module shop;
table Item { id: int @pk @auto; name: text; price: int = 0; }
SMDL
expect "drift" 1 "" "smc: 'app/shop.smdl' differs from 'app/migrations/schema.snapshot'; run 'smc migrate new NAME app/shop.smdl':
  add column item.price
" "$smc" migrate check app/shop.smdl
expect "a name taken" 1 "" "smc: a migration named 'init' exists: 'app/migrations/0001_init'
" "$smc" migrate new init app/shop.smdl
expect "second migration" 0 "smc: wrote app/migrations/0002_price/
  add column item.price
" "" "$smc" migrate new price app/shop.smdl
expect "in sync again" 0 "smc: 'app/shop.smdl' matches 'app/migrations/schema.snapshot'; 2 migrations, each file matches its checksum
" "" "$smc" migrate check app/shop.smdl
sums=$(cat app/migrations/sums)
[ "$(printf '%s\n' "$sums" | wc -l)" -eq 12 ] && [ "$(printf '%s\n' "$sums" | sort)" = "$sums" ] ||
    { echo "FAIL: sums is not 12 sorted lines:"; echo "$sums"; failures=$((failures + 1)); }

# What never reaches a database is no drift: a validation, a query.
cp app/shop.smdl shop.saved
cat >app/shop.smdl <<'SMDL'
module shop;
table Item { id: int @pk @auto; name: text @min_len(1); price: int @ge(0) = 0; }
query cheap(p: int) -> [Item] { select Item where price < :p }
SMDL
expect "no drift without DDL" 0 "smc: 'app/shop.smdl' matches 'app/migrations/schema.snapshot'; 2 migrations, each file matches its checksum
" "" "$smc" migrate check app/shop.smdl
cp shop.saved app/shop.smdl

# An edited migration file.
cp app/migrations/0002_price/postgres.up.sql saved.sql
echo "-- reviewed" >>app/migrations/0002_price/postgres.up.sql
line=$(grep '^0002_price/postgres.up.sql ' app/migrations/sums | cut -d' ' -f2)
expect "edited file" 1 "" "smc: 'app/migrations/0002_price/postgres.up.sql' changed after it was written (checksum bdd42f120cc7baec, 'app/migrations/sums' says $line)
" "$smc" migrate check app/shop.smdl
cp saved.sql app/migrations/0002_price/postgres.up.sql
# A migration file with no line in sums.
grep -v '^0002_price/mysql.down.sql ' app/migrations/sums >sums.new && cp sums.new app/migrations/sums
expect "unlisted file" 1 "" "smc: 'app/migrations/0002_price/mysql.down.sql' has no checksum in 'app/migrations/sums'
" "$smc" migrate check app/shop.smdl
printf '%s\n' "$sums" >app/migrations/sums
echo "0001_init/sqlite.up.sql abc" >>app/migrations/sums
expect "malformed sums" 1 "" "smc: app/migrations/sums:13: expected 'NNNN_name/file.sql <16 hex digits>'
" "$smc" migrate check app/shop.smdl
printf '%s\n' "$sums" >app/migrations/sums

# ---- rehash: the checksums of migration files edited by hand ---------------------------
rehash_usage="usage: smc migrate rehash [-m DIR] [NNNN | NNNN_name]
Run 'smc help migrate' for more.
"
echo "-- reviewed" >>app/migrations/0002_price/postgres.up.sql
expect "rehash another" 0 "smc: 'app/migrations/sums' unchanged
" "" "$smc" migrate rehash -m app/migrations 0001
expect "still edited" 1 "" "smc: 'app/migrations/0002_price/postgres.up.sql' changed after it was written (checksum bdd42f120cc7baec, 'app/migrations/sums' says $line)
" "$smc" migrate check app/shop.smdl
expect "rehash no such" 1 "" "smc: no migration '3' in 'app/migrations'
" "$smc" migrate rehash -m app/migrations 3
expect "rehash no such name" 1 "" "smc: no migration '0002_cost' in 'app/migrations'
" "$smc" migrate rehash -m app/migrations 0002_cost
expect "rehash no directory" 1 "" "smc: no migrations directory 'nowhere'
" "$smc" migrate rehash -m nowhere
expect "rehash bad option" 2 "" "smc: unknown or misplaced option '--all'
$rehash_usage" "$smc" migrate rehash --all
expect "rehash two" 2 "" "smc: unexpected argument '2'
$rehash_usage" "$smc" migrate rehash 1 2
expect "rehash the edited one" 0 "smc: 0002_price/postgres.up.sql: bdd42f120cc7baec (was $line)
smc: wrote 'app/migrations/sums' (1 checksum changed)
" "" "$smc" migrate rehash -m app/migrations 0002_price
expect "in sync after rehash" 0 "smc: 'app/shop.smdl' matches 'app/migrations/schema.snapshot'; 2 migrations, each file matches its checksum
" "" "$smc" migrate check app/shop.smdl
# All of them, from the migrations directory: a lost line comes back.
cp saved.sql app/migrations/0002_price/postgres.up.sql
grep -v '^0001_init/mysql.down.sql ' app/migrations/sums >sums.new && cp sums.new app/migrations/sums
echo "0003_gone/sqlite.up.sql 0123456789abcdef" >>app/migrations/sums
init_line=$(printf '%s\n' "$sums" | grep '^0001_init/mysql.down.sql ' | cut -d' ' -f2)
expect "rehash all" 0 "smc: 0001_init/mysql.down.sql: $init_line (was none)
smc: 0002_price/postgres.up.sql: $line (was bdd42f120cc7baec)
smc: 0003_gone/sqlite.up.sql: no such migration file, its line removed
smc: wrote 'migrations/sums' (3 checksums changed)
" "" sh -c "cd app && '$smc' migrate rehash"
[ "$(cat app/migrations/sums)" = "$sums" ] ||
    { echo "FAIL: rehash all: sums differ"; failures=$((failures + 1)); }
# A file that cannot be read leaves sums as it was.
mv app/migrations/0001_init/sqlite.down.sql saved2.sql
expect "rehash unreadable" 1 "" "smc: cannot read 'app/migrations/0001_init/sqlite.down.sql': No such file or directory; 'app/migrations/sums' is unchanged
" "$smc" migrate rehash -m app/migrations 1
mv saved2.sql app/migrations/0001_init/sqlite.down.sql
[ "$(cat app/migrations/sums)" = "$sums" ] ||
    { echo "FAIL: rehash unreadable: sums changed"; failures=$((failures + 1)); }

# ---- Snapshots that cannot be read -----------------------------------------------------
cp app/migrations/schema.snapshot snap.saved
printf 'module shop;\ntable Item {\n    id: int @pk\n}\n' >app/migrations/schema.snapshot
expect "unparsable snapshot" 1 "" "app/migrations/schema.snapshot:3:16: error: expected ';' after '@pk' [E0009]
    id: int @pk
               ^
smc: the snapshot 'app/migrations/schema.snapshot' does not check
" "$smc" migrate check app/shop.smdl
printf 'module shop;\ntable Item {\n    id: int @pk;\n    kind: Kind;\n}\n' >app/migrations/schema.snapshot
expect "snapshot that does not check" 1 "" "app/migrations/schema.snapshot:4:11: error: unknown type 'Kind' [E0201]
    kind: Kind;
          ^~~~
smc: the snapshot 'app/migrations/schema.snapshot' does not check
" "$smc" migrate new more app/shop.smdl
cp snap.saved app/migrations/schema.snapshot
rm app/migrations/schema.snapshot
expect "migrations without a snapshot" 1 "" "smc: no snapshot 'app/migrations/schema.snapshot': the migrations there cannot be diffed
" "$smc" migrate new more app/shop.smdl
cp snap.saved app/migrations/schema.snapshot

# ---- Schemas ---------------------------------------------------------------------------
printf 'module broken;\ntable Item { id: int @pk @auto; name: txt; }\n' >app/broken.smdl
expect "check of a schema with errors" 1 "" "app/broken.smdl:2:39: error: unknown type 'txt' [E0201]
table Item { id: int @pk @auto; name: txt; }
                                      ^~~
app/broken.smdl:2:39: note: did you mean 'text'?
" "$smc" migrate check app/broken.smdl -m app/migrations
expect "a schema that is not there" 1 "" "smc: error: cannot read 'nope.smdl': No such file or directory [E0010]
" "$smc" migrate new init nope.smdl
printf 'module bad;\ntable T { id: int @pk; x: strng; }\n' >bad.smdl
expect "schema with errors" 1 "" "bad.smdl:2:27: error: unknown type 'strng' [E0201]
table T { id: int @pk; x: strng; }
                          ^~~~~
" "$smc" migrate new init bad.smdl
printf 'module mail;\nimport "std/types.smdl";\ntable T { id: int @pk; a: email; }\n' >mail.smdl
# A schema that imports: its snapshot stands alone (the imported type
# expanded), and checks on its own.
expect "imports" 0 "smc: wrote mailmig/0001_init/
  create table t
" "" "$smc" migrate new init mail.smdl -m mailmig
grep -q import mailmig/schema.snapshot && { echo "FAIL: the snapshot imports"; failures=$((failures + 1)); }
expect "the snapshot of imports checks alone" 0 "" "mailmig/schema.snapshot:2:8: warning: module 'mail' is declared in a file named 'schema.snapshot.smdl' [-Wmodule-name]
module mail;
       ^~~~
mailmig/schema.snapshot:2:8: note: name the file after its module, or the module after its file
" "$smc" check mailmig/schema.snapshot
expect "imports: in sync" 0 "smc: 'mail.smdl' matches 'mailmig/schema.snapshot'; 1 migration, each file matches its checksum
" "" "$smc" migrate check mail.smdl -m mailmig
# A table of an imported file that an own table references is part of
# the database: created by the first migration, and a change in the
# imported file is drift that the next migration applies.
mkdir imp
printf 'module teams;\ntable Team { id: int @pk @auto; name: text; }\n' >imp/teams.smdl
printf 'module lonely;\ntable Lonely { id: int @pk; }\n' >imp/lonely.smdl
printf 'module heroes;\nimport "teams.smdl";\nimport "lonely.smdl";\ntable Hero { id: int @pk @auto; team_id: int? @fk(Team.id); }\n' >imp/heroes.smdl
expect "imported tables: created" 0 "smc: wrote imp/migrations/0001_init/
  create table team
  create table hero
" "" "$smc" migrate new init imp/heroes.smdl
expect "imported tables: in sync" 0 "smc: 'imp/heroes.smdl' matches 'imp/migrations/schema.snapshot'; 1 migration, each file matches its checksum
" "" "$smc" migrate check imp/heroes.smdl
printf 'module teams;\ntable Team { id: int @pk @auto; name: text; city: text?; }\n' >imp/teams.smdl
expect "imported tables: drift" 1 "" "smc: 'imp/heroes.smdl' differs from 'imp/migrations/schema.snapshot'; run 'smc migrate new NAME imp/heroes.smdl':
  add column team.city
" "$smc" migrate check imp/heroes.smdl
expect "imported tables: migrated" 0 "smc: wrote imp/migrations/0002_city/
  add column team.city
" "" "$smc" migrate new city imp/heroes.smdl
printf 'module other;\ntable T { id: int @pk; }\n' >other.smdl
expect "-m names a new directory" 0 "smc: wrote deep/er/0001_init/
  create table t
" "" "$smc" migrate new init other.smdl -m deep/er
expect "-m on check" 0 "smc: 'other.smdl' matches 'deep/er/schema.snapshot'; 1 migration, each file matches its checksum
" "" "$smc" migrate check other.smdl -m deep/er
: >notadir
expect "-m names a file" 1 "" "smc: cannot read 'notadir': Not a directory
" "$smc" migrate new init other.smdl -m notadir
cp other.smdl named.smdl
expect "schema warnings are shown" 0 "smc: wrote migrations/0001_init/
  create table t
" "named.smdl:1:8: warning: module 'other' is declared in a file named 'named.smdl' [-Wmodule-name]
module other;
       ^~~~~
named.smdl:1:8: note: name the file after its module, or the module after its file
" "$smc" migrate new init named.smdl

# ---- Size ------------------------------------------------------------------------------
# 20,000 indexed columns renamed through @was and 20,000 added: the
# matching and the comparison are linear (a fraction of a second; once
# tens of seconds), bounded generously against a hang.
mkdir big
awk 'BEGIN { print "module big;"; print "table T {"; print "    id: int @pk @auto;"
             for (i = 0; i < 20000; i++) printf "    c%d: int? @index;\n", i; print "}" }' >big/big.smdl
(cd big && timeout 60 "$smc" migrate new a big.smdl >/dev/null 2>&1) || { echo "FAIL: big: first"; failures=$((failures + 1)); }
awk 'BEGIN { print "module big;"; print "table T {"; print "    id: int @pk @auto;"
             for (i = 0; i < 20000; i++) printf "    d%d: int? @index @was(c%d);\n", i, i
             for (i = 0; i < 20000; i++) printf "    e%d: int?;\n", i; print "}" }' >big/big.smdl
(cd big && timeout 60 "$smc" migrate new b big.smdl >out 2>&1)
rc=$?
if [ $rc -ne 0 ] || [ "$(grep -c '^  rename column' big/out)" -ne 20000 ] ||
    [ "$(grep -c '^  add column' big/out)" -ne 20000 ]; then
    echo "FAIL: big: exit $rc (124: over the bound)"
    failures=$((failures + 1))
else
    echo "ok: big"
fi

shtest_done
