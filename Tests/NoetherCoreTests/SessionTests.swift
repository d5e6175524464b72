import Foundation
import NoetherCore
import TestFixtures
import Testing

/// The session without threads: changes, forks, undo and going back, each checked against a
/// run that never made the change, value for value (the engine is bit-exact).
@Suite("Session")
struct SessionTests {
    static func preset() throws -> Preset {
        try StoryFixture.preset(family: "fc1.scale", lr: 0.2, thirdFocus: "gap")
    }

    static func run(_ s: Session, to step: Int) throws {
        while s.step < step { _ = try s.advance() }
    }

    /// The same preset run untouched to `step`.
    static func untouched(to step: Int) throws -> Session {
        let s = try Session(try preset())
        try run(s, to: step)
        return s
    }

    @Test func storyEntriesApplyAtTheirStepsAndAreLogged() throws {
        let s = try Session(try Self.preset())
        #expect(s.log.map(\.change.step) == [0] && s.log[0].change.say == "first caption")
        try Self.run(s, to: 40)
        #expect(s.front.live.learningRate == 0.2 && s.log.count == 2 && !s.departed)
        #expect(s.beats == [0, 40])
    }

    @Test func undoOfALiveChangeReturnsToItsStepAsIfNotMade() throws {
        let s = try Session(try Self.preset())
        try Self.run(s, to: 50)
        try s.set(LiveParameters(learningRate: 0.01, momentum: 0.5, weightDecay: 1e-3))
        #expect(s.departed)
        try Self.run(s, to: 90)
        let point = try #require(try s.undo())
        #expect(point.step == 50 && point.label == "the change of live parameters")
        #expect(s.step == 50 && !s.departed)
        let plain = try Self.untouched(to: 50)
        #expect(s.front.flatParameters == plain.front.flatParameters && s.front.loss == plain.front.loss)
        // And it goes on as the untouched run does, the story's later entries included.
        try Self.run(s, to: 100)
        try Self.run(plain, to: 100)
        #expect(s.front.flatParameters == plain.front.flatParameters)
        #expect(s.log.map(\.change) == plain.log.map(\.change))
        #expect(try s.undo() == nil, "nothing left to undo")
    }

    @Test func undoOfATeleportAndOfAForkAndOfAReset() throws {
        let s = try Session(try Self.preset())
        try Self.run(s, to: 30)
        try s.teleport(Teleport(family: "fc1.scale", factor: 2))
        try Self.run(s, to: 35)
        try s.startFork(byUser: true)
        #expect(s.ghost != nil && s.fork?.step == 35)
        try Self.run(s, to: 45)
        var other = try Self.preset()
        other.config.width = 6
        other.schedule = []
        try s.reset(to: other)
        #expect(s.step == 0 && s.front.config.width == 6 && s.ghost == nil)
        try Self.run(s, to: 10)

        #expect(try s.undo()?.label == "the reset")
        #expect(s.step == 45 && s.front.config.width == 8 && s.ghost?.step == 45 && s.fork?.step == 35)
        #expect(try s.undo()?.label == "the fork")
        #expect(s.step == 35 && s.ghost == nil && s.fork == nil)
        #expect(try s.undo()?.label == "the teleport")
        #expect(s.step == 30 && !s.departed)
        #expect(s.front.flatParameters == (try Self.untouched(to: 30)).front.flatParameters)
    }

    @Test func theGhostOfAForkIsRebuiltWhenTheRunGoesBack() throws {
        let s = try Session(try Self.preset())
        try Self.run(s, to: 20)
        try s.startFork(byUser: true)
        try s.set(LiveParameters(learningRate: 0.01, momentum: 0, weightDecay: 0))
        try Self.run(s, to: 60)
        let ghostAt60 = s.ghost!.flatParameters
        try Self.run(s, to: 90)
        try s.rewind(to: 60)
        #expect(s.step == 60 && s.ghost?.step == 60 && s.ghost!.flatParameters == ghostAt60)
        // The ghost kept its parameters; the front took the user's change, then the story's at 40.
        #expect(
            s.ghost!.live.learningRate == (try Self.preset()).config.lr && s.front.live.learningRate == 0.2
                && s.departed)
        #expect(s.front.flatParameters != ghostAt60)
    }

    @Test func backGoesToThePreviousBeatWithEveryChangeUpToIt() throws {
        let s = try Session(try Self.preset())
        try Self.run(s, to: 10)
        try s.set(LiveParameters(learningRate: 0.05, momentum: 0, weightDecay: 0))  // before the beat at 40: kept
        try Self.run(s, to: 85)
        try s.set(LiveParameters(learningRate: 0.3, momentum: 0, weightDecay: 0))  // after it: forgotten
        try Self.run(s, to: 95)
        #expect(s.previousBeat == 40)
        let beforeAt40 = try { () throws -> [Double] in
            let t = try Session(try Self.preset())
            try Self.run(t, to: 10)
            try t.set(LiveParameters(learningRate: 0.05, momentum: 0, weightDecay: 0))
            try Self.run(t, to: 40)
            return t.front.flatParameters
        }()
        try s.rewind(to: 40)
        #expect(s.step == 40 && s.front.flatParameters == beforeAt40)
        #expect(s.front.live.learningRate == 0.2, "the story's change at 40 applies after the user's at 10")
        #expect(s.log.last?.change.say == "second caption" && s.undoPoints.count == 1)
        #expect(s.previousBeat == 0)
        // The story's later beat comes again.
        try Self.run(s, to: 80)
        #expect(s.log.last?.change.say == "third caption")
    }

    @Test("a recorded session with undo and back-steps replays to the same state bit for bit")
    func recordedRewindsReplay() throws {
        let path = NSTemporaryDirectory() + "noether-session-\(UUID().uuidString).toml"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let s = try Session(try Self.preset())
        try s.startRecording(to: path, version: "test", modified: false, pace: 0)
        try Self.run(s, to: 50)
        try s.teleport(Teleport(family: "fc1.scale", factor: 3))
        try Self.run(s, to: 70)
        try s.set(LiveParameters(learningRate: 0.03, momentum: 0.5, weightDecay: 0))
        try Self.run(s, to: 90)
        try s.undo()  // back to 70 without the lr change
        try Self.run(s, to: 100)
        try s.rewind(to: s.previousBeat!)  // the beat before the one at 80
        try Self.run(s, to: 110)
        s.stopRecording()
        let final = s.front.flatParameters

        let recording = try Recording.load(path)
        #expect(recording.runs.count == 3 && recording.runs.map(\.from) == [0, 70, 40])
        let last = try #require(recording.runs.last)
        #expect(last.steps == 110)
        // A replay resumes at the rewind's step, or runs the whole run from step 0: the same state.
        let resumed = try Session(last.preset, to: last.from)
        #expect(resumed.step == 40)
        try Self.run(resumed, to: last.steps)
        let whole = try Session(last.preset)
        try Self.run(whole, to: last.steps)
        #expect(resumed.front.flatParameters == final && whole.front.flatParameters == final)
    }
}
