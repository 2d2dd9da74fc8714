#!/usr/bin/env bash
# Installs what gradlab needs and builds it. Idempotent: quick when everything is there.
#   setup.sh          what `npm start` needs: the wasm engine and the site
#   setup.sh --test   also the native engine with its Catch2 tests, and Chromium
set -euo pipefail
cd "$(dirname "$0")/../.."
for_tests=false
[ "${1:-}" = "--test" ] && for_tests=true

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
started=$(date +%s)

# ---- Debian packages ----------------------------------------------------------------
debs=(emscripten libeigen3-dev libxtensor-dev cmake ninja-build python3-fonttools python3-brotli ccache)
$for_tests && debs+=(g++ catch2 chromium chromium-headless-shell)
missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "gradlab needs these Debian packages: ${missing[*]} (run as root or install them)" >&2; exit 1; }
    sudo=sudo
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# ---- npm packages ---------------------------------------------------------------------
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# ---- builds ---------------------------------------------------------------------------
# emcc runs its JS tools with this machine's Node, which must find Debian's acorn & co.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
jobs=$(nproc)

# ccache keeps every compiler run's output, keyed by its preprocessed input and flags: a build
# in another clone on this machine, or after a `git checkout` back and forth, compiles only what
# differs (paths under the clone are made relative, so clones anywhere share the cache). Without
# it a build starts from nothing, as on a new machine.
launcher=()
if command -v ccache >/dev/null; then
  export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
  export EM_COMPILER_WRAPPER=ccache  # emcc runs its clang through ccache
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi

# A build that fails stops here, with the compiler's messages (ninja's progress lines left
# out): an engine or test binary from an earlier build must never pass for this one.
build() {
  local log status=0
  log=$(mktemp)
  cmake --build "$1" -j "$jobs" >"$log" 2>&1 || status=$?
  grep -v '^\[[0-9]*/[0-9]*\] ' "$log" || true
  rm -f "$log"
  if [ "$status" -ne 0 ]; then
    say "the build in $1 failed (exit $status); the compiler's messages are above"
    exit "$status"
  fi
}

if [ ! -f build/wasm/build.ninja ]; then
  say "configuring the wasm build"
  emcmake cmake -S . -B build/wasm -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
say "building the engine for WebAssembly"
build build/wasm
test -f web/public/engine/gradlab-engine.wasm && test -f web/public/engine/gradlab-engine-baseline.wasm && test -f web/public/engine/gradlab-engine-threads.wasm

if $for_tests; then
  if [ ! -f build/native/build.ninja ]; then
    say "configuring the native build"
    cmake -S . -B build/native -G Ninja -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" >/dev/null
  fi
  say "building the native engine, its tests and gradlab-cli"
  build build/native
  test -x build/native/gradlab_tests && test -x build/native/gradlab-cli
fi

say "building the site"
npx vite build --config web/vite.config.js --logLevel warn

say "ready in $(( $(date +%s) - started )) s"
