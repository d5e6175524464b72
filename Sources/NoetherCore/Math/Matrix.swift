import CBLAS

/// Dense products on row-major buffers through OpenBLAS, pinned to one thread: the
/// results are then bit-for-bit repeatable and the explorer keeps the other core.
public enum BLAS {
    nonisolated(unsafe) private static var configured = false
    /// When set, every product is appended (BLASBenchmark.products): a benchmark makes one step's
    /// products again, alone, to find the rate BLAS itself reaches on them.
    nonisolated(unsafe) static var recorded: [BLASBenchmark.Product]?

    public static func configure(threads: Int = 1) {
        openblas_set_num_threads(Int32(threads))
        configured = true
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
