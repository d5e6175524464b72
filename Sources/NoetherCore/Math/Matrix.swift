import CBLAS
import Dispatch

/// Dense products on row-major buffers through OpenBLAS, pinned to one thread of its own: the
/// results are then bit-for-bit repeatable (its threading changes them: `noether-bench
/// split-check`) and the explorer keeps the other core. Headless runs may make two independent
/// products, or runs of products, at once (`both`), each still the whole one-thread calls.
public enum BLAS {
    nonisolated(unsafe) private static var configured = false
    /// Threads for independent products (configure(threads:)): 1, or 2 for `both`.
    nonisolated(unsafe) private(set) static var threads = 1
    /// When set, every product is appended (BLASBenchmark.products): a benchmark makes one step's
    /// products again, alone, to find the rate BLAS itself reaches on them.
    nonisolated(unsafe) static var recorded: [BLASBenchmark.Product]?

    /// Sets the threads of this process's products from now on: 1 (the default), or 2 for `both`.
    public static func configure(threads: Int = 1) {
        openblas_set_num_threads(1)
        self.threads = threads
        configured = true
    }

    /// The fewest multiply-adds per product for which `both` takes a second thread: below it the
    /// handing over costs what the second thread saves (`noether-bench threads 1 M` with M's
    /// 128 × 128 × 128 pairs taken: 1,120 steps/s on one thread, 1,104 on two).
    static let pairedWork = 4e6

    /// Whether `both` would take a second thread for pieces of `work` multiply-adds each (never
    /// while a benchmark records the products, which it does from one thread).
    static func pairs(work: Double, threads: Int = BLAS.threads) -> Bool {
        threads > 1 && work >= pairedWork && recorded == nil
    }

    /// Runs `first` and `second` at once on two threads when configured so and each makes at
    /// least `pairedWork` multiply-adds, else one after the other. They must write apart: each
    /// is then the same calls on the same operands either way, so every bit is the same.
    static func both(work: Double, threads: Int = BLAS.threads, _ first: () -> Void, _ second: () -> Void) {
        guard pairs(work: work, threads: threads) else {
            first()
            second()
            return
        }
        withoutActuallyEscaping(first) { first in
            withoutActuallyEscaping(second) { second in
                let pair = Pair(first: first, second: second)
                DispatchQueue.concurrentPerform(iterations: 2) { i in i == 0 ? pair.first() : pair.second() }
            }
        }
    }

    /// Two pieces of work that write apart, handed to two threads (`both` waits for both).
    private struct Pair: @unchecked Sendable {
        let first: () -> Void, second: () -> Void
    }

    /// C[m×n] = alpha · op(A) · op(B) + beta · C, all row-major.
    @inline(__always)
    static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double = 1,
        _ a: UnsafePointer<Double>, lda: Int, _ b: UnsafePointer<Double>, ldb: Int,
        beta: Double = 0, _ c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        if !configured { configure() }
        if recorded != nil {
            recorded!.append(
                BLASBenchmark.Product(
                    transA: transA, transB: transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, beta: beta,
                    c: c, ldc: ldc))
        }
        cblas_dgemm(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// out[j × rows] = A[rows × cols]ᵀ, A's rows `ld` apart (OpenBLAS's domatcopy; α = 1 copies
    /// every number exactly).
    static func transpose(
        rows: Int, cols: Int, _ a: UnsafePointer<Double>, ld: Int, into out: UnsafeMutablePointer<Double>
    ) {
        cblas_domatcopy(CblasRowMajor, CblasTrans, Int32(rows), Int32(cols), 1, a, Int32(ld), out, Int32(rows))
    }
}
