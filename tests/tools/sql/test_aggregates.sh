#!/usr/bin/env bash
# The counting SQL on DuckDB (tools/sql) against the raw build: a snapshot built with
# `aisle build --aggregates` from what DuckDB counted equals, list by list, the one built
# from the same GA4 BigQuery export's events (aisle diff; aisle eval --snapshot), on the
# export fixture and on a generated store. Also: the build refuses aggregates made with
# other parameters or broken rows (file, line, field), a failed run leaves earlier
# aggregates alone, and the SQL emitted for BigQuery and Spark has every parameter filled.
# usage: test_aggregates.sh AISLE DATA_DIR
set -u
AISLE=$1
DATA=$2/data
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# pass, fail, expect CODE PATTERN -- command...
source "$(dirname "$0")/../expect.sh"
bash "$ROOT/tools/sql/deps.sh" || { echo "FAIL: cannot install DuckDB (npm ci in tools/sql)"; exit 1; }
aggregate() { node "$ROOT/tools/sql/aggregate.mjs" --aisle "$AISLE" "$@"; }

# No model list may differ: "N: 0" on every line of aisle diff's model block.
same_model() {  # RAW.snap SQL.snap
  local out
  out=$("$AISLE" diff "$1" "$2" 2>&1) || { fail "aisle diff $1 $2: $out"; return; }
  local block
  block=$(sed -n '/^model: items that differ/,/^  sessions:/p' <<<"$out")
  if [ -z "$block" ] || grep -vE '^model:|: 0$|, 0 of those in both differ$' <<<"$block" | grep -q .; then
    fail "$1 and $2 differ: $block"
  elif ! grep -qE "^  sessions: ([0-9]+) -> \1," <<<"$block"; then
    fail "session counts differ: $block"
  else
    pass
  fi
}

# 1. The export fixture (nulls, int64s as strings, other event types, two sessions a visitor).
cat_=$DATA/ga4_bigquery_catalog.jsonl ev=$DATA/ga4_bigquery.jsonl
expect 0 "aggregates in $T/fx" -- aggregate --catalog "$cat_" --events "$ev" --out "$T/fx"
expect 0 "" -- "$AISLE" build --catalog "$cat_" --events "$ev" --no-tune --out "$T/fx-raw.snap"
expect 0 "aggregates $T/fx: [0-9]+ rows; 958 item interactions counted" -- \
  "$AISLE" build --catalog "$cat_" --aggregates "$T/fx" --out "$T/fx-sql.snap"
same_model "$T/fx-raw.snap" "$T/fx-sql.snap"
expect 0 "sessions: 240 -> 240" -- "$AISLE" diff "$T/fx-raw.snap" "$T/fx-sql.snap"

# The comparison can fail: a raw build with a smaller session index differs.
"$AISLE" build --catalog "$cat_" --events "$ev" --no-tune --max-sessions 100 --out "$T/fx-small.snap" >/dev/null
expect 0 "sessions: 240 -> 100" -- "$AISLE" diff "$T/fx-sql.snap" "$T/fx-small.snap"
expect 0 "session_postings: [1-9]" -- "$AISLE" diff "$T/fx-sql.snap" "$T/fx-small.snap"

# 2. A generated store in the export's shape, whose catalog gives no kinds: the kinds
# inferred from repeat buying too. The two snapshots differ only in their build time and
# the checksum over it (8 + 4 bytes); the engine gives the same figures on a test log.
S=$T/store
"$AISLE" demo-data --out "$S" --products 400 --sessions 4000 --events-shape bigquery --quiet
# As an export folder holds it: several files, some gzipped (`bq extract --compression GZIP`).
mkdir "$S/export"
split -n l/3 -d --additional-suffix=.json "$S/events.jsonl" "$S/export/events-"
gzip "$S/export/events-01.json"
expect 0 "read 3 file\(s\)" -- aggregate --catalog "$S/catalog.tsv" --events "$S/export" --out "$S/agg"
"$AISLE" build --catalog "$S/catalog.tsv" --events "$S/events.jsonl" --no-tune --out "$S/raw.snap" >/dev/null
expect 0 "" -- "$AISLE" build --catalog "$S/catalog.tsv" --aggregates "$S/agg" --out "$S/sql.snap"
same_model "$S/raw.snap" "$S/sql.snap"
# (but for the file name and the build time, which may fall in another second)
"$AISLE" inspect "$S/raw.snap" | tail -n +2 | grep -v '^  built ' >"$T/raw.txt"
"$AISLE" inspect "$S/sql.snap" | tail -n +2 | grep -v '^  built ' >"$T/sql.txt"
grep -q "one-time purchase (durable)" "$T/raw.txt" && cmp -s "$T/raw.txt" "$T/sql.txt" && pass ||
  fail "inspect differs (kinds inferred?): $(diff "$T/raw.txt" "$T/sql.txt" | head -5)"
differ=$(cmp -l "$S/raw.snap" "$S/sql.snap" | wc -l)
[ "$differ" -le 12 ] && pass || fail "the snapshots differ in $differ bytes, more than the build time's"
head -4000 "$S/events.jsonl" >"$S/test.jsonl"
a=$("$AISLE" eval --snapshot "$S/raw.snap" --test "$S/test.jsonl" --json | grep -E '"(hit_rate|mrr)"')
b=$("$AISLE" eval --snapshot "$S/sql.snap" --test "$S/test.jsonl" --json | grep -E '"(hit_rate|mrr)"')
[ -n "$a" ] && [ "$a" = "$b" ] && pass || fail "aisle eval differs: $a / $b"

# 3. What the build refuses, naming file, line and field.
expect 2 "meta.csv:2: field 'half_life_s': the SQL ran with 604800, this build uses 259200" -- \
  "$AISLE" build --catalog "$cat_" --aggregates "$T/fx" --half-life-days 3 --out "$T/x.snap"
expect 2 "meta.csv:2: field 'max_sessions'" -- \
  "$AISLE" build --catalog "$cat_" --aggregates "$T/fx" --max-sessions 100 --out "$T/x.snap"
expect 2 "give one of them" -- "$AISLE" build --catalog "$cat_" --aggregates "$T/fx" --events "$ev" --out "$T/x.snap"
expect 2 "nothing/meta.csv: cannot open the aggregates file" -- \
  "$AISLE" build --catalog "$cat_" --aggregates "$T/nothing" --out "$T/x.snap"
cp -r "$T/fx" "$T/bad"
sed -i '3s/,[0-9]*,/,-4,/' "$T/bad/items.csv"
expect 2 "items.csv:3: field 'views': expected a whole number of 0 or more, got '-4'" -- \
  "$AISLE" build --catalog "$cat_" --aggregates "$T/bad" --out "$T/x.snap"
cp "$T/fx/items.csv" "$T/bad/items.csv"
sed -i '2s/$/,9/' "$T/bad/transitions.csv"
expect 2 "transitions.csv:2: expected 3 fields" -- "$AISLE" build --catalog "$cat_" --aggregates "$T/bad" --out "$T/x.snap"
cp "$T/fx/transitions.csv" "$T/bad/transitions.csv"
printf '7,0,NOT-IN-CATALOG\n' >>"$T/bad/sessions.csv"
expect 0 "1 x aggregates: unknown item id skipped" -- "$AISLE" build --catalog "$cat_" --aggregates "$T/bad" --out "$T/x.snap"
[ ! -e "$T/x.snap.tmp" ] && pass || fail "a temporary snapshot was left behind"

# A failed run leaves the earlier aggregates as they were.
before=$(cat "$T/fx"/*.csv | md5sum)
expect 2 "no such file or folder" -- aggregate --catalog "$cat_" --events "$T/missing.json" --out "$T/fx"
printf '{"event_name": "purchase", "event_timestamp": "not a number"}\n' >"$T/broken.json"
expect 2 "aggregate: DuckDB: .*broken.json\", in line 1: Failed to cast value" -- \
  aggregate --catalog "$cat_" --events "$T/broken.json" --out "$T/fx"
[ "$(cat "$T/fx"/*.csv | md5sum)" = "$before" ] && pass || fail "a failed run changed $T/fx"
[ -z "$(ls -A "$T/fx" | grep '^\.aggregate-')" ] && pass || fail "a failed run left its work folder"

# 4. The SQL for BigQuery and Spark: every parameter filled in, nothing DuckDB-only.
expect 0 "bigquery SQL in $T/bq: run.sql loads gs://b/items.csv" -- \
  aggregate --emit bigquery --events '`shop.analytics_1.events_*`' --ns shop.aisle. \
  --items gs://b/items.csv --dest gs://b/out/ --out "$T/bq"
expect 0 "spark SQL in $T/spark" -- aggregate --emit spark --events 'parquet.`/data/ga4`' \
  --items /data/items.csv --dest /data/out --out "$T/spark"
expect 2 "--items .* and --dest .* are required" -- aggregate --emit spark --events x --out "$T/spark"
if grep -l '{{' "$T"/bq/*.sql "$T"/spark/*.sql; then fail "placeholders left"; else pass; fi
grep -q 'FROM `shop.analytics_1.events_\*`' "$T/bq/0_flatten.sql" && pass || fail "bigquery source not filled"
grep -q 'CREATE OR REPLACE TEMPORARY VIEW aisle_lines' "$T/spark/1_lines.sql" && pass || fail "spark views"
grep -q 'shop.aisle.aisle_lines' "$T/bq/transitions.sql" && pass || fail "bigquery dataset prefix"
for out in meta items transitions co_purchases sessions kinds; do
  grep -q "uri = 'gs://b/out/$out/\*.csv'" "$T/bq/run.sql" && grep -q "DIRECTORY '/data/out/$out'" "$T/spark/run.sql" &&
    pass || fail "run.sql does not write $out"
done
[ "$(grep -v '^--' "$T/bq/run.sql" | grep -c ';$')" = 11 ] && pass || fail "bigquery run.sql: $(grep -c ';$' "$T/bq/run.sql") statements, wanted 11"

# The reader takes an output as a folder of parts, as EXPORT DATA and Spark write them.
cp -r "$T/fx" "$T/parts"
mkdir "$T/parts/transitions"
{ head -1 "$T/fx/transitions.csv"; sed -n '2,40p' "$T/fx/transitions.csv"; } >"$T/parts/transitions/000.csv"
{ head -1 "$T/fx/transitions.csv"; sed -n '41,$p' "$T/fx/transitions.csv"; } >"$T/parts/transitions/001.csv"
rm "$T/parts/transitions.csv"
expect 0 "" -- "$AISLE" build --catalog "$cat_" --aggregates "$T/parts" --out "$T/parts.snap"
same_model "$T/fx-sql.snap" "$T/parts.snap"
cp "$T/fx/transitions.csv" "$T/parts/transitions.csv"
expect 2 "parts/transitions: both transitions.csv and the folder transitions/ are here" -- \
  "$AISLE" build --catalog "$cat_" --aggregates "$T/parts" --out "$T/parts.snap"
rm "$T/parts/transitions.csv"
sed -i '1s/weight/score/' "$T/parts/transitions/001.csv"
expect 2 "transitions/001.csv:1: a part whose header differs" -- \
  "$AISLE" build --catalog "$cat_" --aggregates "$T/parts" --out "$T/parts.snap"

echo "sql aggregates: $passes passed, $fails failed"
[ "$fails" = 0 ]
