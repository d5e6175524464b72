/// A horizontal run of cells to send to the terminal: same row, same style, consecutive.
public struct CellRun: Equatable, Sendable {
    public var x: Int
    public var y: Int
    public var text: String
    public var style: Style
}

/// What changed between two frames, as runs a backend can write one call each.
public enum BufferDiff {
    /// Runs of the cells of `new` that differ from `old` (all cells when there is no comparable
    /// old frame). The bottom-right cell is left out: writing it scrolls most terminals.
    public static func runs(from old: Buffer?, to new: Buffer) -> [CellRun] {
        let old = old.flatMap { $0.width == new.width && $0.height == new.height ? $0 : nil }
        var out: [CellRun] = []
        for y in 0..<new.height {
            var x = 0
            while x < new.width {
                let cell = new[x, y]
                if let old, old[x, y] == cell { x += 1; continue }
                var text = String(cell.char)
                var end = x + 1
                while end < new.width, new[end, y].style == cell.style, old.map({ $0[end, y] != new[end, y] }) ?? true {
                    text.append(new[end, y].char)
                    end += 1
                }
                if y == new.height - 1, end == new.width { text.removeLast() }
                if !text.isEmpty { out.append(CellRun(x: x, y: y, text: text, style: cell.style)) }
                x = end
            }
        }
        return out
    }
}
