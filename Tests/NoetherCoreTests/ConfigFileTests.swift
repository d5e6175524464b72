import Foundation
import Testing
@testable import NoetherCore
import ShippedPresets

/// Preset, recording and CSV files are read as every other tool reads them: strict TOML,
/// any line ending, values named with their file and line when they cannot be used.
@Suite("Configuration files")
struct ConfigFileTests {
    static func folder() -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("noether-config-\(UUID().uuidString)")
            .path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test(
        "text that is not TOML is refused with its line",
        arguments: [
            ("lr = .5\n", 1), ("title = \"x\"\ndepth = 01\n", 2), ("title = \"a\" \"b\"\n", 1),
            ("description = \"\"\"a\"\"\" trailing\n", 1), ("title = \"bell \u{7}\"\n", 1), ("lr = 0.1\nlr = 0.2\n", 2),
            // Headers TOMLKit's parser would stop the process on.
            ("[+x]\n", 1), ("title = \"t\"\n[[ .at]]\n", 2), ("[=]\n", 1),
        ])
    func strictTOML(_ text: String, _ line: Int) {
        #expect {
            try Preset.parse(text, name: "t", file: "t.toml")
        } throws: { error in
            guard let e = error as? PresetError else { return false }
            return e.line == line && e.file == "t.toml"
        }
    }

    @Test("only lines where a table header can be are checked for one")
    func headersOnlyWhereTheyCanBe() {
        for text in [
            "a = [\n  [+1, 2],\n]\n", "a = \"\"\"\n[+x\n\"\"\"\n", "a = '''\n[=]\n'''\n", "a = { b = [\n[.5]] }\n",
            "[ \"a b\" ]\n", "[[at]]\n",
        ] {
            #expect(TOML.headerWithoutKey(text) == nil, "\(text)")
        }
        #expect(TOML.headerWithoutKey("a = \"[\"\n[+x]\n")?.line == 2)
    }

    @Test("a data set that is neither built in nor a readable file is named with the preset's file and line")
    func missingDataSet() {
        #expect {
            try Preset.parse("title = \"x\"\nsteps = 3\ndata = \"teache9\"\n", name: "t", file: "t.toml")
        } throws: { error in
            guard let e = error as? PresetError else { return false }
            return e.file == "t.toml" && e.line == 3
                && e.message.contains("\"teache9\" is neither a built-in data set (blobs, teacher, spirals, shapes)")
        }
    }

    @Test("a preset with Windows line endings is the same preset")
    func crlfPresets() throws {
        for (name, text) in ShippedPresets.files {
            let unix = try Preset.parse(text, name: name, file: name)
            let windows = try Preset.parse(text.replacingOccurrences(of: "\n", with: "\r\n"), name: name, file: name)
            #expect(unix == windows, "\(name)")
        }
        #expect(ShippedPresets.files.count >= 10)
    }

    @Test("line numbers are right with Windows line endings")
    func crlfLines() {
        let text = "title = \"x\"\r\nlr = 0.1\r\nmomentum = 3\r\n"
        #expect {
            try Preset.parse(text, name: "t", file: "t.toml")
        } throws: { ($0 as? PresetError)?.line == 3 }
    }

    @Test("strings with quotes, backslashes, newlines, control characters and unicode round-trip")
    func stringRoundTrip() throws {
        var p = PresetLibrary.builtInDefault
        p.title = "a \"quoted\" \\ back\\\\slash"
        p.description = "line one\nline two\ttab \u{1} control — η√(2ηλ) ✔ \"\"\" end\\"
        p.schedule = [ScheduledChange(step: 5, learningRate: 0.2, say: "say \"this\"\n\\now")]
        let back = try Preset.parse(p.toml(), name: p.name, file: "x")
        #expect(back == p)
    }

    @Test("seeds up to 2^63 − 1 round-trip; larger ones are refused by name")
    func seeds() throws {
        var p = PresetLibrary.builtInDefault
        p.config.seed = UInt64(Int64.max)
        #expect(try Preset.parse(p.toml(), name: p.name, file: "x").config.seed == UInt64(Int64.max))
        for seed in [UInt64(1) << 63, UInt64.max] {
            var c = Config()
            c.seed = seed
            #expect(throws: ConfigError.self) { try c.validate() }
        }
        #expect {
            try Preset.parse("seed = -1\n", name: "t", file: "t.toml")
        } throws: { ($0 as? PresetError)?.message.contains("seed must be an integer 0…9223372036854775807") == true }
    }

    @Test("one broken file, a lock file or a hidden file in a presets folder hides nothing")
    func brokenPresetIsSkipped() throws {
        let dir = Self.folder()
        try "lr = .5\n".write(toFile: dir + "/broken.toml", atomically: false, encoding: .utf8)
        try "garbage".write(toFile: dir + "/.#mine.toml", atomically: false, encoding: .utf8)
        try "title = \"Mine\"\nlr = 0.3\n".write(toFile: dir + "/mine.toml", atomically: false, encoding: .utf8)
        let (entries, skipped) = PresetLibrary.catalog(folders: [dir])
        #expect(skipped.map(\.file) == [dir + "/broken.toml"])
        #expect(skipped.first?.line == 1)
        #expect(entries.contains { $0.preset.name == "mine" && $0.source == dir + "/mine.toml" })
        #expect(entries.contains { $0.preset.name == "bn-equilibrium" && $0.source == "built-in" })
        #expect(!entries.contains { $0.preset.name.contains("#") })
    }

    @Test("CSV files: Windows line endings, huge values and huge lines")
    func csvFiles() throws {
        let dir = Self.folder()
        var text = "x0,x1,label\n"
        for i in 0..<16 { text += "\(Double(i) * 0.1),\(Double(i % 3)),\(i % 2)\n" }
        try text.write(toFile: dir + "/unix.csv", atomically: false, encoding: .utf8)
        try text.replacingOccurrences(of: "\n", with: "\r\n").write(
            toFile: dir + "/windows.csv", atomically: false, encoding: .utf8)
        func load(_ file: String) throws -> Dataset {
            var c = Config()
            c.data = .file(dir + "/" + file)
            var rng = Xoshiro256(seed: 1)
            return try Dataset.make(c, rng: &rng)
        }
        let unix = try load("unix.csv"), windows = try load("windows.csv")
        #expect(unix.inputs == windows.inputs && unix.labels == windows.labels && unix.count == 16)

        try text.replacingOccurrences(of: "0.5,2.0,1", with: "1.7e308,2.0,1")
            .write(toFile: dir + "/huge.csv", atomically: false, encoding: .utf8)
        #expect { try load("huge.csv") } throws: {
            "\($0)".contains("huge.csv:7: column 1") && "\($0)".contains("±1e150")
        }

        let long = String(repeating: "9", count: 1_000_000)
        try (text + "\(long),1,0\n").write(toFile: dir + "/long.csv", atomically: false, encoding: .utf8)
        #expect { try load("long.csv") } throws: { "\($0)".count < 300 && "\($0)".contains("long.csv:18") }
    }

    @Test("inputs that cannot train are named, not reported as a divergence")
    func unusableInputsAreNamed() {
        for (field, change) in [
            ("init-std", { (c: inout Config) in c.initStd = 1e308 }),
            ("output-shift", { (c: inout Config) in c.outputShift = 1e308 }),
        ] {
            var c = Config()
            change(&c)
            #expect { try c.validate() } throws: { ($0 as? ConfigError)?.field == field }
        }
    }
}
