#!/usr/bin/env bash
# CI of the Python binding: the crate's layout and lints, then a wheel built
# with maturin and installed in a fresh virtualenv, and the pytest suite run
# against it. Needs the Rust toolchain (with rustfmt and clippy), a C linker
# and CPython 3.9 or later with pip; installs the rest itself (Debian's
# python3-venv if `python3 -m venv` cannot make a virtualenv, then maturin and
# pytest from PyPI as binary wheels). Prints how long each step took; exits
# nonzero when any step fails.
#
#   bash bindings/python/ci.sh          (from anywhere)
#
# CARGO_TARGET_DIR is honoured (by default bindings/python/target; the
# virtualenv and the wheel are made afresh in its folder python-ci); PYTHON
# names the interpreter to build the virtualenv from (default python3).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# A relative CARGO_TARGET_DIR means the caller's folder, not this one.
if [[ -n "${CARGO_TARGET_DIR:-}" && "$CARGO_TARGET_DIR" != /* ]]; then
  export CARGO_TARGET_DIR="$PWD/$CARGO_TARGET_DIR"
fi
cd "$here"
export CARGO_TERM_COLOR=never
python="${PYTHON:-python3}"
# Made afresh each run, at the same place so that PyO3's build script (which
# reruns when PYO3_PYTHON changes) is not rebuilt each time.
work="${CARGO_TARGET_DIR:-$here/target}/python-ci"
rm -rf "$work"
mkdir -p "$work"
work="$(cd "$work" && pwd)"
venv="$work/venv"

timings=()
finish() {
  local status=$?
  echo "== python binding: time taken"
  if ((${#timings[@]})); then printf '%s\n' "${timings[@]}"; fi
  if ((status != 0)); then echo "== python binding: FAILED (exit $status)"; fi
}
trap finish EXIT
step() {
  local name="$1"
  shift
  echo "== python binding: $name"
  local start=$SECONDS
  "$@"
  timings+=("$(printf '%5ds  %s' $((SECONDS - start)) "$name")")
}

make_venv() {
  if ! "$python" -m venv "$venv" 2>/dev/null; then
    # Debian's python3 has no ensurepip without python3-venv.
    rm -rf "$venv"
    if command -v apt-get >/dev/null; then
      echo "python3 -m venv failed: installing python3-venv"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    fi
    "$python" -m venv "$venv"
  fi
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --only-binary :all: \
    "maturin>=1.9.4,<2" "pytest>=9,<10"
}

build_wheel() {
  "$venv/bin/maturin" build --release --locked -i "$venv/bin/python" -o "$work/dist"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --no-deps "$work"/dist/judgement-*.whl
}

run_pytest() {
  # From a folder without the package's sources, so the installed wheel is
  # what is imported.
  (cd "$here/tests" && "$venv/bin/python" -c 'import judgement; print("testing", judgement.__file__)' \
    && "$venv/bin/python" -m pytest -q -p no:cacheprovider --rootdir "$here" "$here/tests")
}

step "virtualenv with maturin and pytest" make_venv
# PyO3's build script asks this interpreter for its version.
export PYO3_PYTHON="$venv/bin/python"
step "cargo fmt --check" cargo fmt --check
step "cargo clippy -D warnings" cargo clippy --locked --all-targets -- -D warnings
step "maturin build --release and pip install" build_wheel
step "pytest" run_pytest
