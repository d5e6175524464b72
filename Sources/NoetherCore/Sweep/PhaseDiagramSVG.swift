import Foundation

/// The phase diagram as an SVG figure for a paper or slides: the same cells and numbers as the
/// terminal view, coloured along viridis (readable in grey and by colour-blind readers), with
/// axis labels and a colour bar.
extension PhaseDiagram {
    /// Viridis at eight even stops, as RGB.
    static let viridis: [(Double, Double, Double)] = [
        (68, 1, 84), (70, 50, 126), (54, 92, 141), (39, 127, 142),
        (31, 161, 135), (74, 193, 109), (160, 218, 57), (253, 231, 37),
    ]

    /// The colour of fraction f ∈ [0, 1] of the scale, interpolated between stops.
    static func color(_ f: Double) -> (Double, Double, Double) {
        let t = min(1, max(0, f)) * Double(viridis.count - 1)
        let i = min(Int(t), viridis.count - 2), u = t - Double(i)
        let (a, b) = (viridis[i], viridis[i + 1])
        return (a.0 + u * (b.0 - a.0), a.1 + u * (b.1 - a.1), a.2 + u * (b.2 - a.2))
    }

    static func hex(_ c: (Double, Double, Double)) -> String {
        String(format: "#%02x%02x%02x", Int(c.0.rounded()), Int(c.1.rounded()), Int(c.2.rounded()))
    }

    func fraction(_ v: Double) -> Double {
        guard let r = range, r.upperBound > r.lowerBound else { return 0.5 }
        return (v - r.lowerBound) / (r.upperBound - r.lowerBound)
    }

    public func svg() -> String {
        let cw = 76.0, ch = 40.0, left = 110.0, top = 50.0, barGap = 24.0, barWidth = 16.0
        let nx = Double(xValues.count), ny = Double(yValues.count)
        let width = left + nx * cw + barGap + barWidth + 80, height = top + ny * ch + 70
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;")
        }
        func n(_ x: Double) -> String { String(format: "%.1f", x) }
        var s = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(n(width))" height="\(n(height))" viewBox="0 0 \(n(width)) \(n(height))" font-family="Helvetica, Arial, sans-serif" font-size="13">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(n(left))" y="24" font-size="15" font-weight="bold">\(esc(title))</text>

            """
        for (j, yv) in yValues.enumerated() {
            let py = top + (ny - 1 - Double(j)) * ch
            if y != nil {
                s += "<text x=\"\(n(left - 8))\" y=\"\(n(py + ch / 2 + 4))\" text-anchor=\"end\">\(esc(Self.label(yv)))</text>\n"
            }
            for (i, _) in xValues.enumerated() {
                let px = left + Double(i) * cw, cell = cells[j][i]
                guard let v = cell.value else {
                    s += "<rect x=\"\(n(px))\" y=\"\(n(py))\" width=\"\(n(cw))\" height=\"\(n(ch))\" fill=\"#eeeeee\" stroke=\"white\"/>\n"
                    let label = cell.diverged > 0 ? "diverged" : "–"
                    s += "<text x=\"\(n(px + cw / 2))\" y=\"\(n(py + ch / 2 + 4))\" text-anchor=\"middle\" fill=\"#555555\">\(label)</text>\n"
                    continue
                }
                let f = fraction(v)
                s += "<rect x=\"\(n(px))\" y=\"\(n(py))\" width=\"\(n(cw))\" height=\"\(n(ch))\" fill=\"\(Self.hex(Self.color(f)))\" stroke=\"white\"/>\n"
                s += "<text x=\"\(n(px + cw / 2))\" y=\"\(n(py + ch / 2 + 4))\" text-anchor=\"middle\" fill=\"\(f < 0.55 ? "white" : "black")\">\(Self.format(v))</text>\n"
            }
        }
        let bottom = top + ny * ch
        for (i, xv) in xValues.enumerated() {
            s += "<text x=\"\(n(left + (Double(i) + 0.5) * cw))\" y=\"\(n(bottom + 18))\" text-anchor=\"middle\">\(esc(Self.label(xv)))</text>\n"
        }
        s += "<text x=\"\(n(left + nx * cw / 2))\" y=\"\(n(bottom + 42))\" text-anchor=\"middle\" font-weight=\"bold\">\(esc(x))</text>\n"
        if let y {
            s += "<text x=\"20\" y=\"\(n(top + ny * ch / 2))\" text-anchor=\"middle\" font-weight=\"bold\" transform=\"rotate(-90 20 \(n(top + ny * ch / 2)))\">\(esc(y))</text>\n"
        }
        // The colour bar: a vertical gradient with five labelled values.
        let bx = left + nx * cw + barGap, barHeight = ny * ch
        s += "<defs><linearGradient id=\"scale\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">"
        for (k, c) in Self.viridis.enumerated() {
            s += "<stop offset=\"\(n(Double(k) * 100 / Double(Self.viridis.count - 1)))%\" stop-color=\"\(Self.hex(c))\"/>"
        }
        s += "</linearGradient></defs>\n"
        s += "<rect x=\"\(n(bx))\" y=\"\(n(top))\" width=\"\(n(barWidth))\" height=\"\(n(barHeight))\" fill=\"url(#scale)\"/>\n"
        if let r = range {
            for k in 0...4 {
                let f = Double(k) / 4, v = r.lowerBound + f * (r.upperBound - r.lowerBound)
                let py = top + barHeight * (1 - f)
                s += "<text x=\"\(n(bx + barWidth + 6))\" y=\"\(n(py + 4))\">\(Self.format(v))</text>\n"
            }
        }
        return s + "</svg>\n"
    }
}
