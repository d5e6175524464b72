import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import NoetherCore
import Testing
@testable import NoetherUI

/// `E`: the focused chart becomes a figure drawn by the Plot code of `sweep show`, holding the
/// chart's data point for point, its theory curves as theory lines, the vocabulary's labels and
/// a title naming the family; a panel that is no line chart says so; files are never replaced.
@Suite("Chart figures")
struct ChartFigureTests {
    /// Every element of an SVG with its class attribute and its text.
    final class Elements: NSObject, XMLParserDelegate {
        var all: [(name: String, className: String, text: String)] = []
        private var open: [Int] = []
        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            all.append((name, attributes["class"] ?? "", ""))
            open.append(all.count - 1)
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { for i in open { all[i].text += string } }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            open.removeLast()
        }
        func count(_ c: String) -> Int { all.filter { $0.className == c }.count }
        var texts: [String] { all.filter { $0.name == "text" }.map(\.text) }
    }

    static func parse(_ svg: String) -> Elements {
        let parser = XMLParser(data: Data(svg.utf8))
        let elements = Elements()
        parser.delegate = elements
        #expect(parser.parse(), "the SVG is well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")")
        return elements
    }

    @Test func theChargeChartBecomesAFigureWithItsBandAndTheory() throws {
        let s = try Snapshot.observing(Config(), steps: 30)
        var state = AppState()
        state.focus = "charge"
        let family = try #require(s.families.first).family
        let plot = try ChartFigure.plot("charge", s, state).get()
        #expect(plot.title == "charge Q of \(family) against step k")
        #expect(plot.xLabel == "step k" && plot.yLabel == "charge Q")
        #expect(plot.subtitle?.contains("η = \(s.live.learningRate)") == true, "\(plot.subtitle ?? "")")
        let history = s.history
        func values(_ q: FamilySeries) -> [(x: Double, y: Double)] {
            history[.family(family, q)]?.points(recentOnly: false) ?? []
        }
        // The measured median with its 10–90 % band, point for point.
        let measured = plot.lines.filter { $0.style == .band }
        #expect(measured.count == 1 && measured[0].label == "median (10–90 % band)")
        let median = values(.median), q10 = values(.q10), q90 = values(.q90)
        #expect(median.count > 10 && measured[0].points.count == median.count)
        for (p, (m, (lo, hi))) in zip(measured[0].points, zip(median, zip(q10, q90))) {
            #expect(p.x == m.x && p.y == m.y && p.low == lo.y && p.high == hi.y)
        }
        // The theory's three curves: exact, Q⁽⁰⁾ and NM, each the history's values.
        let theory = plot.lines.filter { $0.style == .theory }
        #expect(
            theory.map { $0.label.components(separatedBy: " (")[0] } == ["theory: exact", "theory: Q⁽⁰⁾", "theory: NM"])
        for (line, q) in zip(theory, [FamilySeries.predicted, .reference, .continuum]) {
            #expect(line.points.map(\.y) == values(q).map(\.y), "\(line.label)")
        }
        #expect(Set(theory.map(\.dash)).count == 3, "each theory curve its own dash")
        let svg = Self.parse(plot.svg())
        #expect(svg.count("band") == 1 && svg.count("theory") == 3 && svg.count("curve-marker") >= 8)
        #expect(svg.texts.contains("step k") && svg.texts.contains("charge Q"))
        #expect(svg.texts.contains { $0.hasPrefix("charge Q of \(family)") })
    }

    @Test func theTimeAxisAndAGuideLineCarryOver() throws {
        var c = Config()
        c.weightDecay = 5e-3
        let s = try Snapshot.observing(c, steps: 30)
        var state = AppState()
        state.timeAxis = true
        let loss = try ChartFigure.plot("loss", s, state).get()
        #expect(loss.xLabel == "t = Ση" && loss.title.hasPrefix("minibatch loss"))
        let line = try #require(loss.lines.first)
        let t = s.live.learningRate * 30
        #expect(line.points.last.map { abs($0.x - t) < 1e-12 * t } == true, "t = Ση at step 30: \(line.points.last!)")
        #expect(loss.lines.allSatisfy { $0.style != .theory }, "the loss has no theory curve")
        // The phase portrait: the neurons a scatter, the equilibrium line y = (2λ+ηλ²)x a theory line.
        let phase = try ChartFigure.plot("phase", s, AppState()).get()
        #expect(phase.logX && phase.logY)
        let neurons = try #require(phase.lines.first { $0.style == .scatter })
        let scale = try #require(s.families.first { $0.symmetry.hasAngularStep })
        #expect(neurons.points.count == s.charges.filter { $0.family == scale.family && !$0.dead }.count)
        let equilibrium = try #require(phase.lines.first { $0.style == .theory })
        let slopes = equilibrium.points.map { $0.y / $0.x }
        #expect(slopes.count == 2 && abs(slopes[0] - slopes[1]) <= 1e-12 * slopes[0])
    }

    @Test func aPanelWithoutAFigureFormSaysSo() throws {
        let s = try Snapshot.observing(Config(), steps: 5)
        guard case .failure(let reason) = ChartFigure.plot("table", s, AppState()) else {
            Issue.record("the table has no figure form")
            return
        }
        #expect(reason.message.hasPrefix("the table panel has no figure form: E exports a line chart (here: loss,"))
        #expect(reason.message.hasSuffix("S saves the whole screen"))
    }

    @Test func eWritesTheFocusedChartNeverOverAFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "noether-chart-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = try ScreenGoldenTests.story()
        let backend = TestBackend(width: 100, height: 30, keys: [.char("E"), .char("E"), .tab, .tab, .tab, .char("E")])
        var loop = ExplorerLoop(state: AppState(), screen: Screen(unicode: true, color: true), directory: dir)
        for _ in 0..<7 { loop.turn(backend, snapshot: { s }, send: { _ in }) }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(files.count == 3, "\(files)")
        let loss = files.filter { $0.hasPrefix("noether-chart-loss-") && $0.hasSuffix(".svg") }
        #expect(loss.count == 2, "two exports of the loss chart, two files: \(files)")
        let named = l(loop).messageLog.prefix(2).map {
            $0.replacingOccurrences(of: "saved the loss chart as the figure ", with: "")
        }
        #expect(Set(named) == Set(loss), "each message names its file: \(l(loop).messageLog)")
        // Two exports in one second: the second gets -2, the first file is not replaced.
        let date = Date(timeIntervalSince1970: 1_800_000_000)
        let plot = try ChartFigure.plot("loss", s, AppState()).get()
        let first = try ChartFigure.save(plot, id: "loss", in: dir, at: date)
        let second = try ChartFigure.save(plot, id: "loss", in: dir, at: date)
        #expect(
            first == "noether-chart-loss-20270115-080000.svg" && second == "noether-chart-loss-20270115-080000-2.svg")
        // Three tabs: loss → norms → charge → gap, the focused chart the figure's.
        #expect(l(loop).focus == "gap")
        let gap = try #require(files.first { $0.hasPrefix("noether-chart-gap-") }, "\(files)")
        #expect(l(loop).messageLog.last == "saved the gap chart as the figure \(gap)")
        let gapFigure = Self.parse(try String(contentsOf: dir.appendingPathComponent(gap), encoding: .utf8))
        #expect(gapFigure.texts.contains { $0.hasPrefix("KSB gap Γ/Q₀ of fc1.scale") }, "\(gapFigure.texts)")
        let svg = Self.parse(try String(contentsOf: dir.appendingPathComponent(first), encoding: .utf8))
        #expect(svg.texts.contains("minibatch loss and accuracy against step k"))
    }

    func l(_ loop: ExplorerLoop) -> AppState { loop.state }
}
