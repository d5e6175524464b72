"""The reference workload of Benchmarks/NoetherBench (README, Speed) in PyTorch (float64, one thread), with the same
tracking as the peers measured there: loss, |W_l|^2, |dL/dW_l|^2, each neuron's incoming-row
norm, the output layer's column sums and |in|^2 - |out|^2 per hidden neuron, every step.
The conv nets are blocks (3x3 conv, BatchNorm2d, ReLU, 2x2 max pooling) on single-channel
images, global average pooling and a linear layer to 8 classes, tracking per channel: Cs has
8 and 16 channels on 12x12 at batch 32, C 16 and 16 on 16x16 at batch 64, CL 24 and 24 on
16x16 at batch 128. Prints one line per size: `S <steps/s>`, steps per CPU second of this process
(time.process_time: on a shared machine the time other work holds the core is left out), the
median of WINDOWS windows; `peer_torch.py SECONDS [--windows N] [--threads T] [SIZE...]` measures
only the named sizes. With --threads T, PyTorch runs on T threads and the measure is steps per
wall-clock second (its threads' CPU time would count each second T times)."""
import statistics
import sys
import time
import warnings

# The CPU wheel warns on import when NumPy is absent; nothing here uses NumPy.
warnings.filterwarnings("ignore", message="Failed to initialize NumPy")

import torch

torch.set_default_dtype(torch.float64)
SECONDS = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
ARGS = sys.argv[2:]
WINDOWS, THREADS = 3, None
while ARGS[:1] in (["--windows"], ["--threads"]):
    if ARGS[0] == "--windows":
        WINDOWS = int(ARGS[1])
    else:
        THREADS = int(ARGS[1])
    ARGS = ARGS[2:]
torch.set_num_threads(THREADS or 1)
clock = time.perf_counter if THREADS else time.process_time

SIZES = [("S", 2, 32, 32, 32, False), ("M", 3, 128, 128, 64, True), ("L", 4, 512, 256, 64, True)]
# name, channels per block, image side, batch
CONV_SIZES = [("Cs", [8, 16], 12, 32), ("C", [16, 16], 16, 64), ("CL", [24, 24], 16, 128)]
CHOSEN = set(ARGS)


def model(depth, width, inputs, bn):
    layers, fan = [], inputs
    for _ in range(depth):
        layers.append(torch.nn.Linear(fan, width, bias=not bn))
        if bn:
            # PyTorch refuses eps = 0 in training; the speed is the same.
            layers.append(torch.nn.BatchNorm1d(width))
        layers.append(torch.nn.ReLU())
        fan = width
    layers.append(torch.nn.Linear(fan, 10))
    return torch.nn.Sequential(*layers)


def conv_model(channels):
    layers, fan = [], 1
    for out in channels:
        layers += [torch.nn.Conv2d(fan, out, 3, padding=1, bias=False), torch.nn.BatchNorm2d(out),
                   torch.nn.ReLU(), torch.nn.MaxPool2d(2)]
        fan = out
    layers += [torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(), torch.nn.Linear(fan, 8)]
    return torch.nn.Sequential(*layers)


def run(depth, width, batch, inputs, bn, conv=None, side=0):
    g = torch.Generator().manual_seed(1)
    classes = 8 if conv else 10
    means = 1.5 * torch.randn(classes, inputs, generator=g)
    labels = torch.randint(0, classes, (8192,), generator=g)
    x = means[labels] + torch.randn(8192, inputs, generator=g)
    if conv:
        x = x.reshape(8192, 1, side, side)
    net = conv_model(conv) if conv else model(depth, width, inputs, bn)
    opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    linears = [m for m in net if isinstance(m, (torch.nn.Linear, torch.nn.Conv2d))]
    loss_fn = torch.nn.CrossEntropyLoss()
    cursor = 0

    def step():
        nonlocal cursor
        xb, yb = x[cursor:cursor + batch], labels[cursor:cursor + batch]
        cursor = (cursor + batch) % (8192 - batch)
        opt.zero_grad(set_to_none=False)
        loss = loss_fn(net(xb), yb)
        loss.backward()
        opt.step()
        with torch.no_grad():
            stats = [loss.detach()]
            for i, lin in enumerate(linears):
                w = lin.weight.flatten(1)
                stats += [w.pow(2).sum(), lin.weight.grad.pow(2).sum(), w.pow(2).sum(1)]
                if i + 1 < len(linears):
                    # What reads unit i in the next layer: its column, or its slice of every filter.
                    reads = linears[i + 1].weight.pow(2).sum(0)
                    stats.append(w.pow(2).sum(1) - (reads.flatten(1).sum(1) if reads.dim() > 1 else reads))
            stats.append(linears[-1].weight.sum(0))
        return stats

    for _ in range(20):
        step()
    rates = []
    for _ in range(WINDOWS):
        start, n = clock(), 0
        while clock() - start < SECONDS:
            for _ in range(5):
                step()
            n += 5
        rates.append(n / (clock() - start))
    return statistics.median(rates)


for name, depth, width, batch, inputs, bn in SIZES:
    if not CHOSEN or name in CHOSEN:
        print(name, f"{run(depth, width, batch, inputs, bn):.1f}", flush=True)
for name, channels, side, batch in CONV_SIZES:
    if not CHOSEN or name in CHOSEN:
        print(name, f"{run(0, 0, batch, side * side, True, conv=channels, side=side):.1f}", flush=True)
