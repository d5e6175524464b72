"""Sums `perf report --sort dso,symbol` lines (stdin) into what the code does. Usage:
profile_kinds.py BINARY [TOP]: addresses perf left unresolved in BINARY are looked up in its
symbol table (nm); TOP > 0 also lists the busiest functions."""
import bisect
import re
import subprocess
import sys

binary, top = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 0
table = []
for line in subprocess.run(["nm", binary], capture_output=True, text=True).stdout.splitlines():
    f = line.split()
    if len(f) == 3 and f[1] in "tTwW":
        table.append((int(f[0], 16), f[2]))
table.sort()
starts = [a for a, _ in table]

KINDS = [
    # Before BLAS: OpenBLAS's out-of-place transposition (domatcopy) is a copy, not a product.
    ("copies and clearing", r"memcpy|memmove|memset|omatcopy"),
    ("matrix products (BLAS)", r"gemm|gemv|_dot|axpy|COOPERLAKE|SKYLAKEX|HASWELL|ZEN|openblas|blas_"),
    ("first conv layer's filter gradient (direct)", r"FirstConvBlock"),
    ("conv unfolding", r"Conv2D"),
    ("batch norm + ReLU + max pooling, one pass", r"BatchNormReLUMaxPool"),
    ("normalization", r"BatchNorm|LayerNorm|GroupNorm|Affine|Reduce|inverseDeviation"),
    ("activation", r"ActivationLayer"),
    ("pooling", r"Pool2D|GlobalAveragePool"),
    ("loss (softmax)", r"SoftmaxCrossEntropy|MeanSquaredError|LossHead"),
    ("optimizer", r"momentumStep|Optimizer|SGD|Adam|Lion|UpdateRule"),
    ("charge tracking", r"ChargeTracker|ReductionPlan|Symmetry|Continuum|Buffer"),
    ("dense bias", r"addBias|biasGradient|Dense"),
    ("minibatch, step loop", r"Simulator|Dataset|Backprop|Random"),
]

shares, functions = {}, {}
for line in sys.stdin:
    m = re.match(r"\s*([\d.]+)%\s+(\S+)\s+\[.\]\s+(.*)", line)
    if not m:
        continue
    share, dso, name = float(m.group(1)), m.group(2), re.split(r"\s{2,}", m.group(3).strip())[0]
    if name.startswith("0x") and dso in binary:
        i = bisect.bisect_right(starts, int(name.split()[0], 16)) - 1
        name = table[i][1] if i >= 0 else name
    kind = next((k for k, pattern in KINDS if re.search(pattern, name)), "other")
    shares[kind] = shares.get(kind, 0) + share
    functions[name] = functions.get(name, 0) + share
for kind, share in sorted(shares.items(), key=lambda kv: -kv[1]):
    print(f"{share:6.1f}%  {kind}")
if top > 0:
    print("  busiest functions:")
    for name, share in sorted(functions.items(), key=lambda kv: -kv[1])[:top]:
        demangled = subprocess.run(["swift", "demangle", "--simplified", "--compact", name],
                                   capture_output=True, text=True).stdout.strip() or name
        print(f"  {share:6.2f}%  {demangled[:110]}")
