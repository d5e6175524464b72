import Foundation
import NoetherCore

/// What the sharpness meter costs (THEORY.md §16): each shipped preset that measures it runs its
/// first `steps` updates with its own `sharpness-every` and again without measuring, interleaved,
/// best of three each, and prints the time ratio.
func sharpnessOverhead(steps: Int) throws {
    print("# sharpness overhead: preset, interval, seconds measured / unmeasured (best of 3, interleaved), overhead")
    for preset in PresetLibrary.all() where preset.config.sharpnessEvery > 0 {
        var measured = preset.config
        measured.steps = min(steps, measured.steps)
        var plain = measured
        plain.sharpnessEvery = 0
        func seconds(_ c: Config) throws -> Double {
            let start = now()
            let sim = try Simulator(c)
            for _ in 0..<c.steps { try sim.advance() }
            return now() - start
        }
        var best = (measured: Double.infinity, plain: Double.infinity)
        for _ in 0..<3 {
            best.plain = min(best.plain, try seconds(plain))
            best.measured = min(best.measured, try seconds(measured))
        }
        print(String(format: "%@  every %d  %.2f / %.2f s  %+.1f%%", preset.name, measured.sharpnessEvery, best.measured,
                     best.plain, 100 * (best.measured / best.plain - 1)))
    }
}
