import Foundation
import GRDB

/// The SQLite database a sweep's results go to: table `runs` (one row per run: its key, status,
/// whole configuration as JSON, steps, t = η·steps, losses, and one column per swept key),
/// `families` (one row per run and charge family) and `series` (per-family time series when
/// asked for). Every run is written in one transaction as soon as it finishes, so an
/// interruption loses no finished run. The schema is documented in README "Sweeps".
public final class ResultsDatabase {
    public let path: String
    let queue: DatabaseQueue

    /// A stored quantity: its column and where its value comes from.
    struct Column<Source>: Sendable {
        var name: String
        var value: @Sendable (Source) -> (any DatabaseValueConvertible)?
    }

    static let runColumns: [Column<RunResult>] = [
        Column(name: "id") { $0.id },
        Column(name: "status") { $0.status },
        Column(name: "config") { String(decoding: (try? RunResult.encoder.encode($0.config)) ?? Data(), as: UTF8.self) },
        Column(name: "steps") { $0.config.steps },
        Column(name: "time") { $0.config.lr * Double($0.config.steps) },
        Column(name: "final_loss") { $0.finalLoss },
        Column(name: "mean_loss") { $0.meanLoss },
        Column(name: "sharpness") { $0.sharpness },
        Column(name: "sharpness_mean") { $0.sharpnessMean },
        Column(name: "sharpness_ratio") { $0.sharpnessRatio },
    ]

    static let familyColumns: [Column<FamilyResult>] = [
        Column(name: "family") { $0.family },
        Column(name: "symmetry") { $0.symmetry },
        Column(name: "groups") { $0.groups },
        Column(name: "median_charge") { $0.medianCharge },
        Column(name: "gap_ratio") { $0.gapRatio },
        Column(name: "rms_angle") { $0.rmsAngle },
        Column(name: "rms_angle_predicted") { $0.rmsAnglePredicted },
        Column(name: "dead_fraction") { $0.deadFraction },
        Column(name: "collapsed_fraction") { $0.collapsedFraction },
        Column(name: "residual_max") { $0.residualMax },
        Column(name: "continuum_error") { $0.continuumError },
    ]

    static let seriesColumns: [Column<SeriesPoint>] = [
        Column(name: "step") { $0.step },
        Column(name: "family") { $0.family },
        Column(name: "loss") { $0.loss },
        Column(name: "median_charge") { $0.medianCharge },
        Column(name: "gap_ratio") { $0.gapRatio },
        Column(name: "rms_angle") { $0.rmsAngle },
        Column(name: "q10") { $0.q10 },
        Column(name: "q90") { $0.q90 },
        Column(name: "predicted_median") { $0.predictedMedian },
        Column(name: "reference_median") { $0.referenceMedian },
        Column(name: "continuum_median") { $0.continuumMedian },
        Column(name: "effective_lr_median") { $0.effectiveLRMedian },
        Column(name: "rms_angle_predicted") { $0.rmsAnglePredicted },
    ]

    /// The column of a swept key: `weight-decay` → `weight_decay` (no quoting needed in SQL or pandas).
    public static func column(of key: String) -> String { key.replacingOccurrences(of: "-", with: "_") }

    /// Opens or creates the database; the tables are created when missing. `readOnly` opens an
    /// existing database for reading only (`sweep show`).
    public init(path: String, readOnly: Bool = false) throws(OutputError) {
        self.path = path
        // SQLite would wait forever opening a named pipe, and cannot use a device.
        var st = stat()
        if stat(path, &st) == 0, (st.st_mode & S_IFMT) != S_IFREG {
            let kind = st.st_mode & S_IFMT
            let what = kind == S_IFDIR ? "a folder" : kind == S_IFIFO ? "a named pipe" : "a device or socket"
            throw OutputError(path: path, message: "is \(what), not an SQLite database file")
        }
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            configuration.readonly = readOnly
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch { throw Self.failure(path, error) }
        guard !readOnly else { return }
        try write { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS runs (id TEXT PRIMARY KEY, status TEXT NOT NULL, config TEXT NOT NULL,
                  steps INTEGER NOT NULL, time REAL NOT NULL, final_loss REAL, mean_loss REAL, sharpness REAL,
                  sharpness_mean REAL, sharpness_ratio REAL);
                CREATE TABLE IF NOT EXISTS families (run_id TEXT NOT NULL REFERENCES runs(id), family TEXT NOT NULL,
                  symmetry TEXT NOT NULL, groups INTEGER NOT NULL, \(Self.familyColumns.dropFirst(3).map { "\($0.name) REAL" }.joined(separator: ", ")),
                  PRIMARY KEY (run_id, family));
                CREATE TABLE IF NOT EXISTS series (run_id TEXT NOT NULL REFERENCES runs(id), step INTEGER NOT NULL,
                  family TEXT NOT NULL, \(Self.seriesColumns.dropFirst(2).map { "\($0.name) REAL" }.joined(separator: ", ")),
                  PRIMARY KEY (run_id, step, family));
                """)
            // A database made before the sharpness columns gains them.
            let existing = Set(try db.columns(in: "runs").map(\.name))
            for name in ["sharpness", "sharpness_mean", "sharpness_ratio"] where !existing.contains(name) {
                try db.execute(sql: "ALTER TABLE runs ADD COLUMN \(name) REAL")
            }
            // A database from before a series column was stored gets it (NULL in its old rows).
            let stored = Set(try db.columns(in: "series").map(\.name))
            for column in Self.seriesColumns.dropFirst(2) where !stored.contains(column.name) {
                try db.execute(sql: "ALTER TABLE series ADD COLUMN \"\(column.name)\" REAL")
            }
        }
    }

    /// The keys of the runs already stored: what a resumed sweep skips.
    public func storedIDs() throws(OutputError) -> Set<String> {
        try read { db in Set(try String.fetchAll(db, sql: "SELECT id FROM runs")) }
    }

    /// Stores one run with its families and series in one transaction; false when it was
    /// already there (a result is a pure function of its configuration: the first copy stays).
    @discardableResult
    public func insert(_ r: RunResult) throws(OutputError) -> Bool {
        try write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM runs WHERE id = ?", arguments: [r.id]) == nil else { return false }
            let existing = Set(try db.columns(in: "runs").map(\.name))
            let values = Config.values(r.config)
            var columns = Self.runColumns.map { ($0.name, $0.value(r)) }
            for key in r.axes where key != Sweep.timeKey {
                let name = Self.column(of: key)
                if !existing.contains(name) { try db.execute(sql: "ALTER TABLE runs ADD COLUMN \"\(name)\"") }
                if !columns.contains(where: { $0.0 == name }) { columns.append((name, values[key].map(Self.databaseValue))) }
            }
            try Self.insert(db, into: "runs", columns)
            for f in r.families {
                try Self.insert(db, into: "families", [("run_id", r.id)] + Self.familyColumns.map { ($0.name, $0.value(f)) })
            }
            for p in r.series {
                try Self.insert(db, into: "series", [("run_id", r.id)] + Self.seriesColumns.map { ($0.name, $0.value(p)) })
            }
            return true
        }
    }

    /// Every row of a table in primary-key order: what two databases are compared by.
    public func rows(_ table: String) throws(OutputError) -> [Row] {
        let order = ["runs": "id", "families": "run_id, family", "series": "run_id, step, family"][table] ?? "rowid"
        return try read { db in try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\" ORDER BY \(order)") }
    }

    private static func insert(_ db: Database, into table: String,
                               _ columns: [(String, (any DatabaseValueConvertible)?)]) throws
    {
        let names = columns.map { "\"\($0.0)\"" }.joined(separator: ", ")
        let marks = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        try db.execute(sql: "INSERT INTO \(table) (\(names)) VALUES (\(marks))",
                       arguments: StatementArguments(columns.map { $0.1?.databaseValue ?? .null }))
    }

    static func databaseValue(_ v: TOMLValue) -> any DatabaseValueConvertible {
        switch v {
        case .integer(let n): n
        case .float(let x): x
        case .bool(let b): b
        case .string(let s): s
        default: TOML.format(v)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(OutputError) -> T {
        do { return try queue.read(body) } catch { throw Self.failure(path, error) }
    }

    func write<T>(_ body: (Database) throws -> T) throws(OutputError) -> T {
        do { return try queue.write(body) } catch { throw Self.failure(path, error) }
    }

    /// "results.sqlite: database or disk is full": SQLite's own words, naming the file.
    static func failure(_ path: String, _ error: any Error) -> OutputError {
        if let e = error as? OutputError { return e }
        if let e = error as? DatabaseError { return OutputError(path: path, message: e.message ?? "\(e.resultCode)") }
        return OutputError(path: path, message: "\(error)")
    }
}
