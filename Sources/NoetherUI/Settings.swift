import Foundation
import NoetherCore

/// The explorer's settings file, `$XDG_CONFIG_HOME/noether/config.toml` (by default
/// `~/.config/noether/config.toml`): theme, glyphs, default pace and lecture mode. Every key is
/// optional; command-line flags override the file.
public struct Settings: Equatable, Sendable {
    public var theme: Theme?
    public var glyphs: DotStyle?
    /// Steps per second; 0 is `max`.
    public var speed: Int?
    public var lecture: Bool?

    public init(theme: Theme? = nil, glyphs: DotStyle? = nil, speed: Int? = nil, lecture: Bool? = nil) {
        self.theme = theme
        self.glyphs = glyphs
        self.speed = speed
        self.lecture = lecture
    }

    /// What each key allows, as messages name it.
    public static let allowed: KeyValuePairs<String, String> = [
        "theme": Theme.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "),
        "glyphs": DotStyle.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "),
        "speed": "steps per second 1…1000000, or \"max\"",
        "lecture": "true or false",
    ]

    /// The file's path: under $XDG_CONFIG_HOME when it is set (and absolute), else under ~/.config.
    public static func path(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/noether/config.toml" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.config/noether/config.toml"
    }

    /// The settings in the file at `path`; none when there is no file.
    public static func load(_ path: String) throws(SettingsError) -> Settings {
        guard FileManager.default.fileExists(atPath: path) else { return Settings() }
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw SettingsError(file: path, line: 0, message: "cannot be read as UTF-8 text")
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws(SettingsError) -> Settings {
        let doc: TOMLDocument
        do { doc = try TOML.parse(text) } catch { throw SettingsError(file: file, line: error.line, message: error.message) }
        if let table = doc.tables.first {
            throw SettingsError(file: file, line: table.line, message: "[[\(table.name)]]: tables are not settings; "
                + "the keys are " + allowed.map(\.key).joined(separator: ", "))
        }
        var s = Settings()
        for entry in doc.top {
            func refuse() -> SettingsError {
                guard let rule = allowed.first(where: { $0.key == entry.key })?.value else {
                    return SettingsError(file: file, line: entry.line, message: "unknown key '\(entry.key)'; the keys are "
                        + allowed.map(\.key).joined(separator: ", "))
                }
                return SettingsError(file: file, line: entry.line, message: "\(entry.key) = \(describe(entry.value)): allowed \(rule)")
            }
            switch (entry.key, entry.value) {
            case ("theme", .string(let v)):
                guard let t = Theme(rawValue: v) else { throw refuse() }
                s.theme = t
            case ("glyphs", .string(let v)):
                guard let g = DotStyle(rawValue: v) else { throw refuse() }
                s.glyphs = g
            case ("speed", .string("max")): s.speed = 0
            case ("speed", .integer(let n)):
                guard (1...1_000_000).contains(n) else { throw refuse() }
                s.speed = n
            case ("lecture", .bool(let b)): s.lecture = b
            default: throw refuse()
            }
        }
        return s
    }

    static func describe(_ v: TOMLValue) -> String {
        switch v {
        case .string(let s): "\"\(s)\""
        case .integer(let n): "\(n)"
        case .float(let x): "\(x)"
        case .bool(let b): "\(b)"
        default: v.typeName
        }
    }
}

/// A settings file refused: which file, which line, which key, and what is allowed.
public struct SettingsError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String
    public var description: String { file + (line > 0 ? ":\(line)" : "") + ": " + message }
}
