import Foundation
import Testing

private let torchInstalled = FileManager.default.isExecutableFile(
    atPath: ExplorerEndToEndTests.root.path + "/.build/torch-venv/bin/python")

/// scripts/torch-sharpness: noether's sharpness (THEORY.md §16) and the two largest eigenvalues of
/// PyTorch's exact float64 Hessian agree on MLPs and conv nets of every normalization. Runs where
/// PyTorch is installed (.build/torch-venv); elsewhere it is skipped, and says so.
@Suite("PyTorch sharpness cross-check", .serialized,
       .enabled(if: torchInstalled, "PyTorch is not installed (scripts/torch-venv)"))
struct TorchSharpnessTests {
    static func check(_ arguments: String) -> (status: Int32, output: String) {
        shell("'\(TorchCheckTests.root)/scripts/torch-sharpness' --binary '\(ExplorerEndToEndTests.binary)' \(arguments)")
    }

    /// Every default case agrees to 1e-6 relative in λ₁ and λ₂ at steps 0 and 30.
    @Test func defaultCasesAgreeWithPyTorch() {
        let r = Self.check("")
        print(r.output)
        #expect(r.status == 0, "\(r.output)")
        let rows = r.output.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| case") }
        #expect(rows.count == 10)
        for norm in ["no norm", "batch norm", "layer norm"] {
            #expect(rows.contains { $0.hasPrefix("| mlp") && $0.contains(norm) && $0.contains(" | ok | ") })
            #expect(rows.contains { $0.hasPrefix("| conv") && $0.contains(norm) && $0.contains(" | ok | ") })
        }
        #expect(rows.allSatisfy { $0.contains(" | ok | 2 | ") }, "\(rows.joined(separator: "\n"))")
    }

    /// The check can fail: at a threshold no float64 computation meets, it exits 1.
    @Test func aThresholdNoRunMeetsFails() {
        let r = Self.check("--threshold 1e-300 -- --samples 32 --steps 2 --width 4 --arch tanh --norm none")
        #expect(r.status == 1, "\(r.output)")
        #expect(r.output.contains("| command line | **FAIL**"))
    }
}
