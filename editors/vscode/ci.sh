#!/usr/bin/env bash
# CI for the VS Code extension: install its npm packages, run the grammar
# and client tests (one against the real judgement-lsp, the debug build of
# the cargo target folder), and package it with vsce. Prints how long each step took; exits nonzero if any fails.
# Needs node and npm (installed with apt when missing), and cargo.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"

timings=()
step() {
  local name="$1"
  shift
  local start=$SECONDS
  echo "== $name"
  "$@"
  timings+=("$name: $((SECONDS - start))s")
}

install_node() {
  if command -v node >/dev/null && command -v npm >/dev/null; then
    return
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm
}

# The debug build the cargo tests made (an incremental build brings it up to
# date, or makes it); $JUDGEMENT_LSP, when set, is used as it is.
build_server() {
  if [ -n "${JUDGEMENT_LSP:-}" ]; then
    return
  fi
  (cd "$root" && cargo build -q -p judgement-lsp)
  export JUDGEMENT_LSP="${CARGO_TARGET_DIR:-$root/target}/debug/judgement-lsp"
}

# The packaged extension holds its grammars, its client and the client's
# runtime packages, and not its tests.
check_package() {
  local listing
  listing="$(unzip -l judgement.vsix 2>/dev/null || python3 -m zipfile -l judgement.vsix)"
  for f in extension/package.json extension/extension.js extension/language-configuration.json \
    extension/syntaxes/judgement.tmLanguage.json extension/syntaxes/judgement-calendar.tmLanguage.json \
    extension/node_modules/vscode-languageclient/package.json; do
    grep -q "$f" <<<"$listing" || { echo "judgement.vsix lacks $f" >&2; return 1; }
  done
  if grep -q "extension/test/" <<<"$listing"; then
    echo "judgement.vsix holds the tests" >&2
    return 1
  fi
}

total=$SECONDS
step "node and npm" install_node
echo "node $(node --version), npm $(npm --version)"
# --ignore-scripts: no package here needs an install script; vsce's optional
# keytar (for publishing) would try to download or compile a native module.
step "npm ci" npm ci --ignore-scripts --no-audit --no-fund
step "judgement-lsp" build_server
step "npm test" npm test
rm -f judgement.vsix
step "vsce package" npx --no-install vsce package --allow-missing-repository --out judgement.vsix
step "package contents" check_package
rm -f judgement.vsix
echo "== timings"
printf '%s\n' "${timings[@]}"
echo "total: $((SECONDS - total))s"
