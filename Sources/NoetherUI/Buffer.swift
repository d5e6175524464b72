/// Colours by role, mapped to terminal colours by the backend (on the default background).
/// The series colours are the Okabe–Ito palette, which colour-blind readers can tell apart;
/// no meaning rests on a red/green or green/yellow pair.
public enum Color: Int, Sendable, CaseIterable {
    case normal = 0, blue, orange, sky, vermillion, green, purple, yellow, gray

    /// The xterm-256 index nearest to the Okabe–Ito colour, and the 8-colour fallback.
    public var terminal256: Int16 {
        switch self {
        case .normal: -1
        case .blue: 25  // #0072B2
        case .orange: 214  // #E69F00
        case .sky: 74  // #56B4E9
        case .vermillion: 166  // #D55E00
        case .green: 36  // #009E73 (bluish green)
        case .purple: 175  // #CC79A7
        case .yellow: 221  // #F0E442
        case .gray: 244
        }
    }

    /// ANSI colour numbers: 1 red, 2 green, 3 yellow, 4 blue, 5 magenta, 6 cyan, 7 white.
    public var terminal8: Int16 {
        switch self {
        case .normal: -1
        case .blue: 4
        case .orange: 3
        case .sky: 6
        case .vermillion: 1
        case .green: 2
        case .purple: 5
        case .yellow: 3
        case .gray: 7
        }
    }

    /// Series colours in the order charts hand them out.
    public static let series: [Color] = [.blue, .orange, .sky, .vermillion, .green, .purple]
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

    /// Writes text into at most `width` columns; text that does not fit ends in an ellipsis.
    @discardableResult
    public mutating func putClipped(_ text: String, x: Int, y: Int, _ style: Style = .plain, width: Int, glyphs: Glyphs)
        -> Int
    {
        guard width > 0 else { return x }
        if text.count <= width { return put(text, x: x, y: y, style) }
        return put(String(text.prefix(width - 1)) + glyphs.ellipsis, x: x, y: y, style)
    }

    public mutating func fill(_ rect: Rect, _ ch: Character = " ", _ style: Style = .plain) {
        for y in rect.y..<(rect.y + rect.height) {
            for x in rect.x..<(rect.x + rect.width) { self[x, y] = Cell(char: ch, style: style) }
        }
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

    /// Draws a box border with a title in the top edge and an optional status right-aligned
    /// after it; a title too long for the border ends in an ellipsis, the status stays whole.
    func frame(
        _ b: inout Buffer, title: String, focused: Bool, glyphs: Glyphs, status: (text: String, color: Color)? = nil
    ) {
        frame(&b, titles: [title], focused: focused, glyphs: glyphs, status: status)
    }

    /// As `frame(title:)`, with titles longest first: the first that fits whole is drawn.
    /// The status gives way to the first `statusYields` titles when nothing else lets them stay whole.
    func frame(
        _ b: inout Buffer, titles: [String], focused: Bool, glyphs: Glyphs, status: (text: String, color: Color)? = nil,
        statusYields: Int = 0
    ) {
        guard width >= 2, height >= 2 else { return }
        let titles = titles.map { glyphs.words($0, keeping: Glyphs.bordersKeep) }
        let s = focused ? Style(.sky, bold: true) : Style(.gray)
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
        let room = width - 4
        // The first title that fits whole beside the status (whole, or without its trailing
        // number: "✔ exact"), then without a status, else the last title cut.
        var forms: [String] = []
        if let status {
            let words = status.text.split(separator: " ")
            forms =
                [" \(status.text) "] + (words.count > 2 ? [" " + words.dropLast().joined(separator: " ") + " "] : [])
        }
        let fitting = titles.enumerated().lazy.compactMap { i, t -> (String, String?)? in
            if let form = forms.first(where: { $0.count + t.count + 3 <= room }) { return (t, form) }
            return (forms.isEmpty || i < statusYields) && t.count + 2 <= room ? (t, nil) : nil
        }.first
        let (title, statusText): (String, String?) =
            fitting
            ?? (titles.last ?? "", forms.first { $0.count + 8 <= room })
        var titleRoom = room
        if let statusText, let status {
            b.put(statusText, x: x + width - 2 - statusText.count, y: y, Style(status.color, bold: true))
            titleRoom -= statusText.count + 1
        }
        b.putClipped(
            " \(title) ", x: x + 2, y: y, focused ? Style(.sky, bold: true) : Style(bold: true), width: titleRoom,
            glyphs: glyphs)
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
    /// The health marks: in ASCII words, since "+" and "X" do not read as "holds" and "broken".
    public var ok: String { unicode ? "✔" : "ok" }
    /// `>` in ASCII ("more follows"): `.` is the dotted curve's mark and `~` the dash-dot's.
    public var ellipsis: String { unicode ? "…" : ">" }
    public var bad: String { unicode ? "✘" : "broken" }
    /// A text with the health marks as this glyph set writes them (the one-cell stand-ins of an
    /// ASCII screen cannot say "ok").
    public func marks(_ text: String) -> String {
        unicode ? text : text.replacingOccurrences(of: "✔", with: ok).replacingOccurrences(of: "✘", with: bad)
    }

    /// Running text (captions, help, descriptions) for an ASCII terminal: Greek letters and
    /// arrows as words, since a one-letter stand-in misleads ("n" reads as a count, "v" as a key).
    /// Text that must keep its width (legends, axes) goes through the per-cell stand-ins instead.
    /// `keys`: a key's name, where ← and → are the arrow keys, not "to". `keeping`: symbols left to
    /// the per-cell stand-ins (a border keeps "G/Q0" short so its health verdict keeps its number).
    public func words(_ text: String, keys: Bool = false, keeping: Set<Character> = []) -> String {
        guard !unicode else { return text }
        let arrows =
            keys ? text.replacingOccurrences(of: "←", with: "left").replacingOccurrences(of: "→", with: "right") : text
        let chars = Array(
            arrows.replacingOccurrences(of: "↑↓", with: "up/down").replacingOccurrences(of: "←→", with: "left/right"))
        // A product of symbols keeps its factors apart: 2ηλ reads 2*eta*lambda, not 2etalambda.
        func symbol(_ c: Character) -> Bool { Self.asciiSymbols.contains(c) }
        func joins(_ c: Character) -> Bool { symbol(c) || (c.isASCII && (c.isLetter || c.isNumber)) }
        var out = ""
        for (i, c) in chars.enumerated() {
            guard let word = Self.asciiWords[c], !keeping.contains(c) else { out.append(c); continue }
            if symbol(c), i > 0, joins(chars[i - 1]) { out += "*" }
            out += word
            if symbol(c), i + 1 < chars.count, !symbol(chars[i + 1]), chars[i + 1].isASCII, chars[i + 1].isLetter {
                out += "*"
            }
        }
        return out
    }

    static let asciiWords: [Character: String] = [
        "η": "eta", "β": "beta", "λ": "lambda", "√": "sqrt", "Γ": "Gamma", "θ": "theta", "α": "alpha",
        "γ": "gamma", "Δ": "Delta", "Σ": "Sum", "ε": "eps", "τ": "tau", "π": "pi", "↑": "up", "↓": "down",
        "←": "<-", "→": "->", "≈": "about", "≠": "!=", "±": "+/-", "…": "...",
        "²": "^2", "³": "^3", "⁴": "^4",
    ]
    /// What chart borders and legends leave as one character: Γ/Q₀ stays "G/Q0", short enough
    /// for the gap chart's title to keep its health verdict's number at 100 columns.
    static let bordersKeep: Set<Character> = ["Γ"]
    /// The letters among them, which multiply what stands beside them.
    static let asciiSymbols: Set<Character> = ["η", "β", "λ", "√", "Γ", "θ", "α", "γ", "Δ", "Σ", "ε", "τ", "π"]
    public init(unicode: Bool, dots: DotStyle? = nil) {
        self.unicode = unicode
        self.dots = unicode ? (dots == .ascii ? .braille : dots ?? .braille) : .ascii
    }
}
