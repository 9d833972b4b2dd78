#!/usr/bin/env bash
# The main job: build everything (native and wasm), generate the demo store, build its
# snapshot, and serve the demo storefront on http://127.0.0.1:$PORT (default 8080).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
export NODE_PATH=/usr/share/nodejs
jobs=$(nproc)
port=${PORT:-8080}

echo "== building (native and wasm)" >&2
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$jobs" --target aisle >/dev/null
emcmake cmake -S . -B build-wasm -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-wasm -j "$jobs" --target aisle_engine >/dev/null

store=build/demo-store
site=build/demo-site
echo "== generating the demo store" >&2
build/tools/aisle demo-data --out "$store" --seed "${SEED:-42}"
echo "== building its snapshot" >&2
mkdir -p "$site/engine"
build/tools/aisle build --catalog "$store/catalog.tsv" --events "$store/events.jsonl" \
  --rules "$store/rules.json" --out "$site/demo.snap"
echo "== the QA checkpoint before it goes live" >&2
build/tools/aisle qa --snapshot "$site/demo.snap" --visits 5
build/tools/aisle inspect "$site/demo.snap" --json >"$site/summary.json"
cp -r web/demo/. "$site/"
cp build-wasm/wasm/aisle_engine.mjs build-wasm/wasm/aisle_engine.wasm "$site/engine/"

exec node web/serve.mjs --root "$site" --port "$port"
