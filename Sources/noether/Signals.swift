import Dispatch
import Foundation
import Synchronization

/// Catches INT, TERM and HUP so that a run stops where it can clean up (a step boundary, or
/// the explorer's next frame) instead of dying mid-write; the process then exits with 128 +
/// the signal number, as a shell expects. Installed before curses, which would otherwise
/// install handlers of its own (SWIFT-NCURSES.md).
final class StopSignals {
    static let handled = [SIGINT, SIGTERM, SIGHUP]
    private let box = CaughtSignal()
    private var sources: [DispatchSourceSignal] = []

    init() {
        for sig in Self.handled {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            let box = box
            // @Sendable: a closure inferred @MainActor traps when it runs on a global queue.
            source.setEventHandler { @Sendable in box.set(sig) }
            source.resume()
            sources.append(source)
        }
    }

    /// The first signal caught, if any.
    var caught: Int32? { box.value }

    /// What a run stopped by the caught signal exits with, as a shell expects: 128 + its number.
    var exitCode: Int32? { caught.map { 128 + $0 } }

    func cancel() { for s in sources { s.cancel() } }
}

private final class CaughtSignal: Sendable {
    private let signal = Atomic<Int32>(0)
    func set(_ s: Int32) { _ = signal.compareExchange(expected: 0, desired: s, ordering: .relaxed) }
    var value: Int32? { let s = signal.load(ordering: .relaxed); return s == 0 ? nil : s }
}
