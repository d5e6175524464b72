import Foundation

/// Splits the chart area into a grid of panels no smaller than a readable chart.
public enum Layout {
    public static let minimumPanelWidth = 28
    public static let minimumPanelHeight = 10

    /// How many panels fit in `area`.
    public static func capacity(_ area: Rect) -> Int {
        max(1, area.width / minimumPanelWidth) * max(1, area.height / minimumPanelHeight)
    }

    /// Rectangles for `n` panels (at most `capacity`), rows filled left to right; the shape
    /// whose panels come closest to 3:1 (characters are about twice as tall as wide) wins.
    public static func grid(_ n: Int, in area: Rect) -> [Rect] {
        guard n > 0 else { return [] }
        let maxCols = max(1, area.width / minimumPanelWidth), maxRows = max(1, area.height / minimumPanelHeight)
        var best: (cols: Int, rows: Int, score: Double)?
        for cols in 1...maxCols {
            let rows = (n + cols - 1) / cols
            guard rows <= maxRows else { continue }
            let aspect = Double(area.width / cols) / Double(area.height / rows)
            let score = abs(log(aspect / 3)) + Double(cols * rows - n) * 0.3
            if best == nil || score < best!.score { best = (cols, rows, score) }
        }
        let (cols, rows) = best.map { ($0.cols, $0.rows) } ?? (maxCols, maxRows)
        var out: [Rect] = []
        for i in 0..<min(n, cols * rows) {
            let row = i / cols
            // The last row's panels share its whole width.
            let inRow = row == rows - 1 ? n - row * cols : cols
            let col = i % cols
            let w = area.width / inRow
            let h = area.height / rows
            out.append(
                Rect(
                    x: area.x + col * w, y: area.y + row * h,
                    width: col == inRow - 1 ? area.width - col * w : w,
                    height: row == rows - 1 ? area.height - row * h : h))
        }
        return out
    }
}
