import NoetherCore

/// The explorer's model control: a multilayer perceptron, or a VGG-like miniature (conv blocks
/// of 8 and 16 channels — convolution, the chosen normalization, the activation, 2 × 2 pooling —
/// then global average pooling into the dense layers), which trains on images.
enum ModelFamily {
    static let vggMini = [8, 16]

    /// "MLP", "VGG-mini", or the conv channels a preset or the command line chose.
    static func name(_ c: Config) -> String {
        if c.conv.isEmpty { return "MLP" }
        return c.conv == vggMini ? "VGG-mini" : "conv " + c.conv.map(String.init).joined(separator: ",")
    }

    /// The other family (there are two, so either arrow key toggles): a conv net becomes an MLP
    /// on the same data; an MLP becomes VGG-mini, on the built-in shapes unless its data are
    /// images already.
    static func toggled(_ c: Config) -> Config {
        var c = c
        if c.conv.isEmpty {
            c.conv = vggMini
            if !c.data.isImage && c.imageShape == nil {
                c.data = .shapes
                c.task = nil
                c.classes = min(c.classes, DataSource.shapeKinds)
            }
        } else {
            c.conv = []
            c.depth = max(c.depth, 1)
        }
        return c
    }
}
