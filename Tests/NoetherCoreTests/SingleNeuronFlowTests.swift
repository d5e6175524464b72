import Foundation
import Testing
@testable import NoetherCore

/// THEORY.md §14.2: the closed-form gradient flow of one linear neuron against the published
/// check values and against a fine Runge–Kutta integration of the same flow.
@Suite("Single-neuron closed form")
struct SingleNeuronFlowTests {
    /// The reference start: β₀ = a₀w₀ = (−1, 0), teacher β* = (0, 1), so s = 1 and ν₀ = 0, with
    /// a₀ > 0 chosen so that a₀² − |w₀|² = R.
    static func start(_ r: Double) -> SingleNeuronFlow {
        let a0 = ((r + (r * r + 4).squareRoot()) / 2).squareRoot()
        return SingleNeuronFlow(a0: a0, w0: [-1 / a0, 0], teacher: [0, 1])
    }

    /// φ₀ = cosh θ₀ (R > 0) or sinh θ₀ (R < 0), the values printed by the reference notebook.
    @Test func hyperbolicStartMatchesPublishedValues() {
        let published: [(Double, Double)] = [
            (-4, 0.2429), (-2, 0.4551), (-1, 0.7862), (1, 1.2720), (2, 1.0987), (4, 1.0291),
        ]
        for (r, phi) in published {
            let flow = Self.start(r)
            #expect(abs(flow.r - r) < 1e-12 && flow.s == 1 && flow.nu0 == 0)
            #expect(abs(flow.phi0! - phi) < 5e-5, "R = \(r): φ₀ = \(flow.phi0!), published \(phi)")
        }
        #expect(Self.start(0).phi0 == nil)
    }

    /// The flow a' = −wᵀ(aw − β*), w' = −a(aw − β*), integrated by classical RK4 with h = 1e-3.
    static func integrate(a0: Double, w0: [Double], teacher: [Double], to t: Double) -> (a: Double, w: [Double]) {
        func field(_ a: Double, _ w: [Double]) -> (Double, [Double]) {
            let residual = zip(w, teacher).map { a * $0 - $1 }
            return (-zip(w, residual).reduce(0) { $0 + $1.0 * $1.1 }, residual.map { -a * $0 })
        }
        let steps = Int((t / 1e-3).rounded()), h = t / Double(steps)
        var a = a0, w = w0
        for _ in 0..<steps {
            let k1 = field(a, w)
            let k2 = field(a + h / 2 * k1.0, zip(w, k1.1).map { $0 + h / 2 * $1 })
            let k3 = field(a + h / 2 * k2.0, zip(w, k2.1).map { $0 + h / 2 * $1 })
            let k4 = field(a + h * k3.0, zip(w, k3.1).map { $0 + h * $1 })
            a += h / 6 * (k1.0 + 2 * k2.0 + 2 * k3.0 + k4.0)
            w = w.indices.map { w[$0] + h / 6 * (k1.1[$0] + 2 * k2.1[$0] + 2 * k3.1[$0] + k4.1[$0]) }
        }
        return (a, w)
    }

    static func kernelDistance(_ a0: Double, _ w0: [Double], _ a: Double, _ w: [Double]) -> Double {
        // K = wwᵀ + a²I, as a d × d matrix.
        let d = w.count
        func k(_ a: Double, _ w: [Double]) -> [Double] {
            (0..<(d * d)).map { w[$0 / d] * w[$0 % d] + ($0 / d == $0 % d ? a * a : 0) }
        }
        let k0 = k(a0, w0), kt = k(a, w)
        func dot(_ x: [Double], _ y: [Double]) -> Double { zip(x, y).reduce(0) { $0 + $1.0 * $1.1 } }
        return 1 - dot(k0, kt) / (dot(k0, k0) * dot(kt, kt)).squareRoot()
    }

    /// ν, a, |w| and S agree with the integrated flow for rich, balanced and lazy starts, in 2 and
    /// 3 dimensions, with ν₀ between the fixed points and above them.
    @Test(arguments: [-4.0, -2.0, 0.0, 1.0, 4.0])
    func agreesWithIntegratedFlow(_ r: Double) {
        let starts: [(Double, [Double], [Double])] = [
            (Self.start(r).a0, [-1 / Self.start(r).a0, 0], [0, 1]),
            (0.3 + max(r, 0), [0.5, 2.0, 0.1], [1.0, 0.5, -0.2]),
            (2.0, [1.5, 0.3], [0.2, 0.1]),
        ]
        for (a0, w0, teacher) in starts {
            let flow = SingleNeuronFlow(a0: a0, w0: w0, teacher: teacher)
            for t in [0.5, 2.0, 6.0] {
                let exact = flow.state(at: t)
                let (a, w) = Self.integrate(a0: a0, w0: w0, teacher: teacher, to: t)
                let along = zip(w, teacher).reduce(0) { $0 + $1.0 * $1.1 }
                let wNorm = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
                #expect(abs(exact.a - a) < 1e-9 * max(1, abs(a)), "a(\(t)) \(exact.a) vs \(a)")
                #expect(abs(exact.wNorm - wNorm) < 1e-9 * max(1, wNorm), "|w|(\(t)) \(exact.wNorm) vs \(wNorm)")
                #expect(abs(exact.nu - along / a) < 1e-8 * max(1, abs(exact.nu)), "ν(\(t)) \(exact.nu) vs \(along / a)")
                #expect(abs(exact.kernelDistance - Self.kernelDistance(a0, w0, a, w)) < 1e-9)
            }
        }
    }

    /// Lazy and rich in numbers: from the same function a₀w₀, the large-R start's kernel moves far
    /// less than the balanced and negative-R starts' by the time each has learned the teacher.
    @Test func largeRIsLazy() {
        let distances = [-2.0, 0.0, 4.0].map { Self.start($0).state(at: 20).kernelDistance }
        #expect(distances[2] < distances[1] && distances[1] < distances[0])
        #expect(distances[2] < 0.5 * distances[1])
    }

    /// The single neuron needs a scalar teacher: `targets = 1` gives one output (it once gave
    /// three, the teacher's default, which applies only while `targets` is unset).
    @Test func aScalarTeacherHasOneOutput() throws {
        var c = config {
            $0.data = .teacher; $0.arch = .linear; $0.norm = .none; $0.depth = 1; $0.width = 1; $0.bias = false
        }
        #expect(try Simulator(c).arch.outputDim == 3)
        c.targets = 1
        let sim = try Simulator(c)
        #expect(sim.arch.outputDim == 1)
        #expect(sim.arch.tensors.map(\.shape) == [[1, 8], [1, 1]])
        c.targets = 2
        #expect(try Simulator(c).arch.outputDim == 2)
    }
}
