import Foundation

/// Reading a file that noether takes as input (a preset, a recording, a sweep file, a CSV data
/// set). A regular file is read whole. A named pipe or device is read as a stream (so
/// `--preset <(…)` works), after a line on standard error says it waits for it, and at most
/// `limit` bytes of it (`/dev/zero` is refused, not read forever); a folder is refused.
public enum InputFile {
    /// The most bytes read from a pipe or device.
    public static let streamLimit = 1 << 30

    public enum Failure: Error, Sendable {
        case unreadable(String), folder, tooLong(Int)
    }

    public static func read(_ path: String, limit: Int = streamLimit) throws(Failure) -> Data {
        var st = stat()
        guard stat(path, &st) == 0 else { throw .unreadable(String(cString: strerror(errno))) }
        let kind = st.st_mode & S_IFMT
        if kind == S_IFDIR { throw .folder }
        if kind == S_IFREG {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw .unreadable(String(cString: strerror(errno)))
            }
            return data
        }
        if kind == S_IFIFO {
            FileHandle.standardError.write(Data("noether: reading \(path), a named pipe: waiting for its writer\n".utf8))
        }
        var fd: Int32
        repeat { fd = open(path, O_RDONLY | O_CLOEXEC) } while fd < 0 && errno == EINTR
        guard fd >= 0 else { throw .unreadable(String(cString: strerror(errno))) }
        defer { close(fd) }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .unreadable(String(cString: strerror(errno)))
            }
            if n == 0 { return data }
            guard data.count + n <= limit else { throw .tooLong(limit) }
            data.append(contentsOf: chunk[..<n])
        }
    }
}

extension InputFile.Failure: CustomStringConvertible {
    public var description: String {
        switch self {
        case .unreadable(let why): why
        case .folder: "is a folder, not a file"
        case .tooLong(let limit): "more than \(limit) bytes came from it; an input may be at most that"
        }
    }
}
