#!/usr/bin/env bash
# cqtcnn predict: on the fixtures' inputs, --logits reproduces PyTorch's outputs (embedded test
# vectors) to 1e-5 for a batch, probabilities are their softmax, the [C,H,W] and [H,W] forms
# and threads give the same; a wrong input shape or bad model exits 2.
# Usage: predict.sh <path-to-cqtcnn> <source-dir>
set -euo pipefail
BIN=$1
SRC=$2
PY=/usr/bin/python3
DATA="$SRC/tests/data/nn"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

for name in basic batch_norm conv_options; do
  # The test vectors' inputs as one [N,C,H,W] batch, their PyTorch outputs as the reference.
  "$PY" - "$DATA/$name.json" "$TMP" <<'PYEOF'
import base64, json, sys
import numpy as np
m = json.load(open(sys.argv[1]))
dec = lambda t: np.frombuffer(base64.b64decode(t["data_b64"]), "<f4").reshape(t["shape"])
x = np.stack([dec(v["input"]) for v in m["test_vectors"]]).astype(np.float32)
y = np.stack([dec(v["output"]) for v in m["test_vectors"]])
np.save(f"{sys.argv[2]}/x.npy", x)
np.save(f"{sys.argv[2]}/x0.npy", x[0])
if x.shape[1] == 1:
    np.save(f"{sys.argv[2]}/x0hw.npy", x[0, 0])
np.save(f"{sys.argv[2]}/ref.npy", y)
np.save(f"{sys.argv[2]}/softmax_last.npy", np.array(m["layers"][-1]["type"] == "softmax"))
PYEOF
  "$BIN" predict --model "$DATA/$name.json" --input "$TMP/x.npy" --output "$TMP/logits.npy" --logits
  "$BIN" predict -m "$DATA/$name.json" -i "$TMP/x.npy" -o "$TMP/p.npy" -j 2
  "$BIN" predict -m "$DATA/$name.json" -i "$TMP/x.npy" -o "$TMP/pt.npy" -t 2  # -t: the old name of -j
  cmp -s "$TMP/p.npy" "$TMP/pt.npy" || fail "$name: -t 2 and -j 2 differ"
  "$BIN" predict -m "$DATA/$name.json" -i "$TMP/x0.npy" -o "$TMP/p0.npy"
  [[ -f "$TMP/x0hw.npy" ]] && "$BIN" predict -m "$DATA/$name.json" -i "$TMP/x0hw.npy" -o "$TMP/p0hw.npy"
  "$PY" - "$TMP" <<'PYEOF' || fail "$name: outputs"
import os, sys
import numpy as np
d = sys.argv[1]
ref, logits, p, p0 = (np.load(f"{d}/{n}.npy") for n in ("ref", "logits", "p", "p0"))
softmax_last = bool(np.load(f"{d}/softmax_last.npy"))
assert logits.dtype == np.float32 and logits.shape == ref.shape, (logits.shape, ref.shape)
e = np.exp(logits - logits.max(axis=1, keepdims=True))
soft = e / e.sum(axis=1, keepdims=True)
np.testing.assert_allclose(soft if softmax_last else logits, ref, atol=1e-5, rtol=0)
np.testing.assert_allclose(p, soft, atol=1e-6, rtol=0)
np.testing.assert_allclose(p0, p[:1], atol=1e-7, rtol=0)
if os.path.exists(f"{d}/x0hw.npy"):
    np.testing.assert_allclose(np.load(f"{d}/p0hw.npy"), p[:1], atol=1e-7, rtol=0)
    os.remove(f"{d}/x0hw.npy")
PYEOF
done

# CSV output, chosen by -o's extension: a header of the model's labels, one row per input, the
# same numbers as the NPY. An extension that names no format is refused, not written as NPY.
"$PY" -c "import numpy as np; np.save('$TMP/x.npy', np.random.default_rng(0).standard_normal((4, 1, 8, 10)).astype(np.float32))"
"$BIN" predict -m "$DATA/basic.json" -i "$TMP/x.npy" -o "$TMP/p.npy"
"$BIN" predict -m "$DATA/basic.json" -i "$TMP/x.npy" -o "$TMP/p.csv"
"$BIN" predict -m "$DATA/basic.json" -i "$TMP/x.npy" -o "$TMP/p.dat" --format csv
cmp -s "$TMP/p.csv" "$TMP/p.dat" || fail "--format csv"
"$PY" - "$TMP" "$DATA/basic.json" <<'PYEOF' || fail "csv output: $(cat "$TMP/p.csv")"
import json, sys
import numpy as np
d = sys.argv[1]
lines = open(f"{d}/p.csv").read().splitlines()
assert lines[0].split(",") == json.load(open(sys.argv[2]))["labels"], lines[0]
np.testing.assert_array_equal(np.loadtxt(f"{d}/p.csv", delimiter=",", skiprows=1, ndmin=2, dtype=np.float32), np.load(f"{d}/p.npy"))
PYEOF
set +e
"$BIN" predict -m "$DATA/basic.json" -i "$TMP/x.npy" -o "$TMP/y.bin" 2>"$TMP/err"; rc=$?
set -e
[[ $rc -eq 2 && $(wc -l <"$TMP/err") -eq 1 ]] || fail "y.bin: exit $rc $(cat "$TMP/err")"
grep -q 'y.bin: cannot tell the output format from the extension ".bin" (.npy, .csv); use --format npy|csv' "$TMP/err" \
  || fail "y.bin message: $(cat "$TMP/err")"
[[ ! -e "$TMP/y.bin" ]] || fail "y.bin written"
# No inputs (an array of 0 samples) is an error, not an empty output.
"$PY" -c "import numpy as np; np.save('$TMP/none.npy', np.zeros((0, 1, 8, 10), np.float32))"
set +e
"$BIN" predict -m "$DATA/basic.json" -i "$TMP/none.npy" -o "$TMP/none_out.npy" 2>"$TMP/err"; rc=$?
set -e
[[ $rc -eq 2 ]] && grep -q 'none.npy: no inputs: the array holds 0 samples' "$TMP/err" || fail "0 samples: exit $rc $(cat "$TMP/err")"

# Wrong input shape and a bad model: exit 2 with one line naming the file.
"$PY" -c "import numpy as np; np.save('$TMP/bad.npy', np.zeros((2, 1, 9, 10), np.float32))"
set +e
"$BIN" predict -m "$DATA/basic.json" -i "$TMP/bad.npy" -o "$TMP/o.npy" 2>"$TMP/err"; rc=$?
set -e
[[ $rc -eq 2 ]] || fail "wrong shape: exit $rc"
grep -q 'bad.npy: input 1x9x10 does not match the model.s input 1x8x10' "$TMP/err" || fail "message: $(cat "$TMP/err")"
[[ ! -e "$TMP/o.npy" ]] || fail "output written despite the error"
printf '{"format": "cqtcnn-model"' >"$TMP/cut.json"
set +e
"$BIN" predict -m "$TMP/cut.json" -i "$TMP/x.npy" -o "$TMP/o.npy" 2>"$TMP/err"; rc=$?
set -e
[[ $rc -eq 2 && $(wc -l <"$TMP/err") -eq 1 ]] || fail "truncated model: exit $rc $(cat "$TMP/err")"
echo "predict: all checks passed"
