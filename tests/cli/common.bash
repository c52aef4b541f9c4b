# Sourced by every tests/cli/*.sh (ctest runs them as: SCRIPT CQTCNN_BINARY SOURCE_DIR): the
# binary, the source tree, a scratch folder removed on exit, and fail MESSAGE.
cqtcnn=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
