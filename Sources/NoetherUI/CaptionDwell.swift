/// How long a caption stays up before the story may move on: the time it takes to read it,
/// at least 8 s and about 3 words a second for longer text, whatever the pace.
public enum CaptionDwell {
    public static let minimum = 8.0
    public static let wordsPerSecond = 3.0

    public static func seconds(for caption: String) -> Double {
        let words = caption.split(whereSeparator: \.isWhitespace).count
        return max(minimum, Double(words) / wordsPerSecond)
    }

    /// What the story holds a caption for: its reading time and a margin for the frames between
    /// the simulator publishing it and the terminal drawing it and its successor (measured in
    /// tmux without the margin, some captions stayed up to 0.1 s short of their reading time).
    public static let margin = 0.4
    public static func hold(for caption: String) -> Double { seconds(for: caption) + margin }

    /// The furthest step the run may reach at `now` while a caption shown at `shown` (wall
    /// seconds, at step `from`) is fresh and the next caption waits at step `next`: the run
    /// slows so that it reaches the step before the next caption as the dwell ends, and holds
    /// there until it has. Nil when the caption has been up long enough.
    public static func limit(shown: Double, dwell: Double, from: Int, next: Int, now: Double) -> Int? {
        guard now < shown + dwell, next > from else { return nil }
        let share = max(0, (now - shown) / dwell)
        return min(next - 1, from + Int(Double(next - from) * share))
    }
}
