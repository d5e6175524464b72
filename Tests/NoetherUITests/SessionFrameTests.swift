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

    @Test("beyond the story the caption is dimmed beneath one line that says which steps it described")
    func beyondTheStory() throws {
        var d = SessionDriver(preset: try SessionDriverTests.preset(), version: "test", speed: 0, now: 0)
        let t = SessionDriverTests.runOn(&d, from: 0)
        d.handle(.setPaused(false), now: t)
        SessionDriverTests.run(&d, at: t + 1)
        let published = d.publish()
        let s = try #require(published)
        #expect(s.step == 240 && s.state == .finished && s.beyondStory)
        var state = AppState()
        state.follow(s.narration, s)
        let b = render(state, s)
        #expect(b.line(27) == "» beyond the story: the captions described steps 0–120")
        #expect(b.line(28) == "▶ third caption")
        #expect((0..<100).map { b[$0, 28] }.filter { $0.char != " " }.allSatisfy { $0.style.dim })
        #expect((0..<100).map { b[$0, 27] }.filter { $0.char != " " }.allSatisfy { !$0.style.dim })
        Golden.check(b, "screen-beyond-story-100x30", styles: true)
        // LANG=C: the same in ASCII.
        let ascii = render(state, s, unicode: false)
        #expect(ascii.line(27) == ">> beyond the story: the captions described steps 0-120")
        // At 80x24 (two caption lines) the note and the dimmed caption both show.
        let small = render(state, s, 80, 24)
        #expect(small.line(21) == "» beyond the story: the captions described steps 0–120")
        #expect(small.line(22) == "▶ third caption")
    }

    @Test("the header shows a replay back as it goes: rewinding… step k/N")
    func rewindingHeader() throws {
        var s = try ScreenFrameTests.run()
        s.targetSteps = 60
        s.state = .paused
        s.rewinding = RewindProgress(step: 12, target: 40)
        #expect(
            render(AppState(), s).line(0).hasPrefix(
                " noether  PAUSED space continues rewinding… step 12/40 │ step 30/60 │"))
        s.rewinding?.ghost = true
        #expect(render(AppState(), s).line(0).contains("rewinding the ghost… step 12/40 │"))
        #expect(render(AppState(), s, unicode: false).line(0).contains("rewinding the ghost... step 12/40 |"))
    }

    @Test("the teleport menu names the step it acts on, once the run has stopped")
    func teleportMenuStep() throws {
        var s = try ScreenFrameTests.run()
        s.state = .running
        var state = AppState()
        #expect(state.handle(.char("T"), s).first == .setPaused(true), "the run stops as the menu opens")
        #expect(
            render(state, s).lines.contains {
                $0.contains(" teleport stopping the run… (↑↓ choose, enter apply, esc close) ")
            })
        s.state = .paused
        #expect(
            render(state, s).lines.contains { $0.contains(" teleport at step 30 (↑↓ choose, enter apply, esc close) ") }
        )
    }

    @Test("p and > ask before opening another preset while a fork or a recording is open")
    func presetAsks() throws {
        var s = try ScreenFrameTests.run()
        s.state = .paused  // (a running story is held while the picker is open)
        s.userFork = true
        var state = AppState()
        state.presets = try ["bn-teleport", "linear-balance"].map { try PresetLibrary.load($0) }
        _ = state.handle(.char("p"), s)
        _ = state.handle(.down, s)
        #expect(state.handle(.enter, s).isEmpty && !state.pickerOpen)
        let question = "open linear-balance with a fork open? the fork is dropped; y opens, other keys stay"
        #expect(state.question?.text == question && state.quitQuestion == nil)
        #expect(render(state, s, 120, 30).line(29).hasSuffix(" " + question))
        #expect(state.handle(.char("n"), s).isEmpty && state.question == nil)
        _ = state.handle(.char("p"), s)
        _ = state.handle(.down, s)
        _ = state.handle(.enter, s)
        #expect(state.handle(.char("y"), s) == [.loadPreset(state.presets[1])])
        // The tour moves on only when the answer is yes; a recording goes on with the new preset.
        s.recordingPath = "x.toml"
        state.tour = state.presets
        #expect(state.handle(.char(">"), s).isEmpty && state.tourIndex == 0)
        #expect(
            state.question?.text
                == "open linear-balance with a recording and a fork open? the fork is dropped, "
                + "the recording goes on with it; y opens, other keys stay")
        #expect(state.handle(.char("y"), s) == [.loadPreset(state.presets[1])] && state.tourIndex == 1)
        // Nothing open: the picker opens at once.
        s.userFork = false
        s.recordingPath = nil
        var plain = AppState()
        plain.presets = state.presets
        _ = plain.handle(.char("p"), s)
        #expect(plain.handle(.enter, s) == [.loadPreset(state.presets[0])])
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
