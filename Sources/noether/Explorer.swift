import ArgumentParser
import CNcursesw
import Dispatch
import Foundation
import NoetherCore
import NoetherUI

/// The live explorer: checks the terminal, starts the simulator thread, and runs the UI loop
/// on the main thread (every curses call happens here).
/// What the explorer shows and how, from the flags over the settings file.
struct ExplorerOptions: Equatable {
    var dots: DotStyle?
    var noColor = false
    /// Steps per second (0: max); nil: each preset's own pace.
    var speed: Int?
    var theme = Theme.dark
    /// Hold at every caption until space (the settings file's `lecture = true`).
    var lecture = false
}

enum Explorer {
    static func launch(preset: Preset, replay: Bool, record: String?, _ display: DisplayOptions,
                       tour: [Preset] = [], then: [Preset] = [], from: [Int] = []) throws {
        let settings: Settings
        do { settings = try Settings.load(Settings.path()) } catch { throw RunFailure("\(error)") }
        let options = display.resolved(settings)
        let dots = options.dots, speed = options.speed
        let ascii = dots == .ascii
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        guard isatty(0) == 1, isatty(1) == 1 else {
            throw RunFailure("the explorer needs a terminal (standard input and output are not one); use `noether run` for headless output")
        }
        guard !term.isEmpty, term != "dumb", noether_terminal_usable(term) == 1 else {
            throw RunFailure("the explorer needs a terminal that can address the cursor (TERM is '\(term)'); use `noether run` for headless output")
        }
        setlocale(LC_ALL, "")
        if noether_utf8_locale() == 0, !ascii {
            // Braille and box drawing need a UTF-8 codeset; C.UTF-8 exists on every glibc system.
            if setlocale(LC_ALL, "C.UTF-8") == nil || noether_utf8_locale() == 0 { setlocale(LC_ALL, "") }
        }
        // ASCII when asked, or when the user's locale is not UTF-8 (their terminal may not be either).
        let unicode = !ascii && noether_utf8_locale() == 1 && Self.localeAsksUTF8()
        let env = ProcessInfo.processInfo.environment
        let color = !options.noColor && (env["NO_COLOR"] ?? "").isEmpty

        // Signals first: otherwise ncurses installs its own handlers and exits without our cleanup.
        let signals = StopSignals()
        noether_install_crash_handlers()
        noether_install_atexit()

        let simulator = SimulationThread(preset: preset, replay: replay, record: record, version: Noether.version, speed: speed,
                                         then: then, from: from, lecture: options.lecture)
        simulator.launch()
        let terminal = Terminal(color: color)
        var state = AppState()
        state.presets = PresetLibrary.all()
        state.tour = tour
        state.theme = options.theme
        var loop = ExplorerLoop(state: state, screen: Screen(unicode: unicode, color: color, dots: dots),
                                directory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        while signals.caught == nil && !loop.state.quit {
            let ms = loop.turn(terminal, snapshot: simulator.snapshot, send: simulator.send, reload: PresetLibrary.all)
            if let ms { FrameStats.shared.record(ms) }
        }
        terminal.close()
        simulator.stop()
        signals.cancel()
        FrameStats.shared.report()
        // Stopped by a signal: the terminal is restored and the recording closed; say so to the shell.
        if let code = signals.exitCode { throw ExitCode(code) }
    }

    static func localeAsksUTF8() -> Bool {
        let env = ProcessInfo.processInfo.environment
        let value = env["LC_ALL"] ?? env["LC_CTYPE"] ?? env["LANG"] ?? ""
        return value.uppercased().contains("UTF-8") || value.uppercased().contains("UTF8")
    }
}

/// Frame-time statistics, written to $NOETHER_FRAME_STATS on exit (for measuring, never to the screen).
final class FrameStats: @unchecked Sendable {
    static let shared = FrameStats()
    private var times: [Double] = []
    func record(_ ms: Double) { if times.count < 100_000 { times.append(ms) } }
    func report() {
        guard let path = ProcessInfo.processInfo.environment["NOETHER_FRAME_STATS"], !times.isEmpty else { return }
        let sorted = times.sorted()
        let text = String(format: "frames %d  median %.2f ms  p90 %.2f ms  max %.2f ms\n", sorted.count,
                          sorted[sorted.count / 2], sorted[sorted.count * 9 / 10], sorted.last!)
        do { try OutputFile.write(text, to: path) } catch {
            FileHandle.standardError.write(Data("noether: NOETHER_FRAME_STATS: \(error)\n".utf8))
        }
    }
}

/// The ncurses backend: draws a Buffer by sending only the cells that changed.
final class Terminal: Backend {
    private var previous: Buffer?
    private let color: Bool

    init(color: Bool) {
        self.color = color
        initscr()
        cbreak()
        noecho()
        keypad(noether_stdscr(), true)
        curs_set(0)
        set_escdelay(25)
        timeout(33)
        if color, has_colors() {
            start_color()
            use_default_colors()
        }
    }

    /// The theme's colours: Okabe–Ito approximations (or the theme's shades) on 256-colour
    /// terminals, the nearest ANSI colour otherwise; light and high-contrast paint their background.
    func apply(_ theme: Theme) {
        guard color, has_colors() else { return }
        let rich = noether_colors() >= 256
        let background: Int16 = rich ? theme.terminalBackground : (theme == .light ? 7 : theme == .highContrast ? 0 : -1)
        let normal: Int16 = theme == .dark ? -1 : rich ? theme.terminal256(.normal) : (theme == .light ? 0 : 7)
        assume_default_colors(Int32(normal), Int32(background))
        for c in Color.allCases where c != .normal {
            init_pair(Int16(c.rawValue), rich ? theme.terminal256(c) : c.terminal8, background)
        }
        invalidate()
    }

    var size: (width: Int, height: Int) { (Int(noether_cols()), Int(noether_lines())) }

    func invalidate() {
        previous = nil
        clear()
    }

    func readKey() -> Key? {
        let ch = getch()
        switch ch {
        case ERR: return nil
        case KEY_RESIZE: return .resize
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case 9: return .tab
        case 10, 13, KEY_ENTER: return .enter
        case 27: return .escape
        case KEY_F0 + 1...KEY_F0 + 12: return .function(Int(ch - KEY_F0))
        case 32...126: return .char(Character(Unicode.Scalar(UInt8(ch))))
        default: return nil
        }
    }

    func attributes(_ s: Style) -> attr_t {
        var a = noether_normal()
        if s.bold { a |= noether_bold() }
        if s.dim { a |= noether_dim() }
        if s.reverse { a |= noether_reverse() }
        if color, s.color != .normal { a |= attr_t(COLOR_PAIR(Int32(s.color.rawValue))) }
        return a
    }

    /// Sends the runs of changed cells (BufferDiff) with one style each.
    func draw(_ b: Buffer) {
        let old = previous.flatMap { $0.width == b.width && $0.height == b.height ? $0 : nil }
        if old == nil { erase() }
        for run in BufferDiff.runs(from: old, to: b) {
            attrset(Int32(bitPattern: attributes(run.style)))
            let wide = run.text.unicodeScalars.map { wchar_t(bitPattern: $0.value) } + [0]
            _ = wide.withUnsafeBufferPointer { mvaddwstr(Int32(run.y), Int32(run.x), $0.baseAddress!) }
        }
        attrset(0)
        refresh()
        previous = b
    }

    func close() {
        if isendwin() == false { endwin() }
    }
}
