import Foundation
import Testing
@testable import NoetherCore

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

@Suite("Presets and recordings")
struct PresetTests {
    static func shipped() throws -> [Preset] {
        let dir = repositoryRoot.appendingPathComponent("Presets").path
        return try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".toml") }.sorted()
            .map { try PresetLibrary.loadFile(dir + "/" + $0) }
    }

    @Test func atLeastTenPresetsWithTitlesAndDescriptions() throws {
        let all = try Self.shipped()
        #expect(all.count >= 10)
        for p in all {
            #expect(p.name.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" }, "\(p.name)")
            #expect(!p.title.isEmpty && p.title != p.name)
            let sentences = p.description.components(separatedBy: ". ").count
            #expect(p.description.hasSuffix("."))
            #expect((2...4).contains(sentences), "\(p.name): \(sentences) sentences")
        }
    }

    /// Runs a preset headless through its schedule and returns every observation.
    static func run(_ name: String, steps: Int? = nil) throws -> [Observation] {
        let p = try shipped().first { $0.name == name }!
        let sim = try Simulator(p.config)
        var pending = p.schedule[...]
        var out = [sim.observation()]
        for _ in 0..<(steps ?? p.config.steps) {
            while let c = pending.first, c.step <= sim.step { pending.removeFirst(); try sim.set(c.applied(to: sim.live)) }
            try sim.advance()
            out.append(sim.observation())
        }
        return out
    }

    @Test func everyPresetRunsAndStaysExactUnlessItSaysOtherwise() throws {
        for p in try Self.shipped() {
            let obs = try Self.run(p.name, steps: 50)
            let worst = obs.flatMap(\.charges).map(\.residual).max() ?? 0
            if p.config.optimizer == .adam { #expect(worst > 1e-6, "\(p.name)") } else { #expect(worst < 1e-10, "\(p.name): \(worst)") }
        }
    }

    @Test func bnScaleGrowthRisesAtEveryStep() throws {
        let obs = try Self.run("bn-scale-growth")
        for k in 1..<obs.count {
            for (a, b) in zip(obs[k - 1].charges, obs[k].charges) where a.symmetry == .scale { #expect(b.value > a.value) }
        }
    }

    @Test func translationMomentumOscillatesWithNoKSBGap() throws {
        let obs = try Self.run("translation-momentum")
        let series = obs.map { $0.charges.first { $0.group.hasSuffix("translation[bias]") }! }
        let signChanges = zip(series, series.dropFirst()).filter { ($0.value > 0) != ($1.value > 0) }.count
        #expect(signChanges >= 4, "sign changes \(signChanges)")
        #expect(series.map { abs($0.ksbGap) / max(abs($0.reference), 1e-12) }.max()! < 1e-9)
    }

    @Test func adamMovesScaleChargesBothWays() throws {
        let obs = try Self.run("adam-breaking", steps: 100)
        var up = 0, down = 0
        for k in 1..<obs.count {
            for (a, b) in zip(obs[k - 1].charges, obs[k].charges) where a.symmetry == .scale {
                if b.value > a.value { up += 1 } else if b.value < a.value { down += 1 }
            }
        }
        #expect(down > 0 && up > 0, "up \(up) down \(down)")
    }

    @Test func layerNormTranslationDecaysGeometrically() throws {
        let obs = try Self.run("layer-norm", steps: 300)
        let p = try Self.shipped().first { $0.name == "layer-norm" }!
        let c = 1 - p.config.lr * p.config.weightDecay
        for (a, b) in zip(obs[0].charges, obs[300].charges) where a.symmetry == .translation && a.family == "fc1.translation" {
            #expect(relative(b.value, a.value * pow(c, 300), scale: a.magnitude) < 1e-12)
        }
    }

    @Test func savedPresetLoadsBackToTheSameConfiguration() throws {
        var p = PresetLibrary.builtInDefault
        p.config.arch = .leakyRelu; p.config.lr = 0.037; p.config.seed = 12; p.config.data = .spirals; p.config.initStd = 0.3
        p.schedule = [ScheduledChange(step: 5, learningRate: 0.01), ScheduledChange(step: 9, weightDecay: 1e-4)]
        p.description = "Line one \"quoted\".\nLine two."
        let back = try Preset.parse(p.toml(), name: p.name, file: "saved.toml")
        #expect(back == p)
    }

    @Test func badInputGivesItsMessage() throws {
        let dir = repositoryRoot.appendingPathComponent("Tests/NoetherCoreTests/BadInput").path
        let expected = try String(contentsOfFile: dir + "/expected.txt", encoding: .utf8).split(separator: "\n")
        #expect(expected.count >= 8)
        for line in expected {
            let parts = line.split(separator: "|", maxSplits: 1).map(String.init)
            let path = dir + "/" + parts[0]
            var message = ""
            do {
                if parts[0].contains("recording") { _ = try Recording.load(path) } else { _ = try PresetLibrary.loadFile(path) }
            } catch { message = error.description }
            #expect(message.hasPrefix(path), "\(parts[0]): \(message)")
            #expect(message.contains(parts[1]), "\(parts[0]): \(message)")
        }
        #expect(throws: PresetError.self) { try PresetLibrary.load("no-such-preset") }
    }

    /// Record (with changes mid-run, two at one step) → replay headless: identical observations.
    @Test func recordThenReplayIsByteIdentical() throws {
        let path = NSTemporaryDirectory() + "noether-test-\(UUID().uuidString).toml"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var p = PresetLibrary.builtInDefault
        p.config.width = 8
        let changes = [ScheduledChange(step: 7, learningRate: 0.3), ScheduledChange(step: 7, momentum: 0.5),
                       ScheduledChange(step: 20, weightDecay: 1e-2)]
        let recorder = try Recorder(path: path, preset: p, version: "test")
        let sim = try Simulator(p.config)
        var original: [String] = []
        for k in 0...40 {
            for c in changes where c.step == k {
                try sim.set(c.applied(to: sim.live))
                try recorder.record(c)
            }
            original.append(ObservationFormat.jsonLine(sim.observation()))
            if k < 40 { try sim.advance() }
        }
        try recorder.stop(at: 40)
        let recording = try Recording.load(path)
        #expect(recording.stopStep == 40)
        let replay = try Simulator(recording.preset.config)
        var pending = recording.preset.schedule[...]
        var replayed: [String] = []
        for k in 0...40 {
            while let c = pending.first, c.step <= k { pending.removeFirst(); try replay.set(c.applied(to: replay.live)) }
            replayed.append(ObservationFormat.jsonLine(replay.observation()))
            if k < 40 { try replay.advance() }
        }
        #expect(replayed == original)
    }
}
