import Foundation
import Testing
@testable import NoetherCore

/// Exported numbers mean what docs/FIELDS.md says: every field is in the dictionary, subnormals
/// are 0, and collapsed neurons are flagged and kept out of summaries and ratios.
@Suite("Exported fields")
struct ExportTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Configurations that between them emit every kind of group and optional field.
    static let configurations: [(String, Config)] = [
        ("bn-relu momentum+wd", config { $0.momentum = 0.9 }),
        (
            "linear balance",
            config {
                $0.arch = .linear; $0.norm = .none; $0.bias = false; $0.data = .teacher; $0.depth = 3; $0.width = 4
            }
        ),
        (
            "tanh",
            config {
                $0.arch = .tanh; $0.norm = .none
            }
        ),
        (
            "adam",
            config {
                $0.optimizer = .adam; $0.lr = 0.01
            }
        ),
        ("layer norm", config { $0.norm = .layer }),
    ]

    static func observations(_ c: Config) throws -> [Observation] {
        var c = c
        c.samples = 64
        return try trajectory(c, steps: 3)
    }

    @Test("every emitted JSON key and CSV column is in the field dictionary, at every detail level")
    func everyFieldIsDefined() throws {
        var seen: [FieldScope: Set<String>] = [:]
        for (name, c) in Self.configurations {
            for o in try Self.observations(c) {
                for detail in OutputDetail.allCases {
                    let object = try JSONSerialization.jsonObject(
                        with: Data(ObservationFormat.jsonLine(o, detail: detail).utf8))
                    let row = try #require(object as? [String: Any], "\(name)")
                    let nested: [String: FieldScope] = [
                        "layers": .layer, "kinds": .kind, "families": .family, "charges": .charge,
                    ]
                    for (key, value) in row {
                        if let scope = nested[key] {
                            for element in try #require(value as? [[String: Any]]) {
                                for field in element.keys { seen[scope, default: []].insert(field) }
                            }
                        } else {
                            seen[.row, default: []].insert(key)
                        }
                    }
                    // CSV columns are <owner>.<field>: the field part must be defined for that owner.
                    let header = ObservationFormat.csvHeader(o, detail: detail).split(separator: ",").map(String.init)
                    #expect(
                        header.count
                            == ObservationFormat.csvRow(o, detail: detail).split(
                                separator: ",", omittingEmptySubsequences: false
                            ).count)
                    for column in header where column.contains(".") {
                        let field = String(column.split(separator: ".").last!)
                        #expect(
                            FieldScope.allCases.contains { FieldDictionary.contains(field, in: $0) },
                            "\(name): CSV column \(column)")
                    }
                }
            }
        }
        for scope in FieldScope.allCases {
            let fields = try #require(seen[scope], "no \(scope) fields were emitted at all")
            #expect(!fields.isEmpty)
            for f in fields {
                #expect(FieldDictionary.contains(f, in: scope), "\(scope.rawValue).\(f) is not in the dictionary")
            }
        }
        // The renamed fields really are emitted where they apply.
        #expect(
            seen[.charge]!.isSuperset(of: [
                "grad_sum", "grad_norm2_out_minus_in", "grad_norm2", "ksb_gap_frobenius",
                "drift_frobenius", "effective_lr", "collapsed",
            ]))
    }

    @Test("docs/FIELDS.md is what `noether run --fields` prints")
    func fieldsDocumentIsCurrent() throws {
        let path = Self.root.appendingPathComponent("docs/FIELDS.md").path
        let text = try #require(
            FileManager.default.contents(atPath: path).flatMap { String(data: $0, encoding: .utf8) },
            "docs/FIELDS.md is missing")
        #expect(text == FieldDictionary.markdown(), "regenerate with: noether run --fields > docs/FIELDS.md")
    }

    @Test("values below the normal range are written as 0 in JSON and CSV; parameters stay exact")
    func subnormalsAreFlushed() {
        #expect(ObservationFormat.json(5e-324) == "0.0")
        #expect(ObservationFormat.json(-2.0e-310) == "0.0")
        #expect(ObservationFormat.csv(1.5e-323) == "0.0")
        #expect(ObservationFormat.json(Double.leastNormalMagnitude) == "\(Double.leastNormalMagnitude)")
        #expect(ObservationFormat.exact(5e-324) == "5e-324")
    }

    /// Names in rows (families, layers, groups) are JSON strings that read back as written,
    /// quotes, backslashes and control characters included.
    @Test func stringsReadBackFromJSON() throws {
        let name = "a\"b\\c\nd\te\u{1}\u{7F}é∑"
        let data = Data("[\(ObservationFormat.json(name))]".utf8)
        let back = try #require(try JSONSerialization.jsonObject(with: data) as? [String])
        #expect(back == [name])
    }

    /// A setting is what the user chose: a subnormal learning rate is written as itself, not as 0,
    /// in shortest round-trip form, and reads back bit for bit.
    @Test(arguments: [4.9e-324, 1e-310, 2.2250738585072014e-308, 0.1])
    func settingsAreWrittenExactly(lr: Double) throws {
        let c = config {
            $0.lr = lr; $0.momentum = 1e-320; $0.samples = 32
        }
        let o = try Simulator(c).observation()
        let json = ObservationFormat.jsonLine(o, detail: .summary)
        #expect(json.contains(",\"lr\":\(lr),\"momentum\":1e-320,"), "\(json)")
        let header = ObservationFormat.csvHeader(o, detail: .summary).split(separator: ",")
        let row = ObservationFormat.csvRow(o, detail: .summary).split(separator: ",", omittingEmptySubsequences: false)
        let lrColumn = try #require(header.firstIndex(of: "lr"))
        #expect(Double(String(row[lrColumn]))?.bitPattern == lr.bitPattern, "\(row[lrColumn])")
        #expect(row[lrColumn + 1] == "1e-320")
    }

    @Test("a run whose charges decay into subnormals exports no subnormal number")
    func decayingRunHasNoSubnormalTokens() throws {
        // Strong weight decay shrinks every parameter geometrically, ηλ = 0.9 per step:
        // after ~800 steps the charges and their predictions are below 1e-308.
        let c = config {
            $0.norm = .none; $0.lr = 0.5; $0.weightDecay = 1.8; $0.samples = 64; $0.bias = true
        }
        let sim = try Simulator(c)
        func hasSubnormal(_ o: Observation) -> Bool {
            o.charges.flatMap { ObservationFormat.fields($0).map(\.1) }.contains {
                $0 != 0 && abs($0) < Double.leastNormalMagnitude
            }
        }
        var o = sim.observation()
        while !hasSubnormal(o), sim.step < 2000 {
            try sim.advance()
            o = sim.observation()
        }
        #expect(hasSubnormal(o), "the run should reach subnormal charges within 2000 steps")
        let line = ObservationFormat.jsonLine(o, detail: .neurons) + ObservationFormat.csvRow(o, detail: .neurons)
        let numbers = line.split(whereSeparator: { ",:[]{}".contains($0) }).compactMap { Double($0) }
        #expect(!numbers.isEmpty)
        #expect(numbers.allSatisfy { $0 == 0 || abs($0) >= Double.leastNormalMagnitude })
    }

    @Test("collapsed neurons are flagged, left out of family summaries, and their ratios are null")
    func collapsedNeuronsAreFlagged() throws {
        // Batch norm with momentum 0.95: several fc1 neurons shrink away within 1500 steps
        // (measured: 6 of 32 by step 1500 with seed 1).
        let c = config { $0.momentum = 0.95 }
        let sim = try Simulator(c)
        for _ in 0..<1500 { try sim.advance() }
        let o = sim.observation()
        let fc1 = o.charges.filter { $0.family == "fc1.scale" }
        let collapsed = fc1.filter(\.collapsed)
        #expect(collapsed.count >= 2, "expected collapsed neurons, got magnitudes \(fc1.map(\.magnitude))")
        #expect(collapsed.count < fc1.count)
        let family = try #require(o.families.first { $0.family == "fc1.scale" })
        #expect(family.collapsed == collapsed.count)
        // The summary is made of live groups only: no quantile sits at a collapsed value.
        let smallestLive = fc1.filter { !$0.collapsed }.map(\.value).min()!
        #expect(family.q10 >= smallestLive)
        #expect(family.residualMax <= 1e-10)
        for c in collapsed {
            #expect(c.residual.isNaN && c.effectiveLearningRate!.isNaN && c.angularStep!.isNaN)
        }
        // Exported: null ratios for the collapsed, and no absurd effective learning rate anywhere.
        let object = try JSONSerialization.jsonObject(with: Data(ObservationFormat.jsonLine(o, detail: .neurons).utf8))
        let charges = try #require((object as? [String: Any])?["charges"] as? [[String: Any]])
        let rows = charges.filter { ($0["collapsed"] as? Double) == 1 }
        #expect(rows.count >= collapsed.count)
        #expect(
            rows.allSatisfy { $0["residual"] is NSNull && ($0["effective_lr"] == nil || $0["effective_lr"] is NSNull) })
        // η/Q of a live group is bounded by η / (collapseRatio · Q₀): far from the 1e133 of a collapsed one.
        let rates = charges.compactMap { $0["effective_lr"] as? Double }
        #expect(!rates.isEmpty && rates.allSatisfy { $0 < 1e6 })
    }
}
