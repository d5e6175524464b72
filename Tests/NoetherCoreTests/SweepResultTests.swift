import Foundation
import Testing
@testable import NoetherCore

/// A run's summary comes from the simulator's own family summaries; results survive JSON and
/// SQLite bit for bit; phase diagrams average the runs of a cell and read without colour.
@Suite("Sweep results")
struct SweepResultTests {
    static func tiny(_ change: (inout Config) -> Void = { _ in }) -> Config {
        config {
            $0.width = 6
            $0.samples = 64
            $0.steps = 60
            change(&$0)
        }
    }

    static func folder() -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("noether-sweep-\(UUID().uuidString)")
            .path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func aRunIsSummarizedFromItsObservations() throws {
        let c = Self.tiny()
        let r = try RunSummary.run(c, axes: ["lr"], seriesEvery: 20)
        #expect(r.id == c.runID && r.status == RunResult.finished)
        let final = try trajectory(c, steps: c.steps).last!
        #expect(r.finalLoss == final.loss)
        let fc1 = try #require(r.families.first { $0.family == "fc1.scale" })
        let summary = try #require(final.families.first { $0.family == "fc1.scale" })
        #expect(fc1.medianCharge == summary.q50 && fc1.gapRatio == summary.gapRatioMedian && fc1.groups == 6)
        #expect(fc1.rmsAnglePredicted == c.equilibrium(c.live)?.angle)
        #expect(try #require(fc1.rmsAngle) > 0)
        #expect(try #require(fc1.residualMax) < 1e-10, "the exact identity holds")
        #expect(try #require(fc1.continuumError) > 0)
        #expect(r.families.first { $0.symmetry == "translation" }?.rmsAngle == nil)
        // Steps 0, 20, 40, 60 for each family.
        #expect(Set(r.series.map(\.step)) == [0, 20, 40, 60])
        #expect(r.series.count == 4 * r.families.count)
    }

    @Test func aDivergedRunIsAResultWithItsStep() throws {
        let r = try RunSummary.run(
            Self.tiny {
                $0.arch = .linear; $0.norm = .none; $0.data = .teacher; $0.lr = 50; $0.weightDecay = 0
            }, axes: ["lr"])
        #expect(r.status.hasPrefix("diverged at step"))
        #expect(r.finalLoss == nil && r.families.isEmpty)
    }

    @Test func aResultSurvivesItsFileBitForBit() throws {
        let dir = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try RunSummary.run(Self.tiny { $0.weightDecay = 1.0 / 3 }, axes: ["weight-decay"], seriesEvery: 7)
        try r.write(to: dir + "/r.json")
        #expect(try RunResult.read(dir + "/r.json") == r)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["r.json"], "no temporary file left")
    }

    @Test func theDatabaseStoresEachRunOnceWithAColumnPerAxis() throws {
        let dir = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = try ResultsDatabase(path: dir + "/r.sqlite")
        let runs = try [0.05, 0.1].map { lr in
            try RunSummary.run(Self.tiny { $0.lr = lr }, axes: ["lr", "weight-decay"], seriesEvery: 30)
        }
        for r in runs { #expect(try db.insert(r)) }
        #expect(try db.insert(runs[0]) == false, "a stored run is kept as it is")
        #expect(try db.storedIDs() == Set(runs.map(\.id)))
        let rows = try db.rows("runs")
        #expect(rows.count == 2)
        #expect(rows.map { $0["lr"] as Double }.sorted() == [0.05, 0.1])
        #expect(
            rows.allSatisfy {
                ($0["weight_decay"] as Double) == 5e-3 && ($0["time"] as Double) == ($0["lr"] as Double) * 60
            })
        let families = try db.rows("families")
        #expect(families.count == runs.map(\.families.count).reduce(0, +))
        let fc1 = try #require(
            families.first { ($0["run_id"] as String) == runs[0].id && ($0["family"] as String) == "fc1.scale" })
        #expect((fc1["rms_angle"] as Double?) == runs[0].families.first { $0.family == "fc1.scale" }?.rmsAngle)
        #expect(try db.rows("series").count == runs.map(\.series.count).reduce(0, +))
        // Reopened, the same database resumes.
        #expect(try ResultsDatabase(path: dir + "/r.sqlite").storedIDs().count == 2)
    }

    @Test func aPhaseDiagramAveragesTheRunsOfACellAndReadsWithoutColour() throws {
        let dir = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = try ResultsDatabase(path: dir + "/r.sqlite")
        for lr in [0.05, 0.1] {
            for wd in [1e-3, 1e-2] {
                for seed in [1, 2] as [UInt64] {
                    try db.insert(
                        RunSummary.run(
                            Self.tiny {
                                $0.lr = lr; $0.weightDecay = wd; $0.seed = seed
                            }, axes: ["lr", "weight-decay", "seed"]))
                }
            }
        }
        try db.insert(
            RunSummary.run(
                Self.tiny {
                    $0.arch = .linear; $0.norm = .none; $0.data = .teacher; $0.lr = 50; $0.weightDecay = 0
                }, axes: ["lr", "weight-decay"]))
        let d = try db.phaseDiagram(x: "lr", y: "weight-decay", quantity: "rms_angle_ratio", family: nil)
        #expect(d.family == "fc1.scale")
        #expect(
            d.xValues.map(\.label) == ["0.05", "0.1", "50.0"] && d.yValues.map(\.label) == ["0.0", "0.001", "0.01"])
        let rows = try db.rows("families").filter { ($0["family"] as String) == "fc1.scale" }
        let runs = try db.rows("runs")
        func ratio(_ lr: Double, _ wd: Double) -> [Double] {
            rows.filter { row in
                runs.contains {
                    ($0["id"] as String) == (row["run_id"] as String) && ($0["lr"] as Double) == lr
                        && ($0["weight_decay"] as Double) == wd
                }
            }
            .map { ($0["rms_angle"] as Double) / ($0["rms_angle_predicted"] as Double) }
        }
        let cell = d.cells[1][0]
        #expect(cell.runs == 2)
        #expect(abs(cell.value! - ratio(0.05, 1e-3).reduce(0, +) / 2) < 1e-15)
        #expect(d.cells[0][2].diverged == 1 && d.cells[0][2].value == nil)
        let plain = d.text(unicode: true, color: false)
        #expect(plain.contains(PhaseDiagram.format(cell.value!)), "every cell prints its number")
        #expect(plain.contains("div"))
        #expect(!plain.contains("\u{1B}"), "no escape codes without colour")
        // A ratio to its prediction: shades centred on the theory's 1, as the SVG's colours are.
        #expect(
            plain.contains("centred on the theory's 1: the middle shade · holds it (a symmetric range)"), "\(plain)")
        #expect(plain.contains("scale: = "))
        // A quantity without a constant theory: shades from low to high over the data.
        let loss = try db.phaseDiagram(x: "lr", y: "weight-decay", quantity: "final_loss", family: nil)
            .text(unicode: true, color: false)
        #expect(loss.contains("░") && loss.contains("█") && loss.contains("scale: ░") && !loss.contains("centred"))
        let ascii = d.text(unicode: false, color: false)
        let onlyASCII = ascii.unicodeScalars.allSatisfy(\.isASCII)
        #expect(onlyASCII, "\(ascii)")
        #expect(d.text(unicode: true, color: true).contains("\u{1B}[48;5;"))
        let svg = d.svg()
        #expect(
            svg.hasPrefix("<?xml") && svg.contains(PhaseDiagram.format(cell.value!)) && svg.contains("linearGradient"))
        #expect(svg.components(separatedBy: "<rect").count - 1 == 1 + 9 + 1, "background, 3 × 3 cells, colour bar")
        let row = d.table().split(separator: "\n").first { $0.hasPrefix("0.05  0.001") }
        #expect(
            row?.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                == ["0.05", "0.001", cell.spread!.formatted(.sem), "2", "1.000", "0"], "\(d.table())")
        #expect(throws: OutputError.self) {
            try db.phaseDiagram(x: "lr", y: "nope", quantity: "gap_ratio", family: nil)
        }
        #expect(throws: OutputError.self) {
            try db.phaseDiagram(x: "lr", y: nil, quantity: "gap_ratio", family: "fc9.scale")
        }
        #expect(throws: OutputError.self) { try db.phaseDiagram(x: "lr", y: nil, quantity: "charm", family: nil) }
    }
}
