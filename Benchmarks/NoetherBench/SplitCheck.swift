import CBLAS
import Foundation
import NoetherCore

/// Why products run on one thread (README, Speed): random products made whole on one OpenBLAS
/// thread, then (a) whole on two OpenBLAS threads and (b) split over the output's longer side into
/// two to four parts of whole multiples of `granule` rows or columns, each part a one-thread call
/// (parts above OpenBLAS's small-matrix bound, m·n·k > 10⁶). Prints how many products of each kind
/// give any entry other bits than the whole one-thread product.
func splitCheck(products count: Int, granules: [Int]) {
    var rng = Xoshiro256(seed: 5)
    var tried = 0, threaded = 0
    var split = Dictionary(uniqueKeysWithValues: granules.map { ($0, (tried: 0, differ: 0)) })
    for _ in 0..<count {
        let (m, n, k) = (8 + rng.below(900), 8 + rng.below(900), 1 + rng.below(900))
        let (ta, tb, parts) = (rng.below(2) == 1, rng.below(2) == 1, 2 + rng.below(3))
        let (lda, ldb) = (ta ? m : k, tb ? k : n)
        let a = (0..<((ta ? k : m) * lda)).map { _ in rng.normal() }
        let b = (0..<((tb ? n : k) * ldb)).map { _ in rng.normal() }
        /// Rows i0..<i1 and columns j0..<j1 of C = op(A)·op(B), written into `c` (n columns).
        func product(_ c: inout [Double], rows i0: Int, _ i1: Int, cols j0: Int, _ j1: Int) {
            c.withUnsafeMutableBufferPointer { c in
                cblas_dgemm(
                    CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, Int32(i1 - i0),
                    Int32(j1 - j0), Int32(k), 1, a.withUnsafeBufferPointer { $0.baseAddress! + (ta ? i0 : i0 * lda) },
                    Int32(lda), b.withUnsafeBufferPointer { $0.baseAddress! + (tb ? j0 * ldb : j0) }, Int32(ldb), 0,
                    c.baseAddress! + i0 * n + j0, Int32(n))
            }
        }
        var whole = [Double](repeating: 0, count: m * n)
        product(&whole, rows: 0, m, cols: 0, n)
        func differs(_ c: [Double]) -> Bool { zip(c, whole).contains { $0.bitPattern != $1.bitPattern } }
        if Double(m) * Double(n) * Double(k) > 2e6 {
            openblas_set_num_threads(2)
            var c = [Double](repeating: 0, count: m * n)
            product(&c, rows: 0, m, cols: 0, n)
            openblas_set_num_threads(1)
            tried += 1
            if differs(c) { threaded += 1 }
        }
        let columns = n >= m, length = max(m, n)
        for g in granules {
            let units = length / g
            guard units >= parts, Double(units / parts * g * min(m, n) * k) > 1e6 else { continue }
            var c = [Double](repeating: 0, count: m * n)
            for p in 0..<parts {
                let start = units * p / parts * g, end = p == parts - 1 ? length : units * (p + 1) / parts * g
                if columns {
                    product(&c, rows: 0, m, cols: start, end)
                } else {
                    product(&c, rows: start, end, cols: 0, n)
                }
            }
            split[g]!.tried += 1
            if differs(c) { split[g]!.differ += 1 }
        }
    }
    print("# of \(count) random products, how many give some entry other bits than the whole product on one thread:")
    print(
        "whole, two OpenBLAS threads: \(threaded) of \(tried) (those above 2·10⁶ multiply-adds, where it may use both)")
    for g in granules {
        print(
            "split over the output's longer side in 2-4 parts of multiples of \(g): \(split[g]!.differ) of \(split[g]!.tried)"
                + " (those whose parts all stay above 10⁶ multiply-adds)")
    }
}
