import Foundation

/// The phase diagram as terminal text: a heatmap whose every cell prints its number, shaded by
/// glyphs (░▒▓█, or . : + # in ASCII) so it reads without colour, on a 256-colour background
/// when colour is on; a legend maps each shade to its range. Where the theory puts every cell at
/// one value the shades are centred on it as the SVG's diverging map is: the middle shade holds
/// the prediction, below it and above it read apart (= - · + #, blue to grey to red), over a
/// range symmetric about it. The table view lists the same cells.
extension PhaseDiagram {
    /// Shades from low to high.
    static let unicodeShades: [Character] = ["░", "▒", "▓", "█"]
    static let asciiShades: [Character] = [".", ":", "+", "#"]
    /// Shades centred on the theory's value: below, at, above.
    static let divergingShades: [Character] = ["=", "-", "·", "+", "#"]
    static let asciiDivergingShades: [Character] = ["=", "-", ".", "+", "#"]
    /// xterm-256 colours along viridis (dark violet to yellow), for backgrounds.
    static let terminalColors = [53, 60, 24, 30, 36, 71, 149, 226]
    /// xterm-256 colours from blue through light grey to red (the SVG's RdBu), for backgrounds.
    static let divergingTerminalColors = [25, 68, 153, 253, 217, 209, 160]

    /// A number for a cell: three significant digits.
    public static func format(_ x: Double) -> String { String(format: "%.3g", x) }

    /// An axis value for a figure: four significant digits (the table keeps every digit).
    static func label(_ v: AxisValue) -> String { v.number.map { String(format: "%.4g", $0) } ?? v.label }

    /// Which of `levels` bins a value falls in over the colour range (symmetric about the
    /// theory's value when there is one, so an odd count puts it in the middle bin).
    func level(_ v: Double, levels: Int) -> Int {
        guard let r = colourRange, r.upperBound > r.lowerBound else {
            return theoryCentre == nil ? levels - 1 : levels / 2
        }
        return min(levels - 1, max(0, Int((v - r.lowerBound) / (r.upperBound - r.lowerBound) * Double(levels))))
    }

    public func text(unicode: Bool, color: Bool) -> String {
        let centred = theoryCentre != nil
        let shades =
            centred
            ? (unicode ? Self.divergingShades : Self.asciiDivergingShades)
            : (unicode ? Self.unicodeShades : Self.asciiShades)
        let colours = centred ? Self.divergingTerminalColors : Self.terminalColors
        let levels = color ? colours.count : shades.count
        let labels = cells.map { $0.map { c in c.value.map(Self.format) ?? (c.diverged > 0 ? "div" : "-") } }
        let xLabels = xValues.map(Self.label), yLabels = y == nil ? [""] : yValues.map(Self.label)
        let width = max(labels.joined().map(\.count).max() ?? 1, (xLabels.map(\.count).max() ?? 1) - 4)
        let yWidth = yLabels.map(\.count).max() ?? 0
        let bar = unicode ? "│" : "|", corner = unicode ? "└" : "+", rule: Character = unicode ? "─" : "-"
        let perCell = cells.joined().map(\.runs).max() ?? 0
        var out =
            "\(title)  (x: \(x)\(y.map { ", y: \($0)" } ?? "")\(perCell > 1 ? "; mean of up to \(perCell) runs per cell" : ""))\n"
        if let y { out += y + "\n" }
        // A cell: a space between cells, then the number framed by its shade (or its colour).
        for j in yValues.indices.reversed() {
            out += String(repeating: " ", count: yWidth - yLabels[j].count) + yLabels[j] + " \(bar)"
            for i in xValues.indices {
                let number = " " + String(repeating: " ", count: width - labels[j][i].count) + labels[j][i] + " "
                guard let v = cells[j][i].value else {
                    out += "  " + number + " "
                    continue
                }
                let k = level(v, levels: levels)
                if color {
                    let dark = centred ? abs(k - levels / 2) >= 2 : k < levels / 2
                    let c = colours[k], ink = dark ? 15 : 16
                    out += " \u{1B}[48;5;\(c)m\u{1B}[38;5;\(ink)m " + number + " \u{1B}[0m"
                } else {
                    let g = String(shades[k])
                    out += " " + g + number + g
                }
            }
            out += "\n"
        }
        let cellWidth = width + 5
        out +=
            String(repeating: " ", count: yWidth + 1) + corner
            + String(repeating: rule, count: cellWidth * xValues.count + 1) + "\n"
        out += String(repeating: " ", count: yWidth + 2)
        for label in xLabels {
            let pad = max(0, cellWidth - label.count)
            out += String(repeating: " ", count: pad - pad / 2) + label + String(repeating: " ", count: pad / 2)
        }
        out += "  " + x + "\n"
        out += legend(shades: shades, colours: colours, levels: levels, color: color, unicode: unicode)
        return out
    }

    /// One entry per shade: the glyph (or colour swatch) and the values it stands for; centred
    /// on the theory, a first line says so.
    func legend(shades: [Character], colours: [Int], levels: Int, color: Bool, unicode: Bool) -> String {
        guard let r = colourRange else { return "no values\n" }
        var parts: [String] = []
        for k in 0..<levels {
            let lo = r.lowerBound + (r.upperBound - r.lowerBound) * Double(k) / Double(levels)
            let hi = r.lowerBound + (r.upperBound - r.lowerBound) * Double(k + 1) / Double(levels)
            let swatch = color ? "\u{1B}[48;5;\(colours[k])m  \u{1B}[0m" : String(shades[k])
            parts.append("\(swatch) \(Self.format(lo))\(unicode ? "–" : "..")\(Self.format(hi))")
            if r.upperBound == r.lowerBound { break }
        }
        let centre =
            theoryCentre.map { c in
                let middle = color ? "the middle colour" : "the middle shade \(shades[levels / 2])"
                return "centred on the theory's \(Self.format(c)): \(middle) holds it (a symmetric range)\n"
            } ?? ""
        return centre + "scale: " + parts.joined(separator: "  ") + "\n"
    }

    /// One line per cell: the axis values, the mean ± its spread over the runs (`error`), how
    /// many runs have a value (n), and the theory's value where it predicts one.
    public func table(error: ErrorKind = .sem) -> String {
        let hasTheory = cells.joined().contains { $0.theory != nil } || theoryCentre != nil
        let diverged = cells.joined().contains { $0.diverged > 0 }
        var rows = [
            [x] + (y.map { [$0] } ?? []) + ["\(title) (mean ± \(error.rawValue))", "n"]
                + (hasTheory ? ["theory"] : []) + (diverged ? ["diverged"] : [])
        ]
        for (i, j, c) in filledCells {
            let theory: Double? = c.theory ?? theoryCentre
            let mean: String = c.spread?.formatted(error) ?? (c.diverged > 0 ? "diverged" : "-")
            var row: [String] = [xValues[i].label]
            if y != nil { row.append(yValues[j].label) }
            row += [mean, String(c.values.count)]
            if hasTheory { row.append(theory.map { Spread.significant($0, 4) } ?? "-") }
            if diverged { row.append(String(c.diverged)) }
            rows.append(row)
        }
        return TextTable.aligned(rows)
    }
}
