import Foundation
import Testing
@testable import NoetherCore

/// The built-in image set `shapes` and image CSV files (`--image-shape CxHxW`).
@Suite struct ImageDataTests {
    static func shapes(_ change: (inout Config) -> Void = { _ in }) throws -> Dataset {
        let c = config {
            $0.data = .shapes
            $0.samples = 200
            change(&$0)
        }
        try c.validate()
        var rng = Xoshiro256(seed: c.seed)
        return try Dataset.make(c, rng: &rng)
    }

    static func folder() -> String {
        let dir = NSTemporaryDirectory() + "noether-images-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func sameSeedSameImagesOtherSeedOtherImages() throws {
        let a = try Self.shapes { $0.seed = 7 }, b = try Self.shapes { $0.seed = 7 },
            other = try Self.shapes { $0.seed = 8 }
        #expect(a.inputs == b.inputs && a.labels == b.labels)
        #expect(a.inputs != other.inputs)
    }

    @Test(arguments: [12, 16])
    func imagesCarryTheirShapeAndAreStandardized(side: Int) throws {
        let d = try Self.shapes {
            $0.imageShape = ImageShape(channels: 1, height: side, width: side); $0.classes = 8
        }
        #expect(d.imageShape == ImageShape(channels: 1, height: side, width: side))
        #expect(d.inputDim == side * side && d.count == 200 && d.outputDim == 8 && d.task == .classification)
        let mean = d.inputs.reduce(0, +) / Double(d.inputs.count)
        let variance = d.inputs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(d.inputs.count)
        #expect(abs(mean) < 1e-12 && abs(variance - 1) < 1e-12)
    }

    @Test func vectorDataHaveNoImageShape() throws {
        var rng = Xoshiro256(seed: 1)
        for source in [DataSource.blobs, .teacher, .spirals] {
            #expect(
                try Dataset.make(
                    config {
                        $0.data = source; $0.samples = 16
                    }, rng: &rng
                ).imageShape == nil)
        }
    }

    @Test(arguments: 2...8)
    func classesAreBalancedAndLabelsInRange(classes: Int) throws {
        let clean = try Self.shapes {
            $0.classes = classes; $0.labelNoise = 0
        }
        let counts = (0..<classes).map { k in clean.labels.filter { $0 == k }.count }
        #expect(counts.max()! - counts.min()! <= 1, "\(counts)")
        let noisy = try Self.shapes {
            $0.classes = classes; $0.labelNoise = 0.5
        }
        #expect(noisy.labels.allSatisfy { (0..<classes).contains($0) })
        #expect(noisy.labels != clean.labels)
    }

    /// Every kind at every box size of both image sizes has pixels on and off, and no two kinds
    /// look alike; drawn without noise, each image is exactly its mask placed inside the frame.
    @Test(arguments: ShapesData.sides)
    func everyClassIsDrawable(side: Int) throws {
        for box in ShapesData.boxSizes(side: side) {
            let masks = ShapesData.kinds.indices.map { ShapesData.mask(kind: $0, box: box) }
            for (k, m) in masks.enumerated() {
                let on = m.filter { $0 }.count
                #expect(on >= box && on < box * box, "\(ShapesData.kinds[k]) at \(box): \(on) pixels")
            }
            #expect(Set(masks).count == masks.count, "two kinds look alike at box \(box)")
        }
        let d = try Self.shapes {
            $0.imageShape = ImageShape(channels: 1, height: side, width: side)
            $0.classes = ShapesData.kinds.count; $0.noise = 0; $0.labelNoise = 0
        }
        let low = d.inputs.min()!
        let possible = (0..<ShapesData.kinds.count).map { k in
            Set(
                ShapesData.boxSizes(side: side).map { box in
                    ShapesData.mask(kind: k, box: box).filter { $0 }.count
                })
        }
        for n in 0..<d.count {
            let on = (0..<d.inputDim).filter { d.inputs[n * d.inputDim + $0] > low }.count
            #expect(
                possible[d.labels[n]].contains(on), "image \(n) (\(ShapesData.kinds[d.labels[n]])) has \(on) pixels on")
        }
    }

    @Test func badShapesSettingsAreNamed() {
        let cases: [(String, (inout Config) -> Void)] = [
            ("classes", { $0.classes = 9 }),
            ("image-shape", { $0.imageShape = ImageShape(channels: 3, height: 12, width: 12) }),
            ("image-shape", { $0.imageShape = ImageShape(channels: 1, height: 14, width: 14) }),
        ]
        for (field, change) in cases {
            let c = config {
                $0.data = .shapes; change(&$0)
            }
            #expect { try c.validate() } throws: {
                ($0 as? ConfigError)?.field == field
                    && ("\($0)".contains("1x12x12 or 1x16x16") || "\($0)".contains("2…8"))
            }
        }
    }

    @Test func imageShapeIsReadAndBounded() throws {
        #expect(ImageShape("3x32x32") == ImageShape(channels: 3, height: 32, width: 32))
        for bad in ["", "3x32", "3x32x32x1", "ax1x1", "1.5x2x2", "1x2x", "１x2x2"] {
            #expect(ImageShape(bad) == nil, "\(bad)")
        }
        for (shape, message) in [
            ("0x28x28", "C must be 1…64"), ("1x28x2000", "W must be 1…1024"),
            ("64x1024x1024", "67108864 values an image; at most 1048576"),
        ] {
            #expect { try ImageShape(shape)!.validate() } throws: {
                "\($0)".hasPrefix("image-shape: ") && "\($0)".contains(message)
            }
        }
        // Preset files and flags decode the key through the one schema, naming it when malformed.
        let set = try Config.decoding(
            [TOMLEntry(key: "image-shape", value: .string("1x28x28"), line: 3)], over: Config())
        #expect(set.imageShape == ImageShape(channels: 1, height: 28, width: 28))
        #expect(Config.lines(set).contains("image-shape = \"1x28x28\""))
        #expect {
            try Config.decoding([TOMLEntry(key: "image-shape", value: .string("28x28"), line: 3)], over: Config())
        } throws: {
            let e = $0 as! ConfigEntryError
            return e.line == 3 && e.message.contains("image-shape must be a string \"CxHxW\"")
                && e.message.contains("28x28")
        }
    }

    /// `--dump-data` writes images in the image CSV format, which reads back to the same data.
    @Test(arguments: [12, 16])
    func dumpedImagesReadBack(side: Int) throws {
        let d = try Self.shapes { $0.imageShape = ImageShape(channels: 1, height: side, width: side) }
        let path = Self.folder() + "/shapes.csv"
        try d.csv().write(toFile: path, atomically: false, encoding: .utf8)
        var c = Config()
        c.data = .file(path)
        c.imageShape = d.imageShape
        try c.validate()
        var rng = Xoshiro256(seed: 1)
        let back = try Dataset.make(c, rng: &rng)
        #expect(back.inputs == d.inputs && back.labels == d.labels && back.imageShape == d.imageShape)
        // Read as vectors, the same file is the flattened images.
        c.imageShape = nil
        let flat = try Dataset.make(c, rng: &rng)
        #expect(flat.inputs == d.inputs && flat.imageShape == nil)
        // Declared with a shape of another size, every row is refused at the first one.
        c.imageShape = ImageShape(channels: 1, height: side, width: side - 1)
        #expect { try Dataset.make(c, rng: &rng) } throws: {
            "\($0)".hasPrefix("\(path):2: expected \(side * (side - 1) + 1) columns")
                && "\($0)".hasSuffix("found \(side * side + 1)")
        }
    }

    @Test func multiChannelRegressionImages() throws {
        var text = ""
        for n in 0..<10 { text += (0..<12).map { "\(Double(n * 12 + $0))" }.joined(separator: ",") + ",\(n),\(-n)\n" }
        let path = Self.folder() + "/rgb.csv"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        var c = config {
            $0.data = .file(path); $0.task = .regression; $0.targets = 2
        }
        c.imageShape = ImageShape(channels: 3, height: 2, width: 2)
        var rng = Xoshiro256(seed: 1)
        let d = try Dataset.make(c, rng: &rng)
        #expect(d.inputDim == 12 && d.outputDim == 2 && d.count == 10 && Array(d.targets.prefix(4)) == [0, 0, 1, -1])
        #expect(ImageShape(channels: 3, height: 2, width: 2).position(7) == (channel: 1, row: 1, column: 1))
        c.imageShape = ImageShape(channels: 1, height: 2, width: 2)
        #expect { try Dataset.make(c, rng: &rng) } throws: { "\($0)".contains("then 2 target column(s)") }
    }

    /// Until convolutions, a dense network sees the flattened images and learns them.
    @Test func mlpLearnsShapesAboveChance() throws {
        let c = config {
            $0.data = .shapes; $0.classes = 4; $0.samples = 256; $0.batchSize = 64; $0.labelNoise = 0
            $0.depth = 1; $0.width = 32; $0.norm = .none; $0.lr = 0.05; $0.momentum = 0.9; $0.weightDecay = 0
            $0.steps = 200
        }
        try c.validate()
        let sim = try Simulator(c)
        let start = sim.observation().accuracy ?? 0
        var accuracy: [Double] = []
        for k in 0..<c.steps {
            try sim.advance()
            if k >= c.steps - 20 { accuracy.append(sim.observation().accuracy ?? 0) }
        }
        let late = accuracy.reduce(0, +) / Double(accuracy.count)
        print("shapes, 4 classes, MLP 144-32-4: minibatch accuracy \(start) at step 0, \(late) over steps 181-200")
        #expect(late > 0.6, "chance is 0.25")
    }
}
