#!/usr/bin/env bash
# Snapshot build benchmark (a report, not a test): build throughput and peak memory at
# 1M and 10M generated GA4 events, and snapshot bytes per item at 10k and 100k items.
# Each build runs 3 times; the median throughput is reported. Needs ~2.5 GB of disk in
# $BENCH_DIR (default build/bench).
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${BENCH_DIR:-build/bench}
aisle=build/tools/aisle
[ -x "$aisle" ] || { cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null && cmake --build build -j "$(nproc)" --target aisle >/dev/null; }
mkdir -p "$dir"

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
field() { grep -o "\"$1\": [0-9.e+]*" | head -1 | awk '{print $2}'; }

echo "| events | events file | median events/s, whole build (3 runs) | median events/s, ingestion only | peak RSS | snapshot |"
echo "|---:|---:|---:|---:|---:|---:|"
for sessions in 160000 1600000; do
  d="$dir/s$sessions"
  [ -f "$d/events.jsonl" ] || "$aisle" demo-data --out "$d" --products 10000 --sessions "$sessions" --quiet
  rates=() totals=() rss=0 events=0
  for run in 1 2 3; do
    j=$("$aisle" build --catalog "$d/catalog.tsv" --events "$d/events.jsonl" --rules "$d/rules.json" --out "$d/out.snap" --json)
    rates+=("$(field events_per_second <<<"$j")")
    totals+=("$(field seconds <<<"$j")")
    rss=$(field peak_rss_mb <<<"$j")
    events=$(grep -o '"events": [0-9][0-9]*' <<<"$j" | head -1 | awk '{print $2}')
  done
  rate=$(printf '%s\n' "${rates[@]}" | median)
  total=$(printf '%s\n' "${totals[@]}" | median)
  printf '| %s | %s MB | %.2fM | %.2fM | %.0f MB | %s bytes |\n' "$events" "$(( $(stat -c %s "$d/events.jsonl") / 1000000 ))" \
    "$(awk "BEGIN {print $events / $total / 1e6}")" "$(awk "BEGIN {print $rate / 1e6}")" "$rss" "$(stat -c %s "$d/out.snap")"
done

echo
echo "| items | snapshot bytes | bytes per item |"
echo "|---:|---:|---:|"
for products in 10000 100000; do
  d="$dir/p$products"
  [ -f "$d/catalog.tsv" ] || "$aisle" demo-data --out "$d" --products "$products" --sessions 20000 --quiet
  "$aisle" build --catalog "$d/catalog.tsv" --events "$d/events.jsonl" --rules "$d/rules.json" --out "$d/out.snap" --quiet
  j=$("$aisle" inspect "$d/out.snap" --json)
  printf '| %s | %s | %.1f |\n' "$(field items <<<"$j")" "$(field bytes <<<"$j")" "$(field bytes_per_item <<<"$j")"
done
