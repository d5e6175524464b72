import Foundation
import Testing

/// `--threads 2` through the binary: headless runs whose products go two at a time write the
/// same bytes as on one thread; a sweep passes the threads to each worker and asks Slurm for as
/// many cores; other counts are refused by name.
@Suite("Threads end to end", .serialized)
struct ThreadsEndToEndTests {
    /// A dense net whose layers pair their backward products (512 × 512 × 256), and a conv net
    /// whose second layer runs its halves of the batch and its two gradients at once (16
    /// channels of 16 × 16 maps, batch 64); 6 steps of every neuron's charges each.
    @Test(arguments: [
        "--width 512 --depth 3 --batch-size 256 --norm batch --momentum 0.9",
        "--conv 16,16 --data shapes --batch-size 64 --momentum 0.9 --weight-decay 5e-4",
    ])
    func aHeadlessRunOnTwoThreadsWritesTheBytesOfOne(_ model: String) {
        let dir = TemporaryFolder()
        for threads in [1, 2] {
            let run = noether(
                "run \(model) --steps 6 --detail neurons --threads \(threads) --out '\(dir("t\(threads).csv"))'")
            #expect(run.status == 0, "\(run.output)")
        }
        let (one, two) = (contents(dir("t1.csv")), contents(dir("t2.csv")))
        #expect(one.count > 10_000, "every neuron's charges of 7 steps")
        #expect(one == two)
    }

    @Test func aSweepGivesItsWorkersTheThreadsAndAsksSlurmForThem() {
        let dir = TemporaryFolder()
        FileManager.default.createFile(
            atPath: dir("s.toml"), contents: Data("width = 4\nsamples = 64\nsteps = 5\n[axes]\nseed = [1, 2]\n".utf8))
        let plan = noether("sweep '\(dir("s.toml"))' --plan '\(dir("plan"))' --threads 2")
        #expect(plan.status == 0, "\(plan.output)")
        let commands = contents(dir("plan/commands.txt")).split(separator: "\n")
        #expect(commands.count == 2 && commands.allSatisfy { $0.contains(" --threads=2 ") }, "\(commands)")
        #expect(contents(dir("plan/slurm.sh")).contains("#SBATCH --cpus-per-task=2"))
        #expect(plan.output.contains("parallel -j 50% <"), "half as many jobs as cores: \(plan.output)")
        let local = noether("sweep '\(dir("s.toml"))' --out '\(dir("r.sqlite"))' --threads 2")
        #expect(local.status == 0 && local.output.contains("2 of 2 runs are in"), "\(local.output)")
        #expect(!local.output.contains("warning"), "\(local.output)")
        let crowded = noether("sweep '\(dir("s.toml"))' --out '\(dir("c.sqlite"))' --threads 2 --jobs 1024")
        #expect(crowded.status == 0, "\(crowded.output)")
        #expect(crowded.output.contains("warning: --jobs 1024 × --threads 2 is 2048 threads on"), "\(crowded.output)")
    }

    @Test(arguments: [
        ("run --threads 0", "0"), ("run --threads 3", "3"), ("run --threads abc", "abc"),
        ("sweep run s.toml --out r.sqlite --threads=-1", "-1"),
    ])
    func otherThreadCountsAreRefused(_ args: String, _ value: String) {
        let run = noether(args)
        #expect(run.status == 2, "\(run.output)")
        #expect(
            run.output
                == "noether: The value '\(value)' is invalid for '--threads <threads>': allowed: 1, or 2 (independent products go at most two at a time)\n",
            "\(run.output)")
    }

    @Test func theExplorerRefusesThreads() {
        let run = noether("replay any.toml --threads 2")
        #expect(run.status == 2)
        #expect(run.output == "noether: --threads applies to --headless replays; the explorer runs on one thread\n")
    }
}
