import Foundation
import Testing
import TestTiers

/// Pace, lecture holds, going back and undo in the real binary, timed by the wall clock.
@Suite("Session end to end", .serialized, .fullTierOnly)
struct SessionEndToEndTests {
    typealias E = ExplorerEndToEndTests

    /// bn-scale-growth's first two captions, and the words of its first.
    static let first = "Plain SGD can only raise it"
    static let second = "is the rise that gradient flow"

    /// Every line but the last (hints and messages), for comparing two screens of one state.
    static func body(_ screen: String) -> [String] {
        Array(screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropLast(2))
    }

    @Test("at --speed max a caption stays up its reading time (wall clock), and the story's family is shown")
    func captionDwellAtMaxSpeed() throws {
        let t = E.Tmux()
        t.start("--preset bn-scale-growth --speed max")
        let shown = t.waitFor("the first caption") { $0.contains(Self.first) }
        let start = Date()
        #expect(shown?.contains("Q: fc2.scale") == true && shown?.contains("Q: fc1.scale") == false, "\(shown ?? "")")
        #expect(shown?.contains("s to read") == true, "the header says the caption holds the run")
        t.waitFor("the second caption", timeout: 30) { $0.contains(Self.second) }
        let dwell = Date().timeIntervalSince(start)
        // The first caption has 22 words: max(8, 22/3) = 8 s, held 0.4 s more; polling adds at most 0.1 s.
        #expect(dwell >= 8.0 && dwell < 12, "dwell \(dwell) s")
        // The focus moves to the gap chart, the family stays the story's.
        #expect(t.screen().contains("fc2"))
        t.type("Q")
        t.waitFor("exit") { $0.contains("exit=0") }
    }

    @Test("--lecture holds at every caption until space; , goes back to the same screen; u undoes a change")
    func lectureBackAndUndo() throws {
        let t = E.Tmux()
        t.start("--preset bn-scale-growth --speed max --lecture")
        t.waitFor("held at the first caption") {
            $0.contains("LECTURE") && $0.contains(Self.first) && $0.contains("PAUSED")
        }
        sleep(2)
        #expect(E.step(t.screen()) == 0, "lecture mode holds without end")
        t.type(" ")
        let beat = t.waitFor("held at the second caption", timeout: 30) {
            $0.contains(Self.second) && $0.contains("PAUSED") && E.step($0) == 70
        }
        t.type(" ")
        t.waitFor("the third caption", timeout: 30) { E.step($0) == 140 && $0.contains("PAUSED") }
        t.type(",")
        let back = t.waitFor("back at the second caption") { $0.contains("back to step 70") }
        #expect(back.map(Self.body) == beat.map(Self.body), "the screen at the beat is the screen of the first time")

        // A live change, then undo: the same screen again.
        t.type("]")
        let changed = t.waitFor("the change") { $0.contains("you changed lr") }
        #expect(changed?.contains("lr 0.2") == true)
        t.type("u")
        let undone = t.waitFor("the undo") { $0.contains("undid") }
        #expect(undone.map(Self.body) == beat.map(Self.body), "undo returns to the run without the change")

        // q asks while a fork is open; Q quits at once.
        t.type("F")
        t.waitFor("the fork") { $0.contains("FORK") }
        t.type("q")
        t.waitFor("the question") { $0.contains("quit with a fork open?") }
        t.type("n")
        usleep(300_000)
        #expect(!t.screen().contains("exit="))
        t.type("Q")
        t.waitFor("exit") { $0.contains("exit=0") }
    }
    @Test(", to a step after a change keeps (modified) and the change line; to a step before it removes both")
    func backFollowsTheChanges() throws {
        let t = E.Tmux()
        t.start("--preset bn-scale-growth --speed max --lecture")
        t.waitFor("held at the first caption") { $0.contains(Self.first) && $0.contains("PAUSED") }
        for _ in 0..<5 { t.type(".") }
        t.waitFor("step 5", timeout: 30) { E.step($0) == 5 }
        t.type("]")
        // The change line names the step the change took effect at (the one shown, or the next).
        let changed = t.waitFor("the change") {
            $0.contains("you changed lr 0.2 at step ") && $0.contains("(modified)")
        }
        let line = changed?.split(separator: "\n").first { $0.contains("you changed lr 0.2 at step ") } ?? ""
        let mark = line.range(of: "you changed lr 0.2 at step ").map { String(line[$0.lowerBound...].prefix(29)) }
        #expect(mark != nil, "no change line")
        t.type(" ")
        t.waitFor("held at step 70", timeout: 30) { E.step($0) == 70 && $0.contains("PAUSED") }
        t.type(" ")
        t.waitFor("held at step 140", timeout: 30) { E.step($0) == 140 && $0.contains("PAUSED") }
        t.type(",")
        let after = t.waitFor("back at step 70", timeout: 60) { $0.contains("back to step 70") }
        #expect(after?.contains(mark ?? "?") == true && after?.contains("(modified)") == true, "\(mark ?? "")")
        t.type(",")
        let before = t.waitFor("back at step 0", timeout: 60) { $0.contains("back to step 0") }
        #expect(before?.contains("you changed") == false && before?.contains("(modified)") == false, "\(before ?? "")")
        #expect(before?.contains(Self.first) == true && before?.contains("lr 0.1 ") == true)
        t.type("Q")
        t.waitFor("exit") { $0.contains("exit=0") }
    }

    @Test("beyond the story the last caption is dimmed under a line naming the steps it described")
    func captionBeyondTheStory() throws {
        let t = E.Tmux()
        t.start("--preset bn-scale-growth --speed max --lecture")
        let end = Date().addingTimeInterval(60)
        while Date() < end, !t.screen().contains("DONE") {
            if t.screen().contains("PAUSED") { t.type(" ") }
            usleep(200_000)
        }
        t.waitFor("DONE") { $0.contains("DONE") && E.step($0) == 200 }
        t.type(" ")
        let beyond = t.waitFor("beyond the story") { $0.contains("DONE") && E.step($0) == 400 }
        #expect(beyond?.contains("» beyond the story: the captions described steps 0–200") == true, "\(beyond ?? "")")
        // The caption's line is drawn dimmed (SGR 2), the note's is not.
        let styled = t.tmux(["capture-pane", "-p", "-e"]).split(separator: "\n").map(String.init)
        let caption = try #require(styled.first { $0.contains("Step 195") })
        let note = try #require(styled.first { $0.contains("beyond the story: the captions") })
        #expect(Self.dimmed(caption) && !Self.dimmed(note), "\(caption.debugDescription)")
        t.type("Q")
        t.waitFor("exit") { $0.contains("exit=0") }
    }

    /// Whether a captured line (with escapes) turns on SGR 2, dim.
    static func dimmed(_ line: String) -> Bool {
        line.range(of: #"\x1b\[([0-9;]*;)?2(;[0-9;]*)?m"#, options: .regularExpression) != nil
    }

    @Test(", shows its replay in the header as it goes, and q still quits during it")
    func rewindingShowsWorkAndQuits() throws {
        let t = E.Tmux()
        // theory-overlay's last caption is at step 3900, the one before at 2000: going back from
        // the last replays 2000 steps.
        t.start("--preset theory-overlay --speed max --lecture")
        let end = Date().addingTimeInterval(180)
        // One capture per look: a second capture could see the run already held at 3900 and
        // send it on past its last caption.
        while Date() < end {
            let screen = t.screen()
            if E.step(screen) == 3900 { break }
            if screen.contains("PAUSED") { t.type(" ") }
            usleep(300_000)
        }
        t.waitFor("held at the last caption") { $0.contains("PAUSED") && E.step($0) == 3900 }
        t.type(",")
        let working = t.waitFor("the replay's progress") { $0.contains("rewinding… step ") }
        #expect(working?.split(separator: "\n").first?.contains("rewinding… step ") == true)
        t.waitFor("back at the beat", timeout: 120) { E.step($0) == 2000 && !$0.contains("rewinding") }
        t.type(",")
        t.waitFor("a second replay") { $0.contains("rewinding… step ") || $0.contains("back to step 1000") }
        t.type("q")
        let start = Date()
        t.waitFor("exit") { $0.contains("exit=0") }
        #expect(Date().timeIntervalSince(start) < 3, "q ends the program during a replay")
    }

    @Test("T stops the run as its menu opens, and the teleport acts at the step the menu names")
    func teleportActsAtTheStepShown() throws {
        let t = E.Tmux()
        t.start("--preset bn-scale-growth --speed 20")
        t.waitFor("a running story") { (E.step($0) ?? 0) > 10 && $0.contains("RUNNING") }
        t.type("T")
        let menu = try #require(t.waitFor("the menu at a step") { $0.contains("teleport at step") })
        let r = try #require(menu.range(of: #"teleport at step (\d+)"#, options: .regularExpression))
        let at = try #require(Int(menu[r].split(separator: " ").last!))
        #expect(E.step(menu) == at && menu.contains("PAUSED"), "the header shows the step the menu names")
        usleep(1_000_000)
        #expect(E.step(t.screen()) == at, "the run stays stopped while the menu is open")
        t.send("Enter")
        let moved = t.waitFor("the teleport") { $0.contains("you changed T ") }
        #expect(moved?.contains("at step \(at):") == true, "\(moved ?? "")")
        t.type("Q")
        t.waitFor("exit") { $0.contains("exit=0") }
    }

    @Test("p asks before opening another preset while a fork is open")
    func presetPickerAsksWithAFork() throws {
        let t = E.Tmux()
        t.start("--preset bn-scale-growth --speed 20")
        t.waitFor("running") { (E.step($0) ?? 0) > 5 }
        t.type("F")
        t.waitFor("the fork") { $0.contains("FORK") }
        t.type("p")
        t.waitFor("the picker") { $0.contains("presets (↑↓ choose") }
        t.send("Down")
        t.send("Enter")
        let asked = t.waitFor("the question") { $0.contains("with a fork open? the fork is dropped; y opens") }
        #expect(asked?.contains("FORK") == true)
        t.type("n")
        usleep(500_000)
        #expect(t.screen().contains("FORK"), "n keeps the preset and its fork")
        t.type("p")
        t.waitFor("the picker") { $0.contains("presets (↑↓ choose") }
        t.send("Down")
        t.send("Enter")
        t.waitFor("the question") { $0.contains("with a fork open?") }
        t.type("y")
        t.waitFor("the other preset") { !$0.contains("FORK") && $0.contains("preset ") }
        t.type("q")
        t.waitFor("exit") { $0.contains("exit=0") }
    }
}
