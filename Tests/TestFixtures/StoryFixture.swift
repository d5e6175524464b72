import NoetherCore

/// The short story the session tests play: an 8-wide MLP on 64 samples for 120 steps, with a
/// caption at step 0, a second at step 40 and (unless `third` is nil) a third at step 80. Each
/// suite chooses the focus, family and changes its checks are about.
public enum StoryFixture {
    /// The story as a preset named "story" read from story.toml.
    public static func preset(
        focus: String? = nil, family: String, lr: Double? = nil, second: String = "second caption",
        secondFocus: String? = nil, pause: Bool = false, third: String? = "third caption", thirdFocus: String? = nil
    ) throws -> Preset {
        func line(_ key: String, _ value: String?) -> String { value.map { "\(key) = \($0)\n" } ?? "" }
        func quoted(_ s: String?) -> String? { s.map { "\"\($0)\"" } }
        var text = """
            title = "story"
            description = "a short story"
            width = 8
            samples = 64
            steps = 120

            [[at]]
            step = 0
            say = "first caption"

            """
        text += line("focus", quoted(focus)) + line("family", quoted(family))
        text += "\n[[at]]\nstep = 40\n" + line("lr", lr.map { "\($0)" }) + line("say", quoted(second))
        text += line("focus", quoted(secondFocus)) + line("pause", pause ? "true" : nil)
        if let third {
            text += "\n[[at]]\nstep = 80\n" + line("say", quoted(third)) + line("focus", quoted(thirdFocus))
        }
        return try Preset.parse(text, name: "story", file: "story.toml")
    }
}
