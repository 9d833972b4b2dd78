#!/usr/bin/env bash
# Copies the storefront package (web/package and the engine of an Emscripten build) into
# OUT/HASH/, HASH the first 16 hex digits of the SHA-256 of its files: a content-addressed
# folder a CDN may serve `immutable` (web/serve.mjs --cdn does), so that a repeat page view
# takes the loader, the worker and the engine from the browser's cache with no round trip.
# The store's tag names the new folder when the package changes (docs/storefront.md,
# "Serving the package"). Prints HASH.
# usage: tools/scripts/package.sh OUT   (WASM=DIR another Emscripten build, PACKAGE=DIR another package)
set -euo pipefail
out=$(realpath -m "${1:?usage: tools/scripts/package.sh OUT}")
wasm=$(realpath -m "${WASM:-$(dirname "$0")/../../build-wasm}")
package=$(realpath -m "${PACKAGE:-$(dirname "$0")/../../web/package}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/engine"
cp "$package"/*.js "$package"/*.d.ts "$package"/package.json "$tmp/"
cp "$wasm/wasm/aisle_engine.mjs" "$wasm/wasm/aisle_engine.wasm" "$tmp/engine/"
hash=$(cd "$tmp" && find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16)
mkdir -p "$out"
rm -rf "${out:?}/$hash"
cp -r "$tmp" "$out/$hash"
chmod 755 "$out/$hash"
echo "$hash"
