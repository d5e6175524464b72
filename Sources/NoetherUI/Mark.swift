/// How a series is drawn, so that series stay distinct without colour: the line pattern in
/// braille/block dots, one character in ASCII, and the same sample in the legend.
public enum Mark: Sendable, CaseIterable {
    /// `faint`: a ghost run's curves, a ring in every other column beneath the others (dimmed
    /// where the theme dims), so they differ from every line by their mark, not only by colour.
    case line, dashes, dots, dashDot, band, points, faint

    /// Which dots along the path are drawn, repeating.
    var pattern: [Bool] {
        switch self {
        case .line, .band, .points: [true]
        case .dashes: [true, true, true, false, false, false]
        case .dots: [true, false, false, false, false]
        case .faint: [true, false]
        case .dashDot: [true, true, true, true, false, false, true, false, false]
        }
    }

    public func legend(unicode: Bool) -> String {
        switch self {
        case .line: unicode ? "━━" : "**"
        case .dashes: unicode ? "╌╌" : "--"
        case .dots: unicode ? "··" : ".."
        case .dashDot: unicode ? "─·" : "~~"
        case .band: unicode ? "░░" : "::"
        case .points: unicode ? "•" : "o"
        case .faint: unicode ? "◦◦" : "++"
        }
    }

    /// The character an ASCII canvas writes for this mark.
    public var ascii: Character {
        switch self {
        case .line: "*"
        case .dashes: "-"
        case .dots: "."
        case .dashDot: "~"
        case .band: ":"
        case .points: "o"
        case .faint: "+"
        }
    }

    /// The whole-cell mark of a ghost run's curve.
    public static func ghostRing(unicode: Bool) -> Character { unicode ? "◦" : "+" }

    /// Marks for a list of peers (layers, families), in the order they are handed out. A chart
    /// draws at most this many peers, so no two share a mark.
    public static let cycle: [Mark] = [.line, .dashes, .dots, .dashDot, .points]
}
