# The shell tests' checks, sourced by tests/tools/*/test_*.sh: pass, fail, and
# expect CODE PATTERN -- command...: the command's exit code and an extended regular
# expression somewhere in its stdout and stderr. Counts go to $passes and $fails.
fails=0 passes=0
pass() { passes=$((passes + 1)); }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
expect() {
  local code=$1 pattern=$2
  shift 3
  local out rc
  out=$("$@" 2>&1)
  rc=$?
  if [ "$rc" != "$code" ]; then fail "$* -> exit $rc, wanted $code; output: $out"; return; fi
  if [ -n "$pattern" ] && ! grep -qE -- "$pattern" <<<"$out"; then fail "$* -> output lacks /$pattern/: $out"; return; fi
  pass
}
