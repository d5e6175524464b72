/// One symbol or curve the explorer shows, explained for a reader who has not read the papers.
public struct GlossaryEntry: Sendable, Equatable {
    /// As it appears on screen (legend, title or table header).
    public var symbol: String
    public var name: String
    public var meaning: String
    public init(_ symbol: String, _ name: String, _ meaning: String) {
        self.symbol = symbol
        self.name = name
        self.meaning = meaning
    }
}

/// The one table behind the glossary page of the help screen.
public enum Glossary {
    public static let entries: [GlossaryEntry] = [
        GlossaryEntry("Q⁽⁰⁾", "kinetically symmetric solution",
                      "what the charge would do if only weight decay acted on it (THEORY.md §7)"),
        GlossaryEntry("Γ/Q₀", "KSB gap ratio", "measured charge minus Q⁽⁰⁾, over the group's starting magnitude"),
    ]
}
