import ArgumentParser
import NoetherCore

/// `--threads 2` for headless runs and sweep workers: products that do not depend on each other
/// go two at a time (a dense layer's weight and input gradients; a conv layer's two halves of
/// the batch forward, its filter and input gradients backward), each the whole one-thread call it
/// is on one thread, so every number is the same (README, Speed). The explorer stays on one
/// thread; the other core draws the screen.
struct ThreadOptions: ParsableArguments {
    @Option(help: "Threads: 1, or 2 to make independent matrix products two at a time (the same numbers).")
    var threads = 1

    func validate() throws {
        guard (1...2).contains(threads) else {
            throw ValidationError(
                "--threads must be 1 or 2 (independent products go at most two at a time), got \(threads)"
            )
        }
    }

    /// Sets this process's thread count.
    func apply() { BLAS.configure(threads: threads) }
}
