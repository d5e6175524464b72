import ArgumentParser
import Foundation
import NoetherCore

/// The hidden worker: runs one configuration and writes its result file (RunResult.swift).
/// A result already at --out for the same configuration is kept, so a plan can be run again.
struct SweepRunOne: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-one", abstract: "Run one configuration of a sweep and write its result file.",
        shouldDisplay: false)
    @OptionGroup var options: ConfigOptions
    @Option(help: "The swept keys, comma-separated.") var axes = ""
    @Option(help: "Also record each family every K steps.") var seriesEvery: Int?
    @Option(help: "The result file (JSON).") var out: String
    @OptionGroup var threading: ThreadOptions

    func run() throws {
        let (config, _) = try options.resolve()
        if let existing = try? RunResult.read(out), existing.id == config.runID { return }
        threading.apply()
        let result: RunResult
        do {
            result = try RunSummary.run(
                config, axes: axes.split(separator: ",").map(String.init), seriesEvery: seriesEvery)
        } catch { throw RunFailure("\(error)", code: 1) }
        do { try result.write(to: out) } catch { throw RunFailure("\(error)", code: 1) }
    }
}
