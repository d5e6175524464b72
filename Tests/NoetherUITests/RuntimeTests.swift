import Foundation
import NoetherCore
import TestFixtures
import Testing
@testable import NoetherUI

/// Keys build on what was already sent, and a value off a ladder moves the way the key says.
@Suite("Controls")
struct ControlTests {
    static func snapshot(speed: Int = 0, weightDecay: Double = 5e-3) -> Snapshot {
        var c = Config()
        c.weightDecay = weightDecay
        var s = Snapshot(config: c)
        s.speedLimit = speed
        return s
    }

    @Test("ten quick presses of - move ten rungs, not as many as the snapshot caught up with")
    func repeatedSpeedKeysBuildOnEachOther() {
        var state = AppState()
        let stale = Self.snapshot(speed: 0)
        var sent: [Int] = []
        for _ in 0..<10 {
            for case .setSpeed(let v) in state.handle(.char("-"), stale) { sent.append(v) }
        }
        let finite = Ladder.speed.filter { $0 > 0 }
        #expect(sent == Array(finite.reversed().prefix(9)) + [finite.first!])
    }

    @Test("help and the picker hold a running story while open, and let go only what they held")
    func overlaysHoldTheStory() {
        var state = AppState()
        state.presets = [PresetLibrary.builtInDefault]
        var running = Self.snapshot()
        running.state = .running
        #expect(state.handle(.char("?"), running) == [.setPaused(true)])
        #expect(state.handle(.tab, running).isEmpty)  // paging inside help
        #expect(state.handle(.escape, running) == [.setPaused(false)])
        var paused = running
        paused.state = .paused
        #expect(state.handle(.char("p"), paused).isEmpty)  // already paused: nothing to hold
        #expect(state.handle(.escape, paused).isEmpty)
        #expect(state.handle(.char("p"), running) == [.setPaused(true)])
        let opened = state.handle(.enter, running)
        #expect(opened.first == .setPaused(false) && opened.count == 2)
    }

    @Test("a pace between rungs moves to the nearest rung in the pressed direction")
    func offLadderPace() {
        #expect(Ladder.speed(from: 67, up: true) == 100)
        #expect(Ladder.speed(from: 67, up: false) == 30)
        #expect(Ladder.speed(from: 0, up: true) == 0)
        #expect(Ladder.speed(from: 1, up: false) == 1)
    }

    @Test("} at a weight decay above the ladder's top never lowers it")
    func weightDecayAboveTheLadder() {
        var state = AppState()
        let commands = state.handle(.char("}"), Self.snapshot(weightDecay: 0.1))
        #expect(commands == [.setLive(LiveParameters(learningRate: 0.1, momentum: 0.5, weightDecay: 0.1))])
        var down = AppState()
        let lowered = down.handle(.char("{"), Self.snapshot(weightDecay: 0.1))
        #expect(lowered == [.setLive(LiveParameters(learningRate: 0.1, momentum: 0.5, weightDecay: 0.05))])
    }

    @Test("a new seed stays within what a preset file can hold")
    func seedStaysInRange() {
        #expect(Ladder.seed(after: UInt64(Int64.max), by: 1) == 0)
        #expect(Ladder.seed(after: 0, by: -1) == UInt64(Int64.max))
        #expect(Ladder.seed(after: 41, by: 1) == 42)
    }

    @Test("> opens the next preset of a tour, and nothing past its end")
    func tourMovesOn() throws {
        var state = AppState()
        let a = PresetLibrary.builtInDefault
        var b = a
        b.name = "second"
        state.tour = [a, b]
        #expect(state.handle(.char(">"), Self.snapshot()) == [.loadPreset(b)])
        #expect(state.handle(.char(">"), Self.snapshot()).isEmpty)
        var alone = AppState()
        #expect(alone.handle(.char(">"), Self.snapshot()).isEmpty)
    }

    @Test("a preset opens at a pace at which its steps take about 30 seconds")
    func paceFromSteps() {
        for steps in [200, 600, 2000, 4000, 12000, 100_000] {
            let pace = SimulationThread.pace(forSteps: steps)
            let seconds = Double(steps) / Double(pace)
            #expect(seconds > 25 && seconds < 35, "\(steps) steps at \(pace)/s take \(seconds) s")
        }
        #expect(SimulationThread.pace(forSteps: 0) == 0)
    }
}

/// The simulator thread without a terminal: narration, markers and the end of the planned run.
@Suite("Explorer runtime")
struct RuntimeTests {
    static func until(_ thread: SimulationThread, _ what: String, _ done: (Snapshot) -> Bool) throws -> Snapshot {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let s = thread.snapshot()
            if done(s) { return s }
            usleep(20_000)
        }
        Issue.record("timed out waiting for \(what): at step \(thread.snapshot().step), \(thread.snapshot().state)")
        throw CancellationError()
    }

    static func story() throws -> Preset {
        try StoryFixture.preset(focus: "gap", family: "fc1.scale", lr: 0.2, pause: true, third: nil)
    }

    /// The story playing on a simulator thread of its own (the caller stops it).
    static func playing(speed: Int = 0) throws -> SimulationThread {
        let thread = SimulationThread(preset: try story(), replay: false, record: nil, version: "test", speed: speed)
        thread.launch()
        return thread
    }

    @Test("captions, a pause, a marker and DONE at the planned last step")
    func storyPlays() throws {
        let thread = try Self.playing()
        defer { thread.stop() }
        let first = try Self.until(thread, "the first caption") { $0.caption == "first caption" }
        #expect(first.narration.focus == "gap" && first.narration.family == "fc1.scale" && first.narration.serial >= 1)
        #expect(first.targetSteps == 120)
        let paused = try Self.until(thread, "the story's pause") { $0.state == .paused && $0.step == 40 }
        #expect(paused.caption == "second caption")
        #expect(paused.live.learningRate == 0.2)
        #expect(paused.markers.contains { $0.step == 40 && $0.label == "lr 0.2" })
        thread.send(.setPaused(false))
        let done = try Self.until(thread, "DONE") { $0.state == .finished }
        #expect(done.step == 120)
        #expect(!done.modified && done.description == "a short story")
        // Past the end it goes on beyond the story (to an extended total: the poll may see it
        // running or already done again there).
        thread.send(.setPaused(false))
        let beyond = try Self.until(thread, "steps past the plan") { $0.step > 130 }
        #expect(beyond.beyondStory && beyond.targetSteps > 120)
    }

    @Test("a replayed session plays each run in turn, with its own title, and stops where the last ended")
    func replayPlaysEveryRun() throws {
        var first = try Self.story()
        first.schedule = []
        first.config.steps = 3000  // long enough that a 20 ms poll sees the first run under way
        var second = first
        second.title = "second run"
        second.config.width = 6
        second.config.steps = 12
        let thread = SimulationThread(
            preset: first, replay: true, record: nil, version: "test", speed: 0, then: [second])
        thread.launch()
        defer { thread.stop() }
        let start = try Self.until(thread, "the first run") { $0.replaying }
        #expect(start.replayRun == 0 && start.replayRuns == 2 && start.title == "story")
        let done = try Self.until(thread, "the end of the second run") { $0.state == .finished }
        #expect(done.replayRun == 1 && done.title == "second run" && done.step == 12 && done.config.width == 6)
    }

    @Test("a fork replays to the same state bit for bit; the ghost keeps its parameters while the fork's change")
    func forkAndGhost() throws {
        for change in [false, true] {
            let thread = try Self.playing()
            defer { thread.stop() }
            _ = try Self.until(thread, "the story's pause") { $0.state == .paused && $0.step == 40 }
            thread.send(.fork)
            let forked = try Self.until(thread, "the fork") { !$0.ghosts.isEmpty }
            #expect(forked.ghosts.last!.forkStep == 40 && forked.ghosts.last!.live == forked.live)
            if change { thread.send(.setLive(LiveParameters(learningRate: 0.05, momentum: 0.5, weightDecay: 5e-3))) }
            thread.send(.setPaused(false))
            let done = try Self.until(thread, "DONE") { $0.state == .finished }
            let ghost = try #require(done.ghosts.last)
            let front = done.history[.loss]!.recentInOrder.filter { $0.step > 40 }
            let behind = ghost.history[.loss]!.recentInOrder.filter { $0.step > 40 }
            try #require(front.count > 10 && front.map(\.step) == behind.map(\.step))
            if change {
                #expect(ghost.live.learningRate == 0.2 && done.live.learningRate == 0.05)
                #expect(zip(front, behind).contains { $0.value != $1.value }, "the runs part after the change")
            } else {
                // Same configuration and changes: the replayed ghost is the same run, value for value.
                #expect(zip(front, behind).allSatisfy { $0.value == $1.value })
            }
            thread.send(.swapFork)
            let swapped = try Self.until(thread, "the swap") { $0.live.learningRate == ghost.live.learningRate }
            #expect(swapped.ghosts.last?.live.learningRate == done.live.learningRate)
            thread.send(.dropGhost)
            _ = try Self.until(thread, "the ghost dropped") { $0.ghosts.isEmpty }
        }
    }

    @Test("a teleport keeps the loss, scales the charges, leaves a marker, and a fork after it replays it")
    func teleportThenFork() throws {
        let thread = try Self.playing()
        defer { thread.stop() }
        let before = try Self.until(thread, "the story's pause") { $0.state == .paused && $0.step == 40 }
        let q = before.families.first { $0.family == "fc1.scale" }!.q50
        thread.send(.teleport(Teleport(family: "fc1.scale", factor: 2)))
        let after = try Self.until(thread, "the teleport") { $0.markers.contains { $0.label.hasPrefix("T fc1.scale") } }
        #expect(abs(after.families.first { $0.family == "fc1.scale" }!.q50 / q - 4) < 1e-12)
        let losses = after.history[.loss]!.recentInOrder.filter { $0.step == 40 }.map(\.value)
        #expect(losses.count == 2 && abs(losses[1] - losses[0]) <= 1e-12 * losses[0], "\(losses)")
        #expect(after.message?.hasPrefix("teleported fc1.scale") == true && after.modified)
        thread.send(.fork)
        let forked = try Self.until(thread, "the fork") { !$0.ghosts.isEmpty }
        thread.send(.setPaused(false))
        let done = try Self.until(thread, "DONE") { $0.state == .finished }
        // The ghost replayed the teleport: with no change since, both runs agree value for value.
        let front = done.history[.loss]!.recentInOrder.filter { $0.step > 40 }
        let behind = done.ghosts.last!.history[.loss]!.recentInOrder.filter { $0.step > 40 }
        #expect(forked.ghosts.last!.forkStep == 40 && !front.isEmpty && front.map(\.value) == behind.map(\.value))
    }

    @Test("the teleport menu offers every family's actions and opens on the chosen family")
    func teleportMenu() throws {
        let s = try ScreenFrameTests.run()
        var state = AppState()
        state.familyIndex = 2
        var running = s
        running.state = .running
        #expect(state.handle(.char("T"), running) == [.setPaused(true)])
        #expect(state.teleportOpen && state.teleports[state.teleportIndex].teleport.family == s.families[2].family)
        let labels = state.teleports.map(\.label)
        #expect(
            labels.contains("fc1.scale  weights × α = 4")
                && labels.contains("bn1-fc2.rescale  balance (|in|² = |out|²)"))
        #expect(labels.contains { $0.hasPrefix("fc3.translation  shift") })
        let applied = state.handle(.enter, running)
        #expect(applied == [.setPaused(false), .teleport(state.teleports[state.teleportIndex].teleport)])
    }

    @Test("changing a live control keeps the title, description and caption, marked modified")
    func changesKeepTheStory() throws {
        let thread = try Self.playing(speed: 1)
        defer { thread.stop() }
        _ = try Self.until(thread, "the first caption") { $0.caption == "first caption" }
        // At step 0 a change is the starting point; a marker needs a step behind it.
        _ = try Self.until(thread, "a step") { $0.step >= 1 }
        thread.send(.setLive(LiveParameters(learningRate: 0.05, momentum: 0.5, weightDecay: 5e-3)))
        let s = try Self.until(thread, "the change") { $0.live.learningRate == 0.05 }
        #expect(s.modified && s.caption == "first caption" && s.description == "a short story" && s.title == "story")
        #expect(s.markers.last?.label == "lr 0.05" && s.markers.last!.step >= 1)
    }
}
