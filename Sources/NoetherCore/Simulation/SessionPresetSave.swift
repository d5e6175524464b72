import Foundation

/// Saving the session's configuration, as it is now, as a preset of the user's own.
extension Session {
    /// Writes the run's current configuration (live parameters and optimizer included, no story)
    /// into `folder` under a fresh name and returns the saved preset. `summary` names the
    /// network in the title ("BN relu 2×16 · moons · SGD").
    public func savePreset(summary: String, in folder: String = PresetLibrary.userPresetsFolder) throws -> Preset {
        var p = state.preset
        p.config.live = front.live
        p.config.optimizer = front.config.optimizer  // a story may have switched it
        p.schedule = []
        let c = p.config
        let norm = c.norm == .none ? "" : c.norm.abbreviation.lowercased() + "-"
        let stem = "\(norm)\(c.arch.rawValue)-\(c.depth)x\(c.width)-lr\(Self.compact(c.lr))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = Self.freshPath(stem, in: folder)
        p.name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        p.title =
            summary + ", lr \(Self.compact(c.lr)), β \(Self.compact(c.momentum)), λ \(Self.compact(c.weightDecay))"
        p.description =
            "Saved from the explorer at step \(front.step) of \"\(state.preset.title)\": a \(summary) network, "
            + "learning rate \(c.lr), momentum \(c.momentum), weight decay \(c.weightDecay), seed \(c.seed), "
            + "\(c.steps) steps."
        try OutputFile.write(p.toml(), to: path)
        return p
    }

    /// A file name in `folder` that exists nowhere yet ("stem.toml", else "stem-2.toml", …).
    public static func freshPath(_ stem: String, in folder: String = ".") -> String {
        var path = "\(folder)/\(stem).toml"
        var n = 2
        while FileManager.default.fileExists(atPath: path) {
            path = "\(folder)/\(stem)-\(n).toml"
            n += 1
        }
        return folder == "." ? String(path.dropFirst(2)) : path
    }
}
