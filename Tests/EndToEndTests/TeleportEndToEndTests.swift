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
        contents(path).split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    @Test func runRecordAndReplayAreByteIdentical() {
        let dir = TemporaryFolder()
        #expect(FileManager.default.createFile(atPath: dir("p.toml"), contents: Data(Self.preset.utf8)))
        let run = noether("run --preset '\(dir("p.toml"))' --detail neurons --out '\(dir("run.jsonl"))' --record '\(dir("rec.toml"))'")
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

    @Test func aFamilyTheModelLacksIsRefusedWithFileAndLine() {
        let dir = TemporaryFolder()
        let bad = Self.preset.replacingOccurrences(of: "bn2-fc3.rescale", with: "fc2-fc3.rescale")
        #expect(FileManager.default.createFile(atPath: dir("p.toml"), contents: Data(bad.utf8)))
        let r = noether("run --preset '\(dir("p.toml"))'")
        #expect(r.status != 0)
        #expect(r.output.contains("p.toml:12: teleport: no family 'fc2-fc3.rescale' in this model; its families: fc1.scale"), "\(r.output)")
    }
}
