#!/usr/bin/env bash
# The counting stage, raw build against DuckDB (a report, not a test; docs/benchmarks.md,
# "Counting on DuckDB"): a generated store of ~10M GA4 events in the BigQuery export's shape
# (JSON, 8.4 GB) and the same ten times over as Parquet (~100M events, visitors renamed per
# copy). For each: `aisle build --no-tune` from the events (the 100M one streamed through
# sed, never on disk as JSON) and the counting SQL on DuckDB, then `aisle build
# --aggregates`; wall time, CPU share and peak RSS from GNU time; the two snapshots
# compared with aisle diff (and aisle eval --snapshot on the 10M store). Last, BigQuery's
# logical bytes per event of the columns the SQL reads, projected to 1B events.
# Needs ~20 GB of disk in $BENCH_DIR (default build/bench-aggregate) and about 40 minutes.
# usage: tools/scripts/bench_aggregate.sh [--copies N]   (N: the Parquet store's copies, 10)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
dir=${BENCH_DIR:-build/bench-aggregate}
copies=10
[ "${1:-}" = --copies ] && copies=$2
aisle=$root/build/tools/aisle
[ -x "$aisle" ] || { cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null && cmake --build build -j "$(nproc)" --target aisle >/dev/null; }
bash tools/sql/deps.sh
mkdir -p "$dir"
cd "$dir"

timed() {  # LABEL command...: GNU time's wall clock, CPU share and peak RSS, one line
  local label=$1
  shift
  /usr/bin/time -f "%e %P %M" -o time.txt "$@" >"$label.out" 2>"$label.err" ||
    { cat "$label.err" >&2; exit 1; }
  read -r secs cpu kb <time.txt
  printf '| %s | %s s | %s | %.2f GB |\n' "$label" "$secs" "$cpu" "$(awk "BEGIN {print $kb / 1048576}")"
}
equal() {  # RAW SQL: aisle diff's model lines
  "$aisle" diff "$1" "$2" | sed -n '/^model:/,/^  sessions:/p' | tr '\n' ' '
  echo "; bytes that differ: $(cmp -l "$1" "$2" | wc -l)"
}

[ -f s10m/events.jsonl ] ||
  "$aisle" demo-data --out s10m --products 20000 --sessions 1600000 --events-shape bigquery --quiet
events=$(wc -l <s10m/events.jsonl)
echo "store: $events events, $(($(stat -c %s s10m/events.jsonl) / 1000000)) MB of JSON, $(($(wc -l <s10m/catalog.tsv) - 1)) catalog rows"
echo
echo "| step | wall | CPU | peak RSS |"
echo "|---|---:|---:|---:|"
timed "raw build, 10M events (JSON)" "$aisle" build --catalog s10m/catalog.tsv --events s10m/events.jsonl --no-tune --out raw10.snap
rm -rf agg10
timed "DuckDB, 10M events (JSON)" node "$root/tools/sql/aggregate.mjs" --aisle "$aisle" \
  --catalog s10m/catalog.tsv --events s10m/events.jsonl --out agg10
timed "build --aggregates, 10M" "$aisle" build --catalog s10m/catalog.tsv --aggregates agg10 --out sql10.snap
echo
echo "10M, raw against SQL: $(equal raw10.snap sql10.snap)"
tail -200000 s10m/events.jsonl >test.jsonl
for s in raw10 sql10; do
  echo "  aisle eval --snapshot $s.snap: $("$aisle" eval --snapshot $s.snap --test test.jsonl | sed -n 2p)"
done
echo

if [ ! -d "p$copies" ]; then
  timed "write ${copies}x as Parquet" node "$root/tools/scripts/bench_aggregate.mjs" parquet s10m/events.jsonl "$copies" "p$copies"
fi
echo "Parquet store: $((events * copies)) events, $(du -sm "p$copies" | cut -f1) MB"
rm -rf "agg-x$copies"
timed "DuckDB, ${copies}x events (Parquet)" node "$root/tools/sql/aggregate.mjs" --aisle "$aisle" \
  --catalog s10m/catalog.tsv --events "p$copies" --out "agg-x$copies"
timed "build --aggregates, ${copies}x" "$aisle" build --catalog s10m/catalog.tsv --aggregates "agg-x$copies" --out "sql-x$copies.snap"
# The copies as the Parquet store has them, each streamed through sed into a fifo.
streams=()
for ((k = 0; k < copies; k++)); do
  rm -f "copy$k" && mkfifo "copy$k"
  sed "s/\"user_pseudo_id\":\"\([^\"]*\)\"/\"user_pseudo_id\":\"\1-$k\"/" s10m/events.jsonl >"copy$k" &
  streams+=(--events "copy$k")
done
timed "raw build, ${copies}x events (JSON through sed)" "$aisle" build --catalog s10m/catalog.tsv "${streams[@]}" --no-tune --out "raw-x$copies.snap"
wait
rm -f copy*
echo
echo "${copies}x, raw against SQL: $(equal "raw-x$copies.snap" "sql-x$copies.snap")"
echo
echo "BigQuery's logical bytes per event of the columns the SQL reads:"
node "$root/tools/scripts/bench_aggregate.mjs" bytes s10m/events.jsonl
node "$root/tools/scripts/bench_aggregate.mjs" bytes "$root/tests/data/ga4_bigquery.jsonl"
