#!/usr/bin/env bash
# cmake --install into a temporary prefix, then the installed programs run from there: cqtcnn with
# an installed model and drawing a figure (its figures module), cqtcnn-train and cqtcnn-export (under /usr/bin/python3; where Debian's torch
# is missing they may only say so, in one line) from the installed package cqtcnn_train, and the man page renders.
set -euo pipefail
source "$(dirname "$0")/common.bash"  # cqtcnn, src, work (removed on exit), fail
build=$(dirname "$cqtcnn")
prefix="$work/prefix"

cmake --install "$build" --prefix "$prefix" > "$work/install.log" || fail "cmake --install: $(cat "$work/install.log")"
for f in bin/cqtcnn bin/cqtcnn-train bin/cqtcnn-export share/cqtcnn/models/digits.json \
         share/cqtcnn/models/instruments.json share/cqtcnn/models/instruments.frontend.json \
         share/cqtcnn/tools/pyproject.toml share/cqtcnn/tools/cqtcnn_train/train.py share/man/man1/cqtcnn.1; do
  [[ -e "$prefix/$f" ]] || fail "not installed: $f"
done

[[ $("$prefix/bin/cqtcnn" --version) == "cqtcnn "* ]] || fail "cqtcnn --version"
out=$("$prefix/bin/cqtcnn" classify --model "$prefix/share/cqtcnn/models/digits.json" "$src/data/3_jackson_0.wav")
[[ $(awk '{print $2}' <<< "$out") == 3 ]] || fail "installed cqtcnn classify: $out"
# An installed model by name: found in PREFIX/share/cqtcnn/models beside the program's bin/, and
# listed there by inspect --list (CQTCNN_MODEL_PATH unset: nothing else is searched first).
out=$(env -u CQTCNN_MODEL_PATH "$prefix/bin/cqtcnn" classify --model instruments "$src/data/cello-a-note-62.flac")
[[ $(awk '{print $2}' <<< "$out") == cello ]] || fail "installed cqtcnn classify --model instruments: $out"
env -u CQTCNN_MODEL_PATH "$prefix/bin/cqtcnn" inspect --list > "$work/list"
models=$(realpath "$prefix/share/cqtcnn/models")  # as cqtcnn names the folders it searches
grep -qx "  $models" "$work/list" && grep -q "^  instruments .*$models/instruments.json" "$work/list" \
  || fail "inspect --list: $(cat "$work/list")"
# Figures: the installed program finds its figures module in lib/cqtcnn, not the build folder's.
[[ -e "$prefix/lib/cqtcnn/libcqtcnn_figures.so" ]] || fail "not installed: lib/cqtcnn/libcqtcnn_figures.so"
mkdir "$work/elsewhere" && cp "$build/cqtcnn" "$work/elsewhere/"  # a copy without its module: one line, exit 1
"$work/elsewhere/cqtcnn" spectrogram "$src/data/3_jackson_0.wav" -o "$work/x.png" 2> "$work/err" \
  && fail "a cqtcnn without its figures module drew a figure"
[[ $(wc -l < "$work/err") -le 2 ]] && grep -q "libcqtcnn_figures.so, which did not load" "$work/err" \
  || fail "a missing figures module: $(cat "$work/err")"
"$prefix/bin/cqtcnn" spectrogram "$src/data/3_jackson_0.wav" -o "$work/installed.png" 2> /dev/null \
  || fail "the installed cqtcnn cannot draw a figure"
[[ $(head -c 8 "$work/installed.png" | od -An -c | tr -d ' ') == '211PNG\r\n032\n' ]] || fail "installed.png is no PNG"

# The tools: --help names the installed command, or (torch missing only) one line saying so.
if /usr/bin/python3 -c "import torch" 2> /dev/null; then have_torch=1; else have_torch=0; fi
for tool in cqtcnn-train cqtcnn-export; do
  if "$prefix/bin/$tool" --help > "$work/help" 2> "$work/err"; then
    grep -q "^usage: $tool " "$work/help" || fail "$tool --help: $(head -3 "$work/help")"
    grep -q "(default: " "$work/help" || fail "$tool --help shows no defaults"
  else
    [[ $have_torch == 0 && $(wc -l < "$work/err") -eq 1 ]] && grep -q "needs Debian's python3-torch" "$work/err" \
      || fail "$tool --help: $(cat "$work/err")"
    echo "without torch: $(cat "$work/err")"
  fi
done
if [[ $have_torch == 1 ]]; then  # the installed package finds the installed cqtcnn, not one on PATH or in build/
  found=$(PATH=/usr/bin:/bin PYTHONPATH="$prefix/share/cqtcnn/tools" /usr/bin/python3 -c \
    "from cqtcnn_train.data import find_cqtcnn; print(find_cqtcnn())")
  [[ $found -ef "$prefix/bin/cqtcnn" ]] || fail "find_cqtcnn: $found"
fi
# The Python package's version is cqtcnn's (tools/pyproject.toml against CMakeLists.txt's project()).
version=$(/usr/bin/python3 -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' \
  "$prefix/share/cqtcnn/tools/pyproject.toml")
[[ $("$prefix/bin/cqtcnn" --version) == "cqtcnn $version"* ]] || fail "pyproject.toml: version $version, not cqtcnn's"

# The man page: no groff warnings, and it reads as a page with every command.
page="$prefix/share/man/man1/cqtcnn.1"
if command -v groff > /dev/null; then
  groff -man -Tutf8 -ww -z "$page" 2> "$work/warnings"
  [[ ! -s "$work/warnings" ]] || fail "groff warnings: $(cat "$work/warnings")"
fi
if command -v man > /dev/null; then
  MANWIDTH=100 man -l "$page" > "$work/page.txt" 2> /dev/null || fail "man -l $page"
else
  cp "$page" "$work/page.txt"
fi
for command in classify spectrogram features evaluate inspect predict; do
  grep -q "Usage: cqtcnn $command " "$work/page.txt" || fail "man page: no 'cqtcnn $command --help'"
done
# It names where the models are (the configured prefix, not a placeholder), exit status 130, the
# model path variable, and has examples.
for want in "/share/cqtcnn/models/" "130" "CQTCNN_MODEL_PATH" "EXAMPLES" "cqtcnn inspect --list"; do
  grep -q -- "$want" "$work/page.txt" || fail "man page: no '$want'"
done
! grep -q "PREFIX/share" "$work/page.txt" || fail "man page: PREFIX/share where the prefix should be"
echo "installed into $prefix: cqtcnn, models, cqtcnn-train, cqtcnn-export, man page: ok"
