import Foundation
import NoetherCore
import Testing

/// Recording format 2: a session through its resets, progress notes for recordings cut short,
/// and torn last lines that must never read as a different value.
@Suite struct RecordingFormatTests {
    static let header = "recording-format = 2\nnoether-version = \"test\"\ntitle = \"t\"\nwidth = 6\n"

    func temporaryPath() -> String { NSTemporaryDirectory() + "noether-recording-\(UUID().uuidString).toml" }

    @Test func recorderWritesEveryRunAndParseReadsThemBack() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        var first = PresetLibrary.builtInDefault
        first.config.width = 6
        var second = first
        second.config.width = 4
        second.config.seed = 9
        second.title = "Second story"
        second.description = "what the second run shows"
        let recorder = try Recorder(path: path, preset: first, version: "test")
        try recorder.record(ScheduledChange(step: 5, learningRate: 0.05))
        try recorder.progress(at: 8, interval: 0)
        try recorder.reset(at: 12, to: second)
        try recorder.record(ScheduledChange(step: 3, momentum: 0.9))
        try recorder.progress(at: 7, interval: 0)
        try recorder.stop(at: 10)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("recording-format = \(Recording.format)\n") && Recording.format == 3)
        #expect(text.contains("[[at]]\nrun = 1\nstep = 3\n"), "changes after a reset carry their run")
        #expect(text.contains("[[stop]]\nrun = 1\nstep = 10\n"))

        let recording = try Recording.parse(text, file: path)
        #expect(recording.runs.count == 2)
        #expect(recording.runs[0].steps == 12)
        #expect(recording.runs[0].preset.config == first.config)
        #expect(recording.runs[0].preset.schedule == [ScheduledChange(step: 5, learningRate: 0.05)])
        #expect(recording.runs[1].steps == 10)
        #expect(recording.runs[1].preset.config == second.config)
        #expect(recording.runs[1].preset.schedule == [ScheduledChange(step: 3, momentum: 0.9)])
        // Each run keeps the title and description of what it started from.
        #expect(recording.runs[0].preset.title == first.title)
        #expect(recording.runs[1].preset.title == "Second story" && recording.runs[1].preset.description == "what the second run shows")
        #expect(recording.stopStep == 10)
        #expect(recording.warnings.isEmpty)
    }

    @Test func formatOneIsStillRead() throws {
        let text = "recording-format = 1\nnoether-version = \"0.1.0\"\ntitle = \"x\"\n\n[[at]]\nstep = 4\nlr = 0.2\n\n[[stop]]\nstep = 9\n"
        let recording = try Recording.parse(text, file: "old.toml")
        #expect(recording.runs.count == 1)
        #expect(recording.runs[0].steps == 9)
        #expect(recording.preset.schedule == [ScheduledChange(step: 4, learningRate: 0.2)])
    }

    @Test func withoutStopTheSessionEndsAtTheLastNotedStep() throws {
        let text = Self.header + "\n[[at]]\nstep = 5\nlr = 0.05\n\n[[progress]]\nrun = 0\nstep = 4000\n"
        let recording = try Recording.parse(text, file: "cut.toml")
        #expect(recording.stopStep == nil)
        #expect(recording.runs.map(\.steps) == [4000])
        let onlyChange = try Recording.parse(Self.header + "\n[[at]]\nstep = 60\nlr = 0.05\n", file: "cut.toml")
        #expect(onlyChange.runs.map(\.steps) == [60])
    }

    /// The recorder ends every table with a newline; text that does not was cut mid-line.
    @Test(arguments: [("\n[[at]]\nstep = 60\nlr = 0.05\n", "\n[[at]]\nstep = 6"),
                      ("\n[[at]]\nstep = 60\nmomentum = 0.9\n", "\n[[at]]\nstep = 60\nmomentum = 0"),
                      ("\n[[progress]]\nrun = 0\nstep = 60\n", "\n[[progress]]\nrun = 0\nstep = 6")])
    func tornLastTableIsDroppedNotMisread(whole: String, torn: String) throws {
        let before = "\n[[at]]\nstep = 2\nlr = 0.2\n\n[[progress]]\nrun = 0\nstep = 3\n"
        let full = try Recording.parse(Self.header + before + whole, file: "r.toml")
        #expect(full.runs[0].steps == 60)
        let cut = try Recording.parse(Self.header + before + torn, file: "r.toml")
        #expect(cut.preset.schedule == [ScheduledChange(step: 2, learningRate: 0.2)], "the torn table is gone, not misread")
        #expect(cut.runs[0].steps == 3, "replays to the last whole note")
        let lines = (Self.header + before + torn).split(separator: "\n", omittingEmptySubsequences: false).count
        #expect(cut.warnings.count == 1)
        #expect(cut.warnings.first?.hasPrefix("r.toml:\(lines): the last line does not end") == true, "\(cut.warnings)")
    }

    @Test func tornConfigurationIsRefused() {
        #expect {
            _ = try Recording.parse("recording-format = 2\nnoether-version = \"test\"\nmomentum = 0", file: "r.toml")
        } throws: { error in
            "\(error)".hasPrefix("r.toml:3: the recording is cut short in its configuration")
        }
    }

    @Test func stopBeyondTheStepsLimitIsHeld() throws {
        let recording = try Recording.parse(Self.header + "\n[[stop]]\nstep = 9223372036854775807\n", file: "far.toml")
        #expect(recording.runs[0].steps == Config.maxSteps)
        #expect(recording.stopStep == Config.maxSteps)
        #expect(recording.warnings == ["far.toml: run 0 is recorded to step 9223372036854775807, beyond the steps limit; replaying it to step 100000000"])
    }

    @Test(arguments: [
        ("\n[[reset]]\nrun = 2\nstep = 5\n", "6: [[reset]] must start run 1, got run = 2"),
        ("\n[[at]]\nrun = 1\nstep = 5\nlr = 0.2\n", "6: [[at]] of run 1 where run 0 is recorded"),
        ("\n[[stop]]\nstep = 5\n\n[[at]]\nstep = 6\nlr = 0.2\n", "9: [[at]] after the [[stop]] of line 6"),
        ("\n[[at]]\nstep = 8\nlr = 0.2\n\n[[stop]]\nstep = 5\n", "10: [[stop]] at step 5 before step 8"),
        ("\n[[at]]\nstep = 8\nlr = 0.2\n\n[[reset]]\nrun = 1\nstep = 5\n", "10: [[reset]] at step 5 before step 8"),
        ("\n[[progress]]\nrun = 0\nstep = 8\n\n[[stop]]\nstep = 5\n", "10: [[stop]] at step 5 before step 8, noted earlier in run 0"),
        ("\n[[progress]]\nrun = 0\n", "6: [[progress]] table needs step = N"),
        ("\n[[pause]]\nstep = 1\n", "6: unknown table [[pause]]"),
    ])
    func inconsistentSessionsAreRefusedWithTheLine(tables: String, message: String) {
        #expect {
            _ = try Recording.parse(Self.header + tables, file: "bad.toml")
        } throws: { error in
            "\(error)".hasPrefix("bad.toml:" + message)
        }
    }
}
