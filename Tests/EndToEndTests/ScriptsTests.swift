import Foundation
import Testing

/// A fresh machine: the README's two commands each install what they need, CI runs exactly
/// the README's test command, and the package list lives in one script.
@Suite struct ScriptsTests {
    static func file(_ path: String) -> String {
        contents(ExplorerEndToEndTests.root.appendingPathComponent(path).path)
    }

    static func commands(_ script: String) -> [String] {
        script.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") && !$0.hasPrefix("set ") && !$0.hasPrefix("cd ") }
    }

    @Test func quickStartIsTwoCommandsAndTheSecondIsScriptsTest() throws {
        let readme = Self.file("README.md")
        let start = try #require(readme.range(of: "## Quick start\n\n```sh\n"))
        let block = readme[start.upperBound...].prefix { $0 != "`" }
        let commands = block.split(separator: "\n").map { $0.split(separator: " ").first.map(String.init) ?? "" }
        #expect(commands == ["scripts/start", "scripts/test"])
    }

    @Test func ciRunsExactlyScriptsTest() {
        #expect(Self.commands(Self.file(".ci/run")) == ["exec scripts/test"])
        #expect(
            Self.commands(Self.file("scripts/test")) == [
                "scripts/install-deps",
                "scripts/format --check",
                "if [ \"${1:-}\" = \"--fast\" ]; then",
                "shift",
                "export NOETHER_FAST=1",
                "exec swift test \"$@\"",
                "fi",
                "[ $# -gt 0 ] || scripts/torch-venv >/dev/null || echo \"scripts/test: PyTorch could not be installed: the PyTorch cross-checks are skipped\" >&2",
                "exec swift test \"$@\"",
            ])
    }

    @Test func onePackageListSharedByStartTestAndCI() {
        for package in ["libncursesw5-dev", "libopenblas-dev", "libsqlite3-dev", "tmux", "parallel"] {
            #expect(Self.file("scripts/install-deps").contains(package))
        }
        for script in ["scripts/start", "scripts/test", ".ci/run"] {
            #expect(!Self.file(script).contains("apt-get"), "\(script) installs on its own")
        }
        #expect(Self.commands(Self.file("scripts/start")).first == "scripts/install-deps")
    }

    /// With everything present it installs nothing and succeeds (it runs first on every test).
    @Test func installDepsIsANoOpWhenNothingIsMissing() {
        let r = shell("'\(ExplorerEndToEndTests.root.path)/scripts/install-deps'")
        #expect(r.status == 0)
        #expect(r.output == "")
    }
}
