/// Output formats of `noether run`: JSON Lines (one object per written step) and CSV
/// (the same series, one column each). Numbers print in Swift's shortest round-trip form,
/// so a value read back is the value computed; non-finite numbers become null / empty.
public enum OutputFormat: String, CaseIterable, Codable, Sendable {
    case jsonl, csv
}

public enum ObservationFormat {
    @inline(__always)
    static func json(_ x: Double) -> String { x.isFinite ? "\(x)" : "null" }

    static func json(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default:
                if ch.value < 0x20 { out += "\\u" + String(ch.value, radix: 16).leftPadded(4) } else { out.unicodeScalars.append(ch) }
            }
        }
        return out + "\""
    }

    /// The named fields of a charge, in output order. Optional fields appear only where they apply.
    static func fields(_ c: ChargeObservation) -> [(String, Double)] {
        var f: [(String, Double)] = [
            ("value", c.value), ("magnitude", c.magnitude), ("grad_norm2", c.gradNorm2), ("predicted", c.predicted), ("residual", c.residual),
            ("reference", c.reference), ("ksb_gap", c.ksbGap), ("gap_ratio", c.gapRatio),
            ("continuum", c.continuum), ("kinetic_forcing", c.kineticForcing),
            ("potential_forcing", c.potentialForcing), ("momentum_carry", c.momentumCarry),
        ]
        f.append(("dead", c.dead ? 1 : 0))
        if let v = c.effectiveLearningRate { f.append(("effective_lr", v)) }
        if let v = c.angularStep { f.append(("angular_step", v)) }
        if let v = c.rmspropAccumulator { f.append(("rmsprop_accumulator", v)) }
        if let v = c.rmspropEMA { f.append(("rmsprop_ema", v)) }
        if let v = c.drift { f.append(("drift", v)) }
        return f
    }

    static func fields(_ s: FamilySummary) -> [(String, Double)] {
        var f: [(String, Double)] = [
            ("count", Double(s.count)), ("mean", s.mean), ("q10", s.q10), ("q50", s.q50), ("q90", s.q90),
            ("gap_ratio_median", s.gapRatioMedian), ("residual_max", s.residualMax), ("dead", Double(s.dead)),
        ]
        if let v = s.effectiveLearningRateMedian { f.append(("effective_lr_median", v)) }
        if let v = s.rmsAngularStep { f.append(("rms_angular_step", v)) }
        return f
    }

    public static func jsonLine(_ o: Observation) -> String {
        var s = "{\"step\":\(o.step),\"loss\":\(json(o.loss))"
        if let a = o.accuracy { s += ",\"accuracy\":\(json(a))" }
        s += ",\"lr\":\(json(o.live.learningRate)),\"momentum\":\(json(o.live.momentum))"
        s += ",\"weight_decay\":\(json(o.live.weightDecay)),\"layers\":["
        s += o.layers.map {
            "{\"name\":\(json($0.name)),\"weight_norm2\":\(json($0.weightNorm2)),\"grad_norm2\":\(json($0.gradNorm2))}"
        }.joined(separator: ",")
        s += "],\"charges\":["
        s += o.charges.map { c in
            "{\"symmetry\":\"\(c.symmetry.rawValue)\",\"group\":\(json(c.group)),\"family\":\(json(c.family))"
                + fields(c).map { ",\"\($0.0)\":\(json($0.1))" }.joined() + "}"
        }.joined(separator: ",")
        s += "],\"families\":["
        s += o.families.map { f in
            "{\"family\":\(json(f.family)),\"symmetry\":\"\(f.symmetry.rawValue)\""
                + fields(f).map { ",\"\($0.0)\":\(json($0.1))" }.joined() + "}"
        }.joined(separator: ",")
        return s + "]}"
    }

    public static func csvHeader(_ o: Observation) -> String {
        var h = ["step", "loss", "accuracy", "lr", "momentum", "weight_decay"]
        for l in o.layers { h += ["\(l.name).weight_norm2", "\(l.name).grad_norm2"] }
        for c in o.charges { h += fields(c).map { "\(c.group).\($0.0)" } }
        for f in o.families { h += fields(f).map { "\(f.family).\($0.0)" } }
        return h.joined(separator: ",")
    }

    public static func csvRow(_ o: Observation) -> String {
        func num(_ x: Double) -> String { x.isFinite ? "\(x)" : "" }
        var r = ["\(o.step)", num(o.loss), o.accuracy.map(num) ?? "", num(o.live.learningRate),
                 num(o.live.momentum), num(o.live.weightDecay)]
        for l in o.layers { r += [num(l.weightNorm2), num(l.gradNorm2)] }
        for c in o.charges { r += fields(c).map { num($0.1) } }
        for f in o.families { r += fields(f).map { num($0.1) } }
        return r.joined(separator: ",")
    }

    /// One JSON line of the parameters at a step: named arrays in PyTorch layout.
    public static func parameterLine(step: Int, _ parameters: [(tensor: Tensor, values: [Double])]) -> String {
        var s = "{\"step\":\(step)"
        for (t, v) in parameters {
            s += ",\(json(t.name)):"
            if t.isMatrix {
                s += "[" + (0..<t.rows).map { r in
                    "[" + v[(r * t.cols)..<((r + 1) * t.cols)].map(json).joined(separator: ",") + "]"
                }.joined(separator: ",") + "]"
            } else {
                s += "[" + v.map(json).joined(separator: ",") + "]"
            }
        }
        return s + "}"
    }
}

extension String {
    func leftPadded(_ width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
