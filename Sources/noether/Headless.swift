import ArgumentParser
import Foundation
import NoetherCore

/// Rows of one output, written whole lines at a time as they are produced (held at most about a
/// second or 256 KB), so that a run stopped by a full disk or a signal never leaves half a line
/// and keeps every row that fitted; a write error stops the run naming the file and the rows kept.
final class OutputSink: @unchecked Sendable {  // every use of the buffer holds `lock`
    private let lock = NSLock()
    private let file: OutputFile
    private var buffer: [String] = []
    private var bytes = 0
    private var lastFlush = ContinuousClock.now
    /// Lines on disk.
    private(set) var written = 0

    init(path: String?) throws(OutputError) { file = try OutputFile(path: path ?? "-") }

    func line(_ s: String) throws(OutputError) {
        lock.lock()
        defer { lock.unlock() }
        buffer.append(s)
        bytes += s.utf8.count + 1
        if bytes > 1 << 18 || ContinuousClock.now - lastFlush > .seconds(1) { try flushHeld() }
    }

    func flush() throws(OutputError) {
        lock.lock()
        defer { lock.unlock() }
        try flushHeld()
    }

    /// From the forced stop on another thread: writes the buffered rows unless a write is under
    /// way (it keeps its own lines whole); the number of lines written.
    func emergencyFlush() -> Int {
        guard lock.try() else { return 0 }
        defer { lock.unlock() }
        let count = buffer.count
        return (try? flushHeld()) == nil ? 0 : count
    }

    private func flushHeld() throws(OutputError) {
        lastFlush = ContinuousClock.now
        guard !buffer.isEmpty else { return }
        defer { buffer = []; bytes = 0 }
        do {
            try file.write(buffer.joined(separator: "\n") + "\n")
            written += buffer.count
        } catch {
            // Keep every whole line that fits (a failed write leaves nothing of itself).
            var error = error
            for line in buffer {
                do { try file.write(line + "\n") } catch let last { error = last; break }
                written += 1
            }
            error.message += "; the first \(written) lines are kept"
            throw error
        }
    }

    func finish() throws(OutputError) {
        try flush()
        try file.close()
    }
}

/// Where and how `noether run` and `noether replay --headless` write: one set of options with
/// one validation, shared by both commands.
struct OutputOptions: ParsableArguments {
    @Option(help: "Write every Nth step (the last step is always written).") var every = 1
    @Option(
        name: .customLong("format"), help: "jsonl or csv (default: csv for an --out file ending in .csv, else jsonl).")
    var requestedFormat: OutputFormat?
    @Option(help: "Per row: summary (loss, norms, one entry per symmetry kind), families, or neurons (every group).")
    var detail = OutputDetail.families
    @Option(help: "Output file (default: standard output).") var out: String?
    @Option(help: "Write the parameters at the written steps (JSON Lines, PyTorch layout).") var dumpParams: String?
    @Option(help: "Write the training set as CSV.") var dumpData: String?

    func validate() throws {
        guard every >= 1 else { throw ValidationError("--every must be at least 1, got \(every)") }
        if let requestedFormat, let named = Self.format(named: out), named != requestedFormat {
            throw ValidationError(
                "--out \(out!) names a .\(named.rawValue) file but --format is \(requestedFormat.rawValue): drop --format or name the file .\(requestedFormat.rawValue)"
            )
        }
    }

    /// What rows are written as: --format, else what the --out file's name says, else JSON Lines.
    var format: OutputFormat { requestedFormat ?? Self.format(named: out) ?? .jsonl }

    /// The format a file name's extension names (.csv; .jsonl, .ndjson), nil for any other.
    private static func format(named path: String?) -> OutputFormat? {
        switch path.map({ URL(fileURLWithPath: $0).pathExtension.lowercased() }) {
        case "csv": .csv
        case "jsonl", "ndjson": .jsonl
        default: nil
        }
    }

    var outputs: [(flag: String, path: String?)] {
        [("--out", out), ("--dump-params", dumpParams), ("--dump-data", dumpData)]
    }
}

/// The headless loop shared by `noether run` and `noether replay --headless`: schedule changes
/// apply at their step before that step is observed, so row k shows the parameters of update k+1.
///
/// A replayed session of several runs (a recording with resets) writes them one after another;
/// each JSON line then starts with `"run": n`. INT, TERM and HUP stop the run at the next step
/// boundary: that step's row is written, every row flushed, the recording stopped there, and
/// the process exits with 128 + the signal number.
enum Headless {
    struct Segment {
        var run: Int
        var preset: Preset
        var steps: Int
        /// Where the explorer resumes a recorded back-step or undo; headless writes the run whole.
        var from = 0
    }

    /// `observe` sees every written row's observation (the figure of `run --svg`).
    static func run(
        _ segments: [Segment], labelRuns: Bool, _ o: OutputOptions, record: String? = nil,
        observe: (Observation) -> Void = { _ in }
    ) throws {
        // A fork writes several runs into one output: the ghosts (the run as it was at each fork,
        // runs 0, 1, … in fork order) and the front run after them, each JSON row tagged; CSV has
        // one set of columns for one run.
        let forks = segments.contains { $0.preset.schedule.contains(where: \.fork) }
        if forks, segments.count > 1 {
            throw RunFailure(
                "a session with both resets and forks writes runs whose numbers would clash: pick one run with --run N")
        }
        if forks, o.format == .csv {
            throw RunFailure(
                "the preset forks (fork = true), so the output holds several runs and CSV has one set of columns: use --format jsonl, whose rows carry \"run\""
            )
        }
        let labelRuns = labelRuns || forks
        // A reader that goes away is a write error naming the output, not a silent death.
        signal(SIGPIPE, SIG_IGN)
        let out: OutputSink, params: OutputSink?
        let recorder: Recorder?
        do {
            out = try OutputSink(path: o.out)
            params = try o.dumpParams.map { path throws(OutputError) in try OutputSink(path: path) }
            recorder = try record.map { path throws(PresetError) in
                try Recorder(path: path, preset: segments[0].preset, version: Noether.version)
            }
        } catch { throw RunFailure("\(error)", code: 1) }
        // A step or data set that takes longer than the grace is stopped where it is, keeping
        // every row already produced; the recording then ends as a cut one does.
        let signals = StopSignals { [out, params] sig in
            let kept = out.emergencyFlush() + (params?.emergencyFlush() ?? 0)
            FileHandle.standardError.write(
                Data(
                    "noether: stopped by \(String(cString: strsignal(sig))) inside a long step; \(kept) buffered lines written\n"
                        .utf8))
        }
        defer { signals.cancel() }
        var step = 0
        do {
            var wroteHeader = false
            for segment in segments {
                // The recorder follows the first run (`noether run --record` has only one).
                let session: Session
                do {
                    session = try Session(segment.preset, recorder: segment.run == segments[0].run ? recorder : nil)
                } catch { throw RunFailure("\(error)") }
                let sim = session.front
                for note in sim.symmetries.notes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
                if let path = o.dumpData, segment.run == segments[0].run {
                    try OutputFile.write(sim.data.csv(), to: path)
                }
                let label = labelRuns ? "{\"run\":\(segment.run)," : nil
                step = 0
                while true {
                    if let failure = session.takeRecordingFailure() { throw RunFailure(failure, code: 1) }
                    let interrupted = signals.caught != nil
                    let last = step == segment.steps || interrupted
                    if step % o.every == 0 || last {
                        let obs = session.front.observation()
                        observe(obs)
                        switch o.format {
                        case .jsonl:
                            try out.line(
                                ObservationFormat.jsonLine(
                                    obs, detail: o.detail, run: labelRuns ? segment.run + session.forks.count : nil,
                                    name: session.frontName))
                            for (i, ghost) in session.ghosts.enumerated() {
                                guard let ghost else { continue }
                                try out.line(
                                    ObservationFormat.jsonLine(
                                        ghost.observation(), detail: o.detail, run: segment.run + i,
                                        name: session.runName(ofGhost: i)))
                            }
                        case .csv:
                            if !wroteHeader {
                                try out.line(ObservationFormat.csvHeader(obs, detail: o.detail)); wroteHeader = true
                            }
                            try out.line(ObservationFormat.csvRow(obs, detail: o.detail))
                        }
                        let p = ObservationFormat.parameterLine(step: step, session.front.parameters())
                        try params?.line(label.map { $0 + p.dropFirst() } ?? p)
                    }
                    if last { break }
                    let result: Session.Advance
                    do { result = try session.advance() } catch {
                        try out.finish()
                        try params?.finish()
                        try recorder?.stop(at: session.step)
                        throw RunFailure("\(error)", code: 1)
                    }
                    for (i, error) in result.ghostsDiverged {
                        FileHandle.standardError.write(
                            Data(
                                "noether: the ghost run (run \(segment.run + i)) \(error); the other runs go on\n".utf8)
                        )
                    }
                    step += 1
                    session.noteProgress()
                }
                if signals.caught != nil { break }
            }
            try out.finish()
            try params?.finish()
            try recorder?.stop(at: step)
        } catch let failure as RunFailure {
            throw failure
        } catch {
            // A write failed (full disk, closed pipe, I/O error): stop, keeping the recording whole.
            try? recorder?.stop(at: step)
            // A reader of standard output that has seen enough (`| head`) ends the run quietly.
            if let e = error as? OutputError, e.path == "-", e.code == EPIPE {
                try? params?.finish()
                return
            }
            throw RunFailure("\(error)", code: 1)
        }
        if let sig = signals.caught, let code = signals.exitCode {
            FileHandle.standardError.write(
                Data(
                    "noether: stopped by \(String(cString: strsignal(sig))) at step \(step); every row up to it is written\n"
                        .utf8))
            throw ExitCode(code)
        }
    }
}
