import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import NoetherCore
import Testing
@testable import NoetherUI

/// Whole screens against goldens (Goldens/*.txt; NOETHER_UPDATE_GOLDENS=1 rewrites them), and the
/// explorer's loop driven through the test backend.
@Suite("Screen goldens")
struct ScreenGoldenTests {
    func render(_ state: AppState, _ s: Snapshot, _ w: Int, _ h: Int, unicode: Bool = true, color: Bool = true)
        -> Buffer
    {
        Screen(unicode: unicode, color: color).render(state, s, width: w, height: h)
    }

    /// The default run after 30 steps, with a story's title, description and caption.
    static func story() throws -> Snapshot {
        var s = try ScreenFrameTests.run()
        s.title = "Default"
        s.description =
            "A batch-norm MLP on blobs under plain SGD: every scale charge rises by η²|g|² per step, and the "
            + "exact prediction follows the measured median to rounding."
        s.caption = "Charge chart: the exact prediction lies on the measured median of fc1.scale."
        s.targetSteps = 60
        return s
    }

    @Test(arguments: [(80, 24), (100, 30), (160, 48)])
    func defaultScreenInColour(_ w: Int, _ h: Int) throws {
        Golden.check(render(AppState(), try Self.story(), w, h), "screen-default-\(w)x\(h)", styles: true)
    }

    @Test func noColorAndAsciiTellEveryCurveByItsLabel() throws {
        let s = try Self.story()
        let mono = render(AppState(), s, 100, 30, color: false)
        #expect(mono.cells.allSatisfy { $0.style.color == .normal })
        Golden.check(mono, "screen-default-100x30-no-color")
        let ascii = render(AppState(), s, 100, 30, unicode: false, color: false)
        for line in ascii.lines { #expect(line.unicodeScalars.allSatisfy { $0.isASCII }, "\(line)") }
        Golden.check(ascii, "screen-default-100x30-ascii")
        // The norms chart's three layers are named at the ends of their curves.
        let norms = ascii.lines.filter { $0.contains("fc1") || $0.contains("fc2") || $0.contains("fc3") }
        #expect(norms.count >= 3)
    }

    /// After a fork at step 15 the ghost (at a smaller learning rate) is drawn with its own mark,
    /// labelled "ghost <series>" at its end and named in the legend; high contrast never dims it.
    @Test func ghostStaysVisibleInHighContrast() throws {
        var s = try Self.story()
        var slower = Config()
        slower.live.learningRate = 0.02
        let other = try ScreenFrameTests.run(slower)
        s.ghosts = [Ghost(history: other.history, live: slower.live, forkStep: 0)]
        var state = AppState()
        state.theme = .highContrast
        let b = render(state, s, 100, 30)
        Golden.check(b, "screen-fork-100x30-high-contrast", styles: true)
        #expect(b.cells.allSatisfy { !$0.style.dim })
        let text = b.lines.joined(separator: "\n")
        #expect(text.contains("ghost loss") && text.contains("ghost fc1"))
        state.theme = .dark
        #expect(render(state, s, 100, 30).cells.contains { $0.style.dim })
    }

    @Test func messagesDescriptionAndALongMessage() throws {
        var s = try Self.story()
        var state = AppState()
        s.message =
            "recording stopped: the disk is full; the recording so far is kept in noether-session.toml, without "
            + "your last changes"
        state.log(s.message!)
        let long = render(state, s, 100, 30)
        Golden.check(long, "screen-long-message-100x30")
        #expect(long.line(28).hasSuffix("without") && long.line(29) == " your last changes", "wrapped whole, at a word")
        _ = state.handle(.char("M"), s)
        Golden.check(render(state, s, 100, 30), "screen-messages-100x30")
        _ = state.handle(.char("x"), s)  // any key closes it
        #expect(!state.messagesOpen)
        _ = state.handle(.char("i"), s)
        let info = render(state, s, 100, 30)
        Golden.check(info, "screen-description-100x30")
        #expect(
            info.lines.contains { $0.contains("│ A batch-norm MLP on blobs") }
                && info.lines.contains { $0.contains("│ rounding.") })
    }

    /// Two spirals under layer norm after 200 steps: the data panel fits at 100×30 beside the
    /// others when focused, and expands with enter; classes by mark, regions by shade.
    @Test func dataPanelShowsPointsOverDecisionRegions() throws {
        var c = Config()
        c.data = .spirals
        c.classes = 2
        c.norm = .layer
        c.samples = 256
        var s = try ScreenFrameTests.run(c, steps: 200)
        let sim = try Simulator(c)
        for _ in 0..<200 { try sim.advance() }
        s.decision = sim.decisionMap()
        var state = AppState()
        state.focus = "data"
        let b = render(state, s, 100, 30)
        Golden.check(b, "screen-data-100x30")
        #expect(b.lines.contains { $0.contains("│o 0 x 1  shade: predicted class") })
        state.expanded = true
        let ascii = render(state, s, 100, 30, unicode: false, color: false)
        Golden.check(ascii, "screen-data-expanded-100x30-ascii")
        #expect(ascii.line(2).hasPrefix("|o class 0  x class 1  shade: predicted class"))
        let plot = ascii.lines[3..<28].joined()
        #expect(plot.contains("o") && plot.contains("x") && plot.contains(":"), "both classes and a predicted region")
    }

    @Test func phasePortraitOfOneGroupSaysWhatItNeeds() throws {
        var s = try Self.story()
        s.charges =
            s.charges.filter { $0.family != "fc1.scale" } + s.charges.filter { $0.family == "fc1.scale" }.prefix(1)
        var b = Buffer(width: 50, height: 12)
        var state = AppState()
        state.focus = "phase"
        ChartRegistry.chart("phase")!.render(
            into: &b, Rect(x: 0, y: 0, width: 50, height: 12),
            ChartContext(snapshot: s, state: state, glyphs: Glyphs(unicode: true)))
        Golden.check(b, "phase-one-group")
        #expect(
            b.line(1).contains("is one group: a phase portrait needs") && b.line(2).contains("a family of many neurons")
        )
    }
}

@Suite("Explorer loop")
struct ExplorerLoopTests {
    func loop(_ keys: [Key], in directory: URL = FileManager.default.temporaryDirectory) throws -> (
        ExplorerLoop, TestBackend, [Command]
    ) {
        let s = try ScreenGoldenTests.story()
        let backend = TestBackend(width: 100, height: 30, keys: keys)
        var loop = ExplorerLoop(state: AppState(), screen: Screen(unicode: true, color: true), directory: directory)
        var sent: [Command] = []
        for _ in 0..<(keys.count + 1) { loop.turn(backend, snapshot: { s }, send: { sent.append($0) }) }
        return (loop, backend, sent)
    }

    @Test func f1OpensHelpAndF10Quits() throws {
        let (help, backend, _) = try loop([.function(1)])
        #expect(help.state.helpOpen)
        #expect(backend.frames.last!.lines.contains { $0.contains("help 1/2: keys") })
        let (quit, _, sent) = try loop([.function(10)])
        #expect(quit.state.quit && sent == [.quit])
    }

    @Test func anUnboundKeyOffersHelpOnce() throws {
        let (l, backend, _) = try loop([.char("Z"), .char("a"), .char("Z")])
        #expect(backend.frames[0].line(29).hasSuffix("Z does nothing here; ? for help"))
        #expect(!backend.frames.last!.lines.joined().contains("? for help;"))
        #expect(l.state.messageLog == ["Z does nothing here; ? for help"])
    }

    @Test func kCyclesThemesOnTheBackend() throws {
        let (l, backend, _) = try loop([.char("K"), .char("K")])
        #expect(l.state.theme == .highContrast && backend.theme == .highContrast)
    }

    @Test func sSavesTheScreenAsSVGAndText() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "noether-screen-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let (l, backend, _) = try loop([.char("S"), .char("S")], in: dir)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(files.count == 4, "\(files)")  // two saves in one second: the second gets -2
        // The first save's files ("…-2" is the second's).
        let svgs = files.filter { $0.hasSuffix(".svg") }.sorted { $0.count < $1.count }
        let texts = files.filter { $0.hasSuffix(".txt") }.sorted { $0.count < $1.count }
        #expect(svgs.count == 2 && texts.count == 2 && svgs.allSatisfy { $0.hasPrefix("noether-screen-") })
        // The message names the SVG and the text copy's extension (same stem), in one line of 80 columns.
        let message = l.state.messageLog.first!
        #expect(message == "saved the screen: \(svgs[0]) + .txt" && texts[0] == svgs[0].dropLast(4) + ".txt")
        #expect(message.count <= 80, "\(message.count) columns")
        let text = try String(contentsOf: dir.appendingPathComponent(texts[0]), encoding: .utf8)
        // The saved frame is the screen as it was, without the message that names it.
        let saved = text.components(separatedBy: "\n")
        #expect(saved.count == 31 && Array(saved.prefix(28)) == Array(backend.frames[0].lines.prefix(28)))
        #expect(!saved[29].contains("saved") && backend.frames[0].line(29).contains("saved the screen: "))
        let data = try Data(contentsOf: dir.appendingPathComponent(svgs[0]))
        let parser = XMLParser(data: data)
        #expect(parser.parse(), "the SVG parses as XML: \(String(describing: parser.parserError))")
        let svg = String(decoding: data, as: UTF8.self)
        #expect(svg.contains("&gt;") == false || svg.contains("<svg"))
        #expect(svg.contains(">" + ScreenExport.escape(" noether ") + "<"), "the header line is in the SVG")
        #expect(svg.contains("step 30/60"))
    }
}

@Suite("Settings file")
struct SettingsTests {
    @Test func keysAndPath() throws {
        let s = try Settings.parse(
            "theme = \"high-contrast\"\nglyphs = \"block\"\nspeed = \"max\"\nlecture = true\n", file: "c.toml")
        #expect(s == Settings(theme: .highContrast, glyphs: .block, speed: 0, lecture: true))
        #expect(try Settings.parse("speed = 300", file: "c.toml").speed == 300)
        #expect(Settings.path(["XDG_CONFIG_HOME": "/x", "HOME": "/h"]) == "/x/noether/config.toml")
        #expect(Settings.path(["HOME": "/h"]) == "/h/.config/noether/config.toml")
        #expect(try Settings.load("/nonexistent/noether/config.toml") == Settings())
    }

    @Test(arguments: [
        ("theme = \"blue\"", "c.toml:1: theme = \"blue\": allowed \"dark\", \"light\", \"high-contrast\""),
        ("\nglyphs = 3", "c.toml:2: glyphs = 3: allowed \"braille\", \"block\", \"ascii\""),
        ("speed = 0", "c.toml:1: speed = 0: allowed steps per second 1…1000000, or \"max\""),
        ("lecture = \"yes\"", "c.toml:1: lecture = \"yes\": allowed true or false"),
        ("colour = \"red\"", "c.toml:1: unknown key 'colour'; the keys are theme, glyphs, speed, lecture"),
    ])
    func aBadFileIsRefusedNamingFileKeyAndValues(_ text: String, _ message: String) {
        #expect(throws: SettingsError.self) { try Settings.parse(text, file: "c.toml") }
        do { _ = try Settings.parse(text, file: "c.toml") } catch { #expect(error.description == message) }
    }
}
