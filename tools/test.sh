#!/usr/bin/env bash
# Every test: native suites, the same suites under ASan+UBSan, the core suite and the
# engine tests compiled with Emscripten under Node, the browser tests in Chromium, and a
# bounded fuzz run, after the JavaScript lint. Installs what it needs first (apt packages;
# playwright-core, eslint and typescript from npm; the SQL test installs DuckDB's npm
# package, tools/sql/deps.sh).
# AISLE_FUZZ_SECONDS sets the fuzz time per target.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/scripts/setup.sh --browser
export NODE_PATH=/usr/share/nodejs
jobs=$(nproc)
total=0

echo "== lint (ESLint) and the package's types (tsc)" >&2
bash tests/web/lint.sh
total=$((total + 1))

run_suite() {  # name, build dir, configure command...
  local name=$1 dir=$2
  shift 2
  echo "== $name" >&2
  "$@" -S . -B "$dir" >/dev/null
  cmake --build "$dir" -j "$jobs" >/dev/null
  (cd "$dir" && ctest --output-on-failure -j "$jobs")
  total=$((total + $(cd "$dir" && ctest -N | sed -n 's/^Total Tests: //p')))
}

run_suite native build cmake -DCMAKE_BUILD_TYPE=Release
run_suite "sanitizers (ASan + UBSan)" build-asan cmake -DCMAKE_BUILD_TYPE=Debug -DAISLE_SANITIZE=ON
run_suite "wasm (Emscripten, Node)" build-wasm emcmake cmake -DCMAKE_BUILD_TYPE=Release
echo "== browser (Chromium, playwright-core)" >&2
browser=$(bash tests/web/run.sh | tee -a /dev/stderr | tail -1)
total=$((total + $(echo "$browser" | sed -n 's/^browser: \([0-9]*\) passed.*/\1/p')))
# No date bombs: the CLI and browser suites again with the machine's clock 400 days ahead.
# (Tests pin their own clocks; this proves nothing slipped past that.)
echo "== CLI and browser with the clock moved ahead (faketime +400d)" >&2
ahead() { FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f +400d "$@"; }
[ "$(ahead date +%s)" -gt $(($(date +%s) + 300 * 86400)) ] ||
  { echo "faketime did not move the clock" >&2; exit 1; }
(cd build && ahead ctest --output-on-failure -R cli_tests)
total=$((total + 1))
browser=$(ahead bash tests/web/run.sh | tee -a /dev/stderr | tail -1)
total=$((total + $(echo "$browser" | sed -n 's/^browser: \([0-9]*\) passed.*/\1/p')))
run_suite "fuzz (${AISLE_FUZZ_SECONDS:-20} s per target)" build-fuzz \
  env CC=clang-14 CXX=clang++-14 cmake -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAISLE_FUZZ=ON \
  -DAISLE_FUZZ_SECONDS="${AISLE_FUZZ_SECONDS:-20}"

echo "$total passed, 0 failed"
