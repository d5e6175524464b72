/// How a run is named wherever it goes: a key from its whole resolved configuration (the
/// database's primary key, what resuming skips by, its result file's name), and the command-line
/// arguments that reproduce that configuration in a worker on any machine.
extension Config {
    /// Every key with its value in schema order, `key = value` per line (unset keys absent).
    /// Numbers print in their shortest round-trip form, so equal configurations give equal text.
    /// Keys added later appear only when set, and renamed keys keep their first name, so the
    /// keys of earlier runs stay what databases resume by.
    public var canonicalText: String {
        let values = Config.values(self)
        return Config.keys.map { Self.canonicalLine($0, values[$0]) }.joined()
    }

    /// One key's line of `canonicalText`; empty when the key is unset, or a later key at its default.
    static func canonicalLine(_ key: String, _ value: TOMLValue?) -> String {
        // `targets` was 1 until set (a teacher then made 3 outputs): unset keeps that line.
        let value = key == CodingKeys.targets.rawValue && value == nil ? .integer(1) : value
        guard let value, !(laterKeys.contains(key) && value == defaultValues[key]) else { return "" }
        return "\(firstNames[key] ?? key) = \(TOML.format(value))\n"
    }

    static let laterKeys = Set(
        [
            CodingKeys.nesterov, .dampening, .conv, .kernel, .pool, .whiten, .residual, .groups,
            .sharpnessEvery, .sharpnessTop, .sharpnessBatch, .sharpnessTolerance, .lrScale,
        ].map(\.rawValue))
    static let firstNames = Dictionary(uniqueKeysWithValues: aliases.map { ($1, $0) })

    /// 16 hex digits of FNV-1a (64 bits) over `canonicalText`: stable across machines and
    /// versions of Swift, unlike `hashValue`. A sweep of a million runs collides with
    /// probability below 1e-7.
    public var runID: String { Self.runID(canonicalText) }

    static func runID(_ canonicalText: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in canonicalText.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// `--key=value` for every key (`--bias` / `--no-bias` for the flag), so the configuration
    /// does not depend on the defaults of the noether that runs it.
    public var arguments: [String] {
        let values = Config.values(self)
        return Config.keys.compactMap { Self.argument($0, values[$0]) }
    }

    /// One key's entry of `arguments`; nil when the key is unset.
    static func argument(_ key: String, _ value: TOMLValue?) -> String? {
        switch value {
        case .bool(let b)?: b ? "--\(key)" : "--no-\(key)"
        // `--key=` reads as a missing value: an empty text (lr-scale's "none") is its default.
        case .string(let s)? where s.isEmpty: nil
        case .string(let s)?: "--\(key)=\(s)"
        case let v?: "--\(key)=\(TOML.format(v))"
        case nil: nil
        }
    }
}

/// The identity of many configurations that differ from one base only in a few keys (the runs
/// of a sweep): the other keys' lines and arguments are formatted once, each run's own keys per
/// run. Gives exactly the configuration's `canonicalText` and `arguments`.
struct RunIdentityTemplate {
    /// One varying key's value, formatted.
    struct Part {
        var line: String
        var argument: String?

        init(_ key: String, _ value: TOMLValue?) {
            line = Config.canonicalLine(key, value)
            argument = Config.argument(key, value)
        }
    }

    /// Schema-order pieces: the formatted keys between two varying ones, or a varying key's slot.
    private enum Piece {
        case fixed(text: String, arguments: [String])
        case slot(Int)
    }
    private var pieces: [Piece] = []

    /// `varying` are the keys whose parts `identity` takes, in that order.
    init(base: Config, varying: [String]) {
        let values = Config.values(base)
        var text = "", arguments: [String] = []
        for key in Config.keys {
            if let slot = varying.firstIndex(of: key) {
                pieces += [.fixed(text: text, arguments: arguments), .slot(slot)]
                (text, arguments) = ("", [])
            } else {
                text += Config.canonicalLine(key, values[key])
                if let a = Config.argument(key, values[key]) { arguments.append(a) }
            }
        }
        pieces.append(.fixed(text: text, arguments: arguments))
    }

    /// The canonical text and arguments of the base with the varying keys' `parts`.
    func identity(_ parts: [Part]) -> (canonicalText: String, arguments: [String]) {
        var text = "", arguments: [String] = []
        arguments.reserveCapacity(Config.CodingKeys.allCases.count)
        for piece in pieces {
            switch piece {
            case .fixed(let t, let a):
                text += t
                arguments += a
            case .slot(let i):
                text += parts[i].line
                if let a = parts[i].argument { arguments.append(a) }
            }
        }
        return (text, arguments)
    }
}

private let safePunctuation = Set("-_./=:,+@%".utf8)

/// A word the shell passes on unchanged: bare when it holds only safe characters, else in
/// single quotes.
public func shellQuoted(_ word: String) -> String {
    // Byte by byte (a plan quotes millions of words): any byte past ASCII makes the word unsafe.
    let safe = word.utf8.allSatisfy { b in
        (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || (b >= 0x30 && b <= 0x39) || safePunctuation.contains(b)
    }
    return safe && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
