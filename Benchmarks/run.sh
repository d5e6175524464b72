#!/usr/bin/env bash
# Steps per second of noether beside PyTorch on the same workload, in one invocation so the
# ratio is fair on a shared machine. Installs PyTorch (CPU) on first use (scripts/torch-venv).
# Usage: Benchmarks/run.sh [seconds per window, default 1]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-1}"
python=$(scripts/torch-venv)
swift build -c release --product noether-bench >&2
ours=$(.build/release/noether-bench "$seconds")
theirs=$("$python" Benchmarks/peer_torch.py "$seconds")
echo "$ours"
echo
echo "# PyTorch $("$python" -c 'import torch; print(torch.__version__)'), float64, 1 thread, same workload and tracking"
echo "size  noether steps/s  PyTorch steps/s  ratio"
while read -r size value; do
    mine=$(echo "$ours" | awk -v s="$size" '$1 == s { print $2 }')
    awk -v s="$size" -v a="$mine" -v b="$value" 'BEGIN { printf "%-4s  %15.0f  %15.1f  %5.1fx\n", s, a, b, a / b }'
done <<< "$theirs"
