#!/usr/bin/env bash
# Installs DuckDB's Node.js package (@duckdb/node-api) for aggregate.mjs exactly as
# package-lock.json pins it, when it is missing or older than the lock file.
set -euo pipefail
cd "$(dirname "$0")"
[ node_modules/.package-lock.json -nt package-lock.json ] ||
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
