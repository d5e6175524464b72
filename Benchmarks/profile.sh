#!/usr/bin/env bash
# Where a step's time goes, per size: samples tracked training steps with `perf` and sums the
# samples of each function into what it does (matrix products and their packing, unfolding,
# normalization, activation, pooling, the loss, the optimizer, charge tracking, copies, other).
# Usage: Benchmarks/profile.sh [seconds, default 5] [size ...]  (sizes: S M L Cs C CL; default all)
# PROFILE_TOP=N also lists the N busiest functions of each size. Needs `perf` (linux-perf) and
# permission to sample (root, or kernel.perf_event_paranoid ≤ 1).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-5}"
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(S M L Cs C CL)
swift build -c release --product noether-bench >&2
data=$(mktemp -d "${TMPDIR:-/tmp}/noether-profile.XXXXXX")
trap 'rm -rf "$data"' EXIT
for size in "${sizes[@]}"; do
    perf record -q -F 999 -o "$data/$size.data" .build/release/noether-bench profile "$size" "$seconds" >&2
    echo "# $size: share of samples, tracked steps for $seconds CPU seconds (perf record -F 999)"
    # perf leaves the binary's own (local) symbols unresolved here; they are looked up in its
    # symbol table by address.
    perf report -q -i "$data/$size.data" --no-children --sort dso,symbol --percent-limit 0 2>/dev/null |
        python3 Benchmarks/profile_kinds.py .build/release/noether-bench "${PROFILE_TOP:-0}"
    echo
done
