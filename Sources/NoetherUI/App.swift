import NoetherCore

/// What the UI asks of the simulator thread. Live changes apply at the next step boundary.
public enum Command: Equatable, Sendable {
    case setLive(LiveParameters)
    case reset(Config)
    case setPaused(Bool)
    case stepOnce
    case setSpeed(Int)
    case loadPreset(Preset)
    case toggleRecording
    case savePreset
    /// A symmetry teleport of the front run, between two steps.
    case teleport(Teleport)
    /// Fork the run: the current one goes on unchanged as a ghost; controls act on the fork.
    case fork
    /// Swap which of fork and ghost is in front (takes the controls).
    case swapFork
    case dropGhost
    /// Undo the last change: the run returns to the step where it was made, as if not made.
    case undo
    /// Back to the previous beat of the story (re-simulated from step 0).
    case back
    /// Lecture mode: hold at every caption until space.
    case setLecture(Bool)
    case quit
}

/// A question shown until the next key: a key of `yes` sends its commands, any other does nothing.
public struct Question: Sendable {
    public var text: String
    var yes: [Key]
    var commands: [Command]
    /// Yes quits the explorer.
    var quits = false
    /// Yes moves the tour to this preset.
    var tourIndex: Int?
}

/// The controls panel: live parameters apply at once, the others reset the run.
public enum Control: CaseIterable, Sendable {
    case learningRate, momentum, weightDecay, speed
    case model, arch, norm, width, depth, data, optimizer, seed

    public var isLive: Bool { [.learningRate, .momentum, .weightDecay, .speed].contains(self) }

    public var label: String {
        switch self {
        case .learningRate: "learning rate"
        case .momentum: "momentum"
        case .weightDecay: "weight decay"
        case .speed: "speed"
        case .model: "model"
        case .arch: "activation"
        case .norm: "normalization"
        case .width: "width"
        case .depth: "depth"
        case .data: "data"
        case .optimizer: "optimizer"
        case .seed: "seed"
        }
    }
}

/// Fixed ladders for stepping values from the keyboard.
public enum Ladder {
    public static let learningRate = [1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10]
    public static let weightDecay = [0, 1e-5, 1e-4, 5e-4, 1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.05]
    public static let momentum = [0, 0.5, 0.9, 0.95, 0.99]
    public static let speed = [1, 3, 10, 30, 100, 300, 1000, 3000, 10000, 0]  // 0 = unlimited
    public static let width = [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]

    /// The next rung above (or below) `value`, staying in range.
    /// The nearest rung above (or below) `value`; a value beyond the ladder's end stays put, so
    /// a key never moves a value the other way.
    public static func step<T: Comparable>(_ ladder: [T], from value: T, up: Bool) -> T {
        if up { return ladder.first { $0 > value } ?? max(value, ladder.last!) }
        return ladder.last { $0 < value } ?? min(value, ladder.first!)
    }

    /// The next pace up or down, in steps per second (0 = as fast as possible, the top rung).
    /// A pace between rungs (a preset's steps/30) moves to the nearest rung in that direction.
    public static func speed(from value: Int, up: Bool) -> Int {
        let finite = speed.filter { $0 > 0 }
        if value == 0 { return up ? 0 : finite.last! }
        if up { return finite.first { $0 > value } ?? 0 }
        return finite.last { $0 < value } ?? finite.first!
    }

    /// The next seed, kept within what a preset file can hold (0…2⁶³−1).
    static func seed(after seed: UInt64, by delta: Int) -> UInt64 {
        let top = UInt64(Int64.max)
        if delta > 0 { return seed >= top ? 0 : seed + 1 }
        return seed == 0 ? top : min(seed, top) - 1
    }

    static func cycle<T: Equatable>(_ all: [T], after value: T, by delta: Int = 1) -> T {
        let i = all.firstIndex(of: value) ?? 0
        return all[(i + delta + all.count) % all.count]
    }
}

/// The explorer's UI state. Pure: a key becomes an action, the action changes this state
/// and returns the commands for the simulator.
public struct AppState: Sendable {
    /// The focused panel's id (ChartRegistry); narration may set it.
    public var focus = "loss"
    public var logY: Set<String> = ["normalization"]
    /// x axis in the theory's time t = Σ η instead of steps.
    public var timeAxis = false
    /// The heatmap shows Γ/Q₀ instead of the charge.
    public var heatmapGap = false
    public var helpPage = 0
    public var helpScroll = 0
    /// The last narration request applied (each applies once).
    public var narrationSerial = 0
    public var smoothing = false
    public var expanded = false
    public var frozen: Snapshot?
    public var helpOpen = false
    /// The message log (`M`) and the preset's whole description (`i`), as overlays.
    public var messagesOpen = false
    public var infoOpen = false
    /// The y-axis mode of each panel that is not on the default (`y` cycles the focused one's).
    public var yAxis: [String: YAxisMode] = [:]
    public var theme = Theme.dark
    /// A message of the screen itself (a saved frame, the help hint), shown like the simulator's.
    public var notice: String?
    /// The last messages shown, oldest first (at most `messageLogLength`), for `M`.
    public private(set) var messageLog: [String] = []
    public static let messageLogLength = 10
    /// Set by `S`: the loop saves the frame it draws next and clears this.
    public var saveScreenRequested = false
    /// Set by `E`: the loop exports the focused chart as a figure and clears this.
    public var exportChartRequested = false
    /// "? for help" is offered once, at the first key that does nothing.
    var helpHinted = false
    public var pickerOpen = false
    public var pickerIndex = 0
    public var teleportOpen = false
    public var teleportIndex = 0
    /// The menu's entries, for the model shown when it opened.
    public var teleports: [TeleportMenu.Entry] = []
    public var presets: [Preset] = []
    public var selected = Control.learningRate
    public var familyIndex = 0
    public var recentWindow = false
    public var quit = false
    /// `q`, or opening another preset, while a recording or a fork is open asks first: the
    /// question stays until the next key.
    public var question: Question?
    /// The question of `q`, while it is asked.
    public var quitQuestion: String? { question?.quits == true ? question?.text : nil }
    /// Help and the picker hold a running story while they are open (no caption goes by unseen).
    var heldByOverlay = false
    /// What the last commands asked for, until the simulator's snapshot shows it: keys pressed
    /// faster than snapshots arrive must build on each other, not on a stale snapshot.
    var sentLive: LiveParameters?
    var sentConfig: Config?
    var sentSpeed: Int?
    /// `noether tour`: the presets in teaching order, and which one is open.
    public var tour: [Preset] = []
    public var tourIndex = 0
    var sentAge = 0

    public init() {}

    public mutating func handle(_ key: Key, _ s: Snapshot) -> [Command] {
        let overlay = overlayOpen
        if key != .resize { notice = nil }
        var commands = handleKey(key, s)
        let open = overlayOpen
        if !overlay, open, s.state == .running {
            heldByOverlay = true
            commands.insert(.setPaused(true), at: 0)
        } else if overlay, !open, heldByOverlay {
            heldByOverlay = false
            commands.insert(.setPaused(false), at: 0)
        }
        return commands
    }

    var overlayOpen: Bool { helpOpen || pickerOpen || teleportOpen || messagesOpen || infoOpen }

    private mutating func handleKey(_ key: Key, _ s: Snapshot) -> [Command] {
        if let asked = question {
            question = nil
            guard asked.yes.contains(key) else { return [] }
            if asked.quits { quit = true }
            if let i = asked.tourIndex { tourIndex = i }
            return asked.commands
        }
        if pickerOpen { return handlePicker(key, s) }
        if teleportOpen { return handleTeleportMenu(key) }
        if helpOpen, handleHelp(key) { return [] }
        if messagesOpen || infoOpen {
            // Any key closes these pages; their own key, escape and q do nothing more.
            let action = Keymap.action(for: key)
            messagesOpen = false
            infoOpen = false
            guard let action, ![.messages, .info, .close, .quit, .quitNow].contains(action) else { return [] }
            return apply(action, s)
        }
        guard let action = Keymap.action(for: key) else {
            if key != .resize, !helpHinted {
                helpHinted = true
                say("\(key.label) does nothing here; ? for help")
            }
            return []
        }
        if helpOpen, action != .help, action != .close, action != .quit, action != .quitNow { return [] }
        return apply(action, s)
    }

    /// Shows a message of the screen's own and keeps it in the log.
    public mutating func say(_ message: String) {
        notice = message
        log(message)
    }

    /// Keeps a message in the log (once, however many frames show it).
    public mutating func log(_ message: String) {
        guard messageLog.last != message else { return }
        messageLog.append(message)
        if messageLog.count > Self.messageLogLength { messageLog.removeFirst(messageLog.count - Self.messageLogLength) }
    }

    /// A list overlay's keys: ↑↓ move, enter chooses (and closes), escape, q or the key that
    /// opened it close. Returns the chosen index.
    private static func listKey(_ key: Key, index: inout Int, count: Int, open: inout Bool, opener: Character) -> Int? {
        switch key {
        case .up: index = max(0, index - 1)
        case .down: index = min(count - 1, index + 1)
        case .enter:
            open = false
            return (0..<count).contains(index) ? index : nil
        case .escape, .char("q"), .char(opener): open = false
        default: break
        }
        return nil
    }

    private mutating func handlePicker(_ key: Key, _ s: Snapshot) -> [Command] {
        guard let i = Self.listKey(key, index: &pickerIndex, count: presets.count, open: &pickerOpen, opener: "p")
        else { return [] }
        return opening(presets[i], s)
    }

    /// The work a quit or another preset would end or change: a recording, the user's fork.
    static func workOpen(_ s: Snapshot) -> [String] {
        [s.recordingPath.map { _ in "a recording" }, s.userFork ? "a fork" : nil].compactMap { $0 }
    }

    /// Opens `p` (from the picker, or the tour's `tourIndex`), asking first while a recording
    /// or a fork is open: the fork's ghost is dropped, a recording goes on with the new preset.
    mutating func opening(_ p: Preset, _ s: Snapshot, tourIndex next: Int? = nil) -> [Command] {
        let open = Self.workOpen(s)
        guard open.isEmpty else {
            let fates = [
                s.userFork ? "the fork is dropped" : nil,
                s.recordingPath == nil ? nil : "the recording goes on with it",
            ].compactMap { $0 }
            question = Question(
                text: "open \(p.name) with \(open.joined(separator: " and ")) open? "
                    + "\(fates.joined(separator: ", ")); y opens, other keys stay",
                yes: [.char("y")], commands: [.loadPreset(p)], tourIndex: next)
            return []
        }
        if let next { tourIndex = next }
        return [.loadPreset(p)]
    }

    private mutating func handleTeleportMenu(_ key: Key) -> [Command] {
        guard let i = Self.listKey(key, index: &teleportIndex, count: teleports.count, open: &teleportOpen, opener: "T")
        else { return [] }
        return [.teleport(teleports[i].teleport)]
    }

    public mutating func apply(_ action: Action, _ s: Snapshot) -> [Command] {
        // Forget what the snapshot has caught up with (or what it never took, after a while).
        sentAge += 1
        if sentLive == s.live || sentAge > 50 { sentLive = nil }
        if sentConfig.map({ sameRun($0, s.config) }) ?? false || sentAge > 50 { sentConfig = nil }
        if sentSpeed == s.speedLimit || sentAge > 50 { sentSpeed = nil }
        var live = sentLive ?? s.live
        var config = sentConfig ?? s.config
        config.live = live
        let commands = commands(for: action, s, &live, &config)
        for c in commands {
            switch c {
            case .setLive(let p): sentLive = p; sentAge = 0
            case .reset(let c): sentConfig = c; sentLive = c.live; sentAge = 0
            case .setSpeed(let v): sentSpeed = v; sentAge = 0
            case .loadPreset: sentConfig = nil; sentLive = nil; sentSpeed = nil
            case .swapFork: sentLive = nil  // the other run's parameters come to the front
            default: break
            }
        }
        return commands
    }

    private func sameRun(_ a: Config, _ b: Config) -> Bool {
        var a = a, b = b
        a.live = b.live
        return a == b
    }

    private mutating func commands(
        for action: Action, _ s: Snapshot, _ live: inout LiveParameters,
        _ config: inout Config
    ) -> [Command] {
        switch action {
        case .togglePause: return [.setPaused(s.state == .running)]
        case .stepOnce: return s.state == .paused ? [.stepOnce] : []
        case .learningRateUp, .learningRateDown:
            live.learningRate = Ladder.step(Ladder.learningRate, from: live.learningRate, up: action == .learningRateUp)
            return [.setLive(live)]
        case .weightDecayUp, .weightDecayDown:
            live.weightDecay = Ladder.step(Ladder.weightDecay, from: live.weightDecay, up: action == .weightDecayUp)
            return [.setLive(live)]
        case .nextMomentum:
            live.momentum = Ladder.cycle(Ladder.momentum, after: live.momentum)
            return [.setLive(live)]
        case .nextNormalization:
            config.norm = Ladder.cycle(Normalization.allCases, after: config.norm)
            return [.reset(config)]
        case .nextArchitecture:
            config.arch = Ladder.cycle(Activation.allCases, after: config.arch)
            return [.reset(config)]
        case .reset: return [.reset(config)]
        case .resetNewSeed:
            config.seed = Ladder.seed(after: config.seed, by: 1)
            return [.reset(config)]
        case .faster, .slower:
            return [.setSpeed(Ladder.speed(from: sentSpeed ?? s.speedLimit, up: action == .faster))]
        case .focusNext: focus = ChartRegistry.next(after: focus, s)
        case .toggleLogY: logY.formSymmetricDifference([focus])
        case .toggleTimeAxis: timeAxis.toggle()
        case .toggleHeatmapValue: heatmapGap.toggle()
        case .toggleSmoothing: smoothing.toggle()
        case .toggleExpand: expanded.toggle()
        case .toggleFreeze: frozen = frozen == nil ? s : nil
        case .toggleWindow: recentWindow.toggle()
        case .nextFamily: familyIndex += 1
        case .selectUp: selected = Ladder.cycle(Control.allCases, after: selected, by: -1)
        case .selectDown: selected = Ladder.cycle(Control.allCases, after: selected)
        case .valueDown, .valueUp: return change(selected, up: action == .valueUp, s, live, config)
        case .nextInTour:
            guard tourIndex + 1 < tour.count else { return [] }
            return opening(tour[tourIndex + 1], s, tourIndex: tourIndex + 1)
        case .presetPicker:
            pickerOpen = true
            pickerIndex = presets.firstIndex { $0.title == s.title } ?? 0
        case .savePreset: return [.savePreset]
        case .teleportMenu:
            teleports = TeleportMenu.entries(s.families)
            teleportOpen = !teleports.isEmpty
            // The chosen family's first entry, so c then T acts on what the charge chart shows.
            let chosen = s.families.isEmpty ? nil : s.families[familyIndex % s.families.count].family
            teleportIndex = teleports.firstIndex { $0.teleport.family == chosen } ?? 0
        case .fork: return [.fork]
        case .swapFork: return [.swapFork]
        case .dropGhost: return [.dropGhost]
        case .toggleRecording: return [.toggleRecording]
        case .help:
            helpOpen.toggle()
            helpPage = 0
            helpScroll = 0
        case .close: helpOpen = false; pickerOpen = false; messagesOpen = false; infoOpen = false
        case .cycleYAxis:
            let next = (yAxis[focus] ?? .honest).next
            yAxis[focus] = next == .honest ? nil : next
        case .cycleTheme:
            theme = theme.next
            say("theme \(theme.rawValue) (K cycles)")
        case .messages: messagesOpen = true
        case .info: infoOpen = true
        case .saveScreen: saveScreenRequested = true
        case .exportChart: exportChartRequested = true
        case .quit:
            // A recording or a fork is work in progress: ask before ending it.
            let open = Self.workOpen(s)
            guard open.isEmpty else {
                // Only a recording is kept on quitting; a fork's ghost is not.
                let saved = s.recordingPath == nil ? "" : " (the recording is saved)"
                question = Question(
                    text: "quit with \(open.joined(separator: " and ")) open? y or q quits\(saved), other keys stay",
                    yes: [.char("y"), .char("q"), .char("Q")], commands: [.quit], quits: true)
                return []
            }
            quit = true
            return [.quit]
        case .quitNow:
            quit = true
            return [.quit]
        case .back: return [.back]
        case .undo: return [.undo]
        case .toggleLecture: return [.setLecture(!s.lecture)]
        }
        return []
    }

    private func change(_ c: Control, up: Bool, _ s: Snapshot, _ live: LiveParameters, _ config: Config) -> [Command] {
        var live = live, config = config
        switch c {
        case .learningRate: live.learningRate = Ladder.step(Ladder.learningRate, from: live.learningRate, up: up)
        case .momentum: live.momentum = Ladder.step(Ladder.momentum, from: live.momentum, up: up)
        case .weightDecay: live.weightDecay = Ladder.step(Ladder.weightDecay, from: live.weightDecay, up: up)
        case .speed: return [.setSpeed(Ladder.speed(from: sentSpeed ?? s.speedLimit, up: up))]
        case .arch: config.arch = Ladder.cycle(Activation.allCases, after: config.arch, by: up ? 1 : -1)
        case .norm: config.norm = Ladder.cycle(Normalization.allCases, after: config.norm, by: up ? 1 : -1)
        case .width: config.width = Ladder.step(Ladder.width, from: config.width, up: up)
        case .model: config = ModelFamily.toggled(config)
        // A conv net may drop its dense hidden layers; an MLP keeps one.
        case .depth: config.depth = min(max(config.depth + (up ? 1 : -1), config.conv.isEmpty ? 1 : 0), 8)
        case .data:
            // A conv net needs images: its data control stays on the image sets.
            let sets = config.conv.isEmpty ? DataSource.builtIn : DataSource.builtIn.filter(\.isImage)
            config.data = Ladder.cycle(sets, after: config.data, by: up ? 1 : -1)
        case .optimizer:
            config.switchOptimizer(to: Ladder.cycle(OptimizerKind.allCases, after: config.optimizer, by: up ? 1 : -1))
        case .seed: config.seed = Ladder.seed(after: config.seed, by: up ? 1 : -1)
        }
        return c.isLive ? [.setLive(live)] : [.reset(config)]
    }
}
