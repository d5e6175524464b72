/// On an ASCII terminal a chart's title, legend and direct labels spell Greek letters out
/// (`Glyphs.words`): the one-letter stand-ins read wrong ("n" for η reads as a count).
extension Chart {
    /// This chart with its names and titles spelled out, or nil when nothing would change
    /// (Unicode, or no symbol to spell).
    func spelledOut(_ glyphs: Glyphs) -> Chart? {
        guard !glyphs.unicode else { return nil }
        func spell(_ s: ChartSeries) -> ChartSeries {
            var s = s
            s.name = glyphs.words(s.name, keeping: Glyphs.bordersKeep)
            s.label = s.label.map { glyphs.words($0, keeping: Glyphs.bordersKeep) }
            return s
        }
        var c = self
        c.title = glyphs.words(title, keeping: Glyphs.bordersKeep)
        c.shortTitle = shortTitle.map { glyphs.words($0, keeping: Glyphs.bordersKeep) }
        c.series = series.map(spell)
        c.guides = guides.map { ($0.slope, spell($0.series)) }
        c.markers = markers.map { ($0.x, glyphs.words($0.label, keeping: Glyphs.bordersKeep)) }
        let before = [title, shortTitle ?? ""] + series.map { $0.name + ($0.label ?? "") } + markers.map(\.label)
        let after =
            [c.title, c.shortTitle ?? ""] + c.series.map { $0.name + ($0.label ?? "") } + c.markers.map(\.label)
        let guidesChanged = zip(guides, c.guides).contains { $0.series.name != $1.series.name }
        return before == after && !guidesChanged ? nil : c
    }
}
