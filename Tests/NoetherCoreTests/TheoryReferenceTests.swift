import Foundation
import NoetherCore
import Testing

/// Every section reference ("THEORY.md §N") in the repository names a numbered heading of
/// docs/THEORY.md, so a reader who follows one lands on the right subject.
@Suite("THEORY.md section references")
struct TheoryReferenceTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// What is scanned: everything a reader of the code, the README or the screen can meet.
    static let scanned = ["Sources", "Tests", "README.md", "Presets", "Sweeps", "Benchmarks", "scripts", "docs"]

    struct MissingDocument: Error, CustomStringConvertible {
        var description: String { "docs/THEORY.md is missing: every § reference would dangle" }
    }

    /// The numbered headings of docs/THEORY.md; throws if the document is missing.
    static func theoryHeadings() throws -> Set<String> {
        let path = root.appendingPathComponent("docs/THEORY.md").path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw MissingDocument() }
        return TheoryReference.headings(inMarkdown: text)
    }

    /// Every UTF-8 text file under the scanned paths, as (path relative to the root, contents).
    static func scannedFiles() -> [(path: String, text: String)] {
        let fm = FileManager.default
        var paths: [String] = []
        for entry in scanned {
            var isDirectory: ObjCBool = false
            let full = root.appendingPathComponent(entry).path
            guard fm.fileExists(atPath: full, isDirectory: &isDirectory) else { continue }
            if !isDirectory.boolValue { paths.append(entry); continue }
            for case let sub as String in fm.enumerator(atPath: full) ?? FileManager.DirectoryEnumerator() {
                var subIsDirectory: ObjCBool = false
                if fm.fileExists(atPath: full + "/" + sub, isDirectory: &subIsDirectory), !subIsDirectory.boolValue {
                    paths.append(entry + "/" + sub)
                }
            }
        }
        return paths.sorted().compactMap { path in
            (try? String(contentsOfFile: root.appendingPathComponent(path).path, encoding: .utf8)).map { (path, $0) }
        }
    }

    /// "file:line §N" for every reference in `files` that names no heading.
    static func unresolved(_ files: [(path: String, text: String)], headings: Set<String>) -> [String] {
        files.flatMap { file in
            TheoryReference.references(in: file.text).filter { !headings.contains($0.section) }
                .map { "\(file.path):\($0.line) \u{A7}\($0.section)" }
        }
    }

    @Test func theoryDocumentExistsWithNumberedHeadings() throws {
        let headings = try Self.theoryHeadings()
        // The cited numbering: sections 1–11, with the subsections the code leans on.
        for section in [
            "1", "2", "2.1", "3", "3.1", "3.2", "3.3", "4.2", "4.3", "5.3", "5.5", "6", "7", "8", "10", "11",
        ] {
            #expect(headings.contains(section), "docs/THEORY.md has no heading numbered \(section)")
        }
    }

    @Test func everyReferenceInTheRepositoryResolves() throws {
        let headings = try Self.theoryHeadings()
        try #require(!headings.isEmpty, "docs/THEORY.md has no numbered headings")
        let files = Self.scannedFiles()
        let cited = files.flatMap { TheoryReference.references(in: $0.text) }
        // The source alone cites THEORY.md a few dozen times: finding none means the scan is broken.
        try #require(cited.count >= 30, "only \(cited.count) references found in \(files.count) files")
        let broken = Self.unresolved(files, headings: headings)
        #expect(broken.isEmpty, "references to no heading of docs/THEORY.md:\n\(broken.joined(separator: "\n"))")
    }

    @Test func aDanglingReferenceIsReportedWithFileAndLine() throws {
        let headings = try Self.theoryHeadings()
        let text = "first line\nsee THEORY.md \u{A7}3.2 and \u{A7}99.4\n"
        #expect(Self.unresolved([("x.swift", text)], headings: headings) == ["x.swift:2 \u{A7}99.4"])
    }

    @Test func headingsAreReadFromNumberedMarkdownHeadingsOnly() {
        let text = """
            # Title
            ## 3. Exact identities
            ### 3.2 Momentum
            #### 3.2.1 Detail
            ## Contents 4
            #5 not a heading
            text 6. not a heading
            """
        #expect(TheoryReference.headings(inMarkdown: text) == ["3", "3.2", "3.2.1"])
    }

    @Test func referencesCoverRangesAndSentenceEnds() {
        let s = "\u{A7}"
        let text = "a \(s)4.2–4.3 b\nc (THEORY.md \(s)8 P1–P10), \(s)3.2. the \(s) numbers \(s)5.3)\n\(s)7-\(s)10"
        let found = TheoryReference.references(in: text).map { "\($0.line):\($0.section)" }
        #expect(found == ["1:4.2", "1:4.3", "2:8", "2:3.2", "2:5.3", "3:7", "3:10"])
    }
}
