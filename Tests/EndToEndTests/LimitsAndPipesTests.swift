import Foundation
import Testing

/// Limits that are products, numbers in one syntax, settings nobody reads named, outputs that
/// would meet through a link refused, rows kept on a full file system, pipes that close, one
/// sweep per database, and signals that stop a command inside a long step.
@Suite("Limits and pipes", .serialized)
struct LimitsAndPipesTests {
    static let small = "--steps 3 --width 4 --samples 64"

    @Test func aSweepGridIsLimitedByItsRunCountBeforeAnyRunIsLaidOut() {
        let dir = TemporaryFolder()
        // 100⁴ × 10 = 10⁹ runs: refused at once, naming the count, the sizes and the limit.
        let axes = ["seed", "width", "batch-size", "samples"].map { "\($0) = { from = 8, to = 107, count = 100 }" }
        let text =
            "steps = 1\n\n[axes]\n" + axes.joined(separator: "\n") + "\nlr = { from = 0.01, to = 0.1, count = 10 }\n"
        FileManager.default.createFile(atPath: dir("g.toml"), contents: Data(text.utf8))
        for target in ["--plan '\(dir("plan"))'", "--out '\(dir("r.sqlite"))'"] {
            let r = noether("sweep '\(dir("g.toml"))' \(target)")
            #expect(r.status == 2)
            #expect(
                r.output
                    == "noether: \(dir("g.toml")):4: the axes make 1000000000 runs (seed 100 × width 100 × batch-size 100 × samples 100 × lr 10); a sweep may have at most 100000\n",
                "\(r.output)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir("plan")))
        #expect(!FileManager.default.fileExists(atPath: dir("r.sqlite")))
        // Five axes of 10,000 values overflow a 64-bit count; still one line.
        let huge = (1...5).map { "k\($0)" }.enumerated().map { i, _ in
            ["seed", "width", "batch-size", "samples", "lr"][i]
                + (i == 4 ? " = { from = 0.001, to = 1, count = 10000 }" : " = { from = 8, to = 10007, count = 10000 }")
        }
        FileManager.default.createFile(
            atPath: dir("h.toml"), contents: Data(("steps = 1\n[axes]\n" + huge.joined(separator: "\n")).utf8))
        let r = noether("sweep '\(dir("h.toml"))' --plan '\(dir("plan"))'")
        #expect(r.status == 2)
        #expect(r.output.contains("the axes make 1e+20 runs"), "\(r.output)")
    }

    @Test(arguments: ["", "# only a comment\n", "title = \"t\"\nsteps = 5\n", "steps = 5\n[axes]\n"])
    func aSweepWithoutAxesIsRefused(text: String) {
        let dir = TemporaryFolder()
        FileManager.default.createFile(atPath: dir("s.toml"), contents: Data(text.utf8))
        let r = noether("sweep '\(dir("s.toml"))' --out '\(dir("r.sqlite"))'")
        #expect(r.status == 2)
        #expect(r.output.contains("the sweep has no axes"), "\(r.output)")
        #expect(!FileManager.default.fileExists(atPath: dir("r.sqlite")))
    }

    @Test(arguments: ["4.9e-324", "1e-310", "2.2250738585072014e-308", "1e-300"])
    func anExtremeLearningRateRuns(lr: String) {
        let r = shell(
            "timeout -s KILL 60 '\(ExplorerEndToEndTests.binary)' run --lr \(lr) --momentum 0.9 \(Self.small) 2>/dev/null",
            mergeErrors: false)
        #expect(r.status == 0, "\(r.output)")
        // Every row says the learning rate that was chosen, a subnormal included (never 0.0).
        let rows = r.output.split(separator: "\n")
        #expect(rows.count == 4 && rows.allSatisfy { $0.contains(",\"lr\":\(Double(lr)!),") }, "\(rows.first ?? "")")
    }

    @Test(arguments: ["lr", "eps", "noise", "init-std", "output-shift", "momentum", "beta2", "weight-decay"])
    func numbersAreDecimal(flag: String) {
        for value in ["0x10", "0x1p-3", "nan", "inf", "1_000", "1e", ".", "--1"] {
            let r = noether("run \(Self.small) --\(flag)=\(value)")
            #expect(r.status == 2, "--\(flag) \(value)")
            #expect(r.output.contains("'\(value)' is not a decimal number"), "\(r.output)")
        }
        let r = noether("run \(Self.small) --\(flag)=1e-3 --optimizer adam --norm layer")
        #expect(!r.output.contains("is not a decimal number"), "\(r.output)")
    }

    @Test(arguments: [
        ("steps = 1e3", "steps must be an integer written without a point or exponent, got 1000.0"),
        ("width = 4.0", "width must be an integer written without a point or exponent, got 4.0"),
        ("seed = 1.5", "seed must be an integer 0…9223372036854775807 written without a point or exponent, got 1.5"),
        ("lr = 0x10", "column 6: 0x10 is not a decimal number"),
        ("lr = 0b1", "column 6: 0b1 is not a decimal number"),
    ])
    func presetsTakeTheSameNumbers(line: String, message: String) {
        let dir = TemporaryFolder()
        FileManager.default.createFile(atPath: dir("p.toml"), contents: Data("title = \"t\"\n\(line)\n".utf8))
        let r = noether("run --preset '\(dir("p.toml"))'")
        #expect(r.status == 2)
        #expect(r.output.hasPrefix("noether: \(dir("p.toml")):2: \(message)"), "\(r.output)")
    }

    @Test(arguments: [
        ("step = 11\nteleport = { family = \"fc1.scale\", factor = 2.0 }", "a teleport"),
        ("step = 11\nfork = true", "a fork"),
        ("step = 1000\nlr = 0.01", "a change"),
    ])
    func aChangeAfterTheLastStepIsRefused(table: String, what: String) {
        let dir = TemporaryFolder()
        FileManager.default.createFile(
            atPath: dir("p.toml"), contents: Data("title = \"t\"\nsteps = 10\n\n[[at]]\n\(table)\n".utf8))
        let r = noether("run --preset '\(dir("p.toml"))'")
        #expect(r.status == 2)
        #expect(
            r.output.contains(":4: [[at]] step ")
                && r.output.contains("(\(what)) is after the run's last step; steps are 0…10"), "\(r.output)")
    }

    @Test(arguments: [
        (
            "--beta2 0.9", "beta2 = 0.9",
            "beta2 = 0.9 is not used by optimizer sgd (only by adam, adamw and lion); it has no effect"
        ),
        (
            "--beta2 2 --optimizer sgdw", "beta2 = 2.0\noptimizer = \"sgdw\"",
            "beta2 = 2.0 is not used by optimizer sgdw (only by adam, adamw and lion); it has no effect"
        ),
        (
            "--image-shape 1x4x4", "image-shape = \"1x4x4\"",
            "image-shape = \"1x4x4\" is not used by data blobs (only by shapes and CSV files); it has no effect"
        ),
        (
            "--data shapes --input-dim 3", "data = \"shapes\"\ninput-dim = 3",
            "input-dim = 3 is not used by data shapes (only by blobs and teacher); it has no effect"
        ),
        (
            "--kernel 5", "kernel = 5",
            "kernel = 5 is not used by a model without conv blocks (only by conv blocks (conv = [...])); it has no effect"
        ),
    ])
    func anUnusedSettingIsNamedTheSameEverywhere(flags: String, toml: String, warning: String) {
        let dir = TemporaryFolder()
        let r = shell(
            "'\(ExplorerEndToEndTests.binary)' run \(Self.small) \(flags) 2>&1 >/dev/null", mergeErrors: false)
        #expect(r.status == 0)
        #expect(r.output == "noether: warning: \(warning)\n", "\(r.output)")
        FileManager.default.createFile(atPath: dir("p.toml"), contents: Data("title = \"p\"\n\(toml)\n".utf8))
        let p = shell(
            "'\(ExplorerEndToEndTests.binary)' run \(Self.small) --preset '\(dir("p.toml"))' 2>&1 >/dev/null",
            mergeErrors: false)
        #expect(p.status == 0)
        #expect(p.output == "noether: warning: \(warning)\n", "\(p.output)")
        let sweep = "steps = 2\nwidth = 4\nsamples = 64\n\(toml)\n\n[axes]\nseed = [1, 2]\n"
        FileManager.default.createFile(atPath: dir("s.toml"), contents: Data(sweep.utf8))
        let s = shell(
            "'\(ExplorerEndToEndTests.binary)' sweep '\(dir("s.toml"))' --plan '\(dir("plan"))' 2>&1 >/dev/null",
            mergeErrors: false)
        #expect(s.status == 0, "\(s.output)")
        #expect(s.output == "noether: warning: \(dir("s.toml")): \(warning)\n", "\(s.output)")
    }

    @Test func aSweepWarnsOnlyWhereNoRunReadsTheSetting() {
        let dir = TemporaryFolder()
        let text = "steps = 2\nwidth = 4\nsamples = 64\nbeta2 = 0.9\n\n[axes]\noptimizer = [\"sgd\", \"adam\"]\n"
        FileManager.default.createFile(atPath: dir("s.toml"), contents: Data(text.utf8))
        let s = shell(
            "'\(ExplorerEndToEndTests.binary)' sweep '\(dir("s.toml"))' --plan '\(dir("plan"))' 2>&1 >/dev/null",
            mergeErrors: false)
        #expect(s.status == 0)
        #expect(s.output == "", "\(s.output)")
    }

    @Test func aTaskABuiltInSetDoesNotHaveIsRefused() {
        let r = noether("run \(Self.small) --data shapes --task regression")
        #expect(r.status == 2)
        #expect(
            r.output == "noether: --task: regression is only for a CSV file; shapes is a classification set\n",
            "\(r.output)")
    }

    @Test(arguments: [
        ("--record LX --out X", "--out and --record name the same file (X and LX)"),
        ("--out LX --dump-params X", "--out and --dump-params name the same file (LX and X)"),
        ("--out LLX --record X", "--out and --record name the same file (LLX and X)"),
        ("--out sub/../X --record X", "--out and --record name the same file (sub/../X and X)"),
        ("--out ABS --record X", "--out and --record name the same file (ABS and X)"),
    ])
    func outputsMeetingThroughADanglingLinkOrDotDotAreRefused(args: String, message: String) {
        let dir = TemporaryFolder()
        #expect(symlink("X", dir("LX")) == 0)  // dangling: X does not exist
        #expect(symlink("LX", dir("LLX")) == 0)
        #expect(symlink(dir("X"), dir("ABS")) == 0)
        #expect(mkdir(dir("sub"), 0o755) == 0)
        let r = shell("cd '\(dir.path)' && '\(ExplorerEndToEndTests.binary)' run \(Self.small) \(args)")
        #expect(r.status == 2)
        #expect(r.output == "noether: \(message); give each output its own file\n", "\(r.output)")
        #expect(!FileManager.default.fileExists(atPath: dir("X")))
    }

    @Test func aClosedStandardOutputEndsTheRunQuietly() {
        let r = shell(
            "bash -c \"set -o pipefail; '\(ExplorerEndToEndTests.binary)' run --steps 100000 --width 4 --samples 64 | head -3 | wc -l\""
        )
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output == "3\n", "\(r.output)")
    }

    @Test func aClosedOutFIFOIsAnError() {
        let dir = TemporaryFolder()
        #expect(mkfifo(dir("fifo"), 0o644) == 0)
        let r = shell(
            "(head -c 100 '\(dir("fifo"))' >/dev/null &) ; '\(ExplorerEndToEndTests.binary)' run --steps 100000 --width 4 --samples 64 --out '\(dir("fifo"))'"
        )
        #expect(r.status == 1)
        #expect(r.output.contains("\(dir("fifo")): cannot write: Broken pipe"), "\(r.output)")
    }

    /// A file-size limit (bash's ulimit -f 40: 40 KiB, with SIGXFSZ ignored) makes writes fail as a full disk does:
    /// every whole row before the limit stays, and the message says how many.
    @Test func aFullFileKeepsEveryRowThatFitted() {
        let dir = TemporaryFolder()
        let r = shell(
            "bash -c \"trap '' XFSZ; ulimit -f 40; '\(ExplorerEndToEndTests.binary)' run --steps 2000 --format csv --width 4 --samples 64 --out '\(dir("o.csv"))'\""
        )
        #expect(r.status == 1)
        let kept = contents(dir("o.csv"))
        #expect(kept.utf8.count > 30_000 && kept.utf8.count <= 40 * 1024, "\(kept.utf8.count) bytes")
        #expect(kept.hasSuffix("\n"))
        let lines = kept.split(separator: "\n").count
        #expect(
            r.output.contains("\(dir("o.csv")): cannot write: File too large; the first \(lines) lines are kept"),
            "\(r.output)")
    }

    /// On a real full file system (a 64 KB tmpfs; needs root, else the test says so and passes).
    @Test func aFullDiskKeepsEveryRowThatFitted() {
        let dir = TemporaryFolder()
        #expect(mkdir(dir("full"), 0o755) == 0)
        guard getuid() == 0, shell("mount -t tmpfs -o size=64k tmpfs '\(dir("full"))'").status == 0 else {
            print("not root or no tmpfs: the full-disk case is covered by the file-size limit test")
            return
        }
        defer { _ = shell("umount '\(dir("full"))'") }
        let r = noether("run --steps 2000 --width 4 --samples 64 --out '\(dir("full/o.jsonl"))'")
        #expect(r.status == 1)
        let kept = contents(dir("full/o.jsonl"))
        let lines = kept.split(separator: "\n").count
        #expect(lines > 3 && kept.hasSuffix("\n"))
        #expect(r.output.contains("No space left on device; the first \(lines) lines are kept"), "\(r.output)")
    }

    @Test func aSecondSweepOnADatabaseInUseIsRefusedNamingItsHolder() throws {
        let dir = TemporaryFolder()
        let text = "steps = 200000\nwidth = 4\nsamples = 64\n\n[axes]\nseed = [1, 2]\n"
        FileManager.default.createFile(atPath: dir("s.toml"), contents: Data(text.utf8))
        let first = try SignalTests.start(
            ["sweep", dir("s.toml"), "--out", dir("r.sqlite"), "--jobs", "1"], stderr: dir("err"))
        defer { if first.isRunning { kill(first.processIdentifier, SIGKILL) } }
        guard
            SignalTests.waitFor(
                "the first sweep's lock", { FileManager.default.fileExists(atPath: dir("r.sqlite.lock")) })
        else { return }
        let second = noether("sweep '\(dir("s.toml"))' --out '\(dir("r.sqlite"))'")
        #expect(second.status == 1)
        #expect(
            second.output.contains(
                "--out \(dir("r.sqlite")) is in use by another sweep (process \(first.processIdentifier) (noether sweep"
            ), "\(second.output)")
        kill(first.processIdentifier, SIGTERM)
        first.waitUntilExit()
        #expect(first.terminationStatus == 128 + SIGTERM)
        #expect(!FileManager.default.fileExists(atPath: dir("r.sqlite.lock")))
    }

    @Test func aDatabaseThatIsAPipeIsRefusedAtOnce() {
        let dir = TemporaryFolder()
        #expect(mkfifo(dir("db"), 0o644) == 0)
        let r = shell(
            "timeout -s KILL 20 '\(ExplorerEndToEndTests.binary)' sweep show '\(dir("db"))' --x lr --value final_loss")
        #expect(r.status == 2, "\(r.output)")
        #expect(r.output.contains("\(dir("db")): is a named pipe, not an SQLite database file"), "\(r.output)")
    }

    @Test func aPresetFromAPipeIsRead() {
        let r = shell(
            "bash -c \"'\(ExplorerEndToEndTests.binary)' run --preset <(printf 'title = \\\"piped\\\"\\nsteps = 2\\nwidth = 4\\n') --samples 64 | wc -l\""
        )
        #expect(r.output.hasSuffix("3\n"), "\(r.output)")
        let zero = shell("timeout -s KILL 60 '\(ExplorerEndToEndTests.binary)' run --preset /dev/zero")
        #expect(zero.status == 2, "\(zero.output)")
        #expect(zero.output.contains("/dev/zero"), "\(zero.output)")
    }

    /// A step that takes many seconds: TERM stops the command within the grace (0.7 s), with
    /// 128 + 15; the assertion leaves room for a loaded machine.
    @Test func aSignalStopsALongStep() throws {
        let dir = TemporaryFolder()
        let p = try SignalTests.start(
            [
                "run", "--width", "1024", "--depth", "2", "--input-dim", "1024", "--samples", "20000",
                "--batch-size", "20000", "--steps", "50", "--out", dir("o.jsonl"),
            ], stderr: dir("err"))
        usleep(2_500_000)
        let sent = Date()
        kill(p.processIdentifier, SIGTERM)
        _ = SignalTests.waitFor("the run to stop", timeout: 30) { !p.isRunning }
        let took = Date().timeIntervalSince(sent)
        p.waitUntilExit()
        #expect(p.terminationStatus == 128 + SIGTERM, "\(contents(dir("err")))")
        #expect(took < 3, "stopped \(took) s after the signal")
        #expect(contents(dir("o.jsonl")).isEmpty || contents(dir("o.jsonl")).hasSuffix("\n"))
    }
}
