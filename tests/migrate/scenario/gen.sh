#!/bin/sh
# Makes the scenario's migrations as a user does: for each schema version
# vNN.smdl in turn, copied to scen.smdl, `smc migrate new` (a destructive
# step first refused without --allow-destructive, with its exact message),
# the hand edits that move data (below), `smc migrate check`, and a copy of
# the migrations directory as it stands after step NN into OUT/at/NN.
#
#   gen.sh SMC SCENARIO_DIR OUT
#
# Hand edits, each followed by updating its line in `sums` with the
# checksum `smc migrate check` reports, as docs/migrations.md says:
#   0006_profile up        copies writer.bio into the new table profile
#   0007_drop_writer_bio down  copies it back into the re-added column
#   0008_status_archived down  maps 'archived' to 'published' before the
#                          value goes (it runs before the check is changed)
set -u
smc=$1 src=$2 out=$3
case $smc in /*) ;; *) smc=$(pwd)/$smc ;; esac
fail() { echo "FAIL: $*" >&2; exit 1; }
mkdir -p "$out/work" "$out/at" || exit 1
cd "$out/work" || exit 1

# new N NAME [refused-message]: step N; with a message, the step must
# first be refused with exactly that error line.
new() {
    n=$1 name=$2
    cp "$src/v$n.smdl" scen.smdl || exit 1
    if [ $# -gt 2 ]; then
        "$smc" migrate new "$name" scen.smdl >out 2>err
        rc=$?
        [ "$rc" -eq 1 ] || fail "step $n: exit $rc without --allow-destructive"
        line=$(head -n 1 err)
        [ "$line" = "$3" ] || fail "step $n: refused with '$line', want '$3'"
        [ "$(tail -n 1 err)" = "smc: 1 step refused; nothing was written" ] ||
            fail "step $n: $(tail -n 1 err)"
        "$smc" migrate new "$name" scen.smdl --allow-destructive >out 2>err ||
            fail "step $n: $(cat err)"
    else
        "$smc" migrate new "$name" scen.smdl >out 2>err || fail "step $n: $(cat err)"
    fi
    [ "$(head -n 1 out)" = "smc: wrote migrations/00${n}_$name/" ] ||
        fail "step $n: $(cat out)"
}

# edit FILE WHERE SQL: SQL appended (end) or put after the leading
# comment lines (start) of FILE.
edit() {
    f=migrations/$1
    if [ "$2" = end ]; then
        printf '%s\n' "$3" >>"$f"
    else
        awk -v sql="$3" 'done == 0 && !/^--/ { print sql; done = 1 } { print }
            END { if (done == 0) print sql }' "$f" >"$f.new" && mv "$f.new" "$f"
    fi
}

# resum N: `smc migrate check` names each edited file with its new
# checksum; those lines of sums are replaced, then the check passes.
resum() {
    "$smc" migrate check scen.smdl >out 2>err && fail "check passed after an edit"
    sed -n "s/^smc: 'migrations\/\([^']*\)' changed after it was written (checksum \([0-9a-f]*\), 'migrations\/sums' says [0-9a-f]*)$/\1 \2/p" err >fix
    [ -s fix ] || fail "check: $(cat err)"
    while read -r file sum; do
        sed "s|^$file [0-9a-f]*\$|$file $sum|" migrations/sums >migrations/sums.new &&
            mv migrations/sums.new migrations/sums
    done <fix
    "$smc" migrate check scen.smdl >out 2>err || fail "check after resum: $(cat err)"
    want="smc: 'scen.smdl' matches 'migrations/schema.snapshot'; $1 migrations, each file matches its checksum"
    [ "$(cat err out)" = "$want" ] || fail "check: $(cat err out)"
}

keep() { cp -R migrations "$out/at/$1" || exit 1; }

dialects="sqlite postgres mysql"
new 01 init && keep 01
new 02 views && keep 02
new 03 rename_title && keep 03
new 04 rename_author && keep 04
new 05 post_author_fk && keep 05
new 06 profile
for d in $dialects; do
    edit "0006_profile/$d.up.sql" end \
        'INSERT INTO profile (writer_id, bio) SELECT id, bio FROM writer WHERE bio IS NOT NULL;'
done
resum 6 && keep 06
new 07 drop_writer_bio "migrations/schema.snapshot:9:5: error: dropping column 'writer.bio' deletes its values; pass --allow-destructive to accept that [E0501]"
for d in $dialects; do
    edit "0007_drop_writer_bio/$d.down.sql" end \
        'UPDATE writer SET bio = (SELECT bio FROM profile WHERE profile.writer_id = writer.id);'
done
resum 7 && keep 07
new 08 status_archived
for d in $dialects; do
    edit "0008_status_archived/$d.down.sql" start \
        "UPDATE post SET status = 'published' WHERE status = 'archived';"
done
resum 8 && keep 08
new 09 drop_status_hidden "scen.smdl:16:5: error: removing value 'hidden' of enum Status from column 'post.status' fails on the rows that hold it; pass --allow-destructive to accept that [E0501]"
keep 09
new 10 post_headline_index && keep 10
new 11 views_bigint && keep 11
new 12 drop_post_body "migrations/schema.snapshot:20:5: error: dropping column 'post.body' deletes its values; pass --allow-destructive to accept that [E0501]"
keep 12
"$smc" migrate check scen.smdl >out 2>err || fail "final check: $(cat err)"
"$smc" migrate new again scen.smdl >out 2>err || fail "again: $(cat err)"
case $(cat out err) in "smc: nothing to do"*) ;; *) fail "again: $(cat out err)" ;; esac
exit 0
