#!/usr/bin/env bash
# Writes each subcommand's option table into README.md, between its marker comments
#   <!-- aisle CMD options: ... -->  ...  <!-- end of aisle CMD options -->
# from the aisle binary's own options table (`aisle help --markdown CMD`), the one that
# also renders `aisle CMD --help` and is all the parser accepts. Run it after changing an
# option; tests/tools/cli/test_cli.sh fails while README.md differs.
#
#   bash tools/scripts/readme_options.sh [AISLE] [README]   (default build/tools/aisle README.md)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
aisle=${1:-$root/build/tools/aisle}
readme=${2:-$root/README.md}
out=$(mktemp)
trap 'rm -f "$out"' EXIT

while IFS= read -r line; do
  printf '%s\n' "$line"
  if [[ $line =~ ^\<!--\ aisle\ ([a-z-]+)\ options: ]]; then
    cmd=${BASH_REMATCH[1]}
    "$aisle" help --markdown "$cmd"
    end="<!-- end of aisle $cmd options -->"
    found=0
    while IFS= read -r line; do
      if [ "$line" = "$end" ]; then found=1; break; fi
    done
    if [ "$found" = 0 ]; then
      echo "readme_options.sh: $readme: no '$end' after the table of aisle $cmd" >&2
      exit 2
    fi
    printf '%s\n' "$end"
  fi
done <"$readme" >"$out"
if ! cmp -s "$out" "$readme"; then
  cat "$out" >"$readme"
  echo "readme_options.sh: $readme updated"
fi
