# The start that run.sh and threads.sh share, sourced right after `set -euo pipefail` with
# $default_rounds set: moves to the package root, takes the seconds per window ($seconds, first
# argument, default 1; the sizes stay in "$@"), the rounds ($rounds: ROUNDS, else the default),
# PyTorch's Python ($python, installed on first use by scripts/torch-venv) and the noether-bench to
# run ($bench: NOETHER_BENCH, else a fresh release build).
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds="${1:-1}"
shift || true
rounds="${ROUNDS:-$default_rounds}"
python=$(scripts/torch-venv)
bench="${NOETHER_BENCH:-}"
if [ -z "$bench" ]; then
    swift build -c release --product noether-bench >&2
    bench=.build/release/noether-bench
fi
