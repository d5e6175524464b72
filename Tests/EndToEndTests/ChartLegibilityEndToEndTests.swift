import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import Testing
import TestTiers

/// The real binary in tmux, read as a student at the back of a lecture hall would: every legend
/// entry whole with its value at every size, a fork's ghost told apart by its mark without colour,
/// and a saved screen whose curves are dots, not a font's braille.
@Suite("Chart legibility end to end", .serialized, .fullTierOnly)
struct ChartLegibilityEndToEndTests {
    typealias Tmux = ExplorerEndToEndTests.Tmux

    /// Starts the explorer with an environment and arguments.
    static func start(_ t: Tmux, _ env: String, _ args: String) {
        t.type("\(env) '\(ExplorerEndToEndTests.binary)' \(args); echo \"exit=$?\"")
        t.send("Enter")
    }

    /// The charts of a screen: right of the controls, between the header and the caption.
    static func charts(_ screen: String, width: Int) -> [String] {
        screen.components(separatedBy: "\n").dropFirst().dropLast(5).map {
            String($0.dropFirst(width >= 120 ? 30 : 24))
        }
    }

    /// Runs linear-balance to step 100 or more and pauses there.
    static func pausedLinearBalance(_ t: Tmux, _ env: String) -> String {
        start(t, env, "--preset linear-balance --speed max")
        t.waitFor("step 100", timeout: 60) { (ExplorerEndToEndTests.step($0) ?? 0) >= 100 }
        t.send("Space")
        return t.waitFor("paused") { $0.contains("PAUSED") } ?? ""
    }

    @Test(arguments: [(80, 24), (100, 30), (160, 48)])
    func everyLegendEntryKeepsItsNameAndValue(_ w: Int, _ h: Int) throws {
        let t = Tmux(width: w, height: h)
        let screen = Self.pausedLinearBalance(t, "NO_COLOR=1")
        let charts = Self.charts(screen, width: w)
        // Nothing cut: an ellipsis only where coinciding curves share a label ("median=exact=…").
        let cut = charts.filter {
            $0.replacingOccurrences(of: "=…", with: "").replacingOccurrences(of: "… ", with: "").contains("…")
        }
        #expect(cut.isEmpty, "\(w)×\(h):\n\(screen)")
        // The charge chart's Q⁽⁰⁾ with its value (after the names that share it, if any).
        #expect(
            charts.contains { $0.range(of: #"╌╌ Q⁽⁰⁾( \S+ \S+)* -?\d"#, options: .regularExpression) != nil },
            "\(w)×\(h):\n\(screen)")
        t.send("Q")
        t.waitFor("exit") { $0.contains("exit=0") }
    }

    @Test func inAsciiEveryLegendEntryKeepsItsNameAndValueAt80x24() throws {
        let t = Tmux(width: 80, height: 24)
        let screen = Self.pausedLinearBalance(t, "NO_COLOR=1 LANG=C")
        #expect(screen.unicodeScalars.allSatisfy { $0.isASCII }, "\(screen)")
        #expect(
            Self.charts(screen, width: 80).contains {
                $0.range(of: #"-- Q\(0\)( \S+ \S+)* -?\d"#, options: .regularExpression) != nil
            }, "\(screen)")
        t.send("Q")
        t.waitFor("exit") { $0.contains("exit=0") }
    }

    @Test(arguments: [("LANG=C.UTF-8", "◦"), ("LANG=C", "+")])
    func aForksGhostIsATrailOfRingsInHighContrastWithoutColour(_ lang: String, _ ring: String) throws {
        let t = Tmux(width: 100, height: 30)
        Self.start(t, "NO_COLOR=1 \(lang)", "--theme high-contrast --speed 200 --steps 200")
        t.waitFor("running", timeout: 30) { (ExplorerEndToEndTests.step($0) ?? 0) >= 5 }
        t.type("F")
        t.waitFor("the fork") { $0.contains("FORK") }
        let forked = ExplorerEndToEndTests.step(t.screen()) ?? 0
        t.type("]")
        t.type("]")  // the fork's learning rate up: the two runs part
        t.waitFor("the runs to part", timeout: 60) { (ExplorerEndToEndTests.step($0) ?? 0) >= forked + 120 }
        t.send("Space")
        let screen = t.waitFor("paused") { $0.contains("PAUSED") } ?? ""
        #expect(screen.contains("\(ring)\(ring) ghost "), "the legend names the ghost by its mark:\n\(screen)")
        // Rings on the plots, not only in the legends.
        let plots = Self.charts(screen, width: 100).filter { !$0.contains("\(ring)\(ring) ghost") }.joined()
        #expect(plots.components(separatedBy: ring).count - 1 >= 6, "\(screen)")
        t.send("Q")
        t.waitFor("exit") { $0.contains("exit=0") }
    }

    @Test func theSavedScreenDrawsBrailleAsDots() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "noether-legible-e2e-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let t = Tmux(width: 100, height: 30)
        t.type("cd '\(dir.path)'")
        t.send("Enter")
        _ = Self.pausedLinearBalance(t, "")
        t.type("S")
        t.waitFor("the saved message") { $0.contains("saved the screen: noether-screen-") }
        t.send("Q")
        t.waitFor("exit") { $0.contains("exit=0") }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        let svg = try #require(files.first { $0.hasSuffix(".svg") }, "\(files)")
        let text = try #require(files.first { $0.hasSuffix(".txt") }, "\(files)")
        let data = try Data(contentsOf: dir.appendingPathComponent(svg))
        #expect(XMLParser(data: data).parse())
        let picture = String(decoding: data, as: UTF8.self)
        let copy = try String(contentsOf: dir.appendingPathComponent(text), encoding: .utf8)
        // The text copy has the braille; the picture has its dots instead, at least one per cell.
        let braille = copy.unicodeScalars.filter { (0x2801...0x28FF).contains($0.value) }.count
        #expect(braille > 10)
        #expect(!picture.unicodeScalars.contains { (0x2800...0x28FF).contains($0.value) })
        #expect(picture.components(separatedBy: "<circle").count - 1 >= braille)
    }
}
