import ArgumentParser
import Foundation
import NoetherCore

/// Gathers a plan's result files into a database, and names the commands.txt lines that have
/// none yet (exit 1), so a partly run plan is seen as such.
struct SweepCollect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect", abstract: "Gather the result files of a plan (--plan DIR) into a results database.")
    @Argument(help: "The plan folder.") var folder: String
    @Option(help: "The results database (SQLite), created or added to.") var out: String

    func run() throws {
        let lock = try DatabaseLock(database: out, command: "noether sweep collect \(folder) --out \(out)")
        defer { lock.release() }
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
