import Foundation
import Testing
import TestTiers

private let torchInstalled = FileManager.default.isExecutableFile(
    atPath: ExplorerEndToEndTests.root.path + "/.build/torch-venv/bin/python")

/// scripts/torch-check: noether and PyTorch (float64) from the same parameters agree step for
/// step. Runs where PyTorch is installed (.build/torch-venv, which `scripts/test` installs
/// before the full suite); elsewhere it is skipped, and says so.
@Suite(
    "PyTorch cross-check", .serialized, .fullTierOnly,
    .enabled(if: torchInstalled, "PyTorch is not installed (scripts/torch-venv)"))
struct TorchCheckTests {
    static let root = ExplorerEndToEndTests.root.path

    static func check(_ arguments: String) -> (status: Int32, output: String) {
        shell("'\(root)/scripts/torch-check' --binary '\(ExplorerEndToEndTests.binary)' \(arguments)")
    }

    /// Every default case either agrees to 1e-12 in parameters and loss at every step, or is
    /// skipped because noether does not accept its options yet; the MLP cases run today.
    @Test func defaultCasesAgreeWithPyTorch() {
        let r = Self.check("")
        print(r.output)
        #expect(r.status == 0, "\(r.output)")
        let rows = r.output.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| case") }
        let ok = rows.filter { $0.contains(" | ok | ") }
        #expect(rows.count >= 15)
        #expect(ok.count >= 8, "\(rows.joined(separator: "\n"))")
        #expect(rows.allSatisfy { $0.contains(" | ok | ") || $0.contains(" | skipped (noether does not accept --") })
        // Residual networks (dense and conv) and group norm (dense and conv) run, and agree.
        let residual = rows.filter { $0.hasPrefix("| residual ") }, group = rows.filter { $0.contains("group norm") }
        #expect(residual.count == 4 && residual.allSatisfy { $0.contains(" | ok | ") }, "\(residual)")
        #expect(group.count == 3 && group.allSatisfy { $0.contains(" | ok | ") }, "\(group)")
        // SGD with Nesterov momentum: MLPs with and without weight decay and batch norm, and conv nets.
        let nesterov = rows.filter { $0.contains("nesterov") }
        #expect(nesterov.count == 7 && nesterov.allSatisfy { $0.contains(" | ok | ") }, "\(nesterov)")
        #expect(nesterov.filter { $0.hasPrefix("| conv ") }.count == 2, "\(nesterov)")
    }

    /// The check can fail: at a threshold no float64 computation meets, the same case fails,
    /// exits 1 and names the worst differences.
    @Test func aThresholdNoRunMeetsFails() {
        let r = Self.check("--threshold 1e-300 -- --samples 32 --steps 5 --width 8")
        #expect(r.status == 1, "\(r.output)")
        #expect(r.output.contains("| command line | **FAIL**"))
        #expect(r.output.contains("1 cases, 1 over the threshold or failed"))
    }

    /// An option noether does not know is named; on the command line that is an error, not a skip.
    @Test func unknownOptionsAreNamed() {
        let r = Self.check("-- --steps 5 --no-such-option 3")
        #expect(r.status == 2, "\(r.output)")
        #expect(r.output.contains("noether does not accept --no-such-option"))
    }
}
