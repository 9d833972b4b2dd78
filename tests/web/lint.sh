#!/usr/bin/env bash
# Lints every JavaScript file of the project with ESLint's recommended rules
# (tests/web/eslint.config.js: browser globals for web/, Node's for the tests).
# usage: tests/web/lint.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tests/web/deps.sh
npx --prefix tests/web --no-install eslint -c tests/web/eslint.config.js web tests/web tests/wasm
echo "lint: eslint clean"
