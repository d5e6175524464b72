#!/usr/bin/env bash
# noether on one thread and on two (--threads 2) beside PyTorch on one and two threads, the same
# workload and tracking, in one invocation. Installs PyTorch (CPU) on first use (scripts/torch-venv).
# Usage: Benchmarks/threads.sh [seconds per window, default 1] [size ...]  (sizes: S M L Cs C CL)
# ROUNDS=N (default 3) sets how many times the sides take turns; NOETHER_BENCH=path runs an
# already built noether-bench.
#
# Two threads share the wall clock, not a core, so every side is timed in steps per wall-clock
# second (run.sh's CPU time would count a second of two threads twice). Other work on the second
# core shows here: run it when nothing else runs. Every figure is the median over the rounds.
set -euo pipefail
default_rounds=3
source "$(dirname "$0")/bench-env.sh"
ours="" one="" two=""
for round in $(seq "$rounds"); do
    echo "round $round of $rounds" >&2
    ours+=$("$bench" threads "$seconds" "$@")$'\n'
    one+=$("$python" Benchmarks/peer_torch.py "$seconds" --windows 1 --threads 1 "$@")$'\n'
    two+=$("$python" Benchmarks/peer_torch.py "$seconds" --windows 1 --threads 2 "$@")$'\n'
done
echo "# steps per wall-clock second, tracking on, median of $rounds rounds of $seconds s windows; $(nproc) cores here"
"$python" - "$ours" "$one" "$two" <<'PY'
import statistics
import sys

ours, one, two = {}, {}, {}
for line in sys.argv[1].split("\n"):
    f = line.split()
    if len(f) == 3:
        ours.setdefault(f[0], []).append((float(f[1]), float(f[2])))
for table, text in ((one, sys.argv[2]), (two, sys.argv[3])):
    for line in text.split("\n"):
        f = line.split()
        if len(f) == 2:
            table.setdefault(f[0], []).append(float(f[1]))
print("size  noether 1 thread  2 threads  speed-up  PyTorch 1 thread  2 threads  speed-up  ratio at 2 threads")
for size, rows in ours.items():
    a = statistics.median(r[0] for r in rows)
    b = statistics.median(r[1] for r in rows)
    p, q = statistics.median(one[size]), statistics.median(two[size])
    print(f"{size:<4}  {a:16.1f}  {b:9.1f}  {b / a:7.2f}x  {p:16.1f}  {q:9.1f}  {q / p:7.2f}x  {b / q:17.1f}x")
PY
