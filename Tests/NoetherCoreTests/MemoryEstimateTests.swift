import Foundation
import NoetherCore
import Testing

/// Settings inside every documented range that together cannot be allocated are refused
/// during validation, with the estimate, instead of aborting in the allocator.
@Suite struct MemoryEstimateTests {
    static let machine: UInt64 = 24_000_000_000

    @Test func hugeDataSetIsRefusedWithTheEstimate() {
        let c = config {
            $0.samples = 1_000_000; $0.inputDim = 4096
        }
        #expect(throws: ConfigError.self) { try c.checkMemory(physicalMemory: Self.machine) }
        do { try c.checkMemory(physicalMemory: Self.machine) } catch {
            #expect(error.field == "samples")
            #expect(
                error.message.hasPrefix(
                    "this configuration needs about 33 GB of memory (the data set 33 GB); this machine has 24 GB"),
                "\(error.message)")
        }
    }

    @Test func hugeMinibatchIsRefusedByName() {
        let c = config {
            $0.width = 1024; $0.depth = 8; $0.batchSize = 1_000_000; $0.samples = 1_000_000
        }
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
        let e = MemoryEstimate(
            config {
                $0.samples = 1_000_000; $0.inputDim = 4096
            })
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

@Suite("Memory estimate of conv nets")
struct ConvMemoryEstimateTests {
    /// Wide conv blocks on the largest images an image CSV may declare are refused by the
    /// estimate, naming the batch, before anything is allocated.
    @Test func hugeConvActivationsAreRefused() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("noether-conv-\(UUID()).csv").path
        try "0,1\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let c = config {
            $0.data = .file(path); $0.imageShape = ImageShape(channels: 64, height: 1024, width: 1024)
            $0.conv = [256, 256]; $0.batchSize = 64
        }
        // At least the five maps a block holds per sample: 256 channels on 1024² and on 512².
        #expect(MemoryEstimate(c).activations >= 8 * 64 * 5 * 256 * (1024 * 1024 + 512 * 512))
        #expect { try c.checkMemory(physicalMemory: 24 << 30) } throws: { ($0 as? ConfigError)?.field == "batch-size" }
    }

    /// The conv blocks of vgg-mini fit easily, and add to the estimate.
    @Test func vggMiniFitsAndCounts() throws {
        let mlp = config { $0.data = .shapes }
        var conv = mlp
        conv.conv = [8, 16]
        #expect(MemoryEstimate(conv).activations > MemoryEstimate(mlp).activations)
        try conv.checkMemory(physicalMemory: 1 << 30)
    }
}
