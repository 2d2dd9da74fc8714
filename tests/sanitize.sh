#!/usr/bin/env bash
# The engine's Catch2 suite (and the gradlab-cli tests) under AddressSanitizer and
# UndefinedBehaviorSanitizer, in its own build dir: build/sanitize.
#   npm run test:sanitize          build + run; exit status non-zero on any failure or finding
#   JOBS=4 bash tests/sanitize.sh  more parallel jobs (default 2)
#   WITH_CLAIMS=1 ...              also the long claims tests (test_claims.cpp, several minutes)
#   SANITIZE_BUILD_DIR=/tmp/x ...  another build dir (default build/sanitize)
# Needs only what web/tools/setup.sh --test installs (g++, cmake, ninja, catch2, eigen,
# xtensor): GCC ships both sanitizers' runtimes (libasan, libubsan).
# Every finding aborts its test (-fno-sanitize-recover=all, halt_on_error), so ctest fails.
# Measured here (2 cores shared with other builds, load average ~8): a clean build 18 min
# wall for 12 min 51 s of CPU (so about 7 min on an idle 2-core machine), then the run
# (131 tests, the 11 claims tests left out) 43-107 s; a rebuild after one edit about 1-2 min.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="${JOBS:-2}"
dir="${SANITIZE_BUILD_DIR:-build/sanitize}"
start=$SECONDS

san="-fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all -fno-omit-frame-pointer"
# configured every time (a second when nothing changed), so that these flags always apply
# RelWithDebInfo with its flags replaced: -O1, line tables only (-g1: file:line in the
# reports, a faster build than -g) and no NDEBUG, so Eigen's own index assertions stay on.
# Through ccache when it is there (web/tools/setup.sh installs it): see setup.sh.
launcher=()
if command -v ccache >/dev/null; then
  export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
echo "[sanitize] configuring $dir (ASan + UBSan, -O1 -g1, assertions on)"
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DCMAKE_CXX_FLAGS="$san" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined,float-cast-overflow" >/dev/null
echo "[sanitize] building (jobs: $jobs)"
# no pipe into a filter: a failed build must fail this script with the compiler's message
cmake --build "$dir" -j "$jobs"
built=$SECONDS

export ASAN_OPTIONS="detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
exclude=()
[ "${WITH_CLAIMS:-0}" = 1 ] || exclude=(-E '^claim ')
echo "[sanitize] running the suite ${exclude[*]:+(without the claims tests)}"
status=0
ctest --test-dir "$dir" -j "$jobs" --output-on-failure "${exclude[@]}" || status=$?
echo "[sanitize] build $((built - start)) s, run $((SECONDS - built)) s, exit status $status"
exit "$status"
