import ArgumentParser
import Foundation
import NoetherCore

struct SweepShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Draw a phase diagram: a quantity of a results database over one or two swept keys.",
        discussion: """
            Each cell is the mean over the runs with those axis values (repeats over seed, say) and prints \
            its number; shades (░▒▓█, or . : + # in ASCII) or colours map it to the legend. Quantities: \
            \(SweepQuantity.all.map(\.name).joined(separator: ", ")). rms_angle_ratio is the measured RMS \
            angle over √(2ηλ/(1+β)); gap_ratio_per_lr is Γ/Q₀ over η.
            """)
    @Argument(help: "The results database.") var database: String
    @Option(help: "The key along x (e.g. lr).") var x: String
    @Option(help: "The key along y (e.g. weight-decay); without it, one row.") var y: String?
    @Option(help: "The quantity in the cells.") var value: String
    @Option(help: "The charge family of a per-family quantity (default: the first that has it).") var family: String?
    @Option(help: "Also write the figure as SVG to this file.") var svg: String?
    @Flag(help: "A table of the cells instead of the heatmap.") var table = false
    @Flag(help: "ASCII characters only (automatic when the locale is not UTF-8).") var ascii = false
    @Flag(help: "No colours (also NO_COLOR, and whenever the output is not a terminal).") var noColor = false

    func run() throws {
        guard FileManager.default.fileExists(atPath: database) else {
            throw RunFailure("\(database): no such results database")
        }
        if let svg { try DistinctPaths.check(outputs: [("--svg", svg)], inputs: [("the database", database)]) }
        let diagram: PhaseDiagram
        do { diagram = try ResultsDatabase(path: database, readOnly: true).phaseDiagram(x: x, y: y, quantity: value, family: family) } catch {
            throw RunFailure("\(error)")
        }
        if table {
            print(diagram.table(), terminator: "")
        } else {
            let color = !noColor && ProcessInfo.processInfo.environment["NO_COLOR"] == nil && isatty(1) == 1
            print(diagram.text(unicode: !ascii && Explorer.localeAsksUTF8(), color: color), terminator: "")
        }
        if let svg {
            do { try OutputFile.write(diagram.svg(), to: svg) } catch { throw RunFailure("--svg \(error)", code: 1) }
        }
    }
}
