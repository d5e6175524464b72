/// A plain square product through the same BLAS the simulator uses, so a benchmark can print
/// the machine's one-thread peak beside the simulator's achieved rate.
public enum BLASBenchmark {
    public static func multiply(_ a: [Double], _ b: [Double], _ c: inout [Double], _ n: Int) {
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    BLAS.gemm(
                        transA: false, transB: false, m: n, n: n, k: n, pa.baseAddress!, lda: n,
                        pb.baseAddress!, ldb: n, pc.baseAddress!, ldc: n)
                }
            }
        }
    }
}

extension BLASBenchmark {
    /// One product as `BLAS.gemm` was called: shapes and the memory it read and wrote.
    public struct Product {
        var transA: Bool, transB: Bool, m: Int, n: Int, k: Int
        var a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int, beta: Double
        var c: UnsafeMutablePointer<Double>, ldc: Int
        public var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
        /// "m×n×k" and which operands are transposed, as BLAS names them (n: as stored, t: transposed).
        public var shape: String { "\(m)×\(n)×\(k) \(transA ? "t" : "n")\(transB ? "t" : "n")" }
    }

    /// The products `body` makes, in order.
    public static func products(of body: () throws -> Void) rethrows -> [Product] {
        BLAS.recorded = []
        defer { BLAS.recorded = nil }
        try body()
        return BLAS.recorded!
    }

    /// GFLOP/s of the same products made again, alone, on the same memory (so each reads what it
    /// read in the step, from where the step left it), round after round for at least `seconds`
    /// of CPU time: the most a step of them could reach on this machine. The memory's owner must
    /// still hold it, and what the products write there is no longer the step's.
    public static func rate(of products: [Product], seconds: Double, clock: () -> Double) -> Double {
        let flops = products.reduce(0) { $0 + $1.flops }
        var rounds = 0
        let start = clock()
        repeat {
            for p in products {
                BLAS.gemm(
                    transA: p.transA, transB: p.transB, m: p.m, n: p.n, k: p.k, p.a, lda: p.lda, p.b, ldb: p.ldb,
                    beta: p.beta, p.c, ldc: p.ldc)
            }
            rounds += 1
        } while clock() - start < seconds
        return Double(rounds) * flops / (clock() - start) / 1e9
    }
}
