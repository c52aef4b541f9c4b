#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/fuzz_*.cpp) with clang, ASan and UBSan, and runs
# each for SECONDS (default 60), two at a time. New inputs go to build-fuzz/corpus/<target>
# (seeded from tests/fuzz/corpus/<target>); crashes to build-fuzz/findings/<target>/.
# The regression inputs in tests/fuzz/regressions/<target>-* are replayed first.
#   tools/fuzz.sh 600        # ten minutes per target
#   tools/fuzz.sh 30 model   # one target
# Exits non-zero if any target found a crash, leak, timeout or out-of-memory.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(model npy audio cli)
build=${CQTCNN_FUZZ_BUILD:-build-fuzz}
cxx=${CXX:-$(command -v clang++ || command -v clang++-14 || true)}
cc=${CC:-$(command -v clang || command -v clang-14 || true)}
[ -n "$cxx" ] || { echo "fuzz.sh: clang++ not found (apt-get install clang)" >&2; exit 2; }

cmake -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_C_COMPILER="$cc" \
  -DCQTCNN_FUZZ=ON -DCQTCNN_BUILD_TESTS=OFF -DCQTCNN_NATIVE=OFF >/dev/null
cmake --build "$build" -j2 --target "${targets[@]/#/fuzz_}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

fuzz_one() {
  local t=$1 corpus="$build/corpus/$1" findings="$build/findings/$1"
  mkdir -p "$corpus" "$findings"
  local regressions=(tests/fuzz/regressions/"$t"-*)
  if [ -e "${regressions[0]}" ]; then
    "$build/fuzz_$t" "${regressions[@]}" >"$findings/regressions.log" 2>&1 ||
      { echo "fuzz_$t: a regression input fails again (see $findings/regressions.log)"; return 1; }
  fi
  # 1 s per input and 2 GiB are far above what any valid input of these sizes needs.
  if "$build/fuzz_$t" "$corpus" "tests/fuzz/corpus/$t" -max_total_time="$seconds" -timeout=10 \
       -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 -artifact_prefix="$findings/" \
       >"$findings/run.log" 2>&1; then
    echo "fuzz_$t: clean, $(grep -o 'stat::number_of_executed_units: *[0-9]*' "$findings/run.log" | grep -o '[0-9]*$') executions in ${seconds} s"
  else
    echo "fuzz_$t: FOUND A PROBLEM (log: $findings/run.log)"
    grep -m3 -E 'ERROR|SUMMARY|runtime error|Test unit written' "$findings/run.log" || true
    return 1
  fi
}

status=0
for ((i = 0; i < ${#targets[@]}; i += 2)); do
  pids=()
  for t in "${targets[@]:i:2}"; do
    fuzz_one "$t" & pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || status=1; done
done
exit $status
