/// Why a run stopped early; the message names the step.
public enum SimulationError: Error, CustomStringConvertible, Equatable, Sendable {
    case diverged(step: Int, reason: String)
    case invalidData(String)

    public var description: String {
        switch self {
        case .diverged(let step, let reason):
            "diverged at step \(step): \(reason); lower the learning rate and reset"
        case .invalidData(let message): message
        }
    }
}

/// The deterministic simulator: trains one network on its data set and tracks every charge.
/// It is stepped by its owner (a test, the command line, or the explorer's thread).
///
/// Step convention: the state "at step k" holds θ_k (after k updates) and the loss and gradient
/// of the minibatch that update k+1 will use.
public final class Simulator {
    /// The run's configuration; a scheduled change may switch its optimizer.
    public private(set) var config: Config
    public let arch: Architecture
    public let data: Dataset
    public private(set) var symmetries: SymmetrySet
    public private(set) var live: LiveParameters
    public private(set) var step = 0
    public private(set) var loss = 0.0
    public private(set) var correct = 0
    public private(set) var diverged: SimulationError?
    /// Independent conservation laws at θ against the tracked ones (THEORY.md §14.3), counted at
    /// step 0 and after every teleport; nil where the counter does not apply.
    public private(set) var laws: LawTally?
    /// Charges are tracked every step unless switched off (for measuring what tracking costs);
    /// switching it back on restarts every prediction from the current step.
    public var tracksCharges = true {
        didSet {
            if tracksCharges && !oldValue {
                tracker.start(theta: theta, grad: grad, velocity: optimizer.buffer, live: live)
            }
        }
    }

    let theta: UnsafeMutablePointer<Double>
    let previous: UnsafeMutablePointer<Double>
    let grad: UnsafeMutablePointer<Double>
    private(set) var optimizer: any UpdateRule
    /// The single neuron of THEORY.md §14.2 with its closed form, when the model is that neuron.
    public private(set) var neuron: SingleNeuronRun?
    /// Each coordinate's learning-rate multiplier from `lr-scale` (THEORY.md §13.8).
    public private(set) var rates: RateRuns
    let tracker: ChargeTracker
    private var rng: Xoshiro256
    private var backprop: Backprop
    private var order: [Int]
    private var cursor: Int
    private var batchX: UnsafeMutablePointer<Double>
    private var batchLabels: UnsafeMutablePointer<Int>
    private var batchTargets: UnsafeMutablePointer<Double>
    private var previousRate: Double
    /// The sharpness meter when the run measures it (THEORY.md §16), and its last reading.
    private var meter: SharpnessMeter?
    public private(set) var sharpness: SharpnessReading?
    /// The interval in force: the configuration's, until an `[[at]]` table changes it (0 pauses).
    public private(set) var sharpnessEvery: Int
    /// The last flattest teleport's sharpness before and after, and its α (THEORY.md §16.5).
    public private(set) var flattened: (step: Int, before: Double, after: Double, alpha: Double)?
    /// Rotation teleports so far: each draws from its own seed, so a replay repeats it.
    private var rotations: UInt64 = 0

    public var parameterCount: Int { arch.parameterCount }
    public var batchSize: Int { backprop.batch }
    /// The scale of the current minibatch's outputs, which bounds the loss's rounding (§12.1).
    public var outputScale: Double { backprop.outputScale }

    public init(_ config: Config) throws {
        try config.validate()
        self.config = config
        var rng = Xoshiro256(seed: config.seed)
        let data = try Dataset.make(config, rng: &rng)
        guard data.count >= 2 else { throw SimulationError.invalidData("data set has fewer than 2 samples") }
        self.data = data
        arch = try Architecture(
            config: config, inputDim: data.inputDim, outputDim: data.outputDim, task: data.task,
            image: data.imageShape)
        symmetries = SymmetrySet(arch: arch, optimizer: config.optimizer, settings: config.optimizerSettings)
        let initial = arch.initialParameters(config, rng: &rng)
        let n = arch.parameterCount
        theta = .allocate(capacity: n); theta.initialize(from: initial, count: n)
        previous = .allocate(capacity: n); previous.initialize(from: initial, count: n)
        grad = .allocate(capacity: n); grad.initialize(repeating: 0, count: n)
        optimizer = config.optimizer.rule.init(count: n, settings: config.optimizerSettings)
        rates = arch.rateRuns(config.lrScale)
        optimizer.rates = rates
        let batch = min(config.batchSize, data.count)
        backprop = Backprop(arch: arch, batch: batch)
        batchX = .allocate(capacity: batch * data.inputDim)
        batchLabels = .allocate(capacity: batch)
        batchLabels.initialize(repeating: 0, count: batch)
        batchTargets = .allocate(capacity: max(1, batch * data.outputDim))
        order = Array(0..<data.count)
        cursor = data.count  // forces a shuffle before the first batch
        live = config.live
        previousRate = config.lr
        sharpnessEvery = config.sharpnessEvery
        tracker = ChargeTracker(symmetries: symmetries, tensors: arch.tensors, parameterCount: n, rates: rates)
        self.rng = rng
        try computeGradient()
        tracker.start(theta: theta, grad: grad, velocity: optimizer.buffer, live: live)
        countLaws()
        measureSharpnessIfDue()
        if let note = mixedRatesNote { symmetries.notes.append(note) }
        neuron = SingleNeuronRun(config: config, arch: arch, data: data, theta: theta)
    }

    /// SGDW and Nesterov have no exact recursion for a charge whose sides step at different rates.
    private var mixedRatesNote: String? {
        guard tracker.hasMixedRates, config.optimizer == .sgdw || config.nesterov else { return nil }
        return
            "per-layer rates: rescale and balance charges across layers of different rates have no exact recursion under \(config.optimizerName) (THEORY.md §13.8)"
    }

    deinit {
        theta.deallocate(); previous.deallocate(); grad.deallocate()
        batchX.deallocate(); batchLabels.deallocate(); batchTargets.deallocate()
    }

    /// Changes the live parameters; they apply from the next update on (PyTorch semantics).
    public func set(_ parameters: LiveParameters) throws(ConfigError) {
        try parameters.validate()
        live = parameters
    }

    /// Applies, in order, the scheduled changes due at the current step (removing them from
    /// `pending`) and returns them, so that a caller can record what was applied.
    @discardableResult
    public func applyDue(_ pending: inout ArraySlice<ScheduledChange>) throws(ConfigError) -> [ScheduledChange] {
        var applied: [ScheduledChange] = []
        while let change = pending.first, change.step <= step {
            pending.removeFirst()
            try set(change.applied(to: live))
            if let kind = change.optimizer { try switchOptimizer(to: kind) }
            if let size = change.batchSize { try setBatchSize(size) }
            for t in change.teleports { try teleport(t) }
            if let every = change.sharpnessEvery { measureSharpness(every: every) }
            applied.append(change)
        }
        return applied
    }

    /// Another minibatch size from the next update on (at most the number of samples: full
    /// batch). The minibatch of the next update is drawn anew at this size, from what is left
    /// of the epoch, and the predictions restart here as after a teleport, since the continuum's
    /// forcing is that minibatch's gradient (THEORY.md §17).
    public func setBatchSize(_ size: Int) throws(ConfigError) {
        guard size >= 2 else { throw ConfigError("batch-size", "must be at least 2, got \(size)") }
        let batch = min(size, data.count)
        config.batchSize = size
        guard batch != backprop.batch else { return }
        batchX.deallocate(); batchLabels.deallocate(); batchTargets.deallocate()
        backprop = Backprop(arch: arch, batch: batch)
        batchX = .allocate(capacity: batch * data.inputDim)
        batchLabels = .allocate(capacity: batch)
        batchLabels.initialize(repeating: 0, count: batch)
        batchTargets = .allocate(capacity: max(1, batch * data.outputDim))
        meter = nil
        do { try computeGradient() } catch { throw ConfigError("batch-size", "\(error)") }
        measureSharpnessIfDue()
        guard tracksCharges else { return }
        optimizer.restartPoint(theta: theta, into: previous, count: parameterCount)
        tracker.restart(
            theta: theta, previous: previous, grad: grad, velocity: optimizer.buffer, live: live,
            rate: previousRate)
    }

    /// Counts the conservation laws at θ and says in the model's notes how they compare with
    /// the tracked charges (THEORY.md §14.3).
    private func countLaws() {
        if let note = laws?.note { symmetries.notes.removeAll { $0 == note } }
        laws = LawCounter.tally(arch, symmetries, theta: theta)
        if let note = laws?.note { symmetries.notes.append(note) }
    }

    /// Another optimizer from the next update on, with fresh buffers; the predictions restart
    /// from the measured charges, since the new rule has its own recursion (THEORY.md §13.7).
    public func switchOptimizer(to kind: OptimizerKind) throws(ConfigError) {
        try kind.rule.validate(config.optimizerSettings, momentum: live.momentum)
        config.optimizer = kind
        optimizer = kind.rule.init(count: parameterCount, settings: config.optimizerSettings)
        optimizer.rates = rates
        symmetries.notes = SymmetrySet(arch: arch, optimizer: kind, settings: config.optimizerSettings).notes
        if let note = laws?.note { symmetries.notes.append(note) }
        if let note = mixedRatesNote { symmetries.notes.append(note) }
        if tracksCharges { tracker.start(theta: theta, grad: grad, velocity: optimizer.buffer, live: live) }
    }

    /// One update θ_k → θ_{k+1}, then the gradient of the next minibatch at θ_{k+1}.
    public func advance() throws {
        if let diverged { throw diverged }
        // An update that reads this step's gradient sums (without momentum) needs them first.
        if tracksCharges, !tracker.measuredInFull, tracker.readsGradientSums(optimizer.recursion(live)) {
            completeMeasurement()
        }
        let norm2 = optimizer.update(theta: theta, previous: previous, grad: grad, live)
        step += 1
        neuron?.advance(rate: live.learningRate)
        guard norm2.isFinite else { return try stop("parameters are no longer finite") }
        try computeGradient()
        measureSharpnessIfDue()
        guard tracksCharges else { return previousRate = live.learningRate }
        tracker.advance(
            theta: theta, previous: previous, grad: grad, velocity: optimizer.buffer,
            live: live, recursion: optimizer.recursion(live),
            scaled: tracker.factors.count > 1 ? tracker.factors.map { optimizer.recursion(live, factor: $0) } : nil)
        previousRate = live.learningRate
    }

    /// What the tracker leaves out of a step until it is read (the gradient's sums, magnitudes).
    func completeMeasurement() {
        tracker.completeMeasurement(theta: theta, previous: previous, grad: grad, velocity: optimizer.buffer)
    }

    private func stop(_ reason: String) throws {
        let error = SimulationError.diverged(step: step, reason: reason)
        diverged = error
        throw error
    }

    /// Draws the next minibatch (without replacement within an epoch) and back-propagates.
    private func computeGradient() throws {
        let B = backprop.batch, d = data.inputDim, k = data.outputDim
        if cursor + B > order.count {
            rng.shuffle(&order)
            cursor = 0
        }
        for r in 0..<B {
            let n = order[cursor + r]
            data.inputs.withUnsafeBufferPointer { (batchX + r * d).update(from: $0.baseAddress! + n * d, count: d) }
            if data.task == .classification {
                batchLabels[r] = data.labels[n]
            } else {
                data.targets.withUnsafeBufferPointer {
                    (batchTargets + r * k).update(from: $0.baseAddress! + n * k, count: k)
                }
            }
        }
        cursor += B
        try backpropagate()
    }

    /// Loss and gradient of the current minibatch at θ.
    private func backpropagate() throws {
        let result = backprop.run(theta: theta, grad: grad, x: batchX, labels: batchLabels, targets: batchTargets)
        loss = result.loss
        correct = result.correct
        guard loss.isFinite else { return try stop(loss.isNaN ? "the loss is NaN" : "the loss is infinite") }
    }

    /// Measures at every `sharpness-every`-th step (and after a teleport at such a step).
    private func measureSharpnessIfDue() {
        let every = sharpnessEvery
        guard every > 0, step % every == 0 else { return }
        sharpness = measureSharpness()
    }

    /// Another interval from this step on (an `[[at]]` table's `sharpness-every`); a run whose
    /// configuration never measures stays unmeasured. Measures now if this step is due and was not.
    private func measureSharpness(every: Int) {
        guard config.sharpnessEvery > 0 else { return }
        sharpnessEvery = every
        if sharpness?.step != step { measureSharpnessIfDue() }
    }

    /// The sharpness at θ_k now, on the batch the configuration names (THEORY.md §16).
    @discardableResult
    public func measureSharpness() -> SharpnessReading {
        if meter == nil { meter = SharpnessMeter(arch: arch, data: data, minibatch: batchSize, config: config) }
        return meter!.measure(
            step: step, theta: theta,
            minibatch: (UnsafePointer(batchX), UnsafePointer(batchLabels), UnsafePointer(batchTargets)))
    }

    /// The parameters θ_k as named arrays in PyTorch layout.
    public func parameters() -> [(tensor: Tensor, values: [Double])] {
        arch.tensors.map { t in (t, Array(UnsafeBufferPointer(start: theta + t.offset, count: t.count))) }
    }

    public var flatParameters: [Double] { Array(UnsafeBufferPointer(start: theta, count: parameterCount)) }
    public var flatGradient: [Double] { Array(UnsafeBufferPointer(start: grad, count: parameterCount)) }

    /// Replaces θ (for tests that set up a symmetric state, such as THEORY.md P10's
    /// duplicate neurons) and recomputes the gradient on the same minibatch.
    public func overwriteParameters(_ values: [Double]) throws {
        precondition(values.count == parameterCount)
        theta.update(from: values, count: values.count)
        previous.update(from: values, count: values.count)
        try backpropagate()
        tracker.start(theta: theta, grad: grad, velocity: optimizer.buffer, live: live)
        countLaws()
    }

    /// Moves θ along a symmetry orbit between two steps (THEORY.md §12): the optimizer's buffers
    /// are carried as gradients, the gradient is recomputed on the same minibatch (same loss),
    /// and every prediction restarts from the new point. Returns the loss before and after.
    @discardableResult
    public func teleport(_ t: Teleport) throws(ConfigError) -> (before: Double, after: Double) {
        let target = try t.resolve(in: symmetries)
        let before = loss
        let n = parameterCount
        let action = GroupAction(theta: theta, velocity: optimizer.buffer, second: optimizer.second)
        let groups = target.groups.map { symmetries.groups[$0] }
        switch target.action {
        case .scale:
            for g in groups { action.multiply(g, by: target.factor) }
        case .shift:
            for g in groups { action.shift(g, by: target.factor) }
        case .balance where !target.kind.isMatrix:
            for g in groups { if let alpha = action.balancingFactor(g) { action.multiply(g, by: alpha) } }
        case .charge:
            for g in groups {
                if let alpha = action.chargeFactor(g, to: target.factor, rates: rates) { action.multiply(g, by: alpha) }
            }
        case .balance, .rotate:
            let b = symmetries.balances[target.balance!]
            let g: [Double], inverse: [Double]
            if target.action == .rotate {
                rotations += 1
                var rng = Xoshiro256(seed: config.seed ^ (rotations &* 0x9E37_79B9_7F4A_7C15))
                (g, inverse) = BalanceTransform.rotation(b.n, rng: &rng)
            } else {
                (g, inverse) = try BalanceTransform.balancing(b, theta)
            }
            action.transform(b, g, inverse: inverse)
        case .steepest:
            // Log-factors per group, or one shared factor for a linear balance's G = αI.
            let shared = target.kind.isMatrix
            let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 2 * n)
            defer { scratch.deallocate() }
            let trial = GroupAction(theta: scratch)
            let best = SteepestAscent.maximize(dimension: shared ? 1 : groups.count, bound: _log(target.factor)) { s in
                scratch.update(from: theta, count: n)
                for (i, g) in groups.enumerated() { trial.multiply(g, by: _exp(s[shared ? 0 : i])) }
                backprop.run(theta: scratch, grad: scratch + n, x: batchX, labels: batchLabels, targets: batchTargets)
                var norm2 = 0.0
                for i in n..<(2 * n) { norm2 += scratch[i] * scratch[i] }
                return norm2
            }
            for (i, g) in groups.enumerated() { action.multiply(g, by: _exp(best.s[shared ? 0 : i])) }
        case .flattest:
            let scratch = UnsafeMutablePointer<Double>.allocate(capacity: n)
            defer { scratch.deallocate() }
            let trial = GroupAction(theta: scratch)
            let probe = SharpnessMeter(
                arch: arch, data: data, minibatch: batchSize, config: config,
                tolerance: SharpnessMeter.teleportTolerance)
            let best = FlattestSearch.minimize(bound: _log(target.factor)) { s in
                scratch.update(from: theta, count: n)
                for g in groups { trial.multiply(g, by: _exp(s)) }
                return probe.measure(
                    step: step, theta: scratch,
                    minibatch: (UnsafePointer(batchX), UnsafePointer(batchLabels), UnsafePointer(batchTargets))
                ).top
            }
            for g in groups { action.multiply(g, by: _exp(best.s)) }
            flattened = (step: step, before: best.start, after: best.value, alpha: _exp(best.s))
        }
        do { try backpropagate() } catch { throw ConfigError("teleport", "\(error)") }
        neuron?.restart(theta)
        countLaws()
        measureSharpnessIfDue()
        guard tracksCharges else { return (before, loss) }
        // The point whose displacement the next update continues (THEORY.md §12.4, §13).
        optimizer.restartPoint(theta: theta, into: previous, count: n)
        tracker.restart(
            theta: theta, previous: previous, grad: grad, velocity: optimizer.buffer, live: live,
            rate: previousRate)
        return (before, loss)
    }
}
