#!/usr/bin/env bash
# Assembles the demo storefront into DIR (default build/demo-site) from the builds in
# build/ (native) and build-wasm/ (Emscripten): generates the demo store, builds its
# snapshot with the store's rules, runs the QA checkpoint, writes the fallback list,
# publishes the snapshot and its page lists (aisle publish), and
# copies the pages, the studio, the loader and the engine. Used by demo.sh and the browser tests.
# usage: tools/scripts/site.sh [DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
site=${1:-build/demo-site}
store=$site.store
aisle=build/tools/aisle

echo "== generating the demo store" >&2
"$aisle" demo-data --out "$store" --seed "${SEED:-42}" --quiet
echo "== building its snapshot" >&2
rm -rf "$site"
mkdir -p "$site/aisle/engine"
"$aisle" build --catalog "$store/catalog.tsv" --events "$store/events.jsonl" \
  --rules "$store/rules.json" --out "$site/demo.snap"
echo "== the QA checkpoint before it goes live" >&2
"$aisle" qa --snapshot "$site/demo.snap" --visits 5 >&2
"$aisle" inspect "$site/demo.snap" --json >"$site/summary.json"
# What a widget shows when the engine cannot run: the best sellers, from the snapshot.
"$aisle" recommend --snapshot "$site/demo.snap" --placement home -k 12 --json >"$site/fallback.json"
# What the shop serves: the manifest, each page's first list, the snapshot in shards and whole under its
# content address (LISTS_AT: when the lists are computed; default the snapshot's trend time).
"$aisle" publish --snapshot "$site/demo.snap" --out "$site/aisle/store" --limits home=8,product=6,category=4 --shards \
  ${LISTS_AT:+--now "$LISTS_AT"} --quiet
cp web/demo/shop.js web/demo/shop.css web/demo/snapshot.* "$site/"
# The store's pages: one skeleton (web/demo/page.html); shop.js renders each page type.
while IFS='|' read -r file page title; do
  sed -e "s/{{page}}/$page/g" -e "s/{{title}}/$title/" web/demo/page.html >"$site/$file.html"
done <<'PAGES'
index|home|Harbor \&amp; Pine — home, fitness and gifts
category|category|Shop by category — Harbor \&amp; Pine
product|product|Product — Harbor \&amp; Pine
cart|cart|Your cart — Harbor \&amp; Pine
checkout|checkout|Checkout — Harbor \&amp; Pine
PAGES
cp -r web/studio "$site/studio"
cp -r "$store/images" "$store/catalog.tsv" "$site/"
cp web/package/* "$site/aisle/"
cp build-wasm/wasm/aisle_engine.mjs build-wasm/wasm/aisle_engine.wasm "$site/aisle/engine/"
echo "== demo storefront in $site" >&2
