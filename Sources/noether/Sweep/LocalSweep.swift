import ArgumentParser
import Foundation
import NoetherCore

/// A sweep on this machine: the runs not yet in the database, each in a worker process that
/// writes its result file into `<out>.pending/`; each finished result is stored at once and its
/// file removed. A sweep stopped any way (a signal, a crash, kill -9 of this process) resumes
/// from the database, and picks up results that workers finished after it stopped.
struct LocalSweep {
    var runs: [SweepRun]
    var out: String
    var file: String
    var jobs: Int
    var seriesEvery: Int?
    var threads = 1

    func run() throws {
        try DistinctPaths.check(outputs: [("--out", out)], inputs: [("the sweep file", file)])
        let lock = try DatabaseLock(database: out, command: "noether sweep \(file) --out \(out)")
        defer { lock.release() }
        let pending = out + ".pending"
        let database: ResultsDatabase
        let stored: Set<String>
        do {
            database = try ResultsDatabase(path: out)
            if FileManager.default.fileExists(atPath: pending) {
                ResultFolder.removeLeftovers(in: pending)
                let left = try ResultFolder.gather(pending, into: database, removing: true)
                if left.stored > 0 { say("stored \(left.stored) results that the last sweep left in \(pending)") }
            } else {
                try OutputFile.makeFolder(pending)
            }
            stored = try database.storedIDs()
        } catch { throw RunFailure("--out \(error)", code: 1) }
        let todo = runs.filter { !stored.contains($0.id) }
        guard !todo.isEmpty else {
            rmdir(pending)
            return print("all \(runs.count) runs of \(file) are in \(out)")
        }
        if todo.count < runs.count {
            say(
                "\(runs.count - todo.count) of \(runs.count) runs are already in \(out); running the other \(todo.count)"
            )
        }
        let progress = ProgressLine(total: runs.count, done: runs.count - todo.count)
        progress.draw(force: true)
        let signals = StopSignals { sig in
            FileHandle.standardError.write(
                Data("\nnoether: stopped by \(String(cString: strsignal(sig))); every run stored so far is kept\n".utf8)
            )
        }
        defer { signals.cancel() }
        let pool = WorkerPool(binary: executablePath(), limit: jobs)
        let jobsToRun = todo.map { run in
            let result = SweepPlan.resultPath(run, in: pending)
            return WorkerPool.Job(
                run: run,
                arguments: SweepPlan.workerArguments(
                    run, out: result, seriesEvery: seriesEvery, threads: threads),
                log: pending + "/\(run.id).log")
        }
        var failures = 0
        do {
            try pool.run(jobsToRun, stop: { signals.caught != nil }) { job, outcome in
                defer { unlink(job.log) }
                if signals.caught != nil, case .failed = outcome { return }  // stopped by us, not a crash
                let path = SweepPlan.resultPath(job.run, in: pending)
                var why: String?
                switch outcome {
                case .failed(let reason): why = reason
                case .exited:
                    let result: RunResult
                    do { result = try RunResult.read(path) } catch { why = "\(error)"; break }
                    try database.insert(result)  // a database that fails stops the sweep; the file stays

                }
                if let why {
                    failures += 1
                    progress.say(
                        "noether: run \(job.run.label.isEmpty ? job.run.id : job.run.label) (\(job.run.id)) failed: \(why)"
                    )
                    return
                }
                unlink(path)
                progress.advance()
            }
        } catch let error as OutputError {
            progress.finish()
            throw RunFailure(
                "\(error); the runs stored so far are kept; results finished but not stored wait in \(pending) for the next `noether sweep \(file) --out \(out)`",
                code: 1)
        }
        progress.finish()
        ResultFolder.removeLeftovers(in: pending)
        rmdir(pending)  // only when empty: a result that could not be stored stays
        let newRuns = progress.done - (runs.count - todo.count)
        let summary =
            "\(progress.done) of \(runs.count) runs are in \(out) (\(newRuns) new in \(String(format: "%.1f", progress.elapsed)) s, \(String(format: "%.2f", progress.rate)) runs/s)"
        if let sig = signals.caught, let code = signals.exitCode {
            say(
                "noether: stopped by \(String(cString: strsignal(sig))); \(summary); run the same command again to run the other \(runs.count - progress.done)"
            )
            throw ExitCode(code)
        }
        say(summary)
        if failures > 0 {
            throw RunFailure("\(failures) runs failed (above); run the same command again to retry them", code: 1)
        }
    }

    private func say(_ message: String) { FileHandle.standardError.write(Data((message + "\n").utf8)) }
}
