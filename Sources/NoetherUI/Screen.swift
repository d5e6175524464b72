import Foundation
import NoetherCore

/// Renders a whole frame from the UI state and the latest snapshot.
public struct Screen {
    public static let minimumWidth = 80
    public static let minimumHeight = 24
    public var glyphs: Glyphs
    public var color: Bool

    public init(unicode: Bool, color: Bool, dots: DotStyle? = nil) {
        glyphs = Glyphs(unicode: unicode, dots: dots)
        self.color = color
    }

    public func render(_ state: AppState, _ live: Snapshot, width: Int, height: Int) -> Buffer {
        var b = Buffer(width: width, height: height)
        guard width >= Self.minimumWidth, height >= Self.minimumHeight else {
            tooSmall(&b)
            if !glyphs.unicode { b = Self.asciiOnly(b) }
            return color ? b : Self.monochrome(b)
        }
        let s = state.frozen ?? live
        header(&b, s, live, state)
        var hints =
            width >= 110
            ? "space pause  . step  [ ] lr  { } wd  m momentum  tab focus  enter expand  t time  c family  p presets  ? help  q quit"
            : "space pause  [ ] lr  { } wd  m mom  tab focus  enter expand  ? help  q quit"
        if state.tourIndex + 1 < state.tour.count {
            hints =
                "> next: \(state.tour[state.tourIndex + 1].name) (\(state.tourIndex + 2)/\(state.tour.count))  " + hints
        }
        // A short message takes the right end; the hints keep only the whole ones that fit before it.
        // A long one takes the bottom line (two when it must), the hints giving way: never cut mid-word.
        let text = state.question?.text ?? state.notice ?? live.message
        let inline = text.map { " " + $0 + " " }.flatMap { $0.count + 30 <= width ? $0 : nil } ?? ""
        var messageLines: [String] = []
        if let text, inline.isEmpty {
            let lines = Self.wrap(text, width - 2)
            messageLines = Array(lines.prefix(2))
            if lines.count > 2 {
                messageLines[1] = String(messageLines[1].prefix(width - 12)) + glyphs.ellipsis + " M: all"
            }
        }
        let room = width - inline.count - 1
        var shown = ""
        for hint in hints.components(separatedBy: "  ") {
            let next = shown.isEmpty ? hint : shown + "  " + hint
            guard next.count <= room else { break }
            shown = next
        }
        // The story's caption runs along the bottom, full width, like a subtitle. After a change it
        // needs a line more (what changed, then the caption): the hints give theirs up for it.
        let captionRoom = height >= 30 ? 3 : 2
        let noted = s.departure != nil || s.beyondStory
        var (captionLines, notes) = caption(s, state, width: width, maxLines: captionRoom + (noted ? 1 : 0))
        if captionLines.count > captionRoom, !messageLines.isEmpty || !inline.isEmpty {
            (captionLines, notes) = caption(s, state, width: width, maxLines: captionRoom)
        }
        let hintsShown = captionLines.count <= captionRoom
        if messageLines.isEmpty, hintsShown {
            b.putClipped(shown, x: 0, y: height - 1, Style(.gray), width: width, glyphs: glyphs)
        }
        if !inline.isEmpty {
            b.putClipped(
                inline, x: max(0, width - inline.count - 1), y: height - 1, Style(.orange, bold: true),
                width: width, glyphs: glyphs)
        }
        for (i, line) in messageLines.enumerated() {
            b.putClipped(
                " " + line, x: 0, y: height - messageLines.count + i, Style(.orange, bold: true), width: width,
                glyphs: glyphs)
        }
        let bottom = hintsShown ? max(1, messageLines.count) : 0
        let panelWidth = width >= 120 ? 30 : 24
        // What was said (the run went beyond the story, what changed) stays bright; the caption
        // beneath it is dimmed.
        for (i, line) in captionLines.enumerated() {
            let stale = notes > 0 && i >= notes
            b.putClipped(
                line, x: 0, y: height - bottom - captionLines.count + i,
                stale ? Style(.gray, dim: true) : Style(.sky, bold: i == 0), width: width, glyphs: glyphs)
        }
        let body = Rect(x: 0, y: 1, width: width, height: height - 1 - bottom - captionLines.count)
        var context = ChartContext(snapshot: s, state: state, glyphs: glyphs)
        let available = ChartRegistry.available(s)
        let focused = available.first { $0.id == state.focus } ?? available.first
        if state.expanded, let focused {
            context.focused = true
            context.expanded = true
            focused.render(into: &b, body, context)
        } else {
            controls(&b, Rect(x: 0, y: 1, width: panelWidth, height: body.height), s, state)
            let area = Rect(x: panelWidth, y: 1, width: width - panelWidth, height: body.height)
            var shown = Array(available.prefix(Layout.capacity(area)))
            if let focused, !shown.contains(where: { $0.id == focused.id }), !shown.isEmpty {
                shown[shown.count - 1] = focused
            }
            for (chart, rect) in zip(shown, Layout.grid(shown.count, in: area)) {
                context.focused = chart.id == focused?.id
                chart.render(into: &b, rect, context)
            }
        }
        if state.helpOpen { help(&b, state) }
        if state.pickerOpen { picker(&b, state) }
        if state.teleportOpen { teleportMenu(&b, state, live) }
        if state.messagesOpen { messages(&b, state) }
        if state.infoOpen { info(&b, s) }
        if !glyphs.unicode { b = Self.asciiOnly(b) }
        if !state.theme.dims { b = Self.undimmed(b) }
        return color ? b : Self.monochrome(b)
    }

    /// Every dimmed cell at full strength (a projector washes dim text out).
    static func undimmed(_ b: Buffer) -> Buffer {
        var out = b
        for y in 0..<b.height {
            for x in 0..<b.width where b[x, y].style.dim { var c = b[x, y]; c.style.dim = false; out[x, y] = c }
        }
        return out
    }

    /// `M`: the last ten messages, newest last, each whole.
    func messages(_ b: inout Buffer, _ state: AppState) {
        let lines =
            state.messageLog.isEmpty
            ? ["no messages yet"]
            : state.messageLog.flatMap { m in Self.wrap(m, 70).enumerated().map { ($0 == 0 ? "• " : "  ") + $1 } }
        let inner = overlay(
            &b, width: 76, height: min(b.height - 2, lines.count + 3),
            title: "messages (last \(AppState.messageLogLength))")
        for (i, line) in lines.suffix(max(1, inner.height - 1)).enumerated() {
            b.putClipped(line, x: inner.x + 1, y: inner.y + i, .plain, width: inner.width - 2, glyphs: glyphs)
        }
        b.put("any key closes", x: inner.x + 1, y: inner.y + inner.height - 1, Style(.gray))
    }

    /// `i`: the preset's title, whole description and notes.
    func info(_ b: inout Buffer, _ s: Snapshot) {
        var lines: [(String, Style)] = []
        let width = min(76, b.width - 4) - 4
        for (text, style) in [(s.description.isEmpty ? "no description" : s.description, Style.plain)]
            + s.notes.map({ ("note: " + $0, Style(.gray)) })
        {
            lines += Self.wrap(glyphs.words(text), width).map { ($0, style) }
            lines.append(("", .plain))
        }
        let title = s.title.isEmpty ? "description" : s.title + (s.modified ? " (modified)" : "")
        let inner = overlay(&b, width: 76, height: min(b.height - 2, lines.count + 3), title: title)
        let visible = lines.prefix(max(1, inner.height - 1))
        for (i, (line, style)) in visible.enumerated() {
            b.putClipped(line, x: inner.x + 1, y: inner.y + i, style, width: inner.width - 2, glyphs: glyphs)
        }
        b.put(
            visible.count < lines.count ? "more below: enlarge the window; any key closes" : "any key closes",
            x: inner.x + 1, y: inner.y + inner.height - 1, Style(.gray))
    }

    /// The narrowest strip of panels an overlay leaves showing on either side.
    static let overlayMargin = 6

    /// Stand-ins for the Greek letters and symbols in titles, one character each so layouts hold.
    static let asciiStandIns: [Character: Character] = [
        "β": "b", "λ": "l", "η": "n", "Γ": "G", "θ": "w", "ĝ": "g", "ε": "e", "₀": "0", "²": "2", "⁴": "4",
        "⁽": "(", "⁾": ")", "⁰": "0", "√": "V", "–": "-", "—": "-", "×": "x", "→": ">", "←": "<", "↑": "^",
        "↓": "v", "●": "*", "↺": "~", "━": "-", "│": "|", "─": "-", "┤": "+", "✔": "+", "✘": "x", "·": ".", "…": ">",
        "‖": "|", "Σ": "S", "▲": "^", "⚠": "!", "▶": ">", "•": "o", "╌": "-", "░": ":",
        "§": "#", "³": "3", "¹": "1", "⁶": "6", "⁻": "-", "ⁿ": "n", "ᵀ": "T", "₁": "1", "₂": "2", "−": "-",
        "Δ": "D", "γ": "g", "≠": "#", "★": "*", "▀": "'", "▄": ".", "█": "#", "▒": "+", "▓": "%",
        "┈": ",", "◦": "+", "ν": "v", "α": "a", "τ": "t", "π": "p", "±": "~", "┌": "+", "┐": "+", "└": "+", "┘": "+",
        "≈": "~", "÷": "/", "⟨": "<", "⟩": ">",
    ]

    /// Every cell ASCII, for terminals whose locale is not UTF-8.
    static func asciiOnly(_ b: Buffer) -> Buffer {
        var out = b
        for y in 0..<b.height {
            for x in 0..<b.width where !b[x, y].char.isASCII {
                var c = b[x, y]
                c.char = asciiStandIns[c.char] ?? "?"
                out[x, y] = c
            }
        }
        return out
    }

    /// Strips colour but keeps emphasis, for --no-color and NO_COLOR.
    static func monochrome(_ b: Buffer) -> Buffer {
        var out = b
        for y in 0..<b.height { for x in 0..<b.width { var c = b[x, y]; c.style.color = .normal; out[x, y] = c } }
        return out
    }

    func tooSmall(_ b: inout Buffer) {
        let text = "terminal too small: need \(Self.minimumWidth)×\(Self.minimumHeight), have \(b.width)×\(b.height)"
        let plain = glyphs.unicode ? text : text.replacingOccurrences(of: "×", with: "x")
        // One line when it fits, else split after the colon so both sizes stay readable.
        let lines =
            plain.count <= b.width
            ? [plain] : plain.components(separatedBy: ": ").enumerated().map { $0 == 0 ? $1 + ":" : $1 }
        for (i, l) in lines.enumerated() {
            b.put(l, x: max(0, (b.width - l.count) / 2), y: b.height / 2 + i, Style(.yellow, bold: true))
        }
        b.put(
            "enlarge the window or press q", x: max(0, (b.width - 29) / 2), y: b.height / 2 + lines.count, Style(.gray))
    }

    /// A run's live parameters in a message, to say which run went where: those that differ from
    /// `other`'s ("lr 0.5 momentum 0.9"), or its learning rate when none differ.
    static func runParameters(_ p: LiveParameters, beside other: LiveParameters? = nil) -> String {
        let all = [
            ("lr", p.learningRate, other?.learningRate), ("momentum", p.momentum, other?.momentum),
            ("wd", p.weightDecay, other?.weightDecay),
        ]
        let differ = all.filter { $0.2 != nil && $0.1 != $0.2 }
        return (differ.isEmpty ? [all[0]] : differ).map { "\($0.0) \(NumberFormat.compact($0.1))" }.joined(
            separator: " ")
    }

    public static func summary(_ c: Config) -> String {
        let norm = c.norm == .none ? "" : c.norm.abbreviation + " "
        let conv = c.conv.isEmpty ? (c.residual ? "residual " : "") : ModelFamily.name(c) + " + "
        return "\(norm)\(c.arch.rawValue) \(conv)\(c.depth)×\(c.width) · \(c.data.name) · \(c.optimizerTitle)"
    }

    func header(_ b: inout Buffer, _ s: Snapshot, _ live: Snapshot, _ state: AppState) {
        let stateColor: Color =
            switch live.state {
            case .running: .green
            case .paused, .finished: .orange
            case .diverged: .vermillion
            }
        var x = b.put(" noether ", x: 0, y: 0, Style(.sky, bold: true, reverse: true))
        var label = live.state.label
        if case .diverged(let why) = live.state { label += " " + why }
        if state.frozen != nil { label += " FROZEN" }
        if !live.ghosts.isEmpty { label += " FORK" }
        if live.replaying {
            label += " REPLAY" + (live.replayRuns > 1 ? " \(live.replayRun + 1)/\(live.replayRuns)" : "")
        }
        if live.recordingPath != nil { label += " REC" }
        if live.lecture { label += " LECTURE" }
        x = b.put(" " + label + " ", x: x, y: 0, Style(stateColor, bold: true))
        if live.state == .finished || live.state == .paused {
            x = b.put(
                live.step == 0 && live.state == .paused ? "space starts " : "space continues ", x: x, y: 0,
                Style(.orange))
        }
        // A replay back to an earlier step is work the screen shows as it goes.
        if let r = live.rewinding {
            x = b.put(
                "rewinding\(r.ghost ? " the ghost" : "")\(glyphs.unicode ? "…" : "...") step \(r.step)/\(r.target) ",
                x: x,
                y: 0,
                Style(.orange, bold: true))
        }
        // A fresh caption holds the run back until it has been up long enough to read.
        if live.state == .running, let hold = live.readingHold {
            x = b.put("caption: \(Int(hold.rounded(.up))) s to read ", x: x, y: 0, Style(.orange))
        }
        // Most important first, so a narrow terminal loses only the tail. The rate shows only
        // while it is measured (a paused run has none).
        let target = s.targetSteps > 0 ? "/\(s.targetSteps)" : ""
        let (beta, lambda) = glyphs.unicode ? ("β", "λ") : ("mom", "wd")
        var parts = [
            "step \(s.step)\(target)" + (s.beyondStory ? " beyond the story" : ""),
            (s.frontName.map { $0 + " " } ?? "")
                + "lr \(NumberFormat.compact(s.live.learningRate))", "\(beta) \(NumberFormat.compact(s.live.momentum))",
            "\(lambda) \(NumberFormat.compact(s.live.weightDecay))", "seed \(s.config.seed)", Self.summary(s.config),
        ]
        if live.state == .running, live.stepsPerSecond > 0 {
            parts.insert(NumberFormat.rate(live.stepsPerSecond), at: 4)
        }
        // Every run: the front one's parameters lead, each ghost's follow.
        for g in s.ghosts.reversed() {
            let state = g.diverged ? " diverged" : ""
            parts.insert(
                "\(g.name)\(state) lr \(NumberFormat.compact(g.live.learningRate)) \(beta) \(NumberFormat.compact(g.live.momentum)) "
                    + "\(lambda) \(NumberFormat.compact(g.live.weightDecay))", at: 4)
        }
        for p in parts {
            guard x < b.width - 2 else { break }
            x = b.putClipped((glyphs.unicode ? "│ " : "| ") + p + " ", x: x, y: 0, width: b.width - x, glyphs: glyphs)
        }
    }

    func controls(_ b: inout Buffer, _ r: Rect, _ s: Snapshot, _ state: AppState) {
        r.frame(&b, title: "controls", focused: false, glyphs: glyphs)
        let inner = r.inner
        var y = inner.y
        func value(_ c: Control) -> String {
            switch c {
            case .learningRate: NumberFormat.compact(s.live.learningRate)
            case .momentum: NumberFormat.compact(s.live.momentum)
            case .weightDecay: NumberFormat.compact(s.live.weightDecay)
            case .speed: s.speedLimit == 0 ? "max" : "\(s.speedLimit)/s"
            case .model: ModelFamily.name(s.config)
            case .arch: s.config.arch.rawValue
            case .norm: s.config.norm.rawValue
            case .width: "\(s.config.width)"
            case .depth: "\(s.config.depth)"
            case .data: s.config.data.name
            case .optimizer: s.config.optimizer.rawValue
            case .seed: "\(s.config.seed)"
            }
        }
        b.put("live (apply now)", x: inner.x, y: y, Style(.green, bold: true)); y += 1
        for c in Control.allCases {
            if c == .model { b.put("reset the run", x: inner.x, y: y, Style(.orange, bold: true)); y += 1 }
            guard y < inner.y + inner.height else { break }
            let selected = c == state.selected
            let mark = c.isLive ? (glyphs.unicode ? "●" : "*") : (glyphs.unicode ? "↺" : "r")
            b.put(mark, x: inner.x, y: y, Style(c.isLive ? .green : .orange))
            let v = value(c)
            // The label gives way (abbreviated with a full stop) so a space always parts it from the value.
            let room = inner.width - 3 - v.count
            let label = c.label.count <= room ? c.label : String(c.label.prefix(max(1, room - 1))) + "."
            let text =
                " "
                + label.padding(toLength: max(label.count + 1, inner.width - 2 - v.count), withPad: " ", startingAt: 0)
                + v
            b.put(text, x: inner.x + 1, y: y, Style(bold: selected, reverse: selected), maxWidth: inner.width - 1)
            y += 1
        }
        y += 1
        // The lesson: title, description, then notes; cut with an ellipsis.
        var text: [(String, Style)] = []
        if !s.title.isEmpty { text.append((s.title + (s.modified ? " (modified)" : ""), Style(bold: true))) }
        if !s.description.isEmpty { text.append((s.description, Style(.gray))) }
        text += s.notes.map { ("note: " + $0, Style(.gray)) }
        let lines = text.flatMap { t, style in Self.wrap(glyphs.words(t), inner.width).map { ($0, style) } }
        let room = inner.y + inner.height - y
        // Cut: the last line that fits says where the rest is.
        let cut = lines.count > room
        for (line, style) in lines.prefix(max(cut ? room - 1 : room, 0)) {
            b.putClipped(line, x: inner.x, y: y, style, width: inner.width, glyphs: glyphs)
            y += 1
        }
        if cut, room > 0 {
            b.putClipped("i: the whole text", x: inner.x, y: y, Style(.sky), width: inner.width, glyphs: glyphs)
        }
    }

    /// The caption in force, wrapped to at most three lines (the last ends in an ellipsis when
    /// cut); marked when the user has changed what the story describes, or the run has gone on
    /// past the story's end. `notes`: how many lines at the top say so (the caption beneath
    /// them is no longer true of the run, and is dimmed).
    func caption(_ s: Snapshot, _ state: AppState, width: Int, maxLines: Int = 3) -> (lines: [String], notes: Int) {
        guard let caption = s.caption, !caption.isEmpty else { return ([], 0) }
        // A caption about one family while `c` shows another says which one it is about.
        var about = ""
        if let narrated = s.narration.family, s.families.contains(where: { $0.family == narrated }),
            let shown = ChartContext.family(s, state)?.family, shown != narrated
        {
            about = "(about \(narrated); c shows others) "
        }
        let text = (glyphs.unicode ? "▶ " : "> ") + (s.modified ? "(modified) " : "") + about + glyphs.words(caption)
        var notes: [String] = []
        if s.beyondStory {
            // The story ended at its planned last step: its captions describe the run up to there.
            let line =
                (glyphs.unicode ? "» " : ">> ")
                + "beyond the story: the captions described steps 0\(glyphs.unicode ? "–" : "-")\(s.config.steps)"
            notes.append(String(line.prefix(width - 1)))
        }
        if let change = s.departure {
            // The story describes the run without the user's change: one line says what changed,
            // and the caption stays beneath it, dimmed.
            // The shorter wording where the long one would not fit; wrapped, never cut, if neither does.
            let mark = glyphs.unicode ? "✎ " : "* "
            let forms = [
                mark + "you changed \(change): the captions describe the run without it (u undoes)",
                mark + "you changed \(change): captions are without it (u undoes)",
            ]
            notes += forms.first { $0.count <= width - 1 }.map { [$0] } ?? Self.wrap(forms[1], width - 1)
        }
        let lines = notes + Self.wrap(text, width - 1)
        guard lines.count > maxLines else { return (lines, notes.count) }
        // What was said stays whole; the caption beneath it takes the rows left.
        var kept = Array(lines.prefix(max(maxLines, notes.count + 1)))
        kept[kept.count - 1] = String(kept[kept.count - 1].prefix(width - 2)) + glyphs.ellipsis
        return (kept, notes.count)
    }

    static func wrap(_ text: String, _ width: Int) -> [String] {
        guard width > 4 else { return [] }
        var lines: [String] = [], current = ""
        for word in text.split(separator: " ") {
            if current.count + word.count + 1 > width, !current.isEmpty { lines.append(current); current = "" }
            current += (current.isEmpty ? "" : " ") + word
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// A box over the panels, centred. Where the panels would show beside it only as slivers
    /// (corners and single letters down both edges), it spans the whole width instead.
    func overlay(_ b: inout Buffer, width: Int, height: Int, title: String) -> Rect {
        let w = b.width - width < 2 * Self.overlayMargin ? b.width : width, h = min(height, b.height - 2)
        let r = Rect(x: (b.width - w) / 2, y: (b.height - h) / 2, width: w, height: h)
        b.fill(r)
        r.frame(&b, title: title, focused: true, glyphs: glyphs)
        return r.inner
    }

    /// The help overlay: page 1 lists the keys (from the keymap table) and the panels (from the
    /// registry); page 2 is the glossary. Scrolls when the terminal is short.
    func help(_ b: inout Buffer, _ state: AppState) {
        let page = state.helpPage % AppState.helpPages.count
        let inner = overlay(
            &b, width: 76, height: b.height - 2,
            title: "help \(page + 1)/\(AppState.helpPages.count): \(AppState.helpPages[page])")
        let lines = Self.helpLines(page: page, width: inner.width - 2, glyphs: glyphs)
        let visible = inner.height - 1
        let scroll = min(state.helpScroll, max(0, lines.count - visible))
        for (row, line) in lines.dropFirst(scroll).prefix(visible).enumerated() {
            var x = inner.x + 1
            for (text, style) in line {
                x = b.putClipped(
                    text, x: x, y: inner.y + row, style, width: inner.x + inner.width - 1 - x, glyphs: glyphs)
            }
        }
        let footerY = inner.y + inner.height - 1
        let other = AppState.helpPages[(page + 1) % AppState.helpPages.count]
        b.putClipped(
            glyphs.words("tab: \(other)  ↑↓ scroll  esc closes"), x: inner.x + 1, y: footerY, Style(.gray),
            width: inner.width - 10,
            glyphs: glyphs)
        var more: [String] = []
        if scroll > 0 { more.append("↑") }
        if scroll + visible < lines.count { more.append("↓") }
        if !more.isEmpty {
            let text = "more " + (glyphs.unicode ? more.joined() : glyphs.words(more.joined(separator: "/")))
            b.put(text, x: inner.x + inner.width - text.count - 1, y: footerY, Style(.orange, bold: true))
        }
    }

    /// The lines of a help page, each a list of styled pieces.
    static func helpLines(page: Int, width: Int, glyphs: Glyphs) -> [[(String, Style)]] {
        let key = Style(.sky, bold: true), head = Style(bold: true), gray = Style(.gray)
        var out: [[(String, Style)]] = []
        if page == 0 {
            // A label column, then the text wrapped beneath itself: nothing is cut at 80 columns.
            func entry(_ label: String, _ column: Int, _ text: String) {
                for (i, line) in wrap(text, max(10, width - column)).enumerated() {
                    out.append([
                        ((i == 0 ? label : "").padding(toLength: column, withPad: " ", startingAt: 0), key),
                        (line, .plain),
                    ])
                }
            }
            for k in Keymap.bindings {
                entry(glyphs.words(k.keys.map(\.label).joined(separator: " "), keys: true), 10, glyphs.words(k.help))
            }
            out.append([("● live: applies at once   ↺: resets the run", gray)])
            out.append([])
            out.append([("panels (tab order; narration focus ids)", head)])
            for c in ChartRegistry.all { entry(c.id, 14, c.summary) }
        } else {
            for e in Glossary.entries {
                out.append([(glyphs.words(glyphs.marks(e.symbol)) + "  ", key), (e.name, head)])
                for line in wrap(glyphs.words(e.meaning), max(10, width - 4)) { out.append([("    " + line, .plain)]) }
            }
        }
        return out
    }

    /// The teleport menu: one line per family and action; the loss stays, the charges jump.
    /// The teleport menu, titled with the step it acts on: the run stops as the menu opens.
    func teleportMenu(_ b: inout Buffer, _ state: AppState, _ live: Snapshot) {
        let at = live.state == .running ? "stopping the run\(glyphs.unicode ? "…" : "...")" : "at step \(live.step)"
        let inner = overlay(
            &b, width: 76, height: min(b.height - 2, state.teleports.count + 5),
            title: glyphs.words("teleport \(at) (↑↓ choose, enter apply, esc close)"))
        b.putClipped(
            "Moves the weights along a symmetry: the loss stays, the charges jump.", x: inner.x + 1, y: inner.y,
            Style(.gray),
            width: inner.width - 2, glyphs: glyphs)
        list(
            &b, state.teleports.map(\.label), selected: state.teleportIndex,
            in: Rect(x: inner.x + 1, y: inner.y + 2, width: inner.width - 2, height: max(1, inner.height - 2)))
    }

    /// A list overlay's rows, scrolled so the selected one shows, the selected one highlighted.
    func list(_ b: inout Buffer, _ rows: [String], selected: Int, in r: Rect) {
        let first = max(0, selected - r.height + 1)
        for (row, i) in (first..<min(rows.count, first + r.height)).enumerated() {
            b.putClipped(
                rows[i], x: r.x, y: r.y + row, Style(bold: i == selected, reverse: i == selected), width: r.width,
                glyphs: glyphs)
        }
    }

    func picker(_ b: inout Buffer, _ state: AppState) {
        let inner = overlay(
            &b, width: 76, height: min(b.height - 2, state.presets.count + 8),
            title: glyphs.words("presets (↑↓ choose, enter open, esc close)"))
        let listHeight = max(1, inner.height - 5)
        // Names whole (a saved preset's name can be long), titles cut with an ellipsis.
        let nameWidth = min(max(state.presets.map(\.name.count).max() ?? 0, 20) + 2, inner.width / 2)
        let rows = state.presets.map { p in
            let name = p.name.count < nameWidth - 1 ? p.name : String(p.name.prefix(nameWidth - 2)) + glyphs.ellipsis
            return name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + p.title
        }
        list(
            &b, rows, selected: state.pickerIndex,
            in: Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: listHeight))
        if state.presets.indices.contains(state.pickerIndex) {
            let room = inner.height - listHeight - 1
            let lines = Self.wrap(state.presets[state.pickerIndex].description, inner.width - 2)
            for (j, line) in lines.prefix(room).enumerated() {
                let cut = j == room - 1 && lines.count > room
                b.putClipped(
                    cut ? line + " " + glyphs.ellipsis : line, x: inner.x + 1, y: inner.y + listHeight + 1 + j,
                    Style(.gray),
                    width: inner.width - 2, glyphs: glyphs)
            }
        }
    }
}
