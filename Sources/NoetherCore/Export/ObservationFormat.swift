/// Output formats of `noether run`: JSON Lines (one object per written step) and CSV
/// (the same series, one column each). Numbers print in Swift's shortest round-trip form,
/// so a value read back is the value computed; non-finite numbers become null / empty.
public enum OutputFormat: String, CaseIterable, Codable, Sendable {
    case jsonl, csv
}

/// How much of each step a row carries: `summary` (loss, live parameters, layer norms and one
/// line per symmetry kind), `families` (also each family's summary) or `neurons` (also every
/// group's charge: large, about 2,400 CSV columns for a 2 × 32 batch-norm network).
public enum OutputDetail: String, CaseIterable, Codable, Sendable {
    case summary, families, neurons
}

/// One symmetry kind summed over the model, for the `summary` level.
struct KindSummary {
    var kind: SymmetryKind
    var groups = 0, collapsed = 0, dead = 0
    var residualMax = -Double.infinity
    var gapRatios: [Double] = []

    static func of(_ o: Observation) -> [KindSummary] {
        var out: [KindSummary] = []
        for c in o.charges {
            if out.last?.kind != c.symmetry, !out.contains(where: { $0.kind == c.symmetry }) {
                out.append(KindSummary(kind: c.symmetry))
            }
            let i = out.firstIndex { $0.kind == c.symmetry }!
            out[i].groups += 1
            if c.collapsed { out[i].collapsed += 1; continue }
            if c.dead { out[i].dead += 1 } else { out[i].residualMax = max(out[i].residualMax, c.residual) }
            out[i].gapRatios.append(c.gapRatio)
        }
        return out
    }

    var fields: [(String, Double)] {
        [
            ("groups", Double(groups)), ("collapsed", Double(collapsed)), ("dead", Double(dead)),
            ("residual_max", residualMax.isFinite ? residualMax : .nan), ("gap_ratio_median", median(gapRatios)),
        ]
    }
}

public enum ObservationFormat {
    /// Fields that count (groups, dead, collapsed; 0/1 flags): written as integers, 64 and not 64.0.
    static let counts: Set<String> = ["groups", "count", "collapsed", "dead"]

    /// A named field's value for JSON: a count as an integer, anything else as a number.
    static func json(_ name: String, _ x: Double) -> String {
        counts.contains(name) && x.isFinite ? "\(Int(x))" : json(x)
    }

    static func csv(_ name: String, _ x: Double) -> String {
        counts.contains(name) && x.isFinite ? "\(Int(x))" : csv(x)
    }

    @inline(__always)
    static func json(_ x: Double) -> String {
        let v = x.flushingSubnormal
        return v.isFinite ? "\(v)" : "null"
    }

    /// Parameters and the settings of a row (lr, momentum, weight decay) are written exactly, in
    /// shortest round-trip form, subnormals included: a dump reloads bit for bit, and a setting
    /// reads back as the value that was chosen. (Settings are always finite.)
    static func exact(_ x: Double) -> String { x.isFinite ? "\(x)" : "null" }

    static func csv(_ x: Double) -> String {
        let v = x.flushingSubnormal
        return v.isFinite ? "\(v)" : ""
    }

    /// A TOML basic string is also a JSON string (the same quotes and escapes, controls as \uXXXX).
    static func json(_ s: String) -> String { TOML.format(.string(s)) }

    /// The named fields of a charge, in output order, each named for what it is in this kind
    /// (docs/FIELDS.md). Optional fields appear only where they apply.
    static func fields(_ c: ChargeObservation) -> [(String, Double)] {
        let m = c.symmetry.fieldSuffix
        var f: [(String, Double)] = [
            ("value" + m, c.value), ("magnitude", c.magnitude), (c.symmetry.gradientField, c.gradNorm2),
            ("predicted" + m, c.predicted), ("residual", c.residual), ("reference" + m, c.reference),
            ("ksb_gap" + m, c.ksbGap), ("gap_ratio", c.gapRatio), ("continuum" + m, c.continuum),
            ("kinetic_forcing" + m, c.kineticForcing), ("potential_forcing" + m, c.potentialForcing),
            ("momentum_carry" + m, c.momentumCarry),
        ]
        f.append(("dead", c.dead ? 1 : 0))
        f.append(("collapsed", c.collapsed ? 1 : 0))
        if let v = c.effectiveLearningRate { f.append(("effective_lr", v)) }
        if let v = c.angularStep { f.append(("angular_step", v)) }
        if let v = c.rmspropAccumulator { f.append(("rmsprop_accumulator", v)) }
        if let v = c.rmspropEMA { f.append(("rmsprop_ema", v)) }
        if let v = c.drift { f.append(("drift_frobenius", v)) }
        return f
    }

    static func fields(_ s: FamilySummary, equilibrium: Double?) -> [(String, Double)] {
        var f: [(String, Double)] = [
            ("count", Double(s.count)), ("collapsed", Double(s.collapsed)), ("dead", Double(s.dead)),
            ("mean", s.mean), ("q10", s.q10), ("q50", s.q50), ("q90", s.q90),
            ("predicted_median", s.predictedMedian), ("reference_median", s.referenceMedian),
            ("continuum_median", s.continuumMedian), ("gap_ratio_median", s.gapRatioMedian),
            ("residual_max", s.residualMax),
        ]
        if let v = s.effectiveLearningRateMedian { f.append(("effective_lr_median", v)) }
        if let v = s.rmsAngularStep {
            f.append(("rms_angular_step", v))
            if let equilibrium { f.append(("rms_angular_step_equilibrium", equilibrium)) }
        }
        return f
    }

    public static func jsonLine(
        _ o: Observation, detail: OutputDetail = .neurons, run: Int? = nil, name: String? = nil
    ) -> String {
        var s = run.map { "{\"run\":\($0)," } ?? "{"
        if let name { s += "\"run_name\":\(json(name))," }
        s += "\"step\":\(o.step)"
        s += ",\"loss\":\(json(o.loss))"
        if let a = o.accuracy { s += ",\"accuracy\":\(json(a))" }
        s += ",\"lr\":\(exact(o.live.learningRate)),\"momentum\":\(exact(o.live.momentum))"
        s += ",\"weight_decay\":\(exact(o.live.weightDecay))"
        if let laws = o.laws { s += ",\"laws_independent\":\(laws.count.independent),\"laws_tracked\":\(laws.tracked)" }
        if let r = o.sharpness {
            s += ",\"sharpness\":\(json(r.top))"
            if let second = r.second { s += ",\"sharpness_2\":\(json(second))" }
        }
        if let f = o.flattened {
            s += ",\"teleport_sharpness_before\":\(json(f[0])),\"teleport_sharpness_after\":\(json(f[1]))"
        }
        s += ",\"layers\":["
        s += o.layers.map {
            "{\"name\":\(json($0.name)),\"weight_norm2\":\(json($0.weightNorm2)),\"grad_norm2\":\(json($0.gradNorm2))}"
        }.joined(separator: ",")
        s += "],\"kinds\":["
        s += KindSummary.of(o).map { k in
            "{\"symmetry\":\"\(k.kind.rawValue)\"" + k.fields.map { ",\"\($0.0)\":\(json($0.0, $0.1))" }.joined() + "}"
        }.joined(separator: ",")
        s += "]"
        if detail != .summary {
            s += ",\"families\":["
            s += o.families.map { f in
                "{\"family\":\(json(f.family)),\"symmetry\":\"\(f.symmetry.rawValue)\""
                    + fields(f, equilibrium: o.equilibriumAngle).map { ",\"\($0.0)\":\(json($0.0, $0.1))" }.joined()
                    + "}"
            }.joined(separator: ",")
            s += "]"
        }
        if detail == .neurons {
            s += ",\"charges\":["
            s += o.charges.map { c in
                "{\"symmetry\":\"\(c.symmetry.rawValue)\",\"group\":\(json(c.group)),\"family\":\(json(c.family))"
                    + fields(c).map { ",\"\($0.0)\":\(json($0.0, $0.1))" }.joined() + "}"
            }.joined(separator: ",")
            s += "]"
        }
        return s + "}"
    }

    /// Column names and values of one row, in the same order.
    static func csvColumns(_ o: Observation, detail: OutputDetail) -> [(String, String)] {
        var r: [(String, String)] = [
            ("step", "\(o.step)"), ("loss", csv(o.loss)), ("accuracy", o.accuracy.map(csv) ?? ""),
            ("lr", exact(o.live.learningRate)), ("momentum", exact(o.live.momentum)),
            ("weight_decay", exact(o.live.weightDecay)),
        ]
        if let laws = o.laws {
            r += [("laws_independent", "\(laws.count.independent)"), ("laws_tracked", "\(laws.tracked)")]
        }
        if o.sharpnessColumns > 0 { r.append(("sharpness", o.sharpness.map { csv($0.top) } ?? "")) }
        if o.sharpnessColumns > 1 { r.append(("sharpness_2", o.sharpness?.second.map(csv) ?? "")) }
        for l in o.layers {
            r += [("\(l.name).weight_norm2", csv(l.weightNorm2)), ("\(l.name).grad_norm2", csv(l.gradNorm2))]
        }
        for k in KindSummary.of(o) { r += k.fields.map { ("\(k.kind.rawValue).\($0.0)", csv($0.0, $0.1)) } }
        if detail != .summary {
            for f in o.families {
                r += fields(f, equilibrium: o.equilibriumAngle).map { ("\(f.family).\($0.0)", csv($0.0, $0.1)) }
            }
        }
        if detail == .neurons {
            for c in o.charges { r += fields(c).map { ("\(c.group).\($0.0)", csv($0.0, $0.1)) } }
        }
        return r
    }

    public static func csvHeader(_ o: Observation, detail: OutputDetail = .neurons) -> String {
        csvColumns(o, detail: detail).map(\.0).joined(separator: ",")
    }

    public static func csvRow(_ o: Observation, detail: OutputDetail = .neurons) -> String {
        csvColumns(o, detail: detail).map(\.1).joined(separator: ",")
    }

    /// One JSON line of the parameters at a step: named arrays nested in PyTorch's shape
    /// ([out][in] for dense weights, [out][in][k][k] for convolutions).
    public static func parameterLine(step: Int, _ parameters: [(tensor: Tensor, values: [Double])]) -> String {
        var s = "{\"step\":\(step)"
        for (t, v) in parameters { s += ",\(json(t.name)):" + nested(v[...], shape: t.shape[...]) }
        return s + "}"
    }

    private static func nested(_ v: ArraySlice<Double>, shape: ArraySlice<Int>) -> String {
        guard shape.count > 1 else { return "[" + v.map(exact).joined(separator: ",") + "]" }
        let inner = v.count / shape.first!
        return "["
            + (0..<shape.first!).map { i in
                let start = v.startIndex + i * inner
                return nested(v[start..<(start + inner)], shape: shape.dropFirst())
            }.joined(separator: ",") + "]"
    }
}
