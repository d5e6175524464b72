import NoetherCore

/// The explorer's model control: a multilayer perceptron, or a VGG-like miniature (conv blocks
/// of 8 and 16 channels — convolution, the chosen normalization, the activation, 2 × 2 pooling —
/// then global average pooling into the dense layers), which trains on images.
enum ModelFamily {
    static let vggMini = [8, 16]
    /// The residual sibling (preset resnet-mini): a stem of 8 channels, then one residual block of two.
    static let resnetMini = [8, 8, 8]

    /// "MLP", "VGG-mini", "ResNet-mini", or the conv channels a preset or the command line chose
    /// ("residual" before them with skip connections).
    static func name(_ c: Config) -> String {
        let skip = c.residual ? "residual " : ""
        if c.conv.isEmpty { return skip + "MLP" }
        if c.conv == vggMini, !c.residual { return "VGG-mini" }
        if c.conv == resnetMini, c.residual { return "ResNet-mini" }
        return skip + "conv " + c.conv.map(String.init).joined(separator: ",")
    }

    /// The other family (there are two, so either arrow key toggles): a conv net becomes an MLP
    /// on the same data; an MLP becomes VGG-mini, on the built-in shapes unless its data are
    /// images already.
    static func toggled(_ c: Config) -> Config {
        var c = c
        if c.conv.isEmpty {
            c.conv = c.residual ? resnetMini : vggMini
            if !c.data.isImage && c.imageShape == nil {
                c.data = .shapes
                c.task = nil
                c.classes = min(c.classes, DataSource.shapeKinds)
            }
        } else {
            c.conv = []
            c.residual = c.residual && c.depth >= 3 && c.depth % 2 == 1
            c.depth = max(c.depth, 1)
        }
        return c
    }
}
