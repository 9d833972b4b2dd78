#!/usr/bin/env bash
# The browser tests: builds the demo storefront and the widget fixture from the native
# (build/) and Emscripten (build-wasm/) builds, then drives them in Chromium.
# usage: tests/web/run.sh [--only NAME]
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tests/web/deps.sh
site=build/browser-site
fixture=build/browser-fixture
bash tools/scripts/site.sh "$site" 2>/dev/null
rm -rf "$fixture" && mkdir -p "$fixture"
cp tests/web/fixture/widget.html tests/web/fixture/fold.html tests/web/fixture/twice.html tests/web/fixture/fallback.json "$fixture/"
cp -r tests/web/fixture/store "$fixture/store"  # a third-party store page under a strict CSP
cp -r "$site/aisle" "$fixture/aisle"  # the loader and engine exactly as the site publishes them
build/tools/aisle build --catalog tests/web/fixture/catalog.jsonl --out "$fixture/fixture.snap" >/dev/null
for arm in holdout variant; do  # the same store in an experiment's holdout, or its variant
  build/tools/aisle build --catalog tests/web/fixture/catalog.jsonl \
    --rules "tests/web/fixture/rules-$arm.json" --out "$fixture/fixture-$arm.snap" >/dev/null
done
node tests/web/run.mjs --site "$site" --fixture "$fixture" "$@"
