/// Per-layer norms at one step.
public struct LayerObservation: Sendable, Equatable {
    public var name: String
    public var weightNorm2: Double
    public var gradNorm2: Double
}

/// One charge at one step, with everything needed to check it from outside (THEORY.md §7).
/// Forcing terms describe the update that led into this step (k−1 → k).
public struct ChargeObservation: Sendable, Equatable {
    public var symmetry: SymmetryKind
    public var group: String
    public var family: String
    public var value: Double
    /// Σ|θ_i|² over the group (Σ|θ_i| for translation): the scale residuals are relative to.
    public var magnitude: Double
    public var gradNorm2: Double
    public var predicted: Double
    public var residual: Double
    public var reference: Double
    public var ksbGap: Double
    /// Γ over the group's initial magnitude Σ|θ_i|² (Σ|θ_i| for translation): Γ/Q₀ for scale,
    /// and a well-defined ratio for rescale charges that start near zero.
    public var gapRatio: Double
    public var continuum: Double
    public var kineticForcing: Double
    public var potentialForcing: Double
    public var momentumCarry: Double
    /// No gradient reached the group this step (a dead neuron): it only decays, and once its
    /// weights are subnormal its residual says nothing about the symmetry (THEORY.md §10).
    public var dead: Bool
    /// The group's magnitude fell below `collapseRatio` of its own value at step 0: the neuron
    /// has shrunk away (it only decays), so ratios over its magnitude say nothing and it is left
    /// out of family summaries (THEORY.md §10). Never set for translation or balance groups.
    public var collapsed: Bool = false
    // Scale groups (normalization panel, THEORY.md §5.3).
    public var effectiveLearningRate: Double?
    public var angularStep: Double?
    public var rmspropAccumulator: Double?
    public var rmspropEMA: Double?
    // Balance groups: ‖D − D₀‖_F.
    public var drift: Double?

    /// |Q − Q^NM| / magnitude: how far the continuum is from the measured charge (THEORY.md §7.3).
    public var continuumError: Double { abs(value - continuum) / max(magnitude, .leastNormalMagnitude) }
}

extension Sequence<ChargeObservation> {
    /// A family's worst continuum error over its live groups (dead and collapsed ones left out, as
    /// from every family summary); nil when none is live.
    public func worstContinuumError(family: String) -> Double? {
        filter { $0.family == family && !$0.dead && !$0.collapsed }.map(\.continuumError).max()
    }
}

/// Summary of a per-neuron family: mean and 10/50/90 % quantiles of the charge, plus the
/// medians the explorer draws and the worst exact residual.
public struct FamilySummary: Sendable, Equatable {
    public var family: String
    public var symmetry: SymmetryKind
    public var count: Int
    public var mean: Double
    public var q10: Double
    public var q50: Double
    public var q90: Double
    public var predictedMedian: Double
    public var referenceMedian: Double
    public var continuumMedian: Double
    public var gapRatioMedian: Double
    public var kineticRateMedian: Double  // F/Q per step
    /// Weight decay's pull per update as the optimizer's recursion has it: 2μ (μ for translation,
    /// μ = ηλ under plain SGD, (1 − τ)ηλ with dampening; THEORY.md §13.7).
    public var potentialRate: Double
    /// Worst exact residual over the family's live groups (dead neurons excluded, counted in `dead`).
    public var residualMax: Double
    public var dead: Int
    /// Groups whose charge has collapsed relative to their own starting magnitude: counted
    /// here and left out of every quantile, median and residual above.
    public var collapsed: Int = 0
    public var effectiveLearningRateMedian: Double?
    public var rmsAngularStep: Double?
    public var rmspropAccumulatorMedian: Double?
    public var rmspropEMAMedian: Double?
}

public struct Observation: Sendable, Equatable {
    public var step: Int
    public var loss: Double
    public var accuracy: Double?
    public var live: LiveParameters
    public var layers: [LayerObservation]
    public var charges: [ChargeObservation]
    public var families: [FamilySummary]
    /// The RMS angle per update a scale group settles at under this optimizer (THEORY.md §13).
    public var equilibriumAngle: Double? = nil
    /// The sharpness measured at this step (THEORY.md §16), and how many eigenvalues the run
    /// measures (0: none), which fixes the CSV columns.
    public var sharpness: SharpnessReading? = nil
    public var sharpnessColumns = 0
    /// A flattest teleport made at this step: the sharpness before and after it (THEORY.md §16.5).
    public var flattened: [Double]? = nil
    /// Independent conservation laws at the last count and the tracked ones (THEORY.md §14.3).
    public var laws: LawTally? = nil
    /// The single neuron's measured state and its closed form at the same t (THEORY.md §14.2).
    public var neuron: SingleNeuronRun.Reading? = nil
}

/// A group has collapsed when its magnitude is below this fraction of its magnitude at step 0
/// (its norm shrank a thousandfold). Live normalized neurons settle within an order of magnitude
/// of their start, while a collapsing one decays geometrically through this line within a few
/// hundred steps, so the verdict does not depend on the exact value.
public let collapseRatio = 1e-6

extension Simulator {
    /// The full observation of the current step. Built on demand: the tracker itself runs every step.
    public func observation(includeCharges: Bool = true) -> Observation {
        if includeCharges { completeMeasurement() }
        let t = tracker
        var layers: [LayerObservation] = []
        for tensor in arch.tensors where tensor.isMatrix {
            var w = 0.0, g = 0.0
            for i in tensor.offset..<(tensor.offset + tensor.count) {
                w += theta[i] * theta[i]
                g += grad[i] * grad[i]
            }
            layers.append(
                LayerObservation(
                    name: String(tensor.name.dropLast(".weight".count)),
                    weightNorm2: w, gradNorm2: g))
        }
        var charges: [ChargeObservation] = []
        if includeCharges {
            for (i, group) in symmetries.groups.enumerated() {
                let mag = t.magnitude[i]
                var row = ChargeObservation(
                    symmetry: group.kind, group: group.name, family: group.family, value: t.q[i],
                    magnitude: mag, gradNorm2: t.gn[i], predicted: t.pred[i],
                    residual: mag > 0 ? abs(t.q[i] - t.pred[i]) / mag : abs(t.q[i] - t.pred[i]),
                    reference: t.ref[i], ksbGap: t.q[i] - t.ref[i],
                    gapRatio: t.magnitude0[i] > 0 ? (t.q[i] - t.ref[i]) / t.magnitude0[i] : 0,
                    continuum: t.nm[i], kineticForcing: t.kinetic[i], potentialForcing: t.potential[i],
                    momentumCarry: t.carry[i], dead: group.kind.isForced && t.gn[i] == 0)
                row.collapsed = group.kind.isForced && mag <= collapseRatio * t.magnitude0[i]
                if group.kind.hasAngularStep {
                    row.effectiveLearningRate = live.learningRate / t.q[i]
                    row.angularStep = step > 0 ? t.angle[i] : 0
                    row.rmspropAccumulator = t.kappa * t.q[i] * t.q[i]
                    row.rmspropEMA = t.ema[i]
                }
                if row.collapsed {
                    // Ratios over a collapsed magnitude are not numbers anyone can use.
                    row.residual = .nan
                    row.effectiveLearningRate = row.effectiveLearningRate.map { _ in .nan }
                    row.angularStep = row.angularStep.map { _ in .nan }
                }
                charges.append(row)
            }
            for (b, group) in symmetries.balances.enumerated() {
                charges.append(
                    balanceObservation(
                        group, start: t.balanceStart[b], magnitude: t.balanceMagnitude[b],
                        magnitude0: t.balanceMagnitude0[b]))
            }
        }
        return Observation(
            step: step, loss: loss,
            accuracy: data.task == .classification ? Double(correct) / Double(batchSize) : nil,
            live: live, layers: layers, charges: charges, families: includeCharges ? summarize(charges) : [],
            equilibriumAngle: config.equilibrium(live)?.angle,
            sharpness: sharpness?.step == step ? sharpness : nil,
            sharpnessColumns: config.sharpnessEvery > 0 ? config.sharpnessTop : 0,
            flattened: flattened.flatMap { $0.step == step ? [$0.before, $0.after] : nil }, laws: laws,
            neuron: neuron?.reading(theta))
    }

    private func balanceObservation(_ g: BalanceGroup, start: Int, magnitude: Double, magnitude0: Double)
        -> ChargeObservation
    {
        let t = tracker
        let range = start..<(start + g.n * g.n)
        func frobenius(_ f: (Int) -> Double) -> Double { range.reduce(0.0) { $0 + f($1) * f($1) }.squareRoot() }
        let trace = (0..<g.n).reduce(0.0) { $0 + t.gn[start + $1 * g.n + $1] }
        let gap = frobenius { t.q[$0] - t.ref[$0] }
        return ChargeObservation(
            symmetry: .balance, group: g.name, family: g.name, value: frobenius { t.q[$0] },
            magnitude: magnitude, gradNorm2: trace, predicted: frobenius { t.pred[$0] },
            residual: frobenius { t.q[$0] - t.pred[$0] } / max(magnitude, .leastNormalMagnitude),
            reference: frobenius { t.ref[$0] }, ksbGap: gap, gapRatio: gap / max(magnitude0, .leastNormalMagnitude),
            continuum: frobenius { t.nm[$0] }, kineticForcing: frobenius { t.kinetic[$0] },
            potentialForcing: frobenius { t.potential[$0] }, momentumCarry: frobenius { t.carry[$0] }, dead: false,
            drift: frobenius { t.q[$0] - t.q0[$0] })
    }

    /// The n × n balance matrix D_l at this step (row-major), for its eigenvalues or export.
    public func balanceMatrix(_ index: Int) -> [Double] {
        let g = symmetries.balances[index], start = tracker.balanceStart[index]
        return (0..<(g.n * g.n)).map { tracker.q[start + $0] }
    }

    private func summarize(_ charges: [ChargeObservation]) -> [FamilySummary] {
        var order: [String] = []
        var members: [String: [ChargeObservation]] = [:]
        for c in charges {
            if members[c.family] == nil { order.append(c.family) }
            members[c.family, default: []].append(c)
        }
        return order.map { name in
            let all = members[name]!
            let rows = all.filter { !$0.collapsed }
            let values = rows.map(\.value).sorted()
            let kind = all[0].symmetry
            var summary = FamilySummary(
                family: name, symmetry: kind, count: all.count,
                mean: values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count),
                q10: quantile(values, 0.1), q50: quantile(values, 0.5), q90: quantile(values, 0.9),
                predictedMedian: median(rows.map(\.predicted)), referenceMedian: median(rows.map(\.reference)),
                continuumMedian: median(rows.map(\.continuum)), gapRatioMedian: median(rows.map(\.gapRatio)),
                kineticRateMedian: median(rows.map { $0.value != 0 ? $0.kineticForcing / abs($0.value) : 0 }),
                potentialRate: kind.isLinear ? tracker.potentialRate.linear : tracker.potentialRate.quadratic,
                residualMax: rows.isEmpty ? .nan : rows.filter { !$0.dead }.map(\.residual).max() ?? 0,
                dead: rows.filter(\.dead).count, collapsed: all.count - rows.count)
            if kind.hasAngularStep, !rows.isEmpty {
                summary.effectiveLearningRateMedian = median(rows.compactMap(\.effectiveLearningRate))
                let angles = rows.compactMap(\.angularStep)
                summary.rmsAngularStep = (angles.reduce(0) { $0 + $1 * $1 } / Double(angles.count)).squareRoot()
                summary.rmspropAccumulatorMedian = median(rows.compactMap(\.rmspropAccumulator))
                summary.rmspropEMAMedian = median(rows.compactMap(\.rmspropEMA))
            }
            return summary
        }
    }
}

/// Linear-interpolated quantile of sorted values (numpy's default).
public func quantile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let h = p * Double(sorted.count - 1)
    let lo = Int(h), hi = min(lo + 1, sorted.count - 1)
    return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
}

public func median(_ values: [Double]) -> Double { quantile(values.sorted(), 0.5) }
