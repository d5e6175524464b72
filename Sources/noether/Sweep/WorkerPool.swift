import Foundation
import NoetherCore

/// Worker processes, at most `limit` at once: each run of a local sweep is this same binary
/// started as `noether sweep run-one …`, so a crash or a kill takes one run with it and nothing
/// else. Each worker's standard error goes to a log file, whose last line explains a failure.
final class WorkerPool {
    struct Job {
        var run: SweepRun
        var arguments: [String]
        var log: String
    }

    enum Outcome {
        case exited
        case failed(String)
    }

    let binary: String
    let limit: Int
    private var running: [pid_t: Job] = [:]

    init(binary: String, limit: Int) {
        self.binary = binary
        self.limit = limit
    }

    /// Runs every job, calling `done` as each worker ends (in the order they end). When
    /// `stop()` turns true, no job starts any more and the running ones are sent TERM.
    func run(_ jobs: [Job], stop: () -> Bool, done: (Job, Outcome) throws -> Void) throws {
        var queue = jobs[...]
        var stopping = false
        defer { terminateAll() }
        while !queue.isEmpty || !running.isEmpty {
            if !stopping, stop() {
                stopping = true
                queue.removeAll()
                terminateAll()
            }
            while !stopping, running.count < limit, let job = queue.popFirst() {
                running[try spawn(job)] = job
            }
            var status: Int32 = 0
            let pid = waitpid(-1, &status, WNOHANG)
            if pid > 0, let job = running.removeValue(forKey: pid) {
                try done(job, Self.outcome(status, log: job.log))
            } else if pid == 0 || (pid < 0 && errno == EINTR) {
                usleep(5_000)  // a worker runs for a second or more: polling costs nothing measurable
            } else if pid < 0 {
                break
            }
        }
    }

    private func terminateAll() {
        for pid in running.keys { kill(pid, SIGTERM) }
    }

    /// Starts one worker with the default signal dispositions (this process ignores INT, TERM
    /// and HUP to stop cleanly; a worker must die of them) and its standard error in its log.
    private func spawn(_ job: Job) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 2, job.log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t(), empty = sigset_t()
        sigemptyset(&defaults)
        sigemptyset(&empty)
        for s in StopSignals.handled + [SIGPIPE] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let argv = ([binary] + job.arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid = pid_t()
        let code = posix_spawn(&pid, binary, &actions, &attributes, argv, environ)
        guard code == 0 else {
            throw RunFailure("cannot start a worker (\(binary)): \(String(cString: strerror(code)))", code: 1)
        }
        return pid
    }

    /// How a worker ended, in words for a failure: its exit code or signal, and its last message.
    static func outcome(_ status: Int32, log: String) -> Outcome {
        let signal = status & 0x7f, code = (status >> 8) & 0xff
        if signal == 0, code == 0 { return .exited }
        let said =
            (try? String(contentsOfFile: log, encoding: .utf8))?
            .split(separator: "\n").last.map { ": \($0)" } ?? ""
        if signal != 0 { return .failed("killed by signal \(signal) (\(String(cString: strsignal(signal))))\(said)") }
        return .failed("exited with code \(code)\(said)")
    }
}

/// The absolute path of this binary, which workers and plans run.
func executablePath() -> String {
    var buffer = [CChar](repeating: 0, count: 4096)
    let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    if n > 0 { return String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
    return URL(fileURLWithPath: CommandLine.arguments[0]).standardized.path
}
