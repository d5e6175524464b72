import Foundation
import NoetherCore
import Testing

/// Settings inside every documented range that together cannot be allocated are refused
/// during validation, with the estimate, instead of aborting in the allocator.
@Suite struct MemoryEstimateTests {
    static let machine: UInt64 = 24_000_000_000

    @Test func hugeDataSetIsRefusedWithTheEstimate() {
        let c = config { $0.samples = 1_000_000; $0.inputDim = 4096 }
        #expect(throws: ConfigError.self) { try c.checkMemory(physicalMemory: Self.machine) }
        do { try c.checkMemory(physicalMemory: Self.machine) } catch {
            #expect(error.field == "samples")
            #expect(error.message.hasPrefix("this configuration needs about 33 GB of memory (the data set 33 GB); this machine has 24 GB"), "\(error.message)")
        }
    }

    @Test func hugeMinibatchIsRefusedByName() {
        let c = config { $0.width = 1024; $0.depth = 8; $0.batchSize = 1_000_000; $0.samples = 1_000_000 }
        do {
            try c.checkMemory(physicalMemory: Self.machine)
            Issue.record("a 10^6 batch through 8 × 1024 was accepted")
        } catch {
            #expect(error.field == "batch-size")
            #expect(error.message.contains("one minibatch's activations"))
        }
    }

    /// The estimate counts what the simulator allocates: the data set of 10^6 × 4096 doubles alone is 32.8 GB.
    @Test func estimateCountsTheDataSet() {
        let e = MemoryEstimate(config { $0.samples = 1_000_000; $0.inputDim = 4096 })
        #expect(e.data >= 1_000_000 * 4096 * 8)
        #expect(e.data < 1_000_000 * 4200 * 8)
    }

    /// Everything shipped fits a small machine: the check refuses only what cannot run.
    @Test func defaultAndShippedPresetsFitFourGigabytes() throws {
        try Config().checkMemory(physicalMemory: 4_000_000_000)
        let presets = try PresetLibrary.all()
        #expect(presets.count > 1)
        for p in presets { try p.config.checkMemory(physicalMemory: 4_000_000_000) }
    }
}
