import TOMLKit

/// The TOML that presets and recordings use, read by TOMLKit (so a file parses here exactly as
/// in every other TOML tool) and handed on as top-level entries and `[[name]]` tables in file
/// order, each with its line, so messages can say where a value is.
public enum TOMLValue: Hashable, Sendable {
    case string(String), integer(Int), float(Double), bool(Bool)
    /// Arrays and inline tables: a sweep's axes are arrays; a teleport is an inline table
    /// (`{ family = "fc1.scale", factor = 2.0 }`), keys to values.
    case array([TOMLValue])
    case table([String: TOMLValue])
    /// A value noether has no use for: a date or time; named by its type.
    case other(String)

    public var typeName: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a number"
        case .bool: "a boolean"
        case .array: "a TOML array"
        case .table: "a TOML table"
        case .other(let type): "a TOML \(type)"
        }
    }

    /// The value as a Double when it is a number (integer or float).
    public var number: Double? {
        switch self {
        case .integer(let n): Double(n)
        case .float(let x): x
        default: nil
        }
    }
}

public struct TOMLEntry: Equatable, Sendable {
    public var key: String
    public var value: TOMLValue
    /// 1-based line in the file; 0 for entries that come from the command line.
    public var line: Int
    public init(key: String, value: TOMLValue, line: Int) {
        self.key = key
        self.value = value
        self.line = line
    }
}

/// Top-level entries, the entries of each `[[name]]` table, and those of each plain `[name]`
/// table the caller accepts, in file order.
public struct TOMLDocument: Sendable {
    public var top: [TOMLEntry] = []
    public var tables: [(name: String, line: Int, entries: [TOMLEntry])] = []
    public var sections: [(name: String, line: Int, entries: [TOMLEntry])] = []
}

public struct TOMLError: Error, Equatable, Sendable {
    public var line: Int
    public var message: String
}

public enum TOML {
    /// `plainTables`: the names of `[name]` tables the caller reads (a sweep's `[axes]`); any
    /// other plain table is refused.
    public static func parse(_ text: String, plainTables: Set<String> = []) throws(TOMLError) -> TOMLDocument {
        if let problem = headerWithoutKey(text) { throw problem }
        let root: TOMLTable
        do { root = try TOMLTable(string: text) } catch let error as TOMLParseError {
            throw TOMLError(line: error.source.begin.line,
                            message: "column \(error.source.begin.column): \(excerpt(error.description, limit: 160))")
        } catch {
            throw TOMLError(line: 1, message: "\(error)")
        }
        // TOMLKit keeps each array's order but not the order between differently named arrays,
        // nor lines: both come from the text, which TOMLKit has just validated.
        // Any line ending counts ("\r\n" is one Character in Swift, so splitting on "\n" misses it).
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        let sections = Section.scan(lines)
        var doc = TOMLDocument()
        var arrays: [String: [TOMLTable]] = [:]
        for (key, value) in root {
            if let table = value.table {
                let section = sections.first { $0.name == key }
                guard let section, plainTables.contains(key) else {
                    let allowed = plainTables.sorted().map { "[\($0)]" }.joined(separator: ", ")
                    throw TOMLError(line: section?.line ?? 1,
                                    message: "unsupported table [\(key)] with \(table.count) keys; only \(allowed.isEmpty ? "" : allowed + " and ")[[name]] tables are used")
                }
                let entries = table.map { k, v in TOMLEntry(key: k, value: convert(v), line: section.line(of: k, in: lines)) }
                doc.sections.append((key, section.line, entries.sorted { $0.line < $1.line }))
                continue
            }
            if let array = value.array, !array.isEmpty, array.allSatisfy({ $0.table != nil }) {
                arrays[key] = array.map { $0.table! }
                continue
            }
            doc.top.append(TOMLEntry(key: key, value: convert(value), line: sections[0].line(of: key, in: lines)))
        }
        doc.top.sort { $0.line < $1.line }
        var used: [String: Int] = [:]
        for section in sections.dropFirst() {
            let index = used[section.name, default: 0]
            used[section.name] = index + 1
            guard let tables = arrays[section.name], index < tables.count else { continue }
            let entries = tables[index].map { key, value in
                TOMLEntry(key: key, value: convert(value), line: section.line(of: key, in: lines))
            }.sorted { $0.line < $1.line }
            doc.tables.append((section.name, section.line, entries))
        }
        // Arrays of tables written inline (`at = [{ step = 1 }]`) have no header: keep them, at their key's line.
        for (name, tables) in arrays.sorted(by: { $0.key < $1.key }) where used[name, default: 0] < tables.count {
            let line = sections[0].line(of: name, in: lines)
            for table in tables.dropFirst(used[name, default: 0]) {
                doc.tables.append((name, line, table.map { TOMLEntry(key: $0, value: convert($1), line: line) }))
            }
        }
        return doc
    }

    /// A number written in hexadecimal, octal or binary (refused, as on the command line), or
    /// a table header whose first character cannot start a key (`[+x]`, `[[.a]]`, `[=]`): TOMLKit's
    /// parser stops the process on an assertion there instead of reporting it, so it is refused
    /// first. Headers are only looked for where one can be: at a line's start, outside strings,
    /// arrays and inline tables.
    static func headerWithoutKey(_ text: String) -> TOMLError? {
        var depth = 0
        var string: [Character]? = nil  // the delimiter of the string being read
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let chars = Array(line)
            var i = 0
            if string == nil, depth == 0 {
                let start = chars.firstIndex { $0 != " " && $0 != "\t" } ?? chars.count
                if start < chars.count, chars[start] == "[" {
                    var k = start + 1
                    if k < chars.count, chars[k] == "[" { k += 1 }
                    while k < chars.count, chars[k] == " " || chars[k] == "\t" { k += 1 }
                    let c = k < chars.count ? chars[k] : "\n"
                    guard c.isASCII && (c.isLetter || c.isNumber) || "_-\"']".contains(c) else {
                        return TOMLError(line: index + 1, message: "column \(k + 1): a table header needs a key, got '\(c == "\n" ? "end of line" : String(c))'")
                    }
                    continue  // a header is one line
                }
            }
            while i < chars.count {
                let c = chars[i]
                if let delimiter = string {
                    if c == "\\", delimiter.first == "\"" { i += 2; continue }
                    if Array(chars[i..<min(chars.count, i + delimiter.count)]) == delimiter {
                        string = nil
                        i += delimiter.count
                        continue
                    }
                    i += 1
                    continue
                }
                // TOML's 0x, 0o and 0b integers: numbers here are decimal (NumberSyntax), in files too.
                if c == "0", i + 1 < chars.count, "xob".contains(chars[i + 1]),
                   let before = chars[..<i].last(where: { $0 != " " && $0 != "\t" }), "=[,{+-".contains(before)
                {
                    let token = String(chars[i...].prefix { $0.isLetter || $0.isNumber || $0 == "_" })
                    return TOMLError(line: index + 1, message: "column \(i + 1): \(excerpt(token, limit: 20)) is not a decimal number; numbers are written in decimal (digits, an optional point and exponent)")
                }
                switch c {
                case "#": i = chars.count
                case "\"", "'":
                    let triple = i + 2 < chars.count && chars[i + 1] == c && chars[i + 2] == c
                    string = triple ? [c, c, c] : [c]
                    i += triple ? 3 : 1
                    continue
                case "[", "{": depth += 1
                case "]", "}": depth = max(0, depth - 1)
                default: break
                }
                i += 1
            }
            if string?.count == 1 { string = nil }  // a one-line string ends with its line
        }
        return nil
    }

    static func convert(_ value: TOMLValueConvertible) -> TOMLValue {
        switch value.type {
        case .string: .string(value.string ?? "")
        case .int: .integer(value.int ?? 0)
        case .double: .float(value.double ?? .nan)
        case .bool: .bool(value.bool ?? false)
        case .array: .array(value.array.map { $0.map(convert) } ?? [])
        case .table: .table(value.table.map { Dictionary(uniqueKeysWithValues: $0.map { ($0, convert($1)) }) } ?? [:])
        default: .other(value.type.description)
        }
    }

    /// A part of the file: the top level, or one `[[name]]` table from its header to the next.
    struct Section {
        var name: String
        var line: Int
        var range: Range<Int>

        static func scan(_ lines: [Substring]) -> [Section] {
            var sections = [Section(name: "", line: 1, range: 0..<lines.count)]
            for (i, raw) in lines.enumerated() {
                let line = raw.drop { $0 == " " || $0 == "\t" }
                guard line.hasPrefix("["), let close = line.firstIndex(of: "]") else { continue }
                let header = line.hasPrefix("[[") ? line.dropFirst(2).prefix { $0 != "]" } : line.dropFirst().prefix(upTo: close)
                let name = header.trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'"))
                sections[sections.count - 1].range = sections[sections.count - 1].range.lowerBound..<i
                sections.append(Section(name: name, line: i + 1, range: (i + 1)..<lines.count))
            }
            return sections
        }

        /// The line where `key` is assigned in this section (its header's line if not found).
        func line(of key: String, in lines: [Substring]) -> Int {
            for i in range {
                let text = lines[i].drop { $0 == " " || $0 == "\t" }
                for candidate in [key, "\"\(key)\"", "'\(key)'"] where text.hasPrefix(candidate) {
                    let rest = text.dropFirst(candidate.count).drop { $0 == " " || $0 == "\t" }
                    if rest.hasPrefix("=") { return i + 1 }
                }
            }
            return line
        }
    }

    /// At most a short excerpt of a file's text, for messages (a line can be megabytes long).
    public static func excerpt(_ text: String, limit: Int = 60) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }

    /// A value written so that `parse` reads it back exactly.
    public static func format(_ v: TOMLValue) -> String {
        switch v {
        case .string(let s):
            var out = "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\t": out += "\\t"
                case "\r": out += "\\r"
                default:
                    if scalar.value < 0x20 || scalar.value == 0x7F {
                        let hex = String(scalar.value, radix: 16, uppercase: true)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
            return out + "\""
        case .integer(let n): return "\(n)"
        case .float(let x):
            let s = "\(x)"
            return s.contains(".") || s.contains("e") || s.contains("inf") || s.contains("nan") ? s : s + ".0"
        case .bool(let b): return b ? "true" : "false"
        case .array(let items): return "[" + items.map(format).joined(separator: ", ") + "]"
        case .table(let entries):
            // Keys in sorted order, quoted unless bare (letters, digits, '-' and '_').
            let bare = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
            return "{ " + entries.sorted { $0.key < $1.key }.map { key, value in
                (!key.isEmpty && key.allSatisfy(bare.contains) ? key : format(.string(key))) + " = " + format(value)
            }.joined(separator: ", ") + " }"
        case .other(let type): return "\"<\(type)>\""
        }
    }
}

import Foundation
