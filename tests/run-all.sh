#!/usr/bin/env bash
# Every suite: the set-up script, engine (Catch2 via CTest), wasm (Node), browser (Playwright).
# Runs them all even if one fails; exits non-zero if any failed.
#
# The wasm suite keeps both cores busy but the browser checks that measure nothing (layout,
# axe, fonts, links: tests/e2e/untimed.txt) mostly wait on Chromium, so those two run side by
# side, each with its own log, printed one after the other. The browser checks that time
# something (long tasks, Stop within 2 s) run last and alone, on a quiet machine.
set -uo pipefail
cd "$(dirname "$0")/.."
failed=()
header() { printf '\n\033[1m==== %s ====\033[0m\n' "$1"; }
suite() {
  local name=$1; shift
  header "$name"
  local t0=$(date +%s)
  "$@" || failed+=("$name")
  printf '==== %s: %s s ====\n' "$name" $(( $(date +%s) - t0 ))
}

mapfile -t untimed < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' -e 's|^|tests/e2e/|' tests/e2e/untimed.txt)
timed=()
for f in tests/e2e/*.test.mjs; do
  [[ " ${untimed[*]} " == *" $f "* ]] || timed+=("$f")
done

suite "set-up script (node --test)" node --test tests/tools/
suite "engine (Catch2)" ctest --test-dir build/native --output-on-failure -j 2

logs=$(mktemp -d)
t0=$(date +%s)
node --test --test-concurrency=2 tests/wasm/ > "$logs/wasm" 2>&1 &
wasm_pid=$!
node --test --test-concurrency=1 "${untimed[@]}" > "$logs/untimed" 2>&1 &
untimed_pid=$!
wait $wasm_pid; wasm_rc=$?; wasm_s=$(( $(date +%s) - t0 ))
wait $untimed_pid; untimed_rc=$?; untimed_s=$(( $(date +%s) - t0 ))
header "wasm (node --test), beside the untimed browser checks"
cat "$logs/wasm"
[ $wasm_rc -eq 0 ] || failed+=("wasm")
printf '==== wasm (node --test): %s s ====\n' $wasm_s
header "browser, untimed checks (Playwright + Chromium: ${#untimed[@]} files), beside the wasm suite"
cat "$logs/untimed"
[ $untimed_rc -eq 0 ] || failed+=("browser (untimed)")
printf '==== browser, untimed checks: %s s (both together: %s s) ====\n' $untimed_s $(( wasm_s > untimed_s ? wasm_s : untimed_s ))
rm -rf "$logs"

suite "browser, timed checks (Playwright + Chromium: ${#timed[@]} files, alone)" node --test --test-concurrency=1 "${timed[@]}"

if [ ${#failed[@]} -gt 0 ]; then
  printf '\nFAILED: %s\n' "${failed[*]}"
  exit 1
fi
printf '\nall suites passed\n'
