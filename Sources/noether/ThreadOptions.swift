import ArgumentParser
import NoetherCore

/// `--threads 2` for headless runs and sweep workers: each dense layer's backward pass makes its
/// weight gradient and its input gradient at once, two whole products on two threads, so every
/// number is the one a single thread makes (README, Speed). The explorer stays on one thread;
/// the other core draws the screen.
struct ThreadOptions: ParsableArguments {
    @Option(help: "Threads: 1, or 2 to make each dense layer's two backward products at once (the same numbers).")
    var threads = 1

    func validate() throws {
        guard (1...2).contains(threads) else {
            throw ValidationError(
                "--threads must be 1 or 2 (a dense layer's backward pass has two products that can run at once), got \(threads)"
            )
        }
    }

    /// Sets this process's thread count.
    func apply() { BLAS.configure(threads: threads) }
}
