import Foundation
import ArgumentParser
import NoetherCore

/// Writes one figure in the formats asked for: SVG as it is, PDF and PNG converted from it by
/// rsvg-convert (librsvg) when that is installed, saying so when it is not.
struct FigureFiles {
    var svg: String?
    var pdf: String?
    var png: String?

    var outputs: [(flag: String, path: String?)] { [("--svg", svg), ("--pdf", pdf), ("--png", png)] }
    var any: Bool { svg != nil || pdf != nil || png != nil }

    static var converter: String? {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(folder)/rsvg-convert"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    func write(_ figure: String) throws {
        if let svg { do { try OutputFile.write(figure, to: svg) } catch { throw RunFailure("--svg \(error)", code: 1) } }
        let conversions = [("--pdf", "pdf", pdf), ("--png", "png", png)].compactMap { c in c.2.map { (c.0, c.1, $0) } }
        guard !conversions.isEmpty else { return }
        guard let converter = Self.converter else {
            throw RunFailure("\(conversions.map(\.0).joined(separator: " and ")) need rsvg-convert to convert the SVG figure, and it is not installed (Debian and Ubuntu: apt-get install librsvg2-bin)\(svg == nil ? "" : "; the SVG was written"): nothing else was written", code: 1)
        }
        let temporary = NSTemporaryDirectory() + "noether-figure-\(getpid()).svg"
        do { try OutputFile.write(figure, to: temporary) } catch { throw RunFailure("\(error)", code: 1) }
        defer { unlink(temporary) }
        for (flag, format, path) in conversions {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: converter)
            // PNG at twice the SVG's size, sharp on slides and screens.
            process.arguments = ["-f", format] + (format == "png" ? ["-z", "2"] : []) + ["-o", path, temporary]
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw RunFailure("\(flag) \(path): rsvg-convert failed: \(message.trimmingCharacters(in: .whitespacesAndNewlines))", code: 1)
            }
        }
    }
}
extension RunPlot.Chart: ExpressibleByArgument {}
