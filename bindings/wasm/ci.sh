#!/usr/bin/env bash
# CI for the WebAssembly binding: installs what it needs (the wasm32 target,
# the wasm-bindgen CLI at the crate's version, binaryen, Node if missing),
# lints, builds, binds, optimises, checks the TypeScript types and runs the
# Node tests. Prints how long each step took and the .wasm sizes; exits
# nonzero on the first failure. Works as root on a fresh Debian 12 machine
# with rustup, gcc and python3. CARGO_TARGET_DIR is honoured (default:
# bindings/wasm/target).
set -euo pipefail
cd "$(dirname "$0")"
here=$(pwd)
export CARGO_TERM_COLOR=never
target_dir=${CARGO_TARGET_DIR:-$here/target}
wasm=$target_dir/wasm32-unknown-unknown/release/judgement_wasm.wasm
# The CLI must be exactly the version the crate pins.
version=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"$/\1/p' Cargo.toml)
[ -n "$version" ] || { echo "ci.sh: no pinned wasm-bindgen version in Cargo.toml" >&2; exit 1; }

timings=()
times_file=$(mktemp)
trap 'rm -f "$times_file"' EXIT
# CPU: the CPU seconds (user + system) of every process this shell has
# waited for. `times` runs in this shell, not in a subshell, to see them.
cpu_now() {
  times >"$times_file"
  CPU=$(tail -1 "$times_file" | awk '{ t = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] } printf "%.0f", t }')
}
step() {
  local name=$1 start cpu_start
  shift
  echo "== $name"
  start=$(date +%s)
  cpu_now
  cpu_start=$CPU
  "$@"
  cpu_now
  timings+=("$(printf '%-24s %5ss wall %5ss CPU' "$name" $(($(date +%s) - start)) $((CPU - cpu_start)))")
}

apt_install() {
  # Another apt may hold the lock for a while on a shared machine.
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "$@"
}

install_tools() {
  rustup target add wasm32-unknown-unknown
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $version" ]; then
    # Without --locked: the CLI's lock file does not resolve here.
    cargo install wasm-bindgen-cli --version "$version"
  fi
  local packages=()
  command -v wasm-opt >/dev/null || packages+=(binaryen)
  command -v node >/dev/null || packages+=(nodejs)
  command -v npm >/dev/null || packages+=(npm)
  if [ ${#packages[@]} -gt 0 ]; then apt_install "${packages[@]}"; fi
  wasm-bindgen --version
  wasm-opt --version
  node --version
}

lint() {
  cargo fmt --check
  cargo clippy --target wasm32-unknown-unknown -- -D warnings
}

build() {
  cargo build --release --target wasm32-unknown-unknown
}

# The features Rust enables by default for wasm32, which wasm-opt 108 does
# not assume.
WASM_FEATURES=(--enable-bulk-memory --enable-sign-ext --enable-mutable-globals
  --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue)
optimised=$target_dir/wasm-opt/judgement_wasm.wasm

# wasm-opt runs on cargo's module, before wasm-bindgen: the wasm-opt of
# Debian 12 (binaryen 108) writes wasm-bindgen's output with its externref
# table exported as the function table, which breaks it.
optimise() {
  mkdir -p "$(dirname "$optimised")"
  wasm-opt -Oz --strip-debug --strip-producers "${WASM_FEATURES[@]}" -o "$optimised" "$wasm"
}

bind() {
  rm -rf pkg
  wasm-bindgen --target nodejs --out-dir pkg/node "$optimised"
  wasm-bindgen --target web --out-dir pkg/web "$optimised"
  # What npm and Node need to load each as a package (wasm-bindgen writes
  # none): pkg/node is CommonJS, pkg/web an ES module.
  local dir type
  for dir in node web; do
    type=commonjs
    [ "$dir" = web ] && type=module
    printf '{\n  "name": "judgement-wasm",\n  "version": "0.1.0",\n  "license": "MIT OR Apache-2.0",\n  "type": "%s",\n  "main": "judgement_wasm.js",\n  "types": "judgement_wasm.d.ts"\n}\n' \
      "$type" >"pkg/$dir/package.json"
  done
}

sizes() {
  local unoptimised=$target_dir/wasm-opt/unoptimised final=pkg/node/judgement_wasm_bg.wasm
  # For comparison: wasm-bindgen's output without wasm-opt.
  wasm-bindgen --target nodejs --out-dir "$unoptimised" "$wasm" 2>/dev/null
  echo "cargo build --release:                $(stat -c %s "$wasm") bytes"
  echo "  then wasm-bindgen:                  $(stat -c %s "$unoptimised/judgement_wasm_bg.wasm") bytes," \
    "gzip -9 $(gzip -9 -c "$unoptimised/judgement_wasm_bg.wasm" | wc -c)"
  echo "wasm-opt -Oz:                         $(stat -c %s "$optimised") bytes"
  echo "  then wasm-bindgen (pkg/, shipped):  $(stat -c %s "$final") bytes," \
    "gzip -9 $(gzip -9 -c "$final" | wc -c)"
}

typescript() {
  if ! [ -x node_modules/.bin/tsc ]; then
    npm install --no-save --no-audit --no-fund --no-package-lock typescript@5
  fi
  node_modules/.bin/tsc --noEmit --strict --target es2022 --lib es2022,esnext.disposable --module commonjs \
    --moduleResolution node --skipLibCheck false test/types/usage.ts
}

tests() {
  # The binary, when the root CI has built it, is compared with too.
  JUDGEMENT_CLI=${JUDGEMENT_CLI:-${CARGO_TARGET_DIR:-$(cd ../.. && pwd)/target}/debug/judgement} \
    node --test test/*.test.mjs
}

total_start=$(date +%s)
step "install tools" install_tools
step "fmt + clippy (wasm32)" lint
step "cargo build (wasm32)" build
step "wasm-opt -Oz" optimise
step "wasm-bindgen" bind
step "tsc --noEmit" typescript
step "node --test" tests
echo "== sizes"
sizes
echo "== timings"
printf '%s\n' "${timings[@]}"
cpu_now
printf '%-24s %5ss wall %5ss CPU\n' "total" $(($(date +%s) - total_start)) "$CPU"
