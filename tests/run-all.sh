#!/usr/bin/env bash
# Every suite, in order: the set-up script, engine (Catch2 via CTest), wasm (Node), browser
# (Playwright).
# Runs them all even if one fails; exits non-zero if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
failed=()
suite() {
  local name=$1; shift
  printf '\n\033[1m==== %s ====\033[0m\n' "$name"
  local t0=$(date +%s)
  "$@" || failed+=("$name")
  printf '==== %s: %s s ====\n' "$name" $(( $(date +%s) - t0 ))
}
suite "set-up script (node --test)" node --test tests/tools/
# Claims 8 and 10 train the adding problem at full length in the C++ engine (about 25 s each):
# npm run test:long runs them; here their short versions run in the wasm suite (analysis.test.mjs).
suite "engine (Catch2)" ctest --test-dir build/native --output-on-failure -j 2 -E '^claim (8|10): '
suite "wasm (node --test)" node --test --test-concurrency=2 tests/wasm/
suite "browser (Playwright + Chromium)" node --test --test-concurrency=1 tests/e2e/
if [ ${#failed[@]} -gt 0 ]; then
  printf '\nFAILED: %s\n' "${failed[*]}"
  exit 1
fi
printf '\nall suites passed\n'
