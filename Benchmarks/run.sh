#!/usr/bin/env bash
# Steps per second of noether beside PyTorch on the same workload, in one invocation so the
# ratio is fair on a shared machine. Installs PyTorch (CPU) on first use (scripts/torch-venv).
# Usage: Benchmarks/run.sh [seconds per window, default 1] [size ...]  (sizes: S M L Cs C CL)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-1}"
shift || true
python=$(scripts/torch-venv)
swift build -c release --product noether-bench >&2
ours=$(.build/release/noether-bench "$seconds" "$@")
theirs=$("$python" Benchmarks/peer_torch.py "$seconds" "$@")
echo "$ours"
echo
echo "# PyTorch $("$python" -c 'import torch; print(torch.__version__)'), float64, 1 thread, same workload and tracking"
echo "# GFLOP/s: noether's matrix-product FLOPs per step (tracking on) over its step time; peak: one-thread dgemm in this run"
echo "size  noether steps/s  no tracking  tracking cost  PyTorch steps/s  ratio  GFLOP/s  % of peak  peak GFLOP/s"
while read -r size value; do
    echo "$ours" | awk -v s="$size" -v b="$value" '$1 == s {
        printf "%-4s  %15.1f  %11.1f  %12s  %15.1f  %4.1fx  %7.1f  %9s  %12.1f\n", s, $2, $3, $4, b, $2 / b, $5, $6, $7 }'
done <<< "$theirs"
