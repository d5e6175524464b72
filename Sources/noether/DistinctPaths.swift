import Foundation
import NoetherCore

/// Refuses outputs that would overwrite each other or an input, and outputs that cannot be
/// written at all, before a run starts (exit 2, naming the flags).
///
/// Two paths name the same file when they resolve to the same inode (`./x`, `x`, a symlink to
/// x, a hard link) or, for a file not yet there, to the same name in the same real folder
/// (after following any dangling symlink to where writing would create the file).
/// Devices are exempt: two streams to a terminal lose no data.
enum DistinctPaths {
    static func check(outputs: [(flag: String, path: String?)], inputs: [(flag: String, path: String?)]) throws {
        var seen: [(flag: String, path: String, identity: String)] = []
        for (flag, path) in inputs {
            guard let path, let id = identity(path) else { continue }
            seen.append((flag, path, id))
        }
        let inputCount = seen.count
        for (flag, path) in outputs {
            guard let path else { continue }
            do { try OutputFile.checkWritable(path) } catch { throw RunFailure("\(flag) \(error)") }
            guard let id = identity(path) else { continue }
            if let other = seen.firstIndex(where: { $0.identity == id }) {
                let o = seen[other]
                if other < inputCount {
                    throw RunFailure("\(flag) \(path) names the input of \(o.flag) (\(o.path)); writing it would destroy the input")
                }
                throw RunFailure("\(o.flag) and \(flag) name the same file (\(o.path == path ? path : "\(o.path) and \(path)")); give each output its own file")
            }
            seen.append((flag, path, id))
        }
    }

    /// The file a path names, or nil for a device.
    static func identity(_ path: String) -> String? {
        var st = stat()
        let found = path == "-" ? fstat(STDOUT_FILENO, &st) == 0 : stat(path, &st) == 0
        if found {
            let kind = st.st_mode & S_IFMT
            if kind == S_IFCHR || kind == S_IFBLK { return nil }
            return "inode \(st.st_dev):\(st.st_ino)"
        }
        // Not there yet: follow dangling symlinks (writing creates their target), then name the
        // file by its real folder, so `a/../x`, `./x` and a link to x all name x.
        var url = URL(fileURLWithPath: path)
        for _ in 0..<40 {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(url.path, &buffer, buffer.count - 1)
            guard n > 0 else { break }
            let target = String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            url = target.hasPrefix("/") ? URL(fileURLWithPath: target)
                : url.deletingLastPathComponent().appendingPathComponent(target)
            if stat(url.path, &st) == 0 { return identity(url.path) }
        }
        let folder = url.deletingLastPathComponent().path
        guard let real = realpath(folder, nil) else { return "path \(url.standardized.path)" }
        defer { free(real) }
        return "path \(String(cString: real))/\(url.lastPathComponent)"
    }

    /// The preset files a `--preset` value may read: a path, or a named preset's file in any
    /// folder presets are searched in.
    static func presetFiles(_ preset: String?) -> [String] {
        guard let preset else { return [] }
        if preset.contains("/") || preset.hasSuffix(".toml") { return [preset] }
        return PresetLibrary.userFolders.map { "\($0)/\(preset).toml" }.filter { FileManager.default.fileExists(atPath: $0) }
    }

    /// The inputs of a configuration given on the command line: preset files and a CSV data set.
    static func inputs(_ options: ConfigOptions, _ config: Config) -> [(flag: String, path: String?)] {
        var inputs = presetFiles(options.preset).map { (flag: "--preset", path: Optional($0)) }
        if case .file(let path) = config.data { inputs.append(("--data", path)) }
        return inputs
    }
}
