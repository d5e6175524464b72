import Foundation
import NoetherCore

/// What the explorer needs of a terminal: its size, the keys pressed, frames to show and a
/// theme's colours. The ncurses backend is a thin adapter; tests drive `TestBackend`.
public protocol Backend: AnyObject {
    var size: (width: Int, height: Int) { get }
    /// The next key, waiting at most one frame; nil when none came.
    func readKey() -> Key?
    func draw(_ frame: Buffer)
    /// Forget what is on the screen (after a resize): the next frame is sent whole.
    func invalidate()
    func apply(_ theme: Theme)
}

/// A terminal in memory: keys from a script, every frame kept.
public final class TestBackend: Backend {
    public var size: (width: Int, height: Int)
    public var keys: [Key]
    public private(set) var frames: [Buffer] = []
    public private(set) var theme = Theme.dark

    public init(width: Int, height: Int, keys: [Key] = []) {
        size = (width, height)
        self.keys = keys
    }

    public func readKey() -> Key? { keys.isEmpty ? nil : keys.removeFirst() }
    public func draw(_ frame: Buffer) { frames.append(frame) }
    public func invalidate() {}
    public func apply(_ theme: Theme) { self.theme = theme }
}

/// The explorer's loop, the same for every backend: read a key, turn it into commands for the
/// simulator, draw the latest snapshot when anything changed, and save a frame on `S`.
public struct ExplorerLoop {
    public var state: AppState
    public var screen: Screen
    /// Where `S` writes its files.
    public var directory: URL
    private var drawn = -1
    private var appliedTheme: Theme?

    public init(state: AppState, screen: Screen, directory: URL) {
        self.state = state
        self.screen = screen
        self.directory = directory
    }

    /// One turn of the loop. Returns the time it took to render and draw, in milliseconds, when it drew.
    @discardableResult
    public mutating func turn(
        _ backend: Backend, snapshot: () -> Snapshot, send: (Command) -> Void,
        reload: () -> [Preset] = { [] }
    ) -> Double? {
        let key = backend.readKey()
        let s = snapshot()
        state.follow(s.narration, s)
        if let message = s.message { state.log(message) }
        if let key, key != .resize {
            let pickerWasOpen = state.pickerOpen
            for command in state.handle(key, s) { send(command) }
            // The picker lists the presets as they are now (a `w` save shows up at once).
            if state.pickerOpen, !pickerWasOpen { let all = reload(); if !all.isEmpty { state.presets = all } }
        }
        if key == .resize { backend.invalidate() }
        if appliedTheme != state.theme {
            backend.apply(state.theme)
            appliedTheme = state.theme
        }
        // Draw only what changed: a paused explorer does no work between key presses.
        if key == nil, s.version == drawn, !state.saveScreenRequested, !state.exportChartRequested { return nil }
        drawn = s.version
        let start = DispatchTime.now().uptimeNanoseconds
        let (w, h) = backend.size
        if state.exportChartRequested {
            state.exportChartRequested = false
            exportChart(s)
        }
        var frame = screen.render(state, s, width: w, height: h)
        if state.saveScreenRequested {
            state.saveScreenRequested = false
            do {
                let files = try ScreenExport.save(frame, theme: state.theme, color: screen.color, in: directory)
                // One line at 80 columns: the text copy differs from the SVG only in its extension.
                let sameStem = files.text == files.svg.dropLast(4) + ".txt"
                state.say("saved the screen: \(files.svg) + " + (sameStem ? ".txt" : files.text))
            } catch {
                state.say("could not save the screen in \(directory.path): \(error.localizedDescription)")
            }
            frame = screen.render(state, s, width: w, height: h)
        }
        backend.draw(frame)
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    }

    /// `E`: the focused chart, as shown (a frozen display's), as a figure in `directory`.
    mutating func exportChart(_ live: Snapshot) {
        switch ChartFigure.plot(state.focus, state.frozen ?? live, state) {
        case .success(let plot):
            do {
                let name = try ChartFigure.save(plot, id: state.focus, in: directory)
                state.say("saved the \(state.focus) chart as the figure \(name)")
            } catch {
                state.say("could not save the chart in \(directory.path): \(error.localizedDescription)")
            }
        case .failure(let reason): state.say(reason.message)
        }
    }
}
