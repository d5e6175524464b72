import Foundation
import Testing
import TestTiers

/// INT, TERM and HUP stop a headless run at a step boundary with every row written and the
/// recording stopped, exit 128 + the signal; kill -9 leaves a recording that replays to its
/// last progress note and says so. The explorer restores the terminal and exits 128 + signal.
@Suite("Signals", .serialized)
struct SignalTests {
    static let long = ["run", "--steps", "100000000", "--every", "50", "--width", "4", "--samples", "64"]

    /// Starts the binary with `args`, standard error to `stderr`.
    static func start(_ args: [String], stderr: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ExplorerEndToEndTests.binary)
        p.arguments = args
        FileManager.default.createFile(atPath: stderr, contents: nil)
        p.standardError = FileHandle(forWritingAtPath: stderr)
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// Polls every 50 ms until `ok` holds (hard timeout).
    static func waitFor(_ what: String, timeout: Double = 30, _ ok: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if ok() { return true }
            usleep(50_000)
        }
        Issue.record("timed out waiting for \(what)")
        return false
    }

    static func progressSteps(_ recording: String) -> [Int] {
        let parts = contents(recording).components(separatedBy: "[[progress]]\nrun = 0\nstep = ").dropFirst()
        return parts.compactMap { Int($0.prefix { $0.isNumber }) }
    }

    @Test(arguments: [SIGTERM, SIGINT, SIGHUP])
    func headlessRunStopsCleanly(signal: Int32) throws {
        let dir = TemporaryFolder()
        let p = try Self.start(
            Self.long + ["--out", dir("rows.jsonl"), "--record", dir("rec.toml")], stderr: dir("err"))
        guard Self.waitFor("rows past step 1000", { contents(dir("rows.jsonl")).contains("{\"step\":1000,") }) else {
            p.terminate(); return
        }
        kill(p.processIdentifier, signal)
        if !Self.waitFor("the run to stop", { !p.isRunning }) { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
        #expect(p.terminationReason == .exit)
        #expect(p.terminationStatus == 128 + signal, "\(contents(dir("err")))")
        let rows = contents(dir("rows.jsonl"))
        #expect(rows.hasSuffix("\n"))
        let last = rows.split(separator: "\n").last.map(String.init) ?? ""
        let object = try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any]
        let step = object?["step"] as? Int
        let recording = contents(dir("rec.toml"))
        #expect(
            step != nil && recording.hasSuffix("[[stop]]\nstep = \(step!)\n"), "recording ends: \(recording.suffix(60))"
        )
        #expect(contents(dir("err")).contains("at step \(step ?? -1); every row up to it is written"))
        // The recording replays to the same rows, byte for byte.
        let replay = noether("replay '\(dir("rec.toml"))' --headless --every 50 --out '\(dir("replay.jsonl"))'")
        #expect(replay.status == 0, "\(replay.output)")
        #expect(contents(dir("replay.jsonl")) == rows)
    }

    @Test func killedRunReplaysToItsLastProgressNote() throws {
        let dir = TemporaryFolder()
        let p = try Self.start(
            Self.long + ["--out", dir("rows.jsonl"), "--record", dir("rec.toml")], stderr: dir("err"))
        // The first note comes at step 1, the next about 2 s later.
        guard Self.waitFor("two progress notes", { Self.progressSteps(dir("rec.toml")).count >= 2 }) else {
            p.terminate(); return
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(p.terminationReason == .uncaughtSignal)
        let noted = try #require(Self.progressSteps(dir("rec.toml")).last)
        #expect(noted > 1)
        let replay = shell(
            "'\(ExplorerEndToEndTests.binary)' replay '\(dir("rec.toml"))' --headless --every 50 --out '\(dir("replay.jsonl"))' 2>'\(dir("replay-err"))'",
            mergeErrors: false)
        #expect(replay.status == 0)
        #expect(
            contents(dir("replay-err"))
                == "noether: \(dir("rec.toml")): the recording ends without [[stop]] (interrupted?); replaying to step \(noted), the last step it noted\n"
        )
        let replayed = contents(dir("replay.jsonl")).split(separator: "\n")
        #expect(replayed.last?.hasPrefix("{\"step\":\(noted),") == true)
        // Every whole row the killed run wrote is what the replay writes (but for the replay's
        // last row, written at the noted step whatever --every says).
        let written = contents(dir("rows.jsonl")).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        let regular = replayed.dropLast()
        let n = min(written.count, regular.count)
        #expect(n > 1)
        #expect(Array(written.prefix(n)) == Array(regular.prefix(n)))
    }

    @Test(.fullTierOnly, arguments: [SIGTERM, SIGHUP])
    func explorerRestoresTheTerminalAndExitsWithTheSignal(signal: Int32) {
        let dir = TemporaryFolder()
        let tmux = ExplorerEndToEndTests.Tmux()
        tmux.type(
            "sh -c 'echo $$ > \(dir("pid")); exec \(ExplorerEndToEndTests.binary) --record \(dir("rec.toml"))'; echo \"exit=$?\""
        )
        tmux.send("Enter")
        guard tmux.waitFor("the explorer", { ExplorerEndToEndTests.step($0).map { $0 > 0 } ?? false }) != nil,
            let pid = Int32(contents(dir("pid")).trimmingCharacters(in: .whitespacesAndNewlines))
        else { return }
        kill(pid, signal)
        let screen = tmux.waitFor("the shell again") { $0.contains("exit=\(128 + signal)") }
        #expect(screen != nil)
        #expect(screen?.contains("shell>") == true, "terminal restored to the shell")
        #expect(contents(dir("rec.toml")).contains("[[stop]]"))
    }
}
