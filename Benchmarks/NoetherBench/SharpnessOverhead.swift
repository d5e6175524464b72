import Foundation
import NoetherCore

/// CPU seconds of this process so far: the machine is shared, and a measurement that waits for
/// the CPU is not slower for it; the simulator is one thread (BLAS included).
func processCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// What the sharpness meter costs (THEORY.md §16): each shipped preset that measures it runs as
/// its story runs it (its `[[at]]` intervals, forks and changes; the first `steps` steps, else all)
/// and again with `sharpness-every = 0`, which measures nothing; interleaved, best of five CPU
/// times each, and the ratio. Also the mean Hessian-vector products a measurement took.
func sharpnessOverhead(steps: Int?) throws {
    print(
        "# sharpness overhead: CPU seconds of this process, measured / unmeasured run of the same preset"
            + " (best of 5, interleaved), overhead, measurements, mean products each")
    for preset in PresetLibrary.all() where preset.config.sharpnessEvery > 0 {
        var measured = preset
        if let steps { measured.config.steps = min(steps, preset.config.steps) }
        measured.schedule = measured.schedule.filter { $0.step <= measured.config.steps }
        var plain = measured
        plain.config.sharpnessEvery = 0
        var readings = 0, products = 0
        func seconds(_ p: Preset) throws -> Double {
            let start = processCPUSeconds()
            let session = try Session(p)
            (readings, products) = (0, 0)
            func count(_ sim: Simulator?) {
                guard let r = sim?.sharpness, r.step == sim?.step else { return }
                readings += 1
                products += r.products
            }
            count(session.front)
            while session.step < p.config.steps {
                try session.advance()
                count(session.front)
                count(session.ghost)
            }
            return processCPUSeconds() - start
        }
        var best = (measured: Double.infinity, plain: Double.infinity)
        var counted = (readings: 0, products: 0)
        for _ in 0..<5 {
            best.plain = min(best.plain, try seconds(plain))
            best.measured = min(best.measured, try seconds(measured))
            counted = (readings, products)
        }
        let intervals = Set([preset.config.sharpnessEvery] + measured.schedule.compactMap(\.sharpnessEvery))
            .sorted().map(String.init).joined(separator: "/")
        print(
            String(
                format: "%@  every %@  %d steps  %.2f / %.2f s  %+.1f%%  %d measurements  %.1f products",
                preset.name, intervals, measured.config.steps, best.measured, best.plain,
                100 * (best.measured / best.plain - 1), counted.readings,
                Double(counted.products) / Double(max(1, counted.readings))))
    }
}
