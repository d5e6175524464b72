import Foundation
import Synchronization
import Testing

@testable import NoetherCore

/// `--threads 2`: BLAS.both hands two pieces of work to two threads at once when each is large
/// enough, and runs them one after the other otherwise.
@Suite("Paired products")
struct PairedProductsTests {
    /// What each piece saw: its own start, and whether the other one had started.
    final class Handshake: Sendable {
        let firstStarted = Atomic<Bool>(false), secondStarted = Atomic<Bool>(false)
        let firstSawSecond = Atomic<Bool>(false), secondSawFirst = Atomic<Bool>(false)
    }

    /// Each piece says it started, then waits (up to `patience` seconds) for the other to start:
    /// only two threads at once let both see the other.
    static func bothSeeEachOther(work: Double, threads: Int, patience: Double) -> (first: Bool, second: Bool) {
        let h = Handshake()
        func otherStarts(_ other: borrowing Atomic<Bool>) -> Bool {
            let end = Date().addingTimeInterval(patience)
            while !other.load(ordering: .acquiring) { if Date() > end { return false } }
            return true
        }
        BLAS.both(work: work, threads: threads) {
            h.firstStarted.store(true, ordering: .releasing)
            h.firstSawSecond.store(otherStarts(h.secondStarted), ordering: .relaxed)
        } _: {
            h.secondStarted.store(true, ordering: .releasing)
            h.secondSawFirst.store(otherStarts(h.firstStarted), ordering: .relaxed)
        }
        return (h.firstSawSecond.load(ordering: .relaxed), h.secondSawFirst.load(ordering: .relaxed))
    }

    @Test func twoLargeProductsRunAtOnceOnTwoThreads() {
        let r = Self.bothSeeEachOther(work: BLAS.pairedWork, threads: 2, patience: 10)
        #expect(r.first && r.second)
    }

    @Test func smallProductsOrOneThreadRunOneAfterTheOther() {
        // The first piece waits in vain for the second, which starts only after it.
        let small = Self.bothSeeEachOther(work: BLAS.pairedWork - 1, threads: 2, patience: 0.3)
        #expect(!small.first && small.second)
        let one = Self.bothSeeEachOther(work: 1e9, threads: 1, patience: 0.3)
        #expect(!one.first && one.second)
    }
}
