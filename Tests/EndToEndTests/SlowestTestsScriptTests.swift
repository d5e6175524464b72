import Foundation
import Testing

/// scripts/slowest-tests ranks tests by their own time from a Swift Testing event stream, leaves
/// suites out, and says when the tests overlapped (a parallel run, whose times mean little).
@Suite struct SlowestTestsScriptTests {
    /// An event stream of a suite and three tests that ran over the given (start, end) instants.
    static func stream(_ spans: [(String, Double, Double)]) -> String {
        func line(_ json: String) -> String { json + "\n" }
        var out = line(
            #"{"kind":"test","payload":{"id":"M.S","kind":"suite","name":"S","displayName":"S"},"version":0}"#)
        out += line(
            #"{"kind":"event","payload":{"kind":"testStarted","testID":"M.S","instant":{"absolute":0}},"version":0}"#)
        for (name, start, end) in spans {
            let id = "M.S/\(name)()/F.swift:1:1"
            out += line(
                #"{"kind":"test","payload":{"id":"\#(id)","kind":"function","name":"\#(name)()","displayName":"\#(name)"},"version":0}"#
            )
            out += line(
                #"{"kind":"event","payload":{"kind":"testStarted","testID":"\#(id)","instant":{"absolute":\#(start)}},"version":0}"#
            )
            out += line(
                #"{"kind":"event","payload":{"kind":"testEnded","testID":"\#(id)","instant":{"absolute":\#(end)}},"version":0}"#
            )
        }
        return out
            + line(
                #"{"kind":"event","payload":{"kind":"testEnded","testID":"M.S","instant":{"absolute":9}},"version":0}"#)
    }

    static func run(_ text: String, _ arguments: String = "") -> (status: Int32, output: String) {
        let dir = TemporaryFolder()
        FileManager.default.createFile(atPath: dir("e.jsonl"), contents: Data(text.utf8))
        return shell("'\(ExplorerEndToEndTests.root.path)/scripts/slowest-tests' \(arguments) '\(dir("e.jsonl"))'")
    }

    @Test func serialRunIsRankedByEachTestsOwnTime() {
        let r = Self.run(Self.stream([("quick", 0, 1), ("slow", 1, 5.5), ("middling", 5.5, 7.5)]), "-n 2")
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output == "3 tests, 7.5 s in all\n     4.50 s  S/slow\n     2.00 s  S/middling\n", "\(r.output)")
    }

    @Test func overlappingTestsAreCalledAParallelRun() {
        let r = Self.run(Self.stream([("a", 0, 4), ("b", 0.5, 4)]))
        #expect(r.status == 0 && r.output.contains("note: the tests ran in parallel"), "\(r.output)")
    }

    @Test func aFileWithoutTestsIsRefused() {
        let r = Self.run("")
        #expect(r.status == 2 && r.output.contains("no finished test in it"), "\(r.output)")
    }
}
