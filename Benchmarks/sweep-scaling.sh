#!/usr/bin/env bash
# Runs per second of a local sweep with one worker and with two, on the shipped equilibrium
# sweep (25 runs of about a second each), one after the other in one invocation, and their ratio.
# Usage: Benchmarks/sweep-scaling.sh [sweep file, default Sweeps/equilibrium-angle.toml]
set -euo pipefail
cd "$(dirname "$0")/.."
file="${1:-Sweeps/equilibrium-angle.toml}"
swift build -c release --product noether >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rate() {
    .build/release/noether sweep "$file" --out "$work/jobs$1.sqlite" --jobs "$1" 2>&1 \
        | sed -n 's/.* new in \([0-9.]*\) s, \([0-9.]*\) runs\/s.*/\2 \1/p'
}
read -r one one_s <<< "$(rate 1)"
read -r two two_s <<< "$(rate 2)"
echo "jobs 1: $one runs/s ($one_s s)   jobs 2: $two runs/s ($two_s s)"
awk -v a="$one" -v b="$two" 'BEGIN { printf "jobs 2 / jobs 1: %.2fx\n", b / a }'
