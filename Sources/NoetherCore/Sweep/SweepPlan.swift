import Foundation

/// A sweep laid out for any job runner: `commands.txt` (one self-contained shell command per
/// run, each writing its own result file into `results/`) and `slurm.sh` (an array job that runs
/// line $SLURM_ARRAY_TASK_ID). Local mode starts its workers with the same arguments, so the two
/// give the same results bit for bit.
public enum SweepPlan {
    /// The worker's arguments after the binary: the whole configuration, the swept keys, its
    /// threads (which change no number, so no run's identity), where the result goes.
    public static func workerArguments(_ run: SweepRun, out: String, seriesEvery: Int?, threads: Int = 1) -> [String] {
        ["sweep", "run-one"] + run.arguments + ["--axes=\(run.axes.joined(separator: ","))"]
            + (seriesEvery.map { ["--series-every=\($0)"] } ?? []) + (threads > 1 ? ["--threads=\(threads)"] : [])
            + ["--out=\(out)"]
    }

    /// Where a run's result file goes in a plan (or a local sweep's pending folder).
    public static func resultPath(_ run: SweepRun, in folder: String) -> String { "\(folder)/\(run.id).json" }

    /// Writes the plan into `folder` (created if missing) and returns the number of commands.
    /// `binary` is the absolute path of this noether: the machines that run the plan must see it
    /// there (a shared file system), as they must see the folder.
    @discardableResult
    public static func write(
        _ runs: [SweepRun], to folder: String, binary: String, seriesEvery: Int?, threads: Int = 1,
        source: String
    ) throws(OutputError) -> Int {
        let folder = URL(fileURLWithPath: folder).standardized.path
        let results = folder + "/results"
        for sub in [results, folder + "/logs"] {  // Slurm writes no log into a folder it has to create
            try OutputFile.makeFolder(sub)
        }
        // Written a megabyte at a time: a plan at the run limit is tens of megabytes.
        let commands = try OutputFile(path: folder + "/commands.txt")
        var buffer = ""
        for run in runs {
            buffer +=
                ([binary]
                + workerArguments(run, out: resultPath(run, in: results), seriesEvery: seriesEvery, threads: threads))
                .map(shellQuoted).joined(separator: " ") + "\n"
            if buffer.utf8.count >= 1 << 20 {
                try commands.write(buffer)
                buffer = ""
            }
        }
        try commands.write(buffer)
        try commands.close()
        try OutputFile.write(
            slurm(folder: folder, count: runs.count, threads: threads, source: source), to: folder + "/slurm.sh")
        chmod(folder + "/slurm.sh", 0o755)
        return runs.count
    }

    static func slurm(folder: String, count: Int, threads: Int = 1, source: String) -> String {
        let parts =
            count > 1000
            ? "# Slurm's default MaxArraySize is 1001: past it, submit in parts (--array=1-1000, …).\n" : ""
        return """
            #!/bin/bash
            # A Slurm array job for the sweep \(source): task N runs line N of commands.txt, which
            # writes its result into results/. Submit with `sbatch \(shellQuoted(folder))/slurm.sh`, then
            # gather with `noether sweep collect \(shellQuoted(folder)) --out results.sqlite`.
            \(parts)#SBATCH --job-name=noether-sweep
            #SBATCH --array=1-\(count)
            #SBATCH --ntasks=1
            #SBATCH --cpus-per-task=\(threads)
            #SBATCH --output=\(folder)/logs/%a.log
            set -euo pipefail
            line=$(sed -n "${SLURM_ARRAY_TASK_ID}p" \(shellQuoted(folder + "/commands.txt")))
            exec bash -c "$line"

            """
    }

    /// The run keys a plan's commands write, in line order (from their result file names).
    public static func plannedIDs(in folder: String) throws(OutputError) -> [String] {
        let path = folder + "/commands.txt"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OutputError(path: path, message: "cannot read the plan (is \(folder) a folder written by --plan?)")
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
            guard let end = line.range(of: ".json", options: .backwards) else { return nil }
            let name = line[..<end.lowerBound].suffix(16)
            return name.count == 16 && name.allSatisfy(\.isHexDigit) ? String(name) : nil
        }
    }
}
