import Foundation
import Testing
import TestTiers

/// A folder made for one test (mktemp -d), removed afterwards; every special file a test
/// makes lives in it, never in /dev.
final class TemporaryFolder {
    let path: String
    init() {
        var template = Array((NSTemporaryDirectory() + "/noether-files-XXXXXX").utf8CString)
        path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    }
    deinit { _ = shell("rm -rf '\(path)'") }
    func callAsFunction(_ name: String) -> String { path + "/" + name }
}

/// Runs the debug binary through the shell; `args` is shell text.
func noether(_ args: String) -> (status: Int32, output: String) {
    shell("'\(ExplorerEndToEndTests.binary)' \(args)")
}

func fileStat(_ path: String, follow: Bool = true) -> stat? {
    var st = stat()
    return (follow ? stat(path, &st) : lstat(path, &st)) == 0 ? st : nil
}

func fileType(_ path: String) -> mode_t? { fileStat(path, follow: false).map { $0.st_mode & S_IFMT } }

func contents(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

/// Every writer writes to what its path names, in place: symlinks followed, FIFOs and devices
/// written as they are, an existing file's mode and hard links kept.
@Suite("File safety", .serialized)
struct FileSafetyTests {
    static let writers = ["--out", "--record", "--dump-params", "--dump-data"]
    static let small = "--steps 3 --width 4 --samples 64"
    static var isRoot: Bool { getuid() == 0 }

    /// What each writer's file starts with, to tell the data arrived.
    static func looksWritten(_ flag: String, _ text: String) -> Bool {
        switch flag {
        case "--out": text.hasPrefix("{\"step\":0,")
        case "--record": text.contains("recording-format = 3") && text.hasSuffix("[[stop]]\nstep = 3\n")
        case "--dump-params": text.hasPrefix("{\"step\":0,\"fc1.weight\":")
        default: text.hasPrefix("x0,x1,")
        }
    }

    @Test(arguments: writers)
    func symlinkTargetGetsTheDataAndTheLinkStays(flag: String) {
        let dir = TemporaryFolder()
        #expect(FileManager.default.createFile(atPath: dir("target"), contents: Data("old\n".utf8)))
        #expect(symlink("target", dir("link")) == 0)
        let r = noether("run \(Self.small) \(flag) '\(dir("link"))' \(flag == "--out" ? "" : "--out '\(dir("rows"))'")")
        #expect(r.status == 0, "\(r.output)")
        #expect(fileType(dir("link")) == S_IFLNK, "the link was replaced")
        #expect(Self.looksWritten(flag, contents(dir("target"))), "target: \(contents(dir("target")).prefix(80))")
    }

    @Test func namedPipeFeedsAReader() {
        let dir = TemporaryFolder()
        #expect(mkfifo(dir("pipe"), 0o600) == 0)
        let r = shell(
            "timeout -s KILL 60 cat '\(dir("pipe"))' > '\(dir("copy"))' & '\(ExplorerEndToEndTests.binary)' run \(Self.small) --out '\(dir("pipe"))' 2>&1; s=$?; wait; exit $s"
        )
        #expect(r.status == 0, "\(r.output)")
        #expect(fileType(dir("pipe")) == S_IFIFO)
        let rows = contents(dir("copy")).split(separator: "\n")
        #expect(rows.count == 4)
        #expect(rows.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil })
    }

    @Test(arguments: writers)
    func existingFileKeepsItsModeAndHardLinks(flag: String) {
        let dir = TemporaryFolder()
        #expect(FileManager.default.createFile(atPath: dir("file"), contents: Data("old\n".utf8)))
        #expect(chmod(dir("file"), 0o600) == 0)
        #expect(link(dir("file"), dir("other")) == 0)
        let r = noether("run \(Self.small) \(flag) '\(dir("file"))' \(flag == "--out" ? "" : "--out '\(dir("rows"))'")")
        #expect(r.status == 0, "\(r.output)")
        let st = fileStat(dir("file"))
        #expect(st.map { $0.st_mode & 0o7777 } == 0o600)
        #expect(st?.st_nlink == 2, "the hard link was cut")
        #expect(Self.looksWritten(flag, contents(dir("other"))), "the other name does not see the data")
    }

    @Test func newFileGetsTheUmaskMode() {
        let dir = TemporaryFolder()
        let r = shell(
            "umask 027; '\(ExplorerEndToEndTests.binary)' run \(Self.small) --out '\(dir("rows"))' --record '\(dir("rec.toml"))'"
        )
        #expect(r.status == 0, "\(r.output)")
        #expect(fileStat(dir("rows")).map { $0.st_mode & 0o7777 } == 0o640)
        #expect(fileStat(dir("rec.toml")).map { $0.st_mode & 0o7777 } == 0o640)
    }

    /// A character device made in the test's own folder (major 1, minor 3: a null device).
    @Test(arguments: writers)
    func characterDeviceStaysADevice(flag: String) throws {
        guard Self.isRoot else { print("note: not root, so no mknod: device test skipped"); return }
        let dir = TemporaryFolder()
        #expect(shell("mknod '\(dir("null"))' c 1 3").status == 0)
        let r = noether("run \(Self.small) \(flag) '\(dir("null"))' \(flag == "--out" ? "" : "--out '\(dir("rows"))'")")
        #expect(r.status == 0, "\(r.output)")
        let st = fileStat(dir("null"), follow: false)
        #expect(st.map { $0.st_mode & S_IFMT } == S_IFCHR, "the device was replaced")
        #expect(st.map { UInt64($0.st_rdev) } == 259, "Linux encodes small device numbers as major << 8 | minor")
    }

    @Test func standardOutputByItsDevicePath() {
        let r = shell(
            "'\(ExplorerEndToEndTests.binary)' run \(Self.small) --out /dev/stdout | wc -l", mergeErrors: false)
        #expect(r.status == 0)
        #expect(r.output.trimmingCharacters(in: .whitespacesAndNewlines) == "4")
    }

    /// A full device (ENOSPC on every write): each writer stops naming the file, exit 1.
    @Test(arguments: writers)
    func fullDeviceStopsTheRunNamingTheFile(flag: String) {
        let dir = TemporaryFolder()
        var full = "/dev/full"
        if Self.isRoot {
            #expect(shell("mknod '\(dir("full"))' c 1 7").status == 0)
            full = dir("full")
        }
        let r = noether("run \(Self.small) \(flag) '\(full)' \(flag == "--out" ? "" : "--out '\(dir("rows"))'")")
        #expect(r.status == 1, "\(r.output)")
        #expect(r.output.contains("\(full): cannot write: No space left on device"), "\(r.output)")
    }

    /// A reader that goes away: the run stops naming the output instead of dying silently by SIGPIPE.
    @Test func closedPipeStopsTheRunNamingTheFile() {
        let dir = TemporaryFolder()
        #expect(mkfifo(dir("pipe"), 0o600) == 0)
        let r = shell(
            "timeout -s KILL 60 head -c 100 '\(dir("pipe"))' > /dev/null & '\(ExplorerEndToEndTests.binary)' run --steps 100000 --width 4 --samples 64 --out '\(dir("pipe"))' 2>&1; s=$?; wait; exit $s"
        )
        #expect(r.status == 1, "\(r.output)")
        #expect(r.output.hasPrefix("noether: \(dir("pipe")): cannot write: Broken pipe; the first "), "\(r.output)")
        #expect(r.output.hasSuffix(" lines are kept\n") && r.output.split(separator: "\n").count == 1, "\(r.output)")
    }

    /// A 256 KB tmpfs fills mid-run (rows are flushed in 64 KB runs of whole lines): exit 1 naming the file, and the file ends with a whole line.
    @Test func smallDiskFillsWithoutATornLine() {
        guard Self.isRoot else { print("note: not root, so no tmpfs: small-disk test skipped"); return }
        let dir = TemporaryFolder()
        #expect(mkdir(dir("disk"), 0o700) == 0)
        let mounted = shell("mount -t tmpfs -o size=256k noether-test '\(dir("disk"))'")
        guard mounted.status == 0 else {
            print("note: mount not allowed (\(mounted.output)): small-disk test skipped"); return
        }
        defer { _ = shell("umount '\(dir("disk"))'") }
        let out = dir("disk") + "/rows.jsonl"
        let r = noether("run --steps 100000 --width 4 --samples 64 --out '\(out)' --record '\(dir("rec.toml"))'")
        #expect(r.status == 1, "\(r.output)")
        #expect(r.output.contains("\(out): cannot write: No space left on device"), "\(r.output)")
        let text = contents(out)
        #expect(text.utf8.count > 65536, "the disk held some rows")
        #expect(text.hasSuffix("\n"), "the last line is torn")
        #expect(
            text.split(separator: "\n").allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil })
        #expect(contents(dir("rec.toml")).contains("[[stop]]"), "the recording was stopped where the rows end")
    }
}

extension FileSafetyTests {
    /// The explorer's frame statistics go through the same writer: a symlink stays a link.
    @Test(.fullTierOnly) func frameStatisticsWriteThroughASymlink() {
        let dir = TemporaryFolder()
        #expect(FileManager.default.createFile(atPath: dir("stats"), contents: nil))
        #expect(symlink("stats", dir("link")) == 0)
        let tmux = ExplorerEndToEndTests.Tmux()
        tmux.type(
            "NOETHER_FRAME_STATS=\(dir("link")) \(ExplorerEndToEndTests.binary) --width 4 --samples 64; echo \"exit=$?\""
        )
        tmux.send("Enter")
        guard tmux.waitFor("the explorer", { ExplorerEndToEndTests.step($0).map { $0 > 0 } ?? false }) != nil else {
            return
        }
        tmux.send("q")
        #expect(tmux.waitFor("the shell again") { $0.contains("exit=0") } != nil)
        #expect(fileType(dir("link")) == S_IFLNK, "the link was replaced")
        #expect(contents(dir("stats")).hasPrefix("frames "))
    }
}
