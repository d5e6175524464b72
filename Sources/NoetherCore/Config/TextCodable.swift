/// A value stored in TOML and JSON as its text ("fc1=2,fc2=0.5", "1x12x12"): decoded by parsing,
/// encoded as its description.
public protocol TextCodable: Codable, LosslessStringConvertible {
    /// What the text must look like, for the message when it does not.
    static var textForm: String { get }
}

extension TextCodable {
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not \(Self.textForm): \(text)"))
        }
        self = value
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
