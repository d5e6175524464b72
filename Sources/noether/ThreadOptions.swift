import ArgumentParser
import NoetherCore

/// `--threads 2` for headless runs and sweep workers: products that do not depend on each other
/// go two at a time (a dense layer's weight and input gradients; a conv layer's two halves of
/// the batch forward, its filter and input gradients backward), each the whole one-thread call it
/// is on one thread, so every number is the same (README, Speed). The explorer stays on one
/// thread; the other core draws the screen.
struct ThreadOptions: ParsableArguments {
    @Option(
        help: """
            Threads of a headless run: 1, or 2 to make independent matrix products two at a time, with \
            the same numbers; it pays on large products with a second core free (README, Speed).
            """,
        transform: Self.parse)
    var threads = 1

    static func parse(_ argument: String) throws -> Int {
        guard let n = Int(argument), (1...2).contains(n) else {
            throw ValidationError("allowed: 1, or 2 (independent products go at most two at a time)")
        }
        return n
    }

    /// Sets this process's thread count.
    func apply() { BLAS.configure(threads: threads) }
}
