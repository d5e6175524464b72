import Foundation
import Testing

/// Options refused before a run starts (exit 2, one line naming them), and replays of whole
/// sessions through their resets.
@Suite("Command line trust", .serialized)
struct CommandLineTrustTests {
    static let small = "--steps 3 --width 4 --samples 64"

    /// A recording of a 3-step run in `dir`.
    static func recording(_ dir: TemporaryFolder) -> String {
        let r = noether("run \(small) --out '\(dir("rows"))' --record '\(dir("rec.toml"))'")
        #expect(r.status == 0, "\(r.output)")
        return dir("rec.toml")
    }

    @Test(arguments: [
        ("replay REC --headless --every 0", "--every must be at least 1, got 0"),
        ("replay REC --headless --every=-5", "--every must be at least 1, got -5"),
        ("replay REC --headless --steps=-1", "--steps must be 0…100000000, got -1"),
        ("replay REC --headless --run=-1", "--run must be 0 or more, got -1"),
        ("replay REC --headless --run 3", "--run 3: DIR/rec.toml has 1 run (0)"),
        ("run --every=-5", "--every must be at least 1, got -5"),
    ])
    func outputOptionsAreValidated(args: String, message: String) {
        let dir = TemporaryFolder()
        let rec = Self.recording(dir)
        let r = noether(args.replacingOccurrences(of: "REC", with: "'\(rec)'"))
        #expect(r.status == 2)
        #expect(r.output == "noether: \(message.replacingOccurrences(of: "DIR", with: dir.path))\n", "\(r.output)")
    }

    /// --speed says what it takes, in the explorer, a replay and the tour alike.
    @Test(arguments: ["--speed 0", "--speed fast", "replay REC --speed 2.5", "tour --speed=1000001"])
    func aBadPaceSaysWhatIsAllowed(_ args: String) {
        let dir = TemporaryFolder()
        let r = noether(args.replacingOccurrences(of: "REC", with: "'\(Self.recording(dir))'"))
        #expect(r.status == 2)
        #expect(r.output.hasSuffix(": allowed: whole steps per second 1…1,000,000, or max\n"), "\(r.output)")
        #expect(r.output.split(separator: "\n").count == 1, "one line: \(r.output)")
    }

    /// Without --format, an --out file named .csv gets CSV and one named .jsonl JSON Lines; a
    /// --format that contradicts the file's name is refused before anything is written.
    @Test func theOutputFileNameChoosesTheFormat() {
        let dir = TemporaryFolder()
        let csv = noether("run \(Self.small) --out '\(dir("a.CSV"))'")
        #expect(csv.status == 0, "\(csv.output)")
        let csvLines = contents(dir("a.CSV")).split(separator: "\n")
        #expect(csvLines.count == 5)  // the header and steps 0…3
        #expect(csvLines.first?.hasPrefix("step,") == true, "\(csvLines.first ?? "")")
        let jsonl = noether("run \(Self.small) --out '\(dir("a.jsonl"))'")
        #expect(jsonl.status == 0, "\(jsonl.output)")
        #expect(contents(dir("a.jsonl")).hasPrefix("{"))
        let clash = noether("run \(Self.small) --format jsonl --out '\(dir("b.csv"))'")
        #expect(clash.status == 2)
        #expect(
            clash.output
                == "noether: --out \(dir("b.csv")) names a .csv file but --format is jsonl: drop --format or name the file .jsonl\n",
            "\(clash.output)")
        #expect(!FileManager.default.fileExists(atPath: dir("b.csv")))
    }

    @Test(arguments: [
        ("--out X --record X", "--out and --record name the same file (X)"),
        ("--out X --dump-params ./X", "--out and --dump-params name the same file (X and ./X)"),
        ("--dump-data X --out X", "--out and --dump-data name the same file (X)"),
        ("--out X --record LINK", "--out and --record name the same file (X and LINK)"),
        (
            "--data f.csv --dump-data f.csv",
            "--dump-data f.csv names the input of --data (f.csv); writing it would destroy the input"
        ),
        (
            "--preset p.toml --out ./p.toml",
            "--out ./p.toml names the input of --preset (p.toml); writing it would destroy the input"
        ),
    ])
    func twoOutputsOnOnePathAreRefused(args: String, message: String) {
        let dir = TemporaryFolder()
        #expect(FileManager.default.createFile(atPath: dir("X"), contents: Data("keep\n".utf8)))
        #expect(symlink("X", dir("LINK")) == 0)
        _ = noether("run \(Self.small) --dump-data '\(dir("f.csv"))'")
        #expect(
            FileManager.default.createFile(atPath: dir("p.toml"), contents: Data("title = \"p\"\nwidth = 4\n".utf8)))
        let before = [contents(dir("f.csv")), contents(dir("p.toml"))]
        var r = shell("cd '\(dir.path)' && '\(ExplorerEndToEndTests.binary)' run \(Self.small) \(args)")
        // --samples is not read with a CSV file: that is said in a warning line before the refusal.
        r.output = r.output.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("noether: warning: samples = 64 is not used by data from a CSV file") }.joined(
                separator: "\n")
        #expect(r.status == 2)
        #expect(
            r.output == "noether: \(message); give each output its own file\n" || r.output == "noether: \(message)\n",
            "\(r.output)")
        #expect(contents(dir("X")) == "keep\n")
        #expect([contents(dir("f.csv")), contents(dir("p.toml"))] == before)
    }

    @Test func replayOutputNamingTheRecordingIsRefused() {
        let dir = TemporaryFolder()
        let rec = Self.recording(dir)
        let before = contents(rec)
        let r = noether("replay '\(rec)' --headless --out '\(rec)'")
        #expect(r.status == 2)
        #expect(r.output.contains("--out \(rec) names the input of the recording"), "\(r.output)")
        #expect(contents(rec) == before)
    }

    @Test func unallocatableConfigurationIsRefusedWithTheEstimate() {
        let r = noether("run --width 1024 --depth 8 --batch-size 1000000 --samples 1000000")
        #expect(r.status == 2)
        #expect(r.output.hasPrefix("noether: --batch-size: this configuration needs about "), "\(r.output)")
        #expect(r.output.contains(" GB); this machine has "))
    }

    @Test func explorerRefusesARecordingItCannotWrite() {
        let r = noether("--record /nonexistent-folder/x.toml < /dev/null")
        #expect(r.status == 2)
        #expect(
            r.output
                == "noether: --record /nonexistent-folder/x.toml: cannot create it: the folder /nonexistent-folder does not exist\n",
            "\(r.output)")
    }

    /// A session of two runs: the replay writes run 0 to its reset, then run 1 to its stop,
    /// each exactly as `noether run` writes that run alone.
    @Test func replayReproducesTheSessionThroughEveryReset() {
        let dir = TemporaryFolder()
        let session = """
            recording-format = 2
            noether-version = "test"
            title = "t"
            width = 6
            samples = 64

            [[at]]
            step = 5
            lr = 0.05

            [[progress]]
            run = 0
            step = 8

            [[reset]]
            run = 1
            step = 12
            width = 4
            samples = 64
            seed = 7

            [[at]]
            run = 1
            step = 3
            momentum = 0.9

            [[stop]]
            run = 1
            step = 10

            """
        #expect(FileManager.default.createFile(atPath: dir("session.toml"), contents: Data(session.utf8)))
        #expect(
            FileManager.default.createFile(
                atPath: dir("run0.toml"),
                contents: Data("width = 6\nsamples = 64\nsteps = 12\n\n[[at]]\nstep = 5\nlr = 0.05\n".utf8)))
        #expect(
            FileManager.default.createFile(
                atPath: dir("run1.toml"),
                contents: Data(
                    "width = 4\nsamples = 64\nseed = 7\nsteps = 10\n\n[[at]]\nstep = 3\nmomentum = 0.9\n".utf8)))
        let replay = noether("replay '\(dir("session.toml"))' --headless --every 4 --out '\(dir("replay.jsonl"))'")
        #expect(replay.status == 0, "\(replay.output)")
        var expected: [String] = []
        for run in 0...1 {
            let r = noether("run --preset '\(dir("run\(run).toml"))' --every 4 --out '\(dir("alone\(run).jsonl"))'")
            #expect(r.status == 0, "\(r.output)")
            expected += contents(dir("alone\(run).jsonl")).split(separator: "\n").map {
                "{\"run\":\(run)," + $0.dropFirst()
            }
        }
        #expect(expected.count == 4 + 4)
        #expect(contents(dir("replay.jsonl")).split(separator: "\n").map(String.init) == expected)

        let csv = noether("replay '\(dir("session.toml"))' --headless --format csv")
        #expect(csv.status == 2)
        #expect(csv.output.contains("holds 2 runs") && csv.output.contains("--run N (0…1)"), "\(csv.output)")
        let one = noether("replay '\(dir("session.toml"))' --headless --format csv --run 1 --out '\(dir("run1.csv"))'")
        let alone = noether("run --preset '\(dir("run1.toml"))' --format csv --out '\(dir("alone1.csv"))'")
        #expect(one.status == 0 && alone.status == 0, "\(one.output) \(alone.output)")
        #expect(!contents(dir("run1.csv")).isEmpty)
        #expect(contents(dir("run1.csv")) == contents(dir("alone1.csv")))
    }

    @Test func tornRecordingReplaysWithAWarning() {
        let dir = TemporaryFolder()
        let rec = Self.recording(dir)
        let text = contents(rec)
        let torn = text.replacingOccurrences(of: "[[stop]]\nstep = 3\n", with: "[[stop]]\nstep = ")
        #expect(torn != text)
        #expect(FileManager.default.createFile(atPath: rec, contents: Data(torn.utf8)))
        let lines = torn.split(separator: "\n", omittingEmptySubsequences: false).count
        let r = shell(
            "'\(ExplorerEndToEndTests.binary)' replay '\(rec)' --headless 2>&1 >/dev/null", mergeErrors: false)
        #expect(r.status == 0)
        #expect(r.output.hasPrefix("noether: \(rec):\(lines): the last line does not end"), "\(r.output)")
        #expect(
            r.output.contains("the recording ends without [[stop]] (interrupted?); replaying to step "), "\(r.output)")
    }
}
