import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import Testing
import TestTiers

/// The screen's habits through the real binary in tmux: direct labels without colour, F1/F10,
/// themes, `S` saving the screen, and the settings file.
@Suite("Screen end to end", .serialized, .fullTierOnly)
struct ScreenEndToEndTests {
    typealias Tmux = ExplorerEndToEndTests.Tmux

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "noether-screen-e2e-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func noColorLabelsEveryCurveAtItsEnd() throws {
        let t = Tmux(width: 100, height: 30)
        t.start("--preset linear-balance --speed max --no-color")
        // The norms chart names fc1, fc2 and fc3 at their curves' ends: the name alone (not a legend
        // entry after its mark, not part of a family name such as fc1-fc2.balance).
        let labels = ["fc1", "fc2", "fc3"].map { ($0, "(?<!━━ |╌╌ |·· )" + $0 + "(?=[ │])") }
        let screen =
            t.waitFor("every layer named at its curve's end", timeout: 60) { s in
                labels.allSatisfy { s.range(of: $0.1, options: .regularExpression) != nil }
            } ?? ""
        for (layer, label) in labels {
            #expect(
                screen.range(of: label, options: .regularExpression) != nil,
                "\(layer) is not labelled on its curve:\n\(screen)")
        }
        t.send("F10")
        t.waitFor("exit on F10") { $0.contains("exit=0") }
    }

    @Test func f1HelpThemesAndSSavesTheScreen() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let t = Tmux(width: 100, height: 30)
        t.type("cd '\(dir.path)'")
        t.send("Enter")
        t.start("--theme high-contrast --speed 30")
        t.waitFor("running") { $0.contains("RUNNING") }
        t.send("F1")
        t.waitFor("help on F1") { $0.contains("help 1/2: keys") }
        t.send("Escape")
        t.type("K")
        t.waitFor("the next theme") { $0.contains("theme dark (K cycles)") }
        t.type("S")
        let saved = t.waitFor("the saved message") { $0.contains("saved the screen: noether-screen-") } ?? ""
        t.type("q")
        t.waitFor("exit") { $0.contains("exit=0") }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        let svg = try #require(files.first { $0.hasSuffix(".svg") }, "\(files)")
        let text = try #require(files.first { $0.hasSuffix(".txt") }, "\(files)")
        // The message names the SVG and says "+ .txt": the text copy has the same stem.
        #expect(saved.contains(svg + " + .txt") && text == svg.dropLast(4) + ".txt", "\(saved)")
        let data = try Data(contentsOf: dir.appendingPathComponent(svg))
        let parser = XMLParser(data: data)
        #expect(parser.parse(), "the SVG is not XML: \(String(describing: parser.parserError))")
        let header = try String(contentsOf: dir.appendingPathComponent(text), encoding: .utf8).split(separator: "\n")[0]
        // The header line as shown (running, or held by the story on a loaded machine).
        let state = header.contains("RUNNING") ? "RUNNING" : "PAUSED"
        #expect(header.hasPrefix(" noether  \(state)"), "\(header)")
        let svgText = String(decoding: data, as: UTF8.self)
        #expect(svgText.contains(">\(state)") || svgText.contains(" \(state) "))
    }

    @Test func eExportsTheFocusedChartAsAFigure() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let t = Tmux(width: 80, height: 24)
        t.type("cd '\(dir.path)'")
        t.send("Enter")
        t.start("--speed 30 --no-color")
        t.waitFor("running") { $0.contains("RUNNING") && (ExplorerEndToEndTests.step($0) ?? 0) > 5 }
        // Tab to the charge chart (a story may have moved the focus), exporting each line chart on
        // the way; a panel that is no line chart says so.
        var saved = "", refused = ""
        for _ in 0..<12 where saved.isEmpty {
            t.type("E")
            usleep(400_000)
            let screen = t.screen().replacingOccurrences(of: "\n ", with: " ")
            if screen.contains("saved the charge chart as the figure noether-chart-charge-") { saved = screen }
            if screen.contains("panel has no figure form") { refused = screen }
            t.send("Tab")
        }
        #expect(!saved.isEmpty, "\(t.screen())")
        #expect(refused.isEmpty || refused.contains("has no figure form: E exports a line chart"), "\(refused)")
        t.type("q")
        t.waitFor("exit") { $0.contains("exit=0") }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        let figure = try #require(
            files.first { $0.hasPrefix("noether-chart-charge-") && $0.hasSuffix(".svg") }, "\(files)")
        #expect(saved.contains(figure), "the message names the file: \(saved)")
        let data = try Data(contentsOf: dir.appendingPathComponent(figure))
        let parser = XMLParser(data: data)
        #expect(parser.parse(), "the figure is not XML: \(String(describing: parser.parserError))")
        let svg = String(decoding: data, as: UTF8.self)
        #expect(
            svg.contains(">charge Q of ") && svg.contains(" against step k<") && svg.contains(">step k<"),
            "\(svg.prefix(2000))")
        #expect(svg.components(separatedBy: "class=\"theory\"").count - 1 == 3, "exact, Q⁽⁰⁾ and NM")
        #expect(svg.components(separatedBy: "class=\"band\"").count - 1 == 1, "the 10–90 % band")
    }

    @Test func aBadSettingsFileIsRefusedNamingFileKeyAndValues() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("noether"), withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("noether/config.toml")
        try "glyphs = \"block\"\ntheme = \"blue\"\n".write(to: file, atomically: true, encoding: .utf8)
        let r = shell("XDG_CONFIG_HOME='\(dir.path)' '\(ExplorerEndToEndTests.binary)' < /dev/null")
        #expect(r.status != 0)
        #expect(
            r.output.contains("\(file.path):2: theme = \"blue\": allowed \"dark\", \"light\", \"high-contrast\""),
            "\(r.output)")
    }
}
