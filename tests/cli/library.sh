#!/usr/bin/env bash
# The installed C++ library, as a program outside this repository uses it: cmake --install into a
# temporary prefix, then examples/classify.cpp built against the prefix twice (find_package(cqtcnn)
# and pkg-config). Both give the command line's label and probability for the built-in model and
# for a model file, and a file that is not audio gets one line and exit 1.
set -euo pipefail
source "$(dirname "$0")/common.bash"  # cqtcnn, src, work (removed on exit), fail
build=$(dirname "$cqtcnn")
prefix="$work/prefix"
# Under the sanitizers the library holds their calls: the example links their runtime too.
flags=()
[[ ${CQTCNN_SANITIZED:-0} == 1 ]] && flags=(-fsanitize=address,undefined)

cmake --install "$build" --prefix "$prefix" > "$work/install.log" || fail "cmake --install: $(cat "$work/install.log")"
for f in include/cqtcnn/cqtcnn.hpp lib/libcqtcnn.a lib/cmake/cqtcnn/cqtcnnConfig.cmake lib/pkgconfig/cqtcnn.pc; do
  [[ -e "$prefix/$f" ]] || fail "not installed: $f"
done
# Only the public headers: none of src/ and no third-party header is needed to compile against them.
[[ -z $(grep -rh '#include' "$prefix/include" | grep -v -e '"cqtcnn/' -e '<[a-z_]*>') ]] \
  || fail "an installed header includes more than cqtcnn/ and the standard library"

cmake -S "$src/examples" -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_EXE_LINKER_FLAGS="${flags[*]}" > "$work/cmake.log" 2>&1 || fail "examples: configure: $(tail -5 "$work/cmake.log")"
cmake --build "$work/cmake-build" > "$work/build.log" 2>&1 || fail "examples: build: $(tail -5 "$work/build.log")"
PKG_CONFIG_PATH="$prefix/lib/pkgconfig" c++ -std=c++20 -O1 "${flags[@]}" "$src/examples/classify.cpp" -o "$work/classify-pc" \
  $(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs cqtcnn) || fail "pkg-config build"

# The same label and probability as `cqtcnn classify` (which prints 3 decimals).
check() {  # check PROGRAM [--model FILE] AUDIO
  local program=$1; shift
  local audio=${*: -1}
  expected=$("$cqtcnn" classify "$@" | awk '{print $2, $3}')
  got=$("$program" "$@" | awk -F'\t' '{printf "%s %.3f\n", $2, $3}')
  [[ $got == "$expected" ]] || fail "$(basename "$program") $*: '$got', cqtcnn classify says '$expected'"
}
for program in "$work/cmake-build/classify" "$work/classify-pc"; do
  check "$program" "$src/data/3_jackson_0.wav"
  check "$program" --model "$src/models/instruments.json" "$src/data/cello-a-note-62.flac"
  printf 'not audio' > "$work/bad.wav"
  "$program" "$work/bad.wav" > /dev/null 2> "$work/err" && fail "a file that is not audio was classified"
  [[ $(wc -l < "$work/err") -eq 1 ]] && grep -q "bad.wav" "$work/err" || fail "bad file: $(cat "$work/err")"
done
echo "examples/classify.cpp built against the installed library (find_package and pkg-config)"
