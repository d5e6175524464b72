/// Runs one configuration to its last step and summarizes it from the simulator's own
/// observations (Observation.swift): the family summaries `noether run` writes, never charges
/// computed again.
public enum RunSummary {
    /// Observations of the second half that the RMS angle and the worst residual are taken
    /// over: enough for a stable mean, few enough to cost under 1 % of a run.
    static let samples = 200

    /// `seriesEvery`: also record each family every that many steps (and at the last step).
    public static func run(_ config: Config, axes: [String], seriesEvery: Int? = nil) throws -> RunResult {
        let session = try Session(Preset(name: "sweep", title: "", description: "", config: config))
        let sim = session.front
        let steps = config.steps
        // The RMS angle hovers around its equilibrium only once the charges have settled: it is
        // averaged over the second half, after the transient.
        let half = max(1, steps / 2)
        let stride = max(1, (steps - half) / samples)
        var lossSum = 0.0
        var angleSquares: [String: (sum: Double, count: Int)] = [:]
        var worstResidual: [String: Double] = [:]
        var series: [SeriesPoint] = []
        var status = RunResult.finished
        var last: Observation?
        var step = 0
        var sharpnessSum = 0.0, sharpnessCount = 0
        while true {
            lossSum += sim.loss
            if step >= half, let s = sim.sharpness, s.step == step { sharpnessSum += s.top; sharpnessCount += 1 }
            let sampled = step >= half && (step - half) % stride == 0
            let recorded = seriesEvery.map { step % $0 == 0 } ?? false
            if sampled || recorded || step == steps {
                let o = sim.observation()
                for f in o.families {
                    if sampled || step == steps, let a = f.rmsAngularStep, a.isFinite, step > 0 {
                        angleSquares[f.family, default: (0, 0)].sum += a * a
                        angleSquares[f.family, default: (0, 0)].count += 1
                    }
                    if f.residualMax.isFinite { worstResidual[f.family] = max(worstResidual[f.family] ?? 0, f.residualMax) }
                    if recorded || (seriesEvery != nil && step == steps) {
                        series.append(SeriesPoint(
                            step: step, family: f.family, loss: finite(o.loss), medianCharge: finite(f.q50),
                            gapRatio: finite(f.gapRatioMedian), rmsAngle: finite(f.rmsAngularStep), q10: finite(f.q10),
                            q90: finite(f.q90), predictedMedian: finite(f.predictedMedian),
                            referenceMedian: finite(f.referenceMedian), continuumMedian: finite(f.continuumMedian),
                            effectiveLRMedian: finite(f.effectiveLearningRateMedian),
                            rmsAnglePredicted: f.symmetry.hasAngularStep ? finite(o.equilibriumAngle) : nil))
                    }
                }
                last = o
            }
            if step == steps { break }
            do { try session.advance() } catch {
                status = "\(error)"
                break
            }
            step += 1
        }
        let diverged = status != RunResult.finished
        let families: [FamilyResult] = diverged ? [] : (last?.families ?? []).map { f in
            let angles = angleSquares[f.family]
            return FamilyResult(
                family: f.family, symmetry: f.symmetry.rawValue, groups: f.count, medianCharge: finite(f.q50),
                gapRatio: finite(f.gapRatioMedian),
                rmsAngle: angles.flatMap { finite(($0.sum / Double($0.count)).squareRoot()) },
                rmsAnglePredicted: f.symmetry.hasAngularStep ? last!.equilibriumAngle.flatMap(finite) : nil,
                deadFraction: Double(f.dead) / Double(max(f.count, 1)),
                collapsedFraction: Double(f.collapsed) / Double(max(f.count, 1)),
                residualMax: worstResidual[f.family],
                continuumError: last!.charges.worstContinuumError(family: f.family).flatMap(finite))
        }
        var result = RunResult(id: config.runID, axes: axes, config: config, status: status,
                               finalLoss: diverged ? nil : finite(last?.loss), meanLoss: finite(lossSum / Double(step + 1)),
                               families: families, series: series)
        if config.sharpnessEvery > 0, !diverged {
            // The last step is measured even when the interval does not land on it.
            let final = sim.sharpness?.step == step ? sim.sharpness!.top : sim.measureSharpness().top
            result.sharpness = finite(final)
            result.sharpnessMean = sharpnessCount > 0 ? finite(sharpnessSum / Double(sharpnessCount)) : nil
            result.sharpnessRatio = sim.config.stabilityLine(sim.live).flatMap { finite(final / $0) }
        }
        return result
    }
}
