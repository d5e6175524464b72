/// What the figure scripts of `sweep show --script` and `--curves --script` share: how a text
/// becomes a Python string, and the constants that give a script sweep show's numbers and look.
enum PythonScript {
    /// `s` as a Python string literal.
    static func string(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// T975 (Student's t quantiles for ci95 error bars), PALETTE, DASHES and MARKERS, as Python lines.
    static var lookAndQuantiles: String {
        let quantiles = stride(from: 0, to: Spread.tTable.count, by: 10).map { k in
            Spread.tTable[k..<min(k + 10, Spread.tTable.count)].map { "\($0)" }.joined(separator: ", ")
        }.joined(separator: ",\n        ")
        return """
            # Student's t 97.5 % quantiles for 1…30 degrees of freedom (the normal 1.96 beyond).
            T975 = [\(quantiles)]
            # The look of sweep show's SVG: colours (Okabe and Ito), and one dash pattern and marker
            # per series so a grey print tells the series apart.
            PALETTE = [\(SVGWriter.palette.map(string).joined(separator: ", "))]
            DASHES = ["-", (0, (9, 3)), (0, (2.5, 2)), (0, (9, 3, 2, 3)), (0, (5, 2, 5, 6))]
            MARKERS = ["o", "s", "^", "D", "v"]
            """
    }
}
