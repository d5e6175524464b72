import Foundation
import NoetherCore
import NoetherUI
import Testing

/// The glossary page: one table that explains every symbol and curve the explorer shows.
@Suite("Glossary")
struct GlossaryTests {
    static let theory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/THEORY.md")

    @Test func everyEntryHasASymbolANameAndAShortMeaning() throws {
        try #require(!Glossary.entries.isEmpty)
        for e in Glossary.entries {
            #expect(!e.symbol.trimmingCharacters(in: .whitespaces).isEmpty, "empty symbol: \(e.name)")
            #expect(!e.name.trimmingCharacters(in: .whitespaces).isEmpty, "empty name: \(e.symbol)")
            #expect(!e.meaning.trimmingCharacters(in: .whitespaces).isEmpty, "empty meaning: \(e.symbol)")
            // One sentence that fits a help page line.
            #expect(e.meaning.count <= 140, "\(e.symbol): meaning has \(e.meaning.count) characters")
            #expect(e.meaning.hasSuffix("."), "\(e.symbol): meaning is not one finished sentence")
        }
    }

    /// The figures' vocabulary and the glossary are one: each quantity a legend shows is explained.
    @Test func everyScreenSymbolOfTheVocabularyIsInTheGlossary() {
        let symbols = Set(Glossary.entries.map(\.symbol))
        let screen = Vocabulary.terms.compactMap(\.screen)
        #expect(screen.count >= 6)
        for s in screen { #expect(symbols.contains(s), "\(s) is not in the glossary") }
    }

    @Test func symbolsAreUnique() {
        var seen: [String: Int] = [:]
        for e in Glossary.entries { seen[e.symbol, default: 0] += 1 }
        #expect(seen.filter { $0.value > 1 }.isEmpty, "repeated symbols: \(seen.filter { $0.value > 1 }.keys.sorted())")
    }

    @Test func everyEntryCitesASectionOfTheTheoryThatExists() throws {
        let text = try String(contentsOf: Self.theory, encoding: .utf8)
        let headings = TheoryReference.headings(inMarkdown: text)
        try #require(!headings.isEmpty, "docs/THEORY.md has no numbered headings")
        for e in Glossary.entries {
            let cited = TheoryReference.references(in: e.meaning)
            #expect(!cited.isEmpty, "\(e.symbol) cites no section")
            for r in cited {
                #expect(headings.contains(r.section), "\(e.symbol) cites \u{A7}\(r.section), which docs/THEORY.md lacks")
            }
        }
    }

    /// Every optimizer's equilibrium line is labelled with its formula: each formula is explained.
    @Test func everyOptimizersEquilibriumLabelIsExplained() {
        let symbols = Set(Glossary.entries.map(\.symbol))
        let live = LiveParameters(learningRate: 0.1, momentum: 0.9, weightDecay: 5e-3)
        for c in optimizerVariants() {
            guard let label = c.equilibrium(live)?.label else { continue }
            #expect(symbols.contains(label), "\(c.optimizerName): \(label) is not in the glossary")
        }
    }

    /// What the explorer puts on screen and the theory names: each must be explained.
    @Test func coversEverySymbolAndCurveOnScreen() {
        let symbols = Set(Glossary.entries.map(\.symbol))
        let required = [
            "Q", "translation", "scale", "rescale", "balance", "measured", "10–90 %", "exact", "Q⁽⁰⁾", "NM",
            "Γ", "Γ/Q₀", "kinetic forcing", "potential forcing", "η_eff", "RMS angle", "√(2ηλ/(1+β))",
            "(2λ/η)S²", "EMA|ĝ|²", "|W_l|²", "loss", "batch acc", "residual", "broken by design", "degenerate",
            "dead", "collapsed", "β", "λ", "η", "t=Ση", "heatmap", "phase portrait", "fc1.scale", "dead 18/32", "▲",
        ]
        #expect(required.filter { !symbols.contains($0) }.isEmpty,
                "not explained: \(required.filter { !symbols.contains($0) })")
    }
}

/// Every optimizer with each setting that changes its rule (plain, Nesterov, dampened), where valid.
func optimizerVariants() -> [Config] {
    OptimizerKind.allCases.flatMap { kind in
        [(false, 0.0), (true, 0.0), (false, 0.5)].compactMap { nesterov, dampening in
            var c = Config()
            c.optimizer = kind
            c.momentum = 0.9
            c.nesterov = nesterov
            c.dampening = dampening
            return (try? c.validate()) != nil ? c : nil
        }
    }
}
