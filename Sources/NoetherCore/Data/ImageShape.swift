/// The shape of one image, channels × height × width, written "CxHxW" (PyTorch's C, H, W order:
/// a flattened image lists channel 0 row by row, then channel 1, …).
public struct ImageShape: Equatable, Hashable, TextCodable, Sendable, CustomStringConvertible {
    public var channels: Int
    public var height: Int
    public var width: Int

    /// Bounds of `image-shape`: up to 64 channels, 1024 pixels a side, 1,048,576 values an image.
    public static let maxChannels = 64
    public static let maxSide = 1024
    public static let maxValues = 1 << 20

    public init(channels: Int, height: Int, width: Int) {
        self.channels = channels
        self.height = height
        self.width = width
    }

    /// Reads "CxHxW" ("1x28x28"; an upper-case X or × also separates); nil unless it is three
    /// whole numbers.
    public init?(_ text: String) {
        let parts = text.split(omittingEmptySubsequences: false) { $0 == "x" || $0 == "X" || $0 == "×" }
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) }),
            let c = Int(parts[0]), let h = Int(parts[1]), let w = Int(parts[2])
        else { return nil }
        self.init(channels: c, height: h, width: w)
    }

    /// Values in one flattened image.
    public var count: Int { channels * height * width }

    public var description: String { "\(channels)x\(height)x\(width)" }

    /// Each side within its bound and the whole image within `maxValues`.
    public func validate() throws(ConfigError) {
        for (name, value, bound) in [
            ("C", channels, Self.maxChannels), ("H", height, Self.maxSide), ("W", width, Self.maxSide),
        ]
        where !(1...bound).contains(value) {
            throw ConfigError("image-shape", "\(name) must be 1…\(bound) in CxHxW, got \(value) in \(self)")
        }
        guard count <= Self.maxValues else {
            throw ConfigError(
                "image-shape", "\(self) has \(count) values an image; at most \(Self.maxValues) are allowed")
        }
    }

    /// Where flat index `i` of an image lies: (channel, row, column).
    public func position(_ i: Int) -> (channel: Int, row: Int, column: Int) {
        (i / (height * width), (i / width) % height, i % width)
    }

    public static let textForm = "CxHxW"
}
