import Foundation

/// A frame as files: an SVG image (cells, colours and glyphs as shown, in the theme's colours)
/// and a plain-text copy, so a screen becomes a slide in one key.
public enum ScreenExport {
    static let cellWidth = 8.4, cellHeight = 17.0, fontSize = 14.0

    /// The frame's lines as `tmux capture-pane` shows them, one per row.
    public static func text(_ b: Buffer) -> String { b.lines.joined(separator: "\n") + "\n" }

    /// The frame as SVG: one text element per row, split into runs of one style; reversed cells
    /// get their background as a rectangle.
    public static func svg(_ b: Buffer, theme: Theme, color: Bool) -> String {
        let w = Double(b.width) * cellWidth, h = Double(b.height) * cellHeight
        let background = theme.backgroundHex
        func fill(_ s: Style) -> String { theme.hex(color ? s.color : .normal) }
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(f(w))" height="\(f(h))" viewBox="0 0 \(f(w)) \(f(h))">
            <rect width="100%" height="100%" fill="\(background)"/>
            <g font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="\(f(fontSize))" xml:space="preserve">

            """
        for y in 0..<b.height {
            var runs: [(x: Int, style: Style, text: String)] = []
            for x in 0..<b.width {
                var cell = b[x, y]
                if let pattern = brailleDots(cell.char) {
                    // Braille as its dots, not as a font's glyph (fonts draw it sparse or not at all).
                    out += dots(pattern, x: x, y: y, fill: fill(cell.style), dim: cell.style.dim && theme.dims)
                    cell.char = " "
                }
                if let last = runs.last, last.style == cell.style, last.x + last.text.count == x {
                    runs[runs.count - 1].text.append(cell.char)
                } else {
                    runs.append((x, cell.style, String(cell.char)))
                }
            }
            let baseline = Double(y) * cellHeight + cellHeight * 0.78
            var spans = ""
            for run in runs {
                if run.style.reverse {
                    out +=
                        "<rect x=\"\(f(Double(run.x) * cellWidth))\" y=\"\(f(Double(y) * cellHeight))\" "
                        + "width=\"\(f(Double(run.text.count) * cellWidth))\" height=\"\(f(cellHeight))\" fill=\"\(fill(run.style))\"/>\n"
                }
                guard run.text.contains(where: { $0 != " " }) else { continue }
                var attributes =
                    "x=\"\(f(Double(run.x) * cellWidth))\" fill=\"\(run.style.reverse ? background : fill(run.style))\""
                if run.style.bold { attributes += " font-weight=\"bold\"" }
                if run.style.dim, theme.dims { attributes += " opacity=\"0.55\"" }
                spans += "<tspan \(attributes)>\(escape(run.text))</tspan>"
            }
            if !spans.isEmpty { out += "<text y=\"\(f(baseline))\">\(spans)</text>\n" }
        }
        return out + "</g>\n</svg>\n"
    }

    /// The raised dots of a braille character as (column 0–1, row 0–3), or nil for any other character.
    static func brailleDots(_ c: Character) -> [(Int, Int)]? {
        guard let v = c.unicodeScalars.first?.value, c.unicodeScalars.count == 1, v >= 0x2800, v <= 0x28FF else {
            return nil
        }
        let bits = UInt8(v - 0x2800)
        var out: [(Int, Int)] = []
        for column in 0..<2 {
            for row in 0..<4 where bits & Canvas.brailleBits[column][row] != 0 { out.append((column, row)) }
        }
        return out
    }

    /// A braille cell's dots as circles on a 2×4 grid filling the cell: neighbouring dots touch, so
    /// a curve reads as a line, as it does on the terminal.
    static func dots(_ pattern: [(Int, Int)], x: Int, y: Int, fill: String, dim: Bool) -> String {
        guard !pattern.isEmpty else { return "" }
        let dx = cellWidth / 2, dy = cellHeight / 4, radius = min(dx, dy) / 2 + 0.1
        var out = "<g fill=\"\(fill)\"\(dim ? " opacity=\"0.55\"" : "")>"
        for (column, row) in pattern {
            let cx = Double(x) * cellWidth + (Double(column) + 0.5) * dx
            let cy = Double(y) * cellHeight + (Double(row) + 0.5) * dy
            out += "<circle cx=\"\(f(cx))\" cy=\"\(f(cy))\" r=\"\(f(radius))\"/>"
        }
        return out + "</g>\n"
    }

    static func f(_ v: Double) -> String { String(format: "%.1f", v) }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// `noether-screen-20261206-093015`: the file stem for a frame saved now (UTC).
    public static func stem(_ date: Date) -> String { "noether-screen-" + timestamp(date) }

    /// `20261206-093015`: the date and time (UTC) in the names of saved files.
    public static func timestamp(_ date: Date) -> String {
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = TimeZone(identifier: "UTC")
        format.dateFormat = "yyyyMMdd-HHmmss"
        return format.string(from: date)
    }

    /// Writes `<stem>.svg` and `<stem>.txt` into `directory`, never over an existing file (a second
    /// save in the same second gets `-2`, `-3`, …). Returns the two file names.
    public static func save(_ b: Buffer, theme: Theme, color: Bool, in directory: URL, at date: Date = Date()) throws
        -> (svg: String, text: String)
    {
        let base = stem(date)
        var n = 1
        while true {
            let name = n == 1 ? base : "\(base)-\(n)"
            let svgURL = directory.appendingPathComponent(name + ".svg"),
                textURL = directory.appendingPathComponent(name + ".txt")
            let manager = FileManager.default
            if manager.fileExists(atPath: svgURL.path) || manager.fileExists(atPath: textURL.path) { n += 1; continue }
            // withoutOverwriting: a file that appeared meanwhile is never replaced.
            try Data(svg(b, theme: theme, color: color).utf8).write(to: svgURL, options: .withoutOverwriting)
            try Data(text(b).utf8).write(to: textURL, options: .withoutOverwriting)
            return (svgURL.lastPathComponent, textURL.lastPathComponent)
        }
    }
}
