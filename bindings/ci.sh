#!/usr/bin/env bash
# The bindings' CI: builds the C ABI (bindings/c), runs its C test, the same
# under valgrind (any leak or invalid access fails), the README's C example,
# then the .NET wrapper's test and example under Mono. Installs valgrind and
# Mono from Debian's packages when they are missing (as root). Prints how long
# each step took. Usage: bash bindings/ci.sh [c|dotnet]... (default: both)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
parts=("$@")
[ ${#parts[@]} -eq 0 ] && parts=(c dotnet)
wants() { [[ " ${parts[*]} " == *" $1 "* ]]; }

timings=()
step() {
  local name=$1 start ms
  shift
  echo "== $name"
  start=$(date +%s%N)
  "$@"
  ms=$((($(date +%s%N) - start) / 1000000))
  timings+=("$(printf '%-26s %4d.%d s' "$name" $((ms / 1000)) $((ms % 1000 / 100)))")
}

install() {
  local missing=()
  if wants c && ! command -v valgrind >/dev/null; then missing+=(valgrind); fi
  if wants dotnet && ! command -v mcs >/dev/null; then missing+=(mono-mcs); fi
  if wants dotnet && ! command -v mono >/dev/null; then missing+=(mono-runtime); fi
  if [ ${#missing[@]} -eq 0 ]; then
    echo "valgrind and Mono are installed"
    return
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing ${missing[*]}: install them (apt-get install ${missing[*]}) or run as root" >&2
    return 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

step "install tools" install

target=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
lib="$target/debug"
out="$target/bindings"
mkdir -p "$out"

step "cargo build judgement-c" cargo build -p judgement-c
step "cargo test judgement-c" cargo test -q -p judgement-c

c_flags=(-std=c11 -Wall -Wextra -Werror -g -O1 -I bindings/c/include)
c_link=(-L "$lib" -ljudgement_c -lpthread "-Wl,-rpath,$lib")

c_test() {
  cc "${c_flags[@]}" bindings/c/tests/test.c "${c_link[@]}" -o "$out/c_test"
  "$out/c_test" . 1000
}

c_example() {
  cc "${c_flags[@]}" bindings/c/examples/example.c "${c_link[@]}" -o "$out/c_example"
  "$out/c_example" > "$out/c_example.out"
  grep -q '"overall": "requires_improvement"' "$out/c_example.out"
}

c_valgrind() {
  valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
    --error-exitcode=1 "$out/c_test" . 1000
}

dotnet_test() {
  mcs -warnaserror -target:library -out:"$out/Judgement.dll" bindings/dotnet/Judgement.cs
  mcs -warnaserror -r:"$out/Judgement.dll" -out:"$out/Test.exe" bindings/dotnet/tests/Test.cs
  LD_LIBRARY_PATH="$lib" mono "$out/Test.exe" .
}

dotnet_example() {
  mcs -warnaserror -r:"$out/Judgement.dll" -out:"$out/Example.exe" bindings/dotnet/examples/Example.cs
  LD_LIBRARY_PATH="$lib" mono "$out/Example.exe" > "$out/dotnet_example.out"
  grep -q '"overall": "requires_improvement"' "$out/dotnet_example.out"
}

if wants c; then
  step "C test" c_test
  step "C example (README)" c_example
  step "C test under valgrind" c_valgrind
fi
if wants dotnet; then
  step "Mono test" dotnet_test
  step "Mono example (README)" dotnet_example
fi

echo "== bindings: every step passed"
printf '%s\n' "${timings[@]}"
