import NoetherCore
import Testing
@testable import NoetherUI

/// What a reader of an ASCII screen (LANG=C) sees in words: Greek letters spelled out where a
/// one-letter stand-in would mislead, arrows as up/down, an ellipsis that is no curve's mark,
/// and y-axis modes named in words on narrow borders too.
@Suite("ASCII wording")
struct AsciiWordingTests {
    let ascii = Glyphs(unicode: false)

    @Test func greekLettersAndArrowsAreSpelledOutInRunningText() {
        #expect(
            ascii.words("η_eff = η/|θ|² and √(2ηλ/(1+β)) = 0.026")
                == "eta_eff = eta/|theta|^2 and sqrt(2*eta*lambda/(1+beta)) = 0.026")
        #expect(ascii.words("ηk, 0.22 → 3.56, ↑↓ scroll") == "eta*k, 0.22 -> 3.56, up/down scroll")
        #expect(ascii.words("← → ↑ ↓", keys: true) == "left right up down")
        #expect(Glyphs(unicode: true).words("√(2ηλ) ↑↓") == "√(2ηλ) ↑↓", "Unicode text is left alone")
    }

    @Test func theAsciiEllipsisIsNoCurveMark() {
        let e = ascii.ellipsis
        for m in Mark.allCases {
            #expect(!e.contains(m.ascii) && !m.legend(unicode: false).contains(e), "\(m) shares \(e)")
        }
        // Text cut before the per-cell pass says the same as text cut after it.
        #expect(Screen.asciiStandIns["…"].map { String($0) } == e)
    }

    @Test func helpNamesTheArrowKeysInWords() {
        let lines = Screen.helpLines(page: 0, width: 72, glyphs: ascii).map { $0.map(\.0).joined() }
        #expect(lines.contains { $0.hasPrefix("up ") && $0.contains("select the previous control") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("down ") && $0.contains("select the next control") }, "\(lines)")
        #expect(!lines.contains { $0.hasPrefix("v ") || $0.hasPrefix("^ ") })
        #expect(lines.contains { $0.contains("tab: next page, up/down scroll") })
    }

    @Test func anAsciiChartSpellsItsSymbolsOut() {
        let angle = (0...40).map { (x: Double($0), y: 0.02 + 0.001 * Double($0 % 3)) }
        let c = Chart(
            title: "fc1.scale: η_eff, angle (rad)",
            series: [
                ChartSeries("η_eff", .blue, .line, angle.map { ($0.x, $0.y * 10) }).withValue(),
                ChartSeries("√(2ηλ/(1+β)) =", .gray, .dots, angle.map { ($0.x, 0.026) }).withValue(),
            ], xMax: 40)
        let b = Golden.chart(c, width: 72, height: 14, unicode: false)
        Golden.check(b, "ascii-spelled-chart")
        let text = b.lines.joined(separator: "\n")
        #expect(b.line(0).contains("fc1.scale: eta_eff, angle (rad)"), "\(b.line(0))")
        #expect(text.contains("eta_eff") && text.contains("sqrt(2*eta*lambda/(1+beta))"), "\(text)")
        #expect(b.lines.allSatisfy { $0.allSatisfy(\.isASCII) })
    }

    @Test func narrowBordersNameTheAxisModeInWords() {
        var c = Chart(
            title: "a title too long for the border",
            series: [
                ChartSeries("q", .blue, .line, (0...20).map { (x: Double($0), y: 1 + 0.01 * Double($0)) })
            ], xMax: 20)
        c.shortTitle = "Q"
        var tops: [String] = []
        for mode in [YAxisMode.fromZero, .relative, .zoom] {
            c.yAxis = mode
            tops.append(Golden.chart(c, width: 16, height: 8, unicode: false).line(0))
        }
        #expect(tops == ["+- Q [from 0] -+", "+- Q [% chg] --+", "+- Q [zoomed] -+"], "\(tops)")
    }
}
