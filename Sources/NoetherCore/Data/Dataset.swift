import Foundation

/// A training set held in memory, row-major: `inputs` is samples × inputDim.
/// Classification stores one label per sample; regression stores samples × outputDim targets.
public struct Dataset: Sendable {
    public var name: String
    public var inputDim: Int
    public var outputDim: Int
    public var task: Task
    public var inputs: [Double]
    public var labels: [Int]
    public var targets: [Double]
    /// Channels × height × width of each sample when the inputs are images (nil for vectors);
    /// each row of `inputs` is then one image flattened in C, H, W order.
    public var imageShape: ImageShape? = nil

    public var count: Int { inputs.count / max(inputDim, 1) }

    /// Builds the configured data set, drawing from the run's generator when it is built in.
    public static func make(_ config: Config, rng: inout Xoshiro256) throws -> Dataset {
        var data = try drawOrLoad(config, rng: &rng)
        if config.whiten { try data.whiten() }
        return data
    }

    /// Multiplies every input by M^{-1/2}, M = XᵀX/n, from M's eigendecomposition, so that the
    /// whitened second-moment matrix is the identity to rounding. Refused when M is singular to
    /// working precision (more input dimensions than independent samples, a constant-zero column).
    mutating func whiten() throws(ConfigError) {
        let d = inputDim, n = count
        var m = [Double](repeating: 0, count: d * d)
        for r in 0..<n {
            for i in 0..<d {
                let xi = inputs[r * d + i]
                for j in i..<d { m[i * d + j] += xi * inputs[r * d + j] }
            }
        }
        for i in 0..<d { for j in i..<d { m[i * d + j] /= Double(n); m[j * d + i] = m[i * d + j] } }
        let eigen = SymmetricEigen(m, n: d)
        let largest = eigen.values.max() ?? 0, smallest = eigen.values.min() ?? 0
        guard largest > 0, smallest > 1e-10 * largest else {
            throw ConfigError(
                "whiten",
                "the inputs of \(name) have a singular second-moment matrix (eigenvalues \(smallest) to \(largest), \(n) samples of \(d) inputs); whitening needs full rank"
            )
        }
        // W = V diag(1/√λ) Vᵀ, symmetric.
        var w = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in 0..<d {
                var s = 0.0
                for k in 0..<d {
                    s += eigen.vectors[i * d + k] * eigen.vectors[j * d + k] / eigen.values[k].squareRoot()
                }
                w[i * d + j] = s
            }
        }
        var out = inputs
        for r in 0..<n {
            for i in 0..<d {
                var s = 0.0
                for j in 0..<d { s += w[i * d + j] * inputs[r * d + j] }
                out[r * d + i] = s
            }
        }
        inputs = out
        name += ", whitened"
    }

    private static func drawOrLoad(_ config: Config, rng: inout Xoshiro256) throws -> Dataset {
        switch config.data {
        case .blobs: return blobs(config, rng: &rng)
        case .teacher: return teacher(config, rng: &rng)
        case .spirals: return spirals(config, rng: &rng)
        case .shapes: return ShapesData.make(config, rng: &rng)
        case .file(let path):
            return try CSVData.load(
                path: path, task: config.resolvedTask, targets: config.resolvedTargets, image: config.imageShape)
        }
    }

    /// Input and output widths of a built-in data set, known before it is drawn; nil for a CSV
    /// file, whose width is read from the file.
    static func shape(_ c: Config) -> (inputs: Int, outputs: Int)? {
        switch c.data {
        case .blobs: (c.inputDim ?? 10, c.classes)
        case .teacher: (c.inputDim ?? 8, c.resolvedTargets)
        case .spirals: (2, c.classes)
        case .shapes:
            (
                (c.imageShape?.height ?? ShapesData.defaultSide) * (c.imageShape?.width ?? ShapesData.defaultSide),
                c.classes
            )
        case .file: nil
        }
    }

    /// The image shape of a configuration's samples, known before they are drawn or read; nil
    /// for vector data.
    static func image(_ c: Config) -> ImageShape? {
        switch c.data {
        case .shapes:
            c.imageShape ?? ImageShape(channels: 1, height: ShapesData.defaultSide, width: ShapesData.defaultSide)
        case .file: c.imageShape
        default: nil
        }
    }

    /// Gaussian mixture (THEORY.md §8): class means ~ N(0, I), samples mean + N(0, I),
    /// a fraction of labels replaced at random so the minibatch noise never vanishes.
    static func blobs(_ c: Config, rng: inout Xoshiro256) -> Dataset {
        let d = shape(c)!.inputs
        let means = (0..<(c.classes * d)).map { _ in rng.normal() }
        var x = [Double](repeating: 0, count: c.samples * d)
        var y = [Int](repeating: 0, count: c.samples)
        for n in 0..<c.samples {
            let k = rng.below(c.classes)
            for j in 0..<d { x[n * d + j] = means[k * d + j] + rng.normal() }
            y[n] = rng.uniform() < c.labelNoise ? rng.below(c.classes) : k
        }
        return Dataset(
            name: "blobs", inputDim: d, outputDim: c.classes, task: .classification,
            inputs: x, labels: y, targets: [])
    }

    /// Linear teacher regression: y = T x + noise · N(0, 1), T ~ N(0, 1/d), x ~ N(0, I).
    static func teacher(_ c: Config, rng: inout Xoshiro256) -> Dataset {
        let (d, k) = shape(c)!
        let scale = (1 / Double(d)).squareRoot()
        let t = (0..<(k * d)).map { _ in scale * rng.normal() }
        var x = [Double](repeating: 0, count: c.samples * d)
        var y = [Double](repeating: 0, count: c.samples * k)
        for n in 0..<c.samples {
            for j in 0..<d { x[n * d + j] = rng.normal() }
            for i in 0..<k {
                var s = 0.0
                for j in 0..<d { s += t[i * d + j] * x[n * d + j] }
                y[n * k + i] = s + c.noise * rng.normal()
            }
        }
        return Dataset(
            name: "teacher", inputDim: d, outputDim: k, task: .regression,
            inputs: x, labels: [], targets: y)
    }

    /// Interleaved 2-D spirals, one arm per class: a non-linear problem a linear model cannot solve.
    static func spirals(_ c: Config, rng: inout Xoshiro256) -> Dataset {
        var x = [Double](repeating: 0, count: c.samples * 2)
        var y = [Int](repeating: 0, count: c.samples)
        for n in 0..<c.samples {
            let k = n % c.classes
            let r = rng.uniform()
            let angle = 4 * r * Double.pi + 2 * Double.pi * Double(k) / Double(c.classes)
            x[2 * n] = 2 * r * _cos(angle) + c.noise * rng.normal()
            x[2 * n + 1] = 2 * r * _sin(angle) + c.noise * rng.normal()
            y[n] = rng.uniform() < c.labelNoise ? rng.below(c.classes) : k
        }
        return Dataset(
            name: "spirals", inputDim: 2, outputDim: c.classes, task: .classification,
            inputs: x, labels: y, targets: [])
    }

    /// The training set as CSV: feature columns x0…, then `label` or y0… — the same layout
    /// `--data FILE` reads back. Images are one flattened image a row (C, H, W order) under a
    /// comment naming their shape, which `--data FILE --image-shape CxHxW` reads back.
    public func csv() -> String {
        var out = (0..<inputDim).map { "x\($0)" }
        out += task == .classification ? ["label"] : (0..<outputDim).map { "y\($0)" }
        var text =
            imageShape.map {
                "# image-shape = \($0): one image a row, C, H, W order, then the \(task == .classification ? "label" : "targets")\n"
            } ?? ""
        text += out.joined(separator: ",") + "\n"
        for n in 0..<count {
            var row = (0..<inputDim).map { formatNumber(inputs[n * inputDim + $0]) }
            if task == .classification {
                row.append(String(labels[n]))
            } else {
                row += (0..<outputDim).map { formatNumber(targets[n * outputDim + $0]) }
            }
            text += row.joined(separator: ",") + "\n"
        }
        return text
    }
}

/// Reads a user's CSV: numeric feature columns, then the label (classification) or the
/// last `targets` columns (regression). An optional header line is recognised by not being numeric.
enum CSVData {
    static let largestValue = 1e150

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// `image`, when given, declares each row's features to be one image of that shape: every
    /// row (and a header) must then have exactly its C·H·W values before the label or targets.
    static func load(path: String, task: Task, targets: Int, image: ImageShape? = nil) throws -> Dataset {
        let data: Data
        do { data = try InputFile.read(path) } catch {
            throw Failure(description: "\(path): cannot read the data file: \(error)")
        }
        guard String(data: data, encoding: .utf8) != nil else {
            throw Failure(description: "\(path): not UTF-8 text")
        }
        let outputs = task == .classification ? 1 : targets
        let outputColumns = task == .classification ? "the label" : "\(targets) target column(s)"
        var rows: [[Double]] = []
        var width = image.map { $0.count + outputs } ?? -1
        var header = false
        /// A column named for messages; in an image, also the pixel it holds.
        func column(_ i: Int) -> String {
            guard let image, i < image.count else { return "column \(i + 1)" }
            let p = image.position(i)
            return "column \(i + 1) (pixel c=\(p.channel) y=\(p.row) x=\(p.column) of the \(image) image)"
        }
        // Lines and fields are cut on the UTF-8 bytes (a large image file is read in seconds,
        // not minutes); "\r\n", "\n" and "\r" each end a line.
        let bytes = [UInt8](data)
        for (index, range) in bytes.withUnsafeBufferPointer({ lines($0) }).enumerated() {
            let line = bytes.withUnsafeBufferPointer { trimmed($0, range) }
            if line.isEmpty || bytes[line.lowerBound] == UInt8(ascii: "#") { continue }
            let cells = bytes.withUnsafeBufferPointer { pieces($0, line, at: UInt8(ascii: ",")) }
            // The column count first: a row of the wrong width is refused before its values are read.
            guard width < 0 || cells.count == width else {
                let what = image.map { " (a \($0) image is \($0.count) values, then \(outputColumns))" } ?? ""
                throw Failure(
                    description:
                        "\(path):\(index + 1): expected \(width) columns\(what), found \(cells.count)")
            }
            let fields = bytes.withUnsafeBufferPointer { p in
                cells.map { String(decoding: UnsafeBufferPointer(rebasing: p[trimmed(p, $0)]), as: UTF8.self) }
            }
            let numbers = fields.map { NumberSyntax.decimal($0) }
            if width < 0 { width = fields.count }
            if rows.isEmpty, !header, numbers.allSatisfy({ $0 == nil }) {
                header = true
                continue
            }
            var row: [Double] = []
            for (i, value) in numbers.enumerated() {
                guard let value, value.isFinite else {
                    throw Failure(
                        description:
                            "\(path):\(index + 1): \(column(i)): '\(TOML.excerpt(fields[i]))' is not a finite number")
                }
                // Squares and products of inputs must stay finite, or training fails at step 0 for
                // a reason that is not the learning rate's.
                guard abs(value) <= CSVData.largestValue else {
                    throw Failure(
                        description:
                            "\(path):\(index + 1): \(column(i)): \(TOML.excerpt(fields[i])) is too large; values must lie within ±1e150"
                    )
                }
                row.append(value)
            }
            if task == .classification {
                let label = row[width - 1]
                guard label >= 0, label == label.rounded(), label < 65 else {
                    throw Failure(
                        description:
                            "\(path):\(index + 1): column \(width): label must be a whole number 0…64, got \(TOML.excerpt(fields[width - 1]))"
                    )
                }
            }
            rows.append(row)
        }
        guard width > outputs else {
            throw Failure(description: "\(path): needs at least one feature column before \(outputColumns)")
        }
        guard rows.count >= 8 else {
            throw Failure(description: "\(path): needs at least 8 data rows, found \(rows.count)")
        }
        let d = width - outputs
        var x: [Double] = []
        x.reserveCapacity(rows.count * d)
        for row in rows { x += row[0..<d] }
        if task == .classification {
            let labels = rows.map { Int($0[d]) }
            let classes = max(2, (labels.max() ?? 0) + 1)
            return Dataset(
                name: path, inputDim: d, outputDim: classes, task: .classification,
                inputs: x, labels: labels, targets: [], imageShape: image)
        }
        var y: [Double] = []
        for row in rows { y += row[d...] }
        return Dataset(
            name: path, inputDim: d, outputDim: outputs, task: .regression,
            inputs: x, labels: [], targets: y, imageShape: image)
    }

    /// Where each line of `bytes` lies, without its line ending ("\r\n", "\n" or "\r").
    static func lines(_ bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var out: [Range<Int>] = []
        for piece in pieces(bytes, 0..<bytes.count, at: 10) {
            let end =
                piece.upperBound > piece.lowerBound && bytes[piece.upperBound - 1] == 13
                ? piece.upperBound - 1 : piece.upperBound
            out += pieces(bytes, piece.lowerBound..<end, at: 13)
        }
        return out
    }

    /// `range` of `bytes` cut at every `separator`, which no piece includes. It searches with
    /// memchr, so a file of hundreds of megabytes is cut in well under a second in any build.
    static func pieces(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, at separator: UInt8) -> [Range<Int>] {
        guard let base = bytes.baseAddress else { return [range] }
        var out: [Range<Int>] = []
        var start = range.lowerBound
        while start < range.upperBound, let hit = memchr(base + start, Int32(separator), range.upperBound - start) {
            let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            out.append(start..<at)
            start = at + 1
        }
        out.append(start..<range.upperBound)
        return out
    }

    /// `range` without the spaces and tabs at either end.
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound, upper = range.upperBound
        while lower < upper, bytes[lower] == 32 || bytes[lower] == 9 { lower += 1 }
        while upper > lower, bytes[upper - 1] == 32 || bytes[upper - 1] == 9 { upper -= 1 }
        return lower..<upper
    }
}

/// Shortest text that reads back to the same Double, so exports round-trip exactly.
@inline(__always)
public func formatNumber(_ x: Double) -> String {
    x.isFinite ? "\(x)" : (x.isNaN ? "NaN" : (x > 0 ? "Infinity" : "-Infinity"))
}
