"""The reference workload of PERFORMANCE.md in PyTorch (float64, one thread), with the same
tracking as the peers measured there: loss, |W_l|^2, |dL/dW_l|^2, each neuron's incoming-row
norm, the output layer's column sums and |in|^2 - |out|^2 per hidden neuron, every step.
Prints one line per size: `S <steps/s>`."""
import sys
import time

import torch

torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)
SECONDS = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0

SIZES = [("S", 2, 32, 32, 32, False), ("M", 3, 128, 128, 64, True), ("L", 4, 512, 256, 64, True)]


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


def run(depth, width, batch, inputs, bn):
    g = torch.Generator().manual_seed(1)
    means = 1.5 * torch.randn(10, inputs, generator=g)
    labels = torch.randint(0, 10, (8192,), generator=g)
    x = means[labels] + torch.randn(8192, inputs, generator=g)
    net = model(depth, width, inputs, bn)
    opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    linears = [m for m in net if isinstance(m, torch.nn.Linear)]
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
                stats += [lin.weight.pow(2).sum(), lin.weight.grad.pow(2).sum(), lin.weight.pow(2).sum(1)]
                if i + 1 < len(linears):
                    stats.append(lin.weight.pow(2).sum(1) - linears[i + 1].weight.pow(2).sum(0))
            stats.append(linears[-1].weight.sum(0))
        return stats

    for _ in range(20):
        step()
    best = 0.0
    for _ in range(3):
        start, n = time.perf_counter(), 0
        while time.perf_counter() - start < SECONDS:
            for _ in range(5):
                step()
            n += 5
        best = max(best, n / (time.perf_counter() - start))
    return best


for name, depth, width, batch, inputs, bn in SIZES:
    print(name, f"{run(depth, width, batch, inputs, bn):.1f}", flush=True)
