#!/usr/bin/env bash
# The kernels' instruction sets forced through the environment variable CQTCNN_ISA (scalar,
# avx2, avx512; src/simd/isa.hpp): every variant this CPU has must write byte-identical
# spectrograms (84 and 168 bins) and classifications; a value the CPU cannot run, or an unknown
# one, is reported on stderr and the widest supported set is used.
# Usage: isa.sh <path-to-cqtcnn> <source-dir>
set -euo pipefail
source "$(dirname "$0")/common.bash"

flags=$(grep -m1 '^flags' /proc/cpuinfo || true)
has() { for f in "$@"; do [[ " $flags " == *" $f "* ]] || return 1; done; }
isas=(scalar)
has avx2 fma bmi1 bmi2 && isas+=(avx2)
has avx512f avx512vl avx512dq avx512bw && has avx2 fma && isas+=(avx512)
echo "instruction sets run here: ${isas[*]}"

for isa in "${isas[@]}"; do
  CQTCNN_ISA=$isa "$cqtcnn" spectrogram "$src/data/cello-a-note-62.flac" -o "$work/$isa.84.npy" 2> "$work/err"
  ! grep -q CQTCNN_ISA "$work/err" || fail "$isa: refused: $(cat "$work/err")"
  CQTCNN_ISA=$isa "$cqtcnn" spectrogram "$src/data/cello-a-note-62.flac" --n-bins 168 --bins-per-octave 24 \
    -o "$work/$isa.168.npy"
  CQTCNN_ISA=$isa "$cqtcnn" classify -k 3 -o "$work/$isa.csv" "$src"/data/*.wav
  CQTCNN_ISA=$isa "$cqtcnn" classify --model "$src/models/instruments.json" -k 3 -o "$work/$isa.instruments.csv" \
    "$src"/data/*.flac
  for out in 84.npy 168.npy csv instruments.csv; do
    cmp -s "$work/scalar.$out" "$work/$isa.$out" || fail "$isa: $out differs from the scalar variant's"
  done
done

# Unknown and unsupported values: a one-line note, then the same results.
CQTCNN_ISA=sse9 "$cqtcnn" spectrogram "$src/data/cello-a-note-62.flac" -o "$work/unknown.npy" 2> "$work/err"
grep -q "CQTCNN_ISA=sse9: expected scalar, avx2 or avx512" "$work/err" || fail "unknown value: $(cat "$work/err")"
cmp -s "$work/scalar.84.npy" "$work/unknown.npy" || fail "unknown value: output differs"
if [[ " ${isas[*]} " != *" avx512 "* ]]; then
  CQTCNN_ISA=avx512 "$cqtcnn" spectrogram "$src/data/cello-a-note-62.flac" -o "$work/unsupported.npy" 2> "$work/err"
  grep -q "CQTCNN_ISA=avx512: this CPU does not support it" "$work/err" || fail "unsupported value: $(cat "$work/err")"
  cmp -s "$work/scalar.84.npy" "$work/unsupported.npy" || fail "unsupported value: output differs"
fi
echo "ok: ${isas[*]} give identical outputs"
