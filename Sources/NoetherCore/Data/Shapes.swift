/// The built-in image set `shapes`: one grayscale shape per image, drawn at a random size and
/// position with Gaussian pixel noise, one class per kind of shape.
///
/// Pixels are 1 on the shape and 0 off it, plus `noise` · N(0, 1); the whole set is then
/// standardized by one mean and one standard deviation over every pixel of every image (as
/// torchvision's Normalize does with a data set's statistics), so inputs have mean 0 and
/// variance 1 while each image keeps its spatial contrast.
enum ShapesData {
    /// The kinds of shape, in class order: `--classes k` draws the first k.
    static let kinds = [
        "square outline", "filled disc", "cross", "horizontal bar", "triangle",
        "ring", "diagonal cross", "vertical bar",
    ]

    /// Image sides the set draws (its image shape is 1 × side × side).
    static let sides = [12, 16]
    static let defaultSide = 12

    /// Smallest and largest box a shape is drawn in, for an image of this side: 5…9 at 12, 6…12 at 16.
    static func boxSizes(side: Int) -> ClosedRange<Int> { max(5, side * 3 / 8)...(side * 3 / 4) }

    /// The pixels of shape `kind` in an s × s box, row-major.
    static func mask(kind: Int, box s: Int) -> [Bool] {
        let m = Double(s - 1) / 2, radius = Double(s) / 2
        var out = [Bool](repeating: false, count: s * s)
        for r in 0..<s {
            for c in 0..<s {
                let dr = Double(r) - m, dc = Double(c) - m
                let d2 = dr * dr + dc * dc
                out[r * s + c] =
                    switch kind {
                    case 0: r == 0 || r == s - 1 || c == 0 || c == s - 1
                    case 1: d2 <= radius * radius
                    case 2: abs(dr) <= 0.5 || abs(dc) <= 0.5
                    case 3: abs(dr) <= 1
                    case 4: abs(dc) <= Double(r) / Double(s - 1) * m + 0.5
                    case 5: d2 <= radius * radius && d2 > (radius - 1.2) * (radius - 1.2)
                    case 6: abs(Double(r - c)) <= 0.5 || abs(Double(r + c - (s - 1))) <= 0.5
                    default: abs(dc) <= 1
                    }
            }
        }
        return out
    }

    static func make(_ c: Config, rng: inout Xoshiro256) -> Dataset {
        let side = c.imageShape?.height ?? defaultSide
        let d = side * side
        let sizes = boxSizes(side: side)
        let masks = (0..<c.classes).map { k in
            Dictionary(uniqueKeysWithValues: sizes.map { ($0, mask(kind: k, box: $0)) })
        }
        var x = [Double](repeating: 0, count: c.samples * d)
        var y = [Int](repeating: 0, count: c.samples)
        for n in 0..<c.samples {
            // Classes in turn: every class has samples/classes images, give or take one.
            let k = n % c.classes
            let s = sizes.lowerBound + rng.below(sizes.count)
            let top = rng.below(side - s + 1), left = rng.below(side - s + 1)
            let mask = masks[k][s]!
            for r in 0..<s { for col in 0..<s where mask[r * s + col] { x[n * d + (top + r) * side + left + col] = 1 } }
            for j in 0..<d { x[n * d + j] += c.noise * rng.normal() }
            y[n] = rng.uniform() < c.labelNoise ? rng.below(c.classes) : k
        }
        let mean = x.reduce(0, +) / Double(x.count)
        let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count)
        let scale = variance > 0 ? 1 / variance.squareRoot() : 1
        for i in x.indices { x[i] = (x[i] - mean) * scale }
        return Dataset(
            name: "shapes", inputDim: d, outputDim: c.classes, task: .classification,
            inputs: x, labels: y, targets: [], imageShape: ImageShape(channels: 1, height: side, width: side))
    }
}

extension DataSource {
    /// How many classes `shapes` can draw.
    public static var shapeKinds: Int { ShapesData.kinds.count }
}
