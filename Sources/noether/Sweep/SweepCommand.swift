import ArgumentParser
import Foundation
import NoetherCore

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a sweep file's grid of configurations into an SQLite database, here or on a cluster.",
        discussion: """
            `noether sweep FILE --out results.sqlite` runs every configuration of FILE with --jobs \
            worker processes and stores each finished run at once; run it again after an interruption \
            and it runs only what is missing. `--plan DIR` writes DIR/commands.txt (one command per run) \
            and DIR/slurm.sh for any job runner; `noether sweep collect DIR --out results.sqlite` gathers \
            their results. `noether sweep show` draws a phase diagram. README "Sweeps" has the file format.
            """,
        subcommands: [SweepStart.self, SweepShow.self, SweepCollect.self, SweepRunOne.self],
        defaultSubcommand: SweepStart.self)
}

struct SweepStart: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a sweep here (--out) or write a plan for a job runner (--plan).")
    @Argument(help: "The sweep file (TOML).") var file: String
    @Option(help: "The results database (SQLite), created or resumed.") var out: String?
    @Option(help: "Write DIR/commands.txt and DIR/slurm.sh instead of running.") var plan: String?
    @Option(help: "Worker processes at once (default: the number of cores).") var jobs: Int?
    @Option(help: "Also store each family every K steps (table series).") var seriesEvery: Int?

    func validate() throws {
        if let jobs, !(1...1024).contains(jobs) { throw ValidationError("--jobs must be 1…1024, got \(jobs)") }
        if let seriesEvery, seriesEvery < 1 { throw ValidationError("--series-every must be at least 1, got \(seriesEvery)") }
        if (out == nil) == (plan == nil) { throw ValidationError("give --out FILE.sqlite (run here) or --plan DIR (write commands), one of them") }
    }

    func run() throws {
        let sweep: Sweep, runs: [SweepRun]
        do {
            sweep = try Sweep.load(file)
            runs = try sweep.runs()
        } catch { throw RunFailure("\(error)") }
        var seen = Set<String>()
        let unique = runs.filter { seen.insert($0.id).inserted }
        if let plan {
            let count: Int
            do { count = try SweepPlan.write(unique, to: plan, binary: executablePath(), seriesEvery: seriesEvery, source: file) } catch {
                throw RunFailure("--plan \(error)")
            }
            print("""
                wrote \(count) commands to \(plan)/commands.txt and a Slurm array job to \(plan)/slurm.sh
                run them with `parallel < \(plan)/commands.txt` or `sbatch \(plan)/slurm.sh`, then `noether sweep collect \(plan) --out results.sqlite`
                """)
            return
        }
        try LocalSweep(runs: unique, out: out!, file: file, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount,
                       seriesEvery: seriesEvery).run()
    }
}

/// The hidden worker: runs one configuration and writes its result file (RunResult.swift).
/// A result already at --out for the same configuration is kept, so a plan can be run again.
struct SweepRunOne: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-one", abstract: "Run one configuration of a sweep and write its result file.", shouldDisplay: false)
    @OptionGroup var options: ConfigOptions
    @Option(help: "The swept keys, comma-separated.") var axes = ""
    @Option(help: "Also record each family every K steps.") var seriesEvery: Int?
    @Option(help: "The result file (JSON).") var out: String

    func run() throws {
        let (config, _) = try options.resolve()
        if let existing = try? RunResult.read(out), existing.id == config.runID { return }
        let result: RunResult
        do {
            result = try RunSummary.run(config, axes: axes.split(separator: ",").map(String.init), seriesEvery: seriesEvery)
        } catch { throw RunFailure("\(error)", code: 1) }
        do { try result.write(to: out) } catch { throw RunFailure("\(error)", code: 1) }
    }
}

struct SweepCollect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect", abstract: "Gather the result files of a plan (--plan DIR) into a results database.")
    @Argument(help: "The plan folder.") var folder: String
    @Option(help: "The results database (SQLite), created or added to.") var out: String

    func run() throws {
        do {
            let planned = try SweepPlan.plannedIDs(in: folder)
            let database = try ResultsDatabase(path: out)
            let gathered = try ResultFolder.gather(folder + "/results", into: database, removing: false)
            for problem in gathered.unreadable { FileHandle.standardError.write(Data("noether: skipped \(problem)\n".utf8)) }
            let stored = try database.storedIDs()
            let missing = planned.enumerated().filter { !stored.contains($0.element) }.map { $0.offset + 1 }
            print("collected \(gathered.stored) runs into \(out) (\(gathered.alreadyThere) were there already); \(planned.count - missing.count) of \(planned.count) planned runs are in it")
            if !missing.isEmpty {
                let lines = missing.prefix(20).map(String.init).joined(separator: ", ") + (missing.count > 20 ? ", …" : "")
                throw RunFailure("\(missing.count) planned runs have no result yet: lines \(lines) of \(folder)/commands.txt (not run, still running, or failed: see \(folder)/logs); run them and collect again", code: 1)
            }
        } catch let error as OutputError { throw RunFailure("\(error)", code: 1) }
    }
}
