/// Settings that a configuration carries but does not read: `--beta2` under sgd, `--image-shape`
/// with blobs. Each is named in one line, the same whether it came from a flag, a preset or a
/// sweep, so that nothing given is dropped without a word.
extension Config {
    /// One line per key set away from its default that this run never reads. `optimizers`: the
    /// others the run switches to (a preset's `[[at]] optimizer`), which may read it.
    public func unusedSettings(alsoUsing optimizers: [OptimizerKind] = []) -> [(key: String, message: String)] {
        let unused = unusedKeys(alsoUsing: optimizers)
        guard !unused.isEmpty else { return [] }
        let mine = Config.values(self)
        return unused.map { u in
            (u.key, "\(u.key) = \(mine[u.key].map(TOML.format) ?? "?") is not used by \(u.by) (only by \(u.usedBy)); it has no effect")
        }
    }

    /// The keys of `unusedSettings`, with who ignores them and who would read them; read from the
    /// fields directly, so that a sweep checks every run in microseconds.
    func unusedKeys(alsoUsing optimizers: [OptimizerKind] = []) -> [(key: String, by: String, usedBy: String)] {
        let d = Config()
        var out: [(key: String, by: String, usedBy: String)] = []
        func unused(_ key: String, _ set: Bool, by user: String, usedBy: String) {
            if set { out.append((key, user, usedBy)) }
        }
        let all = [optimizer] + optimizers
        if beta2 != d.beta2, !all.contains(where: { $0.rule.usesBeta2 }) {
            let users = OptimizerKind.allCases.filter { $0.rule.usesBeta2 }.map(\.rawValue)
            unused("beta2", true, by: "optimizer " + all.map(\.rawValue).joined(separator: ", "), usedBy: Self.list(users))
        }
        let set = "data \(data.isFile ? "from a CSV file" : data.name)"
        if data != .shapes, !data.isFile { unused("image-shape", imageShape != nil, by: set, usedBy: "shapes and CSV files") }
        if data != .blobs, data != .teacher { unused("input-dim", inputDim != nil, by: set, usedBy: "blobs and teacher") }
        if data == .teacher || data.isFile { unused("classes", classes != d.classes, by: set, usedBy: "blobs, spirals and shapes") }
        if data.isFile { unused("samples", samples != d.samples, by: set, usedBy: "the built-in data sets") }
        if data == .teacher || data.isFile {
            unused("label-noise", labelNoise != d.labelNoise, by: set, usedBy: "blobs, spirals and shapes")
        }
        if data == .blobs || data.isFile { unused("noise", noise != d.noise, by: set, usedBy: "teacher, spirals and shapes") }
        if resolvedTask == .classification, data != .teacher {
            unused("targets", targets != d.targets, by: "classification", usedBy: "teacher and regression CSV files")
        }
        if conv.isEmpty {
            unused("kernel", kernel != d.kernel, by: "a model without conv blocks", usedBy: "conv blocks (conv = [...])")
            unused("pool", pool != d.pool, by: "a model without conv blocks", usedBy: "conv blocks (conv = [...])")
        }
        if arch != .leakyRelu { unused("leaky-slope", leakySlope != d.leakySlope, by: "arch \(arch.rawValue)", usedBy: "leaky-relu") }
        if norm == .none { unused("eps", eps != d.eps, by: "norm none", usedBy: "batch and layer norm") }
        return out
    }

    private static func list(_ names: [String]) -> String {
        names.count < 2 ? names.joined() : names.dropLast().joined(separator: ", ") + " and " + names.last!
    }
}
