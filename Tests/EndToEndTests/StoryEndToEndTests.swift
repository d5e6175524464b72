import Foundation
import Testing
import TestTiers

/// Narrated presets in the real binary: the caption a preset opens with is on screen, the run
/// stops at DONE, `o` restarts and records, and a replay stops where the recording ended.
@Suite("Stories end to end", .serialized, .fullTierOnly)
struct StoryEndToEndTests {
    typealias E = ExplorerEndToEndTests

    @Test("three presets open with their first caption, at their pace, and reach DONE")
    func presetsTellTheirStory() throws {
        // (preset, words of its first caption, its steps and pace)
        for (name, words, steps, pace) in [
            ("translation-momentum", "pendulum", 600, " 20/s"),
            ("bn-scale-growth", "Plain", 200, " 7/s"),
            ("theory-overlay", "lies", 4000, " 130/s"),
        ] {
            let t = E.Tmux()
            t.start("--preset \(name)")
            t.waitFor("\(name): its first caption and pace") {
                $0.contains("▶") && $0.contains(words) && $0.contains("/\(steps)") && $0.contains("RUNNING")
            }
            // The speed control shows the pace at which the preset's steps take about 30 s.
            t.waitFor("\(name): its pace", timeout: 10) {
                $0.split(separator: "\n").contains { $0.contains("speed") && $0.contains(pace + "│") }
            }
            t.type("q")
            t.waitFor("exit") { $0.contains("exit=0") }
            let fast = E.Tmux()
            fast.start("--preset \(name) --speed max")
            // Story pauses wait for space; keep pressing it until DONE.
            let end = Date().addingTimeInterval(90)
            var screen = ""
            while Date() < end {
                screen = fast.screen()
                if screen.contains("DONE") { break }
                if screen.contains("PAUSED") { fast.send("Space") }
                usleep(200_000)
            }
            #expect(
                screen.contains("DONE") && screen.contains("space continues")
                    && screen.contains("step \(steps)/\(steps)"),
                "\(name):\n\(screen)")
            fast.type("q")
            fast.waitFor("exit") { $0.contains("exit=0") }
        }
    }

    @Test("flags that change a preset's settings leave its captions out and say so; a longer run keeps them")
    func otherSettingsShowNoStory() throws {
        let t = E.Tmux()
        t.start("--preset bn-scale-growth --norm none --speed 50")
        let screen = t.waitFor("a run past step 30, marked modified") {
            (E.step($0) ?? 0) > 30 && $0.contains("(modified)") && $0.contains("captions were")
        }
        #expect(screen?.contains("▶") == false, "\(screen ?? "")")
        t.type("q")
        t.waitFor("exit") { $0.contains("exit=0") }
        let longer = E.Tmux()
        longer.start("--preset bn-scale-growth --steps 400 --speed 50")
        let told = longer.waitFor("its first caption") { $0.contains("▶") && $0.contains("Plain") }
        #expect(told?.contains("(modified)") == false, "\(told ?? "")")
        longer.type("q")
        longer.waitFor("exit") { $0.contains("exit=0") }
    }

    @Test("o mid-run restarts from step 0 and records; the replay stops at the recording's end")
    func recordAnyTimeAndReplayToTheEnd() throws {
        let dir = NSTemporaryDirectory() + "noether-story-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let t = E.Tmux()
        t.type("cd '\(dir)'")
        t.send("Enter")
        t.start("--preset bn-scale-growth --speed 50")
        t.waitFor("a run past step 30") { (E.step($0) ?? 0) > 30 }
        t.type("o")
        t.waitFor("recording from step 0") { $0.contains("REC") && $0.contains("restarted from step 0") }
        t.waitFor("recorded steps") { (E.step($0) ?? 0) > 60 }
        t.type("]")
        t.waitFor("lr change") { $0.contains("lr 0.2 ") }
        t.waitFor("more steps") { (E.step($0) ?? 0) > 90 }
        t.type("o")
        t.waitFor("recording saved") { $0.contains("recording saved") }
        t.type("q")
        t.waitFor("exit") { $0.contains("exit=0") }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix("noether-session-") }
        #expect(files.count == 1)
        let file = dir + "/" + (files.first ?? "missing")
        let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        #expect(text.contains("[[stop]]") && text.contains("lr = 0.2"))
        let stop =
            text.components(separatedBy: "[[stop]]\nstep = ").last.flatMap { Int($0.prefix { $0.isNumber }) } ?? -1
        #expect(stop > 90)

        let r = E.Tmux()
        r.start("replay '\(file)' --speed max")
        var screen = ""
        let end = Date().addingTimeInterval(60)
        while Date() < end {
            screen = r.screen()
            if screen.contains("DONE") { break }
            if screen.contains("PAUSED") { r.send("Space") }
            usleep(200_000)
        }
        #expect(
            screen.contains("DONE") && screen.contains("step \(stop)/\(stop)") && screen.contains("REPLAY"), "\(screen)"
        )
        r.type("q")
        r.waitFor("exit") { $0.contains("exit=0") }
    }
}

/// Teleports and forks by key in the real binary: T opens the menu and teleports (the loss
/// before and after in the message), F forks (the header shows the ghost), x swaps, g drops.
@Suite("Teleports and forks end to end", .serialized, .fullTierOnly)
struct TeleportForkEndToEndTests {
    typealias E = ExplorerEndToEndTests

    @Test func teleportForkSwapDrop() throws {
        let t = E.Tmux(width: 100, height: 30)
        t.start("--preset bn-equilibrium --speed 300")
        t.waitFor("running") { $0.contains("RUNNING") && (E.step($0) ?? 0) > 30 }
        t.type("F")
        t.waitFor("the fork") { $0.contains("FORK") && $0.contains("ghost lr 0.1") && $0.contains("forked at step") }
        t.type("T")
        // The menu opens on the narrated family (fc2.scale); its first entry is × 4, and a menu holds the story.
        t.waitFor("the teleport menu") {
            $0.contains("teleport at step ") && $0.contains("(↑↓ choose") && $0.contains("fc2.scale  weights × α = 4")
                && $0.contains("PAUSED")
        }
        t.send("Enter")
        let moved = t.waitFor("the teleport") { $0.contains("teleported fc2.scale ×4: loss") && $0.contains("RUNNING") }
        // The loss before and after, equal to the digits shown.
        if let line = moved?.split(separator: "\n").last(where: { $0.contains("teleported") }),
            let range = line.range(of: "loss ")
        {
            let parts = line[range.upperBound...].split(separator: " ")
            #expect(parts.count >= 3 && parts[0] == parts[2], "\(line)")
        }
        t.type("]")
        t.waitFor("the fork's lr") { $0.contains("│ lr 0.2 │") && $0.contains("ghost lr 0.1") }
        t.type("x")
        t.waitFor("swapped") { $0.contains("│ lr 0.1 │") && $0.contains("ghost lr 0.2") }
        t.type("g")
        t.waitFor("ghost dropped") { !$0.contains("FORK") && !$0.contains("ghost lr") }
        t.type("q")
        t.waitFor("exit") { $0.contains("exit=0") }
    }
}
