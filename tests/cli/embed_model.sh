#!/usr/bin/env bash
# The build step that stores the built-in model (cmake/embed_model.cpp): it refuses a model that
# does not load or fails its own test vectors, leaving no output, and a missing model gives an
# empty one (a build with no built-in model). That the stored model computes the same scores as
# models/digits.json is checked in classify.sh; that packed filter banks are the designed ones, in
# tests/cqt/precomputed_test.cpp.
set -euo pipefail
source "$(dirname "$0")/common.bash"  # cqtcnn, src, work (removed on exit), fail
embed="$(dirname "$cqtcnn")/embed_model"
[[ -x "$embed" ]] || fail "no embed_model beside $cqtcnn"

"$embed" "$src/models/digits.json" "$work/ok.cpp" sym || fail "digits.json was refused"
for part in "" _tensors _filters; do  # the skeleton, the tensors, the front end's filter banks
  grep -q "^const std::size_t sym${part}_size = [1-9][0-9]*;$" "$work/ok.cpp" || fail "sizes: $(grep _size "$work/ok.cpp")"
done

# A test vector whose stored output is off by 0.5: refused, naming the file and the vector.
/usr/bin/python3 - "$src/models/digits.json" "$work/bad.json" <<'PY'
import base64, json, struct, sys
m = json.load(open(sys.argv[1]))
out = m["test_vectors"][1]["output"]
values = list(struct.unpack("<%df" % (len(base64.b64decode(out["data_b64"])) // 4), base64.b64decode(out["data_b64"])))
values[0] += 0.5
out["data_b64"] = base64.b64encode(struct.pack("<%df" % len(values), *values)).decode()
json.dump(m, open(sys.argv[2], "w"))
PY
if "$embed" "$work/bad.json" "$work/bad.cpp" sym 2> "$work/err.txt"; then fail "a failing test vector was accepted"; fi
grep -q "^embed_model: $work/bad.json: test vector 1 fails" "$work/err.txt" || fail "message: $(cat "$work/err.txt")"
[[ ! -e "$work/bad.cpp" ]] || fail "output left behind"

printf '{"format": "cqtcnn-model", "version": 1}' > "$work/broken.json"
if "$embed" "$work/broken.json" "$work/broken.cpp" sym 2> "$work/err.txt"; then fail "a broken model was accepted"; fi
grep -q "broken.json: /labels: missing" "$work/err.txt" || fail "message: $(cat "$work/err.txt")"

"$embed" "$work/none.json" "$work/none.cpp" sym || fail "a missing model should give an empty one"
for part in "" _tensors _filters; do
  grep -q "^const std::size_t sym${part}_size = 0;$" "$work/none.cpp" || fail "$(cat "$work/none.cpp")"
done
echo "embed_model: ok"
