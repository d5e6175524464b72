/// Colours by role, mapped to terminal colours by the backend (on the default background).
public enum Color: Int, Sendable, CaseIterable {
    case normal = 0, red, green, yellow, blue, magenta, cyan, gray
}

public struct Style: Equatable, Sendable {
    public var color: Color = .normal
    public var bold = false
    public var dim = false
    public var reverse = false
    public init(_ color: Color = .normal, bold: Bool = false, dim: Bool = false, reverse: Bool = false) {
        self.color = color
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
    }
    public static let plain = Style()
}

public struct Cell: Equatable, Sendable {
    public var char: Character = " "
    public var style = Style.plain
}

/// What a frame shows, as values: widgets draw here and never touch the terminal.
/// The backend diffs two buffers and sends only the changed cells.
public struct Buffer: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(width, 0)
        self.height = max(height, 0)
        cells = Array(repeating: Cell(), count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { if x >= 0, y >= 0, x < width, y < height { cells[y * width + x] = newValue } }
    }

    /// Writes text from (x, y), clipped to `maxWidth` and the buffer. Returns the end column.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, _ style: Style = .plain, maxWidth: Int = .max) -> Int {
        guard y >= 0, y < height else { return x }
        var col = x
        for ch in text {
            if col - x >= maxWidth || col >= width { break }
            if col >= 0 { cells[y * width + col] = Cell(char: ch, style: style) }
            col += 1
        }
        return col
    }

    public mutating func fill(_ rect: Rect, _ ch: Character = " ", _ style: Style = .plain) {
        for y in rect.y..<(rect.y + rect.height) { for x in rect.x..<(rect.x + rect.width) { self[x, y] = Cell(char: ch, style: style) } }
    }

    /// The buffer as text lines with trailing spaces trimmed, as `tmux capture-pane` shows it.
    public var lines: [String] {
        (0..<height).map { y in
            var s = String(cells[(y * width)..<((y + 1) * width)].map(\.char))
            while s.last == " " { s.removeLast() }
            return s
        }
    }

    public func line(_ y: Int) -> String { lines[y] }
}

public struct Rect: Equatable, Sendable {
    public var x, y, width, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(width, 0)
        self.height = max(height, 0)
    }

    /// Draws a box border with a title in the top edge.
    func frame(_ b: inout Buffer, title: String, focused: Bool, glyphs: Glyphs) {
        guard width >= 2, height >= 2 else { return }
        let s = focused ? Style(.cyan, bold: true) : Style(.gray)
        for cx in (x + 1)..<(x + width - 1) {
            b[cx, y] = Cell(char: glyphs.horizontal, style: s)
            b[cx, y + height - 1] = Cell(char: glyphs.horizontal, style: s)
        }
        for cy in (y + 1)..<(y + height - 1) {
            b[x, cy] = Cell(char: glyphs.vertical, style: s)
            b[x + width - 1, cy] = Cell(char: glyphs.vertical, style: s)
        }
        b[x, y] = Cell(char: glyphs.corners.0, style: s)
        b[x + width - 1, y] = Cell(char: glyphs.corners.1, style: s)
        b[x, y + height - 1] = Cell(char: glyphs.corners.2, style: s)
        b[x + width - 1, y + height - 1] = Cell(char: glyphs.corners.3, style: s)
        b.put(" \(title) ", x: x + 2, y: y, focused ? Style(.cyan, bold: true) : Style(bold: true), maxWidth: width - 4)
    }

    var inner: Rect { Rect(x: x + 1, y: y + 1, width: width - 2, height: height - 2) }
}

/// Character sets: Unicode (braille plots, box drawing) or plain ASCII for terminals
/// whose locale is not UTF-8.
public struct Glyphs: Sendable {
    public var unicode: Bool
    public var dots: DotStyle
    public var horizontal: Character { unicode ? "─" : "-" }
    public var vertical: Character { unicode ? "│" : "|" }
    public var corners: (Character, Character, Character, Character) {
        unicode ? ("┌", "┐", "└", "┘") : ("+", "+", "+", "+")
    }
    public var ok: String { unicode ? "✔" : "ok" }
    public var bad: String { unicode ? "✘" : "X" }
    public init(unicode: Bool, dots: DotStyle? = nil) {
        self.unicode = unicode
        self.dots = unicode ? (dots == .ascii ? .braille : dots ?? .braille) : .ascii
    }
}
