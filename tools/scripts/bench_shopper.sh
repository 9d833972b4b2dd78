#!/usr/bin/env bash
# The shopper's benchmark (a report, not a test; issue 13): what aisle costs a shopper's
# phone. Generated stores of 2,000 and 100,000 items (1,000,000 with --sizes), each as two
# daily snapshots (day 1: the logs without their last day; day 2: all of them); a plain
# store product page (tests/web/bench-store/) served like a CDN (web/serve.mjs --cdn);
# Chromium with network (Fast 4G, Slow 4G) and 4x CPU emulation measures bytes and time to
# the first painted list (first visit, repeat, next day), long tasks, event -> re-render and
# the wasm heap over a visit (tests/web/bench_shopper.mjs, whose options this passes on).
# Needs build/ (native) and build-wasm/ (Emscripten); BUILD=DIR WASM=DIR use others, and
# PACKAGE=DIR another copy of web/package (e.g. a commit's, from `git archive`). The package
# is served from a content-addressed folder (/aisle/HASH/), or with LAYOUT=flat from /aisle/.
# Generated stores are kept in build/bench-shopper/store-N (snapshots rebuilt when the
# aisle binary is newer); the figures go to build/bench-shopper/results.json.
# usage: tools/scripts/bench_shopper.sh [--sizes 2000,100000[,1000000]] [--modes snapshot,manifest[,shards]]
#          [--profiles fast4g,slow4g] [--runs 3] [--pages 30] [--pages-large 20]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${BUILD:-build}
wasm=${WASM:-build-wasm}
package=${PACKAGE:-web/package}
aisle=$build/tools/aisle
dir=build/bench-shopper
sizes=2000,100000
modes=snapshot,manifest
for ((i = 1; i < $#; i++)); do
  j=$((i + 1))
  [ "${!i}" = --sizes ] && sizes=${!j}
  [ "${!i}" = --modes ] && modes=${!j}
done
bash tests/web/deps.sh
[ -x "$aisle" ] || { echo "bench_shopper: no $aisle (build the native tree, or set BUILD)" >&2; exit 1; }
[ -f "$wasm/wasm/aisle_engine.wasm" ] || { echo "bench_shopper: no $wasm/wasm/aisle_engine.wasm (set WASM)" >&2; exit 1; }
publish=0
"$aisle" help publish >/dev/null 2>&1 && publish=1

for n in ${sizes//,/ }; do
  store=$dir/store-$n
  if [ ! -f "$store/days.json" ]; then
    echo "== generating the $n-item store" >&2
    rm -rf "$store"
    if [ "$n" = 2000 ]; then  # the demo store itself: 2,036 items, 20,000 sessions
      "$aisle" demo-data --out "$store" --quiet
    else  # one session (about 6 events) per item: a 100,000-item build takes about 5 s
      "$aisle" demo-data --out "$store" --products "$n" --sessions "$n" --quiet
    fi
    # Day 1 is the logs up to the start of their last (UTC) day; day 2 is all of them.
    node - "$store/events.jsonl" "$store/events-day1.jsonl" >"$store/days.json.tmp" <<'JS'
const fs = require('fs');
const readline = require('readline');
const [from, to] = process.argv.slice(2);
const stamp = (line) => Date.parse(line.match(/"timestamp":"([^"]+)"/)[1]);
(async () => {
  let last = 0;
  for await (const line of readline.createInterface({ input: fs.createReadStream(from) })) if (line) last = Math.max(last, stamp(line));
  const cutoff = Math.floor(last / 86400000) * 86400000;
  const out = fs.createWriteStream(to);
  let day1 = 0, all = 0;
  for await (const line of readline.createInterface({ input: fs.createReadStream(from) })) {
    if (!line) continue;
    all++;
    if (stamp(line) >= cutoff) continue;
    day1++;
    if (!out.write(`${line}\n`)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
  console.log(JSON.stringify({ cutoff, day1_events: day1, day2_events: all }));
})();
JS
    mv "$store/days.json.tmp" "$store/days.json"
  fi
  if [ ! -f "$store/day2.snap" ] || [ "$aisle" -nt "$store/day2.snap" ]; then
    echo "== building the $n-item store's two daily snapshots" >&2
    for d in 1 2; do
      events=$store/events.jsonl
      [ "$d" = 1 ] && events=$store/events-day1.jsonl
      "$aisle" build --catalog "$store/catalog.tsv" --events "$events" --rules "$store/rules.json" \
        --out "$store/day$d.snap" >/dev/null
    done
    "$aisle" recommend --snapshot "$store/day2.snap" --placement home -k 12 --json >"$store/fallback.json"
  fi
  # The manifest mode's files, when `aisle publish` exists: content-addressed snapshot and lists.
  for d in 1 2; do
    pub=$store/pub-day$d
    if [ "$publish" = 0 ]; then
      rm -rf "$pub"
    elif [ ! -f "$pub/manifest.json" ] || [ "$store/day$d.snap" -nt "$pub/manifest.json" ]; then
      rm -rf "$pub"
      "$aisle" publish --snapshot "$store/day$d.snap" --out "$pub" --quiet
    fi
    # The shards mode's: the same, with the snapshot in shards (a minute at 100,000 items).
    shards=$store/shards-day$d
    if ! "$aisle" help publish 2>/dev/null | grep -q -- --shards; then
      rm -rf "$shards"
    elif [[ ",$modes," == *,shards,* ]] && { [ ! -f "$shards/manifest.json" ] || [ "$store/day$d.snap" -nt "$shards/manifest.json" ]; }; then
      rm -rf "$shards"
      "$aisle" publish --snapshot "$store/day$d.snap" --out "$shards" --shards --quiet
    fi
  done
done

# What the store publishes under /aisle/: the package in a content-addressed folder
# (tools/scripts/package.sh; the pages' tag names /aisle/HASH/aisle.js), or with LAYOUT=flat
# at /aisle/ itself, revalidated on every page (as tools/scripts/site.sh does).
rm -rf "$dir/site" && mkdir -p "$dir/site/aisle"
if [ "${LAYOUT:-}" = flat ]; then
  mkdir -p "$dir/site/aisle/engine"
  cp "$package"/* "$dir/site/aisle/"
  cp "$wasm/wasm/aisle_engine.mjs" "$wasm/wasm/aisle_engine.wasm" "$dir/site/aisle/engine/"
else
  WASM=$wasm PACKAGE=$package bash tools/scripts/package.sh "$dir/site/aisle" >/dev/null
fi
[ "$publish" = 1 ] || echo "== manifest mode: skipped, $aisle has no publish command ('aisle help publish' fails)" >&2
node tests/web/bench_shopper.mjs --dir "$dir" "$@"
