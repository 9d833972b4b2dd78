#!/usr/bin/env bash
# Lints every JavaScript file of the project with ESLint's recommended rules
# (tests/web/eslint.config.js: browser globals for web/, Node's for the tests), then checks
# the package's types: tsc compiles a store's use of every declared value through the
# `exports` map (types/usage.ts), and types/exports.mjs compares each .d.ts with what its
# module really exports.
# usage: tests/web/lint.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tests/web/deps.sh
npx --prefix tests/web --no-install eslint -c tests/web/eslint.config.js web tests/web tests/wasm tools/sql
echo "lint: eslint clean"
npx --prefix tests/web --no-install tsc --noEmit -p tests/web/types
node tests/web/types/exports.mjs
