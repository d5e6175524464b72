import Foundation
import GRDB
import NoetherCore
import Testing

/// `noether sweep` through the binary: local workers and a GNU parallel run of the plan give the
/// same database row for row; a sweep resumes after an interruption, a killed worker, or a
/// killed sweep, without losing a finished run; bad input is refused before any run.
@Suite("Sweep end to end", .serialized)
struct SweepEndToEndTests {
    static let grid = """
        title = "tiny grid"
        width = 4
        samples = 64
        steps = 40
        [axes]
        lr = [0.05, 0.1]
        weight-decay = { from = 1e-3, to = 1e-2, count = 2, scale = "log" }
        seed = [1, 2]
        """

    /// Runs long enough (about half a second each in a debug build) to be caught mid-run.
    static let slow = """
        width = 16
        samples = 256
        steps = 1500
        [axes]
        seed = [1, 2, 3]
        """

    static func sweepFile(_ dir: TemporaryFolder, _ text: String) -> String {
        FileManager.default.createFile(atPath: dir("s.toml"), contents: Data(text.utf8))
        return dir("s.toml")
    }

    static func rows(_ path: String) throws -> [String: [Row]] {
        let db = try ResultsDatabase(path: path, readOnly: true)
        return try Dictionary(uniqueKeysWithValues: ["runs", "families", "series"].map { ($0, try db.rows($0)) })
    }

    static var hasParallel: Bool { shell("command -v parallel").status == 0 }

    @Test func localWorkersAndAGNUParallelPlanGiveTheSameDatabase() throws {
        let dir = TemporaryFolder()
        let file = Self.sweepFile(dir, Self.grid)
        let local = noether("sweep '\(file)' --out '\(dir("local.sqlite"))' --jobs 2 --series-every 10")
        #expect(local.status == 0, "\(local.output)")
        #expect(local.output.contains("8 of 8 runs are in"), "\(local.output)")
        #expect(!FileManager.default.fileExists(atPath: dir("local.sqlite.pending")), "the pending folder is removed")
        let again = noether("sweep '\(file)' --out '\(dir("local.sqlite"))' --series-every 10")
        #expect(again.status == 0 && again.output.contains("all 8 runs"), "\(again.output)")

        let plan = noether("sweep '\(file)' --plan '\(dir("plan"))' --series-every 10")
        #expect(plan.status == 0, "\(plan.output)")
        let commands = contents(dir("plan/commands.txt")).split(separator: "\n")
        #expect(commands.count == 8)
        #expect(commands.allSatisfy { $0.contains(" sweep run-one ") && $0.contains("/plan/results/") })
        let slurm = contents(dir("plan/slurm.sh"))
        #expect(slurm.contains("#SBATCH --array=1-8") && slurm.contains("${SLURM_ARRAY_TASK_ID}p"))
        // The Slurm script runs its task's line: task 3 without Slurm, as a node would.
        let task = shell("SLURM_ARRAY_TASK_ID=3 bash '\(dir("plan/slurm.sh"))'")
        #expect(task.status == 0, "\(task.output)")
        #expect(ResultFolder.files(in: dir("plan/results")).count == 1)

        let early = noether("sweep collect '\(dir("plan"))' --out '\(dir("part.sqlite"))'")
        #expect(early.status == 1 && early.output.contains("7 planned runs have no result yet: lines 1, 2, 4, 5, 6, 7, 8"), "\(early.output)")

        guard Self.hasParallel else {
            print("note: GNU parallel is not installed (scripts/install-deps installs it): the plan's parallel run is skipped")
            return
        }
        let ran = shell("cd '\(dir.path)' && parallel -j2 :::: plan/commands.txt")
        #expect(ran.status == 0, "\(ran.output)")
        let collected = noether("sweep collect '\(dir("plan"))' --out '\(dir("cluster.sqlite"))'")
        #expect(collected.status == 0 && collected.output.contains("8 of 8 planned runs"), "\(collected.output)")

        let a = try Self.rows(dir("local.sqlite")), b = try Self.rows(dir("cluster.sqlite"))
        #expect(a["runs"]?.count == 8 && a["families"]?.count == 8 * 5 && a["series"]?.count == 8 * 5 * 5)
        for table in ["runs", "families", "series"] { #expect(a[table] == b[table], "\(table) differ") }
    }

    /// Opt-in (NOETHER_TEST_SLURM=1, with a Slurm whose nodes see this folder): the plan's
    /// array job, submitted with sbatch, gives the rows a local sweep gives.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["NOETHER_TEST_SLURM"] == "1"))
    func aSlurmArrayJobGivesTheSameDatabase() throws {
        let dir = TemporaryFolder()
        let file = Self.sweepFile(dir, Self.grid)
        #expect(noether("sweep '\(file)' --out '\(dir("local.sqlite"))'").status == 0)
        #expect(noether("sweep '\(file)' --plan '\(dir("plan"))'").status == 0)
        let submitted = shell("sbatch --wait '\(dir("plan/slurm.sh"))'")
        #expect(submitted.status == 0, "\(submitted.output)")
        let collected = noether("sweep collect '\(dir("plan"))' --out '\(dir("slurm.sqlite"))'")
        #expect(collected.status == 0 && collected.output.contains("8 of 8 planned runs"), "\(collected.output)")
        let a = try Self.rows(dir("local.sqlite")), b = try Self.rows(dir("slurm.sqlite"))
        for table in ["runs", "families"] { #expect(a[table] == b[table], "\(table) differ") }
    }

    /// The sweep's worker processes, found by their parent.
    static func workers(of parent: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            let stat = contents("/proc/\(pid)/stat")
            guard let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == parent
        }
    }

    /// Starts a sweep, waits for its first worker, and hands both to `act`.
    static func interrupt(_ arguments: [String], _ act: (_ sweep: Process, _ worker: pid_t) -> Void) throws -> (status: Int32, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ExplorerEndToEndTests.binary)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = errors
        try process.run()
        var worker: pid_t?
        let deadline = Date().addingTimeInterval(60)
        while worker == nil, Date() < deadline {
            worker = workers(of: process.processIdentifier).first
            if worker == nil { usleep(10_000) }
        }
        try #require(worker != nil, "no worker started")
        act(process, worker!)
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    @Test func aKilledWorkerIsReportedAndTheOtherRunsAreKept() throws {
        let dir = TemporaryFolder()
        let file = Self.sweepFile(dir, Self.slow)
        let r = try Self.interrupt(["sweep", file, "--out", dir("r.sqlite"), "--jobs", "1"]) { _, worker in kill(worker, SIGKILL) }
        #expect(r.status == 1, "\(r.errors)")
        #expect(r.errors.contains("seed=1 ("), "\(r.errors)")
        #expect(r.errors.contains("failed: killed by signal 9"), "\(r.errors)")
        #expect(r.errors.contains("2 of 3 runs are in"), "\(r.errors)")
        #expect(try ResultsDatabase(path: dir("r.sqlite")).storedIDs().count == 2)
        let again = noether("sweep '\(file)' --out '\(dir("r.sqlite"))'")
        #expect(again.status == 0 && again.output.contains("2 of 3 runs are already in"), "\(again.output)")
        #expect(try ResultsDatabase(path: dir("r.sqlite")).storedIDs().count == 3)
    }

    @Test func aStoppedSweepSaysSoAndResumes() throws {
        let dir = TemporaryFolder()
        let file = Self.sweepFile(dir, Self.slow)
        let r = try Self.interrupt(["sweep", file, "--out", dir("r.sqlite"), "--jobs", "1"]) { sweep, _ in
            kill(sweep.processIdentifier, SIGTERM)
        }
        #expect(r.status == 128 + SIGTERM, "\(r.errors)")
        #expect(r.errors.contains("stopped by Terminated"), "\(r.errors)")
        #expect(!r.errors.contains("failed"), "a run stopped on purpose is not a failure: \(r.errors)")
        let again = noether("sweep '\(file)' --out '\(dir("r.sqlite"))'")
        #expect(again.status == 0 && again.output.contains("3 of 3 runs are in"), "\(again.output)")
    }

    @Test func aWorkerThatOutlivesAKilledSweepLosesNothing() throws {
        let dir = TemporaryFolder()
        let file = Self.sweepFile(dir, Self.slow)
        var orphan: pid_t = 0
        _ = try Self.interrupt(["sweep", file, "--out", dir("r.sqlite"), "--jobs", "1"]) { sweep, worker in
            orphan = worker
            kill(sweep.processIdentifier, SIGKILL)
        }
        while kill(orphan, 0) == 0 { usleep(20_000) }  // the worker finishes its run on its own
        #expect(ResultFolder.files(in: dir("r.sqlite.pending")).count == 1)
        let again = noether("sweep '\(file)' --out '\(dir("r.sqlite"))'")
        #expect(again.status == 0, "\(again.output)")
        #expect(again.output.contains("stored 1 results that the last sweep left in \(dir("r.sqlite.pending"))"), "\(again.output)")
        #expect(again.output.contains("1 of 3 runs are already in"), "\(again.output)")
    }

    /// A full disk (a 64 KiB tmpfs, mounted where root may) stops the sweep naming the database;
    /// the result that could not be stored waits and is stored once there is room.
    @Test func aFullDiskStopsTheSweepAndLosesNoFinishedRun() throws {
        let dir = TemporaryFolder()
        try FileManager.default.createDirectory(atPath: dir("disk"), withIntermediateDirectories: false)
        guard shell("mount -t tmpfs -o size=64k tmpfs '\(dir("disk"))'").status == 0 else {
            print("note: cannot mount a small tmpfs here (not root?): full-disk test skipped")
            return
        }
        defer { _ = shell("umount '\(dir("disk"))'") }
        let file = Self.sweepFile(dir, Self.grid)
        let full = noether("sweep '\(file)' --out '\(dir("disk/r.sqlite"))' --jobs 1 --series-every 1")
        #expect(full.status == 1)
        #expect(full.output.contains("noether: \(dir("disk/r.sqlite")): database or disk is full; the runs stored so far are kept"), "\(full.output)")
        let waiting = ResultFolder.files(in: dir("disk/r.sqlite.pending"))
        #expect(waiting.count == 1)
        #expect(shell("mount -o remount,size=8m '\(dir("disk"))'").status == 0)
        let again = noether("sweep '\(file)' --out '\(dir("disk/r.sqlite"))' --jobs 1 --series-every 1")
        #expect(again.status == 0 && again.output.contains("stored 1 results that the last sweep left"), "\(again.output)")
        #expect(try ResultsDatabase(path: dir("disk/r.sqlite")).storedIDs().count == 8)
    }

    @Test func badInputIsRefusedBeforeAnyRun() {
        let dir = TemporaryFolder()
        let file = Self.sweepFile(dir, Self.grid)
        let folder = noether("sweep '\(file)' --out '\(dir("missing/r.sqlite"))'")
        #expect(folder.status == 2)
        #expect(folder.output.contains("--out \(dir("missing/r.sqlite")): cannot create it: the folder \(dir("missing")) does not exist"), "\(folder.output)")
        let neither = noether("sweep '\(file)'")
        #expect(neither.status == 2 && neither.output.contains("give --out FILE.sqlite (run here) or --plan DIR"), "\(neither.output)")
        FileManager.default.createFile(atPath: dir("bad.toml"), contents: Data("steps = 5\n[axes]\nnorm = [\"batch\", \"instance\"]\n".utf8))
        let bad = noether("sweep '\(dir("bad.toml"))' --out '\(dir("r.sqlite"))'")
        #expect(bad.status == 2)
        #expect(bad.output == "noether: \(dir("bad.toml")):3: axis norm must be one of \"none\", \"batch\", \"layer\", \"group\", got \"instance\"\n")
        #expect(!FileManager.default.fileExists(atPath: dir("r.sqlite")), "nothing is created for a bad sweep")
    }

    @Test func showDrawsAHeatmapThatReadsWithoutColourAndWritesTheSameAsSVG() throws {
        let dir = TemporaryFolder()
        let file = Self.sweepFile(dir, Self.grid)
        #expect(noether("sweep '\(file)' --out '\(dir("r.sqlite"))'").status == 0)
        let shown = shell("NO_COLOR=1 LANG=C LC_ALL=C '\(ExplorerEndToEndTests.binary)' sweep show '\(dir("r.sqlite"))' --x lr --y weight-decay --value rms_angle_ratio --svg '\(dir("f.svg"))'")
        #expect(shown.status == 0, "\(shown.output)")
        let lines = shown.output.split(separator: "\n")
        #expect(lines.first == "rms_angle_ratio of fc1.scale  (x: lr, y: weight-decay; mean of up to 2 runs per cell)")
        let diagram = try ResultsDatabase(path: dir("r.sqlite"), readOnly: true)
            .phaseDiagram(x: "lr", y: "weight-decay", quantity: "rms_angle_ratio", family: nil)
        for value in diagram.cells.joined().compactMap(\.value) {
            #expect(shown.output.contains(PhaseDiagram.format(value)), "cell \(value) is printed")
        }
        let onlyASCII = shown.output.unicodeScalars.allSatisfy(\.isASCII)
        #expect(onlyASCII && !shown.output.contains("\u{1B}"), "\(shown.output)")
        #expect(lines.last?.hasPrefix("scale: . ") == true)
        #expect(contents(dir("f.svg")).hasPrefix("<svg"))
        let table = noether("sweep show '\(dir("r.sqlite"))' --x lr --y weight-decay --value final_loss --table")
        #expect(table.status == 0 && table.output.split(separator: "\n").count == 5, "\(table.output)")
        let unknown = noether("sweep show '\(dir("r.sqlite"))' --x lr --y momentun --value final_loss")
        #expect(unknown.status == 2 && unknown.output.contains("no key 'momentun'; the swept keys here: lr, weight_decay, seed"), "\(unknown.output)")
    }
}
