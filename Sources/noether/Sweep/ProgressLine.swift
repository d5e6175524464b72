import Foundation

/// The sweep's progress on standard error: done/total, runs per second and the time left. On a
/// terminal one line is redrawn in place; otherwise a line is written at most every 10 s, so a
/// log stays short.
final class ProgressLine {
    let total: Int
    private(set) var done: Int
    private let startDone: Int
    private let start = Date()
    private var lastWrite = Date.distantPast
    private let terminal = isatty(2) == 1

    init(total: Int, done: Int) {
        self.total = total
        self.done = done
        startDone = done
    }

    func advance() {
        done += 1
        draw(force: done == total)
    }

    var elapsed: Double { Date().timeIntervalSince(start) }

    /// Runs per second finished in this invocation.
    var rate: Double { elapsed > 0 ? Double(done - startDone) / elapsed : 0 }

    var text: String {
        let width = 24, filled = total > 0 ? width * done / total : width
        let bar = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
        let left = rate > 0 ? Self.clock(Double(total - done) / rate) : "?"
        return "sweep \(bar) \(done)/\(total) runs  \(String(format: "%.2f", rate)) runs/s  \(left) left"
    }

    func draw(force: Bool = false) {
        let now = Date()
        guard force || now.timeIntervalSince(lastWrite) >= (terminal ? 0.2 : 10) else { return }
        lastWrite = now
        FileHandle.standardError.write(Data((terminal ? "\r\u{1B}[K" + text : text + "\n").utf8))
    }

    /// Writes a message on its own line, above the progress line.
    func say(_ message: String) {
        FileHandle.standardError.write(Data(((terminal ? "\r\u{1B}[K" : "") + message + "\n").utf8))
        if terminal { draw(force: true) }
    }

    func finish() {
        if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600
            ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
