import Foundation
import Testing

/// Hundreds of damaged presets, recordings and CSV files, each run through the real binary:
/// every one is either accepted (exit 0; exit 1 only for a run that diverged, which says so)
/// or refused with exit 2 and a message naming the file. Never a signal, never a hang.
@Suite("Bad input mutants", .serialized)
struct BadInputMutationTests {
    static let binary = ExplorerEndToEndTests.binary

    enum Kind { case preset, recording, csv, imageCSV }

    struct Mutant {
        var kind: Kind
        var label: String
        var bytes: [UInt8]
    }

    struct Outcome {
        var mutant: Mutant
        var file: String
        var status: Int32
        var stderr: String
    }

    /// A fixed-seed generator, so a failing mutant can be found again.
    struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static func mutants(presets: [String], recording: [UInt8], csv: [UInt8], images: [UInt8]) -> [Mutant] {
        var out: [Mutant] = []
        var rng = SplitMix(state: 7)
        // Truncation at every byte of one recording (what a crash or full disk leaves).
        for n in 0..<recording.count { out.append(Mutant(kind: .recording, label: "recording cut at \(n)", bytes: Array(recording[..<n]))) }
        // Random byte changes, deletions and insertions in every shipped preset and the recording.
        let printable = Array(" =\"'[]#.-+0123456789eE_\\\n\r\tabcxyz{},".utf8) + [0, 0x7F, 0xFF, 0xC3]
        for (i, text) in (presets.map { Array($0.utf8) } + [recording]).enumerated() {
            for m in 0..<24 {
                var b = text
                for _ in 0..<(1 + rng.below(3)) where !b.isEmpty {
                    let at = rng.below(b.count)
                    switch rng.below(3) {
                    case 0: b[at] = printable[rng.below(printable.count)]
                    case 1: b.remove(at: at)
                    default: b.insert(printable[rng.below(printable.count)], at: at)
                    }
                }
                out.append(Mutant(kind: i < presets.count ? .preset : .recording, label: "file \(i) edit \(m)", bytes: b))
            }
        }
        // Windows line endings, oversized and absurd values, deleted lines.
        for (i, text) in presets.enumerated() {
            out.append(Mutant(kind: .preset, label: "preset \(i) CRLF", bytes: Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)))
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if lines.count > 3 { lines.remove(at: rng.below(lines.count)) }
            out.append(Mutant(kind: .preset, label: "preset \(i) line deleted", bytes: Array(lines.joined(separator: "\n").utf8)))
        }
        for value in ["1e308", "-1e308", "1e999", "nan", "inf", "9223372036854775808", "-9223372036854775809",
                      "\"" + String(repeating: "x", count: 200_000) + "\"", "0", "-0.0", "[1, 2]", "{ a = 1 }", "1979-05-27"] {
            for key in ["lr", "momentum", "steps", "width", "seed", "samples", "init-std", "title"] {
                out.append(Mutant(kind: .preset, label: "\(key) = \(value.prefix(20))",
                                  bytes: Array("title = \"t\"\nsteps = 3\n\(key) = \(value)\n".utf8)))
            }
        }
        out += csvMutants(.csv, csv) + csvMutants(.imageCSV, images)
        return out
    }

    /// Windows line endings, absurd values, extra and missing columns, and truncations of one CSV file.
    static func csvMutants(_ kind: Kind, _ csv: [UInt8]) -> [Mutant] {
        var out: [Mutant] = []
        let csvText = String(decoding: csv, as: UTF8.self)
        out.append(Mutant(kind: kind, label: "\(kind) CRLF", bytes: Array(csvText.replacingOccurrences(of: "\n", with: "\r\n").utf8)))
        for (i, value) in ["1.7e308", "-1.7e308", "nan", "", "1,2", "\"3\"", String(repeating: "9", count: 2_000_000), "0x10", "1e-400"].enumerated() {
            var lines = csvText.split(separator: "\n").map(String.init)
            lines[3 + i % 5] = lines[3 + i % 5].replacingOccurrences(of: "0.", with: value + ",")
            out.append(Mutant(kind: kind, label: "\(kind) value \(value.prefix(12))", bytes: Array(lines.joined(separator: "\n").utf8)))
        }
        for n in stride(from: 0, to: csv.count, by: max(1, csv.count / 40)) {
            out.append(Mutant(kind: kind, label: "\(kind) cut at \(n)", bytes: Array(csv[..<n])))
        }
        return out
    }

    static func command(_ m: Mutant, file: String, out: String) -> String {
        let args: String = switch m.kind {
        case .preset: "run --preset '\(file)' --steps 3 --out '\(out)'"
        case .recording: "replay '\(file)' --headless --out '\(out)'"
        case .csv: "run --data '\(file)' --steps 3 --out '\(out)'"
        case .imageCSV: "run --data '\(file)' --image-shape 1x12x12 --steps 3 --out '\(out)'"
        }
        // `timeout` turns a hang into exit 124; a signal shows as 128 + its number.
        return "SWIFT_BACKTRACE=enable=no timeout -s KILL 30 '\(binary)' \(args) 2>'\(file).err' >/dev/null; echo $?"
    }

    @Test("every mutant is accepted or refused with a message naming its file")
    func mutantsAreRefusedCleanly() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("noether-mutants-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Sources: every shipped preset, a recording with changes, the default's data set.
        let names = shell("'\(Self.binary)' presets", mergeErrors: false).output.split(separator: "\n")
            .compactMap { $0.split(separator: " ").first.map(String.init) }.filter { $0 != "default" }
        let presets = names.map { shell("'\(Self.binary)' presets show '\($0)'", mergeErrors: false).output }
        #expect(presets.count >= 10 && presets.allSatisfy { $0.contains("title") })
        try "title = \"r\"\nsteps = 12\n\n[[at]]\nstep = 5\nlr = 0.2\nmomentum = 0.9\n\n[[at]]\nstep = 9\nweight-decay = 0.01\n"
            .write(toFile: dir + "/source.toml", atomically: false, encoding: .utf8)
        let made = shell("'\(Self.binary)' run --preset '\(dir)/source.toml' --record '\(dir)/source.rec' --out '\(dir)/source.out' --dump-data '\(dir)/source.csv' --samples 40")
        #expect(made.status == 0, "\(made.output)")
        let recording = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/source.rec")))
        let csv = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/source.csv")))
        let drawn = shell("'\(Self.binary)' run --data shapes --samples 40 --steps 0 --out '\(dir)/images.out' --dump-data '\(dir)/images.csv'")
        #expect(drawn.status == 0, "\(drawn.output)")
        let images = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/images.csv")))
        let mutants = Self.mutants(presets: presets, recording: recording, csv: csv, images: images)
        #expect(mutants.count >= 500)

        let results = Mutex<[Outcome]>([])
        let workers = 3
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            for i in stride(from: w, to: mutants.count, by: workers) {
                let m = mutants[i]
                let file = "\(dir)/m\(i)." + (m.kind == .csv || m.kind == .imageCSV ? "csv" : "toml")
                FileManager.default.createFile(atPath: file, contents: Data(m.bytes))
                let status = Int32(shell(Self.command(m, file: file, out: "\(dir)/m\(i).out"), mergeErrors: false)
                    .output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
                let err = (try? String(contentsOfFile: file + ".err", encoding: .utf8)) ?? ""
                results.withLock { $0.append(Outcome(mutant: m, file: file, status: status, stderr: err)) }
            }
        }
        let outcomes = results.withLock { $0 }
        var refused = 0, accepted = 0, bad: [String] = []
        for o in outcomes {
            switch o.status {
            case 0: accepted += 1
            case 1 where o.stderr.contains("diverged"): accepted += 1
            case 2 where o.stderr.contains(o.file) && o.stderr.split(separator: "\n").allSatisfy({ $0.count < 2000 }):
                refused += 1
            default: bad.append("\(o.mutant.label): exit \(o.status): \(o.stderr.prefix(300))")
            }
        }
        print("bad-input mutants: tried \(outcomes.count), refused \(refused), accepted \(accepted), crashed or unclear \(bad.count)")
        #expect(outcomes.count == mutants.count)
        #expect(bad.isEmpty, "\(bad.prefix(15).joined(separator: "\n"))")
    }
}

import Synchronization
