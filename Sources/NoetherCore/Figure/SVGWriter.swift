import Foundation

/// Pieces every SVG figure shares: the document head (SVG 1.1, fonts every system has), text
/// escaping, numbers for coordinates, a colour palette readable by colour-blind readers (Okabe
/// and Ito), and a rough text width so labels can be placed without overlapping.
enum SVGWriter {
    /// DejaVu Sans ships with most Linux systems and has every symbol the labels use (η, λ, √,
    /// Q⁽⁰⁾, Γ); Helvetica and Arial stand in elsewhere, and sans-serif anywhere.
    static let fonts = "DejaVu Sans, Helvetica, Arial, sans-serif"

    static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]

    static func colour(_ i: Int) -> String { palette[((i % palette.count) + palette.count) % palette.count] }

    static func head(width: Double, height: Double) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="no"?>
        <svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="\(n(width))" height="\(n(height))" \
        viewBox="0 0 \(n(width)) \(n(height))" font-family="\(fonts)" font-size="13">
        <rect width="\(n(width))" height="\(n(height))" fill="white"/>

        """
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func n(_ x: Double) -> String { String(format: "%.1f", x) }

    /// About how wide `s` is at `size` px in a sans-serif face.
    static func width(_ s: String, size: Double = 13) -> Double { Double(s.count) * size * 0.6 }

    /// `s` cut into lines of at most `width` px at `size`, at spaces.
    static func wrap(_ s: String, width: Double, size: Double = 13) -> [String] {
        var lines: [String] = [], current = ""
        for word in s.split(separator: " ") {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if Self.width(candidate, size: size) > width, !current.isEmpty {
                lines.append(current)
                current = String(word)
            } else {
                current = candidate
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    static func text(_ s: String, x: Double, y: Double, anchor: String = "start", size: Double? = nil,
                     bold: Bool = false, fill: String? = nil, extra: String = "") -> String {
        var attributes = "x=\"\(n(x))\" y=\"\(n(y))\""
        if anchor != "start" { attributes += " text-anchor=\"\(anchor)\"" }
        if let size { attributes += " font-size=\"\(n(size))\"" }
        if bold { attributes += " font-weight=\"bold\"" }
        if let fill { attributes += " fill=\"\(fill)\"" }
        if !extra.isEmpty { attributes += " " + extra }
        return "<text \(attributes)>\(escape(s))</text>\n"
    }
}
