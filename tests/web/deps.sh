#!/usr/bin/env bash
# Installs the npm packages of tests/web (playwright-core; eslint, typescript for lint.sh)
# exactly as package-lock.json pins them, when they are missing or older than the lock file.
set -euo pipefail
cd "$(dirname "$0")"
[ node_modules/.package-lock.json -nt package-lock.json ] ||
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
