import Foundation
import Testing

/// `--threads 2` through the binary: a headless run whose dense layers make their backward
/// products at once (512 × 512 weights, batch 256) writes the same bytes as on one thread; a
/// sweep passes the threads to each worker and asks Slurm for as many cores; other counts are
/// refused by name.
@Suite("Threads end to end", .serialized)
struct ThreadsEndToEndTests {
    @Test func aHeadlessRunOnTwoThreadsWritesTheBytesOfOne() {
        let dir = TemporaryFolder()
        let model = "--width 512 --depth 3 --batch-size 256 --norm batch --momentum 0.9 --steps 6 --detail neurons"
        for threads in [1, 2] {
            let run = noether("run \(model) --threads \(threads) --out '\(dir("t\(threads).csv"))'")
            #expect(run.status == 0, "\(run.output)")
        }
        let (one, two) = (contents(dir("t1.csv")), contents(dir("t2.csv")))
        #expect(one.count > 100_000, "every neuron's charges of 7 steps")
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
        let local = noether("sweep '\(dir("s.toml"))' --out '\(dir("r.sqlite"))' --threads 2")
        #expect(local.status == 0 && local.output.contains("2 of 2 runs are in"), "\(local.output)")
    }

    @Test(arguments: [
        ("run --threads 0", "got 0"), ("run --threads 3", "got 3"),
        ("sweep run s.toml --out r.sqlite --threads=-1", "got -1"),
    ])
    func otherThreadCountsAreRefused(_ args: String, _ got: String) {
        let run = noether(args)
        #expect(run.status == 2, "\(run.output)")
        #expect(
            run.output
                == "noether: --threads must be 1 or 2 (a dense layer's backward pass has two products that can run at once), \(got)\n",
            "\(run.output)")
    }

    @Test func theExplorerRefusesThreads() {
        let run = noether("replay any.toml --threads 2")
        #expect(run.status == 2)
        #expect(run.output == "noether: --threads applies to --headless replays; the explorer runs on one thread\n")
    }
}
