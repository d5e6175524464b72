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

    static let palette: [Color] = [.green, .cyan, .magenta, .yellow, .blue, .red]

    public func render(_ state: AppState, _ live: Snapshot, width: Int, height: Int) -> Buffer {
        var b = Buffer(width: width, height: height)
        guard width >= Self.minimumWidth, height >= Self.minimumHeight else {
            tooSmall(&b)
            if !glyphs.unicode { b = Self.asciiOnly(b) }
            return color ? b : Self.monochrome(b)
        }
        let s = state.frozen ?? live
        header(&b, s, live, state)
        let hints = width >= 110
            ? "space pause  . step  [ ] lr  { } wd  m momentum  n norm  a arch  tab focus  enter expand  p presets  ? help  q quit"
            : "space pause  [ ] lr  { } wd  m mom  n norm  a arch  tab focus  ? help  q quit"
        b.put(String(hints.prefix(width)), x: 0, y: height - 1, Style(.gray))
        if let message = live.message {
            b.put(" " + message + " ", x: max(0, width - message.count - 2), y: height - 1, Style(.yellow, bold: true))
        }
        let full = width >= 120 && height >= 36
        let panelWidth = full ? 30 : 24
        let body = Rect(x: 0, y: 1, width: width, height: height - 2)
        let chartsArea: Rect
        if state.expanded {
            chartsArea = body
        } else {
            controls(&b, Rect(x: 0, y: 1, width: panelWidth, height: body.height), s, state)
            chartsArea = Rect(x: panelWidth, y: 1, width: width - panelWidth, height: body.height)
        }
        let kinds = ChartKind.allCases
        let focused = kinds[state.focus % kinds.count]
        if state.expanded {
            chart(&b, focused, chartsArea, s, state, focused: true)
        } else {
            // Compact: a 2×2 grid whose last slot follows the focus past the fourth chart.
            var shown: [ChartKind] = full ? kinds : Array(kinds.prefix(4))
            if !full, !shown.contains(focused) { shown[3] = focused }
            let rowsCount = shown.count / 2
            let colWidth = chartsArea.width / 2
            let rowHeight = chartsArea.height / rowsCount
            for (i, kind) in shown.enumerated() {
                let r = Rect(x: chartsArea.x + (i % 2) * colWidth, y: chartsArea.y + (i / 2) * rowHeight,
                             width: i % 2 == 0 ? colWidth : chartsArea.width - colWidth,
                             height: i / 2 == rowsCount - 1 ? chartsArea.height - rowHeight * (rowsCount - 1) : rowHeight)
                chart(&b, kind, r, s, state, focused: kind == focused)
            }
        }
        if state.helpOpen { help(&b) }
        if state.pickerOpen { picker(&b, state) }
        if !glyphs.unicode { b = Self.asciiOnly(b) }
        return color ? b : Self.monochrome(b)
    }

    /// Stand-ins for the Greek letters and symbols in titles, one character each so layouts hold.
    static let asciiStandIns: [Character: Character] = [
        "β": "b", "λ": "l", "η": "n", "Γ": "G", "θ": "t", "ĝ": "g", "ε": "e", "₀": "0", "²": "2", "⁴": "4",
        "⁽": "(", "⁾": ")", "⁰": "0", "√": "V", "–": "-", "—": "-", "×": "x", "→": ">", "←": "<", "↑": "^",
        "↓": "v", "●": "*", "↺": "r", "━": "-", "│": "|", "─": "-", "┤": "+", "✔": "+", "✘": "x", "·": ".", "…": ".",
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
        let lines = plain.count <= b.width ? [plain] : plain.components(separatedBy: ": ").enumerated().map { $0 == 0 ? $1 + ":" : $1 }
        for (i, l) in lines.enumerated() {
            b.put(l, x: max(0, (b.width - l.count) / 2), y: b.height / 2 + i, Style(.yellow, bold: true))
        }
        b.put("enlarge the window or press q", x: max(0, (b.width - 29) / 2), y: b.height / 2 + lines.count, Style(.gray))
    }

    public static func summary(_ c: Config) -> String {
        let norm = c.norm == .none ? "" : (c.norm == .batch ? "BN " : "LN ")
        return "\(norm)\(c.arch.rawValue) \(c.depth)×\(c.width) · \(c.data.name) · \(c.optimizer.rawValue)"
    }

    func header(_ b: inout Buffer, _ s: Snapshot, _ live: Snapshot, _ state: AppState) {
        let stateColor: Color = switch live.state {
        case .running: .green
        case .paused, .finished: .yellow
        case .diverged: .red
        }
        var x = b.put(" noether ", x: 0, y: 0, Style(.cyan, bold: true, reverse: true))
        var label = live.state.label
        if case .diverged(let why) = live.state { label += " " + why }
        if state.frozen != nil { label += " FROZEN" }
        if live.replaying { label += " REPLAY" }
        if live.recordingPath != nil { label += " REC" }
        x = b.put(" " + label + " ", x: x, y: 0, Style(stateColor, bold: true))
        // Most important first, so a narrow terminal loses only the tail.
        let parts = [
            "step \(s.step)", "lr \(Chart.format(s.live.learningRate))", "β \(Chart.format(s.live.momentum))",
            "λ \(Chart.format(s.live.weightDecay))", "seed \(s.config.seed)",
            "\(Chart.format(live.stepsPerSecond)) steps/s", Self.summary(s.config),
        ]
        for p in parts { x = b.put((glyphs.unicode ? "│ " : "| ") + p + " ", x: x, y: 0) }
    }

    func controls(_ b: inout Buffer, _ r: Rect, _ s: Snapshot, _ state: AppState) {
        r.frame(&b, title: "controls", focused: false, glyphs: glyphs)
        let inner = r.inner
        var y = inner.y
        func value(_ c: Control) -> String {
            switch c {
            case .learningRate: Chart.format(s.live.learningRate)
            case .momentum: Chart.format(s.live.momentum)
            case .weightDecay: Chart.format(s.live.weightDecay)
            case .speed: s.speedLimit == 0 ? "max" : "\(s.speedLimit)/s"
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
            if c == .arch { b.put("reset the run", x: inner.x, y: y, Style(.yellow, bold: true)); y += 1 }
            guard y < inner.y + inner.height else { break }
            let selected = c == state.selected
            let mark = c.isLive ? (glyphs.unicode ? "●" : "*") : (glyphs.unicode ? "↺" : "r")
            b.put(mark, x: inner.x, y: y, Style(c.isLive ? .green : .yellow))
            let v = value(c)
            let text = " " + c.label.padding(toLength: max(0, inner.width - 2 - v.count), withPad: " ", startingAt: 0) + v
            b.put(text, x: inner.x + 1, y: y, Style(bold: selected, reverse: selected), maxWidth: inner.width - 1)
            y += 1
        }
        y += 1
        var notes = s.notes.map { "note: " + $0 }
        if !s.description.isEmpty { notes.insert(s.title + ": " + s.description, at: 0) }
        for note in notes {
            for line in Self.wrap(note, inner.width) where y < inner.y + inner.height {
                b.put(line, x: inner.x, y: y, Style(.gray)); y += 1
            }
        }
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

    func points(_ s: Snapshot, _ name: String, _ state: AppState) -> [(x: Double, y: Double)] {
        s.history[name]?.points(recentOnly: state.recentWindow) ?? []
    }

    /// The family shown on the charge chart (cycled with `c`).
    public static func selectedFamily(_ s: Snapshot, _ state: AppState) -> FamilySummary? {
        s.families.isEmpty ? nil : s.families[state.familyIndex % s.families.count]
    }

    /// Symmetry health: green while every exact residual sits at machine precision.
    public static func health(_ s: Snapshot, glyphs: Glyphs) -> (text: String, color: Color) {
        guard !s.families.isEmpty else { return ("no charges", .gray) }
        let worst = s.families.map(\.residualMax).max() ?? 0
        if worst <= 1e-10 { return ("\(glyphs.ok) exact \(Chart.format(worst))", .green) }
        let reason = s.config.optimizer == .adam ? "Adam" : (s.config.eps > 0 ? "BN eps" : "residual")
        return ("\(glyphs.bad) \(reason) \(Chart.format(worst))", .red)
    }

    func chart(_ b: inout Buffer, _ kind: ChartKind, _ r: Rect, _ s: Snapshot, _ state: AppState, focused: Bool) {
        let log = state.logY.contains(kind)
        var series: [ChartSeries] = []
        var title = kind.title
        var status: (text: String, color: Color)?
        switch kind {
        case .loss:
            series.append(ChartSeries("loss", .cyan, points(s, "loss", state)))
            if s.history["accuracy"] != nil {
                series.append(ChartSeries("batch acc", .green, points(s, "accuracy", state), marker: "+"))
            }
        case .norms:
            for (i, name) in s.layerNames.enumerated() {
                series.append(ChartSeries(name, Self.palette[i % Self.palette.count], points(s, "norm:\(name)", state)))
            }
        case .charges:
            if let f = Self.selectedFamily(s, state) {
                let k = f.family
                title = "\(f.symmetry.rawValue) \(k)" + (f.count > 1 ? " (median of \(f.count), 10–90 %)" : "") + " [c]"
                series = [
                    ChartSeries("10–90 %", .gray, points(s, "\(k):q10", state), marker: ".", dotted: true),
                    ChartSeries("", .gray, points(s, "\(k):q90", state), marker: ".", dotted: true),
                    ChartSeries("Q⁽⁰⁾ conserved", .magenta, points(s, "\(k):ref", state), marker: "o"),
                    ChartSeries("NM", .blue, points(s, "\(k):nm", state), marker: "~"),
                    ChartSeries("measured", .green, points(s, "\(k):q50", state), marker: "*"),
                    ChartSeries("exact", .yellow, points(s, "\(k):pred", state), marker: "x", dotted: true),
                ].filter { !$0.points.isEmpty }
            } else {
                title = "no charges"
            }
        case .gap:
            for (i, f) in s.families.enumerated() where f.symmetry != .translation || s.config.optimizer == .adam {
                series.append(ChartSeries(f.family, Self.palette[i % Self.palette.count], points(s, "\(f.family):gap", state)))
            }
            status = Self.health(s, glyphs: glyphs)
        case .normalization:
            if let f = s.families.first(where: { $0.symmetry == .scale }) {
                let k = f.family
                let target = (2 * s.live.learningRate * s.live.weightDecay / (1 + s.live.momentum)).squareRoot()
                let angle = points(s, "\(k):angle", state)
                series = [
                    ChartSeries("η_eff", .cyan, points(s, "\(k):elr", state)),
                    ChartSeries("RMS angle", .green, angle),
                    ChartSeries("√(2ηλ/(1+β))", .yellow, target > 0 ? angle.map { ($0.x, target) } : [], marker: "-"),
                    ChartSeries("(2λ/η)S²", .magenta, points(s, "\(k):acc", state), marker: "o"),
                    ChartSeries("EMA|ĝ|²", .blue, points(s, "\(k):ema", state), marker: "+"),
                ]
                title = "\(k): η_eff, angle, RMSProp"
            } else {
                title = "normalization (no scale charges: norm none)"
            }
        case .table:
            table(&b, r, s, focused: focused)
            return
        }
        Chart(title: title, series: series, logY: log, smoothing: state.smoothing, status: status)
            .render(into: &b, r, focused: focused, glyphs: glyphs)
    }

    func table(_ b: inout Buffer, _ r: Rect, _ s: Snapshot, focused: Bool) {
        r.frame(&b, title: "charges by family", focused: focused, glyphs: glyphs)
        let inner = r.inner
        let head = "family".padding(toLength: 20, withPad: " ", startingAt: 0) + "   n    median      Γ/Q₀   residual"
        b.put(head, x: inner.x, y: inner.y, Style(bold: true), maxWidth: inner.width)
        for (i, f) in s.families.enumerated() where i + 1 < inner.height {
            let ok = f.residualMax <= 1e-10
            let row = String(f.family.prefix(19)).padding(toLength: 20, withPad: " ", startingAt: 0)
                + "\(f.count)".leftPad(4) + Chart.format(f.q50).leftPad(10) + Chart.format(f.gapRatioMedian).leftPad(10)
            let x = b.put(row, x: inner.x, y: inner.y + 1 + i, .plain, maxWidth: inner.width)
            b.put(Chart.format(f.residualMax).leftPad(11), x: x, y: inner.y + 1 + i, Style(ok ? .green : .red),
                  maxWidth: inner.x + inner.width - x)
        }
        if s.families.isEmpty {
            for (i, line) in s.notes.flatMap({ Self.wrap($0, inner.width) }).enumerated() where i + 1 < inner.height {
                b.put(line, x: inner.x, y: inner.y + 1 + i, Style(.gray))
            }
        }
    }

    func overlay(_ b: inout Buffer, width: Int, height: Int, title: String) -> Rect {
        let w = min(width, b.width - 4), h = min(height, b.height - 2)
        let r = Rect(x: (b.width - w) / 2, y: (b.height - h) / 2, width: w, height: h)
        b.fill(r)
        r.frame(&b, title: title, focused: true, glyphs: glyphs)
        return r.inner
    }

    /// The help screen, generated from the keymap table that handles the keys.
    func help(_ b: inout Buffer) {
        let rows = Keymap.bindings
        let inner = overlay(&b, width: 64, height: rows.count + 4, title: "help: keys (esc or ? closes)")
        for (i, k) in rows.enumerated() where i < inner.height - 1 {
            let keys = k.keys.map(\.label).joined(separator: " ")
            b.put(keys.padding(toLength: 10, withPad: " ", startingAt: 0), x: inner.x + 1, y: inner.y + i, Style(.cyan, bold: true))
            b.put(k.help, x: inner.x + 12, y: inner.y + i, .plain, maxWidth: inner.width - 13)
        }
        b.put("● live: applies at once   ↺: resets the run", x: inner.x + 1, y: inner.y + inner.height - 1, Style(.gray))
    }

    func picker(_ b: inout Buffer, _ state: AppState) {
        let inner = overlay(&b, width: 76, height: min(b.height - 2, state.presets.count + 8),
                            title: "presets (↑↓ choose, enter open, esc close)")
        let listHeight = max(1, inner.height - 5)
        let first = max(0, state.pickerIndex - listHeight + 1)
        for (row, i) in (first..<min(state.presets.count, first + listHeight)).enumerated() {
            let p = state.presets[i]
            let text = p.name.padding(toLength: 22, withPad: " ", startingAt: 0) + p.title
            b.put(text, x: inner.x + 1, y: inner.y + row, Style(bold: i == state.pickerIndex, reverse: i == state.pickerIndex),
                  maxWidth: inner.width - 2)
        }
        if state.presets.indices.contains(state.pickerIndex) {
            for (j, line) in Self.wrap(state.presets[state.pickerIndex].description, inner.width - 2).prefix(4).enumerated() {
                b.put(line, x: inner.x + 1, y: inner.y + listHeight + 1 + j, Style(.gray))
            }
        }
    }
}
