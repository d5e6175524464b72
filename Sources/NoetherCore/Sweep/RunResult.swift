import Foundation

/// What one run of a sweep leaves: its configuration and summary quantities, as the JSON file a
/// worker writes and the rows the results database holds (ResultsDatabase.swift). Numbers that
/// are not finite are nil (JSON null, SQL NULL). JSON carries every Double in its shortest
/// round-trip form, so a result read back is the result computed, bit for bit.
public struct RunResult: Codable, Equatable, Sendable {
    /// The configuration's `runID`.
    public var id: String
    /// The swept keys, for the database's per-axis columns.
    public var axes: [String]
    public var config: Config
    /// `finished`, or `diverged at step N: …` (a diverged run is a result too: it is not rerun).
    public var status: String
    public var finalLoss: Double?
    /// Mean minibatch loss over every step 0…steps.
    public var meanLoss: Double?
    public var families: [FamilyResult]
    public var series: [SeriesPoint]
    /// With `sharpness-every`: the sharpness at the last step, its mean over the measurements of
    /// the second half, and the last over the optimizer's stability line (THEORY.md §16.3).
    public var sharpness: Double? = nil
    public var sharpnessMean: Double? = nil
    public var sharpnessRatio: Double? = nil

    public static let finished = "finished"
}

/// One family's summary at the end of a run (THEORY.md §7).
public struct FamilyResult: Codable, Equatable, Sendable {
    public var family: String
    public var symmetry: String
    public var groups: Int
    /// Median charge Q over live groups at the last step.
    public var medianCharge: Double?
    /// Median Γ/Q₀ at the last step (§7.2).
    public var gapRatio: Double?
    /// Scale families: the RMS angle per update, root mean square over the second half of the
    /// run (sampled), and its equilibrium √(2ηλ/(1+β)) (§5.3).
    public var rmsAngle: Double?
    public var rmsAnglePredicted: Double?
    /// Fractions of the family's groups that are dead (no gradient) or collapsed at the last step (§10.1).
    public var deadFraction: Double?
    public var collapsedFraction: Double?
    /// Worst exact residual over live groups at the sampled steps (§7.3).
    public var residualMax: Double?
    /// Worst continuum error |Q − Q^NM| / magnitude over live groups at the last step (§7.3).
    public var continuumError: Double?
}

/// One family at one step of the optional time series (`--series-every K`).
public struct SeriesPoint: Codable, Equatable, Sendable {
    public var step: Int
    public var family: String
    public var loss: Double?
    public var medianCharge: Double?
    public var gapRatio: Double?
    public var rmsAngle: Double?
    /// What a charge-with-theory figure needs besides (all medians over live groups, §3, §4,
    /// §5.3, §7.2); absent in result files written before they were stored.
    public var q10: Double?
    public var q90: Double?
    public var predictedMedian: Double?
    public var referenceMedian: Double?
    public var continuumMedian: Double?
    public var effectiveLRMedian: Double?
    public var rmsAnglePredicted: Double?
}

extension RunResult {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    public func json() throws -> Data { try Self.encoder.encode(self) }

    public static func read(_ path: String) throws(OutputError) -> RunResult {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OutputError(path: path, message: "cannot read the result file")
        }
        do { return try JSONDecoder().decode(RunResult.self, from: data) } catch {
            throw OutputError(path: path, message: "not a noether run result: \(error)")
        }
    }

    /// Writes the result whole or not at all: into a temporary file beside `path`, then renamed
    /// over it, so a reader (collect, a resumed sweep) never sees half a result.
    public func write(to path: String) throws(OutputError) {
        let data: Data
        do { data = try json() } catch { throw OutputError(path: path, message: "cannot encode the result: \(error)") }
        let temporary = path + ".partial-\(getpid())"
        do { try OutputFile.write(String(decoding: data, as: UTF8.self) + "\n", to: temporary) } catch {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let error = OutputError(path: path, action: "cannot move the finished result into place", errno: errno)
            unlink(temporary)
            throw error
        }
    }
}

/// A value for storage: nil when not finite.
func finite(_ x: Double?) -> Double? { x.flatMap { $0.isFinite ? $0 : nil } }
