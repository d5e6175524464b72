import Foundation
import Testing

/// Pace, lecture holds, going back and undo in the real binary, timed by the wall clock.
@Suite("Session end to end", .serialized)
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
        // The first caption has 22 words: max(8, 22/3) = 8 s. Polling adds at most 0.1 s either side.
        #expect(dwell >= 7.8 && dwell < 12, "dwell \(dwell) s")
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
}
