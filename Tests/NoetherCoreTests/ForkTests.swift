import Foundation
import NoetherCore
import TestFixtures
import Testing

/// Several forks in one session: each ghost is the run as it was at its fork, going on
/// unchanged beside the others, and going back, undo, swap and drop keep them so, value for
/// value (the engine is bit-exact).
@Suite("Forks")
struct ForkTests {
    /// A story that forks three times, changing the learning rate after each fork.
    static func story() throws -> Preset {
        try Preset.parse(
            """
            title = "three forks"
            description = "each fork leaves a ghost at the learning rate it had"
            width = 8
            samples = 64
            steps = 60
            lr = 0.1

            [[at]]
            step = 0
            name = "lr 0.1"

            [[at]]
            step = 10
            fork = true
            name = "lr 0.2"
            lr = 0.2

            [[at]]
            step = 20
            fork = true
            name = "lr 0.05"
            lr = 0.05

            [[at]]
            step = 30
            fork = true
            name = "lr 0.3"
            lr = 0.3
            """, name: "forks", file: "forks.toml")
    }

    /// The story's configuration with only `changes` (no forks), run to `step`.
    static func plain(_ changes: [(step: Int, lr: Double)], to step: Int) throws -> Simulator {
        var p = try story()
        p.schedule = changes.map { ScheduledChange(step: $0.step, learningRate: $0.lr) }
        let s = try Session(p)
        while s.step < step { try s.advance() }
        return s.front
    }

    static func run(_ s: Session, to step: Int) throws {
        while s.step < step { try s.advance() }
    }

    @Test func eachGhostIsTheRunAsItWasAtItsFork() throws {
        let s = try Session(try Self.story())
        try Self.run(s, to: 40)
        #expect(s.forks.map(\.step) == [10, 20, 30] && s.ghosts.count == 3)
        #expect((0..<3).map(s.ghostName) == ["lr 0.1", "lr 0.2", "lr 0.05"] && s.frontName == "lr 0.3")
        let expected = [
            try Self.plain([], to: 40),
            try Self.plain([(10, 0.2)], to: 40),
            try Self.plain([(10, 0.2), (20, 0.05)], to: 40),
        ]
        for (ghost, run) in zip(s.ghosts, expected) {
            #expect(ghost?.flatParameters == run.flatParameters && ghost?.live.learningRate == run.live.learningRate)
        }
        let front = try Self.plain([(10, 0.2), (20, 0.05), (30, 0.3)], to: 40)
        #expect(s.front.flatParameters == front.flatParameters)
        #expect(Set(s.ghosts.map { $0!.live.learningRate }).count == 3, "three different runs")
    }

    @Test func goingBackRebuildsEveryGhostAndForgetsForksAfterThatStep() throws {
        let live = try Session(try Self.story())
        try Self.run(live, to: 45)
        let ghostsAt45 = live.ghosts.map { $0!.flatParameters }
        try live.rewind(to: 25)
        #expect(live.forks.map(\.step) == [10, 20] && live.ghosts.count == 2)
        let fresh = try Session(try Self.story(), to: 25)
        #expect(live.ghosts.map { $0!.flatParameters } == fresh.ghosts.map { $0!.flatParameters })
        // Played on, the third fork comes again, and every run is where it was.
        try Self.run(live, to: 45)
        #expect(live.ghosts.map { $0!.flatParameters } == ghostsAt45)
        // A session opened at step 45 replays the same three ghosts.
        let opened = try Session(try Self.story(), to: 45)
        #expect(opened.ghosts.map { $0!.flatParameters } == ghostsAt45)
    }

    @Test func theUserForksUpToTheLimitAndSwapAndDropActOnTheNewest() throws {
        var p = try Self.story()
        p.schedule = []
        let s = try Session(p)
        try Self.run(s, to: 5)
        try s.startFork(byUser: true)
        try s.set(LiveParameters(learningRate: 0.3, momentum: 0, weightDecay: 0))
        try Self.run(s, to: 8)
        try s.startFork(byUser: true)
        try s.set(LiveParameters(learningRate: 0.02, momentum: 0, weightDecay: 0))
        try Self.run(s, to: 9)
        try s.startFork(byUser: true)
        #expect(s.ghosts.count == Session.maxGhosts)
        #expect(throws: ConfigError.self) { try s.startFork(byUser: true) }
        try Self.run(s, to: 12)
        // Swap: the newest ghost (lr 0.02 since step 8) comes to the front; the front (also
        // lr 0.02, since step 9 the same run) becomes that ghost.
        let newest = s.ghosts[2]!.flatParameters
        try s.swapFork()
        #expect(s.front.flatParameters == newest && s.ghosts.count == 3)
        s.dropGhost()
        #expect(s.ghosts.count == 2 && s.forks.map(\.step) == [5, 8])
        #expect(s.ghosts[1]!.live.learningRate == 0.3 && s.ghosts[0]!.live.learningRate == 0.1)
        // Undo brings the dropped ghost back, then undoes the swap.
        #expect(try s.undo()?.label == "dropping the ghost")
        #expect(s.ghosts.count == 3 && s.ghosts[2]!.flatParameters == s.front.flatParameters)
        #expect(try s.undo()?.label == "the swap")
        #expect(try s.undo()?.label == "the fork")
        #expect(s.step == 9 && s.ghosts.count == 2)
    }

    @Test func aStoryForkWithEveryGhostTakenIsSkippedAndLoggedWithoutIt() throws {
        let s = try Session(try Self.story())
        for step in [2, 4, 6] {
            try Self.run(s, to: step)
            try s.startFork(byUser: true)
        }
        try Self.run(s, to: 9)
        let skipped = try s.advance()
        #expect(skipped.storyForkSkipped && !skipped.forkedByStory && s.ghosts.count == Session.maxGhosts)
        #expect(s.front.live.learningRate == 0.2, "the fork's other changes act on the front run")
        #expect(s.log.filter { $0.change.step == 10 }.allSatisfy { !$0.change.fork })
        // Going back past it and forward again rebuilds the same runs.
        try Self.run(s, to: 14)
        let at14 = s.ghosts.map { $0!.flatParameters } + [s.front.flatParameters]
        try s.rewind(to: 12)
        try Self.run(s, to: 14)
        #expect(s.ghosts.map { $0!.flatParameters } + [s.front.flatParameters] == at14)
    }

    @Test func aRecordingOfForksReplaysEveryGhostBitForBit() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("forks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("forks.noether").path
        var p = try Self.story()
        p.schedule = []
        let s = try Session(p)
        _ = try s.startRecording(to: path, version: "test", modified: false, pace: 0)
        try Self.run(s, to: 6)
        try s.startFork(byUser: true)
        try s.set(LiveParameters(learningRate: 0.3, momentum: 0, weightDecay: 0))
        try Self.run(s, to: 14)
        try s.startFork(byUser: true)
        try s.teleport(Teleport(family: "fc1.scale", factor: 1.5))
        try Self.run(s, to: 20)
        s.stopRecording()
        let recording = try Recording.load(path)
        let replayed = try Session(recording.runs[0].preset)
        try Self.run(replayed, to: 20)
        #expect(replayed.forks.map(\.step) == [6, 14])
        #expect(replayed.ghosts.map { $0!.flatParameters } == s.ghosts.map { $0!.flatParameters })
        #expect(replayed.front.flatParameters == s.front.flatParameters)
    }

    @Test func aStoryForksAtMostThreeTimesAndNamesAreShortText() {
        let base = "steps = 50\n"
        let four = (1...4).map { "\n[[at]]\nstep = \($0 * 5)\nfork = true\n" }.joined()
        #expect {
            try Preset.parse(base + four, name: "f", file: "four.toml")
        } throws: { error in
            "\(error)".contains("four.toml") && "\(error)".contains("at most 3 times")
        }
        #expect {
            try Preset.parse(
                base + "\n[[at]]\nstep = 5\nname = \"\(String(repeating: "R", count: 25))\"\n", name: "f",
                file: "long.toml")
        } throws: { error in
            "\(error)".contains("long.toml") && "\(error)".contains("1…24 characters, got 25")
        }
        #expect {
            try Preset.parse(base + "\n[[at]]\nstep = 5\nfork = true\nname = \"\"\n", name: "f", file: "empty.toml")
        } throws: { error in
            "\(error)".contains("name must be a non-empty string")
        }
    }

    @Test func aStorysRunNamesSurviveWritingThePresetOut() throws {
        let p = try Self.story()
        let back = try Preset.parse(p.toml(), name: "back", file: "back.toml")
        #expect(back.schedule.compactMap(\.runName) == ["lr 0.1", "lr 0.2", "lr 0.05", "lr 0.3"])
        #expect(back.schedule.allSatisfy { $0.runName == nil || $0.isNarration || $0.fork })
    }

    /// Names follow the runs: after a swap the front run has the newest ghost's name and that
    /// ghost the front's; unnamed ghosts keep their number while others are dropped.
    @Test func namesFollowTheRunsThroughSwapsAndDrops() throws {
        let s = try Session(try Self.story())
        try Self.run(s, to: 35)
        try s.swapFork()
        #expect(s.frontName == "lr 0.05" && s.ghostName(2) == "lr 0.3")
        var p = try Self.story()
        p.schedule = []
        let plain = try Session(p)
        try plain.startFork(byUser: true)
        #expect(plain.ghostName(0) == "ghost" && plain.frontName == nil)
        try Self.run(plain, to: 2)
        try plain.startFork(byUser: true)
        try Self.run(plain, to: 4)
        try plain.startFork(byUser: true)
        #expect((0..<3).map(plain.ghostName) == ["ghost", "ghost 2", "ghost 3"])
        plain.dropGhost()
        try plain.startFork(byUser: false)
        #expect((0..<3).map(plain.ghostName) == ["ghost", "ghost 2", "ghost 3"])
    }
}
