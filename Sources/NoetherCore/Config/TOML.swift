/// The small part of TOML that presets and recordings use: `key = value` lines, `[[at]]`
/// array-of-table headers, comments, basic and multi-line strings, integers, floats and
/// booleans. Errors name the line, so a user can fix the file.
public enum TOMLValue: Equatable, Sendable {
    case string(String), integer(Int), float(Double), bool(Bool)

    public var typeName: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a number"
        case .bool: "a boolean"
        }
    }
}

public struct TOMLEntry: Equatable, Sendable {
    public var key: String
    public var value: TOMLValue
    public var line: Int
}

/// Top-level entries and the entries of each `[[name]]` table, in file order.
public struct TOMLDocument: Sendable {
    public var top: [TOMLEntry] = []
    public var tables: [(name: String, line: Int, entries: [TOMLEntry])] = []
}

public struct TOMLError: Error, Equatable, Sendable {
    public var line: Int
    public var message: String
}

public enum TOML {
    public static func parse(_ text: String) throws(TOMLError) -> TOMLDocument {
        var doc = TOMLDocument()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var i = 0
        var inTable = false
        var seen: Set<String> = []
        while i < lines.count {
            let number = i + 1
            let line = stripComment(lines[i]).trimmingSpaces()
            i += 1
            if line.isEmpty { continue }
            if line.hasPrefix("[[") {
                guard line.hasSuffix("]]"), line.count > 4 else {
                    throw TOMLError(line: number, message: "malformed table header '\(line)'; expected [[name]]")
                }
                let name = String(line.dropFirst(2).dropLast(2)).trimmingSpaces()
                doc.tables.append((name, number, []))
                inTable = true
                seen = []
                continue
            }
            if line.hasPrefix("[") {
                throw TOMLError(line: number, message: "unsupported table '\(line)'; only [[at]] tables are allowed")
            }
            guard let eq = line.firstIndex(of: "=") else {
                throw TOMLError(line: number, message: "expected 'key = value', found '\(line)'")
            }
            var key = String(line[..<eq]).trimmingSpaces()
            if key.hasPrefix("\""), key.hasSuffix("\""), key.count >= 2 { key = String(key.dropFirst().dropLast()) }
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw TOMLError(line: number, message: "invalid key '\(key)'")
            }
            guard !seen.contains(key) else { throw TOMLError(line: number, message: "duplicate key '\(key)'") }
            seen.insert(key)
            var rest = String(line[line.index(after: eq)...]).trimmingSpaces()
            let value: TOMLValue
            if rest.hasPrefix("\"\"\"") {
                // Multi-line basic string: runs to the closing """.
                rest.removeFirst(3)
                var parts: [String] = []
                var current = rest
                while true {
                    if let end = current.range(of: "\"\"\"") {
                        parts.append(String(current[..<end.lowerBound]))
                        break
                    }
                    parts.append(current)
                    guard i < lines.count else {
                        throw TOMLError(line: number, message: "unterminated multi-line string")
                    }
                    current = lines[i]
                    i += 1
                }
                if parts.first == "" { parts.removeFirst() }
                value = .string(try unescape(parts.joined(separator: "\n"), line: number))
            } else {
                value = try scalar(rest, line: number)
            }
            let entry = TOMLEntry(key: key, value: value, line: number)
            if inTable { doc.tables[doc.tables.count - 1].entries.append(entry) } else { doc.top.append(entry) }
        }
        return doc
    }

    private static func stripComment(_ line: String) -> String {
        var inString = false
        var previous: Character = " "
        for (offset, ch) in line.enumerated() {
            if ch == "\"" && previous != "\\" { inString.toggle() }
            if ch == "#" && !inString { return String(line.prefix(offset)) }
            previous = ch
        }
        return line
    }

    private static func scalar(_ text: String, line: Int) throws(TOMLError) -> TOMLValue {
        if text.hasPrefix("\"") {
            guard text.count >= 2, text.hasSuffix("\""), !text.dropFirst().dropLast().hasSuffix("\\") || text.hasSuffix("\\\\\"") else {
                throw TOMLError(line: line, message: "unterminated string \(text)")
            }
            return .string(try unescape(String(text.dropFirst().dropLast()), line: line))
        }
        if text == "true" { return .bool(true) }
        if text == "false" { return .bool(false) }
        let digits = text.replacingOccurrences(of: "_", with: "")
        if let n = Int(digits) { return .integer(n) }
        if let x = Double(digits), x.isFinite, digits.first.map({ $0.isNumber || $0 == "-" || $0 == "+" || $0 == "." }) == true {
            return .float(x)
        }
        if text.isEmpty { throw TOMLError(line: line, message: "missing value") }
        throw TOMLError(line: line, message: "cannot read value '\(text)': expected a number, true/false or a \"string\"")
    }

    private static func unescape(_ s: String, line: Int) throws(TOMLError) -> String {
        var out = ""
        var escaping = false
        var trimming = false  // after a line-ending backslash: skip whitespace and newlines
        for ch in s {
            if trimming {
                if ch == " " || ch == "\t" || ch == "\n" || ch == "\r" { continue }
                trimming = false
            }
            if escaping {
                switch ch {
                case "\n", " ", "\t", "\r": trimming = true
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "\"": out.append("\"")
                case "\\": out.append("\\")
                default: throw TOMLError(line: line, message: "unknown escape '\\\(ch)' in string")
                }
                escaping = false
            } else if ch == "\\" {
                escaping = true
            } else {
                out.append(ch)
            }
        }
        return out
    }

    /// A value written so that `parse` reads it back exactly.
    public static func format(_ v: TOMLValue) -> String {
        switch v {
        case .string(let s):
            return "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n") + "\""
        case .integer(let n): return "\(n)"
        case .float(let x):
            let s = "\(x)"
            return s.contains(".") || s.contains("e") || s.contains("inf") || s.contains("nan") ? s : s + ".0"
        case .bool(let b): return b ? "true" : "false"
        }
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
        return String(s)
    }
}

import Foundation
