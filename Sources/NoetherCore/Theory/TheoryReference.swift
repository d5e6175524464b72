/// Section references into docs/THEORY.md ("THEORY.md §5.3", "§4.2–4.3", "§8 P1–P10") and the
/// numbered headings they must resolve to. One reading of the syntax, shared by the test that
/// checks every reference in the repository and the one that checks the glossary.
public struct TheoryReference: Sendable, Equatable {
    /// 1-based line of the text the reference was found on.
    public var line: Int
    /// The section number cited, such as "3.2".
    public var section: String

    /// The numbers of the numbered headings of a Markdown document: "## 3. Exact identities"
    /// gives "3", "### 3.2 Momentum" gives "3.2".
    public static func headings(inMarkdown text: String) -> Set<String> {
        var found: Set<String> = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let hashes = line.prefix { $0 == "#" }
            guard !hashes.isEmpty, hashes.count <= 6 else { continue }
            let rest = line.dropFirst(hashes.count)
            guard rest.first == " " else { continue }
            var number = Substring(rest.drop { $0 == " " }.prefix { $0.isASCII && ($0.isNumber || $0 == ".") })
            while number.hasSuffix(".") { number = number.dropLast() }
            if !number.isEmpty, number.first!.isNumber { found.insert(String(number)) }
        }
        return found
    }

    /// Every section cited in `text`. A range "§4.2–4.3" cites both ends; a sign with no number
    /// after it ("the § numbers") cites nothing.
    public static func references(in text: String) -> [TheoryReference] {
        var result: [TheoryReference] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var rest = Substring(line)
            while let sign = rest.firstIndex(of: "§") {
                rest = rest[rest.index(after: sign)...]
                guard let first = number(&rest) else { continue }
                result.append(TheoryReference(line: index + 1, section: first))
                // "–4.3" or "-§4.3" right after the number closes a range.
                if let dash = rest.first, dash == "–" || dash == "-" {
                    var tail = rest.dropFirst()
                    if tail.first == "§" { tail = tail.dropFirst() }
                    if let last = number(&tail) {
                        result.append(TheoryReference(line: index + 1, section: last))
                        rest = tail
                    }
                }
            }
        }
        return result
    }

    /// Reads "3", "3.2" or "3.2.1" (an optional single space before it) off the front of `text`.
    private static func number(_ text: inout Substring) -> String? {
        var s = text
        if s.first == " " { s = s.dropFirst() }
        let digits = { (t: Substring) in t.prefix { $0.isASCII && $0.isNumber } }
        var parts = [digits(s)]
        guard !parts[0].isEmpty else { return nil }
        s = s.dropFirst(parts[0].count)
        while s.first == ".", case let next = digits(s.dropFirst()), !next.isEmpty {
            parts.append(next)
            s = s.dropFirst(1 + next.count)
        }
        text = s
        return parts.joined(separator: ".")
    }
}
