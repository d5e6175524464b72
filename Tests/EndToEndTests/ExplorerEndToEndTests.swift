import Foundation
import Testing
import TestTiers

/// Runs a shell command through popen (Foundation's Process did not reap tmux clients reliably
/// here) and returns its exit status and output (standard error included unless told otherwise).
func shell(_ command: String, mergeErrors: Bool = true) -> (status: Int32, output: String) {
    guard let pipe = popen(command + (mergeErrors ? " 2>&1" : ""), "r") else { return (-1, "") }
    var output = Data()
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&chunk, 1, chunk.count, pipe)
        if n <= 0 { break }
        output.append(contentsOf: chunk[0..<n])
    }
    let status = pclose(pipe)
    return ((status >> 8) & 0xff, String(decoding: output, as: UTF8.self))
}

/// Drives the real binary in a private tmux server: keys in, screen text out.
@Suite("Explorer end to end", .serialized, .fullTierOnly)
struct ExplorerEndToEndTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static var binary: String {
        for p in [".build/debug/noether", ".build/x86_64-unknown-linux-gnu/debug/noether"] {
            let path = root.appendingPathComponent(p).path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return root.appendingPathComponent(".build/debug/noether").path
    }

    final class Tmux {
        let server = "noether-e2e-\(UUID().uuidString.prefix(8))"

        /// Runs a tmux command. The server inherits the first client's output, so that one goes
        /// to /dev/null rather than to a pipe read to its end.
        @discardableResult
        func tmux(_ args: [String], capture: Bool = true) -> String {
            let quoted = (["tmux", "-L", server, "-f", "/dev/null"] + args).map {
                "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'"
            }
            return shell(
                quoted.joined(separator: " ") + (capture ? " 2>/dev/null" : " >/dev/null 2>&1"), mergeErrors: false
            ).output
        }

        init(width: Int = 100, height: Int = 30) {
            tmux(
                [
                    "new-session", "-d", "-x", "\(width)", "-y", "\(height)",
                    "env", "PS1=shell> ", "LANG=C.UTF-8", "SWIFT_BACKTRACE=interactive=no", "TERM=xterm-256color",
                    "bash", "--norc", "--noprofile",
                ], capture: false)
            _ = waitFor("shell prompt") { $0.contains("shell>") }
        }

        deinit { tmux(["kill-server"], capture: false) }

        func send(_ keys: String...) { tmux(["send-keys"] + keys) }
        func type(_ text: String) { tmux(["send-keys", "-l", "--", text]) }
        func screen() -> String { tmux(["capture-pane", "-p"]) }
        func resize(_ w: Int, _ h: Int) { tmux(["resize-window", "-x", "\(w)", "-y", "\(h)"]) }

        /// Polls the screen every 50 ms until `ok` holds; records the screen on timeout.
        @discardableResult
        func waitFor(_ what: String, timeout: Double = 15, _ ok: (String) -> Bool) -> String? {
            let end = Date().addingTimeInterval(timeout)
            var last = ""
            while Date() < end {
                last = screen()
                if ok(last) { return last }
                usleep(50_000)
            }
            Issue.record("timed out waiting for \(what); screen:\n\(last)")
            return nil
        }

        func start(_ args: String = "") {
            type("\(ExplorerEndToEndTests.binary) \(args); echo \"exit=$?\"")
            send("Enter")
        }
    }

    static func step(_ screen: String) -> Int? {
        guard let r = screen.range(of: #"step (\d+)"#, options: .regularExpression) else { return nil }
        return Int(screen[r].dropFirst(5))
    }

    @Test func stepsPauseLearningRateNormalizationHelpResizeAndQuit() throws {
        let t = Tmux()
        t.start()
        t.waitFor("running") { $0.contains("RUNNING") && (Self.step($0) ?? 0) > 0 }
        let first = Self.step(t.screen()) ?? 0
        t.waitFor("the step counter to rise") { (Self.step($0) ?? 0) > first }

        t.send("Space")
        t.waitFor("PAUSED") { $0.contains("PAUSED") }
        usleep(300_000)
        let paused = Self.step(t.screen())
        usleep(500_000)
        #expect(Self.step(t.screen()) == paused, "the counter moved while paused")
        t.type(".")
        t.waitFor("one step") { Self.step($0) == (paused ?? 0) + 1 }
        t.send("Space")
        t.waitFor("RUNNING again") { $0.contains("RUNNING") && (Self.step($0) ?? 0) > (paused ?? 0) + 1 }

        #expect(t.screen().contains("lr 0.1 "))
        t.type("]")
        t.waitFor("lr 0.2") { $0.contains("lr 0.2 ") }

        #expect(t.screen().contains("fc1.scale"))
        t.type("n")  // batch → layer: one scale charge per layer, translation on the incoming weights
        t.waitFor("layer norm") { $0.contains("LN relu") && $0.contains("ln1-fc2.rescale") && !$0.contains("bn1-fc2") }
        t.type("n")  // layer → group: one scale charge per group of units
        t.waitFor("group norm") { $0.contains("GN relu") }
        t.type("n")  // group → none: the scale charges vanish, rescale remains
        t.waitFor("no normalization") { !$0.contains("fc1.scale") && $0.contains("fc1-fc2.rescale") }

        t.type("?")
        t.waitFor("help") { $0.contains("help 1/2: keys") && $0.contains("learning rate up") }
        t.send("Escape")
        t.waitFor("help closed") { !$0.contains("help 1/2: keys") }

        t.resize(40, 10)
        t.waitFor("too small") { $0.contains("terminal too small:") && $0.contains("need 80×24, have 40×10") }
        t.resize(100, 30)
        t.waitFor("back to normal") { $0.contains("RUNNING") && !$0.contains("too small") }

        t.type("q")
        let end = t.waitFor("exit") { $0.contains("exit=0") }
        #expect(end?.contains("shell>") == true)
        #expect(end?.contains("RUNNING") == false, "the explorer's screen was left behind")
        #expect(t.tmux(["display-message", "-p", "#{cursor_flag}"]).hasPrefix("1"), "cursor not restored")
    }

    @Test func ctrlCAndSigtermRestoreTheTerminal() throws {
        let t = Tmux()
        t.start()
        t.waitFor("running") { $0.contains("RUNNING") }
        t.send("C-c")
        t.waitFor("exit after Ctrl-C") { $0.contains("exit=") && !$0.contains("RUNNING") }
        #expect(t.tmux(["display-message", "-p", "#{cursor_flag}"]).hasPrefix("1"))

        t.send("clear", "Enter")
        t.start()
        t.waitFor("running") { $0.contains("RUNNING") }
        let shell = t.tmux(["display-message", "-p", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let killer = popen("pkill -TERM -P \(shell)", "r")
        if let killer { pclose(killer) }
        t.waitFor("exit after SIGTERM") { $0.contains("exit=") && !$0.contains("RUNNING") }
        #expect(t.screen().contains("shell>"))
    }

    /// A diverging run shows DIVERGED with the step; lowering the learning rate and resetting
    /// trains again, and nothing crashes.
    @Test func divergenceThenRecovery() throws {
        let t = Tmux()
        t.start("--arch linear --norm none --data teacher --lr 5")
        // Both in one capture: tmux may capture a frame half drawn (the header before the message line).
        t.waitFor("diverged, with what to do") {
            $0.contains("DIVERGED at step") && $0.contains("lower the learning rate")
        }
        for _ in 0..<6 { t.type("[") }
        t.waitFor("lr lowered") { $0.contains("lr 0.05 ") }
        t.type("r")
        t.waitFor("running again") { $0.contains("RUNNING") && !$0.contains("DIVERGED") && (Self.step($0) ?? 0) > 10 }
        t.type("q")
        t.waitFor("exit") { $0.contains("exit=0") }
    }

    /// A locale that is not UTF-8 gets ASCII charts and borders; NO_COLOR is honoured.
    @Test func asciiWhenTheLocaleIsNotUTF8() throws {
        let t = Tmux()
        t.type("env LANG=C LC_ALL=C NO_COLOR=1 \(Self.binary); echo \"exit=$?\"")
        t.send("Enter")
        let screen = t.waitFor("ascii screen") {
            $0.contains("RUNNING") && $0.contains("+- controls") && (Self.step($0) ?? 0) > 5
        }
        let ascii = screen.map { $0.unicodeScalars.allSatisfy { $0.isASCII } } ?? false
        #expect(ascii, "\(screen ?? "")")
        t.type("q")
        t.waitFor("exit") { $0.contains("exit=0") }
    }

    /// At every size: chart titles, round step ticks from 0, legends with their marks; every key
    /// reachable in help by scrolling; the glossary page opens.
    @Test(arguments: [(80, 24), (100, 30), (160, 48)])
    func everySizeShowsChartsAndReachesEveryHelpPage(_ w: Int, _ h: Int) throws {
        // The default's configuration without its story, so no caption moves the focus.
        let plain = NSTemporaryDirectory() + "noether-plain-\(UUID().uuidString.prefix(8)).toml"
        try "title = \"plain\"\n".write(toFile: plain, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: plain) }
        let t = Tmux(width: w, height: h)
        t.start("--preset \(plain)")
        let screen = t.waitFor("charts at \(w)×\(h)") {
            $0.contains("RUNNING") && (Self.step($0) ?? 0) > 50 && $0.contains("step   0")
        }
        for text in [
            "loss, accuracy", "━━ loss ", "weight norms ‖W‖²", "━━ fc1 ", "╌╌ fc2 ", "─ Q: fc1.scale ", "✔ exact",
            "steps/s",
        ] {
            #expect(screen?.contains(text) == true, "\(text) at \(w)×\(h):\n\(screen ?? "")")
        }
        #expect(screen?.contains("e+") == false)
        t.type("?")
        t.waitFor("keys page") { $0.contains("help 1/2: keys") && $0.contains("pause / resume training") }
        for _ in 0..<40 { t.send("Down") }
        t.waitFor("the last key") { $0.contains("q F10     quit") && !$0.contains("more ↓") }
        t.send("Tab")
        t.waitFor("glossary page") { $0.contains("help 2/2: glossary") && $0.contains("Noether charge") }
        t.send("Escape")
        t.waitFor("help closed") { !$0.contains("help 2/2") && $0.contains("RUNNING") }
        t.type("t")
        t.waitFor("t axis") { $0.contains("t=Ση   0") && !$0.contains("step   0") }
        // Tab to the heatmap (seventh panel) and expand it.
        for _ in 0..<6 { t.send("Tab") }
        t.send("Enter")
        t.waitFor("expanded heatmap") {
            $0.contains("neurons of fc1.scale: |Q| (log)") && ($0.contains("│ 31 ") || $0.contains("│+"))
        }
        t.type("q")
        t.waitFor("exit") { $0.contains("exit=0") }
    }

    /// Without colour and UTF-8, series still differ by mark and help still pages.
    @Test func asciiNoColorLegendsAndHelpPages() throws {
        let t = Tmux(width: 80, height: 24)
        t.type("env LANG=C LC_ALL=C NO_COLOR=1 \(Self.binary); echo \"exit=$?\"")
        t.send("Enter")
        let screen = t.waitFor("ascii charts") {
            $0.contains("RUNNING") && (Self.step($0) ?? 0) > 50 && $0.contains("step   0")
        }
        #expect(
            screen?.contains("** loss ") == true && screen?.contains("-- batch accuracy") == true, "\(screen ?? "")")
        #expect(
            screen?.contains("** fc1 ") == true && screen?.contains("-- fc2 ") == true
                && screen?.contains(".. fc3 ") == true)
        t.type("?")
        t.waitFor("keys page") { $0.contains("+- help 1/2: keys") && $0.contains("more down") }
        t.send("Tab")
        t.waitFor("glossary page") { $0.contains("help 2/2: glossary") && $0.contains("Noether charge") }
        t.send("Escape")
        t.type("q")
        t.waitFor("exit") { $0.contains("exit=0") }
    }

    @Test func withoutATerminalItSaysSoAndExits2() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = []
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationStatus == 2)
        #expect(message.contains("needs a terminal") && message.contains("noether run"))
        #expect(message.split(separator: "\n").count == 1)
    }

    @Test func badOptionsExitWith2AndNameTheOption() throws {
        for (args, expected) in [
            (["run", "--norm", "instance"], "--norm"), (["run", "--width", "0"], "--width"),
            (["run", "--preset", "nope"], "no such preset"),
        ] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: Self.binary)
            p.arguments = args
            let err = Pipe()
            p.standardError = err
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(p.terminationStatus == 2, "\(args)")
            #expect(message.contains(expected), "\(args): \(message)")
        }
    }
}

@Suite("Presets and recordings end to end", .serialized, .fullTierOnly)
struct RecordingEndToEndTests {
    typealias E = ExplorerEndToEndTests

    @Test func everyPresetOpensInTheExplorer() throws {
        let list = shell("\(E.binary) presets")
        #expect(list.status == 0)
        let names = list.output.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
        #expect(names.count >= 11)
        let t = E.Tmux()
        for name in names {
            t.send("clear", "Enter")
            t.start("--preset \(name)")
            t.waitFor("preset \(name) running") { $0.contains("RUNNING") && (E.step($0) ?? 0) > 0 }
            t.type("q")
            t.waitFor("exit from \(name)") { $0.contains("exit=0") }
        }
    }

    /// A session recorded in the explorer, with learning-rate changes, replays headless to the
    /// same observations every time, with the changes at the recorded steps.
    @Test func explorerRecordingReplaysHeadless() throws {
        let path = NSTemporaryDirectory() + "noether-e2e-\(UUID().uuidString.prefix(8)).toml"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let t = E.Tmux()
        t.start("--record \(path)")
        t.waitFor("recording") { $0.contains("REC") && (E.step($0) ?? 0) > 0 }
        t.type("]")
        t.waitFor("lr 0.2") { $0.contains("lr 0.2 ") }
        usleep(200_000)
        t.type("]")
        t.waitFor("lr 0.5") { $0.contains("lr 0.5 ") }
        usleep(200_000)
        // A recording is open: q asks first, and q again quits (the recording is saved).
        t.type("q")
        t.waitFor("the question") { $0.contains("quit with a recording open?") }
        t.type("q")
        t.waitFor("exit") { $0.contains("exit=0") }

        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("recording-format = 3"))
        // Two learning-rate changes; the default's narration at step 0 is recorded as applied too.
        #expect(text.components(separatedBy: "[[at]]").dropFirst().filter { $0.contains("\nlr = ") }.count == 2)
        #expect(text.contains("[[stop]]"))
        let first = shell("\(E.binary) replay \(path) --headless --format csv")
        let second = shell("\(E.binary) replay \(path) --headless --format csv")
        #expect(first.status == 0)
        #expect(first.output == second.output)
        let rows = first.output.split(separator: "\n").dropFirst().map {
            $0.split(separator: ",", omittingEmptySubsequences: false)
        }
        let rates = rows.map { Double($0[3])! }
        #expect(rates.first == 0.1 && rates.last == 0.5)
        #expect(Set(rates) == [0.1, 0.2, 0.5])

        // The same file in the explorer shows REPLAY, and taking over says so.
        t.send("clear", "Enter")
        t.type("\(E.binary) replay \(path); echo \"exit=$?\"")
        t.send("Enter")
        t.waitFor("replay") { $0.contains("REPLAY") }
        t.type("[")
        t.waitFor("take over") { $0.contains("took over from the recording") && !$0.contains("REPLAY") }
        t.type("q")
        t.waitFor("exit") { $0.contains("exit=0") }
    }
}
