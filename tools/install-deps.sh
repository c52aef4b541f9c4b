#!/usr/bin/env bash
# Installs cqtcnn's build and test dependencies from Debian 12 packages. Idempotent: installs
# only what is missing. Run as root (or with sudo available).
#   tools/install-deps.sh           build + test dependencies
#   tools/install-deps.sh --dev     also the Python training/export tools, benchmark peers, the
#                                   training soundfonts and the reserved test voices
#   tools/install-deps.sh --test-data   only the reserved test voices and soundfont
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libfftw3-dev        # FFTW3: the CQT's spectral kernels
  libsndfile1-dev     # audio decoding: WAV, FLAC, OGG/Vorbis, Opus, MP3
  libsoxr-dev         # resampling, librosa's soxr_hq
  libpng-dev          # raw PNG spectrogram images
  libcairo2-dev       # figures: annotated spectrograms, confusion matrices, explain (PNG, SVG, PDF)
  fonts-dejavu-core   # the figures' font
  poppler-utils       # pdftotext: the figure tests read the text of the PDFs
  libcli11-dev        # command line
  nlohmann-json3-dev  # model files and JSON output
  libgtest-dev        # tests
  parallel            # tools/parallel-classify.sh and its test
  python3-numpy       # the command-line tests read the NPY files cqtcnn writes
  pybind11-dev python3-dev python3-pytest  # the Python module (src/python) and its tests
  python3-jsonschema  # tests/tools/model_schema_test.py: the models against docs/model.schema.json
  # The training-data generators (tools/cqtcnn_train/synth_*.py) and their tests:
  python3-scipy python3-soundfile espeak-ng festival festvox-kdlpc16k sox fluidsynth timgm6mb-soundfont
  timidity freepats
)
if [[ "${1:-}" == "--dev" ]]; then
  packages+=(python3-torch libbenchmark-dev hyperfine clang
             musescore-general-soundfont-small   # the second training soundfont
             csound-soundfont)                   # a third, in docs/experiments (sf_GMbank.sf2)
fi
if [[ "${1:-}" == "--dev" || "${1:-}" == "--test-data" ]]; then
  # The independent test voices and soundfont (cqtcnn_train.synth_digits --reserved): never trained on.
  packages+=(flite festvox-kallpc16k festvox-us-slt-hts fluid-soundfont-gm)
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
