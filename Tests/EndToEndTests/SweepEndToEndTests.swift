import Foundation
import GRDB
import NoetherCore
import Testing
import TestTiers

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
        #expect(
            early.status == 1 && early.output.contains("7 planned runs have no result yet: lines 1, 2, 4, 5, 6, 7, 8"),
            "\(early.output)")

        guard Self.hasParallel else {
            print(
                "note: GNU parallel is not installed (scripts/install-deps installs it): the plan's parallel run is skipped"
            )
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

    static let line = """
        width = 4
        samples = 64
        steps = 40
        [axes]
        lr = { from = 0.025, to = 0.1, count = 3, scale = "log" }
        seed = [1, 2, 3]
        """

    /// "0.1028 ± 0.0016" → (0.1028, 0.0016, 4 decimals).
    static func meanAndSpread(_ text: String) -> (mean: Double, spread: Double, decimals: Int)? {
        let parts = text.components(separatedBy: " ± ")
        guard parts.count == 2, let m = Double(parts[0]), let e = Double(parts[1]) else { return nil }
        return (m, e, parts[0].contains(".") ? parts[0].components(separatedBy: ".")[1].count : 0)
    }

    @Test func showDrawsALineOverOneKeyAndItsScriptReproducesTheTable() throws {
        let dir = TemporaryFolder()
        let file = Self.sweepFile(dir, Self.line)
        #expect(noether("sweep '\(file)' --out '\(dir("r.sqlite"))'").status == 0)
        let shown = noether(
            "sweep show '\(dir("r.sqlite"))' --value gap_ratio --svg '\(dir("f.svg"))' --script '\(dir("f.py"))'")
        #expect(shown.status == 0, "\(shown.output)")
        #expect(
            shown.output.contains("noether: family fc1.scale: the first scale family (--family picks another)"),
            "\(shown.output)")
        let svg = contents(dir("f.svg"))
        #expect(svg.components(separatedBy: "class=\"point\"").count - 1 == 3, "one marker per η")
        #expect(svg.components(separatedBy: "class=\"errorbar\"").count - 1 == 3)
        #expect(svg.contains(">Γ/Q₀ of fc1.scale against η<") && svg.contains(">η  (log scale)<"), "\(svg)")
        #expect(svg.contains("n = 3 runs per point"))
        let table = shown.output.split(separator: "\n").filter { $0.first?.isNumber == true }
        #expect(table.count == 3, "\(shown.output)")
        let script = contents(dir("f.py"))
        #expect(script.contains("import matplotlib") && script.contains("pd.read_sql_query(QUERY"))
        let venv = shell("'\(ExplorerEndToEndTests.root.path)/scripts/plot-venv' 2>&1")
        guard venv.status == 0, let python = venv.output.split(separator: "\n").last else {
            print(
                "note: pandas and matplotlib could not be installed (scripts/plot-venv): the --script run is skipped: \(venv.output)"
            )
            return
        }
        let ran = shell("'\(python)' '\(dir("f.py"))' '\(dir("f.pdf"))'", mergeErrors: false)
        #expect(ran.status == 0, "\(ran.output)")
        #expect(
            FileManager.default.contents(atPath: dir("f.pdf"))?.prefix(4) == Data("%PDF".utf8),
            "the script draws the figure")
        let points = ran.output.split(separator: "\n").dropFirst().map {
            $0.split(separator: ",", omittingEmptySubsequences: false)
        }
        #expect(points.count == table.count)
        for (row, point) in zip(table, points) {
            let fields = row.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                !$0.isEmpty
            }
            let shown = try #require(Self.meanAndSpread(fields[1]), "\(row)")
            let mean = try #require(Double(point[2])), error = try #require(Double(point[3]))
            let half = 0.5 * pow(10, -Double(shown.decimals)) * (1 + 1e-9)
            #expect(fields[0] == String(point[0]) || Double(fields[0]) == Double(point[0]), "same η: \(row) | \(point)")
            #expect(abs(mean - shown.mean) <= half && abs(error - shown.spread) <= half, "\(row) | \(point)")
            #expect(fields[2] == String(point[4]), "same n")
        }
    }

    @Test func showChoosesAHeatmapForTwoKeysLinesWithByAndCurvesFromTheSeries() throws {
        let dir = TemporaryFolder()
        let file = Self.sweepFile(dir, Self.grid)
        #expect(noether("sweep '\(file)' --out '\(dir("r.sqlite"))' --series-every 10").status == 0)
        let heat = noether("sweep show '\(dir("r.sqlite"))' --value rms_angle_ratio --svg '\(dir("h.svg"))'")
        #expect(
            heat.status == 0 && heat.output.contains("(x: lr, y: weight_decay; mean of up to 2 runs per cell)"),
            "\(heat.output)")
        #expect(contents(dir("h.svg")).components(separatedBy: "class=\"cell\"").count - 1 == 4)
        let by = noether(
            "sweep show '\(dir("r.sqlite"))' --value rms_angle --by weight-decay --svg '\(dir("l.svg"))' --error std")
        #expect(by.status == 0, "\(by.output)")
        let lines = contents(dir("l.svg"))
        #expect(
            lines.components(separatedBy: "class=\"point\"").count - 1 == 4 && lines.contains(">λ = 0.001<")
                && lines.contains(">λ = 0.01<"))
        #expect(lines.components(separatedBy: "class=\"theory\"").count - 1 == 2, "the predicted angle for each λ")
        let curves = noether(
            "sweep show '\(dir("r.sqlite"))' --curves --value median_charge --family fc1.scale --by lr --at weight-decay=0.001 --svg '\(dir("c.svg"))'"
        )
        #expect(curves.status == 0 && curves.output.contains("η = 0.05: 5 points"), "\(curves.output)")
        let c = contents(dir("c.svg"))
        #expect(
            c.components(separatedBy: "class=\"band\"").count - 1 == 2
                && c.components(separatedBy: "class=\"theory\"").count - 1 == 6)
        #expect(c.contains(">t = ηk<") && c.contains(">exact (★)<") && c.contains(">η = 0.05<"))
        try Self.curvesTableAndScriptAgree(dir)
        let mixed = noether("sweep show '\(dir("r.sqlite"))' --curves --value median_charge --by seed")
        #expect(
            mixed.status == 2
                && mixed.output.contains("lr takes 2 values here (0.05, 0.1): pick one with --at lr=VALUE"),
            "\(mixed.output)")
        let one = noether(
            "sweep show '\(dir("r.sqlite"))' --curves --value median_charge --by lr --at weight-decay=0.01")
        #expect(one.status == 0 && one.output.contains("η = 0.1: 5 points"), "\(one.output)")
        let bad = noether(
            "sweep show '\(dir("r.sqlite"))' --value rms_angle --by weight-decay --theory 'sqrt(lr*beta)'")
        #expect(
            bad.status == 2
                && bad.output.contains(
                    "--theory \"sqrt(lr*beta)\": unknown name 'beta'; the expression can use lr, weight_decay"),
            "\(bad.output)")
        // Export: one row per run, and one per run, step and family.
        #expect(noether("sweep export '\(dir("r.sqlite"))' --csv '\(dir("runs.csv"))'").status == 0)
        let runs = contents(dir("runs.csv")).split(separator: "\n")
        #expect(runs.count == 9 && runs[0].hasPrefix("id,status,steps,time,final_loss,mean_loss,"))
        #expect(runs[0].contains(",sharpness_ratio,lr,weight_decay,seed,"), "the swept keys follow the run's results")
        #expect(noether("sweep export '\(dir("r.sqlite"))' --csv '\(dir("series.csv"))' --series").status == 0)
        let series = contents(dir("series.csv")).split(separator: "\n")
        #expect(
            series.count == 1 + 8 * 5 * 5
                && series[0].hasPrefix("run_id,lr,weight_decay,seed,step,time,family,loss,median_charge"))
        // PDF and PNG through rsvg-convert, or a message saying it is missing.
        let converted = noether(
            "sweep show '\(dir("r.sqlite"))' --value final_loss --pdf '\(dir("f.pdf"))' --png '\(dir("f.png"))'")
        if shell("command -v rsvg-convert").status == 0 {
            #expect(converted.status == 0, "\(converted.output)")
            #expect(
                FileManager.default.contents(atPath: dir("f.pdf"))?.prefix(4) == Data("%PDF".utf8)
                    && FileManager.default.contents(atPath: dir("f.png"))?.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
        } else {
            print(
                "note: rsvg-convert is not installed (apt-get install librsvg2-bin): only the message for --pdf is checked"
            )
        }
        let none = shell(
            "PATH=/nonexistent '\(ExplorerEndToEndTests.binary)' sweep show '\(dir("r.sqlite"))' --value final_loss --pdf '\(dir("g.pdf"))'"
        )
        #expect(
            none.status == 1
                && none.output.contains("--pdf need rsvg-convert to convert the SVG figure, and it is not installed"),
            "\(none.output)")
    }

    /// `--curves --table` prints every curve's points with the theory's values, and the
    /// `--curves --script` script prints the same points from the database.
    static func curvesTableAndScriptAgree(_ dir: TemporaryFolder) throws {
        let shown = noether(
            "sweep show '\(dir("r.sqlite"))' --curves --value median_charge --family fc1.scale --by lr --at weight-decay=0.001 --table --script '\(dir("c.py"))'"
        )
        #expect(shown.status == 0, "\(shown.output)")
        func fields(_ line: Substring) -> [String] {
            line.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let lines = shown.output.split(separator: "\n")
        #expect(
            lines.first.map(fields)
                == [
                    "lr", "t", "median_charge of fc1.scale (mean ± sem)", "n", "predicted_median", "reference_median",
                    "continuum_median",
                ],
            "\(shown.output)")
        let table = lines.dropFirst().map(fields)
        #expect(table.count == 2 * 5, "two curves of five points: \(shown.output)")
        #expect(table.allSatisfy { $0.count == 7 && $0[3] == "2" }, "n = 2 seeds everywhere")
        let venv = shell("'\(ExplorerEndToEndTests.root.path)/scripts/plot-venv' 2>&1")
        guard venv.status == 0, let python = venv.output.split(separator: "\n").last else {
            print(
                "note: pandas and matplotlib could not be installed (scripts/plot-venv): the --curves script is not run"
            )
            return
        }
        let ran = shell("'\(python)' '\(dir("c.py"))' '\(dir("c.pdf"))'", mergeErrors: false)
        #expect(ran.status == 0, "\(ran.output)")
        #expect(FileManager.default.contents(atPath: dir("c.pdf"))?.prefix(4) == Data("%PDF".utf8))
        let csv = ran.output.split(separator: "\n")
        #expect(csv.first == "by,x,mean,error,n,predicted_median,reference_median,continuum_median")
        let points = csv.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(points.count == table.count)
        for (row, point) in zip(table, points) {
            let shown = try #require(Self.meanAndSpread(row[2]), "\(row)")
            let numbers = point.compactMap(Double.init)
            #expect(numbers.count == 8, "\(point)")
            guard numbers.count == 8 else { continue }
            let half = 0.5 * pow(10, -Double(shown.decimals)) * (1 + 1e-9)
            #expect(Double(row[0]) == numbers[0] && Double(row[1]) == numbers[1], "same η and t: \(row) | \(point)")
            #expect(abs(numbers[2] - shown.mean) <= half && abs(numbers[3] - shown.spread) <= half, "\(row) | \(point)")
            #expect(row[3] == point[4], "same n")
            for k in 0..<3 {
                // Four significant digits: within half a unit of the fourth.
                let printed = try #require(Double(row[4 + k]))
                #expect(abs(numbers[5 + k] - printed) <= 5e-4 * abs(numbers[5 + k]), "theory \(k): \(row) | \(point)")
            }
        }
    }

    @Test func aHeadlessRunDrawsOneChartWithItsTheory() {
        let dir = TemporaryFolder()
        let r = noether(
            "run --width 4 --samples 64 --steps 60 --every 5 --out '\(dir("o.jsonl"))' --svg '\(dir("c.svg"))' --plot charge --family fc2.scale"
        )
        #expect(r.status == 0, "\(r.output)")
        let svg = contents(dir("c.svg"))
        #expect(
            svg.contains(">median Q of fc2.scale against step k<")
                && svg.components(separatedBy: "class=\"theory\"").count - 1 == 3)
        #expect(contents(dir("o.jsonl")).split(separator: "\n").count == 13, "the rows are written as ever")
        // An unknown family is refused before training: a million steps would take minutes, and
        // no output file is opened.
        let bad = noether(
            "run --width 4 --samples 64 --steps 1000000 --out '\(dir("d.jsonl"))' --svg '\(dir("d.svg"))' --family fc9.scale"
        )
        #expect(
            bad.status == 2
                && bad.output.contains(
                    "--family fc9.scale: this model has no such charge family; its families: fc1.scale, bn1-fc2.rescale, fc2.scale"
                ),
            "\(bad.output)")
        #expect(bad.output.split(separator: "\n").count == 1, "one line: \(bad.output)")
        #expect(
            !FileManager.default.fileExists(atPath: dir("d.jsonl"))
                && !FileManager.default.fileExists(atPath: dir("d.svg")))
    }

    /// The plan's array job on a real one-node Slurm that the test brings up (scripts/slurm-local:
    /// Debian's slurm-wlm and munge, installed if missing) and stops: the same rows as a local
    /// sweep. Needs root; elsewhere it says why it did not run.
    @Test(.fullTierOnly) func aSlurmArrayJobGivesTheSameDatabase() throws {
        guard getuid() == 0 else {
            print(
                "note: not root: the Slurm array-job test needs root to run a one-node Slurm (scripts/slurm-local) and is skipped"
            )
            return
        }
        let dir = TemporaryFolder()
        let script = ExplorerEndToEndTests.root.appendingPathComponent("scripts/slurm-local").path
        let up = shell("'\(script)' up '\(dir("slurm"))'")
        defer { _ = shell("'\(script)' down '\(dir("slurm"))'") }
        guard up.status == 0, let line = up.output.split(separator: "\n").last, line.hasPrefix("export SLURM_CONF=")
        else {
            print(
                "note: a one-node Slurm could not be brought up here, so the Slurm array-job test is skipped: \(up.output)"
            )
            return
        }
        let conf = "SLURM_CONF='\(dir("slurm/slurm.conf"))'"
        let file = Self.sweepFile(dir, Self.grid)
        #expect(noether("sweep '\(file)' --out '\(dir("local.sqlite"))' --series-every 10").status == 0)
        #expect(noether("sweep '\(file)' --plan '\(dir("plan"))' --series-every 10").status == 0)
        let submitted = shell("\(conf) sbatch --wait '\(dir("plan/slurm.sh"))'")
        #expect(submitted.status == 0, "\(submitted.output)")
        #expect(submitted.output.hasPrefix("Submitted batch job"), "\(submitted.output)")
        let accounting = shell("\(conf) sinfo -h -o %T")
        #expect(accounting.output.contains("idle"), "the node is back to idle: \(accounting.output)")
        let collected = noether("sweep collect '\(dir("plan"))' --out '\(dir("slurm.sqlite"))'")
        #expect(collected.status == 0 && collected.output.contains("8 of 8 planned runs"), "\(collected.output)")
        let a = try Self.rows(dir("local.sqlite")), b = try Self.rows(dir("slurm.sqlite"))
        #expect(a["runs"]?.count == 8 && a["series"]?.count == 8 * 5 * 5)
        for table in ["runs", "families", "series"] { #expect(a[table] == b[table], "\(table) differ") }
        let daemons = ["munged", "slurmctld", "slurmd"].compactMap {
            pid_t(contents(dir("slurm/\($0).pid")).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        #expect(
            daemons.count == 3 && daemons.allSatisfy { kill($0, 0) == 0 },
            "munged, slurmctld and slurmd ran: \(daemons)")
        let down = shell("'\(script)' down '\(dir("slurm"))'")
        #expect(down.status == 0 && daemons.allSatisfy { kill($0, 0) != 0 }, "the cluster is stopped: \(down.output)")
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
    static func interrupt(_ arguments: [String], _ act: (_ sweep: Process, _ worker: pid_t) -> Void) throws -> (
        status: Int32, errors: String
    ) {
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
        let r = try Self.interrupt(["sweep", file, "--out", dir("r.sqlite"), "--jobs", "1"]) { _, worker in
            kill(worker, SIGKILL)
        }
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
        #expect(
            again.output.contains("stored 1 results that the last sweep left in \(dir("r.sqlite.pending"))"),
            "\(again.output)")
        #expect(again.output.contains("1 of 3 runs are already in"), "\(again.output)")
    }

    /// A full disk (a 112 KiB tmpfs, mounted where root may) stops the sweep naming the database;
    /// the result that could not be stored waits and is stored once there is room. (The first
    /// result file, 71 KB with a series every step, fits beside the empty database; its rows do not.)
    @Test func aFullDiskStopsTheSweepAndLosesNoFinishedRun() throws {
        let dir = TemporaryFolder()
        try FileManager.default.createDirectory(atPath: dir("disk"), withIntermediateDirectories: false)
        guard shell("mount -t tmpfs -o size=112k tmpfs '\(dir("disk"))'").status == 0 else {
            print("note: cannot mount a small tmpfs here (not root?): full-disk test skipped")
            return
        }
        defer { _ = shell("umount '\(dir("disk"))'") }
        let file = Self.sweepFile(dir, Self.grid)
        let full = noether("sweep '\(file)' --out '\(dir("disk/r.sqlite"))' --jobs 1 --series-every 1")
        #expect(full.status == 1)
        #expect(
            full.output.contains(
                "noether: \(dir("disk/r.sqlite")): database or disk is full; the runs stored so far are kept"),
            "\(full.output)")
        let waiting = ResultFolder.files(in: dir("disk/r.sqlite.pending"))
        #expect(waiting.count == 1)
        #expect(shell("mount -o remount,size=8m '\(dir("disk"))'").status == 0)
        let again = noether("sweep '\(file)' --out '\(dir("disk/r.sqlite"))' --jobs 1 --series-every 1")
        #expect(
            again.status == 0 && again.output.contains("stored 1 results that the last sweep left"), "\(again.output)")
        #expect(try ResultsDatabase(path: dir("disk/r.sqlite")).storedIDs().count == 8)
    }

    @Test func badInputIsRefusedBeforeAnyRun() {
        let dir = TemporaryFolder()
        let file = Self.sweepFile(dir, Self.grid)
        let folder = noether("sweep '\(file)' --out '\(dir("missing/r.sqlite"))'")
        #expect(folder.status == 2)
        #expect(
            folder.output.contains(
                "--out \(dir("missing/r.sqlite")): cannot create it: the folder \(dir("missing")) does not exist"),
            "\(folder.output)")
        let neither = noether("sweep '\(file)'")
        #expect(
            neither.status == 2 && neither.output.contains("give --out FILE.sqlite (run here) or --plan DIR"),
            "\(neither.output)")
        FileManager.default.createFile(
            atPath: dir("bad.toml"), contents: Data("steps = 5\n[axes]\nnorm = [\"batch\", \"instance\"]\n".utf8))
        let bad = noether("sweep '\(dir("bad.toml"))' --out '\(dir("r.sqlite"))'")
        #expect(bad.status == 2)
        #expect(
            bad.output
                == "noether: \(dir("bad.toml")):3: axis norm must be one of \"none\", \"batch\", \"layer\", \"group\", got \"instance\"\n"
        )
        #expect(!FileManager.default.fileExists(atPath: dir("r.sqlite")), "nothing is created for a bad sweep")
    }

    @Test func showDrawsAHeatmapThatReadsWithoutColourAndWritesTheSameAsSVG() throws {
        let dir = TemporaryFolder()
        let file = Self.sweepFile(dir, Self.grid)
        #expect(noether("sweep '\(file)' --out '\(dir("r.sqlite"))'").status == 0)
        let shown = shell(
            "NO_COLOR=1 LANG=C LC_ALL=C '\(ExplorerEndToEndTests.binary)' sweep show '\(dir("r.sqlite"))' --x lr --y weight-decay --value rms_angle_ratio --svg '\(dir("f.svg"))'"
        )
        #expect(shown.status == 0, "\(shown.output)")
        let lines = shown.output.split(separator: "\n")
        #expect(lines.first == "noether: family fc1.scale: the first scale family (--family picks another)")
        #expect(
            lines.dropFirst().first
                == "rms_angle_ratio of fc1.scale  (x: lr, y: weight-decay; mean of up to 2 runs per cell)")
        let diagram = try ResultsDatabase(path: dir("r.sqlite"), readOnly: true)
            .phaseDiagram(x: "lr", y: "weight-decay", quantity: "rms_angle_ratio", family: nil)
        for value in diagram.cells.joined().compactMap(\.value) {
            #expect(shown.output.contains(PhaseDiagram.format(value)), "cell \(value) is printed")
        }
        let onlyASCII = shown.output.unicodeScalars.allSatisfy(\.isASCII)
        #expect(onlyASCII && !shown.output.contains("\u{1B}"), "\(shown.output)")
        // A ratio to its prediction: the shades centred on the theory's 1, as the SVG's colours.
        #expect(lines.last?.hasPrefix("scale: = ") == true, "\(shown.output)")
        #expect(lines.dropLast().last?.hasPrefix("centred on the theory's 1: the middle shade . holds it") == true)
        #expect(contents(dir("f.svg")).hasPrefix("<?xml") && contents(dir("f.svg")).contains("<svg"))
        let table = noether("sweep show '\(dir("r.sqlite"))' --x lr --y weight-decay --value final_loss --table")
        #expect(table.status == 0 && table.output.split(separator: "\n").count == 5, "\(table.output)")
        let unknown = noether("sweep show '\(dir("r.sqlite"))' --x lr --y momentun --value final_loss")
        #expect(
            unknown.status == 2
                && unknown.output.contains("no key 'momentun'; the swept keys here: lr, weight_decay, seed"),
            "\(unknown.output)")
    }
}
