import Foundation

/// One sweep at a time on one results database: an advisory lock (flock) on `<database>.lock`,
/// which says who holds it. A second sweep on a database in use is refused at once, naming the
/// process that holds it, so that no run is computed twice. The lock ends with its process
/// (kill -9 included); the file is removed when the holder finishes.
final class DatabaseLock {
    let path: String
    private var fd: Int32 = -1

    init(database: String, command: String) throws {
        path = database + ".lock"
        // A holder may remove the file between our open and our lock: then lock the new one.
        for _ in 0..<100 {
            var opened: Int32
            repeat { opened = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o666) } while opened < 0 && errno == EINTR
            guard opened >= 0 else {
                throw RunFailure("--out \(database): cannot create the lock file \(path): \(String(cString: strerror(errno)))", code: 1)
            }
            if flock(opened, LOCK_EX | LOCK_NB) != 0 {
                let why = errno
                let holder = Self.holder(opened)
                close(opened)
                guard why == EWOULDBLOCK else {
                    throw RunFailure("--out \(database): cannot lock \(path): \(String(cString: strerror(why)))", code: 1)
                }
                throw RunFailure("--out \(database) is in use by another sweep (\(holder.isEmpty ? "its lock file \(path) is held" : holder)); wait for it to finish, or stop it and run again", code: 1)
            }
            var mine = stat(), there = stat()
            if fstat(opened, &mine) == 0, stat(path, &there) == 0, mine.st_ino == there.st_ino, mine.st_dev == there.st_dev {
                fd = opened
                let stamp = ISO8601DateFormatter().string(from: Date())
                let text = "process \(getpid()) (\(command)) since \(stamp)"
                _ = ftruncate(fd, 0)
                _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
                return
            }
            close(opened)
        }
        throw RunFailure("--out \(database): cannot lock \(path): it keeps being replaced", code: 1)
    }

    /// What the holder wrote into the lock file.
    private static func holder(_ fd: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = pread(fd, &buffer, buffer.count, 0)
        return n > 0 ? String(decoding: buffer[..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : ""
    }

    func release() {
        guard fd >= 0 else { return }
        unlink(path)
        close(fd)
        fd = -1
    }

    deinit { release() }
}
