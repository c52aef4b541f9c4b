#!/usr/bin/env bash
# docs/model.schema.json and the generated sections of docs/model-format.md are what the option
# declarations say (include/cqtcnn/params.hpp, src/nn/layers/*.cpp): cmake/model_docs.cpp writes
# them again into a scratch folder and this test fails, showing the difference, if the committed
# ones differ.
#   generated.sh MODEL_DOCS SOURCE_DIR
set -euo pipefail
model_docs=$1 src=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$model_docs" "$src" "$out"
status=0
for file in model.schema.json model-format.md; do
  if ! diff -u "$src/docs/$file" "$out/$file"; then
    echo "FAIL: docs/$file differs from what the declarations say (above: - committed, + generated)"
    status=1
  fi
done
if ((status)); then
  echo "regenerate with: cmake --build BUILD --target update_model_docs (BUILD: your build folder), then commit"
else
  echo "ok: docs/model.schema.json and docs/model-format.md are current"
fi
exit $status
