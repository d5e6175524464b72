import ArgumentParser
import Foundation
import NoetherCore
import NoetherUI

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train headless and write every step's charges and their exact theory.")

    @OptionGroup var options: ConfigOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var threading: ThreadOptions
    @Option(help: "Record the configuration and every change, for `noether replay`.") var record: String?
    @Flag(
        help:
            "Print the dictionary of output fields and the names each quantity has elsewhere (docs/FIELDS.md), and exit."
    )
    var fields = false
    @Option(help: "Also draw one chart of the run as SVG (at the written steps).") var svg: String?
    @Option(help: "The same chart as PDF (converted by rsvg-convert).") var pdf: String?
    @Option(help: "The same chart as PNG (converted by rsvg-convert).") var png: String?
    @Option(help: "The chart: charge (with exact, Q⁽⁰⁾ and NM), gap or angle.") var plot = RunPlot.Chart.charge
    @Option(help: "The family of the chart (default: the first scale family, else the first).") var family: String?

    func run() throws {
        if fields { return print(FieldDictionary.markdown(), terminator: "") }
        let (config, preset) = try options.resolve()
        threading.apply()
        let figure = FigureFiles(svg: svg, pdf: pdf, png: png)
        try DistinctPaths.check(
            outputs: output.outputs + [("--record", record)] + figure.outputs,
            inputs: DistinctPaths.inputs(options, config))
        // A chart of a family the model lacks is refused before training, not after the run.
        if figure.any, let family {
            let families: [String]
            do { families = try Simulator(config).symmetries.familyNames } catch { throw RunFailure("\(error)") }
            guard families.contains(family) else {
                throw RunFailure(
                    "--family \(family): this model has no such charge family; its families: "
                        + (families.isEmpty ? "none (no continuous symmetry)" : families.joined(separator: ", ")),
                    code: 2)
            }
        }
        var chart = RunPlot(chart: plot, family: family)
        try Headless.run(
            [.init(run: 0, preset: preset, steps: config.steps)], labelRuns: false, output, record: record,
            observe: { if figure.any { chart.add($0) } })
        guard figure.any else { return }
        switch chart.plot() {
        case .success(let p): try figure.write(p.svg())
        case .failure(let e): throw RunFailure("--family \(e)", code: 2)
        }
    }
}

struct Presets: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the presets: name, where it comes from, title.",
        discussion: """
            Presets are built in, or TOML files in $XDG_CONFIG_HOME/noether/presets (else \
            ~/.config/noether/presets; the explorer's `w` saves there) and in the folders of \
            $NOETHER_PRESETS (separated by ':'). A user file with a built-in preset's name takes its place. \
            `noether presets show NAME` prints a preset's TOML to copy and edit.
            """,
        subcommands: [Show.self])

    func run() throws {
        let (entries, skipped) = PresetLibrary.catalog()
        for problem in skipped { FileHandle.standardError.write(Data("noether: skipped \(problem)\n".utf8)) }
        let width = entries.map(\.preset.name.count).max() ?? 0
        let sourceWidth = entries.map(\.source.count).max() ?? 0
        for e in entries {
            print(
                e.preset.name.padding(toLength: width + 2, withPad: " ", startingAt: 0)
                    + e.source.padding(toLength: sourceWidth + 2, withPad: " ", startingAt: 0) + e.preset.title)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a preset as TOML.")
        @Argument(help: "Preset name or path.") var name: String
        func run() throws {
            do { print(try PresetLibrary.load(name).toml(), terminator: "") } catch { throw RunFailure("\(error)") }
        }
    }
}

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay a recording in the explorer, or headless with the same observations byte for byte.",
        discussion: """
            A recording holds every run of a session (a reset starts a new run). Headless, the runs \
            are written one after another; when there are several, each JSON line starts with \
            "run": n, and CSV (one header, one set of columns) needs --run N to pick one run.
            """)

    @Argument(help: "A file written by --record.") var file: String
    @Flag(help: "Write observations instead of opening the explorer.") var headless = false
    @OptionGroup var output: OutputOptions
    @Option(
        name: .customLong("run"),
        help: "Replay only this run of the session (0 is the first; each reset starts the next).")
    var only: Int?
    @Option(help: "Steps of the last replayed run, instead of where the recording stopped.") var steps: Int?
    @OptionGroup var display: DisplayOptions
    @OptionGroup var threading: ThreadOptions

    func validate() throws {
        if let steps, !(0...Config.maxSteps).contains(steps) {
            throw ValidationError("--steps must be 0…\(Config.maxSteps), got \(steps)")
        }
        if let only, only < 0 { throw ValidationError("--run must be 0 or more, got \(only)") }
        if threading.threads != 1, !headless {
            throw ValidationError("--threads applies to --headless replays; the explorer runs on one thread")
        }
    }

    func run() throws {
        let recording: Recording
        do { recording = try Recording.load(file) } catch { throw RunFailure("\(error)") }
        for warning in recording.warnings { FileHandle.standardError.write(Data("noether: \(warning)\n".utf8)) }
        var segments = recording.runs.enumerated().map {
            Headless.Segment(run: $0, preset: $1.preset, steps: $1.steps, from: $1.from)
        }
        if let only {
            guard only < segments.count else {
                throw RunFailure(
                    "--run \(only): \(file) has \(segments.count == 1 ? "1 run (0)" : "\(segments.count) runs (0…\(segments.count - 1))")"
                )
            }
            segments = [segments[only]]
        }
        if let steps {
            segments[segments.count - 1].steps = steps
        } else if recording.stopStep == nil, only == nil || only == recording.runs.count - 1 {
            FileHandle.standardError.write(
                Data(
                    "noether: \(file): the recording ends without [[stop]] (interrupted?); replaying to step \(segments.last!.steps), the last step it noted\n"
                        .utf8))
        }
        if headless {
            if segments.count > 1, output.format == .csv || output.dumpData != nil {
                throw RunFailure(
                    "\(file) holds \(segments.count) runs (a reset starts each); \(output.format == .csv ? "CSV has one set of columns" : "--dump-data writes one data set"): pick one with --run N (0…\(segments.count - 1)), or use --format jsonl, whose rows carry \"run\""
                )
            }
            try DistinctPaths.check(outputs: output.outputs, inputs: [("the recording", file)])
            threading.apply()
            try Headless.run(segments, labelRuns: segments.count > 1, output)
        } else {
            // The explorer replays run after run at the recorded pace and stops where the session ended.
            let runs = segments.map { segment in
                var p = segment.preset
                p.config.steps = segment.steps
                return p
            }
            try Explorer.launch(
                preset: runs[0], replay: true, record: nil, display, then: Array(runs.dropFirst()),
                from: segments.map(\.from))
        }
    }
}

struct Explore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore", abstract: "Open the live explorer (the default command).")

    @OptionGroup var options: ConfigOptions
    @Option(help: "Record the session to this file.") var record: String?
    @OptionGroup var display: DisplayOptions

    func run() throws {
        let (config, preset) = try options.resolve()
        // Refused before the terminal is taken: a session that cannot be recorded is not started.
        try DistinctPaths.check(outputs: [("--record", record)], inputs: DistinctPaths.inputs(options, config))
        try Explorer.launch(preset: preset, replay: false, record: record, display)
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a fixed suite of small configurations and check every exact identity.")

    func run() throws {
        let header = [
            "configuration", "symmetry", "groups", "steps", "worst exact residual", "continuum error", "expected",
            "result",
        ]
        var rows: [[String]] = []
        var failed = 0
        for check in CheckSuite.cases {
            let result: [CheckRow]
            do { result = try CheckSuite.run(check) } catch {
                rows.append([check.name, "-", "-", "-", "-", "-", "-", "FAIL: \(error)"])
                failed += 1
                continue
            }
            for r in result {
                if !r.passed { failed += 1 }
                rows.append([
                    r.configuration, r.symmetry.rawValue, "\(r.groups)", "\(r.steps)",
                    sci(r.worstResidual), sci(r.continuumError), r.expectation, r.passed ? "ok" : "FAIL",
                ])
            }
        }
        let widths = header.indices.map { i in ([header[i]] + rows.map { $0[i] }).map(\.count).max()! }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        print(line(header))
        print(line(widths.map { String(repeating: "-", count: $0) }))
        for r in rows { print(line(r)) }
        print(failed == 0 ? "\(rows.count) passed, 0 failed" : "\(rows.count - failed) passed, \(failed) failed")
        if failed > 0 { throw ExitCode(1) }
    }

    private func sci(_ x: Double) -> String { String(format: "%.1e", x) }
}

/// How the explorer draws and how fast it runs: shared by `noether`, `replay` and `tour`.
struct DisplayOptions: ParsableArguments {
    @Flag(help: "ASCII characters only (automatic when the locale is not UTF-8).") var ascii = false
    @Option(help: "Chart dots: braille, block (fonts without braille) or ascii.") var glyphs: DotStyle?
    @Flag(help: "No colours (also NO_COLOR).") var noColor = false
    @Option(
        help: "Steps per second, or max (default: each preset's pace, at which its steps take about 30 s).",
        completion: .list(["max"]), transform: Pace.parse)
    var speed: Pace?
    @Option(help: "Colours: dark, light or high-contrast (for projectors); K cycles them.") var theme: Theme?
    @Flag(help: "Lecture mode: hold at every caption until space (L toggles it).") var lecture = false

    var dots: DotStyle? { ascii ? .ascii : glyphs }

    /// These flags over the settings file (flags win); a bad file is refused naming file, key and values.
    func resolved(_ settings: Settings) -> ExplorerOptions {
        ExplorerOptions(
            dots: dots ?? settings.glyphs, noColor: noColor, speed: speed?.stepsPerSecond ?? settings.speed,
            theme: theme ?? settings.theme ?? .dark, lecture: lecture || (settings.lecture ?? false))
    }
}

extension Theme: ExpressibleByArgument {}

/// A pace from the command line: steps per second, or `max` (as fast as possible).
struct Pace {
    static let most = 1_000_000
    var stepsPerSecond: Int

    /// The value of --speed, or a message that says what it may be.
    static func parse(_ argument: String) throws -> Pace {
        if argument == "max" { return Pace(stepsPerSecond: 0) }
        guard let n = Int(argument), (1...most).contains(n) else {
            throw ValidationError("allowed: whole steps per second 1…\(NumberFormat.grouped(most)), or max")
        }
        return Pace(stepsPerSecond: n)
    }
}

struct Tour: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play the shipped presets in a teaching order; at the end of each, > opens the next.")

    /// From what the charges are, through normalization and the exact theory, to what breaks them.
    static let order = [
        "default", "bn-scale-growth", "bn-equilibrium", "theory-overlay", "rmsprop-analogy",
        "relu-rescale", "tanh-discrete", "translation-momentum", "linear-balance", "layer-norm",
        "vgg-mini", "resnet-mini", "adam-breaking", "optimizer-equilibria",
    ]

    @Option(help: "Start the tour at this preset.") var from: String?
    @OptionGroup var display: DisplayOptions

    func run() throws {
        var presets: [Preset] = []
        do { presets = try Self.order.map(PresetLibrary.load) } catch { throw RunFailure("\(error)") }
        if let from {
            guard let i = presets.firstIndex(where: { $0.name == from }) else {
                throw ValidationError(
                    "--from \(from): not in the tour; the tour is \(Self.order.joined(separator: ", "))")
            }
            presets = Array(presets[i...])
        }
        try Explorer.launch(preset: presets[0], replay: false, record: nil, display, tour: presets)
    }
}
