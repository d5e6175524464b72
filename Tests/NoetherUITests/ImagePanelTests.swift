import NoetherCore
import Testing

@testable import NoetherUI

/// The data panel on image data: one sample of each of the first classes, and the first conv
/// layer's filters with their signs told apart without colour.
@Suite("Image data panel")
struct ImagePanelTests {
    static func conv() -> Config {
        var c = Config()
        (c.data, c.conv, c.depth, c.samples, c.steps) = (.shapes, [4], 0, 64, 5)
        return c
    }

    @Test("the gallery holds samples of distinct classes and every filter of the first conv layer")
    func galleryOfAConvNet() throws {
        let sim = try Simulator(Self.conv())
        let g = try #require(sim.imageGallery(count: 3))
        #expect(g.samples.count == 3 && Set(g.samples.map(\.label)).count == 3)
        #expect(g.samples.allSatisfy { $0.pixels.count == g.height * g.width })
        #expect(g.filters.count == 4 && g.kernel == 3 && g.filters.allSatisfy { $0.count == 9 })
        let weight = try #require(sim.parameters().first { $0.tensor.shape.count == 4 })
        #expect(g.filters[1] == Array(weight.values[9..<18]), "filter 1 on input channel 0 of a 1-channel image")
        #expect(try Simulator(Config()).imageGallery() == nil, "vector data has no gallery")
    }

    @Test("expanded, the panel draws the samples with their classes and the filters with their legend")
    func panelFrame() throws {
        var s = try Snapshot.observing(Self.conv(), steps: 3)
        let sim = try Simulator(Self.conv())
        s.gallery = sim.imageGallery()
        var state = AppState()
        (state.focus, state.expanded) = ("data", true)
        for unicode in [true, false] {
            let frame = Screen(unicode: unicode, color: false).render(state, s, width: 100, height: 30)
            let text = (0..<30).map { frame.line($0) }.joined(separator: "\n")
            #expect(text.contains("class 0") && text.contains("class 1"), "\(text)")
            #expect(text.contains("conv1 filters on channel 0"), "\(text)")
            // Below the legend, the filters: positive weights on the first ramp, negative on the second.
            let filters = text.components(separatedBy: " negative").last ?? ""  // the rows after the legend
            let (positive, negative) = unicode ? ("░▒▓█", "·=≡") : (".:+#", ",=~")
            #expect(filters.contains { positive.contains($0) } && filters.contains { negative.contains($0) }, "\(text)")
        }
    }
}
