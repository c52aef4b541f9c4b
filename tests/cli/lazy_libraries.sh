#!/usr/bin/env bash
# Libraries opened on first use, not at start-up (src/io/shared_library.hpp): libsndfile (decoding),
# libsoxr (resampling), FFTW (CQT filter design) and the figures module (cairo, and libpng for
# every PNG written). The dynamic loader's own log (LD_DEBUG=files) lists every
# library a process opens, dlopen included.
set -euo pipefail
source "$(dirname "$0")/common.bash"  # cqtcnn, src, work (removed on exit), fail
opened() { LD_DEBUG=files LD_DEBUG_OUTPUT="$work/ld" "$@" > /dev/null; cat "$work"/ld.*; rm -f "$work"/ld.*; }

log=$(opened "$cqtcnn" --version)
grep -q "file=libstdc++.so" <<< "$log" || fail "the loader's log lists no libraries: $(head -3 <<< "$log")"
for library in libsndfile libsoxr libfftw3 libpng libcqtcnn_figures; do
  ! grep -q "file=$library" <<< "$log" || fail "--version opened $library"
done

# The built-in model's filters are designed at build time: classify never opens FFTW. It decodes
# and resamples (the CQT's octaves), so it opens libsndfile and libsoxr.
log=$(opened "$cqtcnn" classify "$src/data/3_jackson_0.wav")
grep -q "file=libsndfile.so" <<< "$log" || fail "classify did not open libsndfile"
grep -q "file=libsoxr.so" <<< "$log" || fail "classify did not open libsoxr"
! grep -q "file=libfftw3" <<< "$log" || fail "classify with the built-in model opened FFTW"
! grep -q "file=libcqtcnn_figures" <<< "$log" || fail "classify opened the figures module"
! grep -q "file=libpng" <<< "$log" || fail "classify opened libpng"

# A PNG loads the figures module, and with it libpng.
log=$(opened "$cqtcnn" spectrogram "$src/data/3_jackson_0.wav" -o "$work/s.png")
grep -q "file=.*libcqtcnn_figures.so" <<< "$log" || fail "writing a PNG did not open the figures module"
[[ "$(head -c 8 "$work/s.png" | od -An -tx1 | tr -d ' \n')" == 89504e470d0a1a0a ]] || fail "not a PNG: $work/s.png"

# Another front end designs its filters: FFTW is opened then, and the numbers are there.
log=$(opened "$cqtcnn" spectrogram "$src/data/3_jackson_0.wav" --bins-per-octave 24 --n-bins 140 -o "$work/s.npy")
grep -q "file=libfftw3.so" <<< "$log" || fail "a designed front end did not open FFTW"
[[ -s "$work/s.npy" ]] || fail "no spectrogram written"
echo "lazy_libraries: ok"
