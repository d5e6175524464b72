import Foundation
import Testing
@testable import NoetherCore

/// Sweep files: a base configuration from the one schema (presets included), axes as lists or
/// ranges over any key, `time` for steps = time / lr, and a message naming file, line, key and
/// what is allowed for every mistake.
@Suite("Sweep files")
struct SweepFileTests {
    static let example = """
        preset = "bn-scale-growth"
        steps = 3000
        [axes]
        lr = [0.01, 0.03, 0.1]
        weight-decay = { from = 1e-4, to = 1e-2, count = 5, scale = "log" }
        seed = [1, 2]
        """

    @Test func theIssuesExampleGivesEveryCombinationOverThePreset() throws {
        let sweep = try Sweep.parse(Self.example, file: "s.toml")
        #expect(sweep.runCount == 30)
        #expect(sweep.axes.map(\.key) == ["lr", "weight-decay", "seed"])
        #expect(
            sweep.axes[1].values == [
                .float(1e-4), .float(3.16227766017e-4), .float(1e-3), .float(3.16227766017e-3), .float(1e-2),
            ])
        #expect(sweep.axes[2].values == [.integer(1), .integer(2)])
        let runs = try sweep.runs()
        let preset = try PresetLibrary.load("bn-scale-growth").config
        // The first axis varies slowest, the last fastest.
        #expect(
            runs.prefix(3).map(\.label) == [
                "lr=0.01 weight-decay=0.0001 seed=1", "lr=0.01 weight-decay=0.0001 seed=2",
                "lr=0.01 weight-decay=0.000316227766017 seed=1",
            ])
        #expect(runs.last?.label == "lr=0.1 weight-decay=0.01 seed=2")
        for run in runs {
            #expect(run.config.norm == preset.norm && run.config.momentum == preset.momentum)
            #expect(run.config.steps == 3000)
        }
        #expect(runs[7].config.lr == 0.01 && runs[7].config.weightDecay == 3.16227766017e-3 && runs[7].config.seed == 2)
        #expect(Set(runs.map(\.id)).count == 30, "every run has its own key")
    }

    @Test func timeSetsStepsFromTheLearningRate() throws {
        let sweep = try Sweep.parse("time = 20.0\nwidth = 4\n[axes]\nlr = [0.05, 0.1, 0.4]\n", file: "t.toml")
        #expect(try sweep.runs().map(\.config.steps) == [400, 200, 50])
        let axis = try Sweep.parse("lr = 0.1\n[axes]\ntime = [1, 2.5]\n", file: "t.toml")
        #expect(try axis.runs().map(\.config.steps) == [10, 25])
    }

    @Test func rangesFollowTheKeysType() throws {
        let sweep = try Sweep.parse(
            """
            steps = 5
            [axes]
            width = { from = 4, to = 16, count = 4 }
            momentum = { from = 0, to = 0.9, count = 4 }
            """, file: "r.toml")
        #expect(sweep.axes[0].values == [.integer(4), .integer(8), .integer(12), .integer(16)])
        #expect(sweep.axes[1].values == [.float(0), .float(0.3), .float(0.6), .float(0.9)])
    }

    /// Each mistake and the start of its message: file, line, key and what is allowed.
    @Test(
        "a bad sweep file is named by file, line and key",
        arguments: [
            (
                "steps = 9\n[axes]\nlearning-rate = [0.1]\n",
                "b.toml:3: unknown axis 'learning-rate'; axes take time or a configuration key: arch,"
            ),
            (
                "steps = 9\n[axes]\narch = [\"relu\", \"sigmoid\"]\n",
                "b.toml:3: axis arch must be one of \"linear\", \"relu\", \"leaky-relu\", \"tanh\", got \"sigmoid\""
            ),
            (
                "steps = 9\n[axes]\nnorm = { from = 1, to = 2, count = 2 }\n",
                "b.toml:3: axis norm: a range needs a number key; norm must be one of \"none\", \"batch\", \"layer\""
            ),
            (
                "steps = 9\n[axes]\nlr = { from = 0.1, to = 1, count = 3, scale = \"cubic\" }\n",
                "b.toml:3: axis lr: scale must be \"linear\" or \"log\""
            ),
            (
                "steps = 9\n[axes]\nlr = { from = 0, to = 1, count = 3, scale = \"log\" }\n",
                "b.toml:3: axis lr: a log range needs from > 0 and to > 0"
            ),
            (
                "steps = 9\n[axes]\nlr = { from = 0.1, to = 1, count = 3, step = 2 }\n",
                "b.toml:3: axis lr: unknown range key 'step'; a range has from, to, count, scale"
            ),
            ("steps = 9\n[axes]\nlr = [0.1, 200]\n", "b.toml:3: run lr=200: lr must be in (0, 100], got 200.0"),
            (
                "steps = 9\n\nlr = 0.1\n[axes]\nlr = [0.1, 0.2]\n",
                "b.toml:5: lr is set on line 3 and swept here; keep one"
            ),
            (
                "time = 3\nsteps = 9\n[axes]\nlr = [0.1, 0.2]\n",
                "b.toml:2: give steps or time (steps = time / lr), not both"
            ),
            ("time = -3\n[axes]\nlr = [0.1, 0.2]\n", "b.toml:1: time must be a positive number"),
            ("preset = \"nope\"\n", "b.toml:1: preset \"nope\": nope: no such preset; available: default,"),
            (
                "steps = 9\npreset = \"bn-equilibrium\"\n[axes]\nlr = [0.1]\n",
                "b.toml:2: preset \"bn-equilibrium\" changes training at step 6000 ([[at]]); a sweep runs one "
                    + "configuration per run without a schedule: copy the preset's keys into the sweep file instead"
            ),
            ("steps = 9\n[axes]\nlr = 0.1\n", "b.toml:3: axis lr must be a list [a, b, …] or a range"),
            ("steps = 9\n[axes]\nlr = []\n", "b.toml:3: axis lr has no values"),
            ("steps = 9\n[axes]\nlr = [0.1, 0.1]\n", "b.toml:3: axis lr lists 0.1 twice"),
            ("stepz = 9\n", "b.toml:1: unknown key 'stepz'; allowed: preset, time, title, description, arch,"),
            (
                "steps = 9\n[[axes]]\nlr = [0.1]\n",
                "b.toml:2: unknown table [[axes]]; a sweep file has top-level keys and one [axes] table"
            ),
            (
                "steps = 9\n[other]\nlr = [0.1]\n",
                "b.toml:2: unsupported table [other] with 1 keys; only [axes] and [[name]] tables are used"
            ),
            (
                "steps = 9\n[axes]\nseed = [1, -2]\n",
                "b.toml:3: axis seed must be an integer 0…9223372036854775807, got -2"
            ),
            (
                "steps = 9\n[axes]\nwidth = { from = 2, to = 4, count = 5 }\n",
                "b.toml:3: axis width: 5 values from 2.0 to 4.0 repeat once rounded to integers"
            ),
            (
                "steps = 9\n[axes]\nweight-decay = [0.5]\nlr = [1, 3]\n",
                "b.toml:3: run weight-decay=0.5 lr=3: weight-decay must be ≥ 0 with lr × weight-decay < 1"
            ),
            ("steps = 9\nlr = [0.1]\n", "b.toml:2: lr must be a number, got a TOML array"),
        ])
    func badFiles(_ text: String, _ message: String) {
        do {
            _ = try Sweep.parse(text, file: "b.toml")
            Issue.record("accepted: \(text)")
        } catch {
            #expect("\(error)".hasPrefix(message), "\(error)")
        }
    }

    @Test func theRunKeyIsAStableHashOfTheWholeConfiguration() {
        // The key of the built-in default must not change between versions: databases resume by it.
        #expect(Config().runID == "08f5455f26b6a0ff")
        #expect(Config().canonicalText.hasPrefix("arch = \"relu\"\nleaky-slope = 0.1\nnorm = \"batch\"\n"))
        var other = Config()
        other.seed = 2
        #expect(other.runID != Config().runID)
        other.seed = 1
        #expect(other.runID == Config().runID)
    }

    @Test func workerArgumentsNameEveryKeyOnce() throws {
        var c = Config()
        c.bias = false
        c.outputShift = -0.5
        c.data = .file("my data.csv")
        let words = c.arguments
        #expect(
            words.count == Config.keys.count - 6,
            "all but the unset task, input-dim, image-shape, init-std and targets, and the empty lr-scale")
        #expect(!words.contains { $0.hasPrefix("--lr-scale") }, "an empty value would read as a missing one")
        #expect(words.contains("--no-bias") && words.contains("--output-shift=-0.5") && words.contains("--lr=0.1"))
        #expect(shellQuoted("--data=my data.csv") == "'--data=my data.csv'")
        #expect(shellQuoted("--lr=0.1") == "--lr=0.1")
        #expect(shellQuoted("it's") == "'it'\\''s'")
    }
}

/// The sweeps shipped in Sweeps/ read and give the grids the README describes.
@Suite("Shipped sweeps")
struct ShippedSweepTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sweeps").path

    @Test func theEquilibriumSweepIsA5By5GridOverTheBatchNormPreset() throws {
        let sweep = try Sweep.load(Self.folder + "/equilibrium-angle.toml")
        #expect(sweep.axes.map(\.key) == ["lr", "weight-decay"] && sweep.axes.map(\.values.count) == [5, 5])
        #expect(
            try sweep.runs().allSatisfy {
                $0.config.norm == .batch && $0.config.momentum == 0.5 && $0.config.steps == 20000
            })
    }

    @Test func theKSBSweepEndsEveryRunAtTheSameTime() throws {
        let runs = try Sweep.load(Self.folder + "/ksb-gap-vs-lr.toml").runs()
        #expect(runs.count == 15)
        #expect(Set(runs.map { $0.config.lr * Double($0.config.steps) }) == [20])
        #expect(runs.allSatisfy { $0.config.weightDecay == 0 && $0.config.momentum == 0 })
    }
}

extension SweepFileTests {
    /// Sweeps that exercise every path of a run's identity: later keys at and off their defaults,
    /// a renamed key, unset optional keys set by an axis, numbers written as integers for number
    /// keys, ranges, and steps from time (top-level and swept).
    static let identitySweeps = [
        """
        preset = "vgg-mini"
        [axes]
        lr = [1, 0.05]
        nesterov = [false, true]
        kernel = [3, 5]
        pool = ["max", "avg", "none"]
        seed = [3, 9223372036854775807]
        """,
        """
        optimizer = "sgd"
        momentum = 0.5
        adam-beta2 = 0.95
        lr = 0.01
        [axes]
        time = [1, 2.5]
        dampening = [0.0, 0.5]
        whiten = [false, true]
        init-std = [0.5, 1]
        task = ["classification"]
        lr-scale = ["", "fc1=2,fc2=0.5"]
        """,
        """
        time = 20.0
        [axes]
        depth = [0, 2]
        lr = { from = 0.01, to = 0.1, count = 4, scale = "log" }
        width = { from = 2, to = 32, count = 3 }
        conv = [[], [4]]
        data = ["blobs", "shapes"]
        """,
    ]

    /// Runs are laid out from axis values decoded and formatted once; each run's identity must be
    /// byte for byte what its whole configuration, decoded the slow way, gives (databases resume by it).
    @Test(arguments: identitySweeps)
    func eachRunsIdentityIsItsWholeConfigurations(_ text: String) throws {
        let sweep = try Sweep.parse(text, file: "i.toml")
        let runs = try sweep.runs()
        #expect(runs.count == sweep.runCount && runs.count >= 12)
        for run in runs {
            var reference = try Config.decoding(
                run.axisValues.filter { $0.key != "time" }
                    .map { TOMLEntry(key: $0.key, value: $0.value, line: 0) }, over: sweep.base)
            if let t = run.axisValues.first(where: { $0.key == "time" })?.value.number ?? sweep.time {
                reference.steps = Int((t / reference.lr).rounded())
            }
            #expect(run.config == reference)
            #expect(run.canonicalText == reference.canonicalText)
            #expect(run.id == reference.runID)
            #expect(run.arguments == reference.arguments)
        }
        #expect(Set(runs.map(\.id)).count == runs.count)
    }
}

extension SweepFileTests {
    @Test func identitySweepsReachLaterAndRenamedKeys() throws {
        let first = try Sweep.parse(Self.identitySweeps[0], file: "i.toml").runs()
        #expect(first.contains { $0.canonicalText.contains("nesterov = true\n") })
        #expect(first.contains { !$0.canonicalText.contains("nesterov") }, "a later key at its default is left out")
        let second = try Sweep.parse(Self.identitySweeps[1], file: "i.toml").runs()
        #expect(
            second.allSatisfy {
                $0.canonicalText.contains("adam-beta2 = 0.95\n") && $0.arguments.contains("--beta2=0.95")
            })
        // Per-layer rates are an axis like any key, and a later key: left out at its default.
        #expect(second.contains { $0.canonicalText.contains("lr-scale = \"fc1=2.0,fc2=0.5\"\n") })
        #expect(second.contains { !$0.canonicalText.contains("lr-scale") })
        #expect(second.contains { $0.config.lrScale == LayerRates(["fc1": 2, "fc2": 0.5]) })
    }
}
