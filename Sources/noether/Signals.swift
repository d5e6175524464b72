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

    /// How long a command has, after a signal, to stop at its own next boundary before it is
    /// stopped where it is (inside a long step, reading a large file), so that it always ends
    /// within a second.
    static let grace = 0.7

    /// `forced`: when the command has not stopped `grace` seconds after the signal, this runs
    /// (it writes out what is whole: buffered rows) and the process exits with 128 + the signal
    /// number. Without it (the explorer, which must restore the terminal) only the flag is set.
    init(forced: (@Sendable (Int32) -> Void)? = nil) {
        for sig in Self.handled {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            let box = box
            // @Sendable: a closure inferred @MainActor traps when it runs on a global queue.
            source.setEventHandler { @Sendable in
                guard box.set(sig), let forced else { return }
                DispatchQueue.global().asyncAfter(deadline: .now() + Self.grace) { @Sendable in
                    guard !box.finished else { return }
                    forced(sig)
                    _exit(128 + sig)
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// The first signal caught, if any.
    var caught: Int32? { box.value }

    /// What a run stopped by the caught signal exits with, as a shell expects: 128 + its number.
    var exitCode: Int32? { caught.map { 128 + $0 } }

    /// Ends the handling: the forced stop no longer fires (the command is exiting on its own).
    func cancel() {
        box.finish()
        for s in sources { s.cancel() }
    }
}

private final class CaughtSignal: Sendable {
    private let signal = Atomic<Int32>(0)
    private let done = Atomic<Bool>(false)
    /// True for the first signal.
    func set(_ s: Int32) -> Bool { signal.compareExchange(expected: 0, desired: s, ordering: .relaxed).exchanged }
    func finish() { done.store(true, ordering: .relaxed) }
    var finished: Bool { done.load(ordering: .relaxed) }
    var value: Int32? { let s = signal.load(ordering: .relaxed); return s == 0 ? nil : s }
}
