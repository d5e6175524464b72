import ArgumentParser
import Foundation
import NoetherCore

/// Rows of one output, buffered and written whole lines at a time, so that a run stopped by a
/// full disk or a signal never leaves half a line; a write error stops the run naming the file.
final class OutputSink {
    private let file: OutputFile
    private var buffer = ""

    init(path: String?) throws(OutputError) { file = try OutputFile(path: path ?? "-") }

    func line(_ s: String) throws(OutputError) {
        buffer += s
        buffer += "\n"
        if buffer.utf8.count > 1 << 16 { try flush() }
    }

    func flush() throws(OutputError) {
        guard !buffer.isEmpty else { return }
        defer { buffer = "" }
        try file.write(buffer)
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
    @Option(help: "jsonl or csv.") var format = OutputFormat.jsonl
    @Option(help: "Per row: summary (loss, norms, one entry per symmetry kind), families, or neurons (every group).")
    var detail = OutputDetail.families
    @Option(help: "Output file (default: standard output).") var out: String?
    @Option(help: "Write the parameters at the written steps (JSON Lines, PyTorch layout).") var dumpParams: String?
    @Option(help: "Write the training set as CSV.") var dumpData: String?

    func validate() throws {
        guard every >= 1 else { throw ValidationError("--every must be at least 1, got \(every)") }
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
    }

    /// `observe` sees every written row's observation (the figure of `run --svg`).
    static func run(_ segments: [Segment], labelRuns: Bool, _ o: OutputOptions, record: String? = nil,
                    observe: (Observation) -> Void = { _ in }) throws {
        // A fork writes two runs into one output: the ghost (the run as it was, run 0) and the
        // fork (run 1), each JSON row tagged; CSV has one set of columns for one run.
        let forks = segments.contains { $0.preset.schedule.contains(where: \.fork) }
        if forks, segments.count > 1 {
            throw RunFailure("a session with both resets and forks writes runs whose numbers would clash: pick one run with --run N")
        }
        if forks, o.format == .csv {
            throw RunFailure("the preset forks (fork = true), so the output holds two runs and CSV has one set of columns: use --format jsonl, whose rows carry \"run\"")
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
        let signals = StopSignals()
        defer { signals.cancel() }
        var step = 0
        do {
            var wroteHeader = false
            for segment in segments {
                let sim: Simulator
                do { sim = try Simulator(segment.preset.config) } catch { throw RunFailure("\(error)") }
                for note in sim.symmetries.notes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
                if let path = o.dumpData, segment.run == segments[0].run { try OutputFile.write(sim.data.csv(), to: path) }
                let label = labelRuns ? "{\"run\":\(segment.run)," : nil
                var pending = segment.preset.schedule[...]
                /// The changes applied so far (a fork replays them) and, after a fork, the ghost.
                var applied: [ScheduledChange] = []
                var ghost: Simulator?
                var forked = false
                step = 0
                while true {
                    let interrupted = signals.caught != nil
                    if ghost == nil, let next = pending.first, next.fork, next.step <= step {
                        ghost = try Simulator.replica(of: segment.preset.config, changes: applied, to: step)
                        forked = true
                    }
                    for change in try sim.applyDue(&pending) {
                        applied.append(change)
                        try recorder?.record(change)
                    }
                    let last = step == segment.steps || interrupted
                    if step % o.every == 0 || last {
                        let obs = sim.observation()
                        observe(obs)
                        switch o.format {
                        case .jsonl:
                            try out.line(ObservationFormat.jsonLine(obs, detail: o.detail, run: labelRuns ? segment.run + (forked ? 1 : 0) : nil))
                            if let ghost { try out.line(ObservationFormat.jsonLine(ghost.observation(), detail: o.detail, run: segment.run)) }
                        case .csv:
                            if !wroteHeader { try out.line(ObservationFormat.csvHeader(obs, detail: o.detail)); wroteHeader = true }
                            try out.line(ObservationFormat.csvRow(obs, detail: o.detail))
                        }
                        let p = ObservationFormat.parameterLine(step: step, sim.parameters())
                        try params?.line(label.map { $0 + p.dropFirst() } ?? p)
                    }
                    if last { break }
                    do {
                        try ghost?.advance()
                    } catch {
                        FileHandle.standardError.write(Data("noether: the ghost run (run 0) \(error); the fork goes on alone\n".utf8))
                        ghost = nil
                    }
                    do { try sim.advance() } catch {
                        try out.finish()
                        try params?.finish()
                        try recorder?.stop(at: sim.step)
                        throw RunFailure("\(error)", code: 1)
                    }
                    step += 1
                    try recorder?.progress(at: step)
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
            throw RunFailure("\(error)", code: 1)
        }
        if let sig = signals.caught, let code = signals.exitCode {
            FileHandle.standardError.write(Data("noether: stopped by \(String(cString: strsignal(sig))) at step \(step); every row up to it is written\n".utf8))
            throw ExitCode(code)
        }
    }
}
