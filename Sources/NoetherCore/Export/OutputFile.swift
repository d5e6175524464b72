#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that noether writes: opened in place at what the path names, never replaced.
///
/// A symlink is followed (its target gets the data), a FIFO or device is written as it is
/// (`--out /dev/stdout`, a named pipe), an existing regular file keeps its mode and hard
/// links and is truncated, a new file gets 0666 & ~umask. Every write loops over partial
/// writes and EINTR; a failure throws a message naming the file. After a failed write a
/// regular file is cut back to the end of the last whole write, so it never ends in part
/// of a line when callers write whole lines.
public final class OutputFile {
    public let path: String
    private var fd: Int32
    private let ownsDescriptor: Bool
    private let isRegular: Bool
    /// Bytes of the writes that completed (where a regular file is cut back to on failure).
    private var committed: off_t = 0

    /// `-` is standard output.
    public init(path: String) throws(OutputError) {
        self.path = path
        if path == "-" {
            fd = STDOUT_FILENO
            ownsDescriptor = false
            var st = stat()
            isRegular = fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
            if isRegular { committed = lseek(fd, 0, SEEK_CUR) }
            return
        }
        var st = stat()
        let exists = stat(path, &st) == 0
        if exists, (st.st_mode & S_IFMT) == S_IFDIR {
            throw OutputError(path: path, message: "is a folder; give a file name")
        }
        // Truncation only makes sense for a regular file; a FIFO or device is written as it is.
        let flags = O_WRONLY | O_CLOEXEC | (!exists || (st.st_mode & S_IFMT) == S_IFREG ? O_CREAT | O_TRUNC : 0)
        var opened: Int32
        repeat { opened = open(path, flags, 0o666) } while opened < 0 && errno == EINTR
        guard opened >= 0 else { throw OutputError(path: path, action: "cannot open for writing", errno: errno) }
        fd = opened
        ownsDescriptor = true
        var now = stat()
        isRegular = fstat(fd, &now) == 0 && (now.st_mode & S_IFMT) == S_IFREG
    }

    deinit { if ownsDescriptor, fd >= 0 { _ = systemClose(fd) } }

    /// Writes all of `text` or throws; on a regular file a failed write leaves nothing of `text`.
    public func write(_ text: String) throws(OutputError) {
        var text = text
        let failure: Int32? = text.withUTF8 { bytes in
            var done = 0
            while done < bytes.count {
                let n = systemWrite(fd, bytes.baseAddress! + done, bytes.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                if n == 0 { return EIO }
                done += n
            }
            return nil
        }
        if let failure {
            // Back to the end of the last whole write, the offset too: a later write (the next
            // line, which may fit) must continue there, not after a hole.
            if isRegular {
                _ = ftruncate(fd, committed)
                _ = lseek(fd, committed, SEEK_SET)
            }
            throw OutputError(path: path, action: "cannot write", errno: failure)
        }
        committed += off_t(text.utf8.count)
    }

    /// Closes the file; a late error (NFS, a full disk on close) throws naming the file.
    public func close() throws(OutputError) {
        guard ownsDescriptor, fd >= 0 else { return }
        let result = systemClose(fd)
        let error = errno
        fd = -1
        if result != 0, error != EINTR { throw OutputError(path: path, action: "cannot finish writing", errno: error) }
    }

    /// Refuses a path that cannot be written before any work starts: a folder, a missing or
    /// read-only parent folder, a read-only file. Nothing is created.
    public static func checkWritable(_ path: String) throws(OutputError) {
        guard path != "-" else { return }
        var st = stat()
        if stat(path, &st) == 0 {
            if (st.st_mode & S_IFMT) == S_IFDIR { throw OutputError(path: path, message: "is a folder; give a file name") }
            if access(path, W_OK) != 0 { throw OutputError(path: path, action: "cannot write", errno: errno) }
            return
        }
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        guard stat(folder, &st) == 0 else {
            throw OutputError(path: path, message: "cannot create it: the folder \(folder) does not exist")
        }
        guard (st.st_mode & S_IFMT) == S_IFDIR else {
            throw OutputError(path: path, message: "cannot create it: \(folder) is not a folder")
        }
        guard access(folder, W_OK | X_OK) == 0 else {
            throw OutputError(path: path, message: "cannot create it in \(folder): \(String(cString: strerror(errno)))")
        }
    }

    /// Creates a folder and any missing parents (an existing folder is fine); a failure names the
    /// part of the path that could not be made and why.
    public static func makeFolder(_ path: String) throws(OutputError) {
        var built = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            built += "/" + part
            var st = stat()
            if stat(built, &st) == 0 {
                guard (st.st_mode & S_IFMT) == S_IFDIR else { throw OutputError(path: path, message: "cannot create the folder: \(built) is a file") }
                continue
            }
            guard mkdir(built, 0o777) == 0 || errno == EEXIST else {
                throw OutputError(path: path, action: "cannot create the folder \(built)", errno: errno)
            }
        }
    }

    /// Writes a whole file: open in place, write, close.
    public static func write(_ text: String, to path: String) throws(OutputError) {
        let file = try OutputFile(path: path)
        try file.write(text)
        try file.close()
    }
}

private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int { write(fd, bytes, count) }
private func systemClose(_ fd: Int32) -> Int32 { close(fd) }

/// Why a file could not be written, naming it: "run.csv: cannot write: No space left on device".
public struct OutputError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var message: String
    /// The system's error number, when a system call failed (EPIPE: the reader went away).
    public var code: Int32?
    public var description: String { "\(path == "-" ? "standard output" : path): \(message)" }

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    init(path: String, action: String, errno code: Int32) {
        self.init(path: path, message: "\(action): \(String(cString: strerror(code)))")
        self.code = code
    }
}
