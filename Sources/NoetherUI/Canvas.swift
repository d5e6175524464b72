/// How a chart draws its dots: braille (2×4 per cell), half blocks (1×2 per cell, for fonts
/// without braille), or ASCII (one per cell, for terminals that are not UTF-8).
public enum DotStyle: String, CaseIterable, Sendable {
    case braille, block, ascii
}

/// A dot canvas over a cell rectangle. Each cell remembers the colour of the series that drew last.
public struct Canvas {
    public let cols: Int
    public let rows: Int
    public let style: DotStyle
    public var braille: Bool { style == .braille }
    public var dotsX: Int { cols * (braille ? 2 : 1) }
    public var dotsY: Int { rows * (braille ? 4 : style == .block ? 2 : 1) }
    private var bits: [UInt8]
    private var colors: [Color]
    private var asciiChars: [Character]
    private var dims: [Bool]
    /// Whole-cell marks (a ghost run's rings), drawn only in cells without a dot.
    private var cellMarks: [(char: Character, color: Color, dim: Bool)?]

    /// Braille bit of dot (x, y) within a cell (Unicode U+2800 block).
    static let brailleBits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

    public init(cols: Int, rows: Int, style: DotStyle) {
        self.cols = max(cols, 0)
        self.rows = max(rows, 0)
        self.style = style
        bits = Array(repeating: 0, count: self.cols * self.rows)
        colors = Array(repeating: .normal, count: self.cols * self.rows)
        asciiChars = Array(repeating: " ", count: self.cols * self.rows)
        dims = Array(repeating: false, count: self.cols * self.rows)
        cellMarks = Array(repeating: nil, count: self.cols * self.rows)
    }

    /// Puts a whole-cell mark at cell (col, row); any dot drawn in that cell hides it.
    public mutating func mark(cell col: Int, _ row: Int, _ char: Character, _ color: Color, dim: Bool = false) {
        guard col >= 0, row >= 0, col < cols, row < rows else { return }
        cellMarks[row * cols + col] = (char, color, dim)
    }

    /// Sets dot (x, y), with y = 0 at the top.
    /// A `dim` dot (a ghost run's) shows dimmed unless a normal dot shares its cell.
    public mutating func set(_ x: Int, _ y: Int, _ color: Color, ascii: Character = "*", dim: Bool = false) {
        guard x >= 0, y >= 0, x < dotsX, y < dotsY else { return }
        let i: Int
        switch style {
        case .braille:
            i = (y / 4) * cols + x / 2
            bits[i] |= Self.brailleBits[x % 2][y % 4]
        case .block:
            i = (y / 2) * cols + x
            bits[i] |= y % 2 == 0 ? 1 : 2  // 1: upper half, 2: lower half
        case .ascii:
            i = y * cols + x
            asciiChars[i] = ascii
            bits[i] = 1
        }
        dims[i] = dim
        colors[i] = color
    }

    /// A straight segment between two dots (Bresenham).
    public mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ color: Color, ascii: Character = "*") {
        for (x, y) in Self.segment(x0, y0, x1, y1) { set(x, y, color, ascii: ascii) }
    }

    /// The dots of a straight segment, both ends included, in order (Bresenham).
    static func segment(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int) -> [(Int, Int)] {
        var x = x0, y = y0
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        var out: [(Int, Int)] = []
        while out.count < 10_000 {
            out.append((x, y))
            if x == x1 && y == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
        }
        return out
    }

    public func draw(into b: inout Buffer, at x: Int, _ y: Int) {
        for r in 0..<rows {
            for c in 0..<cols {
                let i = r * cols + c
                guard bits[i] != 0 else {
                    if let m = cellMarks[i] { b[x + c, y + r] = Cell(char: m.char, style: Style(m.color, dim: m.dim)) }
                    continue
                }
                let ch: Character =
                    switch style {
                    case .braille: Character(Unicode.Scalar(0x2800 + UInt32(bits[i]))!)
                    case .block: bits[i] == 1 ? "▀" : bits[i] == 2 ? "▄" : "█"
                    case .ascii: asciiChars[i]
                    }
                b[x + c, y + r] = Cell(char: ch, style: Style(colors[i], dim: dims[i]))
            }
        }
    }
}
