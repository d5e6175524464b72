import Foundation

/// An axis as written: a list `[a, b, c]` or a range `{ from, to, count, scale }`. Values are
/// checked against the one configuration schema (Config.decoding), so an axis takes exactly
/// what a preset key takes, with the same messages.
extension SweepAxis {
    static let rangeKeys = ["from", "to", "count", "scale"]
    /// Range values are rounded to this many significant digits, so 1e-4…1e-2 gives 0.001 and
    /// not 0.0009999999999999998 (labels, commands and run keys stay readable).
    static let significantDigits = 12
    /// The most values one axis may have (a list or a range's count); the product over all
    /// axes is bounded by Sweep.maxRuns. Each value is decoded and checked as a whole
    /// configuration once (a few tenths of a millisecond), so an axis at this limit plans in
    /// seconds; larger grids come from several axes, whose runs share those decodes.
    static let maxValues = 10_000

    init(_ e: TOMLEntry, over base: Config, file: String) throws(PresetError) {
        key = e.key
        line = e.line
        switch e.value {
        case .array(let items):
            guard !items.isEmpty else {
                throw PresetError(file: file, line: line, message: "axis \(key) has no values")
            }
            guard items.count <= Self.maxValues else {
                throw PresetError(
                    file: file, line: line,
                    message: "axis \(key) has \(items.count) values; an axis may have at most \(Self.maxValues)")
            }
            values = items
        case .table(let fields):
            values = try Self.range(fields, key: key, line: line, over: base, file: file)
        default:
            throw PresetError(
                file: file, line: line,
                message:
                    "axis \(key) must be a list [a, b, …] or a range { from = …, to = …, count = …, scale = \"log\" | \"linear\" }, got \(e.value.typeName)"
            )
        }
        var seen = Set<TOMLValue>()
        seen.reserveCapacity(values.count)
        let overlay: Config.Overlay
        do { overlay = try Config.Overlay(base) } catch {
            throw PresetError(file: file, line: line, message: error.message)
        }
        for v in values {
            if let config = try check(v, over: overlay, file: file) { configs.append(config) }
            guard seen.insert(v).inserted else {
                throw PresetError(file: file, line: line, message: "axis \(key) lists \(TOML.format(v)) twice")
            }
        }
    }

    /// One value is usable for this key: `time` takes a positive number, any other key what the
    /// configuration schema takes; returns the base with the value set (nil for time).
    private func check(_ v: TOMLValue, over base: Config.Overlay, file: String) throws(PresetError) -> Config? {
        if key == Sweep.timeKey {
            _ = try Sweep.duration(TOMLEntry(key: key, value: v, line: line), file: file)
            return nil
        }
        do { return try base.decoding([TOMLEntry(key: key, value: v, line: line)]) } catch {
            throw PresetError(file: file, line: line, message: "axis " + error.message)
        }
    }

    private static func range(
        _ fields: [String: TOMLValue], key: String, line: Int, over base: Config,
        file: String
    ) throws(PresetError) -> [TOMLValue] {
        func fail(_ message: String) -> PresetError {
            PresetError(file: file, line: line, message: "axis \(key): \(message)")
        }
        if let unknown = fields.keys.sorted().first(where: { !rangeKeys.contains($0) }) {
            throw fail("unknown range key '\(TOML.excerpt(unknown))'; a range has \(rangeKeys.joined(separator: ", "))")
        }
        guard let from = fields["from"]?.number, let to = fields["to"]?.number, from.isFinite, to.isFinite else {
            throw fail("a range needs numbers from = … and to = …")
        }
        guard case .integer(let count) = fields["count"] ?? .integer(0), (1...maxValues).contains(count) else {
            throw fail("count must be an integer 1…\(maxValues)")
        }
        let log: Bool
        switch fields["scale"] ?? .string("linear") {
        case .string("linear"): log = false
        case .string("log"): log = true
        default: throw fail("scale must be \"linear\" or \"log\"")
        }
        if log, !(from > 0 && to > 0) { throw fail("a log range needs from > 0 and to > 0") }
        let numbers = (0..<count).map { i -> Double in
            guard count > 1 else { return from }
            let f = Double(i) / Double(count - 1)
            let x = log ? pow(10, log10(from) + f * (log10(to) - log10(from))) : from + f * (to - from)
            return Double(String(format: "%.\(significantDigits)g", x)) ?? x
        }
        // The key's own type decides: a number key takes them as they are, an integer key
        // (width, seed, steps) rounded; a key that takes names takes no range.
        func takes(_ v: TOMLValue) -> Bool {
            (try? Config.decoding([TOMLEntry(key: key, value: v, line: line)], over: base)) != nil
        }
        if key == Sweep.timeKey || takes(.float(0.5)) { return numbers.map { .float($0) } }
        if takes(.integer(1)) {
            guard abs(from) < 9e18, abs(to) < 9e18 else {
                throw fail(
                    "an integer key's range must lie within ±9e18, got \(TOML.format(.float(from))) to \(TOML.format(.float(to)))"
                )
            }
            let integers = numbers.map { TOMLValue.integer(Int($0.rounded())) }
            if Set(integers.map(TOML.format)).count < integers.count {
                throw fail(
                    "\(count) values from \(TOML.format(.float(from))) to \(TOML.format(.float(to))) repeat once rounded to integers; lower count"
                )
            }
            return integers
        }
        throw fail("a range needs a number key; \(key) \(Config.expectation(key))")
    }
}
