import NoetherCore
enum Explorer {
    static func launch(preset: Preset, replay: Bool, record: String?, ascii: Bool, noColor: Bool) throws {
        throw RunFailure("explorer not built yet")
    }
}
