#!/usr/bin/env bash
# The main job: build everything (native and wasm), generate the demo store, build its
# snapshot, and serve the demo storefront on http://127.0.0.1:$PORT (default 8080).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/scripts/setup.sh
export NODE_PATH=/usr/share/nodejs
jobs=$(nproc)
port=${PORT:-8080}

echo "== building (native and wasm)" >&2
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$jobs" --target aisle >/dev/null
emcmake cmake -S . -B build-wasm -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-wasm -j "$jobs" --target aisle_engine >/dev/null

bash tools/scripts/site.sh build/demo-site
echo "== serving the store; the merchandisers' studio is at /studio/ on the same address" >&2
exec node web/serve.mjs --root build/demo-site --port "$port"
