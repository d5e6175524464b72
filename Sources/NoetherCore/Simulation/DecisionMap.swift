/// A two-feature classification data set as points by class, with the class the model predicts
/// on a grid over it (its decision regions), from the current parameters: what the network does
/// with the data, drawn beneath the data.
public struct DecisionMap: Sendable {
    public var columns: Int
    public var rows: Int
    public var x: ClosedRange<Double>
    public var y: ClosedRange<Double>
    /// The predicted class at each grid point, row by row from the top (largest y).
    public var predicted: [Int]
    /// The data's points (at most `maxPoints`, evenly picked) and their labels.
    public var points: [(x: Double, y: Double, label: Int)]
    public var classes: Int
    /// The step whose parameters made the prediction.
    public var step: Int
    /// False under batch norm: there a prediction depends on the rest of its batch, so a grid point
    /// alone has none; the panel then shows the data only, and says why.
    public var hasRegions: Bool

    /// The class predicted at a point, from the nearest grid point.
    public func prediction(atX px: Double, y py: Double) -> Int? {
        guard hasRegions, columns > 1, rows > 1 else { return nil }
        let c = Int(((px - x.lowerBound) / (x.upperBound - x.lowerBound) * Double(columns - 1)).rounded())
        let r = Int(((y.upperBound - py) / (y.upperBound - y.lowerBound) * Double(rows - 1)).rounded())
        guard (0..<columns).contains(c), (0..<rows).contains(r) else { return nil }
        return predicted[r * columns + c]
    }
}

extension Simulator {
    /// The decision map of a two-feature classification run (nil for other data). One forward pass
    /// of `columns × rows` grid points: a few hundred thousand multiply-adds for a small MLP.
    public func decisionMap(columns: Int = 64, rows: Int = 32, maxPoints: Int = 400) -> DecisionMap? {
        guard data.inputDim == 2, data.task == .classification, data.imageShape == nil, data.count > 0 else { return nil }
        let n = data.count
        let xs = (0..<n).map { data.inputs[2 * $0] }, ys = (0..<n).map { data.inputs[2 * $0 + 1] }
        guard let x0 = xs.min(), let x1 = xs.max(), let y0 = ys.min(), let y1 = ys.max(), x1 > x0, y1 > y0 else { return nil }
        // A margin of 5 % around the data, so points on its edge sit inside the regions.
        let mx = (x1 - x0) * 0.05, my = (y1 - y0) * 0.05
        let xRange = (x0 - mx)...(x1 + mx), yRange = (y0 - my)...(y1 + my)
        let every = max(1, n / maxPoints)
        let points = stride(from: 0, to: n, by: every).map { (x: xs[$0], y: ys[$0], label: data.labels[$0]) }
        let regions = !arch.layers.contains { $0 is BatchNorm }
        var predicted: [Int] = []
        if regions {
            var grid = [Double](repeating: 0, count: 2 * columns * rows)
            for r in 0..<rows {
                for c in 0..<columns {
                    let i = r * columns + c
                    grid[2 * i] = xRange.lowerBound + (xRange.upperBound - xRange.lowerBound) * Double(c) / Double(columns - 1)
                    grid[2 * i + 1] = yRange.upperBound - (yRange.upperBound - yRange.lowerBound) * Double(r) / Double(rows - 1)
                }
            }
            let logits = Backprop(arch: arch, batch: columns * rows).logits(theta: theta, x: grid)
            let k = data.outputDim
            predicted = (0..<(columns * rows)).map { i in
                let row = logits[(i * k)..<((i + 1) * k)]
                return row.indices.max { row[$0] < row[$1] }! - i * k
            }
        }
        return DecisionMap(columns: columns, rows: rows, x: xRange, y: yRange, predicted: predicted, points: points,
                           classes: data.outputDim, step: step, hasRegions: regions)
    }
}
