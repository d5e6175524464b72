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
