#!/usr/bin/env bash
# Installs what aisle needs on Debian 12, only what is missing. Run as root (or with sudo).
# usage: tools/scripts/setup.sh [--browser]   (--browser: Chromium and npm too, for the browser tests)
set -euo pipefail

pkgs=(cmake make g++ emscripten doctest-dev nlohmann-json3-dev libboost-math-dev clang-14 libclang-rt-14-dev)
need=()
for p in "${pkgs[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
command -v node >/dev/null 2>&1 || need+=(nodejs)
[ -d /usr/share/nodejs/acorn ] || need+=(node-acorn)  # em++'s JS optimizer needs it
if [ "${1:-}" = --browser ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v npm >/dev/null 2>&1 || need+=(npm)
  command -v faketime >/dev/null 2>&1 || need+=(faketime)  # tests/web and CLI with the clock moved
fi

if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO=sudo
  echo "aisle setup: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
