/// Follows every charge of a run step by step: the measured value, the exact prediction
/// propagated from the parameter history through the optimizer's own recursion (THEORY.md §3.2,
/// §13: carry b and decay μ, e.g. b = βη_k/η_{k−1} across learning-rate changes, §3.3), the
/// kinetically symmetric reference Q⁽⁰⁾, the forcing split of §7 and the continuum prediction of §4.
/// Under Nesterov's look-ahead both the prediction and Q⁽⁰⁾ carry a second state y = B(θ, b)
/// (§13.2), so they stay exact there too.
///
/// Every scalar group is one "channel"; a balance group is n² channels, one per entry of its
/// n × n matrix, so scalar and matrix charges share one recursion loop.
///
/// Per-layer learning rates (THEORY.md §13.8): a group whose coordinates all step with η·m follows
/// the optimizer's recursion for η·m. Rescale and balance charges divide each side by its own m;
/// where the two sides' m differ ("mixed"), weight decay pulls on the charge with signs ±1, which
/// is measured, and the recursion is that of the multiplier 1.
final class ChargeTracker {
    let symmetries: SymmetrySet
    let scalarCount: Int
    let channelCount: Int
    private(set) var balanceStart: [Int] = []

    // Channel state. "prev" is step k−1; dq is Q(Δ_{k−1}) = Q(θ_k − θ_{k−1}). A step writes each
    // new value into the buffer of the one it retires and then swaps the two (`advance`), so
    // no value is copied from buffer to buffer.
    private(set) var q, qPrev, dq, pred, predPrev, ref, refPrev, gn, vn: Buffer
    let nm, nmRate: Buffer
    let kinetic, potential, carry, q0: Buffer
    // Per-layer rates: the distinct multipliers (1 first), each channel's index into them, the
    // channels whose sides differ, and their charge with signs ±1 at step k (THEORY.md §13.8).
    let factors: [Double]
    /// What the per-channel loop needs to know of each channel, in one place it reads without
    /// bounds checks or reference counting.
    private struct Channel {
        var factor: Int
        var linear: Bool, mixed: Bool, scale: Bool
    }
    private let channels: UnsafeMutablePointer<Channel>
    /// 1 for a linear channel, 0 for a quadratic one, as lanes the vector loop loads; the scale
    /// groups' channels (the ones with an angular step).
    private let linearLanes: Buffer
    private let scaleChannels: [Int]
    /// Whether the current step was measured in full. Under momentum a step leaves out what
    /// only an observation reads (the gradient's sums `gn`, the magnitudes) until one asks
    /// (`completeMeasurement`); without momentum the continuum's next step reads `gn`, and a
    /// scale group's RMSProp average always does.
    private(set) var measuredInFull = true
    /// Every step measured in full: the reference the tests hold the partial steps to.
    var measuresEveryStepInFull = false

    /// Whether an update made with `recursion` reads the gradient's sums of the step before it
    /// (the continuum without momentum, a scale group's RMSProp average), so that step and this
    /// one are measured in full.
    func readsGradientSums(_ recursion: ChargeRecursion) -> Bool {
        measuresEveryStepInFull || !(recursion.momentum > 0) || !scaleChannels.isEmpty
    }
    /// Whether some rescale or balance group joins layers of different rates.
    let hasMixedRates: Bool
    private var unweighted, newUnweighted: Buffer
    private let sideWeights: [(incoming: Double, outgoing: Double)]
    private let weightedSegments: [[Segment]]
    // Nesterov's second state y = B(θ_k, b_k) (Σ_A b_k for translation), of the prediction and of
    // Q⁽⁰⁾, and the scratch B(Δ_k, b_{k+1}) (THEORY.md §13.2).
    let second, secondRef, newCross: Buffer
    // Scalar groups only.
    let magnitude, magnitude0, ema, angle: Buffer
    private(set) var kappa = 0.0
    /// The recursion of the update that led into this step, as the optimizer gave it (before the
    /// first update, the first-order one that update will make: b = 0, μ = ηλ). Its decay μ is
    /// weight decay's pull on every chart and prediction (THEORY.md §13.7).
    /// Weight decay's pull per update on a linear and a quadratic charge, as the last update used it.
    private(set) var potentialRate = (linear: 0.0, quadratic: 0.0)
    private(set) var recursion = ChargeRecursion(carry: 0, decay: 0, momentum: 0, weightDecay: 0)
    private(set) var balanceMagnitude: [Double] = []
    private(set) var balanceMagnitude0: [Double] = []
    /// One step's recursion and continuum for each of `factors`.
    private struct FactorStep {
        var eta, carry, mu, quadraticDecay, linearDecay, quadDecay, linDecay: Double
        var oscillators: (quadratic: ContinuumStep.Propagator, linear: ContinuumStep.Propagator)?
    }
    private var factorSteps: [FactorStep] = []

    // Scratch for one measurement.
    private var newQ, newDQ, newGN, newVN: Buffer
    private let newMag, thetaDotDelta: Buffer
    private let delta: Buffer
    /// Δ_k for Nesterov's B(Δ_k, b_{k+1}), made on its first use.
    private var displacement: Buffer?
    private var parameterCount: Int
    private let plan: ReductionPlan
    /// Continuum oscillators by η·m, with the (λ, β) they were made for.
    private var oscillatorCache:
        [Double: (
            key: (Double, Double), value: (quadratic: ContinuumStep.Propagator, linear: ContinuumStep.Propagator)
        )] =
            [:]

    init(symmetries: SymmetrySet, tensors: [Tensor], parameterCount: Int, rates: RateRuns? = nil) {
        self.symmetries = symmetries
        self.parameterCount = parameterCount
        let rates = rates ?? .uniform(parameterCount)
        // Each side of a two-sided group divided by its multiplier; one-sided groups as they are.
        var groupFactor: [(factor: Double, mixed: Bool)] = []
        var weighted: [[Segment]] = []
        for group in symmetries.groups {
            let m = group.segments.map { rates.factor(at: $0.offset) }
            let twoSided = group.kind == .rescale
            weighted.append(
                zip(group.segments, m).map { s, f in
                    var s = s
                    if twoSided { s.sign /= f }
                    return s
                })
            let distinct = Set(m)
            groupFactor.append((distinct.count == 1 ? m[0] : 1, distinct.count > 1))
        }
        weightedSegments = weighted
        var weightedGroups = symmetries.groups
        for i in weightedGroups.indices { weightedGroups[i].segments = weighted[i] }
        plan = ReductionPlan(groups: weightedGroups, tensors: tensors)
        scalarCount = symmetries.groups.count
        var channels = scalarCount
        var weights: [(incoming: Double, outgoing: Double)] = []
        for b in symmetries.balances {
            balanceStart.append(channels)
            channels += b.n * b.n
            let (mIn, mOut) = (rates.factor(at: b.incoming), rates.factor(at: b.outgoing))
            weights.append((1 / mIn, 1 / mOut))
            let entry = (factor: mIn == mOut ? mIn : 1, mixed: mIn != mOut)
            groupFactor += Array(repeating: entry, count: b.n * b.n)
        }
        sideWeights = weights
        channelCount = channels
        var distinct: [Double] = [1]
        for f in groupFactor.map(\.factor) where !distinct.contains(f) { distinct.append(f) }
        factors = distinct
        hasMixedRates = groupFactor.contains { $0.mixed }
        self.channels = .allocate(capacity: max(channels, 1))
        for (c, entry) in groupFactor.enumerated() {
            let kind = c < scalarCount ? symmetries.groups[c].kind : nil
            self.channels[c] = Channel(
                factor: distinct.firstIndex(of: entry.factor)!, linear: kind?.isLinear ?? false, mixed: entry.mixed,
                scale: kind?.hasAngularStep ?? false)
        }
        linearLanes = Buffer(channels)
        var scaleChannels: [Int] = []
        for c in 0..<channels {
            if self.channels[c].linear { linearLanes[c] = 1 }
            if self.channels[c].scale { scaleChannels.append(c) }
        }
        self.scaleChannels = scaleChannels
        (unweighted, newUnweighted) = (Buffer(channels), Buffer(channels))
        func make(_ n: Int) -> Buffer { Buffer(n) }
        (q, qPrev, dq, pred, predPrev, ref, refPrev) = (
            make(channels), make(channels), make(channels),
            make(channels), make(channels), make(channels), make(channels)
        )
        (nm, nmRate, gn, vn, kinetic, potential, carry, q0) = (
            make(channels), make(channels), make(channels),
            make(channels), make(channels), make(channels), make(channels), make(channels)
        )
        (second, secondRef, newCross) = (make(channels), make(channels), make(channels))
        (magnitude, magnitude0, ema, angle) = (
            make(scalarCount), make(scalarCount), make(scalarCount),
            make(scalarCount)
        )
        (newQ, newDQ, newGN, newVN) = (make(channels), make(channels), make(channels), make(channels))
        (newMag, thetaDotDelta) = (make(scalarCount), make(scalarCount))
        delta = make(symmetries.balances.isEmpty ? 0 : parameterCount)
    }

    deinit { channels.deallocate() }

    /// Initial state at step 0: every prediction starts at the measured charge.
    func start(
        theta: UnsafePointer<Double>, grad: UnsafePointer<Double>, velocity: UnsafePointer<Double>,
        live: LiveParameters
    ) {
        restart(theta: theta, previous: theta, grad: grad, velocity: velocity, live: live, rate: live.learningRate)
        recursion = .firstOrder(live)
        potentialRate = (live.learningRate * live.weightDecay, 2 * live.learningRate * live.weightDecay)
        for g in 0..<scalarCount { ema[g] = kappa * q[g] * q[g] }
    }

    /// Every prediction (exact, Q⁽⁰⁾, continuum) starts again at the measured charge, as after a
    /// teleport (THEORY.md §12). `previous` is the point θ_k − Δ_{k−1} whose displacement the
    /// next update continues: θ_k + η_{k−1}v_k under heavy ball (`rate` = η_{k−1}), so (★)
    /// holds exactly from the first update on; θ_k itself when the buffer is zero (step 0).
    /// The RMSProp average is kept: Q|g|² does not change under a scale teleport.
    func restart(
        theta: UnsafePointer<Double>, previous: UnsafePointer<Double>, grad: UnsafePointer<Double>,
        velocity: UnsafePointer<Double>, live: LiveParameters, rate: Double
    ) {
        measure(theta: previous, previous: previous, grad: grad, velocity: velocity)
        for c in 0..<channelCount { qPrev[c] = newQ[c] }
        measure(theta: theta, previous: previous, grad: grad, velocity: velocity)
        for c in 0..<channelCount {
            q[c] = newQ[c]; q0[c] = newQ[c]
            pred[c] = newQ[c]; predPrev[c] = qPrev[c]; ref[c] = newQ[c]; refPrev[c] = qPrev[c]
            nm[c] = newQ[c]; nmRate[c] = (newQ[c] - qPrev[c]) / (rate * factors[channels[c].factor]); dq[c] = newDQ[c]
            unweighted[c] = newUnweighted[c]
            gn[c] = newGN[c]; vn[c] = newVN[c]
        }
        measuredInFull = true
        crossForms(theta, velocity)
        for c in 0..<channelCount { second[c] = newCross[c]; secondRef[c] = newCross[c] }
        kappa = Self.kappa(live)
        for g in 0..<scalarCount { magnitude[g] = newMag[g]; magnitude0[g] = newMag[g] }
        balanceMagnitude = balanceMagnitudes(theta)
        balanceMagnitude0 = balanceMagnitude
    }

    /// The RMSProp-analogy constant κ = (1−c⁴)/(2c²η²) with c = 1−ηλ (THEORY.md §5.3).
    static func kappa(_ p: LiveParameters) -> Double {
        let c = 1 - p.learningRate * p.weightDecay
        return (1 - c * c * c * c) / (2 * c * c * p.learningRate * p.learningRate)
    }

    /// Advance every channel over the update θ_k → θ_{k+1} made with `live`, whose charge
    /// recursion the optimizer gives. `theta`, `grad` and `velocity` are the state after the update.
    /// `scaled` holds the recursion for each of `factors` (the first, m = 1, is `recursion`).
    func advance(
        theta: UnsafePointer<Double>, previous: UnsafePointer<Double>, grad: UnsafePointer<Double>,
        velocity: UnsafePointer<Double>, live: LiveParameters, recursion: ChargeRecursion,
        scaled: [ChargeRecursion]? = nil
    ) {
        let lambda = recursion.weightDecay
        let beta = recursion.momentum
        let withMomentum = beta > 0
        let full = readsGradientSums(recursion)
        assert(!full || measuredInFull, "this update reads the last step's gradient sums")
        measure(theta: theta, previous: previous, grad: grad, velocity: velocity, full: full)
        self.recursion = recursion
        // What each multiplier's channels use: the recursion of η·m and its continuum (kept in
        // place from step to step, so a step allocates nothing).
        factorSteps.removeAll(keepingCapacity: true)
        for i in factors.indices {
            let eta = live.learningRate * factors[i], r = scaled?[i] ?? recursion
            factorSteps.append(
                FactorStep(
                    eta: eta, carry: r.carry, mu: r.decay, quadraticDecay: SymmetryKind.scale.decayPerStep(r.decay),
                    linearDecay: SymmetryKind.translation.decayPerStep(r.decay),
                    quadDecay: ContinuumStep.firstOrderDecay(.scale, eta: eta, lambda: lambda),
                    linDecay: ContinuumStep.firstOrderDecay(.translation, eta: eta, lambda: lambda),
                    oscillators: withMomentum ? oscillator(eta: eta, lambda: lambda, beta: beta) : nil))
        }
        let eta = live.learningRate
        let linearDecay = factorSteps[0].linearDecay, quadraticDecay = factorSteps[0].quadraticDecay
        let c = 1 - eta * live.weightDecay, rho = c * c * c * c
        let q = q.pointer, qPrev = qPrev.pointer, dq = dq.pointer, pred = pred.pointer, predPrev = predPrev.pointer
        let ref = ref.pointer, refPrev = refPrev.pointer, nm = nm.pointer, nmRate = nmRate.pointer
        let gn = gn.pointer, kinetic = kinetic.pointer, potential = potential.pointer
        let carry = carry.pointer, angle = angle.pointer, ema = ema.pointer
        let newDQ = newDQ.pointer, newVN = newVN.pointer
        let thetaDotDelta = thetaDotDelta.pointer
        let lookahead = recursion.lookahead
        if lookahead { deltaCrossForms(theta, previous, velocity) }
        // The pull the loop below takes from each charge per update: what every view shows.
        potentialRate =
            lookahead ? (eta * lambda * (1 + beta), 2 * eta * lambda * (1 + beta)) : (linearDecay, quadraticDecay)
        let second = second.pointer, secondRef = secondRef.pointer, newCross = newCross.pointer
        let unweighted = unweighted.pointer, channels = channels

        // The common case (one rate for every channel, no look-ahead) four channels at a time;
        // the loop below takes the rest.
        let first = !lookahead && !hasMixedRates && factors.count == 1 ? plainChannels(factorSteps[0], rho: rho) : 0
        factorSteps.withUnsafeBufferPointer { perFactor in
            for ch in first..<channelCount {
                let channel = channels[ch], linear = channel.linear
                let qk = q[ch], dn = newDQ[ch]
                let f = perFactor.baseAddress! + channel.factor
                let eta = f.pointee.eta, betaEff = f.pointee.carry
                let quadDecay = f.pointee.quadDecay, linDecay = f.pointee.linDecay
                let predNext: Double, refNext: Double
                if channel.mixed, !lookahead {
                    // §13.8: the sides' rates differ, so decay pulls 2μ·R with R = |out|² − |in|² (±1 signs).
                    let pull = 2 * f.pointee.mu * unweighted[ch]
                    let force = dn + betaEff * dq[ch]
                    predNext = (1 + betaEff) * pred[ch] - betaEff * predPrev[ch] - pull + force
                    refNext = (1 + betaEff) * ref[ch] - betaEff * refPrev[ch] - pull
                    kinetic[ch] = force
                    potential[ch] = pull
                    carry[ch] = betaEff * (qk - qPrev[ch])
                } else if lookahead {
                    // §13.2: Q' = (1 − 2ηλ(1+β))Q − 2ηβ²y + Q(Δ), y' = βy + λQ + B(Δ, b'); for a linear
                    // charge T' = (1 − ηλ(1+β))T − ηβ²Y, Y' = βY + λT.
                    let order = linear ? 1.0 : 2.0
                    let decay = order * eta * lambda * (1 + beta), pull = order * eta * beta * beta
                    let force = linear ? 0 : dn
                    predNext = (1 - decay) * pred[ch] - pull * second[ch] + force
                    refNext = (1 - decay) * ref[ch] - pull * secondRef[ch]
                    carry[ch] = -pull * second[ch]
                    second[ch] = beta * second[ch] + lambda * pred[ch] + (linear ? 0 : newCross[ch])
                    secondRef[ch] = beta * secondRef[ch] + lambda * ref[ch]
                    kinetic[ch] = force
                    potential[ch] = decay * qk
                } else {
                    let decay = linear ? f.pointee.linearDecay : f.pointee.quadraticDecay
                    let force = linear ? 0 : dn + betaEff * dq[ch]
                    predNext = (1 + betaEff - decay) * pred[ch] - betaEff * predPrev[ch] + force
                    refNext = (1 + betaEff - decay) * ref[ch] - betaEff * refPrev[ch]
                    kinetic[ch] = force
                    potential[ch] = decay * qk
                    carry[ch] = betaEff * (qk - qPrev[ch])
                }
                if let oscillators = f.pointee.oscillators {
                    let osc = linear ? oscillators.linear : oscillators.quadratic
                    let drive = linear ? 0 : 2 * newVN[ch]
                    let x = nm[ch], v = nmRate[ch]
                    nm[ch] = osc.m.0 * x + osc.m.1 * v + drive * osc.f.0
                    nmRate[ch] = osc.m.2 * x + osc.m.3 * v + drive * osc.f.1
                } else {
                    let next = linear ? linDecay * nm[ch] : quadDecay * (nm[ch] + eta * eta * gn[ch])
                    nmRate[ch] = (next - nm[ch]) / eta
                    nm[ch] = next
                }
                if channel.scale {
                    // Angle between θ_k and θ_{k+1}: |a×Δ| over a·(a+Δ), with a = θ_k.
                    let aDotDelta = thetaDotDelta[ch] - dn
                    let cross2 = max(0, qk * dn - aDotDelta * aDotDelta)
                    angle[ch] = _atan2(cross2.squareRoot(), qk + aDotDelta)
                    ema[ch] = rho * ema[ch] + (1 - rho) * qk * gn[ch]
                }
                predPrev[ch] = predNext
                refPrev[ch] = refNext
            }
        }
        retire()
        measuredInFull = full
        if full { for g in 0..<scalarCount { magnitude[g] = newMag[g] } }
        kappa = Self.kappa(live)
        if !symmetries.balances.isEmpty { balanceMagnitude = balanceMagnitudes(theta) }
    }

    /// After a step's loops: the new predictions (written over the retired k−1 values) become
    /// the current ones, the measurement of θ_{k+1} becomes step k's, step k's becomes k−1's, and
    /// the retired buffers are what the next step writes into.
    private func retire() {
        (pred, predPrev) = (predPrev, pred)
        (ref, refPrev) = (refPrev, ref)
        (qPrev, q, newQ) = (q, newQ, qPrev)
        (dq, newDQ) = (newDQ, dq)
        (gn, newGN) = (newGN, gn)
        (vn, newVN) = (newVN, vn)
        (unweighted, newUnweighted) = (newUnweighted, unweighted)
    }

    /// The heavy-ball recursion (13.1) and the continuum of the loop in `advance`, for channels
    /// 0..<4⌊n/4⌋ four at a time, with the same operations in the same order on each lane, so
    /// every number is the one the loop would give. Scale groups' angles and RMSProp averages,
    /// which need atan2, go one by one first (they read only the state before this step).
    /// Returns how many channels it took.
    private func plainChannels(_ f: FactorStep, rho: Double) -> Int {
        typealias V = SIMD4<Double>
        let count = channelCount & ~3
        let q = q.pointer, qPrev = qPrev.pointer, dq = dq.pointer, pred = pred.pointer, predPrev = predPrev.pointer
        let ref = ref.pointer, refPrev = refPrev.pointer, nm = nm.pointer, nmRate = nmRate.pointer
        let gn = gn.pointer, kinetic = kinetic.pointer, potential = potential.pointer
        let carry = carry.pointer, newDQ = newDQ.pointer, newVN = newVN.pointer
        let linearLanes = linearLanes.pointer
        for ch in scaleChannels where ch < count {
            let qk = q[ch], dn = newDQ[ch], aDotDelta = thetaDotDelta[ch] - dn
            let cross2 = max(0, qk * dn - aDotDelta * aDotDelta)
            angle[ch] = _atan2(cross2.squareRoot(), qk + aDotDelta)
            ema[ch] = rho * ema[ch] + (1 - rho) * qk * gn[ch]
        }
        let betaEff = V(repeating: f.carry), keep = V(repeating: 1 + f.carry), eta = V(repeating: f.eta)
        let linDecay = V(repeating: f.linDecay), quadDecay = V(repeating: f.quadDecay), zero = V.zero
        let (linearDecay, quadraticDecay) = (V(repeating: f.linearDecay), V(repeating: f.quadraticDecay))
        var ch = 0
        while ch < count {
            let linear = linearLanes.lanes(ch) .!= 0
            let qk = q.lanes(ch), dn = newDQ.lanes(ch)
            let decay = quadraticDecay.replacing(with: linearDecay, where: linear)
            let force = (dn + betaEff * dq.lanes(ch)).replacing(with: zero, where: linear)
            let predNow = pred.lanes(ch), refNow = ref.lanes(ch)
            let predNext = (keep - decay) * predNow - betaEff * predPrev.lanes(ch) + force
            let refNext = (keep - decay) * refNow - betaEff * refPrev.lanes(ch)
            kinetic.setLanes(ch, force)
            potential.setLanes(ch, decay * qk)
            carry.setLanes(ch, betaEff * (qk - qPrev.lanes(ch)))
            let x = nm.lanes(ch)
            if let oscillators = f.oscillators {
                let (l, o) = (oscillators.linear, oscillators.quadratic)
                func pick(_ quadratic: Double, _ linearValue: Double) -> V {
                    V(repeating: quadratic).replacing(with: V(repeating: linearValue), where: linear)
                }
                let drive = (2 * newVN.lanes(ch)).replacing(with: zero, where: linear), v = nmRate.lanes(ch)
                nm.setLanes(ch, pick(o.m.0, l.m.0) * x + pick(o.m.1, l.m.1) * v + drive * pick(o.f.0, l.f.0))
                nmRate.setLanes(ch, pick(o.m.2, l.m.2) * x + pick(o.m.3, l.m.3) * v + drive * pick(o.f.1, l.f.1))
            } else {
                let next = (quadDecay * (x + eta * eta * gn.lanes(ch))).replacing(with: linDecay * x, where: linear)
                nmRate.setLanes(ch, (next - x) / eta)
                nm.setLanes(ch, next)
            }
            predPrev.setLanes(ch, predNext)
            refPrev.setLanes(ch, refNext)
            ch += 4
        }
        return count
    }

    /// What the last step left out (the gradient's sums, the magnitudes): the same measurement
    /// of the same state, so the same numbers a full measurement in `advance` would have made.
    /// Call it before the gradient buffer changes (an observation, an update without momentum).
    func completeMeasurement(
        theta: UnsafePointer<Double>, previous: UnsafePointer<Double>, grad: UnsafePointer<Double>,
        velocity: UnsafePointer<Double>
    ) {
        guard !measuredInFull else { return }
        measure(theta: theta, previous: previous, grad: grad, velocity: velocity)
        (gn, newGN) = (newGN, gn)
        for g in 0..<scalarCount { magnitude[g] = newMag[g] }
        measuredInFull = true
    }

    /// Raw quadratic (or linear) forms of θ, Δ = θ − previous, g and the optimizer buffer, and
    /// the magnitudes (g's and the magnitudes only when `full`). Each weight matrix is reduced in
    /// one pass (ReductionPlan.reduce), then each group adds up its rows, columns and loose
    /// entries, four groups at a time where they form a family.
    private func measure(
        theta: UnsafePointer<Double>, previous: UnsafePointer<Double>,
        grad: UnsafePointer<Double>, velocity: UnsafePointer<Double>, full: Bool = true
    ) {
        plan.reduce(theta: theta, previous: previous, grad: grad, velocity: velocity, gradient: full)
        plan.groupSums(
            theta, previous, grad, velocity,
            into: .init(
                q: newQ.pointer, d: newDQ.pointer, g: newGN.pointer, v: newVN.pointer, magnitude: newMag.pointer,
                thetaDelta: thetaDotDelta.pointer, unweighted: newUnweighted.pointer),
            complete: full, unweighted: full || hasMixedRates)
        guard !symmetries.balances.isEmpty else { return }
        for i in 0..<parameterCount { delta[i] = theta[i] - previous[i] }
        for (b, group) in symmetries.balances.enumerated() {
            let start = balanceStart[b], w = sideWeights[b]
            Self.balanceMatrix(group, theta, newQ.pointer + start, weights: w)
            Self.balanceMatrix(group, UnsafePointer(delta.pointer), newDQ.pointer + start, weights: w)
            if full { Self.balanceMatrix(group, grad, newGN.pointer + start, weights: w) }
            Self.balanceMatrix(group, velocity, newVN.pointer + start, weights: w)
            Self.balanceMatrix(group, theta, newUnweighted.pointer + start)
        }
    }

    /// y = B(x, b) per channel into newCross: Σ sign·x_i b_i over a quadratic group, Σ_A b_i for a
    /// translation (its form is linear in b alone), and the symmetric part of the balance form.
    private func crossForms(_ x: UnsafePointer<Double>, _ b: UnsafePointer<Double>) {
        for (index, group) in symmetries.groups.enumerated() {
            var sum = 0.0
            for s in weightedSegments[index] {
                var i = s.offset
                if group.kind.isLinear {
                    for _ in 0..<s.count { sum += b[i]; i += s.stride }
                } else {
                    var part = 0.0
                    for _ in 0..<s.count { part += x[i] * b[i]; i += s.stride }
                    sum += s.sign * part
                }
            }
            newCross[index] = sum
        }
        for (index, group) in symmetries.balances.enumerated() {
            let out = newCross.pointer + balanceStart[index], n = group.n
            Self.balanceForm(group, x, b, out, weights: sideWeights[index])
            for i in 0..<n {
                for j in (i + 1)..<n {
                    let mean = (out[i * n + j] + out[j * n + i]) / 2
                    out[i * n + j] = mean; out[j * n + i] = mean
                }
            }
        }
    }

    /// B(Δ_k, b_{k+1}) with Δ_k = θ − previous.
    private func deltaCrossForms(
        _ theta: UnsafePointer<Double>, _ previous: UnsafePointer<Double>,
        _ b: UnsafePointer<Double>
    ) {
        let scratch = displacement ?? Buffer(parameterCount)
        displacement = scratch
        for i in 0..<parameterCount { scratch[i] = theta[i] - previous[i] }
        crossForms(scratch.pointer, b)
    }

    /// B(X, Y) = X_{l+1}ᵀY_{l+1} − X̃_lỸ_lᵀ, the bilinear form whose diagonal X = Y is D(X); with
    /// per-layer rates each side divided by its multiplier (`weights` = 1/m, THEORY.md §13.8).
    static func balanceForm(
        _ g: BalanceGroup, _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>,
        _ out: UnsafeMutablePointer<Double>, weights: (incoming: Double, outgoing: Double) = (1, 1)
    ) {
        let n = g.n
        BLAS.gemm(
            transA: true, transB: false, m: n, n: n, k: g.outputs, alpha: weights.outgoing,
            x + g.outgoing, lda: n, y + g.outgoing, ldb: n, beta: 0, out, ldc: n)
        BLAS.gemm(
            transA: false, transB: true, m: n, n: n, k: g.inputs, alpha: -weights.incoming,
            x + g.incoming, lda: g.inputs, y + g.incoming, ldb: g.inputs, beta: 1, out, ldc: n)
        if let b = g.incomingBias {
            for i in 0..<n { for j in 0..<n { out[i * n + j] -= weights.incoming * x[b + i] * y[b + j] } }
        }
    }

    /// D(X) = X_{l+1}ᵀX_{l+1} − X̃_lX̃_lᵀ, with X̃_l = [X_l x_b] (THEORY.md §2.1, out − in).
    static func balanceMatrix(
        _ g: BalanceGroup, _ x: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>,
        weights: (incoming: Double, outgoing: Double) = (1, 1)
    ) {
        balanceForm(g, x, x, out, weights: weights)
    }

    /// The continuum oscillators for one (η, λ, β), kept while those stay.
    private func oscillator(eta: Double, lambda: Double, beta: Double) -> (
        quadratic: ContinuumStep.Propagator, linear: ContinuumStep.Propagator
    ) {
        if let cached = oscillatorCache[eta], cached.key == (lambda, beta) { return cached.value }
        let value = (
            ContinuumStep.oscillator(.scale, eta: eta, lambda: lambda, beta: beta),
            ContinuumStep.oscillator(.translation, eta: eta, lambda: lambda, beta: beta)
        )
        oscillatorCache[eta] = ((lambda, beta), value)
        return value
    }

    private func balanceMagnitudes(_ theta: UnsafePointer<Double>) -> [Double] {
        symmetries.balances.map { g in
            var s = 0.0
            for i in 0..<(g.outputs * g.n) { s += theta[g.outgoing + i] * theta[g.outgoing + i] }
            for i in 0..<(g.n * g.inputs) { s += theta[g.incoming + i] * theta[g.incoming + i] }
            if let b = g.incomingBias { for i in 0..<g.n { s += theta[b + i] * theta[b + i] } }
            return s
        }
    }
}

/// A fixed-size Double buffer owned by one object; unsafe access keeps the per-step loops
/// free of copy-on-write and bounds checks.
final class Buffer {
    let pointer: UnsafeMutablePointer<Double>
    let count: Int
    init(_ count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }
    deinit { pointer.deallocate() }
    @inline(__always) subscript(i: Int) -> Double {
        get { pointer[i] }
        set { pointer[i] = newValue }
    }
}
