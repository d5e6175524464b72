import Foundation
import Testing
@testable import NoetherCore

@Suite("Decision map")
struct DecisionMapTests {
    func trained(_ norm: Normalization, steps: Int = 60) throws -> Simulator {
        var c = Config()
        c.data = .spirals
        c.classes = 3
        c.norm = norm
        c.width = 16
        c.samples = 192
        let sim = try Simulator(c)
        for _ in 0..<steps { try sim.advance() }
        return sim
    }

    /// The grid's forward pass is the training pass's: at the data points themselves its classes
    /// are right exactly as often as the loss head counts (per-sample models, so the batch is free).
    @Test(arguments: [Normalization.none, .layer])
    func logitsAgreeWithTheTrainingPassesAccuracy(_ norm: Normalization) throws {
        let sim = try trained(norm)
        let n = sim.data.count
        let pass = Backprop(arch: sim.arch, batch: n)
        let logits = sim.data.inputs.withUnsafeBufferPointer { x in pass.logits(theta: sim.theta, x: x.baseAddress!) }
        let k = sim.data.outputDim
        let predicted = (0..<n).map { i in (0..<k).max { logits[i * k + $0] < logits[i * k + $1] }! }
        let right = zip(predicted, sim.data.labels).filter { $0 == $1 }.count
        let counted = sim.data.inputs.withUnsafeBufferPointer { x in
            sim.data.labels.withUnsafeBufferPointer { y in
                pass.run(theta: sim.theta, grad: nil, x: x.baseAddress!, labels: y.baseAddress!, targets: nil).correct
            }
        }
        #expect(right == counted)
        #expect(right > n / 3, "60 steps learn something: \(right)/\(n)")
    }

    @Test func gridCoversTheDataAndPredictsEveryCell() throws {
        let sim = try trained(.none)
        let map = try #require(sim.decisionMap(columns: 20, rows: 10))
        #expect(map.hasRegions && map.predicted.count == 200 && map.classes == 3)
        #expect(map.predicted.allSatisfy { (0..<3).contains($0) })
        #expect(Set(map.predicted).count >= 2, "regions of more than one class")
        for p in map.points { #expect(map.x.contains(p.x) && map.y.contains(p.y)) }
        #expect(map.points.count == sim.data.count && map.step == 60)
    }

    @Test func batchNormHasNoRegionsAndOtherDataNoMap() throws {
        let bn = try trained(.batch, steps: 1)
        #expect(bn.decisionMap()?.hasRegions == false)
        var c = Config()
        c.data = .teacher
        #expect(try Simulator(c).decisionMap() == nil)
    }
}
