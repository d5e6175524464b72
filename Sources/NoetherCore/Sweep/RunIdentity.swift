/// How a run is named wherever it goes: a key from its whole resolved configuration (the
/// database's primary key, what resuming skips by, its result file's name), and the command-line
/// arguments that reproduce that configuration in a worker on any machine.
extension Config {
    /// Every key with its value in schema order, `key = value` per line (unset keys absent).
    /// Numbers print in their shortest round-trip form, so equal configurations give equal text.
    /// Keys added later appear only when set, and renamed keys keep their first name, so the
    /// keys of earlier runs stay what databases resume by.
    public var canonicalText: String {
        let values = Config.values(self), defaults = Config.defaultValues
        return Config.keys.compactMap { key in
            guard let v = values[key], !(Self.laterKeys.contains(key) && v == defaults[key]) else { return nil }
            return "\(Self.firstNames[key] ?? key) = \(TOML.format(v))\n"
        }.joined()
    }

    static let laterKeys = Set([CodingKeys.nesterov, .dampening, .conv, .kernel, .pool, .whiten].map(\.rawValue))
    static let firstNames = Dictionary(uniqueKeysWithValues: aliases.map { ($1, $0) })

    /// 16 hex digits of FNV-1a (64 bits) over `canonicalText`: stable across machines and
    /// versions of Swift, unlike `hashValue`. A sweep of a million runs collides with
    /// probability below 1e-7.
    public var runID: String {
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
        return Config.keys.compactMap { key in
            switch values[key] {
            case .bool(let b)?: b ? "--\(key)" : "--no-\(key)"
            case .string(let s)?: "--\(key)=\(s)"
            case let v?: "--\(key)=\(TOML.format(v))"
            case nil: nil
            }
        }
    }
}

/// A word the shell passes on unchanged: bare when it holds only safe characters, else in
/// single quotes.
public func shellQuoted(_ word: String) -> String {
    let safe = word.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_./=:,+@%".contains($0)) }
    return safe && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
