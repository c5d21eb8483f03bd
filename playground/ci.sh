#!/usr/bin/env bash
# The playground in CI: build the static site from the engine's WebAssembly
# package for the web (made by bindings/wasm/ci.sh, which must run first),
# then drive it in headless Chromium. Installs Chromium (Debian's package) and
# playwright-core (npm; it downloads no browser) when they are missing.
set -euo pipefail
cd "$(dirname "$0")"
step() { echo "playground: $1 ($(( $(date +%s) - start ))s)"; }
start=$(date +%s)
if ! command -v chromium >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
  step "installed chromium"
fi
npm ci --no-audit --no-fund --loglevel=error
step "npm ci"
node build.mjs
step "built dist/"
node --test test/
step "tests passed"
