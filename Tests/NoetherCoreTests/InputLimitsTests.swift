import Foundation
@testable import NoetherCore
import Testing

/// Limits on what an input may ask for, and routines that end whatever their inputs.
@Suite("Input limits")
struct InputLimitsTests {
    /// At a subnormal learning rate γ = (1−β)/(η(1+β)) overflows; the propagator is formed from
    /// γη and ω²η instead and stays the identity to first order in η, as the exact exponential is.
    @Test(arguments: [4.9e-324, 1e-310, 2.2250738585072014e-308, 1e-300, 1e-12])
    func theContinuumStepIsFiniteAtAnyLearningRate(eta: Double) {
        for kind in SymmetryKind.allCases {
            let (m, f) = ContinuumStep.oscillator(kind, eta: eta, lambda: 5e-3, beta: 0.9)
            for x in [m.0, m.1, m.2, m.3, f.0, f.1] { #expect(x.isFinite, "\(kind) at η = \(eta)") }
            // exp(A) with A = [[0, η], [−ω²η, −2γη]]: the Q row is (1, ~η) to first order.
            #expect(abs(m.0 - 1) <= 1e-9 && abs(m.1) <= 2 * eta + 1e-300, "\(m)")
            // The velocity row decays by e^{−2γη} = e^{−2(1−β)/(1+β)} whatever η is.
            let decay = exp(-2 * (1 - 0.9) / (1 + 0.9))
            #expect(abs(m.3 - decay) <= 1e-12 * decay + 1e-9, "\(m.3) vs \(decay)")
        }
    }

    @Test func theMatrixExponentialEndsOnNonFiniteInput() {
        for bad in [Double.infinity, -.infinity, .nan, .greatestFiniteMagnitude] {
            var a = [0, bad, 0, 0, 0, 0, 0, 0, 0]
            let e = ContinuumStep.expm3(&a)
            #expect(e.count == 9)
            if !bad.isFinite { #expect(e.allSatisfy { $0.isNaN }) }
        }
    }

    @Test(arguments: ["0", "5", "-3", "+2", "0.1", ".5", "5.", "1e-3", "2.5E+4", "-1e308", "4.9e-324"])
    func decimalNumbersAreRead(text: String) {
        #expect(NumberSyntax.decimal(text) == Double(text))
    }

    @Test(arguments: ["0x10", "0X1p3", "nan", "NaN", "inf", "-infinity", "1_000", "1e", "e5", ".", "", " 1", "1 ", "--1",
                      "1e+", "0b1", "0o7", "1,5", "١"])
    func otherNumbersAreRefused(text: String) {
        #expect(NumberSyntax.decimal(text) == nil)
    }

    @Test(arguments: [("steps", 1000.0), ("width", 4.0), ("batch-size", 32.0), ("seed", 1.0), ("input-dim", 2.0), ("samples", 64.0)])
    func integerKeysRefuseFloats(key: String, value: Double) {
        #expect(throws: ConfigEntryError.self) { try Config.decoding([TOMLEntry(key: key, value: .float(value), line: 1)], over: Config()) }
        #expect((try? Config.decoding([TOMLEntry(key: key, value: .integer(Int(value)), line: 1)], over: Config())) != nil)
    }

    @Test func aSweepIsRefusedByItsRunCountBeforeItsRunsAreLaidOut() throws {
        let text = "steps = 1\n[axes]\nseed = { from = 1, to = 10000, count = 10000 }\nwidth = { from = 1, to = 11, count = 11 }\n"
        #expect(throws: PresetError(file: "g.toml", line: 3,
                                    message: "the axes make 110000 runs (seed 10000 × width 11); a sweep may have at most 100000")) {
            try Sweep.parse(text, file: "g.toml")
        }
        let fits = try Sweep.parse("steps = 1\n[axes]\nseed = { from = 1, to = 10000, count = 10000 }\nwidth = [4, 8]\n", file: "f.toml")
        #expect(try fits.runs().count == 20_000)
    }

    @Test func aLongSeedListIsCheckedForRepeatsOnce() throws {
        let seeds = (0..<5000).map(String.init).joined(separator: ", ")
        let sweep = try Sweep.parse("steps = 1\n[axes]\nseed = [\(seeds)]\n", file: "s.toml")
        #expect(try sweep.runs().map(\.config.seed) == (0..<5000).map(UInt64.init))
        #expect(throws: PresetError(file: "s.toml", line: 3, message: "axis seed lists 7 twice")) {
            try Sweep.parse("steps = 1\n[axes]\nseed = [\(seeds), 7]\n", file: "s.toml")
        }
    }

    @Test func tooManyTablesAreRefusedBeforeTheyAreRead() {
        let text = "title = \"t\"\nsteps = 10\n" + String(repeating: "[[at]]\nstep = 1\n", count: Preset.maxChanges + 1)
        #expect(throws: PresetError.self) { try Preset.parse(text, name: "t", file: "t.toml") }
        do { _ = try Preset.parse(text, name: "t", file: "t.toml") } catch {
            #expect("\(error)" == "t.toml: about 1000001 tables; a file may hold at most 1000000 [[at]] tables")
        }
    }

    /// A recording cut inside its last table says what the table held.
    @Test(arguments: [
        ("[[at]]\nstep = 7\nteleport = { family = \"fc1.scale\", factor = 2.0 }\n", "which held a teleport at step 7"),
        ("[[at]]\nstep = 7\nfork = true\n", "which held a fork at step 7"),
        ("[[at]]\nstep = 7\nlr = 0.05\nmomentum = 0.9\n", "which held a change (lr = 0.05, momentum cut) at step 7"),
        ("[[at]]\nstep = 7\nteleport = { family = \"fc1.scale\", factor = 2.0 }\nlr = 0.01\n",
         "which held a teleport (fc1.scale) and a change (lr cut) at step 7"),
    ])
    func aCutRecordingNamesWhatTheCutDropped(table: String, says: String) throws {
        let whole = "recording-format = 2\nnoether-version = \"t\"\ntitle = \"r\"\nsteps = 10\n\n[[at]]\nstep = 2\nlr = 0.2\n\n" + table + "\n[[progress]]\nrun = 0\nstep = 9\n"
        let cut = String(whole.prefix(whole.count - "\n[[progress]]\nrun = 0\nstep = 9\n".count - 3))
        let r = try Recording.parse(cut, file: "r.toml")
        #expect(r.warnings.count == 1)
        #expect(r.warnings.first?.hasSuffix(says) == true, "\(r.warnings)")
    }
}
