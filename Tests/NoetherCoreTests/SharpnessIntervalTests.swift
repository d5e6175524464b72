import Foundation
import Testing
@testable import NoetherCore

/// `sharpness-every` in `[[at]]` tables: a story measures densely where it matters (THEORY.md §16),
/// and presets, recordings and replays keep the intervals.
@Suite("Sharpness interval in [[at]] tables")
struct SharpnessIntervalTests {
    static let text = """
        title = "interval"
        arch = "tanh"
        norm = "none"
        data = "teacher"
        samples = 64
        batch-size = 64
        width = 8
        depth = 1
        steps = 120
        sharpness-every = 25

        [[at]]
        step = 40
        sharpness-every = 10

        [[at]]
        step = 70
        lr = 0.05
        sharpness-every = 0

        [[at]]
        step = 100
        sharpness-every = 7
        """

    /// The steps at which a run of `preset` carries a sharpness reading, through a Session.
    static func measuredSteps(_ preset: Preset) throws -> [Int] {
        let session = try Session(preset)
        var steps: [Int] = []
        func note() { if session.front.observation().sharpness != nil { steps.append(session.step) } }
        note()
        while session.step < preset.config.steps {
            try session.advance()
            note()
        }
        return steps
    }

    /// Every 25 until step 40, where the interval becomes 10 (and 40 is due at once), none after
    /// step 70 (whose own reading came before the change), then every 7 from step 100 (due then).
    @Test func theIntervalChangesAtItsSteps() throws {
        let p = try Preset.parse(Self.text, name: "interval", file: "interval.toml")
        #expect(p.schedule.map(\.sharpnessEvery) == [10, 0, 7])
        #expect(p.schedule[1].learningRate == 0.05)
        #expect(try Self.measuredSteps(p) == [0, 25, 40, 50, 60, 70, 105, 112, 119])
    }

    /// A preset writes the key back, and reading it gives the same schedule.
    @Test func presetTextRoundTrips() throws {
        let p = try Preset.parse(Self.text, name: "interval", file: "interval.toml")
        let again = try Preset.parse(p.toml(), name: "interval", file: "again.toml")
        #expect(again.schedule == p.schedule)
        #expect(p.toml().contains("[[at]]\nstep = 40\nsharpness-every = 10\n"))
    }

    /// A session recorded with its story replays with the same readings at the same steps.
    @Test func recordingsKeepTheInterval() throws {
        let path = NSTemporaryDirectory() + "noether-interval-\(UUID().uuidString).toml"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let p = try Preset.parse(Self.text, name: "interval", file: "interval.toml")
        let session = try Session(p, recorder: try Recorder(path: path, preset: p, version: "test"))
        var original: [String] = [ObservationFormat.jsonLine(session.front.observation())]
        while session.step < p.config.steps {
            try session.advance()
            original.append(ObservationFormat.jsonLine(session.front.observation()))
        }
        try session.recorder!.stop(at: session.step)
        let recording = try Recording.load(path)
        #expect(recording.preset.schedule.compactMap(\.sharpnessEvery) == [10, 0, 7])
        let replay = try Session(recording.preset)
        var replayed: [String] = [ObservationFormat.jsonLine(replay.front.observation())]
        while replay.step < p.config.steps {
            try replay.advance()
            replayed.append(ObservationFormat.jsonLine(replay.front.observation()))
        }
        #expect(replayed == original)
        #expect(replayed.filter { $0.contains("\"sharpness\":") }.count == 9)
    }

    /// A run that does not measure stays unmeasured (`--sharpness-every 0` over a preset), and
    /// the rows keep one set of columns.
    @Test func aRunThatNeverMeasuresIgnoresTheTables() throws {
        var p = try Preset.parse(Self.text, name: "interval", file: "interval.toml")
        p.config.sharpnessEvery = 0
        #expect(try Self.measuredSteps(p) == [])
    }

    /// Bad values name the file, line and what is allowed.
    @Test(arguments: [
        ("sharpness-every = -1", "interval.toml:14: sharpness-every must be 0 (pause) or a number of steps"),
        ("sharpness-every = 2.5", "interval.toml:14: sharpness-every must be 0 (pause) or a number of steps"),
        ("sharpness-every = \"10\"", "interval.toml:14: sharpness-every must be 0 (pause) or a number of steps"),
        ("sharpnes-every = 10", "unknown key 'sharpnes-every' in [[at]]; allowed: step, lr, momentum"),
    ])
    func badValuesAreNamed(_ line: String, _ expected: String) {
        let text = Self.text.replacingOccurrences(of: "sharpness-every = 10", with: line)
        var message = ""
        do { _ = try Preset.parse(text, name: "interval", file: "interval.toml") } catch { message = "\(error)" }
        #expect(message.contains(expected), "\(message)")
        #expect(message.contains("sharpness-every"), "\(message)")
    }

    /// A table cannot switch on a run that does not measure: its rows would gain columns midway.
    @Test func aTableNeedsAMeasuringRun() {
        let text = Self.text.replacingOccurrences(of: "sharpness-every = 25", with: "sharpness-every = 0")
        var message = ""
        do { _ = try Preset.parse(text, name: "interval", file: "interval.toml") } catch { message = "\(error)" }
        #expect(
            message.hasPrefix(
                "interval.toml:14: sharpness-every in [[at]] changes the interval of a run that measures"),
            "\(message)")
    }
}
