#!/usr/bin/env bash
# Installs cqtcnn's build and test dependencies from Debian 12 packages. Idempotent: installs
# only what is missing. Run as root (or with sudo available).
#   tools/install-deps.sh           build + test dependencies
#   tools/install-deps.sh --dev     also the Python training/export tools and benchmark peers
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libfftw3-dev        # FFTW3: the CQT's spectral kernels
  libsndfile1-dev     # audio decoding: WAV, FLAC, OGG/Vorbis, Opus, MP3
  libsoxr-dev         # resampling, librosa's soxr_hq
  libpng-dev          # PNG spectrograms and confusion matrices
  libopenblas-dev     # sgemm for the convolution layers
  libcli11-dev        # command line
  nlohmann-json3-dev  # model files and JSON output
  libgtest-dev        # tests
  parallel            # tools/parallel-classify.sh and its test
  python3-numpy       # the command-line tests read the NPY files cqtcnn writes
)
if [[ "${1:-}" == "--dev" ]]; then
  packages+=(python3-torch python3-scipy python3-soundfile libbenchmark-dev hyperfine clang)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
SUDO=""
[[ $(id -u) -ne 0 ]] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
