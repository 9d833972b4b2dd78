#!/usr/bin/env bash
# The browser tests: builds the demo storefront and the widget fixture from the native
# (build/) and Emscripten (build-wasm/) builds, then drives them in Chromium.
# usage: tests/web/run.sh [--only NAME]
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tests/web/deps.sh
site=build/browser-site
fixture=build/browser-fixture
# Page lists computed at the pages' pinned clock (run.mjs), so they are the engine's lists.
LISTS_AT=2026-11-02T10:00:00Z bash tools/scripts/site.sh "$site" 2>/dev/null
rm -rf "$fixture" && mkdir -p "$fixture"
cp tests/web/fixture/widget.html tests/web/fixture/fold.html tests/web/fixture/twice.html tests/web/fixture/fallback.json "$fixture/"
cp -r tests/web/fixture/store "$fixture/store"  # a third-party store page under a strict CSP
cp -r "$site/aisle" "$fixture/aisle"  # the loader and engine exactly as the site publishes them
node tests/web/shopify-render.mjs "$fixture" "$site"  # the Shopify extension's Liquid rendered into store pages
build/tools/aisle build --catalog tests/web/fixture/catalog.jsonl --out "$fixture/fixture.snap" >/dev/null
# aisle report's HTML page on a simulated experiment (the phone layout test).
build/tools/aisle demo-data --out build/browser-ab --sessions 4000 --experiment 0.1 --quiet
build/tools/aisle report --events build/browser-ab/events.jsonl --rules build/browser-ab/rules.json \
  --catalog build/browser-ab/catalog.tsv --html "$fixture/report.html" >/dev/null
for arm in holdout variant; do  # the same store in an experiment's holdout, or its variant
  build/tools/aisle build --catalog tests/web/fixture/catalog.jsonl \
    --rules "tests/web/fixture/rules-$arm.json" --out "$fixture/fixture-$arm.snap" >/dev/null
done
# The demo's next build (the same store without its rules), published beside the current
# one: manifest-next.json is what the shop's manifest.json becomes when it goes live (the
# test of an update mid-visit).
store=$site/aisle/store
build/tools/aisle build --catalog "$site.store/catalog.tsv" --events "$site.store/events.jsonl" --out "$site.next.snap" >/dev/null
cp "$store/manifest.json" "$store/manifest-now.json"
build/tools/aisle publish --snapshot "$site.next.snap" --out "$store" --limits home=8,product=6,category=4 --shards \
  --now 2026-11-02T10:00:00Z --quiet
mv "$store/manifest.json" "$store/manifest-next.json"
mv "$store/manifest-now.json" "$store/manifest.json"
node tests/web/run.mjs --site "$site" --fixture "$fixture" "$@"
