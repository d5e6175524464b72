import ArgumentParser
import CPUCheck
import Foundation
import NoetherCore

@main
struct Noether: ParsableCommand {
    static let version = "0.1.0"
    static let configuration = CommandConfiguration(
        commandName: "noether",
        abstract: "See symmetry and broken conservation laws in neural-network training.",
        discussion: """
            With no subcommand, opens the live explorer on the built-in default (a batch-norm ReLU MLP \
            on blobs). `noether run` trains headless and writes every charge with its exact theory.
            """,
        version: version,
        subcommands: [Explore.self, Run.self, Check.self, Presets.self, Replay.self, Tour.self, SweepCommand.self],
        defaultSubcommand: Explore.self)

    /// Usage errors exit with code 2 and one line naming the option and what is allowed.
    static func main() {
        // Before any of the numeric core runs: it is built for AVX2 on x86-64 (Package.swift).
        guard noether_cpu_supported() != 0 else {
            fail(
                "this build needs an x86-64 processor with AVX2, FMA and BMI2 (Intel Haswell, AMD Excavator or later); this one lacks some of them",
                code: 1)
        }
        var command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }  // --help, --version
            fail(firstLine(fullMessage(for: error)), code: 2)
        }
        do {
            try command.run()
        } catch let failure as RunFailure {
            fail(failure.message, code: failure.code)
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }
            fail(firstLine(fullMessage(for: error)), code: 2)
        }
    }

    static func firstLine(_ message: String) -> String {
        let line = message.split(separator: "\n").first.map(String.init) ?? message
        return line.hasPrefix("Error: ") ? String(line.dropFirst(7)) : line
    }

    static func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data("noether: \(message)\n".utf8))
        Foundation.exit(code)
    }
}

/// A failure after parsing, with its exit code (2: bad input; 1: the run itself failed).
struct RunFailure: Error {
    var message: String
    var code: Int32
    init(_ message: String, code: Int32 = 2) {
        self.message = message
        self.code = code
    }
}
