import Foundation
import Testing

/// Thousands of damaged presets, recordings, CSV and image CSV files, sweep files, sweep
/// databases, teleport and fork tables and optimizer switches, each run through the real binary:
/// every one is either accepted (exit 0; exit 1 only for a run that diverged, which says so)
/// or refused with exit 2 (a database: 1 or 2) and a message naming the file. Never a signal,
/// never a hang.
@Suite("Bad input mutants", .serialized)
struct BadInputMutationTests {
    static let binary = ExplorerEndToEndTests.binary

    enum Kind: String, CaseIterable { case preset, recording, csv, imageCSV, sweep, database, schedule, optimizerSwitch }

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

    static func mutants(presets: [String], recording: [UInt8], csv: [UInt8], images: [UInt8], database: [UInt8]) -> [Mutant] {
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
        out += imageMutants(images, rng: &rng) + sweepMutants(rng: &rng) + scheduleMutants(rng: &rng)
        out += optimizerMutants() + databaseMutants(database, rng: &rng)
        return out
    }

    /// Random edits in an image CSV and bad labels and pixels at chosen places.
    static func imageMutants(_ images: [UInt8], rng: inout SplitMix) -> [Mutant] {
        var out: [Mutant] = []
        let alphabet = Array(",.-+0123456789eExX\n\r \t#abc".utf8) + [0, 0xFF]
        for m in 0..<150 {
            var b = images
            for _ in 0..<(1 + rng.below(4)) where !b.isEmpty {
                let at = rng.below(b.count)
                switch rng.below(3) {
                case 0: b[at] = alphabet[rng.below(alphabet.count)]
                case 1: b.remove(at: at)
                default: b.insert(alphabet[rng.below(alphabet.count)], at: at)
                }
            }
            out.append(Mutant(kind: .imageCSV, label: "image edit \(m)", bytes: b))
        }
        var lines = String(decoding: images, as: UTF8.self).split(separator: "\n").map(String.init)
        let bad = ["0x1", "0x10", "1e999", "-0", "1.5", "65", "-1", "nan", "", " ", "1,", "\"2\"", "1e-400", "0b1", "+inf", "1_0"]
        for (i, value) in bad.enumerated() {
            for row in [1, lines.count / 2, lines.count - 1] {
                var copy = lines
                var cells = copy[row].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                cells[cells.count - 1] = value  // the label
                copy[row] = cells.joined(separator: ",")
                out.append(Mutant(kind: .imageCSV, label: "image label \(value) at row \(row)", bytes: Array(copy.joined(separator: "\n").utf8)))
                var pixels = lines[row].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                pixels[(i * 7) % max(1, pixels.count - 1)] = value
                copy[row] = pixels.joined(separator: ",")
                out.append(Mutant(kind: .imageCSV, label: "image pixel \(value) at row \(row)", bytes: Array(copy.joined(separator: "\n").utf8)))
            }
        }
        lines[0] = String(repeating: "x,", count: 5000) + "label"
        out.append(Mutant(kind: .imageCSV, label: "image header too wide", bytes: Array(lines.joined(separator: "\n").utf8)))
        return out
    }

    /// Sweep files: a valid one edited at random, and every axis given bad lists and ranges.
    static func sweepMutants(rng: inout SplitMix) -> [Mutant] {
        var out: [Mutant] = []
        let base = "title = \"s\"\nsteps = 3\nwidth = 4\nsamples = 40\n\n[axes]\nlr = [0.05, 0.1]\nseed = { from = 1, to = 3, count = 3 }\n"
        let alphabet = Array(" =\"[]{}#.,-+0123456789eExob_\nabclrsedt".utf8) + [0, 0xFF]
        for m in 0..<200 {
            var b = Array(base.utf8)
            for _ in 0..<(1 + rng.below(3)) {
                let at = rng.below(b.count)
                switch rng.below(3) {
                case 0: b[at] = alphabet[rng.below(alphabet.count)]
                case 1: b.remove(at: at)
                default: b.insert(alphabet[rng.below(alphabet.count)], at: at)
                }
            }
            out.append(Mutant(kind: .sweep, label: "sweep edit \(m)", bytes: b))
        }
        let values = ["[]", "[0x10]", "[1e3]", "[0.1, 0.1]", "[\"a\"]", "[[1]]", "[true]", "[1e999]", "[-1]", "[0]", "[nan]", "[inf]",
                      "{ from = 1, to = 2 }", "{ from = 1, to = 2, count = 0 }", "{ from = 1, to = 2, count = -5 }",
                      "{ from = 1, to = 2, count = 1e3 }", "{ from = 1, to = 2, count = 100001 }",
                      "{ from = 1, to = 2, count = 3, scale = \"cubic\" }", "{ from = -1, to = 2, count = 3, scale = \"log\" }",
                      "{ from = nan, to = 2, count = 3 }", "{ from = 1, to = 1, count = 3 }", "{ to = 2, count = 3 }",
                      "{ from = 1, to = 2, count = 3, step = 1 }", "\"0.1\"", "0.1", "{}", "1979-05-27",
                      "{ from = 1, to = 1e300, count = 2000, scale = \"log\" }"]
        let keys = ["lr", "seed", "width", "steps", "time", "optimizer", "momentum", "data", "image-shape", "beta2", "nope", "title"]
        for key in keys {
            for value in values {
                let text = "title = \"s\"\nwidth = 4\nsamples = 40\n\(key == "steps" || key == "time" ? "" : "steps = 3\n")\n[axes]\n\(key) = \(value)\n"
                out.append(Mutant(kind: .sweep, label: "axis \(key) = \(value.prefix(30))", bytes: Array(text.utf8)))
            }
        }
        for text in ["", "# nothing\n", "[axes]\n", "steps = 3\n[axes]\n", "[[at]]\nstep = 1\n[axes]\nlr = [0.1]\n",
                     "time = 1\nsteps = 3\n[axes]\nlr = [0.1]\n", "steps = 3\n[axes]\nlr = [0.1]\n[axes]\nseed = [1]\n",
                     "preset = \"no-such\"\n[axes]\nlr = [0.1]\n", "preset = 3\n[axes]\nlr = [0.1]\n",
                     "steps = 3\nlr = 0.1\n[axes]\nlr = [0.1]\n", "steps = 3\n[other]\nlr = [0.1]\n"] {
            out.append(Mutant(kind: .sweep, label: "sweep \(text.prefix(30))", bytes: Array(text.utf8)))
        }
        // Products past the limit.
        for sizes in [[400, 400], [100, 100, 100], [10_000, 11], [1000, 1000, 1000, 1000, 1000]] {
            let keys = ["seed", "width", "samples", "batch-size", "lr"]
            let axes = sizes.enumerated().map { i, n in
                i == 4 ? "lr = { from = 0.001, to = 1, count = \(n) }" : "\(keys[i]) = { from = 8, to = \(8 + n - 1), count = \(n) }"
            }
            out.append(Mutant(kind: .sweep, label: "grid \(sizes)", bytes: Array(("steps = 1\n[axes]\n" + axes.joined(separator: "\n")).utf8)))
        }
        return out
    }

    /// Teleport and fork tables: every field of a teleport and of a fork given bad values, and
    /// steps outside the run.
    static func scheduleMutants(rng: inout SplitMix) -> [Mutant] {
        var out: [Mutant] = []
        let head = "title = \"t\"\nsteps = 6\nwidth = 4\nsamples = 40\n\n[[at]]\n"
        let families = ["\"fc1.scale\"", "\"fc2.scale\"", "\"bn1-fc2.rescale\"", "\"fc3.translation\"", "\"fc1.scale[3]\"",
                        "\"fc1.scale[99]\"", "\"nope\"", "\"\"", "3", "true", "[\"fc1.scale\"]"]
        let factors = ["2.0", "0.5", "0", "-1", "1e308", "1e-308", "1e6", "1e7", "nan", "inf", "\"2\"", "0x2", "[2]"]
        let actions = ["", ", action = \"scale\"", ", action = \"shift\"", ", action = \"steepest\"", ", action = \"rotate\"",
                       ", action = \"balance\"", ", action = \"nope\"", ", action = 1"]
        for family in families {
            for factor in factors {
                let action = actions[rng.below(actions.count)]
                let text = head + "step = \(1 + rng.below(6))\nteleport = { family = \(family), factor = \(factor)\(action) }\n"
                out.append(Mutant(kind: .schedule, label: "teleport \(family) × \(factor)\(action)", bytes: Array(text.utf8)))
            }
        }
        for extra in ["group = \"fc1.scale[0]\"", "group = \"fc2.scale[0]\", family = \"fc1.scale\"", "color = 1", "factor = 2.0",
                      "family = \"fc1.scale\", family = \"fc2.scale\""] {
            out.append(Mutant(kind: .schedule, label: "teleport { \(extra) }", bytes: Array((head + "step = 2\nteleport = { \(extra) }\n").utf8)))
        }
        let steps = ["-1", "0", "6", "7", "1e3", "2.0", "\"3\"", "9223372036854775807", "0x3", "100000001"]
        let bodies = ["fork = true", "fork = 1", "fork = \"yes\"", "fork = false", "fork = true\nlr = 0.05",
                      "teleport = { family = \"fc1.scale\", factor = 2.0 }", "lr = 0.05", "momentum = 1", "weight-decay = -1",
                      "lr = 0x1", "say = \"\"", "speed = -1", "pause = true", "fork = true\nteleport = { family = \"fc1.scale\" }"]
        for step in steps {
            for body in bodies {
                out.append(Mutant(kind: .schedule, label: "[[at]] step \(step) \(body.prefix(30))", bytes: Array((head + "step = \(step)\n\(body)\n").utf8)))
            }
        }
        // Two forks, a fork after a teleport, decreasing steps.
        for pair in [(2, 4), (4, 2), (3, 3), (0, 6), (6, 7)] {
            let text = head + "step = \(pair.0)\nfork = true\n\n[[at]]\nstep = \(pair.1)\nfork = true\nteleport = { family = \"fc1.scale\", factor = 3.0 }\n"
            out.append(Mutant(kind: .schedule, label: "forks at \(pair)", bytes: Array(text.utf8)))
        }
        return out
    }

    /// Optimizer switches: every optimizer to every other at a step, with the settings each
    /// does or does not read.
    static func optimizerMutants() -> [Mutant] {
        var out: [Mutant] = []
        let names = ["sgd", "sgdw", "adam", "adamw", "lion"]
        let settings = ["", "beta2 = 0.9\n", "beta2 = 1.0\n", "beta2 = 0\n", "beta2 = -0.1\n", "beta2 = 2\n", "beta2 = 1e6\n",
                        "nesterov = true\n", "nesterov = true\nmomentum = 0\n", "dampening = 0.5\n", "dampening = 2\n",
                        "momentum = 0.999999\n", "lr = 100\n", "eps = 0x1\n"]
        for from in names {
            for to in names + ["rmsprop", "", "SGD"] {
                for setting in settings {
                    let text = "title = \"o\"\nsteps = 4\nwidth = 4\nsamples = 40\noptimizer = \"\(from)\"\n\(setting)\n[[at]]\nstep = 2\noptimizer = \"\(to)\"\n"
                    out.append(Mutant(kind: .optimizerSwitch, label: "\(from) → \(to) \(setting.prefix(20))", bytes: Array(text.utf8)))
                }
            }
        }
        return out
    }

    /// A sweep database cut and with bytes changed: `sweep show` reads it or refuses it.
    static func databaseMutants(_ database: [UInt8], rng: inout SplitMix) -> [Mutant] {
        var out: [Mutant] = []
        guard !database.isEmpty else { return out }
        for n in stride(from: 0, to: database.count, by: max(1, database.count / 60)) {
            out.append(Mutant(kind: .database, label: "database cut at \(n)", bytes: Array(database[..<n])))
        }
        for m in 0..<120 {
            var b = database
            for _ in 0..<(1 + rng.below(8)) { b[rng.below(b.count)] = UInt8(truncatingIfNeeded: rng.next()) }
            out.append(Mutant(kind: .database, label: "database bytes changed \(m)", bytes: b))
        }
        // Headers and pages where SQLite keeps its structure: the first 100 bytes and each page's start.
        for offset in [0, 16, 18, 19, 21, 24, 28, 44, 52, 56, 96, 100, 4096, 8192] where offset < database.count {
            var b = database
            b[offset] ^= 0xFF
            out.append(Mutant(kind: .database, label: "database byte \(offset) inverted", bytes: b))
        }
        out.append(Mutant(kind: .database, label: "database of text", bytes: Array("SQLite format 3\0 not really".utf8)))
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
        case .sweep: "sweep '\(file)' --plan '\(out).plan'"
        case .database: "sweep show '\(file)' --x seed --value final_loss --table"
        case .schedule, .optimizerSwitch: "run --preset '\(file)' --out '\(out)'"
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
        try "steps = 3\nwidth = 4\nsamples = 40\n\n[axes]\nseed = [1, 2]\n".write(toFile: dir + "/source.sweep", atomically: false, encoding: .utf8)
        let swept = shell("'\(Self.binary)' sweep '\(dir)/source.sweep' --out '\(dir)/source.sqlite' --jobs 2")
        #expect(swept.status == 0, "\(swept.output)")
        let database = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/source.sqlite")))
        let mutants = Self.mutants(presets: presets, recording: recording, csv: csv, images: images, database: database)
        let counts = Kind.allCases.map { kind in (kind, mutants.filter { $0.kind == kind }.count) }
        print("bad-input mutants by kind: " + counts.map { "\($0.0.rawValue) \($0.1)" }.joined(separator: ", "))
        #expect(mutants.count >= 2500)
        for (kind, count) in counts { #expect(count >= 50, "\(kind): \(count) mutants") }

        let results = Mutex<[Outcome]>([])
        let workers = 3
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            for i in stride(from: w, to: mutants.count, by: workers) {
                let m = mutants[i]
                let file = "\(dir)/m\(i)." + (m.kind == .csv || m.kind == .imageCSV ? "csv" : m.kind == .database ? "sqlite" : "toml")
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
            case 1 where o.mutant.kind == .database && o.stderr.contains(o.file) && !o.stderr.contains("\n\n"):
                refused += 1  // a database that cannot be read is a failure of the store, exit 1
            default: bad.append("\(o.mutant.label): exit \(o.status): \(o.stderr.prefix(300))")
            }
        }
        print("bad-input mutants: tried \(outcomes.count), refused \(refused), accepted \(accepted), crashed or unclear \(bad.count)")
        #expect(outcomes.count == mutants.count)
        #expect(bad.isEmpty, "\(bad.prefix(15).joined(separator: "\n"))")
    }
}

import Synchronization
