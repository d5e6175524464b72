import Foundation
import NoetherCore
import Synchronization
import TestFixtures
import Testing

@testable import NoetherUI

/// The explorer's session driver on a clock the test sets: reading time, lecture holds, the
/// story's family at any pace, undo and back on screen, and the run beyond the story.
@Suite("Session driver")
struct SessionDriverTests {
    static func preset() throws -> Preset {
        try StoryFixture.preset(
            focus: "charge", family: "fc2.scale",
            second:
                "a second caption of exactly twenty-seven words, which takes nine seconds to read at three words a second, one more than the eight of the very shortest",
            secondFocus: "gap")
    }

    /// Steps the driver as fast as it goes at wall time `now` (slices never run out).
    static func run(_ d: inout SessionDriver, at now: Double, slices: Int = 50) {
        for _ in 0..<slices { d.step(now: now, sliceEnd: .infinity, clock: { now }) }
    }

    /// Runs on, ten seconds at a time from `now`, until DONE or a pause; returns the time reached.
    static func runOn(_ d: inout SessionDriver, from now: Double) -> Double {
        var t = now
        while d.snapshot.state == .running, t < now + 200 {
            t += 10
            run(&d, at: t)
        }
        return t
    }

    @Test("the header's rate is the pace: 7 steps/s at every frame of a run at 7/s, none while paused")
    func theMeasuredRateIsThePace() throws {
        var p = try Self.preset()
        p.schedule = []  // no caption holds the run
        p.config.steps = 100_000
        var d = SessionDriver(preset: p, version: "test", speed: 7, now: 0)
        var rng = Xoshiro256(seed: 3)
        var t = 0.0, shown: [String: Int] = [:]
        /// The driver's loop for `seconds`, its frames 5 to 25 ms apart, as a busy machine makes them.
        func loop(for seconds: Double, reading: Bool) {
            let end = t + seconds
            while t < end {
                t += 0.005 + 0.02 * rng.uniform()
                d.step(now: t, sliceEnd: t + 0.005, clock: { t })
                d.tidy(now: t)
                if reading { shown[NumberFormat.rate(d.snapshot.stepsPerSecond), default: 0] += 1 }
            }
        }
        loop(for: 1.5, reading: false)
        loop(for: 10, reading: true)
        #expect(shown.keys.sorted() == ["7 steps/s"], "\(shown)")
        #expect(d.snapshot.step >= 80, "the run kept its pace: step \(d.snapshot.step)")
        d.handle(.setPaused(true), now: t)
        loop(for: 1.5, reading: false)
        #expect(d.snapshot.stepsPerSecond == 0, "paused for 1.5 s: no rate to show")
        d.handle(.setPaused(false), now: t)
        shown = [:]
        loop(for: 1.5, reading: false)
        loop(for: 5, reading: true)
        #expect(shown.keys.sorted() == ["7 steps/s"], "after the pause: \(shown)")
    }

    @Test("a fresh caption holds a run at max speed until it has been up max(8 s, words/3)")
    func captionsHoldForTheirReadingTime() throws {
        var d = SessionDriver(preset: try Self.preset(), version: "test", speed: 0, now: 100)
        let m = CaptionDwell.margin  // held a little past the reading time, for the frames in between
        Self.run(&d, at: 100)
        #expect(
            d.snapshot.step == 0 && abs(d.snapshot.readingHold! - (8 + m)) < 1e-9,
            "a fresh caption holds the run at once")
        Self.run(&d, at: 100 + (8 + m) / 2)
        #expect(d.snapshot.step == 20, "half the reading time, half the way: the run slows")
        Self.run(&d, at: 107.9 + m)
        #expect(d.snapshot.step == 39 && d.snapshot.caption == "first caption")
        Self.run(&d, at: 108.01 + m)
        #expect(d.snapshot.step == 40 && d.snapshot.caption?.hasPrefix("a second caption") == true)
        Self.run(&d, at: 117.0 + 2 * m)
        #expect(d.snapshot.step == 79)
        // The last caption has nothing after it to hold back: the run goes on to DONE.
        Self.run(&d, at: 117.02 + 2 * m)
        #expect(d.snapshot.state == .finished && d.snapshot.step == 120 && d.snapshot.caption == "third caption")
        d.handle(.back, now: 117.02 + 2 * m)
        #expect(d.snapshot.step == 40 && d.snapshot.caption?.hasPrefix("a second caption") == true)
        d.handle(.setPaused(false), now: 117.02 + 2 * m)
        #expect(CaptionDwell.seconds(for: d.snapshot.caption!) == 9)
        Self.run(&d, at: 118 + 2 * m)
        #expect(d.snapshot.readingHold != nil && d.snapshot.step < 80, "a caption gone back to is fresh again")
    }

    @Test("lecture mode pauses at every caption until space")
    func lectureHolds() throws {
        var d = SessionDriver(preset: try Self.preset(), version: "test", speed: 0, lecture: true, now: 0)
        #expect(d.snapshot.state == .paused && d.snapshot.message == "lecture: space continues")
        d.handle(.setPaused(false), now: 1)
        // Space after a held caption: it has been read, so the run goes on to the next one.
        Self.run(&d, at: 1)
        #expect(d.snapshot.state == .paused && d.snapshot.step == 40)
        d.handle(.setLecture(false), now: 100)
        #expect(!d.snapshot.lecture)
    }

    @Test("the story's family holds through later entries that only move the focus, at any pace")
    func familyStaysTheStorys() throws {
        var d = SessionDriver(preset: try Self.preset(), version: "test", speed: 0, now: 0)
        #expect(d.snapshot.narration.family == "fc2.scale" && d.snapshot.narration.focus == "charge")
        _ = Self.runOn(&d, from: 0)
        #expect(d.snapshot.narration.family == "fc2.scale" && d.snapshot.narration.focus == "gap")
        var state = AppState()
        state.follow(d.snapshot.narration, d.snapshot)
        #expect(d.snapshot.families[state.familyIndex].family == "fc2.scale" && state.focus == "gap")
    }

    @Test("space at DONE goes on beyond the story, with the step total extended")
    func beyondTheStory() throws {
        var d = SessionDriver(preset: try Self.preset(), version: "test", speed: 0, now: 0)
        let t = Self.runOn(&d, from: 0)
        #expect(d.snapshot.state == .finished && d.snapshot.targetSteps == 120)
        d.handle(.setPaused(false), now: t)
        #expect(
            d.snapshot.beyondStory && d.snapshot.targetSteps == 240
                && d.snapshot.message?.hasPrefix("beyond the story") == true)
        Self.run(&d, at: t + 1)
        #expect(d.snapshot.state == .finished && d.snapshot.step == 240)
    }

    @Test("u undoes a change: the numbers and the history are those of the run without it")
    func undoOnScreen() throws {
        var d = SessionDriver(preset: try Self.preset(), version: "test", speed: 0, now: 0)
        let t = Self.runOn(&d, from: 0)
        d.handle(.undo, now: t)
        #expect(d.snapshot.message == "nothing to undo")
        let before = d.snapshot
        var live = before.live
        live.learningRate = 0.01
        d.handle(.setLive(live), now: t)
        #expect(d.snapshot.departure == "lr 0.01 at step 120" && d.snapshot.modified)
        d.handle(.setPaused(false), now: t)
        Self.run(&d, at: t + 1)
        #expect(d.snapshot.step == 240)
        d.handle(.undo, now: t + 2)
        let after = d.snapshot
        #expect(after.step == 120 && after.departure == nil && !after.modified && after.live == before.live)
        #expect(after.families.map(\.q50) == before.families.map(\.q50))
        #expect(after.history[.loss]!.last == before.history[.loss]!.last)
    }

    /// Runs on from a held caption to the next hold (lecture mode) or DONE.
    static func playOn(_ d: inout SessionDriver, at now: Double) {
        d.handle(.setPaused(false), now: now)
        run(&d, at: now)
    }

    /// Steps `n` updates one at a time, as `.` does while paused.
    static func stepOnce(_ d: inout SessionDriver, _ n: Int, at now: Double) {
        for _ in 0..<n {
            d.handle(.stepOnce, now: now)
            run(&d, at: now, slices: 1)
        }
    }

    @Test("(modified) and the change line follow the log: a back-step before the change removes them")
    func modifiedFollowsTheLog() throws {
        var d = SessionDriver(preset: try Self.preset(), version: "test", speed: 0, lecture: true, now: 0)
        Self.stepOnce(&d, 10, at: 1)
        var live = d.snapshot.live
        live.learningRate = 0.01
        d.handle(.setLive(live), now: 1)
        #expect(d.snapshot.step == 10 && d.snapshot.modified && d.snapshot.departure == "lr 0.01 at step 10")
        Self.playOn(&d, at: 2)
        #expect(d.snapshot.step == 40 && d.snapshot.state == .paused)
        Self.playOn(&d, at: 3)
        #expect(d.snapshot.step == 80)
        // Back to step 40, after the change: it stays, and so do its marks.
        d.handle(.back, now: 4)
        #expect(d.snapshot.step == 40 && d.snapshot.modified && d.snapshot.departure == "lr 0.01 at step 10")
        #expect(d.snapshot.live.learningRate == 0.01)
        // Back to step 0, before the change: the run is the story's again.
        d.handle(.back, now: 5)
        #expect(d.snapshot.step == 0 && !d.snapshot.modified && d.snapshot.departure == nil)
        let story = try Self.preset().config.live
        #expect(d.snapshot.caption == "first caption" && d.snapshot.live == story)
        // A change made at a beat is gone when the run goes back to that beat.
        d.handle(.setLive(live), now: 6)
        #expect(d.snapshot.modified)
        d.handle(.back, now: 7)
        #expect(d.snapshot.step == 0 && !d.snapshot.modified && d.snapshot.departure == nil)
        #expect(d.snapshot.message == "back to step 0: space plays on from here")
    }

    @Test("a long replay back shows its progress and stops when the program quits")
    func rewindShowsProgressAndStops() throws {
        var d = SessionDriver(preset: try Self.preset(), version: "test", speed: 0, now: 0)
        let t = Self.runOn(&d, from: 0)
        #expect(d.snapshot.step == 120)
        let frames = Mutex<[Snapshot]>([])
        d.showProgress = { frame in frames.withLock { $0.append(frame) } }
        d.handle(.back, now: t)
        // The first frame goes at once, then at most 20 a second.
        let shown = frames.withLock { $0 }
        #expect(shown.first?.rewinding == RewindProgress(step: 0, target: 40))
        #expect(shown.allSatisfy { $0.rewinding?.target == 40 && $0.rewinding!.step <= 40 && $0.step == 120 })
        #expect(d.snapshot.rewinding == nil && d.snapshot.step == 40)
        #expect(d.snapshot.version >= (shown.map(\.version).max() ?? 0), "the replayed screen follows the progress")
        // Quitting during a replay stops it and leaves the session as it was.
        d.stopRequested = { true }
        let before = d.snapshot
        d.handle(.back, now: t + 1)
        #expect(d.snapshot.step == before.step && d.snapshot.caption == before.caption)
        #expect(d.session?.step == 40)
    }

    @Test(", goes back to the previous caption with the same numbers as the first time")
    func backOnScreen() throws {
        var d = SessionDriver(preset: try Self.preset(), version: "test", speed: 0, now: 0)
        Self.run(&d, at: 8.01 + CaptionDwell.margin)
        let published = d.publish()
        let first = try #require(published)
        #expect(first.step == 40)
        _ = Self.runOn(&d, from: 8.01 + CaptionDwell.margin)
        #expect(d.snapshot.step == 120)
        d.handle(.back, now: 300)
        let again = d.snapshot
        #expect(again.step == 40 && again.state == .paused && again.caption == first.caption)
        #expect(again.families.map(\.q50) == first.families.map(\.q50) && again.live == first.live)
        #expect(again.history[.loss]!.recentInOrder.map(\.value) == first.history[.loss]!.recentInOrder.map(\.value))
        d.handle(.back, now: 300)
        #expect(d.snapshot.step == 0 && d.snapshot.caption == "first caption")
    }
}

/// Forks by hand: each message says which run went where, by name and by what sets it apart.
@Suite("Forks in the explorer")
struct ForkMessageTests {
    @Test("F twice, x and g name the runs they move, and names stay with their ghosts")
    func forkSwapAndDropSayWhichRun() throws {
        var p = try SessionDriverTests.preset()
        p.schedule = []
        var d = SessionDriver(preset: p, version: "test", speed: 0, now: 0)
        let lr = { (x: Double) in
            LiveParameters(learningRate: x, momentum: p.config.momentum, weightDecay: p.config.weightDecay)
        }
        d.handle(.fork, now: 1)
        #expect(d.snapshot.message?.contains("ghost goes on unchanged") == true)
        #expect(d.snapshot.ghosts.map(\.name) == ["ghost"])
        d.handle(.setLive(lr(0.2)), now: 2)
        d.step(now: 2, sliceEnd: .infinity, clock: { 2 })
        d.handle(.fork, now: 3)
        d.handle(.setLive(lr(0.5)), now: 4)
        #expect(d.snapshot.ghosts.map(\.name) == ["ghost", "ghost 2"])
        d.handle(.swapFork, now: 5)
        #expect(
            d.snapshot.message == "swapped: ghost 2's run (lr 0.2) is in front; the front run (lr 0.5) is now ghost 2",
            "\(d.snapshot.message ?? "")")
        #expect(d.snapshot.live.learningRate == 0.2 && d.snapshot.ghosts.last?.live.learningRate == 0.5)
        d.handle(.dropGhost, now: 6)
        #expect(d.snapshot.message == "ghost 2 (lr 0.5) dropped; 1 left", "\(d.snapshot.message ?? "")")
        #expect(d.snapshot.ghosts.map(\.name) == ["ghost"], "the first ghost keeps its name")
        // A message stays up at least 5 s, longer for more words (3 a second).
        d.tidy(now: 10.9)
        #expect(d.snapshot.message != nil)
        d.tidy(now: 11.1)
        #expect(d.snapshot.message == nil)
    }
}
