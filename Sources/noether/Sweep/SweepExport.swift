import ArgumentParser
import Foundation
import NoetherCore

/// `noether sweep export DB --csv FILE`: the runs as one CSV row each (swept keys, status, loss
/// and every family's stored quantities as `<family>.<name>` columns), or with `--series` the
/// time series as one row per run, step and family.
struct SweepExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write a results database as CSV: one row per run, or per run, step and family.")
    @Argument(help: "The results database.") var database: String
    @Option(help: "The CSV file to write (- for standard output).") var csv: String
    @Flag(help: "The time series (one row per run, step and family) instead of one row per run.") var series = false

    func run() throws {
        guard FileManager.default.fileExists(atPath: database) else {
            throw RunFailure("\(database): no such results database")
        }
        if csv != "-" { try DistinctPaths.check(outputs: [("--csv", csv)], inputs: [("the database", database)]) }
        let text: String
        do {
            let db = try ResultsDatabase(path: database, readOnly: true)
            text = series ? try db.seriesCSV() : try db.runsCSV()
        } catch { throw RunFailure("\(error)") }
        do {
            if csv == "-" { print(text, terminator: "") } else { try OutputFile.write(text, to: csv) }
        } catch { throw RunFailure("--csv \(error)", code: 1) }
    }
}
