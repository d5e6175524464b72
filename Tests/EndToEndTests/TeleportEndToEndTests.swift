import Foundation
import Testing

/// Teleports headless in the real binary: `noether run --preset` applies them at their step (the
/// row of that step has the same loss as the run without them), `--record` keeps them, and
/// `noether replay --headless` writes the same bytes.
@Suite("Teleports end to end", .serialized)
struct TeleportEndToEndTests {
    static let preset = """
        title = "teleports"
        width = 8
        samples = 128
        steps = 60

        [[at]]
        step = 20
        teleport = { family = "fc1.scale", factor = 4.0 }

        [[at]]
        step = 20
        teleport = { family = "bn2-fc3.rescale", action = "balance" }

        [[at]]
        step = 40
        lr = 0.05
        teleport = { group = "fc2.scale[1]", action = "steepest" }

        [[at]]
        step = 50
        teleport = { family = "fc3.translation", factor = -0.5 }
        """

    static func rows(_ path: String) -> [[String: Any]] {
        contents(path).split(separator: "\n").map {
            try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
    }

    @Test func runRecordAndReplayAreByteIdentical() {
        let dir = TemporaryFolder()
        #expect(FileManager.default.createFile(atPath: dir("p.toml"), contents: Data(Self.preset.utf8)))
        let run = noether(
            "run --preset '\(dir("p.toml"))' --detail neurons --out '\(dir("run.jsonl"))' --record '\(dir("rec.toml"))'"
        )
        #expect(run.status == 0, "\(run.output)")
        let recording = contents(dir("rec.toml"))
        #expect(recording.components(separatedBy: "teleport = {").count - 1 == 4, "\(recording)")
        let replay = noether("replay '\(dir("rec.toml"))' --headless --detail neurons --out '\(dir("replay.jsonl"))'")
        #expect(replay.status == 0, "\(replay.output)")
        #expect(!contents(dir("run.jsonl")).isEmpty)
        #expect(contents(dir("replay.jsonl")) == contents(dir("run.jsonl")))

        // Without the teleports the run is the same up to step 19, and at step 20 has the same loss.
        let plain = Self.preset.components(separatedBy: "\n[[at]]")[0]
        #expect(FileManager.default.createFile(atPath: dir("plain.toml"), contents: Data(plain.utf8)))
        #expect(noether("run --preset '\(dir("plain.toml"))' --out '\(dir("plain.jsonl"))'").status == 0)
        let moved = Self.rows(dir("run.jsonl")), still = Self.rows(dir("plain.jsonl"))
        let loss = { (rows: [[String: Any]], k: Int) in rows[k]["loss"] as! Double }
        #expect(loss(moved, 19) == loss(still, 19))
        #expect(abs(loss(moved, 20) - loss(still, 20)) <= 1e-12 * loss(still, 20))
        #expect(loss(moved, 21) != loss(still, 21), "the teleport changes what follows")
    }

    /// A fork writes both runs: the ghost (run 0) is the run without the fork's changes, row for
    /// row; the fork (run 1) carries the teleport; recorded and replayed, the bytes are the same.
    @Test func aForkedPresetWritesBothRunsTagged() throws {
        let dir = TemporaryFolder()
        let forked =
            Self.preset.components(separatedBy: "\n[[at]]")[0]
            + "\n[[at]]\nstep = 20\nfork = true\nteleport = { family = \"fc1.scale\", factor = 4.0 }\n"
        #expect(FileManager.default.createFile(atPath: dir("f.toml"), contents: Data(forked.utf8)))
        let plain = Self.preset.components(separatedBy: "\n[[at]]")[0]
        #expect(FileManager.default.createFile(atPath: dir("plain.toml"), contents: Data(plain.utf8)))
        let run = noether("run --preset '\(dir("f.toml"))' --out '\(dir("f.jsonl"))' --record '\(dir("f.rec"))'")
        #expect(run.status == 0, "\(run.output)")
        #expect(noether("run --preset '\(dir("plain.toml"))' --out '\(dir("plain.jsonl"))'").status == 0)
        let rows = Self.rows(dir("f.jsonl")), still = Self.rows(dir("plain.jsonl"))
        let ghost = rows.filter { $0["run"] as? Int == 0 }, fork = rows.filter { $0["run"] as? Int == 1 }
        try #require(ghost.count == 61 && fork.count == 41 && still.count == 61)
        // The ghost's rows are the plain run's rows, value for value.
        let lines = contents(dir("f.jsonl")).split(separator: "\n").filter { $0.hasPrefix("{\"run\":0,") }
        #expect(
            lines.map { "{" + $0.dropFirst("{\"run\":0,".count) }
                == contents(dir("plain.jsonl")).split(separator: "\n").map(String.init))
        // At the fork's step the loss is the same, the fork's fc1.scale charges are 16 times the ghost's.
        let median = { (row: [String: Any]) in
            ((row["families"] as! [[String: Any]]).first { $0["family"] as? String == "fc1.scale" }!["q50"] as! Double)
        }
        #expect(
            fork[0]["step"] as? Int == 20 && abs((fork[0]["loss"] as! Double) - (ghost[20]["loss"] as! Double)) <= 1e-12
        )
        #expect(abs(median(fork[0]) / median(ghost[20]) - 16) < 1e-10)
        let replay = noether("replay '\(dir("f.rec"))' --headless --out '\(dir("r.jsonl"))'")
        #expect(replay.status == 0 && contents(dir("r.jsonl")) == contents(dir("f.jsonl")), "\(replay.output)")
        let csv = noether("run --preset '\(dir("f.toml"))' --format csv --out '\(dir("f.csv"))'")
        #expect(csv.status == 2 && csv.output.contains("the preset forks (fork = true)"), "\(csv.output)")
    }

    /// lazy-vs-rich forks twice: the ghosts are runs 0 and 1 (from steps 0 and 1 on), the front
    /// run is run 2 from its second fork on, and each ghost's R stays where its teleport put it.
    @Test func aPresetThatForksTwiceWritesThreeRunsInForkOrder() {
        let dir = TemporaryFolder()
        let r = noether("run --preset lazy-vs-rich --steps 50 --out '\(dir("l.jsonl"))' --every 10")
        #expect(r.status == 0, "\(r.output)")
        let rows = Self.rows(dir("l.jsonl"))
        let steps = { (run: Int) in rows.filter { $0["run"] as? Int == run }.map { $0["step"] as! Int } }
        #expect(steps(0) == [0, 10, 20, 30, 40, 50] && steps(1) == [10, 20, 30, 40, 50])
        #expect(steps(2) == [10, 20, 30, 40, 50] && rows.allSatisfy { ($0["run"] as? Int).map { $0 <= 2 } ?? false })
        let charge = { (row: [String: Any]) in
            ((row["families"] as! [[String: Any]]).first { $0["family"] as? String == "fc1-fc2.rescale" }!["q50"]
                as! Double)
        }
        let at50 = (0...2).map { run in charge(rows.last { $0["run"] as? Int == run }!) }
        let names = (0...2).map { run in rows.last { $0["run"] as? Int == run }!["run_name"] as? String }
        #expect(names == ["R=4", "R=0", "R=-2"] && rows.first!["run_name"] as? String == "R=4")
        #expect(abs(at50[0] - 4) < 0.01 && abs(at50[1]) < 0.01 && abs(at50[2] + 2) < 0.01, "\(at50)")
    }

    @Test func aFamilyTheModelLacksIsRefusedWithFileAndLine() {
        let dir = TemporaryFolder()
        let bad = Self.preset.replacingOccurrences(of: "bn2-fc3.rescale", with: "fc2-fc3.rescale")
        #expect(FileManager.default.createFile(atPath: dir("p.toml"), contents: Data(bad.utf8)))
        let r = noether("run --preset '\(dir("p.toml"))'")
        #expect(r.status != 0)
        #expect(
            r.output.contains(
                "p.toml:12: teleport: no family 'fc2-fc3.rescale' in this model; its families: fc1.scale"),
            "\(r.output)")
    }
}
