/// A plain-text table: every column padded to its widest cell, two spaces between columns, each
/// line trimmed (what `sweep show --table` prints, for a heatmap's cells and for curves alike).
enum TextTable {
    static func aligned(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "" }
        let widths = first.indices.map { i in rows.map { $0[i].count }.max()! }
        return rows.map { r in
            r.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
    }
}
