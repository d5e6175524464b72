import Testing
@testable import NoetherCore

/// `whiten`: the inputs' second-moment matrix becomes the identity (THEORY.md §14.2).
@Suite("Whitened inputs")
struct WhitenTests {
    static func secondMoment(_ d: Dataset) -> [Double] {
        let n = d.count, k = d.inputDim
        var m = [Double](repeating: 0, count: k * k)
        for r in 0..<n { for i in 0..<k { for j in 0..<k { m[i * k + j] += d.inputs[r * k + i] * d.inputs[r * k + j] / Double(n) } } }
        return m
    }

    @Test(arguments: [DataSource.teacher, .blobs, .spirals])
    func secondMomentIsTheIdentity(_ source: DataSource) throws {
        var rng = Xoshiro256(seed: 5)
        let c = config { $0.data = source; $0.inputDim = 5; $0.samples = 300; $0.whiten = true }
        let m = Self.secondMoment(try Dataset.make(c, rng: &rng))
        let k = Int(Double(m.count).squareRoot())
        let worst = (0..<(k * k)).map { abs(m[$0] - ($0 / k == $0 % k ? 1 : 0)) }.max()!
        #expect(worst < 1e-12, "\(source.name): worst |M − I| \(worst)")
        var plain = Xoshiro256(seed: 5)
        let raw = Self.secondMoment(try Dataset.make(config { $0.data = source; $0.inputDim = 5; $0.samples = 300 }, rng: &plain))
        #expect((0..<(k * k)).map { abs(raw[$0] - ($0 / k == $0 % k ? 1 : 0)) }.max()! > 1e-3)
    }

    @Test func singularInputsAreRefused() throws {
        var rng = Xoshiro256(seed: 1)
        do {
            _ = try Dataset.make(config { $0.data = .teacher; $0.inputDim = 6; $0.samples = 4; $0.whiten = true }, rng: &rng)
            Issue.record("4 samples of 6 inputs were whitened")
        } catch let error as ConfigError {
            #expect(error.field == "whiten" && error.message.contains("singular"))
        }
    }

    /// The key reads from presets and round-trips; unset, it leaves run keys as they were.
    @Test func keyReadsAndRoundTrips() throws {
        let preset = try Preset.parse("title = \"t\"\nwhiten = true\n", name: "w", file: "w.toml")
        #expect(preset.config.whiten)
        #expect(try Preset.parse(Config.lines(preset.config), name: "w", file: "w.toml").config.whiten)
        #expect(!Config().canonicalText.contains("whiten"))
        #expect(config { $0.whiten = true }.runID != Config().runID)
    }
}
