import Foundation

/// A folder of result files, one per run, as workers leave them: a plan's `results/`, or a local
/// sweep's pending folder. Gathering stores each in the database in file-name (run key) order;
/// a file is removed only after its run is stored, so nothing finished is lost on the way.
public enum ResultFolder {
    public struct Gathered {
        public var stored = 0
        public var alreadyThere = 0
        /// Files that are not results (cut short, or foreign), each with why.
        public var unreadable: [OutputError] = []
    }

    /// The result files in `folder`, by name.
    public static func files(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted().map { folder + "/" + $0 }
    }

    /// Removes what workers that are gone left behind: their logs and half-written results
    /// (`NAME.json.partial-PID` of a PID no longer running). Results stay.
    public static func removeLeftovers(in folder: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
            let pid = name.range(of: ".partial-").flatMap { pid_t(name[$0.upperBound...]) }
            if name.hasSuffix(".log") || pid.map({ kill($0, 0) != 0 }) == true { unlink(folder + "/" + name) }
        }
    }

    /// Stores every result of `folder` not yet in `database`; `removing` deletes each file once stored.
    public static func gather(_ folder: String, into database: ResultsDatabase, removing: Bool) throws(OutputError)
        -> Gathered
    {
        var g = Gathered()
        for path in files(in: folder) {
            let result: RunResult
            do { result = try RunResult.read(path) } catch {
                g.unreadable.append(error)
                continue
            }
            if try database.insert(result) { g.stored += 1 } else { g.alreadyThere += 1 }
            if removing { unlink(path) }
        }
        return g
    }
}
