import Foundation
import NoetherCore
import Testing

@testable import NoetherUI

/// What the session's pace and history put on screen, in whole rendered lines.
@Suite("Session frames")
struct SessionFrameTests {
    func render(_ state: AppState, _ s: Snapshot, _ w: Int = 100, _ h: Int = 30, unicode: Bool = true) -> Buffer {
        Screen(unicode: unicode, color: true).render(state, s, width: w, height: h)
    }

    @Test("after a change the caption is dimmed beneath one line that says what changed")
    func departureLine() throws {
        var s = try ScreenFrameTests.run()
        s.caption = "Gap chart: the median levels off near 0.23."
        s.modified = true
        s.departure = "lr 0.2 at step 30"
        let b = render(AppState(), s)
        #expect(b.line(27) == "✎ you changed lr 0.2 at step 30: the captions describe the run without it (u undoes)")
        #expect(b.line(28) == "▶ (modified) Gap chart: the median levels off near 0.23.")
        let caption = (0..<100).map { b[$0, 28] }.filter { $0.char != " " }
        #expect(!caption.isEmpty && caption.allSatisfy { $0.style.dim })
        #expect((0..<100).map { b[$0, 27] }.filter { $0.char != " " }.allSatisfy { !$0.style.dim })
        // Without a change in force the caption is the story's, not dimmed.
        s.departure = nil
        #expect(render(AppState(), s).line(28).hasPrefix("▶ (modified) Gap chart"))
        #expect(!(0..<10).map { render(AppState(), s)[$0, 28] }.contains { $0.style.dim })
    }

    @Test("the header says lecture, a caption's hold, space starts, and beyond the story")
    func headerStates() throws {
        var s = try ScreenFrameTests.run()
        s.targetSteps = 60
        s.lecture = true
        s.state = .running
        s.readingHold = 4.2
        #expect(
            render(AppState(), s).line(0).hasPrefix(" noether  RUNNING LECTURE caption: 5 s to read │ step 30/60 │"))
        s.readingHold = nil
        s.lecture = false
        s.beyondStory = true
        s.state = .finished
        #expect(
            render(AppState(), s).line(0).hasPrefix(" noether  DONE space continues │ step 30/60 beyond the story │"))
        s.step = 0
        s.state = .paused
        #expect(render(AppState(), s).line(0).hasPrefix(" noether  PAUSED space starts │ step 0/60 beyond the story │"))
    }

    @Test("q asks while a recording or a fork is open; any other key stays; Q quits at once")
    func quitAsks() throws {
        var s = try ScreenFrameTests.run()
        s.recordingPath = "x.toml"
        var state = AppState()
        #expect(state.handle(.char("q"), s).isEmpty && !state.quit)
        let question = "quit with a recording open? y or q quits (the recording is saved), other keys stay"
        #expect(state.quitQuestion == question)
        #expect(render(state, s, 120, 30).line(29).hasSuffix(" " + question))
        #expect(state.handle(.char("n"), s).isEmpty && !state.quit && state.quitQuestion == nil)
        _ = state.handle(.char("q"), s)
        #expect(state.handle(.char("y"), s) == [.quit] && state.quit)
        var other = AppState()
        #expect(other.handle(.char("Q"), s) == [.quit] && other.quit)
        s.recordingPath = nil
        var plain = AppState()
        #expect(plain.handle(.char("q"), s) == [.quit], "nothing open: q quits at once")
    }

    @Test("the keys of going back, undo and lecture reach the simulator")
    func keys() throws {
        let s = try ScreenFrameTests.run()
        var state = AppState()
        #expect(state.handle(.char(","), s) == [.back])
        #expect(state.handle(.char("u"), s) == [.undo])
        #expect(state.handle(.char("L"), s) == [.setLecture(true)])
    }
}
