// Steps per second of noether's simulator on the reference workload (README, Speed)
// (S, M, L; conv nets Cs, C, CL), with and without charge tracking, plus the one-thread float64
// BLAS peak measured in the same run. Benchmarks/run.sh runs this beside the PyTorch peer and
// prints the ratios. `noether-bench SECONDS [SIZE…]` measures only the named sizes.
import CPUCheck
import Foundation
import NoetherCore

guard noether_cpu_supported() != 0 else {
    FileHandle.standardError.write(Data("noether-bench: needs an x86-64 processor with AVX2 and FMA\n".utf8))
    exit(1)
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// CPU seconds this process has run: on a shared machine it leaves out the time other work held
/// the core, which wall-clock time counts. The simulator and BLAS run on this one thread.
func cpuTime() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

struct Size {
    var name: String
    var depth: Int, width: Int, batch: Int, inputs: Int, norm: Normalization, bias: Bool
    /// Conv blocks (3 × 3, batch norm, ReLU, 2 × 2 max pooling) on side × side single-channel
    /// images, then global average pooling into 8 classes.
    var conv: [Int] = [], side = 0
    /// Matrix-product FLOPs per step: 6·B·Σ a·b − 2·B·a₁·b₁ (the first layer makes no input gradient); a convolution
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
    // Conv nets: C, one with 0.14× its matrix-product FLOPs per step (Cs) and one with 4.28× (CL).
    Size(name: "Cs", depth: 0, width: 32, batch: 32, inputs: 144, norm: .batch, bias: false, conv: [8, 16], side: 12),
    Size(name: "C", depth: 0, width: 32, batch: 64, inputs: 256, norm: .batch, bias: false, conv: [16, 16], side: 16),
    Size(
        name: "CL", depth: 0, width: 32, batch: 128, inputs: 256, norm: .batch, bias: false, conv: [24, 24], side: 16),
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

/// Steps per second of `clock` (CPU time unless told) in one window of at least `seconds` of it.
func window(_ sim: Simulator, seconds: Double, clock: () -> Double = cpuTime) throws -> Double {
    let start = clock(), first = sim.step
    while clock() - start < seconds { for _ in 0..<10 { try sim.advance() } }
    return Double(sim.step - first) / (clock() - start)
}

/// Best of three wall-clock windows of at least `seconds` each, after a warm-up: the explorer's
/// figure compares with a second thread, so it is measured as that one is.
func stepsPerSecond(_ sim: Simulator, seconds: Double) throws -> Double {
    for _ in 0..<20 { try sim.advance() }
    var best = 0.0
    for _ in 0..<3 { best = max(best, try window(sim, seconds: seconds, clock: now)) }
    return best
}

func median(_ values: [Double]) -> Double {
    let v = values.sorted(), n = v.count
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2
}

/// Median of `windows` windows each with and without tracking. Each window takes turns in ten
/// slices, tracked then bare, so that both see the same moments of a shared machine: a busy
/// neighbour slows one slice of each rather than one whole side.
func trackedAndBare(_ sim: Simulator, seconds: Double, windows: Int) throws -> (tracked: Double, bare: Double) {
    for _ in 0..<20 { try sim.advance() }
    var tracked: [Double] = [], bare: [Double] = []
    for _ in 0..<windows {
        var steps = (tracked: 0, bare: 0), time = (tracked: 0.0, bare: 0.0)
        for _ in 0..<10 {
            for tracking in [true, false] {
                sim.tracksCharges = tracking
                let start = cpuTime(), first = sim.step
                while cpuTime() - start < seconds / 10 { for _ in 0..<10 { try sim.advance() } }
                let (n, t) = (sim.step - first, cpuTime() - start)
                if tracking { steps.tracked += n; time.tracked += t } else { steps.bare += n; time.bare += t }
            }
        }
        tracked.append(Double(steps.tracked) / time.tracked)
        bare.append(Double(steps.bare) / time.bare)
    }
    return (median(tracked), median(bare))
}

func blasPeak() -> Double {
    let n = 512
    let a = (0..<(n * n)).map { Double($0 % 7) * 0.1 }, b = a
    var c = [Double](repeating: 0, count: n * n)
    var best = 0.0
    for _ in 0..<5 {
        let start = cpuTime()
        for _ in 0..<4 { BLASBenchmark.multiply(a, b, &c, n) }
        best = max(best, 4 * 2 * Double(n * n * n) / (cpuTime() - start) / 1e9)
    }
    return best
}

let arguments = CommandLine.arguments
let usage = """
    usage: noether-bench [SECONDS [SIZE…]]             steps/s of each size with and without tracking, the BLAS
                                                       peak and the explorer line (1 s windows; sizes S M L Cs C CL)
           noether-bench SECONDS explorer              the explorer line alone
           noether-bench rows SECONDS WINDOWS [SIZE…]  one line per size, as Benchmarks/run.sh reads them
           noether-bench threads SECONDS [SIZE…]       tracked steps per wall-clock second on 1 and on 2 threads
           noether-bench products SIZE…                each BLAS product of one tracked step, its shape and GFLOP/s alone
           noether-bench profile SIZE SECONDS          tracked steps only, for a profiler (Benchmarks/profile.sh)
           noether-bench digest STEPS [SIZE…]          bits of the loss, parameters and charges after STEPS steps
                                                       (THREADS=2: on two threads, as --threads 2)
           noether-bench sharpness [STEPS]             the sharpness meter's overhead on each preset
           noether-bench split-check [PRODUCTS]        how often threaded or split products change bits
    """
// Each subcommand with the fewest arguments it takes, checked here once for all of them.
let subcommands = ["threads": 1, "rows": 2, "products": 1, "profile": 2, "digest": 1, "sharpness": 0, "split-check": 0]
if arguments.count > 1, ["-h", "--help", "help"].contains(arguments[1]) {
    print(usage)
    exit(0)
}
if arguments.count > 1, Double(arguments[1]) == nil || Double(arguments[1])! <= 0 {
    let least = subcommands[arguments[1]]
    if least == nil || arguments.count - 2 < least! {
        let what =
            least == nil
            ? "'\(arguments[1])' is neither a number of seconds > 0 nor a subcommand"
            : "\(arguments[1]) needs \(least!) argument\(least! == 1 ? "" : "s")"
        FileHandle.standardError.write(Data("noether-bench: \(what)\n\(usage)\n".utf8))
        exit(2)
    }
}
BLAS.configure(threads: 1)
if arguments.count > 1, arguments[1] == "split-check" {
    guard let count = arguments.count > 2 ? Int(arguments[2]) : 200, count >= 1 else {
        print("noether-bench: split-check takes a number of products ≥ 1, got \(arguments[2])")
        exit(2)
    }
    splitCheck(products: count, granules: [8, 16, 64, 128])
    exit(0)
}
// `noether-bench sharpness [steps]`: the sharpness meter's overhead alone, over each preset's
// first `steps` steps (default: the whole preset).
if arguments.count > 1, arguments[1] == "sharpness" {
    let steps = arguments.count > 2 ? Int(arguments[2]) : nil
    if arguments.count > 2, steps == nil || steps! < 1 {
        print("noether-bench: sharpness takes a number of steps ≥ 1, got \(arguments[2])")
        exit(2)
    }
    try sharpnessOverhead(steps: steps)
    exit(0)
}

func chosenSizes(_ names: ArraySlice<String>) -> [Size] {
    if let unknown = names.first(where: { name in !sizes.contains { $0.name == name } }) {
        print("noether-bench: unknown size \(unknown); sizes are \(sizes.map(\.name).joined(separator: ", "))")
        exit(2)
    }
    return sizes.filter { names.isEmpty || names.contains($0.name) }
}

// `noether-bench profile SIZE SECONDS`: tracked steps of one size for SECONDS of CPU time and
// nothing else, for a profiler (Benchmarks/profile.sh).
if arguments.count > 1, arguments[1] == "profile" {
    let s = chosenSizes([arguments[2]])[0], sim = try Simulator(config(s))
    let steps = try window(sim, seconds: Double(arguments[3]) ?? 5) * (Double(arguments[3]) ?? 5)
    print("\(s.name): \(Int(steps)) steps")
    exit(0)
}

// `noether-bench digest STEPS [SIZE…]`: per size, the bits of the loss, a hash of every
// parameter's and gradient's bits and one of every tracked charge's numbers after STEPS tracked steps, so a change meant as a pure speedup can be shown to
// leave each run's numbers bit for bit where they were (compare with an earlier build's output).
if arguments.count > 1, arguments[1] == "digest" {
    let steps = Int(arguments[2]) ?? 20
    // THREADS=2 runs them as --threads 2 does: the digest must be the one-thread digest.
    let threads = ProcessInfo.processInfo.environment["THREADS"] ?? "1"
    guard threads == "1" || threads == "2" else {
        print("noether-bench: THREADS must be 1 or 2, got '\(threads)'")
        exit(2)
    }
    BLAS.configure(threads: Int(threads)!)
    FileHandle.standardError.write(Data("digest on \(threads) thread\(threads == "1" ? "" : "s")\n".utf8))
    // Beside the sizes: three blocks with conv biases, the last on 3 × 3 maps (pooling drops a row and a column).
    let odd = Size(
        name: "Co", depth: 0, width: 32, batch: 8, inputs: 144, norm: .batch, bias: true, conv: [8, 8, 16], side: 12)
    var runs = chosenSizes(arguments.dropFirst(3)).map { ($0.name, config($0)) }
    if arguments.count <= 3 {
        runs.append(("Co", config(odd)))
        // The tracker's other recursions: Nesterov's look-ahead on a linear net (balance charges)
        // and per-layer rates whose rescale groups join layers of different rates (THEORY.md §13.8).
        var lookahead = config(sizes[0])
        lookahead.arch = .linear; lookahead.nesterov = true
        runs.append(("Sn", lookahead))
        var mixed = config(sizes[0])
        mixed.lrScale = LayerRates(["fc1": 2, "fc2": 0.5])
        runs.append(("Sm", mixed))
        // Without momentum the continuum has no oscillator; Adam's recursion is the approximate one.
        var plain = config(sizes[0])
        plain.momentum = 0
        runs.append(("S0", plain))
        var adam = config(sizes[3])
        adam.optimizer = .adam; adam.lr = 0.001
        runs.append(("Ca", adam))
    }
    for (name, c) in runs {
        let sim = try Simulator(c)
        for _ in 0..<steps { try sim.advance() }
        func fnv(_ values: [Double]) -> String {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for v in values { hash = (hash ^ v.bitPattern) &* 0x100_0000_01b3 }
            return String(hash, radix: 16)
        }
        // Every tracked charge's measured value, prediction, residual, reference, continuum,
        // forcing split and angular readings: the tracker's numbers must stay as they were too.
        var charges: [Double] = []
        for c in sim.observation().charges {
            let measured: [Double] = [c.value, c.magnitude, c.gradNorm2, c.residual, c.gapRatio]
            let predicted: [Double] = [
                c.predicted, c.reference, c.ksbGap, c.continuum, c.kineticForcing, c.potentialForcing,
                c.momentumCarry,
            ]
            let optional: [Double?] = [
                c.effectiveLearningRate, c.angularStep, c.rmspropAccumulator, c.rmspropEMA, c.drift,
            ]
            charges += measured + predicted + optional.map { $0 ?? 0 }
        }
        print(
            name, String(sim.loss.bitPattern, radix: 16), fnv(sim.flatParameters + sim.flatGradient), sim.loss,
            "charges", charges.count, fnv(charges))
    }
    exit(0)
}

// `noether-bench rows SECONDS WINDOWS [SIZE…]`: one line per size, `size tracked bare flops
// alone` (steps per CPU second, medians of WINDOWS alternating windows; GFLOP/s of one tracked
// step's matrix products made alone, the most the size's step could reach), then `peak GFLOP/s`;
// run.sh interleaves these runs with the PyTorch peer's and takes medians.
if arguments.count > 1, arguments[1] == "rows" {
    let seconds = Double(arguments[2]) ?? 1, windows = max(1, Int(arguments[3]) ?? 1)
    var peak = blasPeak()
    for s in chosenSizes(arguments.dropFirst(4)) {
        let sim = try Simulator(config(s))
        let (tracked, bare) = try trackedAndBare(sim, seconds: seconds, windows: windows)
        sim.tracksCharges = true
        let products = try BLASBenchmark.products { try sim.advance() }
        let alone = BLASBenchmark.rate(of: products, seconds: seconds / 2, clock: cpuTime)
        print(s.name, tracked, bare, s.flops, alone)
        peak = max(peak, blasPeak())
    }
    print("peak", peak)
    exit(0)
}

// `noether-bench threads SECONDS [SIZE…]`: one line per size, `size one two`: tracked steps per
// wall-clock second (CPU time would count both threads) on one thread and on two (--threads 2),
// the median of three pairs of windows taken in turns; Benchmarks/threads.sh sets them beside
// PyTorch on one and two threads.
if arguments.count > 1, arguments[1] == "threads" {
    let seconds = Double(arguments[2]) ?? 1
    for s in chosenSizes(arguments.dropFirst(3)) {
        let sim = try Simulator(config(s))
        for _ in 0..<20 { try sim.advance() }
        var rates: [Int: [Double]] = [:]
        for _ in 0..<3 {
            for threads in [1, 2] {
                BLAS.configure(threads: threads)
                rates[threads, default: []].append(try window(sim, seconds: seconds, clock: now))
            }
        }
        BLAS.configure(threads: 1)
        print(s.name, median(rates[1]!), median(rates[2]!))
    }
    exit(0)
}

// `noether-bench products SIZE…`: each matrix product of one tracked step, in order, with its
// shape, its share of the step's product FLOPs and its GFLOP/s made alone on the step's memory:
// which products keep a size from the peak.
if arguments.count > 1, arguments[1] == "products" {
    for s in chosenSizes(arguments.dropFirst(2)) {
        let sim = try Simulator(config(s))
        try sim.advance()
        let products = try BLASBenchmark.products { try sim.advance() }
        let total = products.reduce(0) { $0 + $1.flops }
        print("# \(s.name): \(products.count) products, \(total / 1e6) MFLOP a step; peak \(blasPeak()) GFLOP/s")
        for p in products {
            let rate = BLASBenchmark.rate(of: [p], seconds: 0.2, clock: cpuTime)
            print(p.shape, String(format: "%5.1f%%  %6.1f GFLOP/s", 100 * p.flops / total, rate))
        }
    }
    exit(0)
}

let seconds = arguments.count > 1 ? Double(arguments[1]) ?? 1 : 1
let explorerOnly = arguments.count > 2 && arguments[2] == "explorer"
let chosen = explorerOnly ? [] : chosenSizes(arguments.dropFirst(2))
if !explorerOnly {
    print("# noether simulator, float64, one thread, steps per CPU second, median of 3 windows of \(seconds) s")
    // The BLAS peak is measured before every size and the best kept: a quiet moment anywhere in the
    // run counts, so the share of it each size reaches is not flattered by a busy one.
    var peak = 0.0
    var rows: [(size: Size, tracked: Double, bare: Double)] = []
    for s in chosen {
        peak = max(peak, blasPeak())
        let (tracked, bare) = try trackedAndBare(try Simulator(config(s)), seconds: seconds, windows: 3)
        rows.append((s, tracked, bare))
    }
    peak = max(peak, blasPeak())
    print("size  steps/s(tracking)  steps/s(no tracking)  tracking cost  GFLOP/s  % of peak  BLAS peak GFLOP/s")
    for (s, tracked, bare) in rows {
        let cost = max(0, bare / tracked - 1) * 100, rate = tracked * s.flops / 1e9
        let name = s.name.padding(toLength: 4, withPad: " ", startingAt: 0)
        print(
            name
                + String(
                    format: "  %17.1f  %20.1f  %12.1f%%  %7.1f  %8.0f%%  %17.1f", tracked, bare, cost,
                    rate, 100 * rate / peak, peak))
    }
    guard arguments.count <= 2 else { exit(0) }
}

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
