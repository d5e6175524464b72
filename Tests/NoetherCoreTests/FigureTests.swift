import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import GRDB
import Testing
@testable import NoetherCore

/// Figures of a sweep: the plot follows the axes, points are means with the error bar asked for,
/// the theory is drawn where it predicts the value, labels come from the vocabulary, and every
/// SVG is well-formed XML whose elements can be counted.
@Suite("Figures")
struct FigureTests {
    /// An SVG's elements: name, attributes, and the text of its `<title>` children.
    final class Elements: NSObject, XMLParserDelegate {
        var all: [(name: String, attributes: [String: String], text: String)] = []
        private var open: [Int] = []
        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            all.append((name, attributes, ""))
            open.append(all.count - 1)
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) {
            for i in open { all[i].text += string }
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            open.removeLast()
        }
        func classed(_ c: String) -> [(name: String, attributes: [String: String], text: String)] {
            all.filter { ($0.attributes["class"] ?? "").split(separator: " ").contains(Substring(c)) }
        }
        var texts: [String] { all.filter { $0.name == "text" }.map(\.text) }
    }

    static func parse(_ svg: String) throws -> Elements {
        let parser = XMLParser(data: Data(svg.utf8))
        let elements = Elements()
        parser.delegate = elements
        #expect(parser.parse(), "the SVG is well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")")
        let root = try #require(elements.all.first)
        #expect(
            root.name == "svg" && root.attributes["version"] == "1.1"
                && root.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(root.attributes["font-family"]?.hasSuffix("sans-serif") == true)
        return elements
    }

    static let learningRates = [0.01, 0.02, 0.04, 0.08]

    /// A database of made-up results: for each η (and λ), three seeds whose RMS angle is its
    /// prediction × (1 + 0.01·(seed − 2)) × `tilt`, so the ratio's mean is known; a rescale
    /// family sorts before the scale family.
    static func database(
        decays: [Double] = [1e-3], seeds: [UInt64] = [1, 2, 3], tilt: Double = 1,
        series: Bool = false
    ) throws -> (ResultsDatabase, String) {
        let dir = SweepResultTests.folder()
        let db = try ResultsDatabase(path: dir + "/r.sqlite")
        for lr in learningRates {
            for wd in decays {
                for seed in seeds {
                    var c = Config()
                    (c.lr, c.weightDecay, c.seed, c.momentum, c.steps) = (lr, wd, seed, 0.5, 20)
                    let predicted = (2 * lr * wd / 1.5).squareRoot()
                    let angle = predicted * (1 + 0.01 * (Double(seed) - 2)) * tilt
                    let scale = FamilyResult(
                        family: "fc2.scale", symmetry: "scale", groups: 8, medianCharge: 1 + lr,
                        gapRatio: lr * 0.1 * Double(seed), rmsAngle: angle, rmsAnglePredicted: predicted,
                        deadFraction: 0, collapsedFraction: 0, residualMax: 1e-14, continuumError: 1e-3)
                    let rescale = FamilyResult(
                        family: "bn1-fc2.rescale", symmetry: "rescale", groups: 8, medianCharge: 0.5,
                        gapRatio: 0.2, rmsAngle: nil, rmsAnglePredicted: nil, deadFraction: 0,
                        collapsedFraction: 0, residualMax: 1e-14, continuumError: 1e-3)
                    var points: [SeriesPoint] = []
                    for k in series ? [0, 10, 20] : [] {
                        let t: Double = Double(k) * lr
                        let measured: Double = 1 + t * Double(seed)
                        points.append(
                            SeriesPoint(
                                step: k, family: "fc2.scale", loss: 1, medianCharge: measured, gapRatio: 0,
                                rmsAngle: nil,
                                q10: 0.9, q90: 1.1, predictedMedian: 1 + t * 2, referenceMedian: 1,
                                continuumMedian: 1 + t * 1.9,
                                effectiveLRMedian: lr, rmsAnglePredicted: predicted))
                    }
                    try db.insert(
                        RunResult(
                            id: c.runID, axes: decays.count > 1 ? ["lr", "weight-decay", "seed"] : ["lr", "seed"],
                            config: c, status: RunResult.finished, finalLoss: 0.1, meanLoss: 0.2,
                            families: [rescale, scale], series: points))
                }
            }
        }
        return (db, dir)
    }

    @Test func oneAxisIsALineOfMeansWithErrorBarsAndTheTheory() throws {
        let (db, dir) = try Self.database()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try db.sweptKeys() == ["lr", "seed"])
        let d = try db.phaseDiagram(x: "lr", y: nil, quantity: "rms_angle_ratio", family: nil)
        #expect(d.family == "fc2.scale", "the first scale family, not the alphabetically first")
        #expect(d.choiceNote == "family fc2.scale: the first scale family")
        let plot = d.linePlot(error: .sem)
        #expect(plot.logX, "η from a log range gets a log axis")
        #expect(!plot.logY)
        #expect(plot.xLabel == "η" && plot.yLabel == "RMS angle / √(2ηλ/(1+β))")
        #expect(plot.title == "RMS angle / √(2ηλ/(1+β)) of fc2.scale against η")
        let measured = try #require(plot.lines.first { $0.style == .measured })
        #expect(measured.points.count == 4)
        for p in measured.points {
            // Ratios 0.99, 1, 1.01: mean 1, standard deviation 0.01, s.e.m. 0.01/√3.
            #expect(abs(p.y - 1) < 1e-12 && p.n == 3)
            #expect(
                abs(p.high! - p.y - 0.01 / 3.0.squareRoot()) < 1e-12
                    && abs(p.y - p.low! - 0.01 / 3.0.squareRoot()) < 1e-12)
        }
        let ci = try #require(d.linePlot(error: .ci95).lines.first).points[0]
        #expect(abs(ci.high! - ci.y - 4.303 * 0.01 / 3.0.squareRoot()) < 1e-12, "Student's t with 2 degrees of freedom")
        let svg = try Self.parse(plot.svg())
        #expect(svg.classed("point").count == 4)
        #expect(svg.classed("errorbar").count == 4)
        #expect(svg.classed("theory").count == 1, "the ratio 1, dashed")
        #expect(svg.classed("point").allSatisfy { $0.text.contains("(n = 3)") }, "each marker's hover text")
        #expect(svg.texts.contains("η  (log scale)") && svg.texts.contains("RMS angle / √(2ηλ/(1+β))"))
        #expect(svg.texts.contains { $0.contains("n = 3 runs per point") })
        #expect(svg.texts.contains("theory: equilibrium: ratio 1 (§5.3)"))
        // The script labels a log axis as the SVG does.
        let script = d.script(database: "r.sqlite", kind: .line, error: .sem, logX: true, logY: false, expression: nil)
        #expect(script.contains("ax.set_xlabel(\"η  (log scale)\")") && script.contains("ax.set_xscale(\"log\")"))
        // The table: mean ± s.e.m. to the spread's second digit, and n.
        let table = d.table(error: .sem).split(separator: "\n")
        #expect(table.count == 5)
        func fields(_ line: Substring) -> [String] {
            line.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        #expect(fields(table[0]) == ["lr", "rms_angle_ratio of fc2.scale (mean ± sem)", "n", "theory"])
        #expect(fields(table[1]) == ["0.01", "1.0000 ± 0.0058", "3", "1.000"], "\(table[1])")
        #expect(fields(d.table(error: .std).split(separator: "\n")[1]) == ["0.01", "1.000 ± 0.010", "3", "1.000"])
    }

    @Test func aSecondAxisGivesOneLinePerValueWithItsOwnTheory() throws {
        let (db, dir) = try Self.database(decays: [1e-3, 4e-3])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let d = try db.phaseDiagram(x: "lr", y: "weight-decay", quantity: "rms_angle", family: "fc2.scale")
        #expect(d.choiceNote == nil, "a family that was named needs no note")
        let plot = d.linePlot(error: .sem)
        #expect(plot.lines.filter { $0.style == .measured }.map(\.label) == ["λ = 0.001", "λ = 0.004"])
        let theory = plot.lines.filter { $0.style == .theory && !$0.points.isEmpty }
        #expect(theory.count == 2 && theory.allSatisfy { $0.points.count == 4 && !$0.inLegend })
        #expect(
            plot.lines.filter { $0.inLegend && $0.style == .theory }.map(\.label) == [
                "theory: equilibrium √(2ηλ/(1+β)) (§5.3)"
            ],
            "the legend names the theory once")
        for t in theory {
            let wd = t.label.hasSuffix("0.001") ? 1e-3 : 4e-3
            for p in t.points {
                #expect(abs(p.y - (2 * p.x * wd / 1.5).squareRoot()) < 1e-15, "the predicted angle √(2ηλ/(1+β))")
            }
        }
        let svg = try Self.parse(plot.svg())
        #expect(
            svg.classed("point").count == 8 && svg.classed("errorbar").count == 8 && svg.classed("theory").count == 2)
        #expect(svg.texts.contains("RMS angle (rad)"))
        // Told apart without colour: each line its own marker shape and dash pattern, in the legend too.
        let polylines = svg.classed("line").map { $0.attributes["stroke-dasharray"] ?? "" }
        #expect(polylines.count == 2 && Set(polylines).count == 2, "\(polylines)")
        #expect(Set(svg.classed("point").map(\.name)) == ["circle", "rect"])
        #expect(Set(svg.classed("legend-marker").map(\.name)) == ["circle", "rect"])
        let legendLines = svg.all.filter { $0.name == "line" && $0.attributes["stroke-width"] == "1.8" }
        #expect(Set(legendLines.map { $0.attributes["stroke-dasharray"] ?? "" }) == Set(polylines))
        // Every run as a point: the 6 runs at one η (2 λ × 3 seeds) each in their own place along x,
        // within ±6 px of it, half-transparent.
        let scatterPlot = d.linePlot(error: .sem, scatter: true)
        let scatter = try Self.parse(scatterPlot.svg())
        #expect(scatter.classed("point").count == 24 && scatter.classed("errorbar").isEmpty)
        #expect(scatterPlot.caption.contains("spread evenly over ±6 px along x"))
        let centres = scatter.classed("point").compactMap { e -> Double? in
            if e.name == "circle" { return Double(e.attributes["cx"] ?? "") }
            return Double(e.attributes["x"] ?? "").flatMap { x in Double(e.attributes["width"] ?? "").map { x + $0 / 2 }
            }
        }
        #expect(centres.count == 24 && Set(centres.map { ($0 * 10).rounded() }).count == 24, "no two runs on one spot")
        let columns = Dictionary(grouping: centres) { ($0 / 40).rounded() }
        #expect(columns.count == 4 && columns.values.allSatisfy { $0.count == 6 && $0.max()! - $0.min()! <= 12.01 })
        #expect(scatter.classed("point").allSatisfy { $0.attributes["fill-opacity"] == "0.45" })
        // A theory of the reader's own, over both keys.
        let e = try TheoryExpression.parse("sqrt(2*lr*weight-decay/(1+0.5))", variables: ["lr", "weight_decay"])
        let own = d.linePlot(error: .sem, expression: (e, "√(2ηλ/1.5)")).lines.filter {
            $0.label.hasPrefix("theory: √")
        }
        #expect(own.count == 2)
        for p in own[1].points { #expect(abs(p.y - (2 * p.x * 4e-3 / 1.5).squareRoot()) < 1e-15) }
    }

    @Test func twoAxesMakeAHeatmapCentredOnTheTheoryWithSpreadOnHover() throws {
        let (db, dir) = try Self.database(decays: [1e-3, 4e-3])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let d = try db.phaseDiagram(x: "lr", y: "weight-decay", quantity: "rms_angle_ratio", family: nil)
        #expect(d.theoryCentre == 1)
        let svg = try Self.parse(d.svg(error: .sem))
        let cells = svg.classed("cell")
        #expect(cells.count == 8)
        #expect(cells.allSatisfy { $0.text.contains("± 0.0058 (n = 3), theory 1") }, "\(cells.map(\.text))")
        // Every cell's mean is 1, the theory: white in the diverging map.
        #expect(cells.allSatisfy { $0.attributes["fill"] == "#f7f7f7" }, "\(cells.map { $0.attributes["fill"] ?? "" })")
        let (tilted, other) = try Self.database(decays: [1e-3, 4e-3], tilt: 1.2)
        defer { try? FileManager.default.removeItem(atPath: other) }
        let hot = try Self.parse(
            try tilted.phaseDiagram(x: "lr", y: "weight-decay", quantity: "rms_angle_ratio", family: nil).svg())
        // 20 % above the theory: the top of the symmetric range, red.
        #expect(hot.classed("cell").allSatisfy { $0.attributes["fill"] == "#b2182b" })
        let labels = hot.classed("colour-label")
        #expect(labels.count >= 3)
        let ys = labels.compactMap { Double($0.attributes["y"] ?? "") }.sorted()
        #expect(zip(ys.dropFirst(), ys).allSatisfy { $0 - $1 >= 16 }, "colour-bar labels never overlap: \(ys)")
        #expect(hot.texts.contains("RMS angle / √(2ηλ/(1+β))") && hot.texts.contains("λ"))
        #expect(labels.contains { $0.text == "1" }, "the theory's value is a tick")
        // The terminal view shades as the SVG colours: every mean at the theory takes the middle
        // shade, 20 % above it the top one.
        func grid(_ text: String) -> String {
            text.components(separatedBy: "\n").filter { $0.contains("│") }.joined(separator: "\n")
        }
        let centred = d.text(unicode: true, color: false)
        #expect(grid(centred).components(separatedBy: "·").count - 1 == 2 * 8, "\(centred)")
        #expect(centred.contains("centred on the theory's 1: the middle shade · holds it (a symmetric range)"))
        let above = try tilted.phaseDiagram(x: "lr", y: "weight-decay", quantity: "rms_angle_ratio", family: nil)
            .text(unicode: true, color: false)
        #expect(grid(above).components(separatedBy: "#").count - 1 == 2 * 8, "\(above)")
        #expect(!grid(above).contains("·"))
        // The script's heatmap: the SVG's stops, its symmetric range and its rule for white numbers.
        let script = d.script(
            database: "r.sqlite", kind: .heatmap, error: .sem, logX: false, logY: false, expression: nil)
        #expect(script.contains(PhaseDiagram.diverging.map { "\"\(PhaseDiagram.hex($0))\"" }.joined(separator: ", ")))
        #expect(script.contains("half = max(abs(values - 1.0).max(), abs(1.0) * 1e-3, 1e-12)"))
        #expect(
            script.contains("dark = lambda f: abs(f - 0.5) > 0.33") && script.contains("color=\"white\" if dark(f)"))
        let coloured = d.text(unicode: true, color: true)
        #expect(coloured.contains("\u{1B}[48;5;253m"), "the middle colour, light grey as the SVG's white")
    }

    @Test func curvesAreBandsOverSeedsWithTheTheoryDashed() throws {
        let (db, dir) = try Self.database(seeds: [1, 3], series: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plot = try CurvePlot.plot(db, value: "median_charge", family: nil, by: "lr", x: "time", error: .std)
        #expect(plot.subtitle == "family fc2.scale: the first scale family")
        #expect(plot.xLabel == "t = ηk" && plot.yLabel == "median Q")
        let bands = plot.lines.filter { $0.style == .band }
        #expect(bands.count == 4)
        #expect(
            plot.lines.filter { $0.style == .theory && !$0.points.isEmpty }.map {
                $0.label.components(separatedBy: ",")[0]
            }
                == Array(repeating: ["exact (★)", "Q⁽⁰⁾", "NM"], count: 4).flatMap { $0 })
        #expect(
            plot.lines.filter(\.inLegend).map(\.label) == [
                "η = 0.01", "η = 0.02", "η = 0.04", "η = 0.08", "exact (★)", "Q⁽⁰⁾", "NM",
            ])
        let lr = 0.02
        let band = try #require(bands.first { $0.label == "η = \(lr)" })
        // Step 10 at η = 0.02 is t = 0.2; seeds 1 and 3 give 1 + 10η·seed: mean 1 + 20η, std 10η√2.
        let p = try #require(band.points.first { abs($0.x - 10 * lr) < 1e-15 })
        #expect(abs(p.y - (1 + 20 * lr)) < 1e-12 && abs(p.high! - p.y - 10 * lr * 2.0.squareRoot()) < 1e-12)
        let svg = try Self.parse(plot.svg())
        #expect(svg.classed("band").count == 4 && svg.classed("theory").count == 12)
        #expect(svg.texts.contains("t = ηk") && svg.texts.contains("median Q"))
        #expect(throws: OutputError.self) {
            try CurvePlot.plot(db, value: "charm", family: nil, by: nil, x: "step", error: .sem)
        }
        let (bare, other) = try Self.database()
        defer { try? FileManager.default.removeItem(atPath: other) }
        #expect(throws: OutputError.self) {
            try CurvePlot.plot(bare, value: "median_charge", family: nil, by: nil, x: "step", error: .sem)
        }
    }

    @Test func theoryExpressionsEvaluateAndBecomePython() throws {
        let e = try TheoryExpression.parse(
            "sqrt(2*lr*weight-decay/(1+0.5)) - 2^-1 + 1e-3", variables: ["lr", "weight_decay"])
        #expect(e.variables == ["lr", "weight_decay"])
        #expect(
            abs(e.evaluate(["lr": 0.1, "weight_decay": 0.03])! - ((2 * 0.1 * 0.03 / 1.5).squareRoot() - 0.5 + 1e-3))
                < 1e-15)
        #expect(
            e.python()
                == "((np.sqrt((((2.0 * row[\"lr\"]) * row[\"weight_decay\"]) / (1.0 + 0.5))) - (2.0 ** (-1.0))) + 0.001)"
        )
        #expect(throws: ExpressionError.self) { try TheoryExpression.parse("lr * beta", variables: ["lr"]) }
        do { _ = try TheoryExpression.parse("lr * beta", variables: ["lr"]) } catch {
            #expect(error.message == "unknown name 'beta'; the expression can use lr and sqrt, exp, log, log10, abs")
        }
        #expect(throws: ExpressionError.self) { try TheoryExpression.parse("(lr", variables: ["lr"]) }
    }

    @Test func oneVocabularyNamesEveryQuantity() {
        for q in SweepQuantity.all { #expect(Vocabulary.term(q.name) != nil, "\(q.name) has a term") }
        for c in CurvePlot.quantities { #expect(Vocabulary.term(c) != nil, "\(c) has a term") }
        #expect(SweepQuantity.named("q50")?.name == "median_charge")
        #expect(SweepQuantity.named("rms_angular_step")?.name == "rms_angle")
        #expect(SweepQuantity.named("gap_ratio_median")?.name == "gap_ratio")
        #expect(
            Vocabulary.label("weight-decay") == "λ" && Vocabulary.label("beta2") == "β₂"
                && Vocabulary.label("gap_ratio_per_lr") == "Γ/(Q₀η)")
        let names = Vocabulary.terms.map(\.name)
        #expect(Set(names).count == names.count, "a name means one thing")
        #expect(
            FieldDictionary.markdown().contains("| `median_charge` | median Q | `q50`, `families[].q50` | measured |"))
    }

    @Test func logAxesForLogRanges() {
        #expect(PhaseDiagram.isLogRange([0.025, 0.05, 0.1, 0.2, 0.4]))
        #expect(PhaseDiagram.isLogRange([1e-4, 1e-2, 3e-2]), "two decades")
        #expect(!PhaseDiagram.isLogRange([1, 2, 3, 4]))
        #expect(!PhaseDiagram.isLogRange([0.1, 0.2]))
        let scale = AxisScale([0.025, 0.4], log: true, from: 0, to: 100)
        #expect(scale.ticks() == [0.05, 0.1, 0.2], "1-2-5 within less than two decades")
        let linear = AxisScale([0, 1.5], log: false, from: 0, to: 100)
        #expect(linear.ticks().map { AxisScale.label($0, ticks: linear.ticks()) } == ["0", "0.5", "1", "1.5"])
    }

    @Test func countsAreIntegersInEveryOutput() throws {
        let o = try trajectory(SweepResultTests.tiny(), steps: 1).last!
        let json = ObservationFormat.jsonLine(o, detail: .neurons)
        #expect(json.contains("\"count\":6,") && json.contains("\"groups\":") && !json.contains("\"groups\":6.0"))
        #expect(json.range(of: #""(count|groups|dead|collapsed)":[0-9]+\.[0-9]"#, options: .regularExpression) == nil)
        let csv = ObservationFormat.csvRow(o, detail: .families)
        let header = ObservationFormat.csvHeader(o, detail: .families).split(separator: ",")
        let values = csv.split(separator: ",", omittingEmptySubsequences: false)
        for (name, value) in zip(header, values)
        where name.hasSuffix(".count") || name.hasSuffix(".groups") || name.hasSuffix(".dead") {
            #expect(Int(value) != nil, "\(name) = \(value)")
        }
        let (db, dir) = try Self.database()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let runs = try db.runsCSV().split(separator: "\n")
        #expect(runs.count == 1 + 12)
        let columns = runs[0].split(separator: ",").map(String.init)
        let groups = try #require(columns.firstIndex(of: "fc2.scale.groups"))
        #expect(
            runs.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false)[groups] == "8" })
        #expect(columns.prefix(6) == ["id", "status", "steps", "time", "final_loss", "mean_loss"])
        // The swept keys follow the run's own results, before every other configuration key.
        let lr = try #require(columns.firstIndex(of: "lr")), seed = try #require(columns.firstIndex(of: "seed"))
        #expect(seed == lr + 1 && columns[lr + 2..<columns.count].contains("arch"))
    }

    @Test func aRunsChartIsThePlotOfItsObservationsWithTheTheory() throws {
        let c = SweepResultTests.tiny()
        let observations = try trajectory(c, steps: 30)
        var chart = RunPlot(chart: .charge, family: nil)
        for o in observations { chart.add(o) }
        let plot = try chart.plot().get()
        #expect(plot.title == "median Q of fc1.scale against step k")
        let band = try #require(plot.lines.first { $0.style == .band })
        let fc1 = observations.map { o in o.families.first { $0.family == "fc1.scale" }! }
        #expect(band.points.map(\.y) == fc1.map(\.q50) && band.points.map(\.low) == fc1.map(\.q10))
        let exact = try #require(plot.lines.first { $0.label == "exact (★)" })
        #expect(exact.points.map(\.y) == fc1.map(\.predictedMedian) && exact.style == .theory)
        let svg = try Self.parse(plot.svg())
        #expect(svg.classed("band").count == 1 && svg.classed("theory").count == 3)
        var missing = RunPlot(chart: .angle, family: "fc9.scale")
        for o in observations { missing.add(o) }
        guard case .failure(let e) = missing.plot() else { Issue.record("an unknown family is refused"); return }
        #expect(e.message.hasPrefix("no family 'fc9.scale' in this run; its families: fc1.scale"))
    }

    /// A database from before the series stored its theory columns: still drawn, and a sweep
    /// resumed into it adds the columns (NULL in the old rows).
    @Test func anOlderDatabaseStaysReadableAndGainsTheNewColumns() throws {
        let dir = SweepResultTests.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/old.sqlite"
        let old = try DatabaseQueue(path: path)
        try old.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE runs (id TEXT PRIMARY KEY, status TEXT NOT NULL, config TEXT NOT NULL, steps INTEGER NOT NULL,
                      time REAL NOT NULL, final_loss REAL, mean_loss REAL, "lr");
                    CREATE TABLE families (run_id TEXT NOT NULL, family TEXT NOT NULL, symmetry TEXT NOT NULL, groups INTEGER NOT NULL,
                      median_charge REAL, gap_ratio REAL, rms_angle REAL, rms_angle_predicted REAL, dead_fraction REAL,
                      collapsed_fraction REAL, residual_max REAL, continuum_error REAL, PRIMARY KEY (run_id, family));
                    CREATE TABLE series (run_id TEXT NOT NULL, step INTEGER NOT NULL, family TEXT NOT NULL, loss REAL,
                      median_charge REAL, gap_ratio REAL, rms_angle REAL, PRIMARY KEY (run_id, step, family));
                    INSERT INTO runs VALUES ('a', 'finished', '{"lr":0.1}', 10, 1.0, 0.5, 0.6, 0.1);
                    INSERT INTO families VALUES ('a', 'fc1.scale', 'scale', 4, 1.1, 0.01, 0.02, 0.02, 0, 0, 1e-14, 1e-3);
                    INSERT INTO series VALUES ('a', 0, 'fc1.scale', 0.7, 1.0, 0, NULL), ('a', 10, 'fc1.scale', 0.5, 1.1, 0.01, 0.02);
                    """)
        }
        try old.close()
        let readOnly = try ResultsDatabase(path: path, readOnly: true)
        let curves = try CurvePlot.plot(readOnly, value: "q50", family: nil, by: nil, x: "step", error: .sem)
        #expect(curves.lines.map(\.label) == ["measured"], "no theory columns, no theory curves")
        #expect(curves.lines[0].points.map(\.y) == [1.0, 1.1])
        #expect(throws: OutputError.self) {
            try CurvePlot.plot(readOnly, value: "q10", family: nil, by: nil, x: "step", error: .sem)
        }
        _ = try ResultsDatabase(path: path)
        let columns = try DatabaseQueue(path: path).read { db in try db.columns(in: "series").map(\.name) }
        #expect(
            columns.suffix(7) == [
                "q10", "q90", "predicted_median", "reference_median", "continuum_median",
                "effective_lr_median", "rms_angle_predicted",
            ])
        let resumed = try ResultsDatabase(path: path, readOnly: true)
        let again = try CurvePlot.plot(resumed, value: "median_charge", family: nil, by: nil, x: "step", error: .sem)
        #expect(
            again.lines.filter { $0.style == .theory }.isEmpty, "the old rows have NULL predictions: nothing to draw")
    }
}
