import Foundation
import NoetherCore

/// Buffered writing to standard output or a file; flushed in large chunks.
final class OutputSink {
    private let handle: FileHandle
    private var buffer = ""
    let path: String?

    init(path: String?) throws {
        self.path = path
        if let path, path != "-" {
            guard FileManager.default.createFile(atPath: path, contents: nil),
                  let h = FileHandle(forWritingAtPath: path) else {
                throw RunFailure("\(path): cannot create the output file")
            }
            handle = h
        } else {
            handle = .standardOutput
        }
    }

    func line(_ s: String) {
        buffer += s
        buffer += "\n"
        if buffer.utf8.count > 1 << 16 { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        try? handle.write(contentsOf: Data(buffer.utf8))
        buffer = ""
    }
}

/// Options for where and how a headless run writes.
struct OutputOptions {
    var every = 1
    var format = OutputFormat.jsonl
    var detail = OutputDetail.families
    var out: String?
    var dumpParams: String?
    var dumpData: String?
    var record: String?
}

/// The headless loop shared by `noether run` and `noether replay --headless`: schedule changes
/// apply at their step before that step is observed, so row k shows the parameters of update k+1.
enum Headless {
    static func run(_ preset: Preset, steps: Int, _ o: OutputOptions) throws {
        let config = preset.config
        let sim: Simulator
        do { sim = try Simulator(config) } catch { throw RunFailure("\(error)") }
        for note in sim.symmetries.notes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
        if let path = o.dumpData {
            guard FileManager.default.createFile(atPath: path, contents: Data(sim.data.csv().utf8)) else {
                throw RunFailure("\(path): cannot write the data file")
            }
        }
        let out = try OutputSink(path: o.out)
        let params = try o.dumpParams.map { try OutputSink(path: $0) }
        let recorder = try o.record.map { path throws(PresetError) in
            try Recorder(path: path, preset: preset, version: Noether.version)
        }
        var pending = preset.schedule[...]
        var wroteHeader = false
        defer { out.flush(); params?.flush() }
        for k in 0...steps {
            for change in try sim.applyDue(&pending) { try recorder?.record(change) }
            if k % o.every == 0 || k == steps {
                let obs = sim.observation()
                switch o.format {
                case .jsonl: out.line(ObservationFormat.jsonLine(obs, detail: o.detail))
                case .csv:
                    if !wroteHeader { out.line(ObservationFormat.csvHeader(obs, detail: o.detail)); wroteHeader = true }
                    out.line(ObservationFormat.csvRow(obs, detail: o.detail))
                }
                params?.line(ObservationFormat.parameterLine(step: k, sim.parameters()))
            }
            if k < steps {
                do { try sim.advance() } catch {
                    out.flush()
                    try recorder?.stop(at: sim.step)
                    throw RunFailure("\(error)", code: 1)
                }
            }
        }
        try recorder?.stop(at: steps)
    }
}
