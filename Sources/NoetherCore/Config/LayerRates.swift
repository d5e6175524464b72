import Foundation

/// Per-layer learning-rate multipliers, `lr-scale = "fc1=2,fc2=0.5"`: every parameter tensor of a
/// named layer (its weight and bias) steps with η·m instead of η (THEORY.md §13.8). Layers not
/// named keep m = 1. Written with the names in alphabetical order, so equal settings give equal
/// text (and equal run IDs).
public struct LayerRates: Equatable, Hashable, TextCodable, Sendable, CustomStringConvertible {
    /// Layer name → multiplier m.
    public private(set) var factors: [String: Double] = [:]

    public init(_ factors: [String: Double] = [:]) { self.factors = factors }

    /// Reads "name=m,name=m" (spaces allowed; "" is none); nil unless every pair has a name and a
    /// decimal number. Ranges are checked by `validate()`, names by the model (`check(layers:)`).
    public init?(_ text: String) {
        let pairs = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        for pair in pairs where !pair.isEmpty {
            let parts = pair.split(separator: "=", omittingEmptySubsequences: false)
            guard parts.count == 2 else { return nil }
            let name = parts[0].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, factors[name] == nil,
                let m = try? NumberSyntax.argument(parts[1].trimmingCharacters(in: .whitespaces))
            else { return nil }
            factors[name] = m
        }
    }

    public var isEmpty: Bool { factors.isEmpty }

    /// The multiplier of a layer (1 unless named).
    public subscript(layer: String) -> Double { factors[layer] ?? 1 }

    public var description: String {
        factors.keys.sorted().map { "\($0)=\(TOML.format(.float(factors[$0]!)))" }.joined(separator: ",")
    }

    /// Every multiplier finite, positive and at most 1e6.
    public func validate() throws(ConfigError) {
        for name in factors.keys.sorted() {
            let m = factors[name]!
            guard m.isFinite, m > 0, m <= 1e6 else {
                throw ConfigError(
                    "lr-scale", "\(name)=\(m): a multiplier must be a finite number in (0, 1e6]")
            }
        }
    }

    /// Every named layer exists in the model whose layers are `layers`.
    public func check(layers: [String]) throws(ConfigError) {
        for name in factors.keys.sorted() where !layers.contains(name) {
            throw ConfigError(
                "lr-scale", "unknown layer '\(name)'; this model's layers are \(layers.joined(separator: ", "))")
        }
    }

    public static let textForm = "name=m pairs"
}

/// The multipliers laid out on the flat parameter vector: runs of coordinates that share one m.
public struct RateRuns: Equatable, Sendable {
    public struct Run: Equatable, Sendable {
        public var range: Range<Int>
        public var factor: Double
    }
    public var runs: [Run]

    /// m = 1 on `count` coordinates.
    public static func uniform(_ count: Int) -> RateRuns { RateRuns(runs: [Run(range: 0..<count, factor: 1)]) }

    /// Each tensor takes the multiplier of its layer (the part of its name before the dot).
    public init(tensors: [Tensor], rates: LayerRates) {
        runs = []
        for t in tensors {
            let m = rates[Tensor.layerName(t.name)]
            if let last = runs.last, last.factor == m, last.range.upperBound == t.offset {
                runs[runs.count - 1].range = last.range.lowerBound..<(t.offset + t.count)
            } else {
                runs.append(Run(range: t.offset..<(t.offset + t.count), factor: m))
            }
        }
    }

    init(runs: [Run]) { self.runs = runs }

    /// Whether every multiplier is 1.
    public var isUniform: Bool { runs.allSatisfy { $0.factor == 1 } }

    /// The multiplier of coordinate i.
    public func factor(at i: Int) -> Double { runs.first { $0.range.contains(i) }?.factor ?? 1 }
}

extension Tensor {
    /// "fc1.weight" → "fc1": the layer a tensor belongs to.
    public static func layerName(_ tensorName: String) -> String {
        String(tensorName.split(separator: ".").first ?? Substring(tensorName))
    }
}
