#!/usr/bin/env bash
# Steps per second of noether beside PyTorch on the same workload, in one invocation so the
# ratio is fair on a shared machine. Installs PyTorch (CPU) on first use (scripts/torch-venv).
# Usage: Benchmarks/run.sh [seconds per window, default 1] [size ...]  (sizes: S M L Cs C CL)
# ROUNDS=N (default 5) sets how many times the two sides take turns; NOETHER_BENCH=path runs an
# already built noether-bench (e.g. a copy of an earlier build, to compare before and after).
#
# Both sides are timed by their process's CPU time (clock_gettime(CLOCK_PROCESS_CPUTIME_ID) and
# Python's time.process_time), so the time other work holds the core is left out; each side is
# one thread. The two run in turns, round after round, each round one window per size (noether:
# one with tracking and one without); every figure is the median over the rounds, the ratio and
# the tracking cost the medians of the rounds' own ratios, and the BLAS peak the best one-thread
# dgemm of any round.
set -euo pipefail
default_rounds=5
source "$(dirname "$0")/bench-env.sh"
ours="" theirs=""
for round in $(seq "$rounds"); do
    echo "round $round of $rounds" >&2
    ours+=$("$bench" rows "$seconds" 1 "$@" | sed "s/^/$round /")$'\n'
    theirs+=$("$python" Benchmarks/peer_torch.py "$seconds" --windows 1 "$@" | sed "s/^/$round /")$'\n'
done
echo "# noether: simulator, float64, 1 thread; PyTorch $("$python" -W ignore -c 'import torch; print(torch.__version__)'), float64, 1 thread, same workload and tracking"
echo "# steps per CPU second (process CPU time on both sides), median of $rounds interleaved rounds of $seconds s windows"
echo "# GFLOP/s: noether's matrix-product FLOPs per step (tracking on) over its step time; peak: one-thread dgemm, best of the run"
echo "# products alone: one tracked step's matrix products made by themselves, again and again, as % of the peak (the most the step could reach)"
"$python" - "$ours" "$theirs" <<'EOF'
import statistics
import sys

ours, theirs, peak = {}, {}, 0.0
for line in sys.argv[1].split("\n"):
    f = line.split()
    if len(f) == 3 and f[1] == "peak":
        peak = max(peak, float(f[2]))
    elif len(f) == 6:
        ours.setdefault(f[1], {})[f[0]] = (float(f[2]), float(f[3]), float(f[4]), float(f[5]))
for line in sys.argv[2].split("\n"):
    f = line.split()
    if len(f) == 3:
        theirs.setdefault(f[1], {})[f[0]] = float(f[2])
print("size  noether steps/s  no tracking  tracking cost  (range)       PyTorch steps/s  ratio  (range)        GFLOP/s  % of peak  products alone")
for size, rounds in ours.items():
    tracked = statistics.median(r[0] for r in rounds.values())
    bare = statistics.median(r[1] for r in rounds.values())
    flops = next(iter(rounds.values()))[2]
    peer = statistics.median(theirs[size].values())
    ratios = sorted(rounds[k][0] / theirs[size][k] for k in rounds if k in theirs[size])
    # What tracking adds to the untracked step's time, as a share of that time: each round's own
    # tracked and bare slices took turns in one window, so their ratio compares the same moments;
    # the median of the rounds' ratios (not the ratio of the medians, which pairs different rounds).
    costs = sorted(100 * (r[1] / r[0] - 1) for r in rounds.values())
    cost = max(0.0, statistics.median(costs))
    cost_spread = f"{costs[0]:.1f} to {costs[-1]:.1f}"
    rate = tracked * flops / 1e9
    spread = f"{ratios[0]:.1f}-{ratios[-1]:.1f}x"
    alone = statistics.median(r[3] for r in rounds.values())
    print(f"{size:<4}  {tracked:15.1f}  {bare:11.1f}  {cost:12.1f}%  {cost_spread:<12}  {peer:15.1f}  "
          f"{statistics.median(ratios):4.1f}x  {spread:<13}  {rate:7.1f}  {100 * rate / peak:8.0f}%  "
          f"{100 * alone / peak:13.0f}%")
print(f"(BLAS peak {peak:.1f} GFLOP/s)")
EOF
if [ $# -eq 0 ]; then
    echo
    "$bench" "$seconds" explorer
fi
