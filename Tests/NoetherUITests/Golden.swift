import Foundation
import Testing
@testable import NoetherUI

/// Whole frames compared line by line against text files in Goldens/. With
/// NOETHER_UPDATE_GOLDENS=1 the files are written instead (review them in the diff).
/// A golden holds the characters; `styles: true` adds one line per row of style codes
/// (colour letter, upper case when bold, `~` for dimmed), so colour and emphasis are checked too.
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")
    static var updating: Bool { ProcessInfo.processInfo.environment["NOETHER_UPDATE_GOLDENS"] == "1" }

    static func text(_ b: Buffer, styles: Bool) -> String {
        var out = b.lines.joined(separator: "\n") + "\n"
        guard styles else { return out }
        out += "--- styles: colour letter (upper case bold), ~ dimmed, . plain ---\n"
        for y in 0..<b.height {
            var row = ""
            for x in 0..<b.width {
                let s = b[x, y].style
                if s.dim { row += "~"; continue }
                let letter: Character = switch s.color {
                case .normal: "n"
                case .blue: "b"
                case .orange: "o"
                case .sky: "s"
                case .vermillion: "v"
                case .green: "g"
                case .purple: "p"
                case .yellow: "y"
                case .gray: "a"
                }
                row.append(s == .plain ? "." : s.bold ? Character(letter.uppercased()) : letter)
            }
            out += row + "\n"
        }
        return out
    }

    /// Compares `b` with Goldens/`name`.txt, naming the first line that differs.
    static func check(_ b: Buffer, _ name: String, styles: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = directory.appendingPathComponent(name + ".txt")
        let actual = text(b, styles: styles)
        if updating {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try? actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("no golden \(name).txt: run with NOETHER_UPDATE_GOLDENS=1 and review it", sourceLocation: sourceLocation)
            return
        }
        guard expected != actual else { return }
        let e = expected.components(separatedBy: "\n"), a = actual.components(separatedBy: "\n")
        let i = Array(zip(e, a)).firstIndex { $0.0 != $0.1 } ?? min(e.count, a.count)
        Issue.record("""
            frame differs from \(name).txt at line \(i + 1):
            expected: \(i < e.count ? e[i] : "(end)")
            actual:   \(i < a.count ? a[i] : "(end)")
            """, sourceLocation: sourceLocation)
    }

    /// A chart alone in a buffer of its size.
    static func chart(_ chart: Chart, width: Int, height: Int, unicode: Bool = true, expanded: Bool = false) -> Buffer {
        var b = Buffer(width: width, height: height)
        chart.render(into: &b, Rect(x: 0, y: 0, width: width, height: height), focused: false, expanded: expanded,
                     glyphs: Glyphs(unicode: unicode))
        return unicode ? b : Screen.asciiOnly(b)
    }
}
