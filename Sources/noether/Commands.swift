import ArgumentParser
import Foundation
import NoetherCore
import NoetherUI

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train headless and write every step's charges and their exact theory.")

    @OptionGroup var options: ConfigOptions
    @Option(help: "Write every Nth step (the last step is always written).") var every = 1
    @Option(help: "jsonl or csv.") var format = OutputFormat.jsonl
    @Option(help: "Per row: summary (loss, norms, one line per symmetry kind), families, or neurons (every group).")
    var detail = OutputDetail.families
    @Flag(help: "Print the dictionary of output fields (docs/FIELDS.md) and exit.") var fields = false
    @Option(help: "Output file (default: standard output).") var out: String?
    @Option(help: "Write the parameters at the written steps (JSON Lines, PyTorch layout).") var dumpParams: String?
    @Option(help: "Write the training set as CSV.") var dumpData: String?
    @Option(help: "Record the configuration and every change, for `noether replay`.") var record: String?

    func validate() throws {
        guard every >= 1 else { throw ValidationError("--every must be at least 1, got \(every)") }
    }

    func run() throws {
        if fields { return print(FieldDictionary.markdown(), terminator: "") }
        let (config, preset) = try options.resolve()
        try Headless.run(preset, steps: config.steps, OutputOptions(
            every: every, format: format, detail: detail, out: out, dumpParams: dumpParams, dumpData: dumpData,
            record: record))
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
            print(e.preset.name.padding(toLength: width + 2, withPad: " ", startingAt: 0)
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
        abstract: "Replay a recording in the explorer, or headless with the same observations byte for byte.")

    @Argument(help: "A file written by --record.") var file: String
    @Flag(help: "Write observations instead of opening the explorer.") var headless = false
    @Option(help: "Write every Nth step.") var every = 1
    @Option(help: "jsonl or csv.") var format = OutputFormat.jsonl
    @Option(help: "Per row: summary, families or neurons (see `noether run --help`).")
    var detail = OutputDetail.families
    @Option(help: "Output file (default: standard output).") var out: String?
    @Option(help: "Steps to replay when the recording did not stop cleanly.") var steps: Int?
    @Flag(help: "ASCII characters only.") var ascii = false
    @Option(help: "Chart dots: braille, block or ascii.") var glyphs: DotStyle?
    @Flag(help: "No colours (also NO_COLOR).") var noColor = false

    func run() throws {
        let recording: Recording
        do { recording = try Recording.load(file) } catch { throw RunFailure("\(error)") }
        let total = steps ?? recording.stopStep ?? recording.preset.config.steps
        if headless {
            try Headless.run(recording.preset, steps: total, OutputOptions(every: every, format: format, detail: detail, out: out))
        } else {
            try Explorer.launch(preset: recording.preset, replay: true, record: nil, dots: ascii ? .ascii : glyphs, noColor: noColor)
        }
    }
}

struct Explore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore", abstract: "Open the live explorer (the default command).")

    @OptionGroup var options: ConfigOptions
    @Option(help: "Record the session to this file.") var record: String?
    @Flag(help: "ASCII characters only (automatic when the locale is not UTF-8).") var ascii = false
    @Option(help: "Chart dots: braille, block (fonts without braille) or ascii.") var glyphs: DotStyle?
    @Flag(help: "No colours (also NO_COLOR).") var noColor = false

    func run() throws {
        let (_, preset) = try options.resolve()
        try Explorer.launch(preset: preset, replay: false, record: record, dots: ascii ? .ascii : glyphs, noColor: noColor)
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a fixed suite of small configurations and check every exact identity.")

    func run() throws {
        let header = ["configuration", "symmetry", "groups", "steps", "worst exact residual", "continuum error", "expected", "result"]
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
                rows.append([r.configuration, r.symmetry.rawValue, "\(r.groups)", "\(r.steps)",
                             sci(r.worstResidual), sci(r.continuumError), r.expectation, r.passed ? "ok" : "FAIL"])
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
