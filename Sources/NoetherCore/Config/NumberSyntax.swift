/// The one way numbers are written on the command line and in CSV files: an optional sign,
/// decimal digits with an optional point, an optional exponent (`0.1`, `-3`, `.5`, `1e-3`,
/// `2.5E+4`). Hexadecimal (`0x10`), `nan`, `inf` and digit separators are not numbers here,
/// although Swift's own `Double(_:)` reads them. (TOML files follow TOML's own number syntax.)
public enum NumberSyntax {
    /// What a number may look like, for messages.
    public static let allowed = "a decimal number (digits, an optional point and exponent: 0.1, 5, 1e-3)"

    /// The number `text` writes, or nil when it is not written in the decimal syntax.
    public static func decimal<S: StringProtocol>(_ text: S) -> Double? {
        var digits = 0, i = text.utf8.startIndex
        let bytes = text.utf8
        func at(_ j: String.UTF8View.Index) -> UInt8? { j < bytes.endIndex ? bytes[j] : nil }
        if let c = at(i), c == UInt8(ascii: "+") || c == UInt8(ascii: "-") { i = bytes.index(after: i) }
        while let c = at(i), c >= 48 && c <= 57 { digits += 1; i = bytes.index(after: i) }
        if at(i) == UInt8(ascii: ".") {
            i = bytes.index(after: i)
            while let c = at(i), c >= 48 && c <= 57 { digits += 1; i = bytes.index(after: i) }
        }
        guard digits > 0 else { return nil }
        if let c = at(i), c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
            i = bytes.index(after: i)
            if let c = at(i), c == UInt8(ascii: "+") || c == UInt8(ascii: "-") { i = bytes.index(after: i) }
            var exponent = 0
            while let c = at(i), c >= 48 && c <= 57 { exponent += 1; i = bytes.index(after: i) }
            guard exponent > 0 else { return nil }
        }
        guard i == bytes.endIndex else { return nil }
        return Double(String(text))
    }

    /// A command-line value as a number, or an error saying what is allowed.
    public static func argument(_ text: String) throws(NumberSyntaxError) -> Double {
        guard let x = decimal(text) else { throw NumberSyntaxError(text: text) }
        return x
    }
}

public struct NumberSyntaxError: Error, CustomStringConvertible, Sendable {
    public var text: String
    public var description: String { "'\(text.prefix(40))' is not \(NumberSyntax.allowed)" }
}
