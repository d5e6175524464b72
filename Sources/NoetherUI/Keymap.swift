/// A key as the backend reports it.
public enum Key: Hashable, Sendable {
    case char(Character)
    case up, down, left, right, tab, enter, escape, resize
    /// A function key, F1…F12.
    case function(Int)

    public var label: String {
        switch self {
        case .char(" "): "space"
        case .char(let c): String(c)
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .tab: "tab"
        case .enter: "enter"
        case .escape: "esc"
        case .resize: "resize"
        case .function(let n): "F\(n)"
        }
    }
}

public enum Action: Hashable, Sendable {
    case togglePause, stepOnce, learningRateUp, learningRateDown, weightDecayUp, weightDecayDown, nextMomentum
    case nextNormalization, nextArchitecture, reset, resetNewSeed, faster, slower
    case focusNext, toggleLogY, toggleTimeAxis, toggleHeatmapValue, toggleSmoothing, toggleExpand, toggleFreeze,
        toggleWindow, nextFamily
    case selectUp, selectDown, valueDown, valueUp
    case presetPicker, nextInTour, savePreset, toggleRecording, teleportMenu, fork, swapFork, dropGhost, help, close,
        quit
    case cycleYAxis, cycleTheme, messages, info, saveScreen, exportChart
    case back, undo, toggleLecture, quitNow
}

public struct KeyBinding: Sendable {
    public var keys: [Key]
    public var action: Action
    public var help: String
}

/// The one table that drives key handling and the help screen.
public enum Keymap {
    public static let bindings: [KeyBinding] = [
        KeyBinding(keys: [.char(" ")], action: .togglePause, help: "pause / resume training"),
        KeyBinding(keys: [.char(".")], action: .stepOnce, help: "one step while paused"),
        KeyBinding(
            keys: [.char(",")], action: .back, help: "back to the previous caption of the story (replayed exactly)"),
        KeyBinding(keys: [.char("u")], action: .undo, help: "undo the last change (lr, reset, teleport, fork…)"),
        KeyBinding(keys: [.char("L")], action: .toggleLecture, help: "lecture: hold at every caption until space"),
        KeyBinding(keys: [.char("]")], action: .learningRateUp, help: "learning rate up (live)"),
        KeyBinding(keys: [.char("[")], action: .learningRateDown, help: "learning rate down (live)"),
        KeyBinding(keys: [.char("}")], action: .weightDecayUp, help: "weight decay up (live)"),
        KeyBinding(keys: [.char("{")], action: .weightDecayDown, help: "weight decay down (live)"),
        KeyBinding(keys: [.char("m")], action: .nextMomentum, help: "next momentum (live)"),
        KeyBinding(keys: [.char("n")], action: .nextNormalization, help: "next normalization (resets)"),
        KeyBinding(keys: [.char("a")], action: .nextArchitecture, help: "next activation (resets)"),
        KeyBinding(keys: [.char("r")], action: .reset, help: "reset with the same seed"),
        KeyBinding(keys: [.char("R")], action: .resetNewSeed, help: "reset with a new seed"),
        KeyBinding(keys: [.char("+"), .char("=")], action: .faster, help: "simulation faster"),
        KeyBinding(keys: [.char("-")], action: .slower, help: "simulation slower"),
        KeyBinding(keys: [.up], action: .selectUp, help: "select the previous control"),
        KeyBinding(keys: [.down], action: .selectDown, help: "select the next control"),
        KeyBinding(keys: [.left], action: .valueDown, help: "decrease the selected control"),
        KeyBinding(keys: [.right], action: .valueUp, help: "increase the selected control"),
        KeyBinding(keys: [.tab], action: .focusNext, help: "focus the next chart"),
        KeyBinding(keys: [.char("c")], action: .nextFamily, help: "next charge family on the charge chart"),
        KeyBinding(keys: [.char("l")], action: .toggleLogY, help: "log y axis on the focused chart"),
        KeyBinding(
            keys: [.char("y")], action: .cycleYAxis,
            help: "y axis of the focused chart: honest / from 0 / % change / zoom"),
        KeyBinding(keys: [.char("s")], action: .toggleSmoothing, help: "smoothing (raw line dimmed beneath)"),
        KeyBinding(keys: [.char("t")], action: .toggleTimeAxis, help: "time axis: steps / t = Σ η (the theory's time)"),
        KeyBinding(keys: [.char("h")], action: .toggleHeatmapValue, help: "heatmap: charge / gap ratio Γ/Q₀"),
        KeyBinding(keys: [.char("z")], action: .toggleWindow, help: "whole run / recent window"),
        KeyBinding(keys: [.enter], action: .toggleExpand, help: "expand the focused chart / back"),
        KeyBinding(keys: [.char("f")], action: .toggleFreeze, help: "freeze the display (training goes on)"),
        KeyBinding(
            keys: [.char("T")], action: .teleportMenu, help: "teleport: move along a symmetry (same loss, new charges)"),
        KeyBinding(
            keys: [.char("F")], action: .fork,
            help: "fork (up to 3 ghosts ◦ go on unchanged); keys act on the fork"),
        KeyBinding(
            keys: [.char("x")], action: .swapFork,
            help: "swap front run and newest ghost (the front takes the keys)"),
        KeyBinding(keys: [.char("g")], action: .dropGhost, help: "drop the newest ghost"),
        KeyBinding(keys: [.char("p")], action: .presetPicker, help: "open a preset"),
        KeyBinding(keys: [.char(">")], action: .nextInTour, help: "next preset of the tour (noether tour)"),
        KeyBinding(keys: [.char("w")], action: .savePreset, help: "save the configuration as a preset file"),
        KeyBinding(keys: [.char("o")], action: .toggleRecording, help: "start / stop recording the session"),
        KeyBinding(keys: [.char("i")], action: .info, help: "the preset's whole description"),
        KeyBinding(keys: [.char("M")], action: .messages, help: "the last ten messages"),
        KeyBinding(
            keys: [.char("K")], action: .cycleTheme, help: "colour theme: dark / light / high-contrast (projectors)"),
        KeyBinding(
            keys: [.char("S")], action: .saveScreen, help: "save the screen as noether-screen-DATE-TIME.svg and .txt"),
        KeyBinding(
            keys: [.char("E")], action: .exportChart,
            help: "export the focused chart as a figure with its theory (SVG)"),
        KeyBinding(
            keys: [.char("?"), .function(1)], action: .help,
            help: "help: keys, then the glossary (tab: next page, ↑↓ scroll)"),
        KeyBinding(keys: [.escape], action: .close, help: "close help, picker, teleport menu, messages or description"),
        KeyBinding(
            keys: [.char("q"), .function(10)], action: .quit, help: "quit (asks first while recording or forked)"),
        KeyBinding(keys: [.char("Q")], action: .quitNow, help: "quit at once"),
    ]

    public static func action(for key: Key) -> Action? {
        bindings.first { $0.keys.contains(key) }?.action
    }
}
