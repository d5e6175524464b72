// Steps per second of noether's simulator on the reference workload of PERFORMANCE.md
// (S, M, L; conv nets Cs, C, CL), with and without charge tracking, plus the one-thread float64
// BLAS peak measured in the same run. Benchmarks/run.sh runs this beside the PyTorch peer and
// prints the ratios. `noether-bench SECONDS [SIZE…]` measures only the named sizes.
import Foundation
import NoetherCore

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

struct Size {
    var name: String
    var depth: Int, width: Int, batch: Int, inputs: Int, norm: Normalization, bias: Bool
    /// Conv blocks (3 × 3, batch norm, ReLU, 2 × 2 max pooling) on side × side single-channel
    /// images, then global average pooling into 8 classes.
    var conv: [Int] = [], side = 0
    /// Matrix-product FLOPs per step: 6·B·Σ a·b − 2·B·a₁·b₁ (PERFORMANCE.md); a convolution
    /// counts as the product of its unfolded input, 2·B·H·W·(in·9)·out each way, the first
    /// without the input gradient.
    var flops: Double {
        if !conv.isEmpty {
            var (fanIn, side, sum) = (1, side, 0.0)
            for (i, out) in conv.enumerated() {
                sum += Double(i == 0 ? 4 : 6) * Double(batch * side * side * fanIn * 9 * out)
                (fanIn, side) = (out, side / 2)
            }
            return sum + 6 * Double(batch * fanIn * 8)
        }
        var dims = [inputs] + Array(repeating: width, count: depth) + [10]
        var sum = 0.0
        for i in 0..<(dims.count - 1) { sum += Double(dims[i] * dims[i + 1]) }
        let first = Double(dims[0] * dims[1])
        dims.removeAll()
        return 6 * Double(batch) * sum - 2 * Double(batch) * first
    }
}

let sizes = [
    Size(name: "S", depth: 2, width: 32, batch: 32, inputs: 32, norm: .none, bias: true),
    Size(name: "M", depth: 3, width: 128, batch: 128, inputs: 64, norm: .batch, bias: false),
    Size(name: "L", depth: 4, width: 512, batch: 256, inputs: 64, norm: .batch, bias: false),
    // Conv nets: C, one about a fifth of its FLOPs per step (Cs) and one about five times (CL).
    Size(name: "Cs", depth: 0, width: 32, batch: 32, inputs: 144, norm: .batch, bias: false, conv: [8, 16], side: 12),
    Size(name: "C", depth: 0, width: 32, batch: 64, inputs: 256, norm: .batch, bias: false, conv: [16, 16], side: 16),
    Size(name: "CL", depth: 0, width: 32, batch: 96, inputs: 256, norm: .batch, bias: false, conv: [24, 24], side: 16),
]

func config(_ s: Size) -> Config {
    var c = Config()
    c.arch = .relu; c.norm = s.norm; c.bias = s.bias; c.depth = s.depth; c.width = s.width
    c.batchSize = s.batch; c.inputDim = s.inputs; c.classes = 10; c.samples = 8192; c.labelNoise = 0
    if !s.conv.isEmpty {
        c.conv = s.conv; c.data = .shapes; c.classes = 8
        c.imageShape = ImageShape(channels: 1, height: s.side, width: s.side); c.inputDim = nil
    }
    c.lr = 0.05; c.momentum = 0.9; c.weightDecay = 5e-4; c.seed = 1
    return c
}

/// Steps per second in one timed window of at least `seconds`.
func window(_ sim: Simulator, seconds: Double) throws -> Double {
    let start = now(), first = sim.step
    while now() - start < seconds { for _ in 0..<10 { try sim.advance() } }
    return Double(sim.step - first) / (now() - start)
}

/// Best of three windows of at least `seconds` each, after a warm-up.
func stepsPerSecond(_ sim: Simulator, seconds: Double) throws -> Double {
    for _ in 0..<20 { try sim.advance() }
    var best = 0.0
    for _ in 0..<3 { best = max(best, try window(sim, seconds: seconds)) }
    return best
}

/// Best of three windows each with and without tracking, alternating, so that both see the
/// same moments of a shared machine.
func trackedAndBare(_ sim: Simulator, seconds: Double) throws -> (tracked: Double, bare: Double) {
    for _ in 0..<20 { try sim.advance() }
    var tracked = 0.0, bare = 0.0
    for _ in 0..<3 {
        sim.tracksCharges = true
        tracked = max(tracked, try window(sim, seconds: seconds))
        sim.tracksCharges = false
        bare = max(bare, try window(sim, seconds: seconds))
    }
    return (tracked, bare)
}

func blasPeak() -> Double {
    let n = 512
    let a = (0..<(n * n)).map { Double($0 % 7) * 0.1 }, b = a
    var c = [Double](repeating: 0, count: n * n)
    var best = 0.0
    for _ in 0..<5 {
        let start = now()
        for _ in 0..<4 { BLASBenchmark.multiply(a, b, &c, n) }
        best = max(best, 4 * 2 * Double(n * n * n) / (now() - start) / 1e9)
    }
    return best
}

let arguments = CommandLine.arguments
// `noether-bench sharpness [steps]`: the sharpness meter's overhead alone, over each preset's
// first `steps` steps (default: the whole preset).
if arguments.count > 1, arguments[1] == "sharpness" {
    BLAS.configure(threads: 1)
    let steps = arguments.count > 2 ? Int(arguments[2]) : nil
    if arguments.count > 2, steps == nil || steps! < 1 {
        print("noether-bench: sharpness takes a number of steps ≥ 1, got \(arguments[2])")
        exit(2)
    }
    try sharpnessOverhead(steps: steps)
    exit(0)
}
let seconds = arguments.count > 1 ? Double(arguments[1]) ?? 1 : 1
let chosen = Set(arguments.dropFirst(2))
if let unknown = chosen.first(where: { name in !sizes.contains { $0.name == name } }) {
    print("noether-bench: unknown size \(unknown); sizes are \(sizes.map(\.name).joined(separator: ", "))")
    exit(2)
}
BLAS.configure(threads: 1)
print("# noether simulator, float64, one thread, best of 3 windows of \(seconds) s")
// The BLAS peak is measured before every size and the best kept: a quiet moment anywhere in the
// run counts, so the share of it each size reaches is not flattered by a busy one.
var peak = 0.0
var rows: [(size: Size, tracked: Double, bare: Double)] = []
for s in sizes where chosen.isEmpty || chosen.contains(s.name) {
    peak = max(peak, blasPeak())
    let sim = try Simulator(config(s))
    let (tracked, bare) = try trackedAndBare(sim, seconds: seconds)
    rows.append((s, tracked, bare))
}
peak = max(peak, blasPeak())
print("size  steps/s(tracking)  steps/s(no tracking)  tracking cost  GFLOP/s  % of peak  BLAS peak GFLOP/s")
for (s, tracked, bare) in rows {
    let cost = max(0, 1 - tracked / bare) * 100, rate = tracked * s.flops / 1e9
    let name = s.name.padding(toLength: 4, withPad: " ", startingAt: 0)
    print(
        name
            + String(
                format: "  %17.1f  %20.1f  %12.1f%%  %7.1f  %8.0f%%  %17.1f", tracked, bare, cost,
                rate, 100 * rate / peak, peak))
}
guard chosen.isEmpty else { exit(0) }

// The explorer's cost to the simulator: the same default configuration headless, then on the
// simulator thread while this (main) thread renders full 140×44 frames 30 times a second, as
// the explorer does (minus the terminal write).
import NoetherUI

print()
print("# explorer: default configuration, simulator thread + 30 frames/s rendered at 140×44 (best of 3 windows)")
// The default's configuration without its story or planned end, as fast as it can go.
var preset = PresetLibrary.builtInDefault
preset.schedule = []
preset.config.steps = 0
let headless = try stepsPerSecond(try Simulator(preset.config), seconds: seconds)
let thread = SimulationThread(preset: preset, replay: false, record: nil, version: "bench", speed: 0)
thread.launch()
let screen = Screen(unicode: true, color: true)
var frames: [Double] = []
usleep(300_000)
// Best of three windows, as the headless figure is measured.
var live = 0.0
for _ in 0..<3 {
    let windowStart = now(), firstStep = thread.snapshot().step
    while now() - windowStart < seconds {
        let frameStart = now()
        let snap = thread.snapshot()
        _ = screen.render(AppState(), snap, width: 140, height: 44)
        frames.append((now() - frameStart) * 1000)
        let rest = 1.0 / 30 - (now() - frameStart)
        if rest > 0 { usleep(UInt32(rest * 1e6)) }
    }
    live = max(live, Double(thread.snapshot().step - firstStep) / (now() - windowStart))
}
thread.stop()
frames.sort()
print(
    String(
        format: "headless %.0f steps/s, with explorer %.0f steps/s (%.0f%%); frame render median %.2f ms, p90 %.2f ms",
        headless, live, 100 * live / headless, frames[frames.count / 2], frames[frames.count * 9 / 10]))
