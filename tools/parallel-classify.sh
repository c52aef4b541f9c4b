#!/usr/bin/env bash
# Classifies a large collection with GNU parallel: the inputs are split into N shards
# (cqtcnn classify --shard K/N, a stable hash of each path), the shards run as parallel jobs on
# this machine or on other hosts over ssh, and their JSON Lines rows are collected here and merged.
#
#   tools/parallel-classify.sh -o results.jsonl [-j JOBS] [-n SHARDS] [-S HOSTS] [-b CQTCNN] \
#       INPUT... [-- CLASSIFY-OPTIONS...]
#
#   -o FILE    merged output (JSON Lines), required
#   -j JOBS    jobs at once per host (default: this machine's cores)
#   -n SHARDS  number of shards (default: 4 x JOBS x hosts, so slow shards balance out)
#   -S HOSTS   comma-separated ssh logins (parallel --sshlogin; ':' is this machine). Every host
#              needs cqtcnn and the inputs at the same paths (a shared file system).
#   -b PATH    the cqtcnn binary (default: cqtcnn on PATH)
# INPUT: files or folders (walked recursively). Options after -- go to every cqtcnn classify,
# e.g. -- --model birds.json --segments.
#
# Re-running the same command resumes: shards that finished (parallel's --joblog) are skipped.
# Exit code: 0 all files classified, 1 some files failed (their error rows are in the output),
# 2 a shard itself failed.
set -euo pipefail

jobs=$(nproc)
shards=""
hosts=""
out=""
cqtcnn=cqtcnn
while getopts "o:j:n:S:b:h" opt; do
  case $opt in
    o) out=$OPTARG ;;
    j) jobs=$OPTARG ;;
    n) shards=$OPTARG ;;
    S) hosts=$OPTARG ;;
    b) cqtcnn=$OPTARG ;;
    *) sed -n '2,22p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
inputs=()
while (($#)) && [[ $1 != -- ]]; do inputs+=("$1"); shift; done
(($#)) && shift
extra=("$@")
[[ -n $out && ${#inputs[@]} -gt 0 ]] || { echo "parallel-classify: need -o FILE and inputs" >&2; exit 2; }
command -v parallel >/dev/null || { echo "parallel-classify: GNU parallel is not installed (apt-get install parallel)" >&2; exit 2; }

n_hosts=1
[[ -n $hosts ]] && n_hosts=$(tr ',' '\n' <<< "$hosts" | grep -c .)
shards=${shards:-$((4 * jobs * n_hosts))}
results="$out.parts"
mkdir -p "$results"

# One shard: its rows on stdout, kept by parallel in the file $results/<K> on this machine. A shard
# whose files partly failed exits 1 from cqtcnn: still a finished shard with valid rows.
printf -v command '%q ' "$cqtcnn" classify -r -q -j 1 --format jsonl "${extra[@]}" "${inputs[@]}"
shard_command="$command --shard {}/$shards; rc=\$?; [ \$rc -le 1 ]"

host_args=()
[[ -n $hosts ]] && host_args=(--sshlogin "$hosts")
set +e
seq 1 "$shards" | parallel --will-cite -j "$jobs" "${host_args[@]}" --joblog "$out.joblog" --resume-failed \
  --results "$results/{}" "$shard_command" > /dev/null
status=$?
set -e
((status == 0)) || { echo "parallel-classify: $status shard(s) failed; see $out.joblog, re-run to retry them" >&2; exit 2; }

tmp="$out.tmp"
for k in $(seq 1 "$shards"); do cat "$results/$k"; done > "$tmp"
mv "$tmp" "$out"
rows=$(wc -l < "$out")
errors=$(grep -c '"error"' "$out" || true)
echo "parallel-classify: $rows rows from $shards shards -> $out ($errors failed files)" >&2
((errors == 0)) || exit 1
