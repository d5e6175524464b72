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
        subcommands: [SweepStart.self, SweepShow.self, SweepExport.self, SweepCollect.self, SweepRunOne.self],
        defaultSubcommand: SweepStart.self)
}

struct SweepStart: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a sweep here (--out) or write a plan for a job runner (--plan).")
    @Argument(help: "The sweep file (TOML).") var file: String
    @Option(help: "The results database (SQLite), created or resumed.") var out: String?
    @Option(help: "Write DIR/commands.txt and DIR/slurm.sh instead of running.") var plan: String?
    @Option(help: "Worker processes at once (default: the number of cores divided by --threads).") var jobs: Int?
    @Option(help: "Also store each family every K steps (table series).") var seriesEvery: Int?
    @OptionGroup var threading: ThreadOptions

    /// The most series points (per family) one sweep may store.
    static let maxSeriesPoints = 100_000_000

    func validate() throws {
        if let jobs, !(1...1024).contains(jobs) { throw ValidationError("--jobs must be 1…1024, got \(jobs)") }
        if let seriesEvery, seriesEvery < 1 {
            throw ValidationError("--series-every must be at least 1, got \(seriesEvery)")
        }
        if (out == nil) == (plan == nil) {
            throw ValidationError("give --out FILE.sqlite (run here) or --plan DIR (write commands), one of them")
        }
    }

    func run() throws {
        let sweep: Sweep, runs: [SweepRun]
        do {
            sweep = try Sweep.load(file)
            runs = try sweep.runs()
        } catch { throw RunFailure("\(error)") }
        for message in Sweep.unusedSettings(runs) { warn("\(file): \(message)") }
        var seen = Set<String>()
        let unique = runs.filter { seen.insert($0.id).inserted }
        // Series points are a product too: runs × steps / K rows per family, refused before any run.
        if let seriesEvery {
            let points = unique.reduce(0.0) { $0 + Double($1.config.steps / seriesEvery + 1) }
            guard points <= Double(Self.maxSeriesPoints) else {
                throw RunFailure(
                    "--series-every \(seriesEvery) would store \(Int(points)) series points per family (\(unique.count) runs × their steps / \(seriesEvery)); at most \(Self.maxSeriesPoints): give a larger --series-every"
                )
            }
        }
        if let plan {
            let count: Int
            do {
                count = try SweepPlan.write(
                    unique, to: plan, binary: executablePath(), seriesEvery: seriesEvery, threads: threading.threads,
                    source: file)
            } catch {
                throw RunFailure("--plan \(error)")
            }
            print(
                """
                wrote \(count) commands to \(plan)/commands.txt and a Slurm array job to \(plan)/slurm.sh
                run them with `parallel\(threading.threads > 1 ? " -j 50%" : "") < \(plan)/commands.txt` or `sbatch \(plan)/slurm.sh`, then `noether sweep collect \(plan) --out results.sqlite`
                """)
            return
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        if let jobs, jobs * threading.threads > cores {
            warn(
                "--jobs \(jobs) × --threads \(threading.threads) is \(jobs * threading.threads) threads on \(cores) cores: they take turns"
            )
        }
        try LocalSweep(
            runs: unique, out: out!, file: file,
            jobs: jobs ?? max(1, cores / threading.threads),
            seriesEvery: seriesEvery, threads: threading.threads
        ).run()
    }
}
