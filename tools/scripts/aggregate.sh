#!/usr/bin/env bash
# One command from a folder of GA4 BigQuery export files to the aggregates that
# `aisle build --aggregates DIR` reads: the build's counting stage as SQL on DuckDB
# (tools/sql/aggregate.mjs; docs/ingestion.md, "The counting stage as SQL"). Installs
# DuckDB's npm package on first use; uses build/tools/aisle unless --aisle or $AISLE.
#
#   bash tools/scripts/aggregate.sh --catalog products.tsv --events ga4-export/ --out aggregates/
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bash "$root/tools/sql/deps.sh"
exec node "$root/tools/sql/aggregate.mjs" "$@"
