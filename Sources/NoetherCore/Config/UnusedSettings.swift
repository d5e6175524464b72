/// Settings that a configuration carries but does not read: `--beta2` under sgd, `--image-shape`
/// with blobs. Each is named in one line, the same whether it came from a flag, a preset or a
/// sweep, so that nothing given is dropped without a word.
extension Config {
    /// One line per key set away from its default that this run never reads. `optimizers`: the
    /// others the run switches to (a preset's `[[at]] optimizer`), which may read it.
    public func unusedSettings(alsoUsing optimizers: [OptimizerKind] = []) -> [(key: String, message: String)] {
        let defaults = Config.values(Config()), mine = Config.values(self)
        var out: [(key: String, message: String)] = []
        func unused(_ key: String, by user: String, usedBy: String) {
            guard let value = mine[key], value != defaults[key] else { return }
            out.append((key, "\(key) = \(TOML.format(value)) is not used by \(user) (only by \(usedBy)); it has no effect"))
        }
        let all = [optimizer] + optimizers
        if !all.contains(where: { $0.rule.usesBeta2 }) {
            let users = OptimizerKind.allCases.filter { $0.rule.usesBeta2 }.map(\.rawValue)
            unused("beta2", by: "optimizer " + all.map(\.rawValue).joined(separator: ", "), usedBy: list(users))
        }
        let set = "data \(data.isFile ? "from a CSV file" : data.name)"
        if data != .shapes, !data.isFile { unused("image-shape", by: set, usedBy: "shapes and CSV files") }
        if data != .blobs, data != .teacher { unused("input-dim", by: set, usedBy: "blobs and teacher") }
        if data == .teacher || data.isFile { unused("classes", by: set, usedBy: "blobs, spirals and shapes") }
        if data.isFile {
            unused("samples", by: set, usedBy: "the built-in data sets")
        }
        if data == .teacher || data.isFile { unused("label-noise", by: set, usedBy: "blobs, spirals and shapes") }
        if data == .blobs || data.isFile { unused("noise", by: set, usedBy: "teacher, spirals and shapes") }
        if resolvedTask == .classification, data != .teacher {
            unused("targets", by: "classification", usedBy: "teacher and regression CSV files")
        }
        if conv.isEmpty {
            unused("kernel", by: "a model without conv blocks", usedBy: "conv blocks (conv = [...])")
            unused("pool", by: "a model without conv blocks", usedBy: "conv blocks (conv = [...])")
        }
        if arch != .leakyRelu { unused("leaky-slope", by: "arch \(arch.rawValue)", usedBy: "leaky-relu") }
        if norm == .none { unused("eps", by: "norm none", usedBy: "batch and layer norm") }
        return out
    }

    private func list(_ names: [String]) -> String {
        names.count < 2 ? names.joined() : names.dropLast().joined(separator: ", ") + " and " + names.last!
    }
}
