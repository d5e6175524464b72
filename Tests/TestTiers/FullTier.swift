import Foundation
import Testing

extension Trait where Self == ConditionTrait {
    /// Suites that `scripts/test --fast` (NOETHER_FAST=1) leaves out: they drive the real binary in
    /// tmux, play presets to their end, generate thousands of bad inputs, or need PyTorch or Slurm.
    /// The full suite, which CI runs, has them all.
    public static var fullTierOnly: Self {
        .disabled(if: ProcessInfo.processInfo.environment["NOETHER_FAST"] == "1", "left out of scripts/test --fast")
    }
}
